/**
 * Validates what a restore drill restored, reports the verdict to AWS Backup
 * (PutRestoreValidationResult) and publishes the measured RTO: the time from
 * the restore job's creation to a validated, queryable resource.
 *
 * Invoked by EventBridge on `Restore Job State Change` events; jobs that are
 * not from one of this platform's restore testing plans (snapshot and continuous) are ignored.
 * - DynamoDB: the restored table is described (ACTIVE) and read.
 * - S3: the restored bucket is listed and an object read (the configured
 *   probe key, else the first listed); an empty bucket proves nothing and fails.
 * - Aurora: the restored cluster has no instance. One is added, waited for,
 *   the restored copy's master password is replaced by a throwaway, the smoke
 *   query runs over TLS through the in-VPC smoke function, and the instance
 *   is deleted again, whatever the outcome. Waiting for the instance can
 *   outlast one invocation: the function then hands the drill to a fresh
 *   invocation of itself, until the drill's deadline (the validation window,
 *   less a margin) ends it as TIMED_OUT, after deleting the instance.
 * A restore job that FAILED or was ABORTED is counted as a failed drill.
 * Nothing here touches the live resources: only what the drill restored.
 */
import { randomBytes } from 'crypto';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  CreateDBInstanceCommand,
  DBCluster,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { SmokeQueryRequest, SmokeQueryResult } from './smoke-query.lambda';
import { Clock, describeError, systemClock, withBackoff } from '../private/aws-calls';
import { describeRestoreJob, putRestoreValidationResult, RestoreJob, RestoreValidationResult } from '../private/backup-restore-job-call';
import { describeTable, DescribeTableOutput, scan, ScanOutput } from '../private/dynamodb-call';
import { invokeFunction, InvokeResult } from '../private/lambda-invoke-call';
import {
  DIMENSION_ENVIRONMENT,
  DIMENSION_RESOURCE_TYPE,
  DRILL_SERVICE,
  METRIC_DRILL_FAILED,
  METRIC_DRILL_SUCCEEDED,
  METRIC_MEASURED_RTO,
  RECOVERY_NAMESPACE,
} from '../private/recovery-metrics';
import { configuredEndpointUrl, SignedCallOptions } from '../private/signed-call';

export interface DrillConfig {
  readonly environment: string;
  /** The drill's restore testing plans (snapshot, continuous): jobs of any other plan are ignored. */
  readonly restoreTestingPlanArns: string[];
  readonly smokeQueryFunction: string;
  readonly validationWindowHours: number;
  /** Instance class for the drill instance when the restored cluster is not Serverless v2. */
  readonly instanceClass: string;
  readonly s3ProbeKey?: string;
  /** The protected (live) resources, which a drill must never touch. */
  readonly liveResourceArns?: string[];
}

/** The DynamoDB calls a drill makes, each one attempt (src/private/dynamodb-call.ts in the handler). */
export interface DrillTables {
  readonly describeTable: (input: { TableName: string }) => Promise<DescribeTableOutput>;
  readonly scan: (input: { TableName: string; Limit: number }) => Promise<ScanOutput>;
}

/** The AWS Backup calls a drill makes, each one attempt (src/private/backup-restore-job-call.ts in the handler). */
export interface DrillRestoreJobs {
  readonly describeRestoreJob: (restoreJobId: string) => Promise<RestoreJob>;
  readonly putRestoreValidationResult: (input: RestoreValidationResult) => Promise<void>;
}

export interface DrillDeps {
  readonly backup: DrillRestoreJobs;
  readonly rds: RDSClient;
  readonly dynamodb: DrillTables;
  readonly s3: S3Client;
  readonly clock: Clock;
  /** Runs the smoke query inside the VPC. */
  readonly smokeQuery: (request: SmokeQueryRequest) => Promise<SmokeQueryResult>;
  /** Hands the drill to a fresh invocation. */
  readonly continueLater: (restoreJobId: string) => Promise<void>;
  /** A throwaway password for the restored copy. */
  readonly newPassword?: () => string;
  /** Pause between status polls. */
  readonly pollIntervalMs?: number;
  readonly log?: (entry: Record<string, unknown>) => void;
}

export type DrillStatus = 'SUCCESSFUL' | 'FAILED' | 'TIMED_OUT' | 'CONTINUED' | 'IGNORED';

export interface DrillOutcome {
  readonly restoreJobId: string;
  readonly status: DrillStatus;
  readonly message: string;
  readonly resourceType?: string;
  readonly createdResourceArn?: string;
  /** The plan that ran the restore, which says the recovery point kind (snapshot or continuous). */
  readonly restoreTestingPlanArn?: string;
  /** Restore job created to validated and queryable, on SUCCESSFUL. */
  readonly rtoSeconds?: number;
  /**
   * Why AWS Backup refused the verdict (PutRestoreValidationResult), when it
   * did: the drill then counts as failed, whatever the restore showed, since
   * AWS Backup holds no record of it.
   */
  readonly reportError?: string;
}

/** Kept free at the end of the validation window for clean-up and reporting. */
export const DRILL_DEADLINE_MARGIN_MS = 15 * 60_000;
/** Kept free at the end of an invocation to hand over or clean up. */
export const INVOCATION_MARGIN_MS = 60_000;

/** An internal signal: this invocation is out of time, the next one goes on. */
class OutOfInvocationTime extends Error {}
class DrillTimedOut extends Error {}

/**
 * Validates one restore job. Never throws: every failure becomes a FAILED or
 * TIMED_OUT verdict, reported to AWS Backup, with what was restored cleaned up.
 */
export async function validateRestore(
  restoreJobId: string,
  config: DrillConfig,
  deps: DrillDeps,
  invocationDeadline: number,
): Promise<DrillOutcome> {
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const call = <T>(fn: () => Promise<T>) => withBackoff(fn, { clock: deps.clock, deadline: invocationDeadline });
  let job: RestoreJob;
  try {
    job = await call(() => deps.backup.describeRestoreJob(restoreJobId));
  } catch (error) {
    return { restoreJobId, status: 'FAILED', message: `could not describe restore job ${restoreJobId}: ${describeError(error)}` };
  }
  const plan = job.CreatedBy?.RestoreTestingPlanArn;
  const base = { restoreJobId, resourceType: job.ResourceType, createdResourceArn: job.CreatedResourceArn, restoreTestingPlanArn: plan };
  if (plan === undefined || !config.restoreTestingPlanArns.includes(plan)) {
    return { ...base, status: 'IGNORED', message: `restore job ${restoreJobId} is not from ${config.restoreTestingPlanArns.join(' or ')}` };
  }
  if (job.CreatedResourceArn && config.liveResourceArns?.includes(job.CreatedResourceArn)) {
    // Never validate (and so never modify) a live resource, whatever the job says.
    return { ...base, status: 'FAILED', message: `restore job ${restoreJobId} names the live resource ${job.CreatedResourceArn}: a drill only touches restored copies` };
  }
  if (job.Status !== 'COMPLETED') {
    // Nothing was restored to validate; AWS Backup marks the test failed itself.
    return { ...base, status: 'FAILED', message: `the restore itself did not complete: ${job.Status} ${job.StatusMessage ?? ''}`.trim() };
  }
  const created = job.CreationDate?.getTime();
  if (!created || !job.CreatedResourceArn) {
    return report(deps, { ...base, status: 'FAILED', message: 'the restore job reports no creation date or restored resource' }, call);
  }
  // The validation window opens when the restore completes; the RTO counts from its creation.
  const windowStart = job.CompletionDate?.getTime() ?? created;
  const drillDeadline = windowStart + config.validationWindowHours * 3_600_000 - DRILL_DEADLINE_MARGIN_MS;
  const deadlines = { drill: drillDeadline, invocation: invocationDeadline };

  let outcome: DrillOutcome;
  try {
    let validated: Validated;
    if (job.ResourceType === 'DynamoDB') {
      validated = await validateTable(job.CreatedResourceArn, deps, call);
    } else if (job.ResourceType === 'S3') {
      validated = await validateBucket(job.CreatedResourceArn, config, deps, call);
    } else if (job.ResourceType === 'Aurora') {
      // No VALIDATING first: AWS Backup documents that a validation status,
      // once set, cannot be changed, so only the final verdict is sent.
      // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutRestoreValidationResult.html
      validated = await validateCluster(job.CreatedResourceArn, config, deps, deadlines, call, log);
    } else {
      throw new Error(`resource type ${job.ResourceType} is not one this validator knows how to check`);
    }
    const rtoSeconds = Math.max(0, Math.round((validated.validatedAt - created) / 1000));
    outcome = { ...base, status: 'SUCCESSFUL', message: `${validated.detail}; restored and validated in ${formatDuration(rtoSeconds)}`, rtoSeconds };
  } catch (error) {
    if (error instanceof OutOfInvocationTime) {
      await deps.continueLater(restoreJobId);
      return { ...base, status: 'CONTINUED', message: error.message };
    }
    const status = error instanceof DrillTimedOut ? 'TIMED_OUT' : 'FAILED';
    outcome = { ...base, status, message: error instanceof DrillTimedOut ? error.message : describeError(error) };
  }
  return report(deps, outcome, call);
}

async function report(deps: DrillDeps, outcome: DrillOutcome, call: <T>(fn: () => Promise<T>) => Promise<T>): Promise<DrillOutcome> {
  try {
    await call(() => deps.backup.putRestoreValidationResult({
      RestoreJobId: outcome.restoreJobId,
      ValidationStatus: outcome.status as 'SUCCESSFUL' | 'FAILED' | 'TIMED_OUT',
      // The API takes a free-form message; keep it readable in the console.
      ValidationStatusMessage: outcome.message.slice(0, 1000),
    }));
    return outcome;
  } catch (error) {
    const reportError = describeError(error);
    return { ...outcome, reportError, message: `${outcome.message}; the verdict could not be reported to AWS Backup: ${reportError}` };
  }
}

/** What a validator proved, and when the resource was first seen validated (the end of the RTO). */
interface Validated {
  readonly detail: string;
  readonly validatedAt: number;
}

async function validateTable(arn: string, deps: DrillDeps, call: <T>(fn: () => Promise<T>) => Promise<T>): Promise<Validated> {
  const tableName = arn.split(':table/')[1]?.split('/')[0];
  if (!tableName) throw new Error(`not a DynamoDB table ARN: ${arn}`);
  const { Table } = await call(() => deps.dynamodb.describeTable({ TableName: tableName }));
  if (Table?.TableStatus !== 'ACTIVE') {
    throw new Error(`the restored table ${tableName} is ${Table?.TableStatus ?? 'not described'}, not ACTIVE`);
  }
  const read = await call(() => deps.dynamodb.scan({ TableName: tableName, Limit: 1 }));
  return {
    validatedAt: deps.clock.now(),
    detail: `table ${tableName} is ACTIVE and readable (${read.Count ?? 0} item read, ${Table.ItemCount ?? 'unknown'} items reported)`,
  };
}

async function validateBucket(arn: string, config: DrillConfig, deps: DrillDeps, call: <T>(fn: () => Promise<T>) => Promise<T>): Promise<Validated> {
  const bucket = arn.split(':::')[1];
  if (!bucket) throw new Error(`not an S3 bucket ARN: ${arn}`);
  const listing = await call(() => deps.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 10 })));
  const key = config.s3ProbeKey ?? listing.Contents?.[0]?.Key;
  if (!key) {
    throw new Error(`the restored bucket ${bucket} holds no object to read: an empty restore proves nothing`);
  }
  const object = await call(() => deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-1023' })));
  const bytes = (await object.Body?.transformToByteArray())?.length ?? 0;
  return {
    validatedAt: deps.clock.now(),
    detail: `bucket ${bucket} lists objects and ${JSON.stringify(key)} reads (${bytes} bytes read)`,
  };
}

/** The drill instance's identifier: at most 63 characters, no trailing or doubled hyphen. */
export function drillInstanceId(clusterId: string): string {
  return `drill-${clusterId}`.slice(0, 63).replace(/-+$/, '').replace(/--+/g, '-');
}

async function validateCluster(
  arn: string,
  config: DrillConfig,
  deps: DrillDeps,
  deadlines: { drill: number; invocation: number },
  call: <T>(fn: () => Promise<T>) => Promise<T>,
  log: (entry: Record<string, unknown>) => void,
): Promise<Validated> {
  const clusterId = arn.split(':cluster:')[1];
  if (!clusterId) throw new Error(`not an Aurora cluster ARN: ${arn}`);
  const instanceId = drillInstanceId(clusterId);
  const poll = deps.pollIntervalMs ?? 30_000;
  const describeCluster = async (): Promise<DBCluster> => {
    const out = await call(() => deps.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })));
    const cluster = out.DBClusters?.[0];
    if (!cluster) throw new Error(`the restored cluster ${clusterId} is not described`);
    return cluster;
  };
  /** Polls until `ready` says yes; out of invocation time hands over, out of drill time ends the drill. */
  const waitFor = async (what: string, ready: () => Promise<boolean>) => {
    for (;;) {
      if (await ready()) return;
      const now = deps.clock.now();
      if (now + poll > deadlines.drill) throw new DrillTimedOut(`${what} did not happen within the validation window`);
      if (now + poll > deadlines.invocation - INVOCATION_MARGIN_MS) throw new OutOfInvocationTime(`still waiting: ${what}`);
      await deps.clock.sleep(poll);
    }
  };
  let instanceRequested = false;
  try {
    if (deps.clock.now() > deadlines.drill) throw new DrillTimedOut('the validation window ended before the instance was added');
    await waitFor(`restored cluster ${clusterId} available`, async () => (await describeCluster()).Status === 'available');
    const cluster = await describeCluster();
    const existing = await call(() => deps.rds.send(new DescribeDBInstancesCommand({
      Filters: [{ Name: 'db-cluster-id', Values: [clusterId] }],
    })));
    instanceRequested = (existing.DBInstances ?? []).some((i) => i.DBInstanceIdentifier === instanceId);
    if (!instanceRequested) {
      instanceRequested = true;
      await call(() => deps.rds.send(new CreateDBInstanceCommand({
        DBInstanceIdentifier: instanceId,
        DBClusterIdentifier: clusterId,
        Engine: cluster.Engine,
        DBInstanceClass: cluster.ServerlessV2ScalingConfiguration ? 'db.serverless' : config.instanceClass,
        PubliclyAccessible: false,
        Tags: [{ Key: 'dr:drill', Value: 'true' }, { Key: 'dr:environment', Value: config.environment }],
      })));
      log({ message: `drill instance ${instanceId} requested for ${clusterId}` });
    }
    await waitFor(`drill instance ${instanceId} available`, async () => {
      const out = await call(() => deps.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId })));
      return out.DBInstances?.[0]?.DBInstanceStatus === 'available';
    });

    // The restored copy keeps the live cluster's credentials (or a managed
    // secret the validator may not read): give the copy a throwaway password.
    const password = (deps.newPassword ?? (() => randomBytes(24).toString('base64url')))();
    await call(() => deps.rds.send(new ModifyDBClusterCommand({
      DBClusterIdentifier: clusterId,
      MasterUserPassword: password,
      ManageMasterUserPassword: cluster.MasterUserSecret ? false : undefined,
      ApplyImmediately: true,
    })));
    await deps.clock.sleep(poll);
    await waitFor(`new credentials on ${clusterId}`, async () => (await describeCluster()).Status === 'available');

    const request: SmokeQueryRequest = {
      host: cluster.Endpoint!,
      port: cluster.Port ?? 5432,
      database: cluster.DatabaseName ?? 'postgres',
      user: cluster.MasterUsername!,
      password,
    };
    const result = await deps.smokeQuery(request);
    if (!result.tls) throw new Error('the smoke query ran without TLS');
    const validatedAt = deps.clock.now();
    const cleanup = await deleteInstance(instanceId, deps, call);
    return {
      validatedAt,
      detail: `cluster ${clusterId} answered the smoke query over TLS (${result.serverVersion.split(' on ')[0]}, `
        + `database ${result.database}, ${result.userTables} user tables); ${cleanup}`,
    };
  } catch (error) {
    if (error instanceof OutOfInvocationTime) throw error;
    throw appendCleanup(error, instanceRequested ? await deleteInstance(instanceId, deps, call) : undefined);
  }
}

function appendCleanup(error: unknown, cleanup: string | undefined): Error {
  if (!cleanup) return error as Error;
  const e = error instanceof DrillTimedOut ? new DrillTimedOut(`${(error as Error).message}; ${cleanup}`) : new Error(`${describeError(error)}; ${cleanup}`);
  return e;
}

async function deleteInstance(instanceId: string, deps: DrillDeps, call: <T>(fn: () => Promise<T>) => Promise<T>): Promise<string> {
  try {
    await call(() => deps.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: instanceId, SkipFinalSnapshot: true })));
    return `drill instance ${instanceId} deleted`;
  } catch (error) {
    if ((error as Error).name === 'DBInstanceNotFoundFault') return `drill instance ${instanceId} already gone`;
    return `drill instance ${instanceId} could not be deleted (${describeError(error)}): AWS Backup deletes the restored cluster at the end of the validation window`;
  }
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min`;
}

/** One EMF document per drill: the measured RTO on success, and the success and failure counts. */
export function publishDrill(environment: string, outcome: DrillOutcome, timestamp: number): void {
  if (!['SUCCESSFUL', 'FAILED', 'TIMED_OUT'].includes(outcome.status) || !outcome.resourceType) return;
  const metrics = new Metrics({ namespace: RECOVERY_NAMESPACE, serviceName: DRILL_SERVICE });
  metrics.setTimestamp(timestamp);
  metrics.addDimensions({ [DIMENSION_ENVIRONMENT]: environment, [DIMENSION_RESOURCE_TYPE]: outcome.resourceType });
  // Both counts every time, so an alarm that keeps its state between drills
  // (missing data ignored) always holds the last drill's verdict.
  // A verdict AWS Backup refused is no evidence: counted as a failed drill, so the failure alarm fires.
  const succeeded = outcome.status === 'SUCCESSFUL' && outcome.reportError === undefined;
  if (succeeded) metrics.addMetric(METRIC_MEASURED_RTO, MetricUnit.Seconds, outcome.rtoSeconds!);
  metrics.addMetric(METRIC_DRILL_SUCCEEDED, MetricUnit.Count, succeeded ? 1 : 0);
  metrics.addMetric(METRIC_DRILL_FAILED, MetricUnit.Count, succeeded ? 0 : 1);
  metrics.publishStoredMetrics();
}

export function readDrillConfig(env: NodeJS.ProcessEnv): DrillConfig {
  const missing = ['ENVIRONMENT', 'RESTORE_TESTING_PLAN_ARNS', 'SMOKE_QUERY_FUNCTION', 'VALIDATION_WINDOW_HOURS'].filter((k) => !env[k]);
  if (missing.length) throw new Error(`missing configuration: ${missing.join(', ')}`);
  const hours = Number(env.VALIDATION_WINDOW_HOURS);
  if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
    throw new Error(`VALIDATION_WINDOW_HOURS must be a whole number from 1 to 168, got: ${env.VALIDATION_WINDOW_HOURS}`);
  }
  const plans = env.RESTORE_TESTING_PLAN_ARNS!.split(',').map((p) => p.trim());
  if (plans.some((p) => !p.startsWith('arn:'))) {
    throw new Error(`RESTORE_TESTING_PLAN_ARNS must be a comma-separated list of restore testing plan ARNs, got: ${env.RESTORE_TESTING_PLAN_ARNS}`);
  }
  return {
    environment: env.ENVIRONMENT!,
    restoreTestingPlanArns: plans,
    smokeQueryFunction: env.SMOKE_QUERY_FUNCTION!,
    validationWindowHours: hours,
    instanceClass: env.DRILL_INSTANCE_CLASS || 'db.t4g.medium',
    s3ProbeKey: env.S3_PROBE_KEY || undefined,
    liveResourceArns: (env.LIVE_RESOURCE_ARNS ?? '').split(',').filter(Boolean),
  };
}

/** The restore job the event is about: an EventBridge restore event, or this function's own hand-over. */
export function restoreJobIdOf(event: any): { restoreJobId: string; continuation: boolean } {
  if (typeof event?.drillContinuation?.restoreJobId === 'string') {
    return { restoreJobId: event.drillContinuation.restoreJobId, continuation: true };
  }
  if (event?.source === 'aws.backup' && typeof event?.detail?.restoreJobId === 'string') {
    return { restoreJobId: event.detail.restoreJobId, continuation: false };
  }
  throw new Error(`not a restore job event: expected source aws.backup with detail.restoreJobId, got: ${JSON.stringify(event)?.slice(0, 300)}`);
}

/**
 * Runs the smoke query through the in-VPC function (`invoke` sends the
 * request, src/private/lambda-invoke-call.ts): its result, or an error with
 * the function's own error type and message when it failed.
 */
export async function smokeQueryThrough(invoke: (payload: string) => Promise<InvokeResult>, request: SmokeQueryRequest): Promise<SmokeQueryResult> {
  const out = await invoke(JSON.stringify(request));
  let body: any;
  try {
    body = out.payload ? JSON.parse(out.payload) : undefined;
  } catch {
    if (!out.functionError) throw new Error(`the smoke query function answered something that is not JSON: ${JSON.stringify(out.payload.slice(0, 200))}`);
  }
  if (out.functionError) throw new Error(`smoke query failed: ${body?.errorType ?? out.functionError}: ${body?.errorMessage ?? out.payload.slice(0, 200)}`);
  return body as SmokeQueryResult;
}

export async function handler(
  event: unknown,
  context: { functionName: string; getRemainingTimeInMillis(): number },
): Promise<DrillOutcome> {
  const config = readDrillConfig(process.env);
  const { restoreJobId } = restoreJobIdOf(event);
  const sdk = { retryMode: 'adaptive', maxAttempts: 5 };
  const invocationDeadline = Date.now() + context.getRemainingTimeInMillis();
  // The hand-written calls (src/private/signed-call.ts), in this function's Region with its role's credentials.
  const signed = (serviceEnvName: string): SignedCallOptions => ({
    region: process.env.AWS_REGION!,
    credentials: defaultProvider(),
    endpointUrl: configuredEndpointUrl(process.env, serviceEnvName),
  });
  const tables = signed('DYNAMODB');
  const restoreJobs = signed('BACKUP');
  const functions = signed('LAMBDA');
  // One attempt each; throttling is retried here, as the SDK's retry did.
  const invoke = (functionName: string, payload: string, type: 'RequestResponse' | 'Event') =>
    withBackoff(() => invokeFunction(functionName, payload, type, functions), { clock: systemClock, deadline: invocationDeadline });
  const deps: DrillDeps = {
    backup: {
      describeRestoreJob: (id) => describeRestoreJob(id, restoreJobs),
      putRestoreValidationResult: (input) => putRestoreValidationResult(input, restoreJobs),
    },
    rds: new RDSClient(sdk),
    dynamodb: { describeTable: (input) => describeTable(input, tables), scan: (input) => scan(input, tables) },
    s3: new S3Client(sdk),
    clock: systemClock,
    smokeQuery: (request) => smokeQueryThrough((payload) => invoke(config.smokeQueryFunction, payload, 'RequestResponse'), request),
    continueLater: async (id) => {
      await invoke(context.functionName, JSON.stringify({ drillContinuation: { restoreJobId: id } }), 'Event');
    },
  };
  const outcome = await validateRestore(restoreJobId, config, deps, invocationDeadline);
  const line = JSON.stringify({ event: 'restore drill', ...outcome });
  if (outcome.status === 'FAILED' || outcome.status === 'TIMED_OUT' || outcome.reportError !== undefined) console.error(line); else console.log(line);
  publishDrill(config.environment, outcome, Date.now());
  return outcome;
}
