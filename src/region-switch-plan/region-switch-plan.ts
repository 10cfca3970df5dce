import { Aws, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PlanHealthCheckLookup } from './plan-health-checks';
import { activateWorkflow, checkCustomSteps, checkPlacement, checkDnsRecords, executionRoleStatements, nagResourceText, REPORT_PREFIX, RTO_MAX_MINUTES, stepMinutes } from './plan-parts';
import { RegionSwitchDatabase } from './region-switch-database';
import { RegionSwitchFence } from './region-switch-fence';
import { createReportBucket } from './report-bucket';
import { fenceFunctionArn, regionSwitchNames, regionSwitchPlanDerivedNames, validateEnvironmentSuffix } from '../names';
import { ConditionedSnsTarget } from '../private/alarm-topic';
import { validateDuration } from '../private/duration';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding } from '../private/nag';
import { validateRegionCode } from '../private/regions';
import { isDestroy, retainUnlessDestroy } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';

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

/**
 * An Amazon Application Recovery Controller (ARC) Region switch plan for an
 * active/passive application in two regions: a workflow that activates the
 * secondary (failover) and one that activates the primary again (failback),
 * each run graceful or ungraceful as the operator chooses when starting it.
 * The steps, in order: an optional manual approval; the write fence in the
 * region being left (graceful runs only); the Aurora global database
 * (switchover when graceful, failover with data loss allowed when
 * ungraceful); the region being activated named the writer; the Route 53
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
  /** The key of the report bucket: the plan's own, or the given bucket's when the app knows it. */
  public readonly reportKey?: kms.IKey;
  /** The rule that sends the plan's events to the alarm topic. */
  public readonly eventsRule: events.Rule;
  /** The writer-region parameter and function of the stack's region, when the stack is in one of the plan's regions. */
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
   * order is not documented: use `healthCheckId(region)` to attach them to
   * records.
   */
  public readonly planHealthCheckIds?: string[];
  /** With `dnsRecords`: the custom resource that maps the plan's health checks to regions (`ListRoute53HealthChecks`). */
  public readonly healthCheckLookup?: CustomResource;
  private readonly lookup?: PlanHealthCheckLookup;

  constructor(scope: Construct, id: string, props: RegionSwitchPlanProps) {
    super(scope, id);
    // Deliver the report bucket's access logs through a bucket policy, never
    // ACLs (object ownership is enforced), whatever the app's flags say.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const approvalRoleCreated = props.approval !== undefined && props.approval.approvalRole === undefined;
    validateEnvironmentSuffix(this, props.environmentSuffix, (suffix) =>
      regionSwitchPlanDerivedNames(this, suffix, props.reportBucket === undefined, approvalRoleCreated, props.dnsRecords !== undefined));
    this.primaryRegion = validateRegionCode(this, 'primaryRegion', props.primaryRegion);
    this.secondaryRegion = validateRegionCode(this, 'secondaryRegion', props.secondaryRegion);
    if (this.primaryRegion === this.secondaryRegion) {
      throw new DrValidationError(this, `\`secondaryRegion\` must differ from \`primaryRegion\`: a plan switches between two regions, got: ${quote(this.secondaryRegion)} for both`);
    }
    checkPlacement(this, this.primaryRegion, this.secondaryRegion, props.alarmTopic);
    const stack = Stack.of(this);
    const approach = props.recoveryApproach ?? RegionSwitchRecoveryApproach.ACTIVE_PASSIVE;
    if (approach !== RegionSwitchRecoveryApproach.ACTIVE_PASSIVE) {
      throw new DrValidationError(this, `\`recoveryApproach\` must be ${RegionSwitchRecoveryApproach.ACTIVE_PASSIVE}: only active/passive is supported, got: ${quote(approach)}`);
    }
    this.recoveryTimeObjectiveMinutes = validateDuration(this, 'recoveryTimeObjective', props.recoveryTimeObjective, {
      unit: 'minutes', min: 1, max: RTO_MAX_MINUTES, maxReason: 'ARC\'s limit, 7 days', tokens: false, tokenReason: 'the plan is built at synth',
    })!;
    const approvalTimeout = stepMinutes(this, 'approval.timeout', props.approval?.timeout);
    const regions = { primary: this.primaryRegion, secondary: this.secondaryRegion };
    const dns = props.dnsRecords ? checkDnsRecords(this, props.dnsRecords, regions) : undefined;
    const customSteps = checkCustomSteps(this, props.customSteps ?? [], this.primaryRegion, this.secondaryRegion);
    const database = props.database?._bind(this, this.primaryRegion, this.secondaryRegion);

    const suffix = props.environmentSuffix;
    const names = regionSwitchNames(suffix, stack.account, stack.region);
    this.planName = names.plan;
    const destroy = isDestroy(this, props.removalPolicy, 'the execution reports and their key');

    // The writer-region parameter and function of this stack's region; the
    // other region's are a RegionSwitchFence deployed there, found by name.
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

    if (props.reportBucket) {
      this.reportBucket = props.reportBucket;
      this.reportKey = props.reportBucket.encryptionKey;
    } else {
      const report = createReportBucket(this, {
        bucketName: names.reportBucket,
        logBucketName: names.reportLogBucket,
        keyAlias: names.reportKeyAlias,
        planName: names.plan,
        destroy,
        removalPolicy: retainUnlessDestroy(props.removalPolicy),
      });
      this.reportBucket = report.bucket;
      this.reportKey = report.key;
    }

    const role = new ManagedPolicyRole(this, 'ExecutionRole', {
      roleName: names.executionRole,
      assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com'),
      description: `Runs the steps of the Region switch plan ${names.plan}`,
    });
    this.executionRole = role;
    const reportObjectsArn = this.reportBucket.arnForObjects(`${REPORT_PREFIX}/*`);
    const policy = role.addStatements(...executionRoleStatements({
      partition: stack.partition,
      roleArn: role.roleArn,
      functionArns: [fenceArns.primary, fenceArns.secondary, ...customSteps.flatMap((s) => [s.primaryFunctionArn, s.secondaryFunctionArn])],
      reportObjectsArn,
      database,
      hostedZoneId: dns?.hostedZoneId,
    }));
    if (this.reportKey) {
      // SSE-KMS: a put needs a data key; a multipart put also decrypts it.
      this.reportKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    acknowledgeFinding(policy, `IAM5[Resource::${nagResourceText(this, reportObjectsArn)}]`, ['AwsSolutions'],
      'ARC names each report object when it writes it; the statement covers the report prefix of this one bucket.');

    if (approvalRoleCreated) {
      // Created before the plan and allowed on it after: no cycle.
      this.approvalRole = new ManagedPolicyRole(this, 'ApprovalRole', {
        roleName: names.approvalRole,
        assumedBy: new iam.AccountRootPrincipal(),
        description: `Approves runs of the Region switch plan ${names.plan}`,
      });
    } else {
      this.approvalRole = props.approval?.approvalRole;
    }

    const parts = {
      primaryRegion: this.primaryRegion,
      secondaryRegion: this.secondaryRegion,
      fenceArns,
      approval: this.approvalRole ? { roleArn: this.approvalRole.roleArn, timeoutMinutes: approvalTimeout } : undefined,
      database,
      dns,
      customSteps,
    };
    const workflows = [activateWorkflow(parts, this.secondaryRegion), activateWorkflow(parts, this.primaryRegion)];
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
        reportOutput: [{ s3Configuration: { bucketPath: `${this.reportBucket.bucketName}/${REPORT_PREFIX}`, bucketOwner: Aws.ACCOUNT_ID } }],
      },
    });
    // Evaluation starts on create: the role must have its permissions by then.
    this.plan.node.addDependency(policy);
    this.planArn = this.plan.attrArn;
    this.planHealthCheckIds = dns ? this.plan.attrPlanHealthChecks : undefined;
    // The lookup logs with the fence's key when the stack has one.
    this.lookup = dns ? new PlanHealthCheckLookup(this, 'HealthChecks', {
      plan: this.plan,
      names,
      dns,
      regions,
      encryptionKey: this.fence?.encryptionKey,
      destroy,
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    }) : undefined;
    this.healthCheckLookup = this.lookup?.resource;

    if (approvalRoleCreated) {
      (this.approvalRole as ManagedPolicyRole).addStatements(new iam.PolicyStatement({
        actions: ['arc-region-switch:ApprovePlanExecutionStep'],
        resources: [this.planArn],
      }));
    }

    // The detail schema of these events is not documented, so nothing is
    // filtered on it: every event of both types reaches the topic (a filter
    // on guessed fields could drop the failures).
    this.eventsRule = new events.Rule(this, 'Events', {
      ruleName: names.eventsRule,
      description: `Sends ARC Region switch plan evaluation and execution events to the alarm topic (${suffix})`,
      eventPattern: {
        source: ['aws.arc-region-switch'],
        detailType: ['ARC Region Switch Plan Execution', 'ARC Region Switch Plan Evaluation'],
      },
      // Published on the account's behalf only (aws:SourceAccount), not with targets.SnsTopic's bare grant.
      targets: [new ConditionedSnsTarget(props.alarmTopic)],
    });
  }

  /** The id (a token) of the health check ARC created for `region`'s record, with `dnsRecords`. */
  public healthCheckId(region: string): string {
    if (!this.lookup) {
      throw new DrValidationError(this, 'healthCheckId needs `dnsRecords`: the plan creates health checks only with a DNS step, got: a plan without `dnsRecords`');
    }
    return this.lookup.healthCheckId(this, region);
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
