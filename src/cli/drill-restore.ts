import { randomBytes } from 'crypto';
import { DescribeRestoreJobCommand, DescribeRestoreJobCommandOutput } from '@aws-sdk/client-backup';
import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateDBInstanceCommand, DBCluster, DescribeDBClustersCommand, DescribeDBInstancesCommand, ModifyDBClusterCommand } from '@aws-sdk/client-rds';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Call, DrillClients } from './drill-aws';
import { restoreJobOutcome } from './drill-model';
import { short } from './format';
import { Clock, describeError, isThrottlingError } from '../private/aws-calls';
import type { SmokeQueryRequest, SmokeQueryResult } from '../restore-drill/smoke-query.lambda';

/** The waits of a drill: restore job, Aurora instance, and the checks that the copy is usable. */

/** The drill stopped before its end: Ctrl-C or `--timeout`. */
export class DrillStopped extends Error {
  constructor(readonly why: 'interrupted' | 'timeout', message: string) {
    super(message);
    this.name = 'DrillStopped';
  }
}

export interface Session {
  readonly clients: DrillClients;
  readonly call: Call;
  readonly clock: Clock;
  /** Epoch milliseconds of `--timeout`. */
  readonly deadline: number;
  readonly interrupted: () => boolean;
  /** Resolves on the first Ctrl-C, so a long pause ends at once. */
  readonly wake: Promise<void>;
  readonly progress: (text: string) => void;
  /** First pause between polls; each next one is 1.5 times longer, up to maxPollMs. */
  readonly pollMs: number;
  readonly maxPollMs: number;
}

function checkStop(s: Session, what: string): void {
  if (s.interrupted()) throw new DrillStopped('interrupted', `interrupted while waiting for ${what}`);
  if (s.clock.now() >= s.deadline) throw new DrillStopped('timeout', `--timeout reached while waiting for ${what}`);
}

/**
 * Polls `check` with growing pauses until it returns a value; throttling
 * that outlasts the backoff only delays the next poll.
 */
export async function waitFor<T>(s: Session, what: string, check: () => Promise<T | undefined>): Promise<T> {
  let pause = s.pollMs;
  for (;;) {
    checkStop(s, what);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (!isThrottlingError(error)) throw error;
      s.progress(`throttled while checking ${what}; trying again`);
    }
    checkStop(s, what);
    await Promise.race([s.clock.sleep(Math.min(pause, Math.max(0, s.deadline - s.clock.now()))), s.wake]);
    pause = Math.min(s.maxPollMs, pause * 1.5);
  }
}

/** Waits for the restore job to end; throws when it FAILED or was ABORTED. */
export async function waitForRestoreJob(
  s: Session, restoreJobId: string, onStatus: (job: DescribeRestoreJobCommandOutput) => void,
): Promise<DescribeRestoreJobCommandOutput> {
  const started = s.clock.now();
  return waitFor(s, `restore job ${restoreJobId}`, async () => {
    const job = await s.call(() => s.clients.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId })));
    onStatus(job);
    const outcome = restoreJobOutcome(job.Status);
    s.progress(`restore job ${restoreJobId}: ${job.Status ?? 'no status'}${job.PercentDone ? ` ${job.PercentDone}` : ''} (${short((s.clock.now() - started) / 1000) || '0s'})`);
    if (outcome === 'failed') throw new Error(`restore job ${restoreJobId} ${job.Status}: ${job.StatusMessage ?? 'no message'}`);
    return outcome === 'completed' ? job : undefined;
  });
}

export async function describeCluster(s: Session, id: string): Promise<DBCluster> {
  const out = await s.call(() => s.clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })));
  const cluster = out.DBClusters?.[0];
  if (!cluster) throw new Error(`the restored cluster ${id} is not described`);
  return cluster;
}

/**
 * AWS Backup restores an Aurora cluster without instances (DR-FACTS): the
 * drill adds one (Serverless v2 clusters get db.serverless) and waits until
 * it is available. Returns the cluster as described before, and the class.
 */
export async function addInstance(
  s: Session, clusterId: string, instanceId: string, instanceClass: string, onRequested: () => void,
): Promise<{ cluster: DBCluster; instanceClass: string }> {
  const cluster = await waitFor(s, `restored cluster ${clusterId} available`, async () => {
    const c = await describeCluster(s, clusterId);
    return c.Status === 'available' ? c : undefined;
  });
  // The restored cluster says best whether it is Serverless v2.
  const chosen = cluster.ServerlessV2ScalingConfiguration ? 'db.serverless' : instanceClass;
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
  await s.call(() => s.clients.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: instanceId,
    DBClusterIdentifier: clusterId,
    Engine: cluster.Engine,
    DBInstanceClass: chosen,
    PubliclyAccessible: false,
    Tags: [{ Key: 'dr:drill', Value: 'true' }],
  })));
  onRequested();
  await waitFor(s, `drill instance ${instanceId} available`, async () => {
    const out = await s.call(() => s.clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId })));
    return out.DBInstances?.[0]?.DBInstanceStatus === 'available' ? true : undefined;
  });
  return { cluster, instanceClass: chosen };
}

export interface SmokeOutcome {
  readonly status: 'passed' | 'failed' | 'not run';
  readonly detail: string;
}

/**
 * Runs the library's in-VPC smoke query (RestoreDrill's `dr-drill-smoke-*`
 * function) against the restored copy: its event is the endpoint, port,
 * database, user and a password, so the drill first gives the copy a
 * throwaway master password, as RestoreDrill's validator does. The copy
 * keeps the source's security groups: unless they admit the smoke
 * function's, the connection times out (reported as failed, with that hint).
 */
export async function smokeQuery(s: Session, cluster: DBCluster, functionName: string, newPassword = () => randomBytes(24).toString('base64url')): Promise<SmokeOutcome> {
  const id = cluster.DBClusterIdentifier!;
  const password = newPassword();
  await s.call(() => s.clients.rds.send(new ModifyDBClusterCommand({
    DBClusterIdentifier: id,
    MasterUserPassword: password,
    ManageMasterUserPassword: cluster.MasterUserSecret ? false : undefined,
    ApplyImmediately: true,
  })));
  await Promise.race([s.clock.sleep(s.pollMs), s.wake]);
  await waitFor(s, `new credentials on ${id}`, async () => ((await describeCluster(s, id)).Status === 'available' ? true : undefined));
  const request: SmokeQueryRequest = {
    host: cluster.Endpoint!, port: cluster.Port ?? 5432, database: cluster.DatabaseName ?? 'postgres', user: cluster.MasterUsername!, password,
  };
  try {
    const out = await s.call(() => s.clients.lambda.send(new InvokeCommand({
      FunctionName: functionName, Payload: Buffer.from(JSON.stringify(request)),
    })));
    const body = out.Payload ? JSON.parse(Buffer.from(out.Payload).toString('utf8')) : undefined;
    if (out.FunctionError) {
      const hint = /timeout|ETIMEDOUT|ECONNREFUSED/i.test(`${body?.errorMessage}`) ? ' (the copy keeps the source\'s security groups: do they admit the smoke function\'s?)' : '';
      return { status: 'failed', detail: `${functionName} answered ${body?.errorType ?? out.FunctionError}: ${body?.errorMessage ?? ''}${hint}` };
    }
    const result = body as SmokeQueryResult;
    if (!result?.tls) return { status: 'failed', detail: `${functionName} ran the query without TLS` };
    return { status: 'passed', detail: `answered over TLS: ${String(result.serverVersion).split(' on ')[0]}, database ${result.database}, ${result.userTables} user tables` };
  } catch (error) {
    return { status: 'failed', detail: `invoking ${functionName}: ${describeError(error)}` };
  }
}

/** The restored table is ACTIVE and answers a read. */
export async function checkTable(s: Session, name: string): Promise<string> {
  await waitFor(s, `restored table ${name} ACTIVE`, async () => {
    const out = await s.call(() => s.clients.dynamodb.send(new DescribeTableCommand({ TableName: name })));
    return out.Table?.TableStatus === 'ACTIVE' ? true : undefined;
  });
  const scan = await s.call(() => s.clients.dynamodb.send(new ScanCommand({ TableName: name, Limit: 1 })));
  return `table ${name} is ACTIVE and answered a read (${scan.Count ?? 0} item in the first page of 1)`;
}

/** The restored bucket lists an object: an empty copy proves nothing (like RestoreDrill's validator). */
export async function checkBucket(s: Session, name: string): Promise<string> {
  const out = await s.call(() => s.clients.s3.send(new ListObjectsV2Command({ Bucket: name, MaxKeys: 1 })));
  if (!out.Contents?.length) throw new Error(`the restored bucket ${name} is empty: the restore proved nothing`);
  return `bucket ${name} lists objects (first: ${out.Contents[0].Key})`;
}
