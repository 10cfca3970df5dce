import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmFactory, MonitoringSegment } from './alarm-factory';
import { AuroraGlobalSecondary } from '../aurora-global-secondary';
import { describeDuration } from '../private/duration';
import { pascalCase } from '../private/naming';
import { lagAlarmThreshold, validateRegionRpo } from '../private/region-rpo';

/**
 * Options for watching the replication of an Aurora global database.
 */
export interface GlobalDatabaseMonitorOptions {
  /**
   * The most data the workload may lose if the primary region is lost (the
   * cross-region RPO), at least 2 seconds. The lag alarms fire at half of
   * it, so there is time to act before a failover would lose more than the
   * RPO allows.
   */
  readonly regionRpo: Duration;

  /**
   * The name the alarms carry, `dr-{name}-rpo-lag-{environmentSuffix}`.
   * Lowercase letters, digits and hyphens.
   *
   * @default 'aurora-global'
   */
  readonly name?: string;
}

/**
 * The alarms on an Aurora global database's replication to its secondary
 * cluster (RPO lag and storage replication lag) and their graph. Each reads
 * the lag over every dimension set RDS publishes it under (`lagOfCluster`).
 */
export class GlobalDatabaseMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, secondary: AuroraGlobalSecondary, options: GlobalDatabaseMonitorOptions) {
    const name = factory.subjectName(options.name ?? 'aurora-global');
    validateRegionRpo(factory.scope, options.regionRpo);
    const thresholdMs = lagAlarmThreshold(options.regionRpo).toMilliseconds({ integral: false });
    const period = Duration.minutes(1);
    const rpoLag = lagOfCluster('AuroraGlobalDBRPOLag', secondary.clusterIdentifier, period, 'RPO lag');
    const replicationLag = lagOfCluster('AuroraGlobalDBReplicationLag', secondary.clusterIdentifier, period, 'replication lag');
    const rpo = describeDuration(options.regionRpo);
    this.alarms = factory.addAlarms(pascalCase(name), name, [
      {
        id: 'RpoLag',
        name: 'rpo-lag',
        metric: rpoLag,
        threshold: thresholdMs,
        fires: 'atOrAbove',
        missingData: 'breaching',
        description: `Aurora global database RPO lag reached ${thresholdMs} ms, half of the ${rpo} region RPO: a region failover now would lose that much. `
          + 'Missing data counts as breaching: a secondary that reports no lag is not replicating.',
      },
      {
        id: 'ReplicationLag',
        name: 'replication-lag',
        metric: replicationLag,
        threshold: thresholdMs,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Aurora global database replication lag reached ${thresholdMs} ms, half of the ${rpo} region RPO.`,
      },
    ]);
    this.widgets = [new cloudwatch.GraphWidget({
      title: `Aurora global ${name}: lag behind the primary (ms)`,
      width: 24,
      left: [rpoLag, replicationLag],
      leftAnnotations: [
        { value: thresholdMs, label: 'alarm (half the region RPO)', color: cloudwatch.Color.ORANGE },
        { value: options.regionRpo.toMilliseconds(), label: 'region RPO', color: cloudwatch.Color.RED },
      ],
    })];
  }
}

/**
 * The largest value of an Aurora global database lag metric over every
 * series RDS publishes for the cluster, whatever its other dimensions.
 *
 * AWS lists `SourceRegion` among the dimensions of `AuroraGlobalDBRPOLag`
 * and `AuroraGlobalDBReplicationLag`
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html),
 * so the series may be `{DBClusterIdentifier}` or
 * `{DBClusterIdentifier, SourceRegion}`, and an alarm on the one RDS does
 * not publish sees nothing. A CloudWatch Metrics Insights query without
 * `SCHEMA(...)` reads every dimension set of the namespace; the `WHERE`
 * keeps the series of this cluster and `MAX` makes one time series of them,
 * which an alarm can evaluate. Not a `SEARCH` expression (CloudWatch alarms
 * cannot evaluate one) nor `MAX` over two named metrics (that needs the
 * `SourceRegion` value, and misses any other set).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html (FROM without SCHEMA)
 * and https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-data-queries.html (alarms on Metrics Insights queries)
 */
export function lagOfCluster(metricName: string, clusterIdentifier: string, period: Duration, label: string): cloudwatch.MathExpression {
  if (!Token.isUnresolved(clusterIdentifier) && !/^[A-Za-z0-9-]+$/.test(clusterIdentifier)) {
    // A quote would end the SQL string early; cluster identifiers never hold one.
    throw new Error(`not an Aurora cluster identifier: ${clusterIdentifier}`);
  }
  return new cloudwatch.MathExpression({
    expression: `SELECT MAX(${metricName}) FROM "AWS/RDS" WHERE DBClusterIdentifier = '${clusterIdentifier}'`,
    period,
    label,
  });
}
