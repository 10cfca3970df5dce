import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { auroraNames, failoverWatchNames, regionHealthNames } from '../names';
import { BundledFunction } from '../private/bundled-function';
import { encryptedDeadLetterQueue } from '../private/dead-letter-queue';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import {
  DIMENSION_ENVIRONMENT, FAILOVER_WATCH_SERVICE, METRIC_PRIMARY_IMPAIRED, METRIC_SECONDARY_READY, RECOVERY_NAMESPACE,
} from '../private/recovery-metrics';
import { retainUnlessDestroy } from '../private/removal';

/** What the watch behind an automatic failover is made from. */
export interface FailoverWatchOptions {
  readonly suffix: string;
  readonly primaryRegion: string;
  readonly account: string;
  /** Whether the primary has a region health alarm (the platform's `routing`): then its ALARM counts as evidence. */
  readonly primaryHealthAlarm: boolean;
  /** How long the evidence must last, in whole minutes. */
  readonly impairedForMinutes: number;
  readonly encryptionKey: kms.IKey;
  readonly alarmTopic: sns.ITopic;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * In the secondary region: the function that looks at the primary region
 * from outside every minute (src/region-switch-plan/failover-watch.lambda.ts),
 * and the alarms that make its evidence a corroborated failover:
 * `dr-failover-corroborated-{s}` is in ALARM only while
 * `dr-primary-impaired-{s}` is (positive evidence for `impairedFor` minutes
 * in a row; missing data is not evidence) and `dr-secondary-not-ready-{s}`
 * is OK (the secondary cluster ready to take writes; missing data counts as
 * not ready). Silence never moves traffic.
 */
export class FailoverWatch extends Construct {
  public readonly function: lambda.Function;
  public readonly impairedAlarm: cloudwatch.Alarm;
  public readonly notReadyAlarm: cloudwatch.Alarm;
  public readonly corroboratedAlarm: cloudwatch.CompositeAlarm;

  constructor(scope: Construct, id: string, options: FailoverWatchOptions) {
    super(scope, id);
    const suffix = options.suffix;
    const names = failoverWatchNames(suffix);
    const stack = Stack.of(this);
    const aurora = auroraNames(suffix);
    const partition = RegionInfo.get(options.primaryRegion).partition ?? 'aws';
    const rdsArn = (region: string, resource: string) => `arn:${partition}:rds:${region}:${options.account}:${resource}`;
    const healthAlarm = options.primaryHealthAlarm ? regionHealthNames(suffix).alarm : undefined;

    const logGroup = createEncryptedLogGroup(this, 'LogGroup', {
      logGroupName: names.logGroup,
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: options.encryptionKey,
      removalPolicy: retainUnlessDestroy(options.removalPolicy),
    });
    const deadLetterQueue = encryptedDeadLetterQueue(this, 'DeadLetterQueue', { queueName: names.deadLetterQueue, encryptionKey: options.encryptionKey, removalPolicy: options.removalPolicy });
    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Looks at ${options.primaryRegion} from ${stack.region} for the automatic failover (${suffix}): reads only`,
    });
    const policy = role.addStatements(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`] }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [options.encryptionKey.keyArn] }),
      // The primary's cluster (is its region's RDS API there?) and this region's (is it ready?).
      new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [rdsArn(options.primaryRegion, `cluster:${aurora.cluster}`), rdsArn(stack.region, `cluster:${aurora.cluster}`)] }),
      // A global cluster's ARN has no region.
      new iam.PolicyStatement({ actions: ['rds:DescribeGlobalClusters'], resources: [`arn:${partition}:rds::${options.account}:global-cluster:${aurora.globalCluster}`] }),
      // The instance lookup by cluster filter is authorized against db:* of the region.
      new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [rdsArn(stack.region, 'db:*')] }),
      ...(healthAlarm ? [new iam.PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [`arn:${partition}:cloudwatch:${options.primaryRegion}:${options.account}:alarm:${healthAlarm}`],
      })] : []),
    );
    this.function = new BundledFunction(this, 'Function', {
      bundle: 'region-switch-plan/failover-watch',
      functionName: names.function,
      description: `Looks at ${options.primaryRegion} from here every minute: evidence for the automatic failover (${suffix})`,
      role,
      timeout: Duration.seconds(30),
      memorySize: 256,
      reservedConcurrentExecutions: 1,
      logGroup,
      environmentEncryption: options.encryptionKey,
      deadLetterQueue,
      tracing: lambda.Tracing.DISABLED,
      environment: {
        ENVIRONMENT: suffix,
        PRIMARY_REGION: options.primaryRegion,
        PRIMARY_CLUSTER_ID: aurora.cluster,
        SECONDARY_CLUSTER_ID: aurora.cluster,
        GLOBAL_CLUSTER_ID: aurora.globalCluster,
        ...(healthAlarm ? { PRIMARY_HEALTH_ALARM: healthAlarm } : {}),
      },
    });
    this.function.node.addDependency(policy);
    new events.Rule(this, 'Schedule', {
      ruleName: names.function,
      description: `Runs ${names.function} every minute`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // A missed run is missing evidence, which the alarms already read as no outage and not ready.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });

    const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: RECOVERY_NAMESPACE,
      metricName,
      statistic,
      period: Duration.minutes(1),
      dimensionsMap: { service: FAILOVER_WATCH_SERVICE, [DIMENSION_ENVIRONMENT]: suffix },
    });
    this.impairedAlarm = new cloudwatch.Alarm(this, 'PrimaryImpaired', {
      alarmName: names.impairedAlarm,
      alarmDescription: `${options.primaryRegion} unreachable from ${stack.region}, or its region health alarm in ALARM, ${options.impairedForMinutes} minutes in a row. Missing data is not evidence.`,
      metric: metric(METRIC_PRIMARY_IMPAIRED, 'Minimum'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.impairedForMinutes,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notReadyAlarm = new cloudwatch.Alarm(this, 'SecondaryNotReady', {
      alarmName: names.notReadyAlarm,
      alarmDescription: `The cluster in ${stack.region} could not take writes after a promotion (not available, not a member of the global cluster, or no available instance), or its readiness is unknown.`,
      metric: metric(METRIC_SECONDARY_READY, 'Minimum'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.corroboratedAlarm = new cloudwatch.CompositeAlarm(this, 'Corroborated', {
      compositeAlarmName: names.corroboratedAlarm,
      alarmDescription: `Starts the automatic failover to ${stack.region}: ${options.primaryRegion} impaired and ${stack.region} ready.`,
      alarmRule: cloudwatch.AlarmRule.allOf(
        cloudwatch.AlarmRule.fromAlarm(this.impairedAlarm, cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.fromAlarm(this.notReadyAlarm, cloudwatch.AlarmState.OK),
      ),
    });
    for (const alarm of [this.impairedAlarm, this.notReadyAlarm, this.corroboratedAlarm]) {
      alarm.addAlarmAction(new cwactions.SnsAction(options.alarmTopic));
    }

    const why = (finding: string) => `Failover watch: ${finding}`;
    acknowledgeFinding(this.function, 'LambdaInsideVPC', COMPLIANCE_PACKS,
      why(`it calls the RDS and CloudWatch APIs of ${options.primaryRegion}, which the isolated subnets (no NAT, regional endpoints only) cannot reach; it reaches no network resource.`));
    acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      why('Lambda names its log streams at run time, inside this one log group.'));
    acknowledgeFinding(policy, `IAM5[Resource::${rdsArn(stack.region, 'db:*')}]`, ['AwsSolutions'],
      why('DescribeDBInstances with a db-cluster-id filter is authorized against db:* of the region; it only reads.'));
  }
}
