/**
 * Measures, for each protected resource, how much data a restore right now
 * would lose, and publishes it as CloudWatch metrics (embedded metric format,
 * through Powertools for AWS Lambda's metrics utility).
 *
 * Per resource:
 * - `BackupRecoveryPointAge`: now minus the creation time of its newest
 *   usable recovery point that AWS Backup created (ListRecoveryPointsByResource
 *   with ManagedByAWSBackupOnly, every page; RDS's own automated snapshots are
 *   not AWS Backup's and do not count). Published on its own because the
 *   effective RPO hides it: native PITR keeps the effective RPO at minutes
 *   while AWS Backup may have stopped. A resource with no such point
 *   publishes none, and its alarm reads the silence as breaching;
 * - `RestorableTimeAge`: now minus the latest restorable time of its own
 *   point-in-time recovery, where the service reports one (DynamoDB
 *   DescribeContinuousBackups, RDS DescribeDBClusters);
 * - `EffectiveRpo`: the smaller of the two.
 * S3 continuous backup reports no latest restorable time through any API, so
 * a bucket is measured by its newest recovery point only: an upper bound.
 *
 * A resource that is gone, has no recovery point yet or cannot be measured is
 * reported as such (log line and `MeasurementFailures`) and publishes no age:
 * its alarm treats the missing data as breaching. One resource's failure never
 * stops the others. Throttling gets the SDK's adaptive retry, then backoff
 * here; at most `MAX_CONCURRENCY` resources are measured at once.
 *
 * With DRILL_PLANS set it also publishes, per restore testing plan and
 * resource type, the hours since the plan's last restore job that validated
 * SUCCESSFUL. Each plan is listed on its own: one that cannot be listed is
 * logged and publishes nothing (its overdue alarm reads the silence as
 * breaching), while the others still publish.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  BackupClient,
  ListRecoveryPointsByResourceCommand,
  ListRecoveryPointsByResourceCommandOutput,
  ListRestoreJobsCommand,
  ListRestoreJobsCommandOutput,
  RestoreJobsListMember,
} from '@aws-sdk/client-backup';
import { DescribeContinuousBackupsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { Clock, describeError, mapWithConcurrency, systemClock, withBackoff } from '../private/aws-calls';
import {
  DIMENSION_DRILL_PLAN,
  DIMENSION_ENVIRONMENT,
  DIMENSION_RESOURCE,
  DIMENSION_RESOURCE_TYPE,
  DRILL_LOOKBACK_DAYS,
  METRIC_BACKUP_RECOVERY_POINT_AGE,
  METRIC_EFFECTIVE_RPO,
  METRIC_LAST_DRILL_AGE,
  METRIC_MEASUREMENT_FAILURES,
  METRIC_RESTORABLE_TIME_AGE,
  RECOVERY_NAMESPACE,
  RPO_SERVICE,
} from '../private/recovery-metrics';

/**
 * The recovery point statuses a restore can start from. AWS Backup's
 * DescribeRecoveryPoint reference calls a successfully created point
 * AVAILABLE; COMPLETED is the older name still in the API's enum. CREATING
 * is unfinished, PARTIAL is missing nested points, DELETING and EXPIRED are
 * going, and STOPPED marks a continuous backup that no longer advances.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRecoveryPoint.html
 */
export const USABLE_RECOVERY_POINT_STATUSES: ReadonlySet<string> = new Set(['AVAILABLE', 'COMPLETED']);

/**
 * RDS's own automated backups, by the resource part of their ARN: automated
 * cluster and instance snapshots are named `rds:{id}-{date}`
 * (`cluster-snapshot:rds:...`, `snapshot:rds:...`); retained automated
 * backups are `cluster-auto-backup:...` and `auto-backup:...`. AWS Backup
 * names the snapshots it takes `awsbackup:job-...`. ManagedByAWSBackupOnly
 * already leaves RDS's points out; this second check keeps them out should a
 * response list them anyway, so RDS's daily snapshots can never stand in
 * for a stopped backup plan.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListRecoveryPointsByResource.html
 */
const RDS_AUTOMATED_BACKUP = /^arn:[^:]+:rds:[^:]*:[^:]*:(?:(?:cluster-)?snapshot:rds:|(?:cluster-)?auto-backup:)/;

/** Whether a recovery point is one of RDS's automated backups, not AWS Backup's. */
export function isRdsAutomatedBackup(recoveryPointArn: string | undefined): boolean {
  return RDS_AUTOMATED_BACKUP.test(recoveryPointArn ?? '');
}

/**
 * Whether a recovery point counts towards the RPO: AWS Backup's own (not one
 * of RDS's automated backups), in a status a restore can start from, with a
 * creation time. The `cdk-dr status` command counts points by this rule too.
 */
export function isUsableRecoveryPoint(point: { readonly RecoveryPointArn?: string; readonly Status?: string; readonly CreationDate?: Date },
): boolean {
  return !isRdsAutomatedBackup(point.RecoveryPointArn) && USABLE_RECOVERY_POINT_STATUSES.has(point.Status ?? '') && point.CreationDate !== undefined;
}

/** One resource to measure, as the construct describes it in RESOURCES. */
export interface MonitoredResource {
  /** Short name: the `Resource` dimension. */
  readonly name: string;
  readonly arn: string;
  /** Aurora, DynamoDB, S3 or Other. */
  readonly type: string;
}

export type MeasurementStatus = 'MEASURED' | 'NO_RECOVERY_POINT' | 'NOT_FOUND' | 'ERROR';

export interface Measurement {
  readonly name: string;
  readonly arn: string;
  readonly type: string;
  readonly status: MeasurementStatus;
  /** Seconds since the newest usable recovery point AWS Backup created was created. */
  readonly recoveryPointAgeSeconds?: number;
  /** Seconds since the latest restorable time of the resource's own PITR. */
  readonly restorableTimeAgeSeconds?: number;
  /** The smaller of the two: the data a restore now would lose. */
  readonly effectiveRpoSeconds?: number;
  /** What went wrong, or a remark (clock skew, PITR off). */
  readonly detail?: string;
}

export interface DrillAge {
  /** The plan's name, the `DrillPlan` dimension. */
  readonly plan: string;
  readonly resourceType: string;
  /** Hours since the newest validated drill finished; undefined if none in the look-back. */
  readonly hours?: number;
  readonly restoreJobId?: string;
}

export interface Clients {
  readonly backup: BackupClient;
  readonly dynamodb: DynamoDBClient;
  readonly rds: RDSClient;
}

export interface MeasureOptions {
  readonly clock: Clock;
  /** Epoch milliseconds by which the run must be done (no retry starts after it). */
  readonly deadline: number;
  readonly concurrency?: number;
  readonly backoff?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number; readonly maxAttempts?: number };
}

/** Resources measured at once: DescribeContinuousBackups allows 10 calls a second per account. */
export const MAX_CONCURRENCY = 4;

/** The SDK's adaptive retry (client-side rate limiting) absorbs short bursts of throttling. */
export function createClients(): Clients {
  const config = { retryMode: 'adaptive', maxAttempts: 5 };
  return { backup: new BackupClient(config), dynamodb: new DynamoDBClient(config), rds: new RDSClient(config) };
}

/** Measures every resource; never throws for one resource's sake. */
export async function measureAll(clients: Clients, resources: readonly MonitoredResource[], options: MeasureOptions): Promise<Measurement[]> {
  return mapWithConcurrency(resources, options.concurrency ?? MAX_CONCURRENCY, async (resource) => {
    try {
      return await measure(clients, resource, options);
    } catch (error) {
      return { ...identity(resource), status: 'ERROR', detail: describeError(error) };
    }
  });
}

async function measure(clients: Clients, resource: MonitoredResource, options: MeasureOptions): Promise<Measurement> {
  const call = <T>(fn: () => Promise<T>) => withBackoff(fn, { clock: options.clock, deadline: options.deadline, ...options.backoff });
  const notes: string[] = [];

  // The resource side first: a deleted resource still has recovery points,
  // which would otherwise read as a merely old backup.
  let restorableTime: Date | undefined;
  if (resource.type === 'Aurora') {
    try {
      const out = await call(() => clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: resource.arn })));
      restorableTime = out.DBClusters?.[0]?.LatestRestorableTime;
    } catch (error) {
      if ((error as Error).name === 'DBClusterNotFoundFault') {
        return { ...identity(resource), status: 'NOT_FOUND', detail: `the cluster no longer exists (${describeError(error)})` };
      }
      throw error;
    }
  } else if (resource.type === 'DynamoDB') {
    try {
      const out = await call(() => clients.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: resource.arn })));
      const pitr = out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
      if (pitr?.PointInTimeRecoveryStatus === 'ENABLED') {
        restorableTime = pitr.LatestRestorableDateTime;
      } else {
        notes.push(`point-in-time recovery is ${pitr?.PointInTimeRecoveryStatus ?? 'not reported'}`);
      }
    } catch (error) {
      if ((error as Error).name === 'TableNotFoundException') {
        return { ...identity(resource), status: 'NOT_FOUND', detail: `the table no longer exists (${describeError(error)})` };
      }
      throw error;
    }
  }

  let newest: Date | undefined;
  let nextToken: string | undefined;
  do {
    // 100 per page: RDS recovery points need a page size of at least 20.
    const page: ListRecoveryPointsByResourceCommandOutput = await call(() => clients.backup.send(new ListRecoveryPointsByResourceCommand({
      // Only AWS Backup's own points: the RPO the plan promises is measured,
      // not RDS's automated snapshots of the same cluster.
      ResourceArn: resource.arn, MaxResults: 100, NextToken: nextToken, ManagedByAWSBackupOnly: true,
    })));
    for (const point of page.RecoveryPoints ?? []) {
      if (isUsableRecoveryPoint(point) && (!newest || point.CreationDate! > newest)) {
        newest = point.CreationDate;
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);

  const now = options.clock.now();
  const age = (time: Date | undefined, what: string): number | undefined => {
    if (!time) return undefined;
    const seconds = Math.round((now - time.getTime()) / 1000);
    if (seconds < 0) {
      // The API's clock is ahead of ours: the point is at most "now" old.
      notes.push(`${what} is ${-seconds} s ahead of this function's clock; counted as 0`);
      return 0;
    }
    return seconds;
  };
  const recoveryPointAgeSeconds = age(newest, 'the newest recovery point');
  if (recoveryPointAgeSeconds === undefined && restorableTime) {
    notes.push('no usable recovery point that AWS Backup created: its age is not published and its alarm reads that as breaching');
  }
  const restorableTimeAgeSeconds = age(restorableTime, 'the latest restorable time');
  const ages = [recoveryPointAgeSeconds, restorableTimeAgeSeconds].filter((a): a is number => a !== undefined);
  if (ages.length === 0) {
    notes.unshift('no usable recovery point and no restorable time: nothing to restore from yet');
    return { ...identity(resource), status: 'NO_RECOVERY_POINT', detail: notes.join('; ') };
  }
  return {
    ...identity(resource),
    status: 'MEASURED',
    recoveryPointAgeSeconds,
    restorableTimeAgeSeconds,
    effectiveRpoSeconds: Math.min(...ages),
    detail: notes.length ? notes.join('; ') : undefined,
  };
}

function identity(resource: MonitoredResource): Pick<Measurement, 'name' | 'arn' | 'type'> {
  return { name: resource.name, arn: resource.arn, type: resource.type };
}

/** A measured restore testing plan: its name (the `DrillPlan` dimension), ARN and drilled resource types. */
export interface DrillPlan {
  readonly name: string;
  readonly arn: string;
  readonly types: readonly string[];
}

/** Per resource type, the hours since the plan's newest restore job that validated SUCCESSFUL. */
export async function measureDrills(
  backup: BackupClient,
  plan: DrillPlan,
  lookbackDays: number,
  options: MeasureOptions,
): Promise<DrillAge[]> {
  const now = options.clock.now();
  const jobs: RestoreJobsListMember[] = [];
  let nextToken: string | undefined;
  do {
    const page: ListRestoreJobsCommandOutput = await withBackoff(() => backup.send(new ListRestoreJobsCommand({
      ByRestoreTestingPlanArn: plan.arn,
      ByCreatedAfter: new Date(now - lookbackDays * 86_400_000),
      MaxResults: 100,
      NextToken: nextToken,
    })), { clock: options.clock, deadline: options.deadline, ...options.backoff });
    jobs.push(...(page.RestoreJobs ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return plan.types.map((resourceType) => {
    const validated = jobs
      .filter((j) => j.ResourceType === resourceType && j.ValidationStatus === 'SUCCESSFUL' && (j.CompletionDate ?? j.CreationDate))
      .sort((a, b) => (b.CompletionDate ?? b.CreationDate)!.getTime() - (a.CompletionDate ?? a.CreationDate)!.getTime())[0];
    if (!validated) return { plan: plan.name, resourceType };
    const at = (validated.CompletionDate ?? validated.CreationDate)!.getTime();
    return { plan: plan.name, resourceType, hours: Math.max(0, (now - at) / 3_600_000), restoreJobId: validated.RestoreJobId };
  });
}

/** Publishes one EMF document per resource (its own dimensions) and one for the failure count. */
export function publish(environment: string, measurements: readonly Measurement[], drills: readonly DrillAge[], timestamp: number): void {
  const emit = (dimensions: Record<string, string>, add: (m: Metrics) => void) => {
    const metrics = new Metrics({ namespace: RECOVERY_NAMESPACE, serviceName: RPO_SERVICE });
    metrics.setTimestamp(timestamp);
    metrics.addDimensions({ [DIMENSION_ENVIRONMENT]: environment, ...dimensions });
    add(metrics);
    metrics.publishStoredMetrics();
  };
  for (const m of measurements) {
    if (m.status !== 'MEASURED') continue;
    emit({ [DIMENSION_RESOURCE]: m.name }, (metrics) => {
      if (m.recoveryPointAgeSeconds !== undefined) metrics.addMetric(METRIC_BACKUP_RECOVERY_POINT_AGE, MetricUnit.Seconds, m.recoveryPointAgeSeconds);
      if (m.restorableTimeAgeSeconds !== undefined) metrics.addMetric(METRIC_RESTORABLE_TIME_AGE, MetricUnit.Seconds, m.restorableTimeAgeSeconds);
      metrics.addMetric(METRIC_EFFECTIVE_RPO, MetricUnit.Seconds, m.effectiveRpoSeconds!);
    });
  }
  emit({}, (metrics) => metrics.addMetric(METRIC_MEASUREMENT_FAILURES, MetricUnit.Count, measurements.filter((m) => m.status !== 'MEASURED').length));
  for (const d of drills) {
    if (d.hours === undefined) continue;
    // Hours, which EMF has no unit for: a plain count of hours.
    const hours = Math.round(d.hours * 100) / 100;
    emit({ [DIMENSION_RESOURCE_TYPE]: d.resourceType, [DIMENSION_DRILL_PLAN]: d.plan },
      (metrics) => metrics.addMetric(METRIC_LAST_DRILL_AGE, MetricUnit.Count, hours));
  }
}

export interface MonitorConfig {
  readonly environment: string;
  readonly resources: MonitoredResource[];
  readonly drillPlans: DrillPlan[];
  readonly lookbackDays: number;
}

/** Reads and checks the function's configuration; a clear error names what is wrong. */
export function readConfig(env: NodeJS.ProcessEnv): MonitorConfig {
  const environment = env.ENVIRONMENT;
  if (!environment) throw new Error('ENVIRONMENT must be set to the environment suffix');
  let resources: unknown;
  try {
    resources = JSON.parse(env.RESOURCES ?? '');
  } catch {
    throw new Error(`RESOURCES must be a JSON array of {name, arn, type}, got: ${JSON.stringify(env.RESOURCES)}`);
  }
  const valid = (r: any) => typeof r?.name === 'string' && typeof r?.arn === 'string' && r.arn.startsWith('arn:') && typeof r?.type === 'string';
  if (!Array.isArray(resources) || resources.length === 0 || !resources.every(valid)) {
    throw new Error(`RESOURCES must be a non-empty JSON array of {name, arn, type} with ARNs, got: ${env.RESOURCES}`);
  }
  const lookbackDays = env.DRILL_LOOKBACK_DAYS === undefined ? DRILL_LOOKBACK_DAYS : Number(env.DRILL_LOOKBACK_DAYS);
  if (!(lookbackDays > 0)) throw new Error(`DRILL_LOOKBACK_DAYS must be a positive number, got: ${env.DRILL_LOOKBACK_DAYS}`);
  return {
    environment,
    resources: resources as MonitoredResource[],
    drillPlans: readDrillPlans(env.DRILL_PLANS),
    lookbackDays,
  };
}

function readDrillPlans(text: string | undefined): DrillPlan[] {
  if (!text) return [];
  let plans: unknown;
  try {
    plans = JSON.parse(text);
  } catch {
    throw new Error(`DRILL_PLANS must be a JSON array of {name, arn, types}, got: ${JSON.stringify(text)}`);
  }
  const valid = (p: any) => typeof p?.name === 'string' && p.name.length > 0 && typeof p?.arn === 'string' && p.arn.startsWith('arn:')
    && Array.isArray(p?.types) && p.types.length > 0 && p.types.every((t: unknown) => typeof t === 'string');
  if (!Array.isArray(plans) || !plans.every(valid)) {
    throw new Error(`DRILL_PLANS must be a JSON array of {name, arn, types} with ARNs and at least one type each, got: ${text}`);
  }
  return plans as DrillPlan[];
}

/** Leaves this much of the invocation for publishing. */
const MARGIN_MS = 10_000;
let cachedClients: Clients | undefined;

export async function handler(
  _event: unknown,
  context: { getRemainingTimeInMillis(): number },
): Promise<{ measurements: Measurement[]; drills: DrillAge[] }> {
  const config = readConfig(process.env);
  cachedClients ??= createClients();
  const clients = cachedClients;
  // The SDK learns the offset between this clock and AWS's from responses;
  // ages are computed on AWS's clock where it knows it.
  const clock: Clock = { now: () => Date.now() + (clients.backup.config.systemClockOffset ?? 0), sleep: systemClock.sleep };
  const options: MeasureOptions = { clock, deadline: Date.now() + context.getRemainingTimeInMillis() - MARGIN_MS };
  const measurements = await measureAll(clients, config.resources, options);
  const drills: DrillAge[] = [];
  for (const plan of config.drillPlans) {
    try {
      drills.push(...await measureDrills(clients.backup, plan, config.lookbackDays, options));
    } catch (error) {
      console.error(JSON.stringify({ message: `could not list the restore drills of the ${plan.name} plan`, plan: plan.arn, error: describeError(error) }));
    }
  }
  for (const m of measurements) {
    const line = JSON.stringify({ message: `recovery point age: ${m.name} ${m.status}`, ...m });
    if (m.status === 'MEASURED') console.log(line); else console.error(line);
  }
  publish(config.environment, measurements, drills, clock.now());
  return { measurements, drills };
}
