import { IConstruct } from 'constructs';
import { alarmNames } from './alarms';
import { auroraNames } from './aurora';
import { DerivedName, LONGEST_REGION, NAME_LIMITS, physicalName } from './limits';
import { tableKeyAlias } from './tables';
import { refuseTokenSuffix } from './validate';
import { DrValidationError, quote } from '../private/validation';

/** Every physical name SingleRegionDrPlatform derives itself (each child derives its own); MultiRegionDrPlatform derives the same for the secondary region. */
export interface PlatformNames {
  readonly vpc: string;
  readonly keyAlias: string;
  readonly flowLogs: string;
  readonly alarmTopic: string;
  readonly alarmTopicKeyAlias: string;
}

export function platformNames(suffix: string): PlatformNames {
  const alarms = alarmNames(suffix);
  return {
    vpc: physicalName('dr-vpc', suffix),
    keyAlias: `alias/${physicalName('dr-platform', suffix)}`,
    flowLogs: `/dr/${suffix}/vpc-flow-logs`,
    alarmTopic: alarms.topic,
    alarmTopicKeyAlias: alarms.topicKeyAlias,
  };
}

/** The names SingleRegionDrPlatform derives itself, for the length check; each child checks its own. */
export function singleRegionPlatformDerivedNames(suffix: string): DerivedName[] {
  const n = platformNames(suffix);
  return [
    { resource: 'VPC name', name: n.vpc, maxLength: NAME_LIMITS.vpcName },
    { resource: 'KMS alias', name: n.keyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'log group', name: n.flowLogs, maxLength: NAME_LIMITS.logGroup },
    { resource: 'SNS topic', name: n.alarmTopic, maxLength: NAME_LIMITS.snsTopic },
    { resource: 'KMS alias', name: n.alarmTopicKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
  ];
}

/** What each stack of MultiRegionDrPlatform is, as its name ends. */
export const STACK_ROLES = {
  secondaryFoundation: 'secondary-foundation',
  primary: 'primary',
  secondary: 'secondary',
  routing: 'routing',
} as const;

/** `{id}-{suffix}-{role}`: a stack name that says whose it is and what it holds. */
export function stackName(id: string, suffix: string, role: string): string {
  return `${id}-${suffix}-${role}`;
}

/** The SSM parameter names MultiRegionDrPlatform publishes in each region, under `/{suffix}/`. */
export function parameterName(suffix: string, path: string): string {
  return `/${suffix}/${path}`;
}

/**
 * The names MultiRegionDrPlatform derives itself for the secondary region's
 * foundation. Every value that crosses regions is one of these (or a
 * child's) deterministic names, derived on both sides from the suffix.
 */
export interface MultiRegionNames {
  /** The secondary region's Aurora key (the primary's EncryptedAurora makes the same alias in its region). */
  readonly auroraKeyAlias: string;
  /** The secondary region's table key. */
  readonly tableKeyAlias: string;
  /** The secondary region's dashboard: dashboards are global to an account, so it carries the region. */
  readonly secondaryDashboard: (region: string) => string;
}

export function multiRegionNames(suffix: string): MultiRegionNames {
  return {
    auroraKeyAlias: auroraNames(suffix).keyAlias,
    tableKeyAlias: tableKeyAlias(suffix),
    secondaryDashboard: alarmNames(suffix).regionalDashboard,
  };
}

/**
 * Checks the longest stack name MultiRegionDrPlatform derives, before any of
 * its stacks exists (aws-cdk-lib refuses a long stack name with its own error):
 * the same check `multiRegionPlatformDerivedNames` makes, without a stack to claim names in.
 */
export function validateMultiRegionStackNames(scope: IConstruct, id: string, suffix: string): void {
  refuseTokenSuffix(scope, suffix);
  const name = stackName(id, suffix, STACK_ROLES.secondaryFoundation);
  if (name.length <= NAME_LIMITS.cloudformationStack) {
    return;
  }
  const room = NAME_LIMITS.cloudformationStack - (name.length - id.length);
  throw new DrValidationError(scope,
    `the id of a MultiRegionDrPlatform starts its stack names ({id}-{suffix}-{role}), and ${quote(id)} makes the stack name ${quote(name)} `
    + `${name.length} characters long (limit ${NAME_LIMITS.cloudformationStack}): with this suffix the id may have at most ${Math.max(room, 0)} characters, got: ${quote(id)}`);
}

/** The names MultiRegionDrPlatform derives itself, for the length check; each child checks its own. */
export function multiRegionPlatformDerivedNames(suffix: string, id: string): DerivedName[] {
  const n = multiRegionNames(suffix);
  return [
    { resource: 'KMS alias', name: n.auroraKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'KMS alias', name: n.tableKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'CloudWatch dashboard', name: n.secondaryDashboard(LONGEST_REGION), maxLength: NAME_LIMITS.cloudwatchDashboard, accountWide: true },
    {
      resource: 'CloudFormation stack',
      name: stackName(id, suffix, STACK_ROLES.secondaryFoundation),
      maxLength: NAME_LIMITS.cloudformationStack,
      otherPart: `the construct id ${JSON.stringify(id)}`,
    },
  ];
}
