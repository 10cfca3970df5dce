import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validateDuration } from './duration';

/** The longest cross-region RPO the library accepts: a day. */
const MAX_REGION_RPO_MINUTES = 24 * 60;

/**
 * The one check of a cross-region RPO, wherever it is given
 * (MultiRegionDrPlatform `regionRpo`, DrAlarms' replication monitors): a
 * concrete whole number of minutes from `minimum` (1 minute unless a monitor
 * needs more, as S3 Replication Time Control does) to a day. Concrete,
 * because the lag alarms' thresholds and the region-loss coverage are
 * computed from it at synth.
 */
export function validateRegionRpo(scope: Construct, regionRpo: Duration, minimum?: { minutes: number; reason: string }): Duration {
  validateDuration(scope, 'regionRpo', regionRpo, {
    unit: 'minutes',
    min: minimum?.minutes ?? 1,
    minReason: minimum?.reason,
    max: MAX_REGION_RPO_MINUTES,
    tokens: false,
    tokenReason: 'the lag alarms\' thresholds and the region-loss coverage are computed from it at synth',
  });
  return regionRpo;
}

/**
 * The replication-lag alarms' threshold: half the region RPO. A failover
 * when the alarm fires still loses less than the RPO allows, and the other
 * half is the time left to act. The one place the rule is computed: the
 * alarms (DrAlarms) and the region-loss coverage that reports them
 * (MultiRegionDrPlatform) both read it here.
 */
export function lagAlarmThreshold(regionRpo: Duration): Duration {
  return Duration.seconds(regionRpo.toSeconds({ integral: false }) / 2);
}
