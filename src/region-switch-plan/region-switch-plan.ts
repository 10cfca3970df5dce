import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { REGION_SWITCH_STEP_NAMES, REPORT_PREFIX } from './plan-parts';
import { RegionSwitchDatabase } from './region-switch-database';
import { RegionSwitchFence } from './region-switch-fence';
import { fenceFunctionArn, regionSwitchNames, regionSwitchPlanDerivedNames, validateEnvironmentSuffix } from '../names';
import { describeDuration, validateDuration } from '../private/duration';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { validateRegionCode } from '../private/regions';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';
import { addDrWarning } from '../private/warnings';

/** How the plan's regions serve traffic. */
export enum RegionSwitchRecoveryApproach {
  /** One region serves traffic; the plan activates the other (ARC's `activePassive`). */
  ACTIVE_PASSIVE = 'activePassive',
}

/** Where ARC runs a custom step's function during a run. */
export enum RegionSwitchRegionToRun {
  /** In the region being activated (ARC's `activatingRegion`): reachable in every run. */
  ACTIVATING_REGION = 'activatingRegion',
  /** In the region being left (ARC's `deactivatingRegion`): it may be impaired, so use only for graceful-only steps. */
  DEACTIVATING_REGION = 'deactivatingRegion',
}

/** The Route 53 failover records the plan's health-check step moves. */
export interface RegionSwitchDnsRecords {
  /**
   * The hosted zone's id, a literal such as `Z0123456789ABCDEFGHIJ` (a
   * reference would make the records and the plan depend on each other).
   */
  readonly hostedZoneId: string;
  /** The record name, a literal such as `api.example.com`. */
  readonly recordName: string;
  /** The set identifier of the record that routes to the primary region. */
  readonly primarySetIdentifier: string;
  /** The set identifier of the record that routes to the secondary region. */
  readonly secondarySetIdentifier: string;
  /**
   * How long the step may take.
   *
   * @default - ARC's default, 60 minutes
   */
  readonly timeout?: Duration;
}

/** The plan's manual approval step. */
export interface RegionSwitchApprovalOptions {
  /**
   * The role an operator assumes to approve a run. It must be in the plan's
   * account and allow `arc-region-switch:ApprovePlanExecutionStep` on the plan.
   *
   * @default - a role `dr-switch-approver-{environmentSuffix}` that principals of the account may assume, allowed to approve steps of this plan only
   */
  readonly approvalRole?: iam.IRole;
  /**
   * How long a run waits for the approval.
   *
   * @default - ARC's default, 60 minutes
   */
  readonly timeout?: Duration;
}

/** An extra step: one Lambda function in each plan region, run after the plan's own steps. */
export interface RegionSwitchCustomStep {
  /** The step's name, unique in the plan: letters, digits and hyphens. */
  readonly name: string;
  /**
   * What the step does.
   *
   * @default - no description
   */
  readonly description?: string;
  /** The function in the primary region. ARC needs one function in each region. */
  readonly primaryFunction: lambda.IFunction;
  /** The function in the secondary region. */
  readonly secondaryFunction: lambda.IFunction;
  /**
   * The region whose function runs.
   *
   * @default RegionSwitchRegionToRun.ACTIVATING_REGION
   */
  readonly regionToRun?: RegionSwitchRegionToRun;
  /**
   * How long ARC waits before running the function again when it did not succeed.
   *
   * @default Duration.minutes(1)
   */
  readonly retryInterval?: Duration;
  /**
   * How long the step may take.
   *
   * @default - ARC's default, 60 minutes
   */
  readonly timeout?: Duration;
  /**
   * Whether an ungraceful run skips the step (ARC's ungraceful behaviour `skip`).
   *
   * @default false
   */
  readonly skipWhenUngraceful?: boolean;
}

/**
 * Properties for RegionSwitchPlan.
 */
export interface RegionSwitchPlanProps {
  /**
   * Suffix carried by every name this construct derives. The plan is
   * `dr-switch-{environmentSuffix}`, at most 32 characters (ARC's limit),
   * so the suffix has at most 22.
   */
  readonly environmentSuffix: string;

  /** The region that serves traffic until the first switch. */
  readonly primaryRegion: string;

  /** The region the plan fails over to. */
  readonly secondaryRegion: string;

  /** The recovery time objective the plan is held to: 1 to 10,080 whole minutes. */
  readonly recoveryTimeObjective: Duration;

  /**
   * How the regions serve traffic. Only active/passive is supported.
   *
   * @default RegionSwitchRecoveryApproach.ACTIVE_PASSIVE
   */
  readonly recoveryApproach?: RegionSwitchRecoveryApproach;

  /**
   * The Aurora global database the plan switches over (graceful) or fails
   * over (ungraceful).
   *
   * @default - no database step
   */
  readonly database?: RegionSwitchDatabase;

  /**
   * The Route 53 failover records the plan moves with its health checks.
   *
   * @default - no DNS step
   */
  readonly dnsRecords?: RegionSwitchDnsRecords;

  /**
   * A manual approval as the first step of every run.
   *
   * @default - runs start without approval
   */
  readonly approval?: RegionSwitchApprovalOptions;

  /**
   * Extra steps, run in this order after the plan's own steps.
   *
   * @default - none
   */
  readonly customSteps?: RegionSwitchCustomStep[];

  /** Receives the plan's evaluation and execution events. */
  readonly alarmTopic: sns.ITopic;

  /**
   * The bucket ARC writes execution reports to. Its key, when it has one the
   * app knows, is granted to the execution role; an imported bucket's key
   * policy must allow the role itself.
   *
   * @default - an encrypted, versioned bucket `dr-switch-reports-{account}-{region}-{environmentSuffix}`
   */
  readonly reportBucket?: s3.IBucket;

  /**
   * What happens to the report bucket, its access-log bucket, their objects
   * and its key when the stack deletes them.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The steps of one workflow, by name, for inspection and tests. */
export interface RegionSwitchWorkflowSummary {
  /** The region the workflow activates. */
  readonly targetRegion: string;
  /** The step names, in order. */
  readonly steps: string[];
}

const RTO_MAX_MINUTES = 10_080;
/** Our bound on step timeouts and retry intervals: the longest RTO ARC takes. */
const STEP_DURATION_RULE = { unit: 'minutes', min: 1, max: RTO_MAX_MINUTES, maxReason: 'the longest recovery time objective a plan takes', tokens: false, tokenReason: 'the plan is built at synth' } as const;
const STEP_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/**
 * An Amazon Application Recovery Controller (ARC) Region switch plan for an
 * active/passive application in two regions: a workflow that activates the
 * secondary (failover) and one that activates the primary again (failback),
 * each run graceful or ungraceful as ARC chooses per run. The steps, in
 * order: an optional manual approval; the write fence in the region being
 * left (graceful runs only); the Aurora global database (switchover when
 * graceful, failover with data loss allowed when ungraceful); the Route 53
 * health checks; then custom steps.
 *
 * A plan has no region: ARC manages it through us-east-1 and runs it from
 * the region being activated, so losing either region does not stop a run.
 * Put it in a stack of the secondary region (or a third region): its report
 * bucket and event rule live in the stack's region.
 *
 * @example
 * declare const topic: sns.ITopic;
 * const plan = new RegionSwitchPlan(this, 'Switch', {
 *   environmentSuffix: 'dev',
 *   primaryRegion: 'us-east-1',
 *   secondaryRegion: 'us-west-2',
 *   recoveryTimeObjective: Duration.minutes(15),
 *   database: RegionSwitchDatabase.fromIdentifiers('dr-aurora-global-dev', 'dr-aurora-dev'),
 *   alarmTopic: topic,
 * });
 */
export class RegionSwitchPlan extends Construct {
  /** The plan. */
  public readonly plan: arcregionswitch.CfnPlan;
  /** The plan's ARN. */
  public readonly planArn: string;
  /** The plan's name, `dr-switch-{environmentSuffix}`. */
  public readonly planName: string;
  /** The role ARC runs the plan's steps with. */
  public readonly executionRole: iam.IRole;
  /** The role operators assume to approve runs, when `approval` is set. */
  public readonly approvalRole?: iam.IRole;
  /** The bucket execution reports go to. */
  public readonly reportBucket: s3.IBucket;
  /** The key of the report bucket, when the plan created the bucket. */
  public readonly reportKey?: kms.IKey;
  /** The rule that sends the plan's events to the alarm topic. */
  public readonly eventsRule: events.Rule;
  /** The write fence of the stack's region, when the stack is in one of the plan's regions. */
  public readonly fence?: RegionSwitchFence;
  /** The plan's primary region. */
  public readonly primaryRegion: string;
  /** The plan's secondary region. */
  public readonly secondaryRegion: string;
  /** The recovery time objective, in minutes. */
  public readonly recoveryTimeObjectiveMinutes: number;
  /** The failover workflow (activate the secondary) and the failback workflow (activate the primary). */
  public readonly workflows: RegionSwitchWorkflowSummary[];
  /**
   * The Route 53 health checks the DNS step created, when `dnsRecords` is
   * set. ARC fills them in a few minutes after the plan is created; their
   * order is not documented, so attach them to records by looking them up
   * (docs/region-switch-plan.md).
   */
  public readonly planHealthCheckIds?: string[];

  constructor(scope: Construct, id: string, props: RegionSwitchPlanProps) {
    super(scope, id);
    // Deliver the report bucket's access logs through a bucket policy, never
    // ACLs (object ownership is enforced), whatever the app's flags say.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const approvalRoleCreated = props.approval !== undefined && props.approval.approvalRole === undefined;
    validateEnvironmentSuffix(this, props.environmentSuffix, (suffix) =>
      regionSwitchPlanDerivedNames(this, suffix, props.reportBucket === undefined, approvalRoleCreated));
    this.primaryRegion = validateRegionCode(this, 'primaryRegion', props.primaryRegion);
    this.secondaryRegion = validateRegionCode(this, 'secondaryRegion', props.secondaryRegion);
    if (this.primaryRegion === this.secondaryRegion) {
      throw new DrValidationError(this, `\`secondaryRegion\` must differ from \`primaryRegion\`: a plan switches between two regions, got: ${quote(this.secondaryRegion)} for both`);
    }
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.region)) {
      throw new DrValidationError(this,
        'RegionSwitchPlan must be in a stack with a concrete region (`env.region`): its report bucket, event rule and write fence are in that region, and the plan names the fence of each region by ARN, got: a region known only at deploy');
    }
    if (stack.region === this.primaryRegion) {
      addDrWarning(this, 'regionSwitchPlanInPrimaryRegion',
        `RegionSwitchPlan is in a stack of its primary region ${this.primaryRegion}: the plan itself still runs while that region is down, `
        + 'but its report bucket and event rule are there too, so a failover away from it has no report and no notification, and the stack cannot be updated until the region returns. '
        + `Put the plan in a stack of ${this.secondaryRegion} or of a third region.`);
    }
    const topicRegion = props.alarmTopic.env.region;
    if (!Token.isUnresolved(topicRegion) && topicRegion !== stack.region) {
      throw new DrValidationError(this,
        `\`alarmTopic\` must be a topic of the stack's region ${stack.region}: the rule that sends the plan's events to it is in that region, got: a topic of ${topicRegion}`);
    }
    const topicAccount = props.alarmTopic.env.account;
    if (!Token.isUnresolved(topicAccount) && !Token.isUnresolved(stack.account) && topicAccount !== stack.account) {
      throw new DrValidationError(this,
        `\`alarmTopic\` must be a topic of the stack's account ${stack.account}: an EventBridge rule sends to topics of its own account, got: a topic of ${topicAccount}`);
    }
    const approach = props.recoveryApproach ?? RegionSwitchRecoveryApproach.ACTIVE_PASSIVE;
    if (approach !== RegionSwitchRecoveryApproach.ACTIVE_PASSIVE) {
      throw new DrValidationError(this, `\`recoveryApproach\` must be ${RegionSwitchRecoveryApproach.ACTIVE_PASSIVE}: only active/passive is supported, got: ${quote(approach)}`);
    }
    this.recoveryTimeObjectiveMinutes = validateDuration(this, 'recoveryTimeObjective', props.recoveryTimeObjective, {
      unit: 'minutes', min: 1, max: RTO_MAX_MINUTES, maxReason: 'ARC\'s limit, 7 days', tokens: false, tokenReason: 'the plan is built at synth',
    })!;
    const approvalTimeout = stepMinutes(this, 'approval.timeout', props.approval?.timeout);
    const dns = props.dnsRecords ? validateDnsRecords(this, props.dnsRecords) : undefined;
    const customSteps = (props.customSteps ?? []).map((step, i) => validateCustomStep(this, `customSteps[${i}]`, step, this.primaryRegion, this.secondaryRegion));
    const reserved = new Set<string>(Object.values(REGION_SWITCH_STEP_NAMES));
    const seen = new Set<string>();
    customSteps.forEach((step, i) => {
      if (reserved.has(step.name) || seen.has(step.name)) {
        throw new DrValidationError(this,
          `\`customSteps[${i}].name\` must be unique in the plan and not one of the plan's own steps (${[...reserved].join(', ')}), got: ${quote(step.name)}`);
      }
      seen.add(step.name);
    });
    const database = props.database?._bind(this, this.primaryRegion, this.secondaryRegion);

    const suffix = props.environmentSuffix;
    const names = regionSwitchNames(suffix, stack.account, stack.region);
    this.planName = names.plan;
    const destroy = isDestroy(this, props.removalPolicy, 'the execution reports and their key');
    const removalPolicy = retainUnlessDestroy(props.removalPolicy);

    // The write fence of this stack's region; the other region's is a
    // RegionSwitchFence deployed there, found by name.
    if (stack.region === this.primaryRegion || stack.region === this.secondaryRegion) {
      this.fence = new RegionSwitchFence(this, 'Fence', {
        environmentSuffix: suffix,
        primaryRegion: this.primaryRegion,
        secondaryRegion: this.secondaryRegion,
        removalPolicy: props.removalPolicy,
      });
    }
    const fenceArns = {
      primary: fenceFunctionArn(stack.partition, this.primaryRegion, stack.account, suffix),
      secondary: fenceFunctionArn(stack.partition, this.secondaryRegion, stack.account, suffix),
    };

    // Reports.
    if (props.reportBucket) {
      this.reportBucket = props.reportBucket;
      this.reportKey = props.reportBucket.encryptionKey;
    } else {
      const key = createDrKey(this, 'ReportKey', {
        alias: names.reportKeyAlias,
        description: `Encrypts the execution reports of the Region switch plan ${names.plan}`,
        destroy,
      });
      this.reportKey = key;
      const logBucket = new s3.Bucket(this, 'ReportAccessLogs', {
        bucketName: names.reportLogBucket,
        // S3 server access logs can only be delivered to an SSE-S3 bucket.
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        lifecycleRules: [{ id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
        removalPolicy,
        autoDeleteObjects: destroy,
      });
      this.reportBucket = new s3.Bucket(this, 'ReportBucket', {
        bucketName: names.reportBucket,
        versioned: true,
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        // Reports are the evidence of each switch: current versions are kept.
        lifecycleRules: [{ id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
        serverAccessLogsBucket: logBucket,
        serverAccessLogsPrefix: 'access-logs/',
        removalPolicy,
        autoDeleteObjects: destroy,
      });
      const reason = 'Execution reports are evidence of switches, written in the plan stack\'s region; they are not recovery data and a copy in the other region is not needed to recover.';
      acknowledgeFinding(this.reportBucket, 'S3BucketReplicationEnabled', COMPLIANCE_PACKS, reason);
      acknowledgeFinding(logBucket, 'S3BucketReplicationEnabled', COMPLIANCE_PACKS, reason);
      acknowledgeFinding(logBucket, 'S3DefaultEncryptionKMS', COMPLIANCE_PACKS,
        'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3; SSE-KMS is not supported as a log destination.');
    }

    // The execution role: exactly the per-block permissions ARC documents,
    // on this plan's resources.
    const role = new ManagedPolicyRole(this, 'ExecutionRole', {
      roleName: names.executionRole,
      assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com'),
      description: `Runs the steps of the Region switch plan ${names.plan}`,
    });
    this.executionRole = role;
    const lambdaArns = [fenceArns.primary, fenceArns.secondary,
      ...customSteps.flatMap((s) => [s.primaryFunction.functionArn, s.secondaryFunction.functionArn])];
    const statements = [
      // Custom-action Lambda block (UG security_iam_region_switch_lambda).
      new iam.PolicyStatement({ sid: 'InvokeStepFunctions', actions: ['lambda:GetFunction', 'lambda:InvokeFunction'], resources: [...new Set(lambdaArns)] }),
      // Plan evaluation checks the role's permissions (the managed policy
      // AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy).
      new iam.PolicyStatement({ sid: 'EvaluateOwnPermissions', actions: ['iam:SimulatePrincipalPolicy'], resources: [role.roleArn] }),
      // Reports (UG security_iam_region_switch_reports).
      new iam.PolicyStatement({ sid: 'WriteReports', actions: ['s3:PutObject'], resources: [this.reportBucket.arnForObjects(`${REPORT_PREFIX}/*`)] }),
    ];
    if (database) {
      // Aurora Global Database block (UG security_iam_region_switch_aurora).
      const clusters = [database.primaryClusterArn, database.secondaryClusterArn];
      statements.push(
        new iam.PolicyStatement({ sid: 'DescribeGlobalDatabase', actions: ['rds:DescribeGlobalClusters'], resources: [database.globalClusterArn] }),
        new iam.PolicyStatement({ sid: 'DescribeClusters', actions: ['rds:DescribeDBClusters'], resources: clusters }),
        new iam.PolicyStatement({
          sid: 'SwitchGlobalDatabase',
          actions: ['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster'],
          resources: [database.globalClusterArn, ...clusters],
        }),
      );
    }
    if (dns) {
      // Route 53 health-check block (UG security_iam_region_switch_route53).
      statements.push(new iam.PolicyStatement({
        sid: 'ReadRecords',
        actions: ['route53:ListResourceRecordSets'],
        resources: [`arn:${stack.partition}:route53:::hostedzone/${dns.hostedZoneId}`],
      }));
    }
    const policy = role.addStatements(...statements);
    if (this.reportKey) {
      // SSE-KMS: a put needs a data key; a multipart put also decrypts it.
      this.reportKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(this.reportBucket.node.defaultChild as s3.CfnBucket)}.Arn>/${REPORT_PREFIX}/*]`, ['AwsSolutions'],
      'ARC names each report object when it writes it; the statement covers the report prefix of this one bucket.');

    if (props.approval) {
      this.approvalRole = props.approval.approvalRole;
    }

    const approvalRoleArn = (): string => this.approvalRole!.roleArn;
    const workflow = (target: string, leaving: string): arcregionswitch.CfnPlan.WorkflowProperty => {
      const steps: arcregionswitch.CfnPlan.StepProperty[] = [];
      if (props.approval) {
        steps.push({
          name: REGION_SWITCH_STEP_NAMES.approval,
          description: `Approve activating ${target}`,
          executionBlockType: 'ManualApproval',
          executionBlockConfiguration: { executionApprovalConfig: { approvalRole: approvalRoleArn(), timeoutMinutes: approvalTimeout } },
        });
      }
      steps.push({
        name: REGION_SWITCH_STEP_NAMES.fence,
        description: `Graceful runs: set the writer region to ${target}, first in ${leaving}`,
        executionBlockType: 'CustomActionLambda',
        executionBlockConfiguration: {
          customActionLambdaConfig: {
            // One function in each region (ARC requires both); ARC runs the
            // one of the region being left. Each names the other region.
            lambdas: [
              { arn: fenceArns.primary, payload: JSON.stringify({ writerRegion: this.secondaryRegion }) },
              { arn: fenceArns.secondary, payload: JSON.stringify({ writerRegion: this.primaryRegion }) },
            ],
            regionToRun: RegionSwitchRegionToRun.DEACTIVATING_REGION,
            retryIntervalMinutes: 1,
            timeoutMinutes: 10,
            ungraceful: { behavior: 'skip' },
          },
        },
      });
      if (database) {
        steps.push({
          name: REGION_SWITCH_STEP_NAMES.database,
          description: `Make ${target} the Aurora global database's writer: switchover (no data loss) when graceful, failover (data loss allowed) when ungraceful`,
          executionBlockType: 'AuroraGlobalDatabase',
          executionBlockConfiguration: {
            globalAuroraConfig: {
              behavior: 'switchoverOnly',
              globalClusterIdentifier: database.globalClusterIdentifier,
              databaseClusterArns: [database.primaryClusterArn, database.secondaryClusterArn],
              ungraceful: { ungraceful: 'failover' },
            },
          },
        });
      }
      if (dns) {
        steps.push({
          name: REGION_SWITCH_STEP_NAMES.dns,
          description: `Route ${dns.recordName} to ${target}`,
          executionBlockType: 'Route53HealthCheck',
          executionBlockConfiguration: {
            route53HealthCheckConfig: {
              hostedZoneId: dns.hostedZoneId,
              recordName: dns.recordName,
              recordSets: [
                { recordSetIdentifier: dns.primarySetIdentifier, region: this.primaryRegion },
                { recordSetIdentifier: dns.secondarySetIdentifier, region: this.secondaryRegion },
              ],
              timeoutMinutes: dns.timeoutMinutes,
            },
          },
        });
      }
      for (const step of customSteps) {
        steps.push({
          name: step.name,
          description: step.description,
          executionBlockType: 'CustomActionLambda',
          executionBlockConfiguration: {
            customActionLambdaConfig: {
              lambdas: [{ arn: step.primaryFunction.functionArn }, { arn: step.secondaryFunction.functionArn }],
              regionToRun: step.regionToRun,
              retryIntervalMinutes: step.retryIntervalMinutes,
              timeoutMinutes: step.timeoutMinutes,
              ungraceful: step.skipWhenUngraceful ? { behavior: 'skip' } : undefined,
            },
          },
        });
      }
      return {
        workflowTargetAction: 'activate',
        workflowTargetRegion: target,
        workflowDescription: `${target === this.secondaryRegion ? 'Failover' : 'Failback'}: activate ${target}`,
        steps,
      };
    };

    if (approvalRoleCreated) {
      // Created before the plan, allowed on the plan after it: no cycle.
      const approver = new ManagedPolicyRole(this, 'ApprovalRole', {
        roleName: names.approvalRole,
        assumedBy: new iam.AccountRootPrincipal(),
        description: `Approves runs of the Region switch plan ${names.plan}`,
      });
      this.approvalRole = approver;
    }

    const workflows = [workflow(this.secondaryRegion, this.primaryRegion), workflow(this.primaryRegion, this.secondaryRegion)];
    this.workflows = workflows.map((w) => ({
      targetRegion: w.workflowTargetRegion!,
      steps: (w.steps as arcregionswitch.CfnPlan.StepProperty[]).map((s) => s.name),
    }));

    this.plan = new arcregionswitch.CfnPlan(this, 'Plan', {
      name: names.plan,
      description: `Failover and failback between ${this.primaryRegion} and ${this.secondaryRegion} (${suffix})`,
      executionRole: role.roleArn,
      recoveryApproach: approach,
      regions: [this.primaryRegion, this.secondaryRegion],
      primaryRegion: this.primaryRegion,
      recoveryTimeObjectiveMinutes: this.recoveryTimeObjectiveMinutes,
      workflows,
      reportConfiguration: {
        reportOutput: [{
          s3Configuration: {
            bucketPath: `${this.reportBucket.bucketName}/${REPORT_PREFIX}`,
            bucketOwner: Aws.ACCOUNT_ID,
          },
        }],
      },
    });
    // Evaluation starts on create: the role must have its permissions by then.
    this.plan.node.addDependency(policy);
    this.planArn = this.plan.attrArn;
    this.planHealthCheckIds = dns ? this.plan.attrPlanHealthChecks : undefined;

    if (approvalRoleCreated) {
      (this.approvalRole as ManagedPolicyRole).addStatements(new iam.PolicyStatement({
        actions: ['arc-region-switch:ApprovePlanExecutionStep'],
        resources: [this.planArn],
      }));
    }

    // Evaluation warnings and execution events. The detail schema is not
    // documented, so nothing is filtered on it: every event of both types
    // reaches the topic (a filter on guessed fields could drop failures).
    this.eventsRule = new events.Rule(this, 'Events', {
      ruleName: names.eventsRule,
      description: `Sends ARC Region switch plan evaluation and execution events to the alarm topic (${suffix})`,
      eventPattern: {
        source: ['aws.arc-region-switch'],
        detailType: ['ARC Region Switch Plan Execution', 'ARC Region Switch Plan Evaluation'],
      },
      targets: [new targets.SnsTopic(props.alarmTopic)],
    });
  }

  /**
   * Grants reading the writer-region parameter of the stack's region, for
   * functions that write only while it names their region. In the other
   * region, use that region's RegionSwitchFence.
   */
  public grantReadWriterRegion(grantee: iam.IGrantable): iam.Grant {
    if (!this.fence) {
      throw new DrValidationError(this,
        `grantReadWriterRegion needs the fence of the stack's region, and this plan's stack (${Stack.of(this).region}) is in neither ${this.primaryRegion} nor ${this.secondaryRegion}: use the RegionSwitchFence of the function's region`);
    }
    return this.fence.grantReadWriterRegion(grantee);
  }
}

interface ValidDns {
  readonly hostedZoneId: string;
  readonly recordName: string;
  readonly primarySetIdentifier: string;
  readonly secondarySetIdentifier: string;
  readonly timeoutMinutes?: number;
}

function validateDnsRecords(scope: Construct, dns: RegionSwitchDnsRecords): ValidDns {
  const literal = (prop: string, value: string) => {
    if (Token.isUnresolved(value)) {
      throw new DrValidationError(scope,
        `\`dnsRecords.${prop}\` must be a literal, not a reference: the records attach to the plan's health checks, so a reference back to them would be a dependency cycle, got: ${Token.asString(value)}`);
    }
  };
  literal('hostedZoneId', dns.hostedZoneId);
  literal('recordName', dns.recordName);
  literal('primarySetIdentifier', dns.primarySetIdentifier);
  literal('secondarySetIdentifier', dns.secondarySetIdentifier);
  if (!/^[A-Z0-9]{1,32}$/.test(dns.hostedZoneId)) {
    throw new DrValidationError(scope, `\`dnsRecords.hostedZoneId\` must be a hosted zone id (up to 32 uppercase letters and digits, such as "Z0123456789ABCDEFGHIJ"), got: ${quote(dns.hostedZoneId)}`);
  }
  const name = dns.recordName.replace(/\.$/, '');
  if (name.length === 0 || name.length > 253 || name.split('.').some((label) => label.length === 0 || label.length > 63)) {
    throw new DrValidationError(scope, `\`dnsRecords.recordName\` must be a domain name of labels of 1 to 63 characters, at most 253 in all, got: ${quote(dns.recordName)}`);
  }
  for (const prop of ['primarySetIdentifier', 'secondarySetIdentifier'] as const) {
    const value = dns[prop];
    if (value.length < 1 || value.length > 128) {
      throw new DrValidationError(scope, `\`dnsRecords.${prop}\` must be 1 to 128 characters (Route 53's SetIdentifier), got: ${quote(value)}`);
    }
  }
  if (dns.primarySetIdentifier === dns.secondarySetIdentifier) {
    throw new DrValidationError(scope, `\`dnsRecords.secondarySetIdentifier\` must differ from \`dnsRecords.primarySetIdentifier\`: each region has its own record, got: ${quote(dns.secondarySetIdentifier)} for both`);
  }
  return { ...dns, timeoutMinutes: stepMinutes(scope, 'dnsRecords.timeout', dns.timeout) };
}

interface ValidCustomStep {
  readonly name: string;
  readonly description?: string;
  readonly primaryFunction: lambda.IFunction;
  readonly secondaryFunction: lambda.IFunction;
  readonly regionToRun: RegionSwitchRegionToRun;
  readonly retryIntervalMinutes: number;
  readonly timeoutMinutes?: number;
  readonly skipWhenUngraceful: boolean;
}

function validateCustomStep(
  scope: Construct, prop: string, step: RegionSwitchCustomStep, primaryRegion: string, secondaryRegion: string,
): ValidCustomStep {
  if (Token.isUnresolved(step.name) || !STEP_NAME.test(step.name) || step.name.length > 64) {
    throw new DrValidationError(scope, `\`${prop}.name\` must be 1 to 64 letters, digits and hyphens, starting with a letter or digit, got: ${quote(step.name)}`);
  }
  for (const [fnProp, fn, region] of [['primaryFunction', step.primaryFunction, primaryRegion], ['secondaryFunction', step.secondaryFunction, secondaryRegion]] as const) {
    const fnRegion = fn.env.region;
    if (!Token.isUnresolved(fnRegion) && fnRegion !== region) {
      throw new DrValidationError(scope,
        `\`${prop}.${fnProp}\` must be a function of ${region}: ARC runs one function in each plan region, got: a function of ${fnRegion} (${fn.node.path})`);
    }
    if (Token.isUnresolved(fnRegion) && Stack.of(fn).region !== region) {
      throw new DrValidationError(scope,
        `\`${prop}.${fnProp}\` must be a function of ${region}, imported by ARN (lambda.Function.fromFunctionArn) when it is in another region's stack, got: a function whose region is known only at deploy (${fn.node.path})`);
    }
  }
  if (step.primaryFunction.functionArn === step.secondaryFunction.functionArn) {
    throw new DrValidationError(scope, `\`${prop}.secondaryFunction\` must differ from \`${prop}.primaryFunction\`: ARC needs one function in each region`);
  }
  const regionToRun = step.regionToRun ?? RegionSwitchRegionToRun.ACTIVATING_REGION;
  if (!Object.values(RegionSwitchRegionToRun).includes(regionToRun)) {
    throw new DrValidationError(scope, `\`${prop}.regionToRun\` must be one of ${Object.values(RegionSwitchRegionToRun).join(', ')}, got: ${quote(regionToRun)}`);
  }
  const retryIntervalMinutes = stepMinutes(scope, `${prop}.retryInterval`, step.retryInterval ?? Duration.minutes(1))!;
  const timeoutMinutes = stepMinutes(scope, `${prop}.timeout`, step.timeout);
  if (timeoutMinutes !== undefined && retryIntervalMinutes > timeoutMinutes) {
    throw new DrValidationError(scope,
      `\`${prop}.retryInterval\` must not be longer than \`${prop}.timeout\` (${describeDuration(step.timeout!)}): the step would time out before its first retry, got: ${describeDuration(step.retryInterval!)}`);
  }
  return {
    name: step.name,
    description: step.description,
    primaryFunction: step.primaryFunction,
    secondaryFunction: step.secondaryFunction,
    regionToRun,
    retryIntervalMinutes,
    timeoutMinutes,
    skipWhenUngraceful: step.skipWhenUngraceful ?? false,
  };
}

function stepMinutes(scope: Construct, prop: string, value: Duration | undefined): number | undefined {
  return value === undefined ? undefined : validateDuration(scope, prop, value, STEP_DURATION_RULE);
}
