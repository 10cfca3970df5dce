import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmFactory, MAX_ALARM_EVALUATION_MINUTES, MonitoringSegment, MonitorOptions } from './alarm-factory';
import { LiveAlarmStatusWidget } from './alarm-status-widget';
import { AuroraMonitoring } from './aurora-monitoring';
import { BackupCopyMonitoring } from './backup-copy-monitoring';
import { BackupVaultMonitoring, BackupVaultMonitorOptions } from './backup-vault-monitoring';
import { EventForwardingMonitoring } from './event-forwarding-monitoring';
import { FunctionMonitoring, MonitorFunctionOptions } from './function-monitoring';
import { GlobalDatabaseMonitoring, GlobalDatabaseMonitorOptions } from './global-database-monitoring';
import { RecoveryPointMonitoring } from './recovery-point-monitoring';
import { RegionHealthMonitoring } from './region-health-monitoring';
import { BucketReplicationMonitoring, ReplicationMonitorOptions, TableReplicationMonitoring, TableReplicationMonitorOptions } from './replication-monitoring';
import { MonitorRestoreDrillsOptions, RestoreDrillMonitoring } from './restore-drill-monitoring';
import { TableMonitoring } from './table-monitoring';
import { DrAlarmThresholds, resolveThresholds } from './thresholds';
import { EventForwarding } from '../event-forwarding';
import { GlobalPitrTable } from '../global-pitr-table';
import { HourlyBackup } from '../hourly-backup';
import { alarmNames, drAlarmsDerivedNames, validateEnvironmentSuffix } from '../names';
import { createAlarmTopic, validateAlarmEmails } from '../private/alarm-topic';
import { validateDuration } from '../private/duration';
import { validateKeyRegion } from '../private/kms';
import { isDestroy } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';
import { RecoveryPointMonitor } from '../recovery-point-monitor';
import { RegionHealthCheck } from '../region-health-check';
import { RestoreDrill } from '../restore-drill';
import { ProtectedResource } from '../stores/protected-resource';
import { VersionedBucket } from '../versioned-bucket';


/**
 * Properties for DrAlarms.
 */
export interface DrAlarmsProps extends DrAlarmsOptions {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   */
  readonly environmentSuffix: string;

  /**
   * The topic every alarm notifies. If it is encrypted, its key must let
   * `cloudwatch.amazonaws.com` use it.
   *
   * @default - a KMS-encrypted topic `dr-alarms-{environmentSuffix}` that enforces TLS
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Email addresses to subscribe to the created topic (each must confirm).
   *
   * @default - none
   */
  readonly alarmEmails?: string[];

  /**
   * The dashboard's name: 1 to 255 letters, digits, hyphens and underscores.
   * Dashboards are global to an account, not regional: two DrAlarms of one
   * suffix in two regions of an account need two names.
   *
   * @default - `dr-dashboard-{environmentSuffix}`
   */
  readonly dashboardName?: string;

  /**
   * What happens to the created topic and key when the stack deletes them.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The backup plan to watch: failed and expired jobs, failed copies, and no
   * completed job within the RPO.
   *
   * @default - no backup alarms
   */
  readonly backup?: HourlyBackup;

  /**
   * The Aurora cluster to watch.
   *
   * @default - no database alarms
   */
  readonly database?: rds.IDatabaseCluster;

  /**
   * The DynamoDB table to watch.
   *
   * @default - no table alarms
   */
  readonly table?: dynamodb.ITable;

  /**
   * The Lambda functions to watch; each must be a `lambda.Function` (for its
   * timeout), or use `monitorFunction` with a timeout.
   *
   * @default - no function alarms
   */
  readonly functions?: lambda.IFunction[];
}

/**
 * How the alarms are built: everything SingleRegionDrPlatform passes through as `alarms`.
 */
export interface DrAlarmsOptions {
  /**
   * The key for the created topic.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-alarms-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Alarm thresholds.
   *
   * @default - the documented default of each threshold
   */
  readonly thresholds?: DrAlarmThresholds;

  /**
   * The evaluation period of the resource alarms (the dead-man backup alarm
   * evaluates hourly).
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/**
 * Alarms that say when disaster recovery is broken, on one SNS topic, and a
 * dashboard. Every input is optional: watch the backup plan, an Aurora
 * cluster, a DynamoDB table and Lambda functions, whichever you have, and add
 * more with the `monitor*` methods.
 *
 * The dashboard shows the alarms a RegionHealthCheck or an EventForwarding
 * makes too, given to `monitorRegionHealthCheck` or `monitorEventForwarding`.
 *
 * Every alarm is named `dr-{subject}-{metric}-{environmentSuffix}`, notifies
 * the topic on ALARM and OK, and treats missing data deliberately: as
 * breaching where silence means something is down (no completed backup,
 * no CPU reported, no replica reporting lag), as not breaching where silence
 * means nothing happened (no errors, no throttles).
 *
 * @example
 * declare const backup: HourlyBackup;
 * declare const db: EncryptedAurora;
 * declare const table: PitrTable;
 * const alarms = new DrAlarms(this, 'Alarms', {
 *   environmentSuffix: 'dev',
 *   alarmEmails: ['oncall@example.com'],
 *   backup, database: db.cluster, table: table.table,
 * });
 */
export class DrAlarms extends Construct {
  /** The topic every alarm notifies. */
  public readonly alarmTopic: sns.ITopic;
  /** The dashboard, `dr-dashboard-{environmentSuffix}`. */
  public readonly dashboard: cloudwatch.Dashboard;

  /** Names, wires and keeps apart the alarms every monitor creates in this scope. */
  private readonly factory: AlarmFactory;

  constructor(scope: Construct, id: string, props: DrAlarmsProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, (suffix) => drAlarmsDerivedNames(suffix, props.dashboardName));
    const names = alarmNames(props.environmentSuffix);
    const thresholds = resolveThresholds(this, props.thresholds);
    const period = props.period ?? Duration.minutes(5);
    validateDuration(this, 'period', period, {
      unit: 'minutes',
      min: 1,
      max: MAX_ALARM_EVALUATION_MINUTES,
      maxReason: 'CloudWatch evaluates an alarm over at most 7 days',
      tokens: false,
      tokenReason: 'alarm periods and the dashboard are computed from it at synth',
    });
    if (props.alarmTopic && props.alarmEmails?.length) {
      throw new DrValidationError(this, '`alarmEmails` cannot be combined with `alarmTopic`: subscribe the addresses to your own topic');
    }
    validateKeyRegion(this, 'encryptionKey', props.encryptionKey);
    validateAlarmEmails(this, props.alarmEmails);

    const destroy = isDestroy(this, props.removalPolicy, 'the alarm topic and its key');
    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this, 'Topic', {
      topicName: names.topic,
      displayName: `DR alarms (${props.environmentSuffix})`,
      keyAlias: names.topicKeyAlias,
      encryptionKey: props.encryptionKey,
      emails: props.alarmEmails,
      destroy,
    });
    this.factory = new AlarmFactory(this, {
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      names,
      action: new cwActions.SnsAction(this.alarmTopic),
      period,
      thresholds,
    });

    if (props.dashboardName !== undefined && !Token.isUnresolved(props.dashboardName) && !/^[A-Za-z0-9_-]{1,255}$/.test(props.dashboardName)) {
      throw new DrValidationError(this, `\`dashboardName\` must be 1 to 255 letters, digits, hyphens and underscores, got: ${quote(props.dashboardName)}`);
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? names.dashboard,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# Disaster recovery: ${props.environmentSuffix}\nAlarms notify the topic \`${names.topic}\`; the runbook starts at the alarm that fired.`,
        width: 18,
        height: 3,
      }),
      new LiveAlarmStatusWidget(() => this.factory.alarms),
    );

    if (props.backup) this.monitorBackup(props.backup);
    if (props.database) this.monitorDatabase(props.database);
    if (props.table) this.monitorTable(props.table);
    for (const fn of props.functions ?? []) this.monitorFunction(fn);
  }

  /**
   * Every alarm watched so far: those created here and those of the
   * constructs given to `monitorRegionHealthCheck` and `monitorEventForwarding`.
   */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.factory.alarms];
  }

  /**
   * Watches an HourlyBackup: `monitorBackupVault` with its vault, RPO and
   * completion window.
   */
  public monitorBackup(hourlyBackup: HourlyBackup): cloudwatch.IAlarm[] {
    const alarms = this.monitorBackupVault(hourlyBackup.vault, { rpo: hourlyBackup.rpo, completionWindow: hourlyBackup.completionWindow });
    if (hourlyBackup.copyDestinations.length) {
      alarms.push(...this.monitorBackupCopies(hourlyBackup.copyDestinations.map((d) => d.vault)));
    }
    return alarms;
  }

  /**
   * Watches copies from this region into vaults of other regions: one alarm
   * per destination, `dr-backup-copy-{region}-failed-{environmentSuffix}`,
   * when copy jobs into it fail. Copy jobs run, and report their metrics, in
   * the source region, so this belongs in the stack of the backup plan.
   *
   * AWS does not document whether a copy job's `NumberOfCopyJobsFailed`
   * carries the source or the destination vault's name: this alarm counts
   * the destination's, and `monitorBackupVault`'s `copy-jobs-failed` the
   * source's, so a failure is seen either way.
   */
  public monitorBackupCopies(destinations: backup.IBackupVault[]): cloudwatch.IAlarm[] {
    return this.add(new BackupCopyMonitoring(this.factory, destinations));
  }

  /**
   * Watches any backup vault: failed and expired backup jobs and failed copy
   * jobs in it, and a dead-man alarm when no backup job completes within the
   * RPO plus the completion window (missing data is breaching).
   */
  public monitorBackupVault(vault: backup.IBackupVault, options: BackupVaultMonitorOptions): cloudwatch.IAlarm[] {
    return this.add(new BackupVaultMonitoring(this.factory, vault, options));
  }

  /**
   * Watches the measured RPO of every resource the monitor measures: an
   * alarm `dr-rpo-{name}` when the effective RPO exceeds the resource's
   * threshold for three measurement runs in a row, and, for Aurora and
   * DynamoDB (whose own point-in-time recovery keeps the effective RPO low
   * whatever AWS Backup does), `dr-backup-age-{name}` when the newest
   * recovery point AWS Backup created is older than the monitor's
   * `snapshotAgeBound` for as long. Missing data is breaching
   * after the same grace: a resource that is gone, was never backed up or
   * cannot be measured publishes no age, and a monitor that stopped
   * publishes nothing. A second alarm fires when any resource could not be
   * measured for three runs. These complement `monitorBackup`'s per-vault
   * dead man's switch, which rests on AWS Backup's own metrics and so still
   * speaks if the monitor itself is broken.
   */
  public monitorRecoveryPoints(monitor: RecoveryPointMonitor): cloudwatch.IAlarm[] {
    return this.add(new RecoveryPointMonitoring(this.factory, monitor));
  }

  /**
   * Watches restore drills, per resource type: `dr-drill-{type}-rto` when a
   * drill's measured RTO exceeds `rto`, `dr-drill-{type}-failed` when a drill
   * fails or times out, and, with the recovery point monitor,
   * `dr-drill-{type}-{plan}-overdue` for each of the drill's plans it
   * measures (`snapshot`, `continuous`) when no drill of that plan has
   * validated within the schedule (missing data is breaching: until the
   * first drill passes, the restore is unproven). The first two keep their state between drills.
   */
  public monitorRestoreDrills(drill: RestoreDrill, options: MonitorRestoreDrillsOptions): cloudwatch.IAlarm[] {
    return this.add(new RestoreDrillMonitoring(this.factory, drill, options));
  }

  /**
   * Watches a store by its handle, the one the backup plan, monitor and
   * drills take: a database as `monitorDatabase`, a table as `monitorTable`.
   * A bucket has no alarms of its own here (its recovery points are watched
   * by `monitorRecoveryPoints`, its replication by `monitorBucketReplication`):
   * none is made and none is claimed. Other handles are refused.
   */
  public monitorResource(resource: ProtectedResource, options: MonitorOptions = {}): cloudwatch.IAlarm[] {
    const cluster = resource._cluster;
    const table = resource._table;
    if (cluster) return this.monitorDatabase(cluster, options);
    if (table) return this.monitorTable(table, options);
    if (resource._bucket) return [];
    throw new DrValidationError(this,
      `only a database, table or bucket handle made from its construct can be monitored here, got: ${resource.resourceType} ${quote(resource.name)}`);
  }

  /**
   * Watches an Aurora cluster: CPU, freeable memory, connections, replica lag
   * and deadlocks.
   */
  public monitorDatabase(cluster: rds.IDatabaseCluster, options: MonitorOptions = {}): cloudwatch.IAlarm[] {
    return this.add(new AuroraMonitoring(this.factory, cluster, options));
  }

  /**
   * Watches one member cluster of an Aurora global database, in its region,
   * whatever its role: call it on the DrAlarms of each region with that
   * region's cluster, and each region's alarms follow its cluster's role
   * across switchovers, failovers and switches back. A function
   * (`dr-{name}-role-{environmentSuffix}`, every minute, outside any VPC)
   * asks RDS (`DescribeGlobalClusters`) whether the cluster is the writer,
   * and publishes nothing when it cannot tell. The alarms:
   *
   * - `rpo-lag` (composite): the RPO lag (`AuroraGlobalDBRPOLag`, the data a
   *   failover now would lose) at or above half of `regionRpo`, or missing,
   *   three minutes in a row while the cluster is not known to be the
   *   writer. OK while it is the writer.
   * - `replication-lag`: `AuroraGlobalDBReplicationLag` at or above half of
   *   `regionRpo`; missing data (the writer's case) is not breaching.
   * - `role-unknown`: no role published for ten minutes.
   *
   * Each lag is read across every dimension set RDS publishes it under,
   * through a CloudWatch Metrics Insights query, in this region.
   */
  public monitorGlobalDatabase(cluster: rds.IDatabaseCluster, options: GlobalDatabaseMonitorOptions): cloudwatch.IAlarm[] {
    const segment = new GlobalDatabaseMonitoring(this.factory, cluster, options);
    this.factory.addWriterRole(segment.name, segment.isWriter);
    return this.add(segment);
  }

  /**
   * Watches a DynamoDB table: read and write throttle events and system
   * errors; latency goes on the dashboard.
   */
  public monitorTable(table: dynamodb.ITable, options: MonitorOptions = {}): cloudwatch.IAlarm[] {
    return this.add(new TableMonitoring(this.factory, table, options));
  }

  /**
   * Watches a global table's replication out of this region: an alarm
   * `dr-{name}-latency-{region}-{environmentSuffix}` per receiving region on
   * DynamoDB's `ReplicationLatency`, from the table's region or a replica
   * region (DynamoDB publishes it where items are written). It fires when
   * the maximum latency exceeds half of `regionRpo` in two consecutive
   * minutes, leaving half the RPO to act in. Missing data keeps the state:
   * an idle table is silent, and so is a replication that has stopped;
   * silence proves nothing either way. With `followWriterOf` the alarms are
   * OK while this region's cluster of that global database is a secondary,
   * so watching from both regions leaves no alarm stuck after a switch.
   * `PendingReplicationCount` (legacy 2017.11.29 tables only) is not watched.
   */
  public monitorTableReplication(table: GlobalPitrTable, options: TableReplicationMonitorOptions): cloudwatch.IAlarm[] {
    return this.add(new TableReplicationMonitoring(this.factory, table, options));
  }

  /**
   * Watches a VersionedBucket's cross-region replication. S3 publishes its
   * replication metrics in two regions, and a CloudWatch alarm reads only
   * its own region's, so call this on the DrAlarms of each region:
   *
   * - in the destination region: `dr-{name}-latency-{environmentSuffix}` on
   *   `ReplicationLatency`, firing when the maximum latency exceeds half of
   *   `regionRpo` in two consecutive minutes (the other half is left to act
   *   in). Missing data keeps the state, as AWS advises for these metrics.
   *   The bucket's stack needs a concrete account and region, so the source
   *   bucket's name is a plain string here.
   * - in the bucket's region: `dr-{name}-failed-{environmentSuffix}` on
   *   `OperationsFailedReplication`, firing on any failed operation (a
   *   failure is not retried: the object stays unreplicated).
   *
   * Each region's dashboard also graphs the latency and the pending
   * operations and bytes. The pending counts get no alarm: a count of
   * waiting objects says nothing about how long they have waited, which
   * the latency alarm measures. S3 promises nothing shorter than Replication
   * Time Control's 15 minutes, so a `regionRpo` below that is refused.
   */
  public monitorBucketReplication(bucket: VersionedBucket, options: ReplicationMonitorOptions): cloudwatch.IAlarm[] {
    return this.add(new BucketReplicationMonitoring(this.factory, bucket, options));
  }

  /**
   * Watches a Lambda function: errors, throttles and duration near its timeout.
   */
  public monitorFunction(fn: lambda.IFunction, options: MonitorFunctionOptions = {}): cloudwatch.IAlarm[] {
    return this.add(new FunctionMonitoring(this.factory, fn, options));
  }

  /**
   * Puts a RegionHealthCheck's alarm, the one Route 53 watches, and the
   * result of each of its checks on the dashboard.
   *
   * No second alarm is made, and the alarm keeps its own actions: give the
   * health check this `alarmTopic` to be notified. The health check must be
   * in this DrAlarms's region.
   */
  public monitorRegionHealthCheck(healthCheck: RegionHealthCheck): cloudwatch.IAlarm[] {
    return this.add(new RegionHealthMonitoring(this.factory, healthCheck));
  }

  /**
   * Puts an EventForwarding's alarms, on events waiting in its dead-letter
   * queue and on lost events, on the dashboard.
   *
   * No second alarm is made, and the alarms keep their own actions. The
   * forwarding must be in this DrAlarms's region.
   */
  public monitorEventForwarding(forwarding: EventForwarding): cloudwatch.IAlarm[] {
    return this.add(new EventForwardingMonitoring(this.factory, forwarding));
  }

  /** Puts a monitor's widgets on the dashboard, as one row, and returns its alarms. */
  private add(segment: MonitoringSegment): cloudwatch.IAlarm[] {
    this.dashboard.addWidgets(...segment.widgets);
    return segment.alarms;
  }
}
