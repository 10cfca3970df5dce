/**
 * The metric contract between the recovery handlers (which publish in
 * CloudWatch embedded metric format) and the alarms and dashboards (which
 * read them). Both sides import these names, so they cannot drift apart.
 */

/** The CloudWatch namespace of every metric the library publishes. */
export const RECOVERY_NAMESPACE = 'CdkDrPlatform/Recovery';

/**
 * The `service` dimension. Powertools metrics adds it to every metric, so
 * the alarms must name it too.
 */
export const RPO_SERVICE = 'recovery-point-monitor';
export const DRILL_SERVICE = 'restore-drill';
/** The automatic failover's watch, in the secondary region (src/region-switch-plan/failover-watch.lambda.ts). */
export const FAILOVER_WATCH_SERVICE = 'failover-watch';
/** 1 on positive evidence that the primary region is impaired, 0 when it answers healthy; missing when unknown. */
export const METRIC_PRIMARY_IMPAIRED = 'PrimaryImpaired';
/** 1 when the secondary cluster could take writes after a promotion, 0 when not; missing when unknown. */
export const METRIC_SECONDARY_READY = 'SecondaryReady';

/** Dimension names. */
export const DIMENSION_ENVIRONMENT = 'Environment';
export const DIMENSION_RESOURCE = 'Resource';
export const DIMENSION_RESOURCE_TYPE = 'ResourceType';
/** The restore testing plan of a drill-age metric, by its name in the monitor's `drillPlans`. */
export const DIMENSION_DRILL_PLAN = 'DrillPlan';

// Measured per resource (dimensions service, Environment, Resource), in seconds.

/**
 * Age of the newest usable recovery point AWS Backup created (not RDS's
 * automated snapshots, not the service's own PITR): whether AWS Backup still
 * backs the resource up, whatever its point-in-time recovery does.
 */
export const METRIC_BACKUP_RECOVERY_POINT_AGE = 'BackupRecoveryPointAge';
/** Age of the latest restorable time of the resource's own point-in-time recovery. */
export const METRIC_RESTORABLE_TIME_AGE = 'RestorableTimeAge';
/** The smaller of the two: the data a restore now would lose. */
export const METRIC_EFFECTIVE_RPO = 'EffectiveRpo';
/** Resources that could not be measured in one run (dimensions service, Environment), a count. */
export const METRIC_MEASUREMENT_FAILURES = 'MeasurementFailures';

/** Restore drills, per resource type (dimensions service, Environment, ResourceType). */
export const METRIC_MEASURED_RTO = 'MeasuredRto';
export const METRIC_DRILL_SUCCEEDED = 'DrillSucceeded';
export const METRIC_DRILL_FAILED = 'DrillFailed';

/**
 * How many days back the monitor looks for the last validated drill. The
 * overdue-drill alarm fires when none validated within the drill's
 * `scheduleInterval` (at most 744 hours, a monthly schedule's longest gap)
 * plus a day: at most 768 hours, 32 days. A drill older than the look-back
 * reads as none, so the look-back is longer than the longest threshold.
 */
export const DRILL_LOOKBACK_DAYS = 33;

/** Hours since the last validated drill of a resource type in one plan, published by the monitor (dimensions service, Environment, ResourceType, DrillPlan). */
export const METRIC_LAST_DRILL_AGE = 'LastValidatedDrillAge';


/**
 * Region switch rehearsals (RegionSwitchRehearsal), dimensions service and
 * Environment; the leg and step metrics add Leg (`failover`, `failback`)
 * and Step (the plan's step name).
 */
export const REHEARSAL_SERVICE = 'region-switch-rehearsal';
export const DIMENSION_REHEARSAL_LEG = 'Leg';
export const DIMENSION_REHEARSAL_STEP = 'Step';
/** 1 per successful rehearsal (0 with each failure). */
export const METRIC_REHEARSAL_SUCCEEDED = 'RehearsalSucceeded';
/** 1 per failed rehearsal (0 with each success). */
export const METRIC_REHEARSAL_FAILED = 'RehearsalFailed';
/** The longer leg's measured RTO, in seconds: compared with the plan's RTO. */
export const METRIC_REHEARSAL_MEASURED_RTO = 'RehearsalMeasuredRto';
/** Each leg's measured RTO, in seconds (dimension Leg). */
export const METRIC_REHEARSAL_LEG_RTO = 'RehearsalLegRto';
/** Each step's duration, in seconds (dimensions Leg, Step). */
export const METRIC_REHEARSAL_STEP_DURATION = 'RehearsalStepDuration';
/** Hours since the last successful rehearsal, published hourly. */
export const METRIC_REHEARSAL_AGE = 'HoursSinceLastRehearsal';
/**
 * What the last-success parameter holds until the first successful
 * rehearsal: the construct creates it so, the handler then counts the age
 * from the parameter's creation.
 */
export const REHEARSAL_NEVER = 'never';
