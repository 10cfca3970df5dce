/**
 * Learns, once a minute, whether this region's cluster is the writer of its
 * Aurora global database or a secondary, from the truth (RDS
 * `DescribeGlobalClusters`, the member's `IsWriter`) rather than from what
 * was deployed, and publishes it as `ClusterIsWriter` (1 writer, 0
 * secondary) in CloudWatch embedded metric format: a log line, so no
 * PutMetricData permission. The lag alarms of DrAlarms.monitorGlobalDatabase
 * combine it with the lag so that they follow the role across switches.
 *
 * When the role cannot be known, nothing is published and the invocation
 * fails with what is wrong: a missing data point is what the alarms treat
 * as "unknown", while a guessed value could silence them. That covers a bad
 * configuration, a global cluster that does not exist, a cluster that is not
 * (or no longer) a member (detached by an unplanned failover, say), and an
 * API failure. Throttling is retried with backoff within the function's
 * run; if it outlasts that, the run publishes nothing, as for any failure.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeGlobalClusters.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalClusterMember.html
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  DIMENSION_GLOBAL_CLUSTER,
  GLOBAL_ROLE_NAMESPACE,
  GLOBAL_ROLE_SERVICE,
  METRIC_CLUSTER_IS_WRITER,
} from './global-role-metrics';
import { Clock, describeError, systemClock, withBackoff } from '../private/aws-calls';

/** The handler's configuration, from its environment. */
export interface RoleConfig {
  /** The global cluster to ask about. */
  readonly globalClusterIdentifier: string;
  /** The ARN of this region's member cluster, as RDS lists it among the members. */
  readonly clusterArn: string;
}

export type ClusterRole = 'writer' | 'secondary';

export interface RoleOptions {
  readonly clock?: Clock;
  /** Attempts before throttling is given up on (the next run comes a minute later). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  /** How long retries may go on, from the first call. */
  readonly deadlineMs?: number;
}

const GLOBAL_CLUSTER_ID = /^[A-Za-z][A-Za-z0-9-]{0,254}$/;
const CLUSTER_ARN = /^arn:aws[a-z-]*:rds:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:cluster:[A-Za-z][A-Za-z0-9-]*$/;

/** Reads the configuration; a missing or malformed value is an error naming the variable and the value. */
export function readConfig(env: Record<string, string | undefined>): RoleConfig {
  const globalClusterIdentifier = env.GLOBAL_CLUSTER_ID ?? '';
  if (!GLOBAL_CLUSTER_ID.test(globalClusterIdentifier)) {
    throw new Error(`GLOBAL_CLUSTER_ID must be an Aurora global cluster identifier, got: ${JSON.stringify(env.GLOBAL_CLUSTER_ID)}`);
  }
  const clusterArn = env.CLUSTER_ARN ?? '';
  if (!CLUSTER_ARN.test(clusterArn)) {
    throw new Error(`CLUSTER_ARN must be the ARN of an Aurora DB cluster (arn:<partition>:rds:<region>:<account>:cluster:<id>), got: ${JSON.stringify(env.CLUSTER_ARN)}`);
  }
  return { globalClusterIdentifier, clusterArn };
}

/**
 * This region's cluster's role in the global database, as RDS reports it
 * now. Throws when the global cluster is missing, when the cluster is not
 * among its members, and on any API failure other than throttling that
 * retries could not outlast.
 */
export async function clusterRole(client: RDSClient, config: RoleConfig, options: RoleOptions = {}): Promise<ClusterRole> {
  const clock = options.clock ?? systemClock;
  const out = await withBackoff(
    () => client.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: config.globalClusterIdentifier })),
    {
      clock,
      deadline: clock.now() + (options.deadlineMs ?? 20_000),
      maxAttempts: options.maxAttempts ?? 5,
      baseDelayMs: options.baseDelayMs,
    },
  ).catch((error: unknown) => {
    if ((error as { name?: string })?.name === 'GlobalClusterNotFoundFault') {
      throw new Error(`the global cluster ${config.globalClusterIdentifier} does not exist (${describeError(error)})`);
    }
    throw error;
  });
  const globalCluster = (out.GlobalClusters ?? []).find((g) => g.GlobalClusterIdentifier === config.globalClusterIdentifier);
  if (!globalCluster) {
    throw new Error(`RDS returned no global cluster ${config.globalClusterIdentifier}`);
  }
  const members = globalCluster.GlobalClusterMembers ?? [];
  const member = members.find((m) => m.DBClusterArn === config.clusterArn);
  if (!member) {
    const listed = members.map((m) => `${m.DBClusterArn}${m.IsWriter ? ' (writer)' : ''}`).join(', ') || 'none';
    throw new Error(`the cluster ${config.clusterArn} is not a member of the global cluster ${config.globalClusterIdentifier} `
      + `(members: ${listed}): it was detached or never joined, so it neither writes for nor replicates from the global database`);
  }
  if (typeof member.IsWriter !== 'boolean') {
    throw new Error(`RDS did not say whether ${config.clusterArn} is the writer of ${config.globalClusterIdentifier}`);
  }
  return member.IsWriter ? 'writer' : 'secondary';
}

/** One EMF document: `ClusterIsWriter`, standard resolution (the alarms evaluate one-minute periods). */
export function publish(globalClusterIdentifier: string, role: ClusterRole, timestamp: number): void {
  const metrics = new Metrics({ namespace: GLOBAL_ROLE_NAMESPACE, serviceName: GLOBAL_ROLE_SERVICE });
  metrics.setTimestamp(timestamp);
  metrics.addDimensions({ [DIMENSION_GLOBAL_CLUSTER]: globalClusterIdentifier });
  metrics.addMetric(METRIC_CLUSTER_IS_WRITER, MetricUnit.Count, role === 'writer' ? 1 : 0);
  metrics.publishStoredMetrics();
}

let client: RDSClient | undefined;

export async function handler(): Promise<{ role: ClusterRole }> {
  const config = readConfig(process.env);
  // The SDK's own retries stay short: the backoff above handles throttling, and the next run is a minute away.
  client ??= new RDSClient({ maxAttempts: 2 });
  const role = await clusterRole(client, config);
  publish(config.globalClusterIdentifier, role, Date.now());
  console.log(JSON.stringify({ event: 'clusterRole', globalCluster: config.globalClusterIdentifier, cluster: config.clusterArn, role }));
  return { role };
}
