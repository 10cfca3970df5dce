import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AuroraGlobalSecondary } from '../aurora-global-secondary';
import { GlobalPitrTable } from '../global-pitr-table';
import { HourlyBackup } from '../hourly-backup';
import { BACKUP_RESOURCE_TYPES } from '../hourly-backup/backup-resource-types';
import { RecoveryPointMonitor } from '../recovery-point-monitor';
import { RestoreDrill } from '../restore-drill';
import { VersionedBucket } from '../versioned-bucket';
import { DrAlarmThresholds, ResolvedThresholds, resolveThresholds } from './thresholds';
import { createAlarmTopic, validateAlarmEmails } from '../private/alarm-topic';
import { vaultJobCount } from '../private/backup-metrics';
import { describeDuration, validateDuration } from '../private/duration';
import { validateKeyRegion } from '../private/kms';
import { DerivedName, NAME_LIMITS, namePartFromId, pascalCase, physicalName, validateEnvironmentSuffix, validateNamePart } from '../private/naming';
import { isDestroy } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';


/** CloudWatch evaluates an alarm over at most 7 days (period times evaluation periods). */
const MAX_ALARM_EVALUATION_MINUTES = 7 * 24 * 60;

/**
 * Options for monitoring one resource.
 */
export interface MonitorOptions {
  /**
   * The name the alarms carry, `dr-{name}-{metric}-{environmentSuffix}`.
   * Lowercase letters, digits and hyphens.
   *
   * @default - 'aurora' for a database, 'table' for a table, the construct id (lowercased) for a function
   */
  readonly name?: string;
}

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
 * Options for watching restore drills.
 */
export interface MonitorRestoreDrillsOptions {
  /**
   * The recovery time objective: a drill whose measured RTO (restore job
   * created to validated and queryable) exceeds it alarms.
   */
  readonly rto: Duration;

  /**
   * The monitor that measures the hours since each resource type's last
   * validated drill (its `restoreTestingPlanArn` must be the drill's plan).
   * Without it there is no overdue-drill alarm.
   *
   * @default - no alarm for a drill that never happens
   */
  readonly recoveryPointMonitor?: RecoveryPointMonitor;

  /**
   * The longest the drill schedule leaves between two drills. A resource type
   * with no validated drill for this plus one day (for the start window, the
   * restore and the validation) alarms.
   *
   * @default - the drill's `scheduleInterval`
   */
  readonly drillInterval?: Duration;
}

/**
 * What the dead-man alarm of a backup vault needs to know.
 */
export interface BackupVaultMonitorOptions {
  /** The RPO the plan writing to the vault holds its resources to. */
  readonly rpo: Duration;

  /**
   * The completion window of the plan's backup rules: how late after its
   * scheduled time a job may complete. A vault does not tell it, so it is
   * asked for.
   */
  readonly completionWindow: Duration;
}

/**
 * Options for monitoring a Lambda function.
 */
export interface MonitorFunctionOptions extends MonitorOptions {
  /**
   * The function's timeout, for the duration alarm.
   *
   * @default - the timeout of a `lambda.Function`; required for other `IFunction`s
   */
  readonly timeout?: Duration;
}

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
 * Every alarm is named `dr-{subject}-{metric}-{environmentSuffix}`, notifies
 * the topic on ALARM and OK, and treats missing data deliberately: as
 * breaching where silence means something is down (no completed backup,
 * no CPU reported, no replica reporting lag), as not breaching where silence
 * means nothing happened (no errors, no throttles).
 *
 * @example
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

  private readonly names: AlarmNames;
  private readonly thresholds: ResolvedThresholds;
  private readonly period: Duration;
  private readonly action: cwActions.SnsAction;
  private readonly allAlarms: cloudwatch.Alarm[] = [];
  private readonly subjects = new Set<string>();

  constructor(scope: Construct, id: string, props: DrAlarmsProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, derivedNames);
    const names = alarmNames(props.environmentSuffix);
    this.names = names;
    this.thresholds = resolveThresholds(this, props.thresholds);
    this.period = props.period ?? Duration.minutes(5);
    validateDuration(this, 'period', this.period, {
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
    this.action = new cwActions.SnsAction(this.alarmTopic);

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
      new LiveAlarmStatusWidget(() => this.allAlarms),
    );

    if (props.backup) this.monitorBackup(props.backup);
    if (props.database) this.monitorDatabase(props.database);
    if (props.table) this.monitorTable(props.table);
    for (const fn of props.functions ?? []) this.monitorFunction(fn);
  }

  /** Every alarm created so far. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.allAlarms];
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
    if (destinations.length === 0) {
      throw new DrValidationError(this, '`destinations` must name at least one vault to watch copies into');
    }
    const regions = destinations.map((v) => vaultRegionOf(v));
    const alarms: cloudwatch.Alarm[] = [];
    const widgets: cloudwatch.IWidget[] = [];
    destinations.forEach((vault, i) => {
      const region = regions[i];
      // A region names the alarm when it is known and names one destination only.
      const part = region && regions.filter((r) => r === region).length === 1 ? region : `destination${i + 1}`;
      if (this.subjects.has(`backup-copy-${part}`)) {
        throw new DrValidationError(this,
          `copies into ${region ?? `destination ${i + 1}`} are already watched here (alarm dr-backup-copy-${part}-failed): watch each destination once, got: ${vault.backupVaultName}`);
      }
      const subject = this.subjectName(`backup-copy-${part}`);
      const failed = vaultJobCount('NumberOfCopyJobsFailed', vault.backupVaultName, BACKUP_RESOURCE_TYPES, this.period);
      // A graph each: the math ids of two destinations' counts would clash in one.
      widgets.push(new cloudwatch.GraphWidget({
        title: `Backup copies into ${region ?? vault.backupVaultName}: failed copy jobs`,
        width: 12,
        left: [failed.with({ label: `Copy into ${part} failed` })],
      }));
      alarms.push(...this.addAlarms(pascalCase(subject), subject, [{
        id: 'Failed',
        name: 'failed',
        metric: failed,
        threshold: this.thresholds.backupJobsFailed,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Backup copy jobs into vault ${vault.backupVaultName}${region ? ` (${region})` : ''} failed: a recovery point was not copied out of this region, `
          + 'so a restore after losing the region would be older than the plan promises. The copy job\'s status message says why.',
      }]));
    });
    this.dashboard.addWidgets(...widgets);
    return alarms;
  }

  /**
   * Watches any backup vault: failed and expired backup jobs and failed copy
   * jobs in it, and a dead-man alarm when no backup job completes within the
   * RPO plus the completion window (missing data is breaching).
   */
  public monitorBackupVault(vault: backup.IBackupVault, options: BackupVaultMonitorOptions): cloudwatch.IAlarm[] {
    const vaultName = vault.backupVaultName;
    const rpo = options.rpo;
    const completionWindow = options.completionWindow;
    for (const [prop, d] of [['rpo', rpo], ['completionWindow', completionWindow]] as const) {
      if (d.isUnresolved()) {
        throw new DrValidationError(this, `\`${prop}\` must be a concrete duration, not a token: the missed-backup alarm's window is computed from it at synth, got: ${describeDuration(d)}`);
      }
      if (d.toSeconds({ integral: false }) <= 0) {
        throw new DrValidationError(this, `\`${prop}\` must be positive, got: ${d.toHumanString()}`);
      }
    }
    // Robust to whether AWS publishes a vault-only series: see vaultJobCount.
    const backupMetric = (metricName: string, period: Duration) =>
      vaultJobCount(metricName, vaultName, BACKUP_RESOURCE_TYPES, period);
    const failed = this.thresholds.backupJobsFailed;
    // Dead man's switch: evaluated hourly over the RPO plus the completion
    // window, the longest a healthy plan goes without a completed job.
    const silentMinutes = rpo.toMinutes({ integral: false }) + completionWindow.toMinutes({ integral: false });
    const hours = Math.max(1, Math.ceil(silentMinutes / 60));
    if (hours * 60 > MAX_ALARM_EVALUATION_MINUTES) {
      throw new DrValidationError(this,
        '`rpo` plus `completionWindow` of the backup plan must be at most 7 days for the missed-backup alarm, which CloudWatch evaluates over at most 7 days, '
        + `got: rpo ${describeDuration(rpo)} + completionWindow ${describeDuration(completionWindow)} = ${hours} hours`);
    }
    const alarms = this.addAlarms('', '', [
      {
        id: 'BackupJobsFailed',
        name: 'backup-jobs-failed',
        metric: backupMetric('NumberOfBackupJobsFailed', this.period),
        threshold: failed,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Backup jobs failed in vault ${vaultName}: the resources they cover have no new recovery point.`,
      },
      {
        id: 'BackupJobsExpired',
        name: 'backup-jobs-expired',
        metric: backupMetric('NumberOfBackupJobsExpired', this.period),
        threshold: failed,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'Backup jobs expired: they did not start within the start window.',
      },
      {
        id: 'CopyJobsFailed',
        name: 'copy-jobs-failed',
        metric: backupMetric('NumberOfCopyJobsFailed', this.period),
        threshold: failed,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'Backup copy jobs failed: a recovery point was not copied.',
      },
      {
        id: 'NoCompletedBackup',
        name: 'backup-missing',
        metric: backupMetric('NumberOfBackupJobsCompleted', Duration.hours(1)),
        threshold: 1,
        fires: 'below',
        missingData: 'breaching',
        evaluationPeriods: hours,
        description: `No backup job completed in vault ${vaultName} for ${hours} hours (RPO ${rpo.toHumanString()} `
          + `+ completion window ${completionWindow.toHumanString()}): the RPO is no longer being met. Missing data counts as breaching.`,
      },
    ]);
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({
      title: 'Backup jobs',
      width: 24,
      left: [
        backupMetric('NumberOfBackupJobsCompleted', Duration.hours(1)).with({ label: 'Completed' }),
        backupMetric('NumberOfBackupJobsFailed', Duration.hours(1)).with({ label: 'Failed' }),
        backupMetric('NumberOfBackupJobsExpired', Duration.hours(1)).with({ label: 'Expired' }),
        backupMetric('NumberOfCopyJobsFailed', Duration.hours(1)).with({ label: 'Copy failed' }),
      ],
    }));
    return alarms;
  }

  /**
   * Watches the measured RPO of every resource the monitor measures: an
   * alarm `dr-rpo-{name}` when the effective RPO exceeds the resource's
   * threshold for three measurement runs in a row. Missing data is breaching
   * after the same grace: a resource that is gone, was never backed up or
   * cannot be measured publishes no age, and a monitor that stopped
   * publishes nothing. A second alarm fires when any resource could not be
   * measured for three runs. These complement `monitorBackup`'s per-vault
   * dead man's switch, which rests on AWS Backup's own metrics and so still
   * speaks if the monitor itself is broken.
   */
  public monitorRecoveryPoints(monitor: RecoveryPointMonitor): cloudwatch.IAlarm[] {
    const grace = 3;
    const rows: AlarmDefinition[] = monitor.resources.map((r) => ({
      id: `Rpo${pascalCase(r.name)}`,
      name: `rpo-${r.name}`,
      metric: monitor.metricEffectiveRpo(r.name),
      threshold: r.alarmThreshold.toSeconds(),
      fires: 'above',
      missingData: 'breaching',
      evaluationPeriods: grace,
      description: `The measured RPO of ${r.resourceType} ${r.name} is over ${r.alarmThreshold.toHumanString()}`
        + (r.measuresRestorableTime ? ' (the RPO)' : ' (the RPO, or what hourly snapshots allow, whichever is longer: no API reports its continuous backup\'s latest restorable time)')
        + `: a restore now would lose more data than that. Missing data counts as breaching after ${grace} runs: the resource is gone, has no recovery point or cannot be measured.`,
    }));
    rows.push({
      id: 'RpoMeasurementFailures',
      name: 'rpo-measurement-failed',
      metric: monitor.metricMeasurementFailures(),
      threshold: 1,
      fires: 'atOrAbove',
      missingData: 'breaching',
      evaluationPeriods: grace,
      description: `The recovery point monitor could not measure a resource, or did not run, ${grace} times in a row: see its log group ${monitor.logGroup.logGroupName}.`,
    });
    const alarms = this.addAlarms('', '', rows);
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({
      title: 'Measured RPO (seconds): data a restore now would lose',
      width: 24,
      left: monitor.resources.map((r) => monitor.metricEffectiveRpo(r.name).with({ label: `${r.name} (${r.resourceType})` })),
      leftAnnotations: [...new Set(monitor.resources.map((r) => r.alarmThreshold.toSeconds()))]
        .map((value) => ({ value, label: `alarm at ${Duration.seconds(value).toHumanString()}` })),
    }));
    return alarms;
  }

  /**
   * Watches restore drills, per resource type: `dr-drill-{type}-rto` when a
   * drill's measured RTO exceeds `rto`, `dr-drill-{type}-failed` when a drill
   * fails or times out, and, with the recovery point monitor,
   * `dr-drill-{type}-overdue` when no drill has validated within the
   * schedule (missing data is breaching: until the first drill passes, the
   * restore is unproven). The first two keep their state between drills.
   */
  public monitorRestoreDrills(drill: RestoreDrill, options: MonitorRestoreDrillsOptions): cloudwatch.IAlarm[] {
    const rto = options.rto;
    if (!rto.isUnresolved() && rto.toSeconds() < 60) {
      throw new DrValidationError(this, `\`rto\` must be at least 1 minute, got: ${rto.toHumanString()}`);
    }
    const interval = options.drillInterval ?? drill.scheduleInterval;
    if (!interval.isUnresolved() && (interval.toHours({ integral: false }) < 1 || interval.toDays({ integral: false }) > 31)) {
      throw new DrValidationError(this, `\`drillInterval\` must be from 1 hour to 31 days (a monthly schedule's longest gap), got: ${interval.toHumanString()}`);
    }
    const monitor = options.recoveryPointMonitor;
    if (monitor && !monitor.drillResourceTypes.length) {
      throw new DrValidationError(this, '`recoveryPointMonitor` does not measure drills: give it the restore testing plan\'s ARN as `restoreTestingPlanArn`');
    }
    const overdueHours = Math.ceil(interval.toHours({ integral: false })) + 24;
    const day = Duration.days(1);
    const alarms: cloudwatch.Alarm[] = [];
    for (const type of drill.resourceTypes) {
      const part = type.toLowerCase();
      const rows: AlarmDefinition[] = [
        {
          id: 'Rto',
          name: 'rto',
          metric: drill.metricMeasuredRto(type, { period: day }),
          threshold: rto.toSeconds(),
          fires: 'above',
          missingData: 'ignore',
          description: `The last ${type} restore drill took longer than the RTO (${rto.toHumanString()}) from the restore job's creation to a validated, queryable copy.`,
        },
        {
          id: 'Failed',
          name: 'failed',
          metric: drill.metricDrillFailed(type, { period: day }),
          threshold: 1,
          fires: 'atOrAbove',
          missingData: 'ignore',
          description: `The last ${type} restore drill failed or timed out: the backups are not proven to restore. Its reason is in AWS Backup's restore testing jobs.`,
        },
      ];
      if (monitor && monitor.drillResourceTypes.includes(type)) {
        rows.push({
          id: 'Overdue',
          name: 'overdue',
          metric: monitor.metricLastValidatedDrillAge(type),
          threshold: overdueHours,
          fires: 'above',
          missingData: 'breaching',
          evaluationPeriods: 3,
          description: `No ${type} restore drill has validated in ${overdueHours} hours (the ${interval.toHumanString()} schedule plus a day), `
            + 'or none ever has: the restore is unproven. Missing data counts as breaching.',
        });
      }
      alarms.push(...this.addAlarms(`Drill${pascalCase(part)}`, `drill-${part}`, rows));
    }
    const perType = (metric: (type: string) => cloudwatch.IMetric) => drill.resourceTypes.map(metric);
    this.dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({
        title: `Last drill: measured RTO (seconds; RTO ${rto.toHumanString()})`,
        width: 12,
        metrics: perType((type) => drill.metricMeasuredRto(type, { period: Duration.days(30), label: type })),
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Hours since the last validated drill',
        width: 12,
        metrics: monitor ? perType((type) => monitor.metricLastValidatedDrillAge(type, { label: type })) : [],
      }),
    );
    return alarms;
  }

  /**
   * Watches an Aurora cluster: CPU, freeable memory, connections, replica lag
   * and deadlocks.
   */
  public monitorDatabase(cluster: rds.IDatabaseCluster, options: MonitorOptions = {}): cloudwatch.IAlarm[] {
    const name = this.subjectName(options.name ?? 'aurora');
    const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName,
      dimensionsMap: { DBClusterIdentifier: cluster.clusterIdentifier },
      statistic,
      period: this.period,
    });
    const cpu = metric('CPUUtilization', cloudwatch.Stats.MAXIMUM);
    const memory = metric('FreeableMemory', cloudwatch.Stats.MINIMUM);
    const connections = metric('DatabaseConnections', cloudwatch.Stats.MAXIMUM);
    const lag = metric('AuroraReplicaLagMaximum', cloudwatch.Stats.MAXIMUM);
    const deadlocks = metric('Deadlocks', cloudwatch.Stats.AVERAGE);
    const t = this.thresholds;
    const alarms = this.addAlarms(pascalCase(name), name, [
      {
        id: 'Cpu',
        name: 'cpu',
        metric: cpu,
        threshold: t.databaseCpuPercent,
        fires: 'atOrAbove',
        missingData: 'breaching',
        description: 'Aurora CPU is high. Missing data counts as breaching: a cluster that reports no CPU is not serving.',
      },
      {
        id: 'FreeableMemory',
        name: 'freeable-memory',
        metric: memory,
        threshold: t.databaseFreeableMemory,
        fires: 'below',
        missingData: 'notBreaching',
        description: 'Aurora freeable memory is low.',
      },
      {
        id: 'Connections',
        name: 'connections',
        metric: connections,
        threshold: t.databaseConnections,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'Aurora connections are near the limit the application was sized for.',
      },
      {
        id: 'ReplicaLag',
        name: 'replica-lag',
        metric: lag,
        threshold: t.databaseReplicaLag,
        fires: 'atOrAbove',
        missingData: 'breaching',
        description: 'Aurora replica lag is high: a failover now would lose that much data. Missing data counts as breaching: no reader, no failover target.',
      },
      {
        id: 'Deadlocks',
        name: 'deadlocks',
        metric: deadlocks,
        threshold: t.databaseDeadlocksPerSecond,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'Aurora deadlocks: transactions are being rolled back.',
      },
    ]);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `Aurora ${name}: CPU and connections`, width: 8, left: [cpu], right: [connections] }),
      new cloudwatch.GraphWidget({ title: `Aurora ${name}: freeable memory`, width: 8, left: [memory] }),
      new cloudwatch.GraphWidget({ title: `Aurora ${name}: replica lag (ms) and deadlocks`, width: 8, left: [lag], right: [deadlocks] }),
    );
    return alarms;
  }

  /**
   * Watches the replication of an Aurora global database from its secondary
   * cluster: the RPO lag (`AuroraGlobalDBRPOLag`, the data a failover now
   * would lose) and the storage replication lag
   * (`AuroraGlobalDBReplicationLag`), each as its maximum over one minute.
   *
   * Both alarm when the lag reaches half of `regionRpo`: a failover at that
   * moment still loses less than the RPO allows, and the other half is the
   * time to act. Missing RPO-lag data counts as breaching (a secondary that
   * reports no lag is not replicating); missing replication-lag data does
   * not (the RPO-lag alarm already covers silence).
   *
   * RDS publishes these metrics in the secondary's region only: this
   * DrAlarms must be in the secondary cluster's stack's region.
   */
  public monitorGlobalDatabase(secondary: AuroraGlobalSecondary, options: GlobalDatabaseMonitorOptions): cloudwatch.IAlarm[] {
    const name = this.subjectName(options.name ?? 'aurora-global');
    const rpoSeconds = validateDuration(this, 'regionRpo', options.regionRpo, {
      unit: 'seconds',
      min: 2,
      max: MAX_ALARM_EVALUATION_MINUTES * 60,
      minReason: 'the alarms fire at half of it, and the lag is reported in whole milliseconds each minute',
      tokens: false,
      tokenReason: 'the alarm thresholds are computed from it at synth',
    })!;
    const thresholdMs = rpoSeconds * 1000 / 2;
    const period = Duration.minutes(1);
    const rpoLag = secondary.metricRpoLag({ period });
    const replicationLag = secondary.metricReplicationLag({ period });
    const rpo = describeDuration(options.regionRpo);
    const alarms = this.addAlarms(pascalCase(name), name, [
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
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({
      title: `Aurora global ${name}: lag behind the primary (ms)`,
      width: 24,
      left: [rpoLag, replicationLag],
      leftAnnotations: [
        { value: thresholdMs, label: 'alarm (half the region RPO)', color: cloudwatch.Color.ORANGE },
        { value: rpoSeconds * 1000, label: 'region RPO', color: cloudwatch.Color.RED },
      ],
    }));
    return alarms;
  }

  /**
   * Watches a DynamoDB table: read and write throttle events and system
   * errors; latency goes on the dashboard.
   */
  public monitorTable(table: dynamodb.ITable, options: MonitorOptions = {}): cloudwatch.IAlarm[] {
    const name = this.subjectName(options.name ?? 'table');
    const metric = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB',
      metricName,
      dimensionsMap: { TableName: table.tableName },
      statistic: cloudwatch.Stats.SUM,
      period: this.period,
    });
    const reads = metric('ReadThrottleEvents');
    const writes = metric('WriteThrottleEvents');
    // An alarm's math expression takes at most 10 metrics: the data-plane operations an application calls.
    const systemErrors = table.metricSystemErrorsForOperations({
      period: this.period,
      statistic: cloudwatch.Stats.SUM,
      operations: [
        dynamodb.Operation.GET_ITEM, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.DELETE_ITEM,
        dynamodb.Operation.QUERY, dynamodb.Operation.SCAN, dynamodb.Operation.BATCH_GET_ITEM, dynamodb.Operation.BATCH_WRITE_ITEM,
        dynamodb.Operation.TRANSACT_GET_ITEMS, dynamodb.Operation.TRANSACT_WRITE_ITEMS,
      ],
    });
    const t = this.thresholds;
    const alarms = this.addAlarms(pascalCase(name), name, [
      {
        id: 'ReadThrottles',
        name: 'read-throttles',
        metric: reads,
        threshold: t.tableThrottleEvents,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'DynamoDB read requests are being throttled.',
      },
      {
        id: 'WriteThrottles',
        name: 'write-throttles',
        metric: writes,
        threshold: t.tableThrottleEvents,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'DynamoDB write requests are being throttled: writes may be lost if the caller does not retry.',
      },
      {
        id: 'SystemErrors',
        name: 'system-errors',
        metric: systemErrors,
        threshold: t.tableSystemErrors,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'DynamoDB returned server errors (HTTP 500).',
      },
    ]);
    const latency = ['GetItem', 'PutItem', 'Query'].map((operation) => new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB',
      metricName: 'SuccessfulRequestLatency',
      dimensionsMap: { TableName: table.tableName, Operation: operation },
      statistic: cloudwatch.Stats.p(99),
      period: this.period,
      label: `${operation} p99`,
    }));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `DynamoDB ${name}: throttles and system errors`, width: 12, left: [reads, writes], right: [systemErrors] }),
      new cloudwatch.GraphWidget({ title: `DynamoDB ${name}: latency (ms)`, width: 12, left: latency }),
    );
    return alarms;
  }

  /**
   * Watches a global table's replication to each replica region: an alarm
   * `dr-{name}-latency-{region}-{environmentSuffix}` per replica region on
   * DynamoDB's `ReplicationLatency`.
   *
   * The threshold rule: the alarm fires when the maximum latency exceeds
   * half of `regionRpo` in two consecutive minutes, so it speaks while half
   * the RPO is still left to act in. Missing data keeps the alarm's state:
   * DynamoDB publishes the latency only for items it replicates, so an idle
   * table is silent, and so is a replication that has stopped altogether;
   * silence proves nothing either way (the region health check covers a
   * region that stops answering).
   *
   * DynamoDB publishes this metric in the table's region, so call this on
   * the DrAlarms of that region. `PendingReplicationCount` is not watched:
   * DynamoDB publishes it for legacy (2017.11.29) global tables only.
   */
  public monitorTableReplication(table: GlobalPitrTable, options: ReplicationMonitorOptions): cloudwatch.IAlarm[] {
    const thresholdMs = this.replicationThreshold(options.regionRpo, 1).toMilliseconds({ integral: false });
    const here = Stack.of(this).region;
    const tableRegion = Stack.of(table).region;
    if (!Token.isUnresolved(here) && !Token.isUnresolved(tableRegion) && here !== tableRegion) {
      throw new DrValidationError(this,
        `the table ${table.node.path} replicates from ${tableRegion}, where DynamoDB publishes its ReplicationLatency; `
        + `a CloudWatch alarm in ${here} cannot read it: call monitorTableReplication on the DrAlarms of ${tableRegion}`);
    }
    const name = this.subjectName(options.name ?? 'table-replication');
    const rows: AlarmDefinition[] = table.replicaRegions.map((region) => ({
      id: `Latency${pascalCase(region)}`,
      name: `latency-${region}`,
      metric: table.metricReplicationLatency(region),
      threshold: thresholdMs,
      fires: 'above',
      missingData: 'ignore',
      evaluationPeriods: 2,
      description: `DynamoDB table ${table.tableName} replicates to ${region} more than ${Duration.millis(thresholdMs).toHumanString()} late `
        + `(half the cross-region RPO of ${options.regionRpo.toHumanString()}) two minutes in a row: losing this region now would lose that much. `
        + 'Missing data keeps the state: the metric exists only while items replicate.',
    }));
    const alarms = this.addAlarms(pascalCase(name), name, rows);
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({
      title: `DynamoDB ${table.tableName}: replication latency (ms)`,
      width: 24,
      left: table.replicaRegions.map((region) => table.metricReplicationLatency(region, { label: `to ${region}` })),
      leftAnnotations: [{ value: thresholdMs, label: `alarm: half the RPO (${options.regionRpo.toHumanString()})` }],
    }));
    return alarms;
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
    if (!bucket.replicationDestinationRegion || !bucket.replicationDestinationBucketName) {
      throw new DrValidationError(this, `the bucket ${bucket.node.path} does not replicate: give it \`replication\` before watching its replication`);
    }
    const threshold = this.replicationThreshold(options.regionRpo, 15);
    const here = Stack.of(this).region;
    const source = Stack.of(bucket).region;
    const destination = bucket.replicationDestinationRegion;
    const sameStack = Stack.of(this) === Stack.of(bucket);
    let side: 'source' | 'destination';
    if (sameStack || (!Token.isUnresolved(here) && here === source)) {
      side = 'source';
    } else if (!Token.isUnresolved(here) && here === destination) {
      side = 'destination';
      if (Token.isUnresolved(bucket._physicalBucketName)) {
        throw new DrValidationError(this,
          `the bucket ${bucket.node.path} is in a stack without a concrete account and region, so its name is not known in ${destination}: `
          + 'give that stack an `env` to watch its replication from the destination region');
      }
    } else {
      throw new DrValidationError(this,
        `the bucket ${bucket.node.path} replicates from ${Token.isUnresolved(source) ? "its stack's region" : source} to ${destination}; `
        + `S3 publishes its replication metrics in those two regions only, and this DrAlarms is in ${Token.isUnresolved(here) ? 'another stack of unknown region' : here}`);
    }
    const name = this.subjectName(options.name ?? 'bucket-replication');
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
      metric: bucket.metricOperationsFailedReplication({ period: this.period }),
      threshold: 1,
      fires: 'atOrAbove',
      missingData: 'notBreaching',
      description: `S3 failed to replicate objects of ${bucket.bucketName} to ${destination}: they stay unreplicated until someone acts `
        + '(the OperationFailedReplication events name them and the reason).',
    }];
    const alarms = this.addAlarms(pascalCase(name), name, rows);
    this.dashboard.addWidgets(
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
    );
    return alarms;
  }

  /**
   * Half of the region RPO: the replication-lag threshold. The RPO must be
   * concrete and at least `minMinutes`.
   */
  private replicationThreshold(regionRpo: Duration, minMinutes: number): Duration {
    if (regionRpo.isUnresolved()) {
      throw new DrValidationError(this, `\`regionRpo\` must be a concrete duration, not a token: the replication alarm's threshold is computed from it at synth, got: ${describeDuration(regionRpo)}`);
    }
    const minutes = regionRpo.toMinutes({ integral: false });
    if (!(minutes >= minMinutes)) {
      throw new DrValidationError(this, minMinutes === 15
        ? `\`regionRpo\` must be at least 15 minutes for a bucket: S3 Replication Time Control replicates 99.99 % of objects within 15 minutes and promises nothing shorter, got: ${regionRpo.toHumanString()}`
        : `\`regionRpo\` must be at least ${minMinutes} minute${minMinutes === 1 ? '' : 's'}, got: ${regionRpo.toHumanString()}`);
    }
    return Duration.seconds(regionRpo.toSeconds({ integral: false }) / 2);
  }

  /**
   * Watches a Lambda function: errors, throttles and duration near its timeout.
   */
  public monitorFunction(fn: lambda.IFunction, options: MonitorFunctionOptions = {}): cloudwatch.IAlarm[] {
    const name = this.subjectName(options.name ?? `fn-${namePartFromId(fn.node.id)}`);
    // A lambda.Function without a timeout runs with Lambda's default of 3 seconds.
    const timeout = options.timeout ?? (fn instanceof lambda.Function ? (fn.timeout ?? Duration.seconds(3)) : undefined);
    if (!timeout) {
      throw new DrValidationError(this, `\`timeout\` is required to watch ${fn.node.path}: only a lambda.Function carries its timeout`);
    }
    const errors = fn.metricErrors({ period: this.period, statistic: cloudwatch.Stats.SUM });
    const throttles = fn.metricThrottles({ period: this.period, statistic: cloudwatch.Stats.SUM });
    const duration = fn.metricDuration({ period: this.period, statistic: cloudwatch.Stats.MAXIMUM });
    const t = this.thresholds;
    const percent = t.functionDurationPercentOfTimeout;
    const alarms = this.addAlarms(pascalCase(name), name, [
      {
        id: 'Errors',
        name: 'errors',
        metric: errors,
        threshold: t.functionErrors,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Lambda ${name} invocations failed.`,
      },
      {
        id: 'Throttles',
        name: 'throttles',
        metric: throttles,
        threshold: t.functionThrottles,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Lambda ${name} invocations were throttled.`,
      },
      {
        id: 'Duration',
        name: 'duration',
        metric: duration,
        threshold: Math.round(timeout.toMilliseconds() * percent / 100),
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Lambda ${name} ran for ${percent}% of its ${timeout.toHumanString()} timeout: it is about to time out.`,
      },
    ]);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `Lambda ${name}: errors and throttles`, width: 12, left: [errors, throttles] }),
      new cloudwatch.GraphWidget({ title: `Lambda ${name}: duration (ms)`, width: 12, left: [duration] }),
    );
    return alarms;
  }

  /**
   * Creates one alarm per row: construct id `{idPrefix}{row.id}`, name
   * `dr-{namePrefix}-{row.name}-{environmentSuffix}`, notifying the topic on
   * ALARM and OK.
   */
  private addAlarms(idPrefix: string, namePrefix: string, rows: AlarmDefinition[]): cloudwatch.Alarm[] {
    return rows.map((row) => {
      const evaluationPeriods = row.evaluationPeriods ?? 1;
      const alarm = new cloudwatch.Alarm(this, `${idPrefix}${row.id}`, {
        alarmName: this.names.alarm(namePrefix ? `${namePrefix}-${row.name}` : row.name),
        metric: row.metric,
        threshold: row.threshold,
        comparisonOperator: COMPARISON[row.fires],
        treatMissingData: MISSING_DATA[row.missingData],
        alarmDescription: row.description,
        evaluationPeriods,
        datapointsToAlarm: row.evaluationPeriods === undefined ? undefined : evaluationPeriods,
      });
      alarm.addAlarmAction(this.action);
      alarm.addOkAction(this.action);
      this.allAlarms.push(alarm);
      return alarm;
    });
  }

  private subjectName(name: string): string {
    validateNamePart(this, 'name', name);
    const longest = this.names.alarm(`${name}-freeable-memory`);
    if (longest.length > NAME_LIMITS.cloudwatchAlarm) {
      throw new DrValidationError(this, `\`name\` makes alarm names longer than ${NAME_LIMITS.cloudwatchAlarm} characters, got: ${quote(name)}`);
    }
    if (this.subjects.has(name)) {
      throw new DrValidationError(this, `\`name\` ${quote(name)} is already watched here: give each database, table or function its own name`);
    }
    this.subjects.add(name);
    return name;
  }
}

/** One row of an alarm table: what the alarm watches and when it fires. */
interface AlarmDefinition {
  /** Appended to the subject's construct id. */
  readonly id: string;
  /** Appended to the subject's name in the alarm name. */
  readonly name: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** At or above the threshold, strictly above it, or below it. */
  readonly fires: 'atOrAbove' | 'above' | 'below';
  /** How a period with no data counts; `ignore` keeps the alarm's state (for metrics published once per event). */
  readonly missingData: 'breaching' | 'notBreaching' | 'ignore';
  readonly description: string;
  /** Periods that must all breach; 1 unless given. */
  readonly evaluationPeriods?: number;
}

const COMPARISON: Record<AlarmDefinition['fires'], cloudwatch.ComparisonOperator> = {
  atOrAbove: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  above: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  below: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
};

const MISSING_DATA: Record<AlarmDefinition['missingData'], cloudwatch.TreatMissingData> = {
  breaching: cloudwatch.TreatMissingData.BREACHING,
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
  ignore: cloudwatch.TreatMissingData.IGNORE,
};

/** Renders every alarm of the construct, including those added after the widget. */
class LiveAlarmStatusWidget extends cloudwatch.ConcreteWidget {
  constructor(private readonly alarms: () => cloudwatch.IAlarm[]) {
    super(6, 3);
  }

  public toJson(): any[] {
    return [{
      type: 'alarm',
      width: this.width,
      height: this.height,
      x: this.x,
      y: this.y,
      properties: { title: 'DR alarms', alarms: this.alarms().map((a) => a.alarmArn), sortBy: 'stateUpdatedTimestamp' },
    }];
  }
}

/** Every physical name the construct derives from the suffix, in one place. */
interface AlarmNames {
  readonly topic: string;
  readonly topicKeyAlias: string;
  readonly dashboard: string;
  alarm(name: string): string;
}

function alarmNames(suffix: string): AlarmNames {
  return {
    topic: physicalName('dr-alarms', suffix),
    topicKeyAlias: `alias/${physicalName('dr-alarms', suffix)}`,
    dashboard: physicalName('dr-dashboard', suffix),
    alarm: (name: string) => physicalName(`dr-${name}`, suffix),
  };
}

/** The names the construct derives from the suffix, for the length check. */
function derivedNames(suffix: string): DerivedName[] {
  const n = alarmNames(suffix);
  return [
    { resource: 'SNS topic', name: n.topic, maxLength: NAME_LIMITS.snsTopic },
    { resource: 'CloudWatch dashboard', name: n.dashboard, maxLength: NAME_LIMITS.cloudwatchDashboard },
    { resource: 'CloudWatch alarm', name: n.alarm('aurora-freeable-memory'), maxLength: NAME_LIMITS.cloudwatchAlarm },
  ];
}

/** The region in a vault's ARN, or undefined when it is a token (a partition token alone does not hide it). */
function vaultRegionOf(vault: backup.IBackupVault): string | undefined {
  const parts = vault.backupVaultArn.split(':');
  return parts.length === 7 && parts[2] === 'backup' && !Token.isUnresolved(parts[3]) ? parts[3] : undefined;
}
