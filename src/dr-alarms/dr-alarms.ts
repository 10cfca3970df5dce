import { Duration, RemovalPolicy, Size, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { HourlyBackup } from '../hourly-backup';
import { createAlarmTopic } from '../private/alarm-topic';
import { DerivedName, NAME_LIMITS, pascalCase, physicalName, validateEnvironmentSuffix } from '../private/naming';
import { isDestroy } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';

/**
 * Alarm thresholds. Counts are over one evaluation `period`; an alarm fires
 * at the threshold or above (below, for freeable memory).
 */
export interface DrAlarmThresholds {
  /**
   * Failed or expired backup jobs, and failed copy jobs, in the vault.
   *
   * @default 1
   */
  readonly backupJobsFailed?: number;

  /**
   * Aurora CPU utilization, percent (maximum over the period).
   *
   * @default 80
   */
  readonly databaseCpuPercent?: number;

  /**
   * Aurora freeable memory: the alarm fires below this (minimum over the period).
   *
   * @default Size.mebibytes(256)
   */
  readonly databaseFreeableMemory?: Size;

  /**
   * Aurora database connections (maximum over the period).
   *
   * @default 200
   */
  readonly databaseConnections?: number;

  /**
   * Aurora replica lag (the cluster's maximum): a failover target this far
   * behind loses that much data.
   *
   * @default Duration.seconds(2)
   */
  readonly databaseReplicaLag?: Duration;

  /**
   * Aurora deadlocks per second (average over the period).
   *
   * @default 0.1
   */
  readonly databaseDeadlocksPerSecond?: number;

  /**
   * DynamoDB throttle events, read and write each (sum over the period).
   *
   * @default 1
   */
  readonly tableThrottleEvents?: number;

  /**
   * DynamoDB system errors over all operations (sum over the period).
   *
   * @default 1
   */
  readonly tableSystemErrors?: number;

  /**
   * Lambda errors (sum over the period).
   *
   * @default 1
   */
  readonly functionErrors?: number;

  /**
   * Lambda throttles (sum over the period).
   *
   * @default 1
   */
  readonly functionThrottles?: number;

  /**
   * Lambda duration, as a percentage of the function's timeout (maximum over the period).
   *
   * @default 80
   */
  readonly functionDurationPercentOfTimeout?: number;
}

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

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

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

  private readonly environmentSuffix: string;
  private readonly thresholds: DrAlarmThresholds;
  private readonly period: Duration;
  private readonly action: cwActions.SnsAction;
  private readonly allAlarms: cloudwatch.Alarm[] = [];
  private readonly names = new Set<string>();

  constructor(scope: Construct, id: string, props: DrAlarmsProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, derivedNames);
    this.environmentSuffix = props.environmentSuffix;
    this.thresholds = props.thresholds ?? {};
    this.period = props.period ?? Duration.minutes(5);
    validateThresholds(this, this.thresholds);
    if (!this.period.isUnresolved() && (this.period.toSeconds() < 60 || this.period.toSeconds() % 60 !== 0)) {
      throw new DrValidationError(this, `\`period\` must be a whole number of minutes, at least 1, got: ${this.period.toHumanString()}`);
    }
    if (props.alarmTopic && props.alarmEmails?.length) {
      throw new DrValidationError(this, '`alarmEmails` cannot be combined with `alarmTopic`: subscribe the addresses to your own topic');
    }
    for (const email of props.alarmEmails ?? []) {
      if (!Token.isUnresolved(email) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        throw new DrValidationError(this, `\`alarmEmails\` must hold email addresses, got: ${quote(email)}`);
      }
    }

    const destroy = isDestroy(this, props.removalPolicy, 'the alarm topic and its key');
    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this, 'Topic', {
      topicName: physicalName('dr-alarms', props.environmentSuffix),
      displayName: `DR alarms (${props.environmentSuffix})`,
      keyAlias: `alias/${physicalName('dr-alarms', props.environmentSuffix)}`,
      encryptionKey: props.encryptionKey,
      emails: props.alarmEmails,
      destroy,
    });
    this.action = new cwActions.SnsAction(this.alarmTopic);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: physicalName('dr-dashboard', props.environmentSuffix),
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# Disaster recovery: ${props.environmentSuffix}\nAlarms notify the topic \`${physicalName('dr-alarms', props.environmentSuffix)}\`; the runbook starts at the alarm that fired.`,
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
   * Watches a backup plan: failed and expired backup jobs and failed copy
   * jobs in its vault, and a dead-man alarm when no backup job completes
   * within the RPO plus the completion window (missing data is breaching).
   */
  public monitorBackup(hourlyBackup: HourlyBackup): cloudwatch.IAlarm[] {
    const vaultName = hourlyBackup.vault.backupVaultName;
    const backupMetric = (metricName: string, period: Duration) => new cloudwatch.Metric({
      namespace: 'AWS/Backup',
      metricName,
      dimensionsMap: { BackupVaultName: vaultName },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
    const failedThreshold = this.thresholds.backupJobsFailed ?? 1;
    const alarms = [
      this.alarm('BackupJobsFailed', 'backup-jobs-failed', backupMetric('NumberOfBackupJobsFailed', this.period), {
        threshold: failedThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `Backup jobs failed in vault ${hourlyBackup.vault.backupVaultName}: the resources they cover have no new recovery point.`,
      }),
      this.alarm('BackupJobsExpired', 'backup-jobs-expired', backupMetric('NumberOfBackupJobsExpired', this.period), {
        threshold: failedThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'Backup jobs expired: they did not start within the start window.',
      }),
      this.alarm('CopyJobsFailed', 'copy-jobs-failed', backupMetric('NumberOfCopyJobsFailed', this.period), {
        threshold: failedThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'Backup copy jobs failed: a recovery point was not copied.',
      }),
    ];
    // Dead man's switch: evaluated hourly over the RPO plus the completion
    // window, the longest a healthy plan goes without a completed job.
    const hours = Math.max(1, Math.ceil(hourlyBackup.rpo.plus(hourlyBackup.completionWindow).toMinutes() / 60));
    alarms.push(this.alarm('NoCompletedBackup', 'backup-missing', backupMetric('NumberOfBackupJobsCompleted', Duration.hours(1)), {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `No backup job completed in vault ${hourlyBackup.vault.backupVaultName} for ${hours} hours (RPO ${hourlyBackup.rpo.toHumanString()} `
        + `+ completion window ${hourlyBackup.completionWindow.toHumanString()}): the RPO is no longer being met. Missing data counts as breaching.`,
    }));
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
   * Watches an Aurora cluster: CPU, freeable memory, connections, replica lag
   * and deadlocks.
   */
  public monitorDatabase(cluster: rds.IDatabaseCluster, options: MonitorOptions = {}): cloudwatch.IAlarm[] {
    const name = this.subjectName(options.name ?? 'aurora');
    const period = this.period;
    const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName,
      dimensionsMap: { DBClusterIdentifier: cluster.clusterIdentifier },
      statistic,
      period,
    });
    const cpu = metric('CPUUtilization', cloudwatch.Stats.MAXIMUM);
    const memory = metric('FreeableMemory', cloudwatch.Stats.MINIMUM);
    const connections = metric('DatabaseConnections', cloudwatch.Stats.MAXIMUM);
    const lag = metric('AuroraReplicaLagMaximum', cloudwatch.Stats.MAXIMUM);
    const deadlocks = metric('Deadlocks', cloudwatch.Stats.AVERAGE);
    const id = pascalCase(name);
    const alarms = [
      this.alarm(`${id}Cpu`, `${name}-cpu`, cpu, {
        threshold: this.thresholds.databaseCpuPercent ?? 80,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        alarmDescription: 'Aurora CPU is high. Missing data counts as breaching: a cluster that reports no CPU is not serving.',
      }),
      this.alarm(`${id}FreeableMemory`, `${name}-freeable-memory`, memory, {
        threshold: (this.thresholds.databaseFreeableMemory ?? Size.mebibytes(256)).toBytes(),
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'Aurora freeable memory is low.',
      }),
      this.alarm(`${id}Connections`, `${name}-connections`, connections, {
        threshold: this.thresholds.databaseConnections ?? 200,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'Aurora connections are near the limit the application was sized for.',
      }),
      this.alarm(`${id}ReplicaLag`, `${name}-replica-lag`, lag, {
        threshold: (this.thresholds.databaseReplicaLag ?? Duration.seconds(2)).toMilliseconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        alarmDescription: 'Aurora replica lag is high: a failover now would lose that much data. Missing data counts as breaching: no reader, no failover target.',
      }),
      this.alarm(`${id}Deadlocks`, `${name}-deadlocks`, deadlocks, {
        threshold: this.thresholds.databaseDeadlocksPerSecond ?? 0.1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'Aurora deadlocks: transactions are being rolled back.',
      }),
    ];
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `Aurora ${name}: CPU and connections`, width: 8, left: [cpu], right: [connections] }),
      new cloudwatch.GraphWidget({ title: `Aurora ${name}: freeable memory`, width: 8, left: [memory] }),
      new cloudwatch.GraphWidget({ title: `Aurora ${name}: replica lag (ms) and deadlocks`, width: 8, left: [lag], right: [deadlocks] }),
    );
    return alarms;
  }

  /**
   * Watches a DynamoDB table: read and write throttle events and system
   * errors; latency goes on the dashboard.
   */
  public monitorTable(table: dynamodb.ITable, options: MonitorOptions = {}): cloudwatch.IAlarm[] {
    const name = this.subjectName(options.name ?? 'table');
    const id = pascalCase(name);
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
    const throttles = this.thresholds.tableThrottleEvents ?? 1;
    const alarms = [
      this.alarm(`${id}ReadThrottles`, `${name}-read-throttles`, reads, {
        threshold: throttles,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'DynamoDB read requests are being throttled.',
      }),
      this.alarm(`${id}WriteThrottles`, `${name}-write-throttles`, writes, {
        threshold: throttles,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'DynamoDB write requests are being throttled: writes may be lost if the caller does not retry.',
      }),
      this.alarm(`${id}SystemErrors`, `${name}-system-errors`, systemErrors, {
        threshold: this.thresholds.tableSystemErrors ?? 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'DynamoDB returned server errors (HTTP 500).',
      }),
    ];
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
   * Watches a Lambda function: errors, throttles and duration near its timeout.
   */
  public monitorFunction(fn: lambda.IFunction, options: MonitorFunctionOptions = {}): cloudwatch.IAlarm[] {
    const name = this.subjectName(options.name ?? `fn-${fn.node.id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`);
    // A lambda.Function without a timeout runs with Lambda's default of 3 seconds.
    const timeout = options.timeout ?? (fn instanceof lambda.Function ? (fn.timeout ?? Duration.seconds(3)) : undefined);
    if (!timeout) {
      throw new DrValidationError(this, `\`timeout\` is required to watch ${fn.node.path}: only a lambda.Function carries its timeout`);
    }
    const id = pascalCase(name);
    const errors = fn.metricErrors({ period: this.period, statistic: cloudwatch.Stats.SUM });
    const throttles = fn.metricThrottles({ period: this.period, statistic: cloudwatch.Stats.SUM });
    const duration = fn.metricDuration({ period: this.period, statistic: cloudwatch.Stats.MAXIMUM });
    const percent = this.thresholds.functionDurationPercentOfTimeout ?? 80;
    const alarms = [
      this.alarm(`${id}Errors`, `${name}-errors`, errors, {
        threshold: this.thresholds.functionErrors ?? 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `Lambda ${name} invocations failed.`,
      }),
      this.alarm(`${id}Throttles`, `${name}-throttles`, throttles, {
        threshold: this.thresholds.functionThrottles ?? 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `Lambda ${name} invocations were throttled.`,
      }),
      this.alarm(`${id}Duration`, `${name}-duration`, duration, {
        threshold: Math.round(timeout.toMilliseconds() * percent / 100),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `Lambda ${name} ran for ${percent}% of its ${timeout.toHumanString()} timeout: it is about to time out.`,
      }),
    ];
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `Lambda ${name}: errors and throttles`, width: 12, left: [errors, throttles] }),
      new cloudwatch.GraphWidget({ title: `Lambda ${name}: duration (ms)`, width: 12, left: [duration] }),
    );
    return alarms;
  }

  private alarm(id: string, name: string, metric: cloudwatch.IMetric, spec: AlarmSpec): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: physicalName(`dr-${name}`, this.environmentSuffix),
      metric,
      ...spec,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.allAlarms.push(alarm);
    return alarm;
  }

  private subjectName(name: string): string {
    if (!NAME_PATTERN.test(name)) {
      throw new DrValidationError(this, `\`name\` must match ${NAME_PATTERN}, got: ${quote(name)}`);
    }
    const longest = physicalName(`dr-${name}-freeable-memory`, this.environmentSuffix);
    if (longest.length > NAME_LIMITS.cloudwatchAlarm) {
      throw new DrValidationError(this, `\`name\` makes alarm names longer than ${NAME_LIMITS.cloudwatchAlarm} characters, got: ${quote(name)}`);
    }
    if (this.names.has(name)) {
      throw new DrValidationError(this, `\`name\` ${quote(name)} is already watched here: give each database, table or function its own name`);
    }
    this.names.add(name);
    return name;
  }
}

/** What each alarm states: the rest (name, action, period count) is the same for all. */
interface AlarmSpec {
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  readonly alarmDescription: string;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}

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

function validateThresholds(scope: Construct, t: DrAlarmThresholds): void {
  const checks: Array<[string, number | undefined, number, number]> = [
    ['thresholds.backupJobsFailed', t.backupJobsFailed, 1, Number.MAX_SAFE_INTEGER],
    ['thresholds.databaseCpuPercent', t.databaseCpuPercent, 1, 100],
    ['thresholds.databaseConnections', t.databaseConnections, 1, Number.MAX_SAFE_INTEGER],
    ['thresholds.databaseDeadlocksPerSecond', t.databaseDeadlocksPerSecond, 0, Number.MAX_SAFE_INTEGER],
    ['thresholds.tableThrottleEvents', t.tableThrottleEvents, 1, Number.MAX_SAFE_INTEGER],
    ['thresholds.tableSystemErrors', t.tableSystemErrors, 1, Number.MAX_SAFE_INTEGER],
    ['thresholds.functionErrors', t.functionErrors, 1, Number.MAX_SAFE_INTEGER],
    ['thresholds.functionThrottles', t.functionThrottles, 1, Number.MAX_SAFE_INTEGER],
    ['thresholds.functionDurationPercentOfTimeout', t.functionDurationPercentOfTimeout, 1, 100],
  ];
  for (const [prop, value, min, max] of checks) {
    if (value !== undefined && !Token.isUnresolved(value) && !(value >= min && value <= max)) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      throw new DrValidationError(scope, `\`${prop}\` must be ${range}, got: ${value}`);
    }
  }
}


/** The names the construct derives from the suffix, for the length check. */
function derivedNames(suffix: string): DerivedName[] {
  return [
    { resource: 'SNS topic', name: physicalName('dr-alarms', suffix), maxLength: NAME_LIMITS.snsTopic },
    { resource: 'CloudWatch dashboard', name: physicalName('dr-dashboard', suffix), maxLength: NAME_LIMITS.cloudwatchDashboard },
    { resource: 'CloudWatch alarm', name: physicalName('dr-aurora-freeable-memory', suffix), maxLength: NAME_LIMITS.cloudwatchAlarm },
  ];
}
