import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { regionSwitchFenceDerivedNames, regionSwitchNames, validateEnvironmentSuffix, writerRegionParameterArn } from '../names';
import { BundledFunction } from '../private/bundled-function';
import { encryptedDeadLetterQueue } from '../private/dead-letter-queue';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { validateRegionCode } from '../private/regions';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';

/**
 * Properties for RegionSwitchFence.
 */
export interface RegionSwitchFenceProps {
  /**
   * Suffix carried by every name this construct derives. Give the fence the
   * same suffix as its RegionSwitchPlan: the plan finds the fence's function
   * by name, `dr-fence-writes-{environmentSuffix}`.
   */
  readonly environmentSuffix: string;

  /** The plan's primary region: the writer-region parameter's value when it is created. */
  readonly primaryRegion: string;

  /** The plan's secondary region. */
  readonly secondaryRegion: string;

  /**
   * The key for the function's logs, environment and dead-letter queue.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-fence-writes-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the logs, queue and key when the stack deletes them.
   * The parameter is deleted with the stack either way: it holds a setting,
   * not data.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The writer-region switch of a Region switch plan in one region: the
 * platform's "writer region" parameter (`/{environmentSuffix}/region/writer`,
 * a String parameter created with the primary region as its value) and the
 * function the plan runs here to set it. When this region is left, the
 * plan's fence step (graceful runs) sets it to the region being activated;
 * when this region is activated, the plan's announce step (every run, after
 * the database step) sets it to this region. The function writes this
 * region's parameter only.
 *
 * A plan's stack creates the fence of its own region; deploy one in the
 * plan's other region, with the same suffix and regions. Functions that
 * write data read the parameter (`grantReadWriterRegion`) and write only
 * while it names their region.
 *
 * @example
 * const fence = new RegionSwitchFence(this, 'Fence', {
 *   environmentSuffix: 'dev',
 *   primaryRegion: 'us-east-1',
 *   secondaryRegion: 'us-west-2',
 * });
 */
export class RegionSwitchFence extends Construct {
  /** The writer-region parameter of this region. */
  public readonly writerRegionParameter: ssm.StringParameter;
  /** The parameter's name, the same in both regions. */
  public readonly writerRegionParameterName: string;
  /** The function the plan's fence step runs in this region. */
  public readonly function: lambda.Function;
  /** Its role: read and write on this region's parameter, nothing else but its logs, key and queue. */
  public readonly role: iam.IRole;
  /** Its log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The key for logs, environment and dead-letter queue. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: RegionSwitchFenceProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, regionSwitchFenceDerivedNames);
    const primaryRegion = validateRegionCode(this, 'primaryRegion', props.primaryRegion);
    const secondaryRegion = validateRegionCode(this, 'secondaryRegion', props.secondaryRegion);
    if (primaryRegion === secondaryRegion) {
      throw new DrValidationError(this, `\`secondaryRegion\` must differ from \`primaryRegion\`: a plan switches between two regions, got: ${quote(secondaryRegion)} for both`);
    }
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.region)) {
      throw new DrValidationError(this,
        `RegionSwitchFence must be in a stack with a concrete region (\`env.region\`), one of ${primaryRegion} and ${secondaryRegion}: the plan runs the fence by the function's ARN in each region, got: a region known only at deploy`);
    }
    if (stack.region !== primaryRegion && stack.region !== secondaryRegion) {
      throw new DrValidationError(this,
        `RegionSwitchFence must be in a stack of the plan's primary or secondary region (${primaryRegion} or ${secondaryRegion}): the plan runs its function in the region being left and in the region being activated, got: ${quote(stack.region)}`);
    }

    const suffix = props.environmentSuffix;
    const names = regionSwitchNames(suffix, stack.account, stack.region);
    const destroy = isDestroy(this, props.removalPolicy, `the logs and dead-letter queue of ${names.fence.function}`);
    const removalPolicy = retainUnlessDestroy(props.removalPolicy);
    this.writerRegionParameterName = names.writerRegionParameter;

    this.writerRegionParameter = new ssm.StringParameter(this, 'WriterRegion', {
      parameterName: names.writerRegionParameter,
      // Created naming the primary. CloudFormation writes the value again only
      // when this resource's properties change, so they are kept fixed: a
      // later deploy must not hand writes back to the primary by itself.
      stringValue: primaryRegion,
      description: `The region that takes writes (${suffix}); set by the Region switch plan's fence step`,
      tier: ssm.ParameterTier.STANDARD,
    });

    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: names.fence.keyAlias,
      description: `Encrypts the logs, environment and dead-letter queue of ${names.fence.function}`,
      destroy,
    });
    this.logGroup = createEncryptedLogGroup(this, 'LogGroup', {
      logGroupName: names.fence.logGroup,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });
    // ARC's invocation type is not documented; the queue keeps any failed
    // asynchronous invocation for inspection.
    const deadLetterQueue = encryptedDeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: names.fence.deadLetterQueue,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });

    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Sets the writer-region parameter of ${stack.region} (${suffix})`,
    });
    this.role = role;
    const policy = role.addStatements(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter', 'ssm:PutParameter'],
        resources: [writerRegionParameterArn(stack.partition, stack.region, stack.account, suffix)],
      }),
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.encryptionKey.keyArn] }),
    );

    this.function = new BundledFunction(this, 'Function', {
      bundle: 'region-switch-plan/fence-writes',
      functionName: names.fence.function,
      description: `Region switch: sets ${names.writerRegionParameter} to the region that takes writes (${suffix})`,
      role,
      timeout: Duration.minutes(1),
      memorySize: 256,
      // One fence at a time: two runs never race on the parameter.
      reservedConcurrentExecutions: 1,
      logGroup: this.logGroup,
      environmentEncryption: this.encryptionKey,
      deadLetterQueue,
      tracing: lambda.Tracing.DISABLED,
      environment: {
        WRITER_REGION_PARAMETER: names.writerRegionParameter,
        PLAN_REGIONS: `${primaryRegion},${secondaryRegion}`,
      },
    });
    this.function.node.addDependency(policy);

    const why = (finding: string) => `Region switch fence: ${finding}`;
    acknowledgeFinding(this.function, 'LambdaInsideVPC', COMPLIANCE_PACKS,
      why('it calls only the SSM API of its region and reaches no network resource; in isolated subnets it would need a paid SSM interface endpoint.'));
    acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(this.logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      why('Lambda names its log streams at run time, inside this one log group.'));
  }

  /** Grants reading the writer-region parameter of this region. */
  public grantReadWriterRegion(grantee: iam.IGrantable): iam.Grant {
    return this.writerRegionParameter.grantRead(grantee);
  }
}
