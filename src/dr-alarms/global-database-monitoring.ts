import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AlarmFactory, MonitoringSegment, validateSameRegion } from './alarm-factory';
import { GlobalClusterRole } from './global-cluster-role';
import { validateGlobalClusterIdentifier } from '../names';
import { describeDuration } from '../private/duration';
import { pascalCase } from '../private/naming';
import { lagAlarmThreshold, validateRegionRpo } from '../private/region-rpo';

/**
 * Options for watching the replication of an Aurora global database.
 */
export interface GlobalDatabaseMonitorOptions {
  /**
   * The most data the workload may lose if the primary region is lost (the
   * cross-region RPO), a whole number of minutes. The lag alarms fire at half
   * of it, so there is time to act before a failover would lose more than
   * the RPO allows.
   */
  readonly regionRpo: Duration;

  /**
   * The global cluster the watched cluster is a member of: the role
   * function asks RDS which member writes.
   */
  readonly globalClusterIdentifier: string;

  /**
   * The name the alarms carry, `dr-{name}-rpo-lag-{environmentSuffix}`.
   * Lowercase letters, digits and hyphens.
   *
   * @default 'aurora-global'
   */
  readonly name?: string;

  /**
   * The key for the role function's logs, environment and dead-letter queue.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-{name}-role-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;
}

/** The name a global database is watched under unless given one. */
export const DEFAULT_GLOBAL_DATABASE_NAME = 'aurora-global';

/** The RPO-lag alarm's inputs must breach three one-minute periods in a row (see the class). */
export const ROLE_AWARE_LAG_MINUTES = 3;

/**
 * The alarms on one member of an Aurora global database, in the member's
 * region, that follow its role: a function learns every minute whether the
 * cluster is the writer or a secondary (GlobalClusterRole), so the alarms of
 * a region change meaning when a switchover or failover changes its role.
 *
 * - RPO lag (`rpo-lag`), a composite alarm: ALARM when both its inputs are.
 *   The lag input (`rpo-lag-any-role`) reads the RPO lag whatever the role:
 *   at or above the threshold, or missing (a secondary that reports no lag
 *   is not replicating), three minutes in a row. The role input
 *   (`not-writer`) is in ALARM while the cluster is not known to be the
 *   writer (a secondary, or no role published) three minutes in a row, so
 *   one late role point does not count. As the writer the composite is OK
 *   (a writer has no lag of its own); as a secondary, or with the role
 *   unknown, it is the lag's alarm. Neither input notifies.
 * - Replication lag (`replication-lag`): at or above the threshold; missing
 *   data is not breaching, so a writer, which reports none, is OK.
 * - Role unknown (`role-unknown`): no role published for ten minutes (two
 *   five-minute periods), missing breaching: the function fails, or the
 *   cluster left the global database.
 *
 * A composite alarm rather than metric math over the lag query and the
 * role: the lag is read by a Metrics Insights query, which these alarms do
 * not combine with metric math.
 */
export class GlobalDatabaseMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.IAlarm[];
  public readonly widgets: cloudwatch.IWidget[];
  /** The role metric, for monitors that follow this database's writer (monitorTableReplication). */
  public readonly isWriter: cloudwatch.IMetric;
  /** The subject's name. */
  public readonly name: string;

  constructor(factory: AlarmFactory, cluster: rds.IDatabaseCluster, options: GlobalDatabaseMonitorOptions) {
    validateSameRegion(factory.scope, cluster, 'the cluster', 'monitorGlobalDatabase', cluster.clusterArn);
    validateRegionRpo(factory.scope, options.regionRpo);
    validateGlobalClusterIdentifier(factory.scope, options.globalClusterIdentifier);
    const name = factory.subjectName(options.name ?? DEFAULT_GLOBAL_DATABASE_NAME, cluster);
    this.name = name;
    const thresholdMs = lagAlarmThreshold(options.regionRpo).toMilliseconds({ integral: false });
    const period = Duration.minutes(1);
    const role = new GlobalClusterRole(factory.scope, `${pascalCase(name)}Role`, {
      environmentSuffix: factory.environmentSuffix,
      name,
      globalClusterIdentifier: options.globalClusterIdentifier,
      clusterArn: cluster.clusterArn,
      encryptionKey: options.encryptionKey,
      removalPolicy: factory.removalPolicy,
    });
    const writer = role.metricIsWriter({ label: 'writer (1) or secondary (0)' });
    this.isWriter = writer;
    const rpoLag = lagOfCluster('AuroraGlobalDBRPOLag', cluster.clusterIdentifier, period, 'RPO lag');
    const replicationLag = lagOfCluster('AuroraGlobalDBReplicationLag', cluster.clusterIdentifier, period, 'replication lag');
    const rpo = describeDuration(options.regionRpo);
    const minutes = ROLE_AWARE_LAG_MINUTES;
    const id = pascalCase(name);
    const [lagInput, notWriter] = factory.addAlarms(id, name, [
      {
        id: 'RpoLagAnyRole',
        name: 'rpo-lag-any-role',
        metric: rpoLag,
        threshold: thresholdMs,
        fires: 'atOrAbove',
        missingData: 'breaching',
        evaluationPeriods: minutes,
        compositeInput: true,
        description: `Input of dr-${name}-rpo-lag: this region's cluster reports an RPO lag of ${thresholdMs} ms or more, or none, ${minutes} minutes in a row. `
          + 'Always in ALARM while the cluster is the writer (a writer reports no lag); the composite alarm ignores it then.',
      },
      {
        id: 'NotWriter',
        name: 'not-writer',
        // Without a label: a plain metric alarm.
        metric: role.metricIsWriter(),
        threshold: 1,
        fires: 'below',
        missingData: 'breaching',
        evaluationPeriods: minutes,
        compositeInput: true,
        description: `Input of dr-${name}-rpo-lag: this region's cluster is not known to be the writer of ${options.globalClusterIdentifier} `
          + `(a secondary, or no role published) ${minutes} minutes in a row. In ALARM as a secondary: a state, not a fault.`,
      },
    ]);
    // Not the construct id of the metric alarm this name once had: CloudFormation cannot change a resource's type in place.
    const composite = factory.addCompositeAlarm(`${id}RpoLagRoleAware`, `${name}-rpo-lag`,
      cloudwatch.AlarmRule.allOf(cloudwatch.AlarmRule.fromAlarm(lagInput, cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.fromAlarm(notWriter, cloudwatch.AlarmState.ALARM)),
      `Aurora global database RPO lag of this region's cluster reached ${thresholdMs} ms, half of the ${rpo} region RPO, `
      + `${minutes} minutes in a row while the cluster is a secondary: a region failover now would lose that much. `
      + 'A secondary that reports no lag is not replicating and alarms too, as does a region whose role is unknown (see the role-unknown alarm). '
      + 'While the cluster is the writer this alarm is OK: it follows the role after a switchover, a failover or a switch back.');
    const others = factory.addAlarms(id, name, [
      {
        id: 'ReplicationLag',
        name: 'replication-lag',
        metric: replicationLag,
        threshold: thresholdMs,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Aurora global database replication lag of this region's cluster reached ${thresholdMs} ms, half of the ${rpo} region RPO. `
          + 'Missing data is not breaching: the writer reports none, and the RPO-lag alarm covers a silent secondary.',
      },
      {
        id: 'RoleUnknown',
        name: 'role-unknown',
        metric: role.metricIsWriter({ statistic: cloudwatch.Stats.SAMPLE_COUNT, period: Duration.minutes(5) }),
        threshold: 1,
        fires: 'below',
        missingData: 'breaching',
        evaluationPeriods: 2,
        description: `Nobody knows whether this region's cluster writes for the global cluster ${options.globalClusterIdentifier} or replicates from it: `
          + `its role function (${role.function.functionName}) published no role for ten minutes. It fails when the cluster is not a member `
          + '(detached by a failover, say) or RDS cannot be asked; its log says which. Meanwhile the RPO-lag alarm counts this region as a secondary.',
      },
    ]);
    this.alarms = [composite, ...others];
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: `Aurora global ${name}: RPO lag (ms) and role`,
        width: 12,
        left: [rpoLag],
        right: [writer],
        rightYAxis: { min: 0, max: 1 },
        leftAnnotations: [
          { value: thresholdMs, label: 'alarm (half the region RPO)', color: cloudwatch.Color.ORANGE },
          { value: options.regionRpo.toMilliseconds(), label: 'region RPO', color: cloudwatch.Color.RED },
        ],
      }),
      // One Metrics Insights query per graph: CloudWatch runs one per GetMetricData request.
      new cloudwatch.GraphWidget({
        title: `Aurora global ${name}: replication lag (ms)`,
        width: 12,
        left: [replicationLag],
        leftAnnotations: [{ value: thresholdMs, label: 'alarm (half the region RPO)', color: cloudwatch.Color.ORANGE }],
      }),
    ];
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
