/**
 * The names MultiRegionDrPlatform derives itself, in a file the module's
 * barrel does not export. Every value that crosses regions is one of these
 * (or a child's) deterministic names, derived on both sides from the suffix.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { DerivedName, NAME_LIMITS, physicalName } from '../private/naming';

/** What each stack of the platform is, as its name ends. */
export const STACK_ROLES = {
  secondaryFoundation: 'secondary-foundation',
  primary: 'primary',
  secondary: 'secondary',
  routing: 'routing',
} as const;

/** CloudFormation's limit on a stack name. */
export const STACK_NAME_LIMIT = 128;

/** `{id}-{suffix}-{role}`: a stack name that says whose it is and what it holds. */
export function stackName(id: string, suffix: string, role: string): string {
  return `${id}-${suffix}-${role}`;
}

/** The SSM parameter names the platform publishes in each region, under `/{suffix}/`. */
export function parameterName(suffix: string, path: string): string {
  return `/${suffix}/${path}`;
}

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
    auroraKeyAlias: `alias/${physicalName('dr-aurora', suffix)}`,
    tableKeyAlias: `alias/${physicalName('dr-table', suffix)}`,
    secondaryDashboard: (region: string) => `${physicalName('dr-dashboard', suffix)}-${region}`,
  };
}

/** The longest region code, for the length check of names that carry one. */
const LONGEST_REGION = Math.max(...RegionInfo.regions.map((r) => r.name.length));

/** The names the composite derives itself; each child checks its own. */
export function derivedNames(suffix: string, id: string): DerivedName[] {
  const n = multiRegionNames(suffix);
  return [
    { resource: 'KMS alias', name: n.auroraKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'KMS alias', name: n.tableKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'CloudWatch dashboard', name: n.secondaryDashboard('x'.repeat(LONGEST_REGION)), maxLength: NAME_LIMITS.cloudwatchDashboard },
    { resource: 'CloudFormation stack', name: stackName(id, suffix, STACK_ROLES.secondaryFoundation), maxLength: STACK_NAME_LIMIT },
  ];
}
