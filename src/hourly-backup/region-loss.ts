import { Duration } from 'aws-cdk-lib';
import { RegionLossCoverage } from './copy-destination';
import { ProtectedResourceType } from '../stores/protected-resource';

/**
 * The region-loss model: what a protected resource keeps when the plan's
 * region is lost. Pure functions of plain values, tested without a stack.
 */

/** The plan's copy settings, as the region-loss model needs them. */
export interface CopyPlan {
  /** The plan's region, or a token. */
  readonly region: string;
  /** The regions copies go to, where the destination vault's ARN names one. */
  readonly copyRegions: string[];
  /**
   * How many copy destinations have a region that cannot be read (a token
   * ARN): such a vault may be in the plan's own region, so it proves nothing.
   */
  readonly unknownCopyRegions?: number;
  /** How late after its scheduled time a snapshot job may complete. */
  readonly completionWindow: Duration;
  /** Whether the bucket is known to be versioned (S3 only). */
  readonly versioned?: boolean;
  /**
   * The longest gap between two scheduled snapshots (see CoveragePlan).
   *
   * @default the hourly schedule
   */
  readonly scheduleInterval?: Duration;
}

/** The shortest AWS Backup schedule, which HourlyBackup uses. */
const SCHEDULE_INTERVAL = Duration.hours(1);

/** Why the worst case of any copy is unknown. */
export const COPY_DURATION_UNKNOWN = 'a copy job has no completion window: AWS Backup does not bound how long it takes, so the copy\'s own duration comes on top of the snapshot\'s';

/** The region-loss coverage of one resource under the plan. */
export function regionLossOf(name: string, resourceType: ProtectedResourceType, plan: CopyPlan): RegionLossCoverage {
  const base = { name, resourceType, copyRegions: [...plan.copyRegions] };
  if (resourceType === ProtectedResourceType.LAMBDA) {
    return {
      ...base,
      copyRegions: [],
      survivesRegionLoss: true,
      mechanism: 'redeployed from the app in the other region: AWS Backup does not back up Lambda, and its code and configuration hold no data',
      conditions: [],
    };
  }
  const unknown = plan.unknownCopyRegions ?? 0;
  const unknownCondition = `${unknown} more copy destination${unknown === 1 ? ' has' : 's have'} a vault ARN whose region is a token: `
    + 'it cannot be told apart from this region at synth, so it is not counted as a copy outside it';
  if (plan.copyRegions.length === 0 && unknown > 0) {
    return {
      ...base,
      survivesRegionLoss: false,
      mechanism: `copied only to vaults whose region cannot be read (token ARNs): none is known to be outside ${plan.region}, so the copies may be lost with it`,
      unknownReason: 'the copy vaults\' regions are tokens; write the vault ARNs out (their names are deterministic) so the region can be checked',
      conditions: [],
    };
  }
  if (plan.copyRegions.length === 0) {
    return {
      ...base,
      survivesRegionLoss: false,
      mechanism: `no copy outside ${plan.region}: every recovery point is in that region's vault and is lost with it`,
      conditions: [],
    };
  }
  const where = plan.copyRegions.join(', ');
  const which = plan.scheduleInterval === undefined || plan.scheduleInterval.toSeconds() === SCHEDULE_INTERVAL.toSeconds()
    ? 'the hourly snapshot' : `the snapshot taken every ${plan.scheduleInterval.toHumanString()}`;
  const snapshot = `${which} copied to ${where}: a snapshot, restorable only to the moment it was taken`;
  const conditions: string[] = unknown > 0 ? [unknownCondition] : [];
  let mechanism: string;
  switch (resourceType) {
    case ProtectedResourceType.AURORA:
      mechanism = `${snapshot}; continuous backup (point-in-time restore) is not copied and stays in ${plan.region}`;
      conditions.push('the DB option group is not copied: a restore in the other region uses that region\'s default option group');
      break;
    case ProtectedResourceType.DYNAMODB:
      mechanism = `${snapshot}; the table's point-in-time recovery stays in ${plan.region}`;
      conditions.push('AWS Backup\'s advanced features for DynamoDB must be on in the account (an account setting, on by default for accounts created since November 2021): without them every copy job of the table fails');
      break;
    case ProtectedResourceType.S3:
      mechanism = `${snapshot}; continuous backup (point-in-time restore) is not copied and stays in ${plan.region}`;
      break;
    default:
      mechanism = snapshot;
      conditions.push('AWS Backup must support cross-region copies for this resource type (not every type does; the app cannot check)');
  }
  const dataLossExcludingCopy = (plan.scheduleInterval ?? SCHEDULE_INTERVAL).plus(plan.completionWindow);
  if (resourceType === ProtectedResourceType.S3 && plan.versioned !== true) {
    return {
      ...base,
      survivesRegionLoss: true,
      mechanism,
      unknownReason: 'the bucket\'s versioning cannot be read and was not stated; AWS Backup backs up only versioned buckets',
      conditions,
    };
  }
  return { ...base, survivesRegionLoss: true, mechanism, dataLossExcludingCopy, unknownReason: COPY_DURATION_UNKNOWN, conditions };
}

/**
 * The region-loss coverage in short, one clause per resource, as the stack
 * output shows it (the mechanism and conditions in full are in the data).
 */
export function regionLossSummary(coverage: RegionLossCoverage[]): string {
  return coverage.map((c) => {
    const what = !c.survivesRegionLoss
      ? (c.unknownReason ? 'copies only to vaults of unknown region, not known to survive the region' : 'no copy, lost with the region')
      : c.resourceType === ProtectedResourceType.LAMBDA ? 'redeployed, no data to lose'
        : c.dataLossExcludingCopy ? `snapshot copies in ${c.copyRegions.join(', ')}, RPO ${c.dataLossExcludingCopy.toHumanString()} plus the copy's duration (unknown)`
          : `snapshot copies in ${c.copyRegions.join(', ')}, RPO unknown`;
    return `${c.resourceType} ${c.name}: ${what}`;
  }).join('; ');
}
