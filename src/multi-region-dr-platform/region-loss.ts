import { Duration } from 'aws-cdk-lib';
import { RegionLossCoverage as BackupRegionLoss } from '../hourly-backup';
import { ResourceRegionLoss } from './multi-region-dr-platform-props';
import { describeDuration } from '../private/duration';

/**
 * The region-loss coverage model: how much data each resource of a
 * multi-region platform can lose when the primary region is lost, and
 * whether that meets the cross-region RPO. Pure functions of plain values,
 * tested without a stack; MultiRegionDrPlatform applies them.
 */

/**
 * S3 Replication Time Control replicates 99.99 % of objects within 15
 * minutes (https://docs.aws.amazon.com/AmazonS3/latest/dev/replication-walkthrough-5.html):
 * a bound for a percentile, not for the bucket. The other 0.01 % have none.
 */
export const S3_RTC_BOUND = Duration.minutes(15);

/** One line of the region-loss coverage, as the model computes it. */
export interface RegionLossLine {
  readonly name: string;
  readonly resourceType: string;
  readonly mechanism: string;
  readonly worstCaseDataLoss?: Duration;
  readonly unknownReason?: string;
  readonly heldToRegionRpo: boolean;
  /** How `worstCaseDataLoss` is reached, in words with numbers. */
  readonly arithmetic?: string;
  /** What would meet a shorter `regionRpo`. */
  readonly remedy?: string;
}

/** A line as the public `ResourceRegionLoss`: without the arithmetic and the remedy, which go into messages. */
export function publicRegionLoss(l: RegionLossLine): ResourceRegionLoss {
  const { name, resourceType, mechanism, worstCaseDataLoss, unknownReason, heldToRegionRpo } = l;
  return { name, resourceType, mechanism, worstCaseDataLoss, unknownReason, heldToRegionRpo };
}

/** What the model needs to know about a replicated store. */
export interface ReplicatedStore {
  readonly name: string;
  /** The CloudWatch metric its lag is read from, for the words. */
  readonly lagMetric: string;
  /**
   * The lag at which its alarm fires, and how long the lag must stay above
   * it first: said in the mechanism, never taken as a bound.
   */
  readonly alarmThreshold?: Duration;
  readonly alarmEvaluation?: Duration;
  /** Whether the alarm also fires when the lag stops being reported (Aurora's, on a secondary). */
  readonly alarmsOnSilence?: boolean;
  /**
   * A bound the service enforces on the lag (Aurora PostgreSQL's
   * `rds.global_db_rpo`): then the loss is known and held to `regionRpo`.
   */
  readonly enforcedBound?: Duration;
}

/**
 * An Aurora global database or a DynamoDB global table: a failover loses the
 * writes not yet replicated, the replication lag at that moment. DynamoDB
 * gives that lag no bound; Aurora PostgreSQL bounds it when the platform
 * sets `rds.global_db_rpo` (`enforcedBound`): commits on the primary wait
 * while every secondary lags past it, so no committed write older than the
 * bound can be missing from a secondary, and the line is held to
 * `regionRpo`. Without a bound, an alarm on the lag only notifies: the lag
 * can grow past the threshold, and a replication that stops publishing its
 * metric never fires the alarm. So the loss is unknown, and the line is not
 * held to `regionRpo` (no figure could show it is met); the alarm is said.
 */
export function replicatedStoreLine(resourceType: string, store: ReplicatedStore): RegionLossLine {
  const alarm = store.alarmThreshold
    ? `alarmed when ${store.lagMetric} stays above ${describeDuration(store.alarmThreshold)}`
      + (store.alarmEvaluation ? ` for ${describeDuration(store.alarmEvaluation)}` : '')
    : `nothing alarms on its replication lag (${store.lagMetric})`;
  if (store.enforcedBound) {
    const bound = describeDuration(store.enforcedBound);
    return {
      name: store.name,
      resourceType,
      mechanism: `asynchronous replication to the secondary region, bounded by rds.global_db_rpo (${bound}): `
        + `commits on the primary wait while every secondary lags more than that; ${alarm}`,
      worstCaseDataLoss: store.enforcedBound,
      arithmetic: `the rds.global_db_rpo bound ${bound}`,
      heldToRegionRpo: true,
    };
  }
  return {
    name: store.name,
    resourceType,
    mechanism: `asynchronous replication to the secondary region, usually under a second; ${alarm}`,
    unknownReason: (resourceType === 'Aurora'
      ? 'the replication lag has no bound: rds.global_db_rpo (Aurora PostgreSQL) is not set'
      : 'DynamoDB gives global table replication lag no bound')
      + (store.alarmThreshold && store.alarmsOnSilence
        ? '; an alarm on it only notifies (it also fires when the secondary stops reporting the lag)'
        : '; an alarm on it only notifies, and stays quiet if the metric stops'),
    heldToRegionRpo: false,
  };
}

/**
 * An S3 bucket replicating to the secondary region. Replication Time Control
 * bounds 99.99 % of objects, not the bucket: an object outside that
 * percentile has no bound (its pending replication is alarmed), so the
 * bucket's loss is unknown and it is not held to `regionRpo`. The
 * percentile bound is said in the reason; `s3RegionRpoShortfall` refuses a
 * `regionRpo` that not even the percentile can meet.
 */
export function replicatedBucketLine(name: string, replicationTimeControl: boolean): RegionLossLine {
  const base = { name, resourceType: 'S3', heldToRegionRpo: false };
  if (!replicationTimeControl) {
    const unknownReason = 'replication runs without Replication Time Control, and S3 gives replication without it no time bound';
    return { ...base, mechanism: `cross-region replication; ${unknownReason}`, unknownReason };
  }
  const bound = describeDuration(S3_RTC_BOUND);
  return {
    ...base,
    mechanism: `cross-region replication with Replication Time Control (99.99 % of objects within ${bound}; the rest unbounded, alarmed)`,
    unknownReason: `Replication Time Control replicates 99.99 % of objects within ${bound}; S3 gives the other 0.01 % no bound`,
  };
}

/**
 * Why `regionRpo` cannot be met for a bucket replicating with Replication
 * Time Control: S3 promises nothing shorter than its 15 minutes, even for
 * the 99.99 % it bounds. Undefined when `regionRpo` is at least that.
 */
export function s3RegionRpoShortfall(name: string, regionRpo: Duration): string | undefined {
  if (regionRpo.toSeconds() >= S3_RTC_BOUND.toSeconds()) {
    return undefined;
  }
  const bound = describeDuration(S3_RTC_BOUND);
  return `\`regionRpo\` ${describeDuration(regionRpo)} cannot be met for S3 ${name} if the primary region is lost: `
    + `Replication Time Control replicates 99.99 % of objects within ${bound} and promises nothing shorter (and no bound at all for the rest). `
    + `Set \`regionRpo\` to at least ${bound}.`;
}

/**
 * A resource's backup copies in the secondary region, as HourlyBackup
 * reports them: snapshots, the path for logical corruption found after the
 * region is lost. Not held to `regionRpo` (the hourly schedule alone is
 * longer than any useful one); their loss is unknown, since AWS Backup does
 * not bound a copy job's duration, and the known part is said.
 */
export function backupCopyLine(copy: BackupRegionLoss): RegionLossLine {
  const known = copy.dataLossExcludingCopy
    ? `; at least ${describeDuration(copy.dataLossExcludingCopy)} (hourly schedule + completion window) plus the copy's own duration` : '';
  const conditions = copy.conditions.length ? `; ${copy.conditions.join('; ')}` : '';
  return {
    name: copy.name,
    resourceType: 'AWS Backup copy',
    mechanism: `${copy.mechanism}${known}${conditions}`,
    unknownReason: copy.survivesRegionLoss ? copy.unknownReason : 'no copy survives the region',
    heldToRegionRpo: false,
  };
}

/**
 * The promoted region's backups after a failover: the secondary region runs
 * its own hourly plan over its stores in either role, copying back to the
 * primary region's copy vault, so writes made there after a promotion are
 * backed up from the first hour. What a second loss (of the promoted region)
 * would lose is the copy's lag, which AWS Backup does not bound: unknown.
 */
export function promotedRegionBackupLine(region: string, primaryRegion: string): RegionLossLine {
  return {
    name: `${region} after a failover`,
    resourceType: 'AWS Backup plan',
    mechanism: `${region} runs its own hourly backup plan over its stores in either role (a locked vault there, every snapshot copied back `
      + `to the copy vault in ${primaryRegion}): after a promotion, writes made there are backed up from the first hour, with no step to run`,
    unknownReason: `if ${region} is lost in turn, the copies in ${primaryRegion} lag by the copy job's duration, which AWS Backup does not bound`,
    heldToRegionRpo: false,
  };
}

/** A function: code, not data; it is already deployed in the secondary region. */
export function functionLine(name: string): RegionLossLine {
  return {
    name,
    resourceType: 'Lambda',
    mechanism: 'deployed in both regions already: nothing to restore, no data to lose',
    heldToRegionRpo: false,
  };
}

/**
 * Why `regionRpo` cannot be met for a line, with the arithmetic; undefined
 * when it is met, or when the line is not held to it or its loss is unknown.
 */
export function regionRpoShortfall(line: RegionLossLine, regionRpo: Duration): string | undefined {
  if (!line.heldToRegionRpo || !line.worstCaseDataLoss || line.worstCaseDataLoss.toSeconds() <= regionRpo.toSeconds()) {
    return undefined;
  }
  return `\`regionRpo\` ${describeDuration(regionRpo)} cannot be met for ${line.resourceType} ${line.name} if the primary region is lost: `
    + `${line.arithmetic ?? line.mechanism} = ${describeDuration(line.worstCaseDataLoss)} > ${describeDuration(regionRpo)}.`
    + (line.remedy ? ` To meet it, ${line.remedy}.` : '');
}

/** The coverage as one line per resource, as the stack output shows it. */
export function regionLossSummary(lines: RegionLossLine[]): string {
  return lines.map((l) => {
    const loss = l.unknownReason ? 'loss unknown' : l.worstCaseDataLoss ? `up to ${l.worstCaseDataLoss.toHumanString()} lost` : 'no data to lose';
    return `${l.resourceType} ${l.name}: ${l.mechanism} (${loss})`;
  }).join('; ');
}
