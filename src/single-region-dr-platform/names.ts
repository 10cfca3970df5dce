/**
 * The names SingleRegionDrPlatform derives itself, in a file the module's
 * barrel does not export: MultiRegionDrPlatform derives the same names for the
 * secondary region's VPC, key and topic.
 */
import { DerivedName, NAME_LIMITS, physicalName } from '../private/naming';

/** Every physical name the platform itself derives, in one place; each child derives its own. */
export interface PlatformNames {
  readonly vpc: string;
  readonly keyAlias: string;
  readonly flowLogs: string;
  readonly alarmTopic: string;
  readonly alarmTopicKeyAlias: string;
}

export function platformNames(suffix: string): PlatformNames {
  return {
    vpc: physicalName('dr-vpc', suffix),
    keyAlias: `alias/${physicalName('dr-platform', suffix)}`,
    flowLogs: `/dr/${suffix}/vpc-flow-logs`,
    alarmTopic: physicalName('dr-alarms', suffix),
    alarmTopicKeyAlias: `alias/${physicalName('dr-alarms', suffix)}`,
  };
}

/** The names the platform itself derives; each child checks its own. */
export function derivedNames(suffix: string): DerivedName[] {
  const n = platformNames(suffix);
  return [
    { resource: 'VPC name', name: n.vpc, maxLength: 255 },
    { resource: 'KMS alias', name: n.keyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'log group', name: n.flowLogs, maxLength: NAME_LIMITS.logGroup },
    { resource: 'SNS topic', name: n.alarmTopic, maxLength: NAME_LIMITS.snsTopic },
    { resource: 'KMS alias', name: n.alarmTopicKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
  ];
}
