import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as scheduler_targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RegionSwitchPlan } from './region-switch-plan';
import { RegionSwitchRehearsalProps } from './region-switch-rehearsal-props';
import { checkMarkerDatabase, checkMarkerTable, rehearsalStateMachine } from './rehearsal-parts';
import { alarmNames, regionSwitchNames, regionSwitchRehearsalDerivedNames, regionSwitchRehearsalNames, validateEnvironmentSuffix, writerRegionParameterArn } from '../names';
import { BundledFunction } from '../private/bundled-function';
import { encryptedDeadLetterQueue } from '../private/dead-letter-queue';
import { validateDuration } from '../private/duration';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import {
  DIMENSION_ENVIRONMENT,
  DIMENSION_REHEARSAL_LEG,
  METRIC_REHEARSAL_AGE,
  METRIC_REHEARSAL_FAILED,
  METRIC_REHEARSAL_LEG_RTO,
  METRIC_REHEARSAL_MEASURED_RTO,
  METRIC_REHEARSAL_SUCCEEDED,
  RECOVERY_NAMESPACE,
  REHEARSAL_NEVER,
  REHEARSAL_SERVICE,
} from '../private/recovery-metrics';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { validateSchedulerExpression } from '../private/schedule';
import { DrValidationError, quote } from '../private/validation';

/** The overdue alarm's slack beyond the schedule interval: a rehearsal takes hours, and a late one is not yet a missed one. */
const OVERDUE_SLACK_HOURS = 24;

/**
 * A scheduled rehearsal of a Region switch plan: a graceful switch to the
 * secondary region and back, measured step by step, proving with a marker
 * that writes made before each switch are there after it. Off unless you
 * create it (MultiRegionDrPlatform: `RegionSwitch.plan({ rehearsal: {} })`):
 * it moves production traffic.
 *
 * An EventBridge Scheduler schedule starts a Step Functions state machine
 * that refuses to start unless the platform runs in the primary; writes a
 * marker to the global table in the primary; activates the secondary
 * (StartPlanExecution, graceful, on the secondary's data plane); polls the
 * execution with Wait states until it ends; reads the marker in the
 * secondary; then does the same the other way. Each run publishes the
 * measured RTO of each switch and each step, and its verdict; any failure
 * publishes the failure metric and fails the execution with a message that
 * says first where the platform was left. Alarms: failed, overdue (no
 * success within the schedule interval plus a day) and RTO (the longer
 * switch over the plan's RTO).
 *
 * The marker proves the DynamoDB global table, and with `markerDatabase`
 * (MultiRegionDrPlatform passes its verify-writer functions) the database
 * too: a row written through the writer of the region being left, read
 * through the new writer after the switch. Nothing here checks the buckets.
 */
export class RegionSwitchRehearsal extends Construct {
  /** The state machine one rehearsal is an execution of. */
  public readonly stateMachine: sfn.StateMachine;
  /** The function that runs the state machine's tasks and publishes the hourly age. */
  public readonly function: lambda.Function;
  /** The schedule that starts rehearsals. */
  public readonly schedule: scheduler.Schedule;
  /** The hourly schedule that publishes the hours since the last successful rehearsal. */
  public readonly ageSchedule: scheduler.Schedule;
  /** The parameter holding the time of the last successful rehearsal. */
  public readonly lastSuccessParameter: ssm.StringParameter;
  /** A rehearsal failed (`dr-rehearsal-failed-{suffix}`); it stays in alarm until one succeeds. */
  public readonly failedAlarm: cloudwatch.Alarm;
  /** No successful rehearsal within the schedule interval plus a day (`dr-rehearsal-overdue-{suffix}`). */
  public readonly overdueAlarm: cloudwatch.Alarm;
  /** The longer switch of the last successful rehearsal took longer than the plan's RTO (`dr-rehearsal-rto-{suffix}`). */
  public readonly rtoAlarm: cloudwatch.Alarm;
  /** The key of the logs, environment and dead-letter queue. */
  public readonly encryptionKey: kms.IKey;
  /** The longest gap between two scheduled rehearsals. */
  public readonly scheduleInterval: Duration;
  /** How long each switch may run. */
  public readonly switchTimeout: Duration;
  /** The environment suffix, the `Environment` dimension of every metric. */
  public readonly environmentSuffix: string;

  private readonly rtoThresholdSeconds: number;
  private readonly overdueThresholdHours: number;

  constructor(scope: Construct, id: string, props: RegionSwitchRehearsalProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, regionSwitchRehearsalDerivedNames);
    const suffix = props.environmentSuffix;
    this.environmentSuffix = suffix;
    const names = regionSwitchRehearsalNames(suffix);
    const stack = Stack.of(this);
    const plan = props.plan;
    if (!(plan instanceof RegionSwitchPlan)) {
      throw new DrValidationError(this, `\`plan\` must be a RegionSwitchPlan, got: ${quote(String(plan))}`);
    }
    if (Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)) {
      throw new DrValidationError(this, 'RegionSwitchRehearsal needs a stack with a concrete account and region (`env`): it computes the ARNs of the other region\'s table and parameter at synth');
    }
    const marker = checkMarkerTable(this, props.markerTable);
    const markerFunctions = checkMarkerDatabase(this, props.markerDatabase, plan);

    const scheduleExpression = props.schedule ?? scheduler.ScheduleExpression.cron({ minute: '0', hour: '10', weekDay: 'TUE#2' });
    const rateHours = validateSchedulerExpression(this, 'schedule', scheduleExpression.expressionString);
    if (props.schedule && !props.scheduleInterval) {
      throw new DrValidationError(this,
        `\`scheduleInterval\` must be given with \`schedule\` (${props.schedule.expressionString}): it is the longest gap between two rehearsals, after which one counts as overdue`);
    }
    this.scheduleInterval = props.scheduleInterval ?? Duration.days(35);
    const intervalHours = validateDuration(this, 'scheduleInterval', this.scheduleInterval, {
      unit: 'hours',
      min: 24,
      max: 24 * 92,
      minReason: 'a rehearsal moves production traffic twice: at most one a day',
      maxReason: 'a quarter, 92 days',
      tokens: false,
      tokenReason: 'the overdue alarm\'s threshold is computed from it at synth',
    })!;
    if (rateHours !== undefined && rateHours < 24) {
      throw new DrValidationError(this, `\`schedule\` must not start rehearsals more than once a day (each moves production traffic twice), got: ${quote(scheduleExpression.expressionString)}`);
    }
    if (rateHours !== undefined && rateHours > intervalHours) {
      throw new DrValidationError(this,
        `\`scheduleInterval\` (${intervalHours} hours) must be at least the schedule's rate ${quote(scheduleExpression.expressionString)} (${rateHours} hours), or every rehearsal would be overdue`);
    }
    const rtoMinutes = plan.recoveryTimeObjectiveMinutes;
    this.rtoThresholdSeconds = rtoMinutes * 60;
    this.overdueThresholdHours = intervalHours + OVERDUE_SLACK_HOURS;
    this.switchTimeout = props.switchTimeout ?? Duration.minutes(Math.max(60, 2 * rtoMinutes));
    const timeoutMinutes = validateDuration(this, 'switchTimeout', this.switchTimeout, {
      unit: 'minutes', min: 5, max: 10_080, maxReason: '7 days, the plan\'s longest RTO', tokens: false, tokenReason: 'the function checks it on every poll',
    })!;

    const destroy = isDestroy(this, props.removalPolicy, `the logs and dead-letter queue of the ${suffix} Region switch rehearsals`);
    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: names.keyAlias,
      description: `Encrypts the logs, environment and dead-letter queue of the Region switch rehearsals (${suffix})`,
      destroy,
    });

    this.lastSuccessParameter = new ssm.StringParameter(this, 'LastSuccess', {
      parameterName: names.lastSuccessParameter,
      description: `When the last Region switch rehearsal succeeded, ISO 8601, or "${REHEARSAL_NEVER}" (${suffix})`,
      stringValue: REHEARSAL_NEVER,
    });

    // The function: every task of the state machine, and the hourly age.
    const functionLogs = createEncryptedLogGroup(this, 'FunctionLogs', {
      logGroupName: names.logGroup,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    });
    const role = new ManagedPolicyRole(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the Region switch rehearsals of ${plan.planName}: starts and reads its executions, writes and reads the markers`,
    });
    const partition = stack.partition;
    const tableArn = (region: string) => `arn:${partition}:dynamodb:${region}:${stack.account}:table/${marker.tableName}`;
    const regions = [plan.primaryRegion, plan.secondaryRegion];
    const statements = [
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [functionLogs.logGroupArn, `${functionLogs.logGroupArn}:log-stream:*`] }),
      // Its environment is encrypted with the key, and so is its dead-letter queue (a send needs a data key).
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.encryptionKey.keyArn] }),
      // Executions are authorized against the plan (the ARC user guide's sample
      // policy for plan execution blocks names the plan ARN for these actions):
      // https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_plan_execution.html
      new iam.PolicyStatement({
        actions: [
          'arc-region-switch:StartPlanExecution', 'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutionEvents',
          'arc-region-switch:ListPlanExecutions',
        ],
        resources: [plan.planArn],
      }),
      // The writer-region parameter of the secondary (read before starting), and the last success (this region's).
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [writerRegionParameterArn(partition, plan.secondaryRegion, stack.account, suffix)],
      }),
      new iam.PolicyStatement({ actions: ['ssm:GetParameter', 'ssm:PutParameter'], resources: [this.lastSuccessParameter.parameterArn] }),
      // The markers: one item per switch, in both replicas of the one table.
      new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], resources: regions.map(tableArn) }),
    ];
    if (markerFunctions) {
      // The database markers: the two functions, unqualified, nothing else.
      statements.push(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [markerFunctions.primary, markerFunctions.secondary] }));
    }
    if (marker.encryptionKeyAlias) {
      // The table's keys have different IDs in each region and live in
      // another stack: they are named by their alias (kms:ResourceAliases)
      // and used through DynamoDB only (kms:ViaService), which is why the
      // key ID is a wildcard.
      // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
      statements.push(new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: regions.map((r) => `arn:${partition}:kms:${r}:${stack.account}:key/*`),
        conditions: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [marker.encryptionKeyAlias] },
          'StringEquals': { 'kms:ViaService': regions.map((r) => `dynamodb.${r}.amazonaws.com`) },
        },
      }));
    }
    const policy = role.addStatements(...statements);
    const deadLetterQueue = encryptedDeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: names.deadLetterQueue,
      encryptionKey: this.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    this.function = new BundledFunction(this, 'Function', {
      bundle: 'region-switch-plan/rehearsal',
      functionName: names.function,
      description: `Runs the tasks of the Region switch rehearsals of ${plan.planName} and publishes their metrics (${suffix})`,
      role,
      timeout: Duration.minutes(2),
      memorySize: 256,
      reservedConcurrentExecutions: 2,
      logGroup: functionLogs,
      environmentEncryption: this.encryptionKey,
      deadLetterQueue,
      tracing: lambda.Tracing.DISABLED,
      environment: {
        PLAN_ARN: plan.planArn,
        PRIMARY_REGION: plan.primaryRegion,
        SECONDARY_REGION: plan.secondaryRegion,
        ENVIRONMENT: suffix,
        RTO_MINUTES: String(rtoMinutes),
        LEG_TIMEOUT_MINUTES: String(timeoutMinutes),
        WRITER_REGION_PARAMETER: regionSwitchNames(suffix, stack.account, stack.region).writerRegionParameter,
        LAST_SUCCESS_PARAMETER: names.lastSuccessParameter,
        MARKER_TABLE: marker.tableName,
        MARKER_PARTITION_KEY: marker.partitionKeyName,
        ...(marker.sortKeyName ? { MARKER_SORT_KEY: marker.sortKeyName } : {}),
        ...(markerFunctions ? { MARKER_FUNCTION_PRIMARY: markerFunctions.primary, MARKER_FUNCTION_SECONDARY: markerFunctions.secondary } : {}),
      },
    });
    this.function.node.addDependency(policy);
    // The hourly age is invoked asynchronously: one retry, then the dead-letter queue (a missing hour is breaching anyway).
    this.function.configureAsyncInvoke({ retryAttempts: 1, maxEventAge: Duration.hours(1) });

    this.stateMachine = rehearsalStateMachine(this, {
      fn: this.function, names, encryptionKey: this.encryptionKey, removalPolicy: props.removalPolicy, timeoutMinutes,
    });

    // One role for both schedules, allowed to start this state machine and invoke this function only (granted by the targets).
    const schedulerRole = new ManagedPolicyRole(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Starts the Region switch rehearsals of ${plan.planName} and publishes their age (${suffix})`,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: names.schedule,
      description: `Starts a Region switch rehearsal of ${plan.planName}: a graceful switch to ${plan.secondaryRegion} and back (${suffix})`,
      schedule: scheduleExpression,
      enabled: props.enabled ?? true,
      // No retry: a rehearsal that did not start is caught by the overdue alarm, and one started twice would be refused by its preflight.
      target: new scheduler_targets.StepFunctionsStartExecution(this.stateMachine, { retryAttempts: 0, role: schedulerRole }),
    });
    this.ageSchedule = new scheduler.Schedule(this, 'AgeSchedule', {
      scheduleName: names.ageSchedule,
      description: `Publishes the hours since the last successful Region switch rehearsal (${suffix})`,
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new scheduler_targets.LambdaInvoke(this.function, {
        input: scheduler.ScheduleTargetInput.fromObject({ action: 'publishAge' }),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        role: schedulerRole,
      }),
    });

    const alarm = alarmNames(suffix).alarm;
    const action = new cw_actions.SnsAction(props.alarmTopic);
    this.failedAlarm = new cloudwatch.Alarm(this, 'FailedAlarm', {
      alarmName: alarm('rehearsal-failed'),
      alarmDescription: `A Region switch rehearsal of ${plan.planName} failed. Read the failed execution of ${names.stateMachine}: its cause says first whether the platform `
        + `was left in ${plan.secondaryRegion} or part-way. It stays in alarm until a rehearsal succeeds.`,
      metric: this.metricRehearsalFailed(),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // Published with every run (0 on success): the last verdict holds between runs.
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    this.overdueAlarm = new cloudwatch.Alarm(this, 'OverdueAlarm', {
      alarmName: alarm('rehearsal-overdue'),
      alarmDescription: `No Region switch rehearsal of ${plan.planName} succeeded in ${intervalHours + OVERDUE_SLACK_HOURS} hours (schedule interval plus a day), `
        + 'or the hourly age stopped being published.',
      metric: this.metricHoursSinceLastRehearsal(),
      threshold: this.overdueThresholdHours,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // Published every hour: three silent hours mean nobody is counting.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.rtoAlarm = new cloudwatch.Alarm(this, 'RtoAlarm', {
      alarmName: alarm('rehearsal-rto'),
      alarmDescription: `The longer switch of the last Region switch rehearsal of ${plan.planName} took longer than the plan's RTO of ${rtoMinutes} minutes.`,
      metric: this.metricMeasuredRto(),
      threshold: this.rtoThresholdSeconds,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // Published by successful rehearsals only: the last measurement holds between runs.
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    for (const a of [this.failedAlarm, this.overdueAlarm, this.rtoAlarm]) {
      a.addAlarmAction(action);
    }

    const why = (finding: string) => `Region switch rehearsal: ${finding}`;
    acknowledgeFinding(schedulerRole.policy!, `IAM5[Resource::<${stack.getLogicalId(this.function.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`, ['AwsSolutions'],
      why('the Lambda target grants invoking the function\'s versions and aliases too; it is this one function.'));
    acknowledgeFinding(this.function, 'LambdaInsideVPC', COMPLIANCE_PACKS,
      why('the function calls only AWS APIs (ARC Region switch, DynamoDB, SSM and Lambda in both regions), some in the other region, which a VPC without internet access cannot reach.'));
    acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(functionLogs.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      why('Lambda names its log streams at run time, inside this one log group.'));
    if (marker.encryptionKeyAlias) {
      for (const r of regions) {
        acknowledgeFinding(policy, `IAM5[Resource::arn:<AWS::Partition>:kms:${r}:${stack.account}:key/*]`, ['AwsSolutions'],
          why(`the table's keys are named by their alias ${marker.encryptionKeyAlias} (kms:ResourceAliases) and usable through DynamoDB only (kms:ViaService).`));
      }
    }
  }

  /** 1 for each failed rehearsal, 0 for each successful one (maximum over the period). */
  public metricRehearsalFailed(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_REHEARSAL_FAILED, cloudwatch.Stats.MAXIMUM, props);
  }

  /** 1 for each successful rehearsal (sum over the period). */
  public metricRehearsalSucceeded(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_REHEARSAL_SUCCEEDED, cloudwatch.Stats.SUM, props);
  }

  /** The longer switch's measured RTO of successful rehearsals, in seconds (maximum over the period). */
  public metricMeasuredRto(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_REHEARSAL_MEASURED_RTO, cloudwatch.Stats.MAXIMUM, props);
  }

  /** One switch's measured RTO, `failover` or `failback`, in seconds (maximum over the period). */
  public metricSwitchRto(leg: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (leg !== 'failover' && leg !== 'failback') {
      throw new DrValidationError(this, `metricSwitchRto's \`leg\` must be failover or failback, got: ${quote(leg)}`);
    }
    return this.metric(METRIC_REHEARSAL_LEG_RTO, cloudwatch.Stats.MAXIMUM, props, { [DIMENSION_REHEARSAL_LEG]: leg });
  }

  /** Hours since the last successful rehearsal, published hourly (maximum over the period). */
  public metricHoursSinceLastRehearsal(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_REHEARSAL_AGE, cloudwatch.Stats.MAXIMUM, { period: Duration.hours(1), ...props });
  }

  /** A row of dashboard widgets: the verdicts, the RTO of each switch against the plan's, and the hours since the last success. */
  public widgets(): cloudwatch.IWidget[] {
    const days = Duration.days(1);
    return [
      new cloudwatch.GraphWidget({
        title: 'Region switch rehearsals',
        left: [this.metricRehearsalSucceeded({ period: days }), this.metricRehearsalFailed({ period: days })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Rehearsal RTO per switch (seconds)',
        left: [this.metricSwitchRto('failover', { period: days }), this.metricSwitchRto('failback', { period: days })],
        leftAnnotations: [{ value: this.rtoThresholdSeconds, label: 'plan RTO' }],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Hours since the last successful rehearsal',
        left: [this.metricHoursSinceLastRehearsal()],
        leftAnnotations: [{ value: this.overdueThresholdHours, label: 'overdue' }],
        width: 8,
      }),
    ];
  }

  private metric(metricName: string, statistic: string, props: cloudwatch.MetricOptions, dimensions: Record<string, string> = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: RECOVERY_NAMESPACE,
      metricName,
      dimensionsMap: { service: REHEARSAL_SERVICE, [DIMENSION_ENVIRONMENT]: this.environmentSuffix, ...dimensions },
      statistic,
      period: Duration.minutes(5),
      ...props,
    });
  }
}
