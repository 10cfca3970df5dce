import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DIMENSION_GLOBAL_CLUSTER, GLOBAL_ROLE_NAMESPACE, GLOBAL_ROLE_SERVICE, METRIC_CLUSTER_IS_WRITER } from './global-role-metrics';
import { globalRoleDerivedNames, globalRoleNames, validateEnvironmentSuffix } from '../names';
import { BundledFunction } from '../private/bundled-function';
import { encryptedDeadLetterQueue } from '../private/dead-letter-queue';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { createDrKey, retainUnlessDestroy } from '../private/removal';

/** What the role function of one watched global database is made from. */
export interface GlobalClusterRoleProps {
  readonly environmentSuffix: string;
  /** The watched subject's name (`aurora-global`): the function is `dr-{name}-role-{suffix}`. */
  readonly name: string;
  readonly globalClusterIdentifier: string;
  /** This region's member cluster, as DescribeGlobalClusters lists it. */
  readonly clusterArn: string;
  /** @default - a key of its own, `alias/dr-{name}-role-{suffix}` */
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A function, run every minute, that publishes whether this region's
 * cluster is the writer of its global database (src/dr-alarms/global-cluster-role.lambda.ts),
 * with its logs, key, dead-letter queue and schedule. Internal to DrAlarms.
 *
 * It runs outside any VPC: it calls the RDS API of its region and reaches
 * no network resource, and in the platform's isolated subnets it would need
 * a paid RDS interface endpoint. Its metric is a log line (embedded metric
 * format), so it needs no CloudWatch permission nor endpoint either.
 */
export class GlobalClusterRole extends Construct {
  public readonly function: lambda.Function;
  public readonly rule: events.Rule;
  private readonly globalClusterIdentifier: string;

  constructor(scope: Construct, id: string, props: GlobalClusterRoleProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, (s) => globalRoleDerivedNames(props.name, s));
    const names = globalRoleNames(props.name, props.environmentSuffix);
    const stack = Stack.of(this);
    const removalPolicy = retainUnlessDestroy(props.removalPolicy);
    this.globalClusterIdentifier = props.globalClusterIdentifier;

    const encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: names.keyAlias,
      description: `Encrypts the logs, environment and dead-letter queue of ${names.function}`,
      destroy: removalPolicy === RemovalPolicy.DESTROY,
    });
    const logGroup = createEncryptedLogGroup(this, 'LogGroup', {
      logGroupName: names.logGroup,
      // Its log lines are the role metric; a month of them is enough to read back a switch.
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey,
      removalPolicy,
    });
    const deadLetterQueue = encryptedDeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: names.deadLetterQueue,
      encryptionKey,
      removalPolicy,
    });
    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Reads the role of ${props.clusterArn} in the global cluster ${props.globalClusterIdentifier}`,
    });
    const policy = role.addStatements(
      new iam.PolicyStatement({
        actions: ['rds:DescribeGlobalClusters'],
        // A global cluster's ARN has no region (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html).
        resources: [`arn:${stack.partition}:rds::${stack.account}:global-cluster:${props.globalClusterIdentifier}`],
      }),
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`],
      }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [encryptionKey.keyArn] }),
    );

    this.function = new BundledFunction(this, 'Function', {
      bundle: 'dr-alarms/global-cluster-role',
      functionName: names.function,
      description: `Publishes whether this region's cluster writes for the global cluster ${props.globalClusterIdentifier} (${props.environmentSuffix})`,
      role,
      timeout: Duration.seconds(30),
      memorySize: 256,
      // One run at a time: a slow run never overlaps the next.
      reservedConcurrentExecutions: 1,
      logGroup,
      environmentEncryption: encryptionKey,
      deadLetterQueue,
      tracing: lambda.Tracing.DISABLED,
      environment: {
        GLOBAL_CLUSTER_ID: props.globalClusterIdentifier,
        CLUSTER_ARN: props.clusterArn,
      },
    });
    this.function.node.addDependency(policy);
    this.rule = new events.Rule(this, 'Schedule', {
      ruleName: names.rule,
      description: `Runs ${names.function} every minute`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // A missed run is a missing role, which the alarms already treat as unknown; a retry would only arrive late.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });

    const why = (finding: string) => `Global database role: ${finding}`;
    acknowledgeFinding(this.function, 'LambdaInsideVPC', COMPLIANCE_PACKS,
      why('it calls only the RDS API of its region and reaches no network resource; in isolated subnets it would need a paid RDS interface endpoint.'));
    acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      why('Lambda names its log streams at run time, inside this one log group.'));
  }

  /** `ClusterIsWriter`: 1 writer, 0 secondary, nothing when unknown (maximum over one minute). */
  public metricIsWriter(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: GLOBAL_ROLE_NAMESPACE,
      metricName: METRIC_CLUSTER_IS_WRITER,
      dimensionsMap: { service: GLOBAL_ROLE_SERVICE, [DIMENSION_GLOBAL_CLUSTER]: this.globalClusterIdentifier },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      ...props,
    });
  }
}
