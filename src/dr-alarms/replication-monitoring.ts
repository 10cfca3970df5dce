import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmDefinition, AlarmFactory, MonitoringSegment, MonitorOptions } from './alarm-factory';
import { GlobalPitrTable } from '../global-pitr-table';
import { pascalCase } from '../private/naming';
import { lagAlarmThreshold, validateRegionRpo } from '../private/region-rpo';
import { DrValidationError, quote } from '../private/validation';
import { VersionedBucket } from '../versioned-bucket';

/**
 * Options for watching cross-region replication.
 */
export interface ReplicationMonitorOptions extends MonitorOptions {
  /**
   * The cross-region recovery point objective: the most data the workload
   * may lose if the primary region is lost. The replication-lag alarm fires
   * when the lag exceeds half of it (see the method), leaving the other half
   * for the alarm to reach someone and for them to act.
   */
  readonly regionRpo: Duration;
}

/**
 * Options for watching a global table's replication.
 */
export interface TableReplicationMonitorOptions extends ReplicationMonitorOptions {
  /**
   * The `name` of a global database this DrAlarms watches
   * (`monitorGlobalDatabase`, called first) whose writer the table's writes
   * follow: the latency alarms then speak only while that database's cluster
   * in this region is the writer (or its role is unknown), and are OK while
   * it is a secondary. After a switch the old writer region's alarms leave
   * any ALARM state, and the new writer region's watch its replication.
   *
   * @default - the alarms watch this region's outgoing replication whatever the roles; missing data keeps their state
   */
  readonly followWriterOf?: string;
}

/**
 * A global table's replication-latency alarm towards each other region of
 * the table, from the table's region or from one of its replica regions,
 * and their graph. DynamoDB publishes the latency in the region the items
 * are written in, one series per receiving region.
 */
export class TableReplicationMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, table: GlobalPitrTable, options: TableReplicationMonitorOptions) {
    const scope = factory.scope;
    const thresholdMs = replicationThreshold(scope, options.regionRpo, 1).toMilliseconds({ integral: false });
    const here = Stack.of(scope).region;
    const tableRegion = Stack.of(table).region;
    let receivingRegions: string[];
    let latencyTo: (region: string, label?: string) => cloudwatch.IMetric;
    if (Stack.of(scope) === Stack.of(table) || (!Token.isUnresolved(here) && here === tableRegion)) {
      receivingRegions = table.replicaRegions;
      latencyTo = (region, label) => table.metricReplicationLatency(region, { label });
    } else if (!Token.isUnresolved(here) && table.replicaRegions.includes(here) && !Token.isUnresolved(tableRegion)) {
      // From a replica region: towards the table's region and the other replicas, read here by the table's plain name.
      receivingRegions = [tableRegion, ...table.replicaRegions.filter((r) => r !== here)];
      latencyTo = (region, label) => new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName: 'ReplicationLatency',
        dimensionsMap: { TableName: table.tableName, ReceivingRegion: region },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
        label,
      });
    } else {
      throw new DrValidationError(scope,
        `the table ${table.node.path} has replicas in ${[Token.isUnresolved(tableRegion) ? "its stack's region" : tableRegion, ...table.replicaRegions].join(', ')}; `
        + `DynamoDB publishes its ReplicationLatency in the region that writes, and a CloudWatch alarm in ${Token.isUnresolved(here) ? 'a stack of unknown region' : here} cannot read it: `
        + 'call monitorTableReplication on the DrAlarms of one of those regions');
    }
    let writer: cloudwatch.IMetric | undefined;
    if (options.followWriterOf !== undefined) {
      writer = factory.writerRole(options.followWriterOf);
      if (!writer) {
        throw new DrValidationError(scope,
          `\`followWriterOf\` must be the \`name\` of a global database this DrAlarms watches (call monitorGlobalDatabase first), got: ${quote(options.followWriterOf)}`);
      }
    }
    const name = factory.subjectName(options.name ?? 'table-replication');
    const rule = `more than ${Duration.millis(thresholdMs).toHumanString()} late (half the cross-region RPO of ${options.regionRpo.toHumanString()}) two minutes in a row: `
      + 'losing this region now would lose that much. ';
    const rows: AlarmDefinition[] = receivingRegions.map((region) => ({
      id: `Latency${pascalCase(region)}`,
      name: `latency-${region}`,
      // While this region's cluster is a secondary, 0; while it writes, or its role is unknown, the latency (missing stays missing).
      metric: writer
        ? new cloudwatch.MathExpression({
          expression: 'IF(FILL(writer, 1) == 0, 0, latency)',
          usingMetrics: { writer, latency: latencyTo(region) },
          period: Duration.minutes(1),
          label: `latency to ${region} while this region writes`,
        })
        : latencyTo(region),
      threshold: thresholdMs,
      fires: 'above',
      missingData: 'ignore',
      evaluationPeriods: 2,
      description: `DynamoDB table ${table.tableName} replicates from this region to ${region} ${rule}`
        + (writer
          ? `OK while this region's cluster of ${options.followWriterOf} is a secondary (the workload writes in the other region); `
            + 'while it writes, missing data keeps the state: the metric exists only while items replicate.'
          : 'Missing data keeps the state: the metric exists only while items replicate.'),
    }));
    this.alarms = factory.addAlarms(pascalCase(name), name, rows);
    this.widgets = [new cloudwatch.GraphWidget({
      title: `DynamoDB ${table.tableName}: replication latency from this region (ms)`,
      width: 24,
      left: receivingRegions.map((region) => latencyTo(region, `to ${region}`)),
      leftAnnotations: [{ value: thresholdMs, label: `alarm: half the RPO (${options.regionRpo.toHumanString()})` }],
    })];
  }
}

/**
 * A VersionedBucket's replication, seen from one of the two regions S3
 * publishes its metrics in: the latency alarm in the destination region, the
 * failed-operations alarm in the source region, and the graphs of latency
 * and pending operations in both.
 */
export class BucketReplicationMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, bucket: VersionedBucket, options: ReplicationMonitorOptions) {
    const scope = factory.scope;
    if (!bucket.replicationDestinationRegion || !bucket.replicationDestinationBucketName) {
      throw new DrValidationError(scope, `the bucket ${bucket.node.path} does not replicate: give it \`replication\` before watching its replication`);
    }
    const threshold = replicationThreshold(scope, options.regionRpo, 15);
    const here = Stack.of(scope).region;
    const source = Stack.of(bucket).region;
    const destination = bucket.replicationDestinationRegion;
    const sameStack = Stack.of(scope) === Stack.of(bucket);
    let side: 'source' | 'destination';
    if (sameStack || (!Token.isUnresolved(here) && here === source)) {
      side = 'source';
    } else if (!Token.isUnresolved(here) && here === destination) {
      side = 'destination';
      if (Token.isUnresolved(bucket._physicalBucketName)) {
        throw new DrValidationError(scope,
          `the bucket ${bucket.node.path} is in a stack without a concrete account and region, so its name is not known in ${destination}: `
          + 'give that stack an `env` to watch its replication from the destination region');
      }
    } else {
      throw new DrValidationError(scope,
        `the bucket ${bucket.node.path} replicates from ${Token.isUnresolved(source) ? "its stack's region" : source} to ${destination}; `
        + `S3 publishes its replication metrics in those two regions only, and this DrAlarms is in ${Token.isUnresolved(here) ? 'another stack of unknown region' : here}`);
    }
    const name = factory.subjectName(options.name ?? 'bucket-replication');
    const thresholdSeconds = threshold.toSeconds({ integral: false });
    const latency = bucket.metricReplicationLatency();
    const rows: AlarmDefinition[] = side === 'destination' ? [{
      id: 'Latency',
      name: 'latency',
      metric: latency,
      threshold: thresholdSeconds,
      fires: 'above',
      missingData: 'ignore',
      evaluationPeriods: 2,
      description: `S3 replication of ${bucket.replicationDestinationBucketName} from ${source} is more than ${threshold.toHumanString()} behind `
        + `(half the cross-region RPO of ${options.regionRpo.toHumanString()}) two minutes in a row. Missing data keeps the state.`,
    }] : [{
      id: 'Failed',
      name: 'failed',
      metric: bucket.metricOperationsFailedReplication({ period: factory.period }),
      threshold: 1,
      fires: 'atOrAbove',
      missingData: 'notBreaching',
      description: `S3 failed to replicate objects of ${bucket.bucketName} to ${destination}: they stay unreplicated until someone acts `
        + '(the OperationFailedReplication events name them and the reason).',
    }];
    this.alarms = factory.addAlarms(pascalCase(name), name, rows);
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: `S3 replication to ${destination}: latency (s)`,
        width: 12,
        left: [latency.with({ label: 'latency' })],
        leftAnnotations: [{ value: thresholdSeconds, label: `alarm: half the RPO (${options.regionRpo.toHumanString()})` }],
      }),
      new cloudwatch.GraphWidget({
        title: `S3 replication to ${destination}: pending`,
        width: 12,
        left: [bucket.metricOperationsPendingReplication({ label: 'operations' })],
        right: [bucket.metricBytesPendingReplication({ label: 'bytes' })],
      }),
    ];
  }
}

/**
 * The replication-lag threshold: half the region RPO, checked by the one
 * region RPO rule; a bucket's needs at least Replication Time Control's 15
 * minutes.
 */
function replicationThreshold(scope: Construct, regionRpo: Duration, minMinutes: number): Duration {
  validateRegionRpo(scope, regionRpo, minMinutes === 15
    ? { minutes: 15, reason: 'S3 Replication Time Control replicates 99.99 % of objects within 15 minutes and promises nothing shorter' }
    : undefined);
  return lagAlarmThreshold(regionRpo);
}
