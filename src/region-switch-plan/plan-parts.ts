/**
 * The parts RegionSwitchPlan assembles: its checked inputs, its workflows
 * and its execution role's statements. Internal: not exported from the package.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { describeDuration, validateDuration } from '../private/duration';
import { DrValidationError, quote } from '../private/validation';
import { addDrWarning } from '../private/warnings';

/** The names of the plan's own steps. */
export const REGION_SWITCH_STEP_NAMES = {
  approval: 'approve',
  fence: 'fence-writes',
  database: 'aurora-global-database',
  announce: 'announce-writer',
  dns: 'route53-health-checks',
} as const;

/** The key prefix of the execution reports in the report bucket. */
export const REPORT_PREFIX = 'region-switch-reports';

/** ARC's largest recovery time objective, in minutes (7 days). */
export const RTO_MAX_MINUTES = 10_080;

/** How often ARC reruns the writer-region steps until they succeed, and how long they may take. */
const WRITER_STEP_RETRY_MINUTES = 1;
const WRITER_STEP_TIMEOUT_MINUTES = 10;

/** Our bound on step timeouts and retry intervals: the longest RTO ARC takes. */
const STEP_DURATION_RULE = {
  unit: 'minutes',
  min: 1,
  max: RTO_MAX_MINUTES,
  maxReason: 'the longest recovery time objective a plan takes',
  tokens: false,
  tokenReason: 'the plan is built at synth',
} as const;

const STEP_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Where ARC runs a custom-action Lambda block's function (ARC's values). */
export const REGION_TO_RUN = ['activatingRegion', 'deactivatingRegion'] as const;

/** A plan's database, resolved for its regions. */
export interface BoundRegionSwitchDatabase {
  readonly globalClusterIdentifier: string;
  readonly globalClusterArn: string;
  readonly primaryClusterArn: string;
  readonly secondaryClusterArn: string;
}

/** Route 53 records, checked. */
export interface CheckedDns {
  readonly hostedZoneId: string;
  readonly recordName: string;
  readonly primarySetIdentifier: string;
  readonly secondarySetIdentifier: string;
  readonly timeoutMinutes?: number;
}

/** A custom step, checked. */
export interface CheckedCustomStep {
  readonly name: string;
  readonly description?: string;
  readonly primaryFunctionArn: string;
  readonly secondaryFunctionArn: string;
  readonly regionToRun: string;
  readonly retryIntervalMinutes: number;
  readonly timeoutMinutes?: number;
  readonly skipWhenUngraceful: boolean;
}

/** The props of one custom step as the plan takes them. */
export interface CustomStepInput {
  readonly name: string;
  readonly description?: string;
  readonly primaryFunction: lambda.IFunction;
  readonly secondaryFunction: lambda.IFunction;
  readonly regionToRun?: string;
  readonly retryInterval?: Duration;
  readonly timeout?: Duration;
  readonly skipWhenUngraceful?: boolean;
}

/** A step duration in whole minutes, or undefined when not given. */
export function stepMinutes(scope: IConstruct, prop: string, value: Duration | undefined): number | undefined {
  return value === undefined ? undefined : validateDuration(scope, prop, value, STEP_DURATION_RULE);
}

/** Checks the Route 53 records: literals (no cycle with the plan's health checks), Route 53's formats. */
export function checkDnsRecords(scope: IConstruct, dns: {
  readonly hostedZoneId: string;
  readonly recordName: string;
  readonly primarySetIdentifier: string;
  readonly secondarySetIdentifier: string;
  readonly timeout?: Duration;
}, regions: { readonly primary: string; readonly secondary: string }): CheckedDns {
  for (const prop of ['hostedZoneId', 'recordName', 'primarySetIdentifier', 'secondarySetIdentifier'] as const) {
    if (Token.isUnresolved(dns[prop])) {
      throw new DrValidationError(scope,
        `\`dnsRecords.${prop}\` must be a literal, not a reference: the records attach to the plan's health checks, so a reference back to them would be a dependency cycle, got: ${Token.asString(dns[prop])}`);
    }
  }
  if (!/^[A-Z0-9]{1,32}$/.test(dns.hostedZoneId)) {
    throw new DrValidationError(scope,
      `\`dnsRecords.hostedZoneId\` must be a hosted zone id (up to 32 uppercase letters and digits, such as "Z0123456789ABCDEFGHIJ"), got: ${quote(dns.hostedZoneId)}`);
  }
  const name = dns.recordName.replace(/\.$/, '');
  if (name.length === 0 || name.length > 253 || name.split('.').some((label) => label.length === 0 || label.length > 63)) {
    throw new DrValidationError(scope, `\`dnsRecords.recordName\` must be a domain name of labels of 1 to 63 characters, at most 253 in all, got: ${quote(dns.recordName)}`);
  }
  for (const prop of ['primarySetIdentifier', 'secondarySetIdentifier'] as const) {
    if (dns[prop].length < 1 || dns[prop].length > 128) {
      throw new DrValidationError(scope, `\`dnsRecords.${prop}\` must be 1 to 128 characters (Route 53's SetIdentifier), got: ${quote(dns[prop])}`);
    }
  }
  if (dns.primarySetIdentifier === dns.secondarySetIdentifier) {
    throw new DrValidationError(scope,
      `\`dnsRecords.secondarySetIdentifier\` must differ from \`dnsRecords.primarySetIdentifier\`: each region has its own record, got: ${quote(dns.secondarySetIdentifier)} for both`);
  }
  // ARC maps records to regions by the region name in the SetIdentifier as
  // well as by RecordSets: the two must agree
  // (https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html).
  for (const [prop, own, other] of [['primarySetIdentifier', regions.primary, regions.secondary], ['secondarySetIdentifier', regions.secondary, regions.primary]] as const) {
    if (!dns[prop].includes(own) || dns[prop].includes(other)) {
      throw new DrValidationError(scope,
        `\`dnsRecords.${prop}\` must name its region ${own} and not ${other}: ARC maps each record to a region by the region name in its SetIdentifier, got: ${quote(dns[prop])}`);
    }
  }
  return {
    hostedZoneId: dns.hostedZoneId,
    recordName: dns.recordName,
    primarySetIdentifier: dns.primarySetIdentifier,
    secondarySetIdentifier: dns.secondarySetIdentifier,
    timeoutMinutes: stepMinutes(scope, 'dnsRecords.timeout', dns.timeout),
  };
}

/** Checks the custom steps: names unique and not the plan's own, one function in each region, durations. */
export function checkCustomSteps(
  scope: IConstruct, steps: readonly CustomStepInput[], primaryRegion: string, secondaryRegion: string,
): CheckedCustomStep[] {
  const reserved = new Set<string>(Object.values(REGION_SWITCH_STEP_NAMES));
  const seen = new Set<string>();
  return steps.map((step, i) => {
    const prop = `customSteps[${i}]`;
    if (Token.isUnresolved(step.name) || !STEP_NAME.test(step.name) || step.name.length > 64) {
      throw new DrValidationError(scope, `\`${prop}.name\` must be 1 to 64 letters, digits and hyphens, starting with a letter or digit, got: ${quote(step.name)}`);
    }
    if (reserved.has(step.name) || seen.has(step.name)) {
      throw new DrValidationError(scope,
        `\`${prop}.name\` must be unique in the plan and not one of the plan's own steps (${[...reserved].join(', ')}), got: ${quote(step.name)}`);
    }
    seen.add(step.name);
    for (const [fnProp, fn, region] of [['primaryFunction', step.primaryFunction, primaryRegion], ['secondaryFunction', step.secondaryFunction, secondaryRegion]] as const) {
      const fnRegion = fn.env.region;
      if (Token.isUnresolved(fnRegion) ? Stack.of(fn).region !== region : fnRegion !== region) {
        const got = Token.isUnresolved(fnRegion) ? 'a function whose region is known only at deploy' : `a function of ${fnRegion}`;
        throw new DrValidationError(scope,
          `\`${prop}.${fnProp}\` must be a function of ${region}: ARC runs one function in each plan region (import one of another stack with lambda.Function.fromFunctionArn), got: ${got} (${fn.node.path})`);
      }
    }
    const regionToRun = step.regionToRun ?? 'activatingRegion';
    if (!(REGION_TO_RUN as readonly string[]).includes(regionToRun)) {
      throw new DrValidationError(scope, `\`${prop}.regionToRun\` must be one of ${REGION_TO_RUN.join(', ')}, got: ${quote(regionToRun)}`);
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
      primaryFunctionArn: step.primaryFunction.functionArn,
      secondaryFunctionArn: step.secondaryFunction.functionArn,
      regionToRun,
      retryIntervalMinutes,
      timeoutMinutes,
      skipWhenUngraceful: step.skipWhenUngraceful ?? false,
    };
  });
}

/** What the workflows are built from. */
export interface WorkflowParts {
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
  /** The writer-region function of each region. */
  readonly fenceArns: { readonly primary: string; readonly secondary: string };
  readonly approval?: { readonly roleArn: string; readonly timeoutMinutes?: number };
  readonly database?: BoundRegionSwitchDatabase;
  readonly dns?: CheckedDns;
  readonly customSteps: readonly CheckedCustomStep[];
}

/**
 * The workflow that activates `target`. Active/passive plans take one
 * activate workflow per region (UG working-with-rs-workflows); a run is
 * graceful or ungraceful, and each block says what it does in each.
 */
export function activateWorkflow(parts: WorkflowParts, target: string): arcregionswitch.CfnPlan.WorkflowProperty {
  const leaving = target === parts.primaryRegion ? parts.secondaryRegion : parts.primaryRegion;
  const writerFunctions = (payload: (functionRegion: string) => string) => [
    { arn: parts.fenceArns.primary, payload: JSON.stringify({ writerRegion: payload(parts.primaryRegion) }) },
    { arn: parts.fenceArns.secondary, payload: JSON.stringify({ writerRegion: payload(parts.secondaryRegion) }) },
  ];
  const otherThan = (region: string) => (region === parts.primaryRegion ? parts.secondaryRegion : parts.primaryRegion);
  const steps: arcregionswitch.CfnPlan.StepProperty[] = [];
  if (parts.approval) {
    steps.push({
      name: REGION_SWITCH_STEP_NAMES.approval,
      description: `Approve activating ${target}`,
      executionBlockType: 'ManualApproval',
      executionBlockConfiguration: {
        executionApprovalConfig: { approvalRole: parts.approval.roleArn, timeoutMinutes: parts.approval.timeoutMinutes },
      },
    });
  }
  // ARC needs one function in each region and runs the one of RegionToRun
  // (UG custom-action-lambda-block). The fence runs in the region being
  // left, so each function names the other region. Ungraceful runs skip it:
  // the region being left may be unreachable.
  steps.push({
    name: REGION_SWITCH_STEP_NAMES.fence,
    description: `Graceful runs: ${leaving} stops writing (its writer-region parameter names ${target})`,
    executionBlockType: 'CustomActionLambda',
    executionBlockConfiguration: {
      customActionLambdaConfig: {
        lambdas: writerFunctions(otherThan),
        regionToRun: 'deactivatingRegion',
        retryIntervalMinutes: WRITER_STEP_RETRY_MINUTES,
        timeoutMinutes: WRITER_STEP_TIMEOUT_MINUTES,
        ungraceful: { behavior: 'skip' },
      },
    },
  });
  if (parts.database) {
    // Graceful: switchoverOnly (SwitchoverGlobalCluster, no data loss).
    // Ungraceful: failover (FailoverGlobalCluster, data loss allowed).
    // (API GlobalAuroraConfiguration, GlobalAuroraUngraceful.)
    steps.push({
      name: REGION_SWITCH_STEP_NAMES.database,
      description: `${target} becomes the Aurora global database's writer: switchover when graceful, failover (data loss allowed) when ungraceful`,
      executionBlockType: 'AuroraGlobalDatabase',
      executionBlockConfiguration: {
        globalAuroraConfig: {
          behavior: 'switchoverOnly',
          globalClusterIdentifier: parts.database.globalClusterIdentifier,
          databaseClusterArns: [parts.database.primaryClusterArn, parts.database.secondaryClusterArn],
          ungraceful: { ungraceful: 'failover' },
        },
      },
    });
  }
  // In every run, once the database takes writes there: the region being
  // activated names itself, so its functions start writing.
  steps.push({
    name: REGION_SWITCH_STEP_NAMES.announce,
    description: `${target} starts writing (its writer-region parameter names itself)`,
    executionBlockType: 'CustomActionLambda',
    executionBlockConfiguration: {
      customActionLambdaConfig: {
        lambdas: writerFunctions((region) => region),
        regionToRun: 'activatingRegion',
        retryIntervalMinutes: WRITER_STEP_RETRY_MINUTES,
        timeoutMinutes: WRITER_STEP_TIMEOUT_MINUTES,
      },
    },
  });
  if (parts.dns) {
    steps.push({
      name: REGION_SWITCH_STEP_NAMES.dns,
      description: `${parts.dns.recordName} routes to ${target}`,
      executionBlockType: 'Route53HealthCheck',
      executionBlockConfiguration: {
        route53HealthCheckConfig: {
          hostedZoneId: parts.dns.hostedZoneId,
          recordName: parts.dns.recordName,
          recordSets: [
            { recordSetIdentifier: parts.dns.primarySetIdentifier, region: parts.primaryRegion },
            { recordSetIdentifier: parts.dns.secondarySetIdentifier, region: parts.secondaryRegion },
          ],
          timeoutMinutes: parts.dns.timeoutMinutes,
        },
      },
    });
  }
  for (const step of parts.customSteps) {
    steps.push({
      name: step.name,
      description: step.description,
      executionBlockType: 'CustomActionLambda',
      executionBlockConfiguration: {
        customActionLambdaConfig: {
          lambdas: [{ arn: step.primaryFunctionArn }, { arn: step.secondaryFunctionArn }],
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
    workflowDescription: `${target === parts.secondaryRegion ? 'Failover' : 'Failback'}: activate ${target}`,
    steps,
  };
}

/** What the execution role needs permissions for. */
export interface RoleParts {
  readonly partition: string;
  readonly roleArn: string;
  readonly functionArns: readonly string[];
  readonly reportObjectsArn: string;
  readonly database?: BoundRegionSwitchDatabase;
  readonly hostedZoneId?: string;
}

/**
 * The execution role's statements: per block, the actions of ARC's sample
 * policy for it, on this plan's resources only.
 */
export function executionRoleStatements(parts: RoleParts): iam.PolicyStatement[] {
  const statements = [
    // Custom-action Lambda blocks (UG security_iam_region_switch_lambda).
    new iam.PolicyStatement({ sid: 'InvokeStepFunctions', actions: ['lambda:GetFunction', 'lambda:InvokeFunction'], resources: [...new Set(parts.functionArns)] }),
    // Plan evaluation checks the role's own permissions (the managed policy
    // AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy).
    new iam.PolicyStatement({ sid: 'EvaluateOwnPermissions', actions: ['iam:SimulatePrincipalPolicy'], resources: [parts.roleArn] }),
    // Reports (UG security_iam_region_switch_reports).
    new iam.PolicyStatement({ sid: 'WriteReports', actions: ['s3:PutObject'], resources: [parts.reportObjectsArn] }),
  ];
  if (parts.database) {
    // Aurora Global Database block (UG security_iam_region_switch_aurora).
    const clusters = [parts.database.primaryClusterArn, parts.database.secondaryClusterArn];
    statements.push(
      new iam.PolicyStatement({ sid: 'DescribeGlobalDatabase', actions: ['rds:DescribeGlobalClusters'], resources: [parts.database.globalClusterArn] }),
      new iam.PolicyStatement({ sid: 'DescribeClusters', actions: ['rds:DescribeDBClusters'], resources: clusters }),
      new iam.PolicyStatement({
        sid: 'SwitchGlobalDatabase',
        actions: ['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster'],
        resources: [parts.database.globalClusterArn, ...clusters],
      }),
    );
  }
  if (parts.hostedZoneId) {
    // Route 53 health-check block (UG security_iam_region_switch_route53).
    statements.push(new iam.PolicyStatement({
      sid: 'ReadRecords',
      actions: ['route53:ListResourceRecordSets'],
      resources: [`arn:${parts.partition}:route53:::hostedzone/${parts.hostedZoneId}`],
    }));
  }
  return statements;
}

/**
 * A resource ARN as cdk-nag prints it in a finding id: references as
 * `<LogicalId.Attr>` or `<LogicalId>`, pseudo parameters as `<AWS::Name>`.
 */
export function nagResourceText(scope: IConstruct, arn: string): string {
  const render = (value: any): string => {
    if (typeof value === 'string') return value;
    if (value?.['Fn::Join']) return (value['Fn::Join'][1] as any[]).map(render).join(value['Fn::Join'][0]);
    if (value?.['Fn::GetAtt']) return `<${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}>`;
    if (value?.Ref) return `<${value.Ref}>`;
    return JSON.stringify(value);
  };
  return render(Stack.of(scope).resolve(arn));
}

/**
 * Where a plan can live: a stack with a concrete region (its report bucket,
 * event rule and writer-region function are there), warned against in the
 * primary region, with an alarm topic of that region and account.
 */
export function checkPlacement(scope: Construct, primaryRegion: string, secondaryRegion: string, alarmTopic: sns.ITopic): void {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region)) {
    throw new DrValidationError(scope,
      'RegionSwitchPlan must be in a stack with a concrete region (`env.region`): its report bucket, event rule and write fence are in that region, '
      + 'and the plan names the fence of each region by ARN, got: a region known only at deploy');
  }
  if (stack.region === primaryRegion) {
    addDrWarning(scope, 'regionSwitchPlanInPrimaryRegion',
      `RegionSwitchPlan is in a stack of its primary region ${primaryRegion}: the plan itself still runs while that region is down, `
      + 'but its report bucket and event rule are there too, so a failover away from it has no report and no notification, and the stack cannot be updated until the region returns. '
      + `Put the plan in a stack of ${secondaryRegion} or of a third region.`);
  }
  const topicRegion = alarmTopic.env.region;
  if (!Token.isUnresolved(topicRegion) && topicRegion !== stack.region) {
    throw new DrValidationError(scope,
      `\`alarmTopic\` must be a topic of the stack's region ${stack.region}: the rule that sends the plan's events to it is in that region, got: a topic of ${topicRegion}`);
  }
  const topicAccount = alarmTopic.env.account;
  if (!Token.isUnresolved(topicAccount) && !Token.isUnresolved(stack.account) && topicAccount !== stack.account) {
    throw new DrValidationError(scope,
      `\`alarmTopic\` must be a topic of the stack's account ${stack.account}: an EventBridge rule sends to topics of its own account, got: a topic of ${topicAccount}`);
  }
}
