import { Duration } from 'aws-cdk-lib';
import { BackupCoverage } from './backup-coverage';
import { ProtectedResourceType } from '../stores/protected-resource';

/**
 * The coverage model: how a protected resource is recovered under a backup
 * plan, and the most data it can lose. Pure functions of plain values, so the
 * model is tested without a stack; HourlyBackup applies it.
 */

/** The latest restorable time of Aurora/RDS PITR trails now by about 5 minutes. */
export const AURORA_PITR_LAG = Duration.minutes(5);
/** DynamoDB PITR's latest restorable time also trails by about 5 minutes. */
export const DYNAMODB_PITR_LAG = Duration.minutes(5);
/** A conservative bound for S3 continuous backup's latest restorable point. */
export const S3_PITR_LAG = Duration.minutes(15);
/** The shortest AWS Backup schedule. */
export const SCHEDULE_INTERVAL = Duration.hours(1);

/** What the model needs to know about a resource. */
export interface CoverageSubject {
  readonly name: string;
  readonly resourceType: ProtectedResourceType;
  /** Whether the table has its own point-in-time recovery; undefined when unknown (counted as off). */
  readonly pointInTimeRecovery?: boolean;
  /** Whether the bucket is versioned; undefined when unknown (the coverage is then unknown). */
  readonly versioned?: boolean;
}

/** What the model needs to know about the plan. */
export interface CoveragePlan {
  /** How long hourly snapshots are kept. */
  readonly retention: Duration;
  /** How late a snapshot job may start. */
  readonly startWindow: Duration;
  /** Whether continuous backup is on for Aurora and S3. */
  readonly continuousBackup: boolean;
}

/** The worst-case data loss of hourly snapshots alone: the interval plus the start window. */
export function snapshotRpo(plan: CoveragePlan): Duration {
  return SCHEDULE_INTERVAL.plus(plan.startWindow);
}

/** How the resource is recovered under the plan, and its worst-case data loss. */
export function coverageOf(subject: CoverageSubject, plan: CoveragePlan): BackupCoverage {
  const snapshots = `hourly snapshots kept ${plan.retention.toHumanString()}`;
  const snapshotsOnly = { mechanism: `${snapshots} (1 h schedule + ${plan.startWindow.toHumanString()} start window)`, effectiveRpo: snapshotRpo(plan) };
  const base = { name: subject.name, resourceType: subject.resourceType, inBackupPlan: subject.resourceType !== ProtectedResourceType.LAMBDA };
  switch (subject.resourceType) {
    case ProtectedResourceType.AURORA:
      return plan.continuousBackup
        ? { ...base, mechanism: `continuous backup (point-in-time restore) and ${snapshots}`, effectiveRpo: AURORA_PITR_LAG }
        : { ...base, ...snapshotsOnly };
    case ProtectedResourceType.S3:
      if (subject.versioned !== true) {
        const unknownReason = subject.versioned === false
          ? 'the bucket is not versioned, and AWS Backup cannot back up an unversioned bucket'
          : 'the bucket\'s versioning cannot be read (it is not defined in this app) and was not stated; AWS Backup backs up only versioned buckets';
        return { ...base, mechanism: `unknown: ${unknownReason}`, unknownReason };
      }
      return plan.continuousBackup
        ? { ...base, mechanism: `continuous backup (point-in-time restore) and ${snapshots}`, effectiveRpo: S3_PITR_LAG }
        : { ...base, ...snapshotsOnly };
    case ProtectedResourceType.DYNAMODB:
      if (subject.pointInTimeRecovery === undefined) {
        // Unknown PITR is counted as off: the snapshots bound the loss either way.
        return { ...base, ...snapshotsOnly, mechanism: `${snapshotsOnly.mechanism}; the table's point-in-time recovery is unknown and counted as off` };
      }
      return subject.pointInTimeRecovery
        ? { ...base, mechanism: `the table's point-in-time recovery and ${snapshots}`, effectiveRpo: DYNAMODB_PITR_LAG }
        : { ...base, ...snapshotsOnly };
    case ProtectedResourceType.LAMBDA:
      return { ...base, mechanism: 'restored by redeploy: AWS Backup does not support Lambda, so its code and configuration are rebuilt from the app' };
    default:
      return { ...base, ...snapshotsOnly };
  }
}

/**
 * Why the RPO cannot be met for the resource, and what would meet it; undefined
 * when it is met (or when the RPO is a token and cannot be compared).
 */
export function rpoShortfall(subject: CoverageSubject, plan: CoveragePlan, rpo: Duration): string | undefined {
  const coverage = coverageOf(subject, plan);
  if (coverage.unknownReason || !coverage.effectiveRpo || rpo.isUnresolved() || coverage.effectiveRpo.toSeconds() <= rpo.toSeconds()) {
    return undefined;
  }
  return `\`rpo\` ${rpo.toHumanString()} cannot be met for ${subject.resourceType} ${subject.name}: ${coverage.mechanism} `
    + `loses up to ${coverage.effectiveRpo.toHumanString()} of data. ${remedyFor(subject, plan)}`;
}

/** What would let the resource meet a shorter RPO. */
export function remedyFor(subject: CoverageSubject, plan: CoveragePlan): string {
  const snapshots = snapshotRpo(plan).toHumanString();
  switch (subject.resourceType) {
    case ProtectedResourceType.DYNAMODB:
      return subject.pointInTimeRecovery
        // PITR is already on: nothing recovers the table more recently than its lag.
        ? `Set \`rpo\` to at least ${DYNAMODB_PITR_LAG.toHumanString()}, the lag of the table's point-in-time recovery.`
        : `Turn on the table's point-in-time recovery (PitrTable does; for an ITable pass { pointInTimeRecovery: true } once it is on), or set \`rpo\` to at least ${snapshots}.`;
    case ProtectedResourceType.AURORA:
    case ProtectedResourceType.S3:
      return plan.continuousBackup
        ? `Set \`rpo\` to at least ${coverageOf(subject, plan).effectiveRpo!.toHumanString()}.`
        : `Turn \`continuousBackup\` on, or set \`rpo\` to at least ${snapshots}.`;
    default:
      return `Snapshots are the only mechanism for this resource: set \`rpo\` to at least ${snapshots}.`;
  }
}

/** The coverage as one line per resource, as the stack output shows it. */
export function coverageSummary(coverage: BackupCoverage[]): string {
  return coverage.map((c) => {
    const rpo = c.unknownReason ? 'RPO unknown' : c.effectiveRpo ? `RPO ${c.effectiveRpo.toHumanString()}` : 'no data to lose';
    return `${c.resourceType} ${c.name}: ${c.mechanism} (${rpo})`;
  }).join('; ');
}
