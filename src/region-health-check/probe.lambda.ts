/**
 * Probes, once a minute from inside the region's VPC, whether this region can
 * serve the workload, and publishes the verdict as CloudWatch metrics in
 * embedded metric format (a log line: no PutMetricData call, no monitoring
 * endpoint in the VPC).
 *
 * Checks (each optional, all run at once, each bounded by CHECK_TIMEOUT_MS):
 * - database: a TCP connection to DB_HOST:DB_PORT (the cluster answers on its
 *   port; no credentials, no query);
 * - table: a GetItem of a key that is never written (TABLE_KEY) on TABLE_NAME,
 *   through the DynamoDB gateway endpoint: the data plane answers, found or not;
 * - bucket: HeadBucket on BUCKET_NAME through the S3 gateway endpoint.
 *
 * `RegionHealthy` is 1 when every configured check passed and 0 otherwise;
 * each check also publishes `CheckHealthy` and `CheckLatency`. A throttled
 * call is retried with backoff until the check's deadline; if it is still
 * throttled then, the check counts as passed and says THROTTLED: the regional
 * endpoint answered, and a busy table or bucket is no reason to move a whole
 * workload to another region. Any other error, a timeout or a refused
 * connection fails the check.
 *
 * A bad configuration throws with what is wrong: the run then publishes
 * nothing, which the alarm treats as unhealthy.
 */
import * as net from 'net';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CheckName,
  DIMENSION_CHECK,
  DIMENSION_ENVIRONMENT,
  METRIC_CHECK_HEALTHY,
  METRIC_CHECK_LATENCY,
  METRIC_REGION_HEALTHY,
  REGION_HEALTH_NAMESPACE,
  REGION_HEALTH_SERVICE,
} from './health-metrics';
import { Clock, describeError, isThrottlingError, systemClock, withBackoff } from '../private/aws-calls';

export interface DatabaseTarget {
  readonly host: string;
  readonly port: number;
}

export interface TableTarget {
  readonly tableName: string;
  /** The probe key: every key attribute of the table, with a value no item has. */
  readonly key: Record<string, AttributeValue>;
}

export interface ProbeConfig {
  readonly environment: string;
  readonly database?: DatabaseTarget;
  readonly table?: TableTarget;
  readonly bucketName?: string;
  /** How long one check may take, retries included. */
  readonly timeoutMs: number;
}

export type CheckStatus = 'HEALTHY' | 'THROTTLED' | 'UNHEALTHY';

export interface CheckResult {
  readonly check: CheckName;
  readonly status: CheckStatus;
  readonly latencyMs: number;
  /** What went wrong, or what the check saw. */
  readonly detail?: string;
}

export interface Clients {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
}

/** Opens a socket (net.createConnection); replaceable in tests. */
export type Connect = (options: net.NetConnectOpts) => net.Socket;

export interface ProbeOptions {
  readonly clock: Clock;
  readonly connect?: Connect;
  readonly backoff?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number; readonly maxAttempts?: number };
}

/** The default bound of one check: well inside the one-minute schedule and the function's timeout. */
export const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Two SDK attempts at most: the probe's own backoff (bounded by the check's
 * deadline) handles throttling, and a slow answer is an answer about the
 * region, not something to wait out.
 */
export function createClients(): Clients {
  const config = { maxAttempts: 2 };
  return { dynamodb: new DynamoDBClient(config), s3: new S3Client(config) };
}

/** Reads and checks the function's configuration; the error names the variable and the value. */
export function readConfig(env: NodeJS.ProcessEnv): ProbeConfig {
  const environment = env.ENVIRONMENT;
  if (!environment) throw new Error('ENVIRONMENT must be set to the environment suffix');

  let database: DatabaseTarget | undefined;
  if (env.DB_HOST !== undefined || env.DB_PORT !== undefined) {
    const port = Number(env.DB_PORT);
    if (!env.DB_HOST) throw new Error(`DB_HOST must be set with DB_PORT, got: ${JSON.stringify(env.DB_HOST)}`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`DB_PORT must be a port number from 1 to 65535, got: ${JSON.stringify(env.DB_PORT)}`);
    }
    database = { host: env.DB_HOST, port };
  }

  let table: TableTarget | undefined;
  if (env.TABLE_NAME !== undefined || env.TABLE_KEY !== undefined) {
    if (!env.TABLE_NAME) throw new Error(`TABLE_NAME must be set with TABLE_KEY, got: ${JSON.stringify(env.TABLE_NAME)}`);
    let key: unknown;
    try {
      key = JSON.parse(env.TABLE_KEY ?? '');
    } catch {
      throw new Error(`TABLE_KEY must be a JSON object of key attributes ({"pk":{"S":"..."}}), got: ${JSON.stringify(env.TABLE_KEY)}`);
    }
    const attributeValue = (v: unknown) => {
      if (typeof v !== 'object' || v === null) return false;
      const entries = Object.entries(v);
      return entries.length === 1 && ['S', 'N', 'B'].includes(entries[0][0]) && typeof entries[0][1] === 'string';
    };
    if (typeof key !== 'object' || key === null || Array.isArray(key)
      || !(Object.keys(key).length >= 1 && Object.keys(key).length <= 8) || !Object.values(key).every(attributeValue)) {
      throw new Error(`TABLE_KEY must be a JSON object of 1 to 8 key attributes, each {"S"|"N"|"B": string}, got: ${env.TABLE_KEY}`);
    }
    const decoded: Record<string, AttributeValue> = {};
    for (const [name, value] of Object.entries(key as Record<string, Record<string, string>>)) {
      decoded[name] = 'B' in value ? { B: Buffer.from(value.B, 'base64') } : 'N' in value ? { N: value.N } : { S: value.S };
    }
    table = { tableName: env.TABLE_NAME, key: decoded };
  }

  const bucketName = env.BUCKET_NAME || undefined;
  if (!database && !table && !bucketName) {
    throw new Error('nothing to check: set DB_HOST and DB_PORT, TABLE_NAME and TABLE_KEY, or BUCKET_NAME');
  }
  const timeoutMs = Number(env.CHECK_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 20_000) {
    throw new Error(`CHECK_TIMEOUT_MS must be a whole number of milliseconds from 100 to 20000, got: ${JSON.stringify(env.CHECK_TIMEOUT_MS)}`);
  }
  return { environment, database, table, bucketName, timeoutMs };
}

/** Opens a TCP connection and closes it at once; rejects on refusal, DNS failure or timeout. */
export function connectTcp(host: string, port: number, timeoutMs: number, connect: Connect = net.createConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TCP connection to ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(`TCP connection to ${host}:${port} failed: ${error.code ?? error.message}`));
    });
  });
}

/** Rejects when `promise` has not settled within `ms`; aborts the call through `controller`. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string, controller?: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller?.abort();
      reject(new Error(`${what} did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every configured check at once; never throws for one check's sake. */
export async function runChecks(clients: Clients, config: ProbeConfig, options: ProbeOptions): Promise<CheckResult[]> {
  const checks: Array<[CheckName, (deadline: number, controller: AbortController) => Promise<string | undefined>]> = [];
  const call = <T>(fn: () => Promise<T>, deadline: number) =>
    withBackoff(fn, { clock: options.clock, deadline, ...options.backoff });

  if (config.database) {
    const { host, port } = config.database;
    checks.push(['database', async () => {
      await connectTcp(host, port, config.timeoutMs, options.connect);
      return `${host}:${port} accepts connections`;
    }]);
  }
  if (config.table) {
    const { tableName, key } = config.table;
    checks.push(['table', async (deadline, controller) => {
      const getItem = new GetItemCommand({ TableName: tableName, Key: key });
      const out = await call(() => clients.dynamodb.send(getItem, { abortSignal: controller.signal }), deadline);
      return `GetItem on ${tableName} answered (${out.Item ? 'an item exists under the probe key' : 'no item, as expected'})`;
    }]);
  }
  if (config.bucketName) {
    const bucket = config.bucketName;
    checks.push(['bucket', async (deadline, controller) => {
      await call(() => clients.s3.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: controller.signal }), deadline);
      return `HeadBucket on ${bucket} answered`;
    }]);
  }

  return Promise.all(checks.map(async ([check, run]): Promise<CheckResult> => {
    const started = options.clock.now();
    const controller = new AbortController();
    const latency = () => Math.max(0, Math.round(options.clock.now() - started));
    try {
      const detail = await withTimeout(run(started + config.timeoutMs, controller), config.timeoutMs, `the ${check} check`, controller);
      return { check, status: 'HEALTHY', latencyMs: latency(), detail };
    } catch (error) {
      if (isThrottlingError(error)) {
        return { check, status: 'THROTTLED', latencyMs: latency(), detail: `throttled until the deadline, counted as answering: ${describeError(error)}` };
      }
      return { check, status: 'UNHEALTHY', latencyMs: latency(), detail: explain(check, error) };
    }
  }));
}

/** An error as an on-call engineer needs it: what failed and the likely cause. */
function explain(check: CheckName, error: unknown): string {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  if (check === 'bucket' && (e?.name === 'NotFound' || status === 404)) return `the bucket does not exist (${describeError(error)})`;
  if (check === 'bucket' && (e?.name === 'Forbidden' || status === 403)) return `access denied: the probe's role lacks s3:ListBucket on the bucket, or a policy denies it (${describeError(error)})`;
  if (check === 'table' && e?.name === 'ResourceNotFoundException') return `the table does not exist in this region (${describeError(error)})`;
  if (check === 'table' && e?.name === 'ValidationException') return `the probe key does not match the table's key schema (${describeError(error)})`;
  if (e?.name === 'AccessDeniedException') return `access denied (${describeError(error)})`;
  return describeError(error);
}

/** Whether the region passed: no check failed (a throttled answer is an answer). */
export function regionHealthy(results: readonly CheckResult[]): boolean {
  return results.length > 0 && results.every((r) => r.status !== 'UNHEALTHY');
}

/** One EMF document for the region, one per check with its own `Check` dimension. Standard resolution (Route 53 refuses high resolution). */
export function publish(environment: string, results: readonly CheckResult[], timestamp: number): void {
  const emit = (dimensions: Record<string, string>, add: (m: Metrics) => void) => {
    const metrics = new Metrics({ namespace: REGION_HEALTH_NAMESPACE, serviceName: REGION_HEALTH_SERVICE });
    metrics.setTimestamp(timestamp);
    metrics.addDimensions({ [DIMENSION_ENVIRONMENT]: environment, ...dimensions });
    add(metrics);
    metrics.publishStoredMetrics();
  };
  emit({}, (m) => m.addMetric(METRIC_REGION_HEALTHY, MetricUnit.Count, regionHealthy(results) ? 1 : 0));
  for (const r of results) {
    emit({ [DIMENSION_CHECK]: r.check }, (m) => {
      m.addMetric(METRIC_CHECK_HEALTHY, MetricUnit.Count, r.status === 'UNHEALTHY' ? 0 : 1);
      m.addMetric(METRIC_CHECK_LATENCY, MetricUnit.Milliseconds, r.latencyMs);
    });
  }
}

let cachedClients: Clients | undefined;

export async function handler(): Promise<{ healthy: boolean; results: CheckResult[] }> {
  const config = readConfig(process.env);
  cachedClients ??= createClients();
  const results = await runChecks(cachedClients, config, { clock: systemClock });
  for (const r of results) {
    const line = JSON.stringify({ message: `region health: ${r.check} ${r.status}`, ...r });
    if (r.status === 'UNHEALTHY') console.error(line); else console.log(line);
  }
  const healthy = regionHealthy(results);
  publish(config.environment, results, Date.now());
  return { healthy, results };
}
