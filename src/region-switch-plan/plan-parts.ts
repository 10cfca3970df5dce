/**
 * Internal parts of RegionSwitchPlan (not exported from the package).
 */

/** The names of the plan's own steps. */
export const REGION_SWITCH_STEP_NAMES = {
  approval: 'approve',
  fence: 'fence-writes',
  database: 'aurora-global-database',
  dns: 'route53-health-checks',
} as const;

/** The key prefix of the execution reports in the report bucket. */
export const REPORT_PREFIX = 'region-switch-reports';

/** A plan's database, resolved for its regions. */
export interface BoundRegionSwitchDatabase {
  readonly globalClusterIdentifier: string;
  readonly globalClusterArn: string;
  readonly primaryClusterArn: string;
  readonly secondaryClusterArn: string;
}
