/**
 * The corroboration behind an automatic failover, measured every minute
 * from the secondary region: is the primary region impaired, and is the
 * secondary ready to take writes? It publishes two metrics (embedded metric
 * format, so it needs no CloudWatch permission to publish):
 *
 * - `PrimaryImpaired`: 1 on positive evidence only: the primary region's
 *   RDS API cannot be reached (network error, timeout, HTTP 5xx), or the
 *   primary's own region health alarm is in ALARM. 0 when the primary's RDS
 *   API answers and its health alarm (when there is one) is OK. Nothing at
 *   all when this function cannot tell (its own permissions, throttling, an
 *   alarm with insufficient data): silence must never count as an outage.
 * - `SecondaryReady`: 1 when the secondary cluster could take writes after
 *   a promotion: its status is `available`, it is a member of the global
 *   cluster, and it has an `available` instance. 0 otherwise; nothing when
 *   the RDS API of this region cannot be read, which the alarm on it treats
 *   as not ready.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { errorOf, HttpRequestLike, HttpResponseLike, sendSignedJson, Transport } from '../private/arc-region-switch-client';
import { isThrottlingError } from '../private/aws-calls';
import {
  DIMENSION_ENVIRONMENT, FAILOVER_WATCH_SERVICE, METRIC_PRIMARY_IMPAIRED, METRIC_SECONDARY_READY, RECOVERY_NAMESPACE,
} from '../private/recovery-metrics';

export interface FailoverWatchConfig {
  readonly environment: string;
  readonly primaryRegion: string;
  readonly primaryClusterId: string;
  /** The primary's region health alarm, when the platform has one (with `routing`). */
  readonly primaryHealthAlarm?: string;
  readonly secondaryClusterId: string;
  readonly globalClusterId: string;
}

export function readConfig(env: Record<string, string | undefined>): FailoverWatchConfig {
  const missing = ['ENVIRONMENT', 'PRIMARY_REGION', 'PRIMARY_CLUSTER_ID', 'SECONDARY_CLUSTER_ID', 'GLOBAL_CLUSTER_ID'].filter((k) => !env[k]);
  if (missing.length) throw new Error(`failover-watch is misconfigured: ${missing.join(', ')} not set`);
  return {
    environment: env.ENVIRONMENT!,
    primaryRegion: env.PRIMARY_REGION!,
    primaryClusterId: env.PRIMARY_CLUSTER_ID!,
    primaryHealthAlarm: env.PRIMARY_HEALTH_ALARM || undefined,
    secondaryClusterId: env.SECONDARY_CLUSTER_ID!,
    globalClusterId: env.GLOBAL_CLUSTER_ID!,
  };
}

type Sender = { send(command: any): Promise<any> };

/** An error that says the region's endpoint could not be reached or failed on its side, not that this caller was refused. */
export function isUnreachable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  const networkCodes = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
  return ['TimeoutError', 'RequestTimeout', 'NetworkingError', 'NetworkError'].includes(e?.name ?? '') || networkCodes.includes(e?.code ?? '');
}

export interface Evidence {
  /** 1 impaired, 0 healthy, undefined unknown. */
  readonly value: 0 | 1 | undefined;
  readonly reason: string;
}

/** The state of one metric alarm of a region (CloudWatch DescribeAlarms), or an error. */
export type AlarmStateReader = (alarmName: string, region: string) => Promise<string | undefined>;

/**
 * CloudWatch's DescribeAlarms through its Query API (awsQuery: a form body,
 * an XML answer), signed for `monitoring`, with a 5-second timeout: one call
 * does not justify the SDK's CloudWatch client in the bundle. Wire format:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 * and the reference's "Making API requests" page.
 */
export function queryAlarmState(transport: Transport = timedFetch(5_000), endpointUrl?: string): AlarmStateReader {
  return async (alarmName, region) => {
    const body = new URLSearchParams({ 'Action': 'DescribeAlarms', 'Version': '2010-08-01', 'AlarmNames.member.1': alarmName, 'AlarmTypes.member.1': 'MetricAlarm' }).toString();
    const response = await sendSignedJson({
      url: endpointUrl ?? `https://monitoring.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}/`,
      service: 'monitoring',
      region,
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
      body,
      credentials: defaultProvider(),
      signingDate: new Date(),
    }, transport);
    if (response.status < 200 || response.status >= 300) {
      // The Query API's error is XML: its <Code> is the error's name.
      const code = /<Code>([^<]+)<\/Code>/.exec(response.body)?.[1];
      throw errorOf({ ...response, body: JSON.stringify({ __type: code ?? `HTTP${response.status}` }) });
    }
    return /<StateValue>([A-Z_]+)<\/StateValue>/.exec(response.body)?.[1];
  };
}

/** fetch with a deadline: a region that does not answer within it is the evidence sought. */
export function timedFetch(timeoutMs: number): Transport {
  return async (request: HttpRequestLike): Promise<HttpResponseLike> => {
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal });
    return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: await response.text() };
  };
}

export async function primaryImpaired(rds: Sender, alarmState: AlarmStateReader, config: FailoverWatchConfig): Promise<Evidence> {
  const where = config.primaryRegion;
  try {
    await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: config.primaryClusterId }));
  } catch (error) {
    if (isUnreachable(error)) return { value: 1, reason: `the RDS API of ${where} cannot be reached: ${(error as Error).name}: ${(error as Error).message}` };
    const why = isThrottlingError(error) ? 'throttled' : `${(error as Error).name}: ${(error as Error).message}`;
    return { value: undefined, reason: `the RDS API of ${where} refused this function (${why}): no evidence either way` };
  }
  if (!config.primaryHealthAlarm) return { value: 0, reason: `the RDS API of ${where} answers` };
  try {
    const state = await alarmState(config.primaryHealthAlarm, where);
    if (state === 'ALARM') return { value: 1, reason: `the region health alarm ${config.primaryHealthAlarm} of ${where} is in ALARM` };
    if (state === 'OK') return { value: 0, reason: `the RDS API of ${where} answers and its region health alarm is OK` };
    return { value: undefined, reason: `the region health alarm ${config.primaryHealthAlarm} of ${where} is ${state ?? 'missing'}: no evidence either way` };
  } catch (error) {
    if (isUnreachable(error)) return { value: 1, reason: `the CloudWatch API of ${where} cannot be reached: ${(error as Error).name}` };
    return { value: undefined, reason: `the CloudWatch API of ${where} refused this function (${(error as Error).name}): no evidence either way` };
  }
}

export async function secondaryReady(rds: Sender, config: FailoverWatchConfig): Promise<Evidence> {
  try {
    const clusters = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: config.secondaryClusterId }));
    const cluster = clusters.DBClusters?.[0];
    if (cluster?.Status !== 'available') return { value: 0, reason: `the cluster ${config.secondaryClusterId} is ${cluster?.Status ?? 'missing'}, not available` };
    const globals = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: config.globalClusterId }));
    const members: Array<{ DBClusterArn?: string }> = globals.GlobalClusters?.[0]?.GlobalClusterMembers ?? [];
    if (!members.some((m) => m.DBClusterArn === cluster.DBClusterArn)) {
      return { value: 0, reason: `the cluster ${config.secondaryClusterId} is not a member of the global cluster ${config.globalClusterId}` };
    }
    const instances = await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [cluster.DBClusterArn!] }] }));
    const available = (instances.DBInstances ?? []).filter((i: { DBInstanceStatus?: string }) => i.DBInstanceStatus === 'available');
    if (available.length === 0) return { value: 0, reason: `the cluster ${config.secondaryClusterId} has no available instance to take writes` };
    return { value: 1, reason: `the cluster ${config.secondaryClusterId} is available, a member of ${config.globalClusterId}, with ${available.length} available instance(s)` };
  } catch (error) {
    return { value: undefined, reason: `the RDS API of this region could not be read (${(error as Error).name}): readiness unknown` };
  }
}

/** One EMF document with what is known; an unknown value is left out, so its metric is missing for that minute. */
export function publish(environment: string, impaired: Evidence, ready: Evidence, timestamp: number): void {
  const metrics = new Metrics({ namespace: RECOVERY_NAMESPACE, serviceName: FAILOVER_WATCH_SERVICE });
  metrics.setTimestamp(timestamp);
  metrics.addDimensions({ [DIMENSION_ENVIRONMENT]: environment });
  if (impaired.value !== undefined) metrics.addMetric(METRIC_PRIMARY_IMPAIRED, MetricUnit.Count, impaired.value);
  if (ready.value !== undefined) metrics.addMetric(METRIC_SECONDARY_READY, MetricUnit.Count, ready.value);
  if (impaired.value !== undefined || ready.value !== undefined) metrics.publishStoredMetrics();
}

let clients: { primaryRds: RDSClient; alarmState: AlarmStateReader; localRds: RDSClient } | undefined;

export async function handler(): Promise<{ impaired: Evidence; ready: Evidence }> {
  const config = readConfig(process.env);
  // Short timeouts and one retry: a region that does not answer within seconds is the evidence sought.
  const options = { region: config.primaryRegion, maxAttempts: 2, requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 } };
  // AWS_ENDPOINT_URL as the SDK honours it: the bundle's tests point it at a local stand-in.
  clients ??= {
    primaryRds: new RDSClient(options),
    alarmState: queryAlarmState(undefined, process.env.AWS_ENDPOINT_URL || undefined),
    localRds: new RDSClient({ maxAttempts: 3 }),
  };
  const [impaired, ready] = await Promise.all([
    primaryImpaired(clients.primaryRds, clients.alarmState, config),
    secondaryReady(clients.localRds, config),
  ]);
  console.log(JSON.stringify({ message: 'failover watch', primaryImpaired: impaired, secondaryReady: ready }));
  publish(config.environment, impaired, ready, Date.now());
  return { impaired, ready };
}
