/**
 * The contract between the region probe (which publishes in CloudWatch
 * embedded metric format) and the alarm Route 53 watches. The alarm's name is in
 * src/names/.
 */

/** The namespace of the region health metrics. */
export const REGION_HEALTH_NAMESPACE = 'CdkDrPlatform/Region';

/** The `service` dimension Powertools metrics adds to every metric. */
export const REGION_HEALTH_SERVICE = 'region-health-check';

/** Dimension names. */
export const DIMENSION_ENVIRONMENT = 'Environment';
export const DIMENSION_CHECK = 'Check';

/** 1 when every check of a run passed, 0 otherwise (dimensions service, Environment). */
export const METRIC_REGION_HEALTHY = 'RegionHealthy';
/** 1 or 0 per check (dimensions service, Environment, Check). */
export const METRIC_CHECK_HEALTHY = 'CheckHealthy';
/** How long a check took, in milliseconds (dimensions service, Environment, Check). */
export const METRIC_CHECK_LATENCY = 'CheckLatency';

/** The names of the checks, as the `Check` dimension carries them. */
export const CHECK_NAMES = ['database', 'table', 'bucket'] as const;
export type CheckName = typeof CHECK_NAMES[number];
