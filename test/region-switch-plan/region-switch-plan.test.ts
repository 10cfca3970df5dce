import { App, CfnParameter, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AuroraGlobalSecondary,
  EncryptedAurora,
  RegionSwitchDatabase,
  RegionSwitchFence,
  RegionSwitchPlan,
  RegionSwitchPlanProps,
  RegionSwitchRecoveryApproach,
  RegionSwitchRegionToRun,
} from '../../src';
import { DrValidationError } from '../../src/private/validation';
import { WARNING_IDS } from '../../src/private/warnings';
import { complianceTest, isolatedVpc, nagFindings, synth, testApp, testStack } from '../util';

const ACCOUNT = '123456789012';
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';
const PLAN_PATH = 'TestStack/Switch';

const fenceArn = (region: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:dr-fence-writes-test`;
const customFn = (stack: Stack, id: string, region: string) =>
  lambda.Function.fromFunctionArn(stack, id, `arn:aws:lambda:${region}:${ACCOUNT}:function:app-${id.toLowerCase()}`);

/** Every optional part: approval, database, DNS and one custom step. */
function fullProps(stack: Stack): Partial<RegionSwitchPlanProps> {
  return {
    approval: {},
    database: RegionSwitchDatabase.fromIdentifiers('dr-aurora-global-test', 'dr-aurora-test'),
    dnsRecords: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com', primarySetIdentifier: 'api-us-east-1', secondarySetIdentifier: 'api-us-west-2' },
    customSteps: [{
      name: 'warm-caches',
      description: 'Warm the caches of the new primary',
      primaryFunction: customFn(stack, 'WarmPrimary', PRIMARY),
      secondaryFunction: customFn(stack, 'WarmSecondary', SECONDARY),
      timeout: Duration.minutes(20),
      retryInterval: Duration.minutes(2),
    }],
  };
}

interface Built {
  readonly stack: Stack;
  readonly plan: RegionSwitchPlan;
  readonly t: Template;
}

function build(
  props: Partial<RegionSwitchPlanProps> | ((stack: Stack) => Partial<RegionSwitchPlanProps>) = {},
  options: { region?: string; validate?: boolean; stackProps?: StackProps } = {},
): Built {
  const stack = testStack({ env: { account: ACCOUNT, region: options.region ?? SECONDARY }, validate: options.validate, ...options.stackProps });
  const plan = makePlan(stack, typeof props === 'function' ? props(stack) : props);
  return { stack, plan, t: Template.fromStack(stack) };
}

/** The plan with the test's defaults, its alarm topic in the stack's region. */
function makePlan(stack: Stack, props: Partial<RegionSwitchPlanProps> = {}): RegionSwitchPlan {
  const topic = sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${stack.region}:${ACCOUNT}:dr-alarms-test`);
  return new RegionSwitchPlan(stack, 'Switch', {
    environmentSuffix: 'test',
    primaryRegion: PRIMARY,
    secondaryRegion: SECONDARY,
    recoveryTimeObjective: Duration.minutes(15),
    alarmTopic: topic,
    ...props,
  });
}

const planProps = (t: Template) => (Object.values(t.findResources('AWS::ARCRegionSwitch::Plan'))[0] as any).Properties;
const executionStatements = (t: Template): any[] => Object.values(t.findResources('AWS::IAM::ManagedPolicy', {
  Properties: { Description: Match.stringLikeRegexp('^Runs the steps') },
})).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
/** A resolved ARN of the form Fn::Join ["", ["arn:", Ref AWS::Partition, "..."]], as a plain string in partition aws. */
const flat = (value: any): string => JSON.stringify(value).replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},"([^"]*)"\]\]\}/g, '"arn:aws$1"');

describe('defaults', () => {
  const { stack, plan, t } = build();
  const p = planProps(t);

  test('an active/passive plan of the two regions, named from the suffix, held to the RTO', () => {
    expect(p).toMatchObject({
      Name: 'dr-switch-test',
      RecoveryApproach: 'activePassive',
      Regions: [PRIMARY, SECONDARY],
      PrimaryRegion: PRIMARY,
      RecoveryTimeObjectiveMinutes: 15,
    });
    expect(plan.planName).toBe('dr-switch-test');
    expect(plan.recoveryTimeObjectiveMinutes).toBe(15);
  });

  test('two workflows: activate the secondary (failover), then activate the primary (failback)', () => {
    expect(p.Workflows.map((w: any) => [w.WorkflowTargetAction, w.WorkflowTargetRegion, w.WorkflowDescription])).toEqual([
      ['activate', SECONDARY, `Failover: activate ${SECONDARY}`],
      ['activate', PRIMARY, `Failback: activate ${PRIMARY}`],
    ]);
    expect(plan.workflows).toEqual([
      { targetRegion: SECONDARY, steps: ['fence-writes', 'announce-writer'] },
      { targetRegion: PRIMARY, steps: ['fence-writes', 'announce-writer'] },
    ]);
  });

  test('the execution role is assumed by ARC Region switch only', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'dr-switch-execution-test',
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'arc-region-switch.amazonaws.com' } }] },
    });
    expect(p.ExecutionRole).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(plan.executionRole.node.defaultChild as iam.CfnRole), 'Arn'] });
  });

  test('the execution role may invoke the two fences, evaluate itself and write reports, nothing else', () => {
    const statements = executionStatements(t);
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual([
      ['InvokeStepFunctions', ['lambda:GetFunction', 'lambda:InvokeFunction']],
      ['EvaluateOwnPermissions', 'iam:SimulatePrincipalPolicy'],
      ['WriteReports', 's3:PutObject'],
      [undefined, ['kms:GenerateDataKey', 'kms:Decrypt']],
    ]);
    expect(JSON.parse(flat(statements[0].Resource))).toEqual([fenceArn(PRIMARY), fenceArn(SECONDARY)]);
    expect(statements[1].Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(plan.executionRole.node.defaultChild as iam.CfnRole), 'Arn'] });
    expect(JSON.stringify(statements[2].Resource)).toContain('/region-switch-reports/*');
    expect(statements[3].Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(plan.reportKey!.node.defaultChild as kms.CfnKey), 'Arn'] });
    for (const s of statements) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
    }
  });

  test('the plan is created after its role\'s permissions: evaluation starts on create', () => {
    const [id] = Object.keys(t.findResources('AWS::ARCRegionSwitch::Plan'));
    const policyId = Object.keys(t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Runs the steps') } }))[0];
    expect(t.toJSON().Resources[id].DependsOn).toContain(policyId);
  });

  test('reports go to an encrypted, versioned, private bucket that is kept', () => {
    expect(p.ReportConfiguration).toEqual({
      ReportOutput: [{
        S3Configuration: {
          BucketOwner: { Ref: 'AWS::AccountId' },
          BucketPath: { 'Fn::Join': ['', [{ Ref: stack.getLogicalId(plan.reportBucket.node.defaultChild as s3.CfnBucket) }, '/region-switch-reports']] },
        },
      }],
    });
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketName: `dr-switch-reports-${ACCOUNT}-${SECONDARY}-test`,
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { LogFilePrefix: 'access-logs/' },
      },
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-switch-reports-test' });
  });

  test('every evaluation and execution event of ARC Region switch reaches the alarm topic', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'dr-switch-events-test',
      EventPattern: { 'source': ['aws.arc-region-switch'], 'detail-type': ['ARC Region Switch Plan Execution', 'ARC Region Switch Plan Evaluation'] },
      Targets: [Match.objectLike({ Arn: `arn:aws:sns:${SECONDARY}:${ACCOUNT}:dr-alarms-test` })],
    });
  });

  test('the stack\'s region gets its writer-region parameter, naming the primary, and the function that may write it there only', () => {
    expect(plan.fence).toBeDefined();
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/test/region/writer', Type: 'String', Value: PRIMARY });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-fence-writes-test',
      ReservedConcurrentExecutions: 1,
      Environment: { Variables: Match.objectLike({ WRITER_REGION_PARAMETER: '/test/region/writer', PLAN_REGIONS: `${PRIMARY},${SECONDARY}` }) },
    });
    const fenceStatements = Object.values(t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Sets the writer-region') } }))
      .flatMap((x: any) => x.Properties.PolicyDocument.Statement);
    const ssm = fenceStatements.find((s: any) => JSON.stringify(s.Action).includes('ssm:'));
    expect(ssm.Action).toEqual(['ssm:GetParameter', 'ssm:PutParameter']);
    expect(JSON.parse(flat(ssm.Resource))).toEqual(`arn:aws:ssm:${SECONDARY}:${ACCOUNT}:parameter/test/region/writer`);
  });

  test('no warning in the secondary region', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('RegionSwitchPlan'))).toHaveLength(0);
  });

  test('cdk-nag: zero unacknowledged findings in the four packs', () => {
    expect(nagFindings(stack.node.root)).toEqual([]);
  });
});

describe('every part, under strict schema validation', () => {
  complianceTest('synthesizes with aws-cdk-lib\'s CloudFormation schema validation as errors', () => {
    const { stack } = build(fullProps, { validate: true });
    expect(() => synth(stack)).not.toThrow();
  });

  test('cdk-nag: zero unacknowledged findings with approval, database, DNS and custom steps', () => {
    const { stack } = build(fullProps);
    expect(nagFindings(stack.node.root)).toEqual([]);
  });

  test('steps in order: approval, fence, database, DNS, then custom steps', () => {
    const { plan } = build(fullProps);
    const steps = ['approve', 'fence-writes', 'aurora-global-database', 'announce-writer', 'route53-health-checks', 'warm-caches'];
    expect(plan.workflows).toEqual([{ targetRegion: SECONDARY, steps }, { targetRegion: PRIMARY, steps }]);
  });

  test('the execution role gets the Aurora, Route 53 and custom-step permissions, on these resources only', () => {
    const { t } = build(fullProps);
    const bySid = Object.fromEntries(executionStatements(t).filter((s) => s.Sid).map((s) => [s.Sid, s]));
    const clusters = [PRIMARY, SECONDARY].map((r) => `arn:aws:rds:${r}:${ACCOUNT}:cluster:dr-aurora-test`);
    const global = `arn:aws:rds::${ACCOUNT}:global-cluster:dr-aurora-global-test`;
    expect(JSON.parse(flat(bySid.DescribeGlobalDatabase.Resource))).toEqual(global);
    expect(JSON.parse(flat(bySid.DescribeClusters.Resource))).toEqual(clusters);
    expect(bySid.SwitchGlobalDatabase.Action).toEqual(['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster']);
    expect(JSON.parse(flat(bySid.SwitchGlobalDatabase.Resource))).toEqual([global, ...clusters]);
    expect(bySid.ReadRecords.Action).toBe('route53:ListResourceRecordSets');
    expect(JSON.parse(flat(bySid.ReadRecords.Resource))).toBe('arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ');
    expect(JSON.parse(flat(bySid.InvokeStepFunctions.Resource))).toEqual([
      fenceArn(PRIMARY), fenceArn(SECONDARY),
      `arn:aws:lambda:${PRIMARY}:${ACCOUNT}:function:app-warmprimary`, `arn:aws:lambda:${SECONDARY}:${ACCOUNT}:function:app-warmsecondary`,
    ]);
  });

  test('the approval role is created when none is given: assumable in the account, allowed to approve this plan only', () => {
    const { t, stack, plan } = build(fullProps);
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'dr-switch-approver-test',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: Match.anyValue() } })] },
    });
    const planId = stack.getLogicalId(plan.plan);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('^Approves runs'),
      PolicyDocument: { Statement: [{ Action: 'arc-region-switch:ApprovePlanExecutionStep', Effect: 'Allow', Resource: { 'Fn::GetAtt': [planId, 'Arn'] } }] },
    });
  });

  test('the Route 53 health checks are exposed from the plan', () => {
    const { plan, stack } = build(fullProps);
    expect(stack.resolve(plan.planHealthCheckIds)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(plan.plan), 'PlanHealthChecks'] });
    expect(build().plan.planHealthCheckIds).toBeUndefined();
  });
});

/**
 * Runs a workflow of the template the way ARC documents its blocks, in a
 * graceful or an ungraceful run, and says what each step does:
 * - a custom-action Lambda block with ungraceful behaviour `skip` is skipped in an ungraceful run; otherwise
 *   ARC runs the function of RegionToRun's region with its payload;
 * - the Aurora block calls SwitchoverGlobalCluster for `switchoverOnly` and FailoverGlobalCluster for
 *   `failover`; in an ungraceful run, `Ungraceful.Ungraceful: failover` makes it a failover.
 */
function run(workflow: any, mode: 'graceful' | 'ungraceful'): string[] {
  const target = workflow.WorkflowTargetRegion;
  const leaving = target === PRIMARY ? SECONDARY : PRIMARY;
  const actions: string[] = [];
  for (const step of workflow.Steps) {
    const config = step.ExecutionBlockConfiguration;
    switch (step.ExecutionBlockType) {
      case 'ManualApproval':
        actions.push('wait for approval');
        break;
      case 'CustomActionLambda': {
        const c = config.CustomActionLambdaConfig;
        if (mode === 'ungraceful' && c.Ungraceful?.Behavior === 'skip') break;
        const region = c.RegionToRun === 'activatingRegion' ? target : leaving;
        const fn = c.Lambdas.find((l: any) => flat(l.Arn).includes(`:lambda:${region}:`));
        const payload = fn.Payload ? ` ${fn.Payload}` : '';
        actions.push(`invoke ${JSON.parse(flat(fn.Arn)).split(':').slice(3, 4)}:${JSON.parse(flat(fn.Arn)).split(':').pop()}${payload}`);
        break;
      }
      case 'AuroraGlobalDatabase': {
        const c = config.GlobalAuroraConfig;
        const failover = c.Behavior === 'failover' || (mode === 'ungraceful' && c.Ungraceful?.Ungraceful === 'failover');
        actions.push(`${failover ? 'FailoverGlobalCluster (data loss allowed)' : 'SwitchoverGlobalCluster'} ${c.GlobalClusterIdentifier} to ${target}`);
        break;
      }
      case 'Route53HealthCheck':
        actions.push(`health checks of ${config.Route53HealthCheckConfig.RecordName} to ${target}`);
        break;
      default:
        throw new Error(`unexpected block ${step.ExecutionBlockType}`);
    }
  }
  return actions;
}

describe('sweep: both directions x graceful/ungraceful, as ARC runs the workflows', () => {
  const { t } = build(fullProps);
  const workflows = planProps(t).Workflows;
  const cases = [
    { direction: 'failover', target: SECONDARY, leaving: PRIMARY },
    { direction: 'failback', target: PRIMARY, leaving: SECONDARY },
  ].flatMap((d) => (['graceful', 'ungraceful'] as const).map((mode) => ({ ...d, mode })));

  test.each(cases)('$direction, $mode', ({ target, leaving, mode }) => {
    const workflow = workflows.find((w: any) => w.WorkflowTargetRegion === target);
    const fence = `invoke ${leaving}:dr-fence-writes-test {"writerRegion":"${target}"}`;
    const announce = `invoke ${target}:dr-fence-writes-test {"writerRegion":"${target}"}`;
    const aurora = mode === 'graceful'
      ? `SwitchoverGlobalCluster dr-aurora-global-test to ${target}`
      : `FailoverGlobalCluster (data loss allowed) dr-aurora-global-test to ${target}`;
    const custom = `invoke ${target}:app-warm${target === PRIMARY ? 'primary' : 'secondary'}`;
    expect(run(workflow, mode)).toEqual([
      'wait for approval',
      ...(mode === 'graceful' ? [fence] : []),
      aurora,
      announce,
      `health checks of api.example.com to ${target}`,
      custom,
    ]);
  });

  test('a custom step may be skipped in ungraceful runs, and run in the region being left', () => {
    const { t: t2 } = build((stack) => ({
      customSteps: [{
        name: 'drain',
        primaryFunction: customFn(stack, 'DrainP', PRIMARY),
        secondaryFunction: customFn(stack, 'DrainS', SECONDARY),
        regionToRun: RegionSwitchRegionToRun.DEACTIVATING_REGION,
        skipWhenUngraceful: true,
      }],
    }));
    const [failover] = planProps(t2).Workflows;
    const announce = `invoke ${SECONDARY}:dr-fence-writes-test {"writerRegion":"${SECONDARY}"}`;
    expect(run(failover, 'graceful')).toEqual([
      `invoke ${PRIMARY}:dr-fence-writes-test {"writerRegion":"${SECONDARY}"}`,
      announce,
      `invoke ${PRIMARY}:app-drainp`,
    ]);
    expect(run(failover, 'ungraceful')).toEqual([announce]);
  });
});

/**
 * The schema notes of DR-FACTS-REGION-SWITCH.md (sections 2 and 3) and the
 * ARC API reference (Step, CustomActionLambdaConfiguration): for each block,
 * the fields it may have, those it must have, and the allowed values.
 */
const BLOCKS: Record<string, { config: string; fields: string[]; required: string[]; values: Record<string, string[]> }> = {
  ManualApproval: {
    config: 'ExecutionApprovalConfig',
    fields: ['ApprovalRole', 'TimeoutMinutes'],
    required: ['ApprovalRole'],
    values: {},
  },
  CustomActionLambda: {
    config: 'CustomActionLambdaConfig',
    fields: ['Lambdas', 'RegionToRun', 'RetryIntervalMinutes', 'TimeoutMinutes', 'Ungraceful'],
    required: ['Lambdas', 'RegionToRun', 'RetryIntervalMinutes'],
    values: { RegionToRun: ['activatingRegion', 'deactivatingRegion'] },
  },
  AuroraGlobalDatabase: {
    config: 'GlobalAuroraConfig',
    fields: ['Behavior', 'GlobalClusterIdentifier', 'DatabaseClusterArns', 'TimeoutMinutes', 'Ungraceful', 'CrossAccountRole', 'ExternalId'],
    required: ['Behavior', 'GlobalClusterIdentifier', 'DatabaseClusterArns'],
    values: { Behavior: ['switchoverOnly', 'failover'] },
  },
  Route53HealthCheck: {
    config: 'Route53HealthCheckConfig',
    fields: ['HostedZoneId', 'RecordName', 'RecordSets', 'TimeoutMinutes', 'CrossAccountRole', 'ExternalId'],
    required: ['HostedZoneId', 'RecordName'],
    values: {},
  },
};

describe('every block against the schema notes', () => {
  const { t } = build(fullProps);
  const p = planProps(t);
  const steps = p.Workflows.flatMap((w: any) => w.Steps.map((s: any) => [w.WorkflowTargetRegion, s]));

  test('the plan: required fields, lowercase enum values, name and RTO within ARC\'s limits', () => {
    for (const field of ['ExecutionRole', 'Name', 'RecoveryApproach', 'Regions', 'Workflows']) expect(p).toHaveProperty(field);
    expect(['activePassive', 'activeActive']).toContain(p.RecoveryApproach);
    expect(p.Regions).toHaveLength(2);
    expect(p.Name).toMatch(/^[A-Za-z0-9-]{1,32}$/);
    expect(p.RecoveryTimeObjectiveMinutes).toBeGreaterThanOrEqual(1);
    expect(p.RecoveryTimeObjectiveMinutes).toBeLessThanOrEqual(10080);
    for (const w of p.Workflows) {
      expect(Object.keys(w).sort()).toEqual(['Steps', 'WorkflowDescription', 'WorkflowTargetAction', 'WorkflowTargetRegion']);
      expect(['activate', 'deactivate', 'postRecovery']).toContain(w.WorkflowTargetAction);
      expect(p.Regions).toContain(w.WorkflowTargetRegion);
    }
  });

  test('each step: a known block type with exactly its one configuration', () => {
    expect(steps.length).toBe(12);
    for (const [, step] of steps) {
      expect(Object.keys(step).sort()).toEqual(['Description', 'ExecutionBlockConfiguration', 'ExecutionBlockType', 'Name']);
      const block = BLOCKS[step.ExecutionBlockType];
      expect(block).toBeDefined();
      expect(Object.keys(step.ExecutionBlockConfiguration)).toEqual([block.config]);
    }
  });

  test.each(Object.keys(BLOCKS))('%s: only its fields, the required ones, allowed values', (type) => {
    const block = BLOCKS[type];
    const configs = steps.filter(([, s]: any) => s.ExecutionBlockType === type).map(([, s]: any) => s.ExecutionBlockConfiguration[block.config]);
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) {
      for (const field of Object.keys(config)) expect(block.fields).toContain(field);
      for (const field of block.required) expect(config).toHaveProperty(field);
      for (const [field, allowed] of Object.entries(block.values)) expect(allowed).toContain(config[field]);
    }
  });

  test('custom-action Lambda blocks: 1 to 2 functions, one per region, payloads JSON, ungraceful behaviour only "skip"', () => {
    const lambdaConfigs = steps.filter(([, s]: any) => s.ExecutionBlockType === 'CustomActionLambda').map(([, s]: any) => s.ExecutionBlockConfiguration.CustomActionLambdaConfig);
    for (const c of lambdaConfigs) {
      expect(c.Lambdas.length).toBe(2);
      expect(c.Lambdas.map((l: any) => flat(l.Arn).match(/:lambda:([a-z0-9-]+):/)![1])).toEqual([PRIMARY, SECONDARY]);
      for (const l of c.Lambdas) {
        for (const field of Object.keys(l)) expect(['Arn', 'CrossAccountRole', 'ExternalId', 'Payload']).toContain(field);
        if (l.Payload !== undefined) expect(() => JSON.parse(l.Payload)).not.toThrow();
      }
      if (c.Ungraceful) expect(c.Ungraceful).toEqual({ Behavior: 'skip' });
      expect(Number.isInteger(c.RetryIntervalMinutes)).toBe(true);
    }
  });

  test('the Aurora block: one cluster per region, ungraceful only "failover"', () => {
    const c = steps.find(([, s]: any) => s.ExecutionBlockType === 'AuroraGlobalDatabase')[1].ExecutionBlockConfiguration.GlobalAuroraConfig;
    expect(c.DatabaseClusterArns.map((a: any) => flat(a).match(/:rds:([a-z0-9-]+):/)![1])).toEqual([PRIMARY, SECONDARY]);
    expect(c.Ungraceful).toEqual({ Ungraceful: 'failover' });
  });

  test('the Route 53 block: one record set per region, literal zone and name', () => {
    const c = steps.find(([, s]: any) => s.ExecutionBlockType === 'Route53HealthCheck')[1].ExecutionBlockConfiguration.Route53HealthCheckConfig;
    expect(c).toEqual({
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      RecordName: 'api.example.com',
      RecordSets: [{ RecordSetIdentifier: 'api-us-east-1', Region: PRIMARY }, { RecordSetIdentifier: 'api-us-west-2', Region: SECONDARY }],
    });
  });
});

describe('placement', () => {
  test('in the primary region: a warning that reports and events are lost with that region', () => {
    const { stack } = build({}, { region: PRIMARY });
    const warnings = Annotations.fromStack(stack).findWarning(`/${PLAN_PATH}`, Match.stringLikeRegexp('is in a stack of its primary region us-east-1'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toContain(WARNING_IDS.regionSwitchPlanInPrimaryRegion);
  });

  test('in a third region: no fence of its own; the plan still names both regions\' fences', () => {
    const { plan, t } = build({}, { region: 'us-east-2' });
    expect(plan.fence).toBeUndefined();
    t.resourceCountIs('AWS::SSM::Parameter', 0);
    t.resourceCountIs('AWS::Lambda::Function', 0);
    expect(JSON.parse(flat(executionStatements(t)[0].Resource))).toEqual([fenceArn(PRIMARY), fenceArn(SECONDARY)]);
  });

  test('in a third region, grantReadWriterRegion says to use the fence of the function\'s region', () => {
    const { plan, stack } = build({}, { region: 'us-east-2' });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => plan.grantReadWriterRegion(role)).toThrow(
      `grantReadWriterRegion needs the fence of the stack's region, and this plan's stack (us-east-2) is in neither ${PRIMARY} nor ${SECONDARY}: use the RegionSwitchFence of the function's region (in ${PLAN_PATH})`);
  });

  test('grantReadWriterRegion lets a function read the parameter of its region', () => {
    const stack = testStack({ env: { account: ACCOUNT, region: SECONDARY } });
    const plan = makePlan(stack);
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    plan.grantReadWriterRegion(role);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).find((x: any) => JSON.stringify(x).includes('Reader')) as any;
    expect(JSON.stringify(policy.Properties.PolicyDocument.Statement)).toContain('ssm:GetParameter');
  });

  test('a RegionSwitchFence in the other region has the same names, so the plan finds it', () => {
    const app = testApp();
    const stack = new Stack(app, 'Other', { env: { account: ACCOUNT, region: PRIMARY } });
    new RegionSwitchFence(stack, 'Fence', { environmentSuffix: 'test', primaryRegion: PRIMARY, secondaryRegion: SECONDARY });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'dr-fence-writes-test' });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/test/region/writer', Value: PRIMARY });
    expect(nagFindings(app)).toEqual([]);
  });
});

describe('bring your own', () => {
  test('an approval role: used as given, none created', () => {
    const { t } = build((s) => ({ approval: { approvalRole: iam.Role.fromRoleArn(s, 'Approver', `arn:aws:iam::${ACCOUNT}:role/ops-approver`), timeout: Duration.minutes(30) } }));
    expect(planProps(t).Workflows[0].Steps[0].ExecutionBlockConfiguration).toEqual({
      ExecutionApprovalConfig: { ApprovalRole: `arn:aws:iam::${ACCOUNT}:role/ops-approver`, TimeoutMinutes: 30 },
    });
    expect(Object.values(t.findResources('AWS::IAM::Role')).map((r: any) => r.Properties.RoleName)).not.toContain('dr-switch-approver-test');
  });

  test('a report bucket with a key: the plan writes there and the role may use the key', () => {
    let key: kms.Key | undefined;
    let bucket: s3.Bucket | undefined;
    const { t, stack } = build((s) => {
      key = new kms.Key(s, 'Key', { enableKeyRotation: true });
      bucket = new s3.Bucket(s, 'Reports', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
      return { reportBucket: bucket };
    });
    t.resourceCountIs('AWS::S3::Bucket', 1);
    expect(planProps(t).ReportConfiguration.ReportOutput[0].S3Configuration.BucketPath)
      .toEqual({ 'Fn::Join': ['', [{ Ref: stack.getLogicalId(bucket!.node.defaultChild as s3.CfnBucket) }, '/region-switch-reports']] });
    const keyStatement = executionStatements(t).find((s) => JSON.stringify(s.Action).includes('kms:'));
    expect(keyStatement.Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key!.node.defaultChild as kms.CfnKey), 'Arn'] });
  });

  test('an imported report bucket: the role writes its report prefix, cdk-nag has nothing to say', () => {
    const { t, stack } = build((s) => ({ reportBucket: s3.Bucket.fromBucketName(s, 'Reports', 'ops-evidence') }));
    t.resourceCountIs('AWS::S3::Bucket', 0);
    const write = executionStatements(t).find((x) => x.Sid === 'WriteReports');
    expect(JSON.parse(flat(write.Resource))).toBe('arn:aws:s3:::ops-evidence/region-switch-reports/*');
    expect(planProps(t).ReportConfiguration.ReportOutput[0].S3Configuration.BucketPath).toBe('ops-evidence/region-switch-reports');
    expect(nagFindings(stack.node.root)).toEqual([]);
  });

  test('a database from ARNs', () => {
    const { t } = build({
      database: RegionSwitchDatabase.fromArns({
        globalClusterIdentifier: 'orders-global',
        primaryClusterArn: `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:orders-east`,
        secondaryClusterArn: `arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:orders-west`,
      }),
    });
    const step = planProps(t).Workflows[0].Steps.find((s: any) => s.ExecutionBlockType === 'AuroraGlobalDatabase');
    expect(step.ExecutionBlockConfiguration.GlobalAuroraConfig).toEqual({
      Behavior: 'switchoverOnly',
      GlobalClusterIdentifier: 'orders-global',
      DatabaseClusterArns: [`arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:orders-east`, `arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:orders-west`],
      Ungraceful: { Ungraceful: 'failover' },
    });
  });
});

describe('the library\'s global database', () => {
  const auroraStep = (t: Template) => planProps(t).Workflows[0].Steps.find((x: any) => x.ExecutionBlockType === 'AuroraGlobalDatabase').ExecutionBlockConfiguration.GlobalAuroraConfig;
  const named = (step: any) => ({
    GlobalClusterIdentifier: step.GlobalClusterIdentifier,
    DatabaseClusterArns: step.DatabaseClusterArns.map((a: any) => JSON.parse(flat(a))),
  });
  const expected = {
    GlobalClusterIdentifier: 'dr-aurora-global-dev',
    DatabaseClusterArns: [`arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:dr-aurora-dev`, `arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:dr-aurora-dev`],
  };

  test('from the EncryptedAurora primary, in another region\'s stack: named, not referenced', () => {
    const { t } = build((stack) => {
      const primaryStack = new Stack(stack.node.root as App, 'Primary', { env: { account: ACCOUNT, region: PRIMARY } });
      const aurora = new EncryptedAurora(primaryStack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(primaryStack), globalSecondaryRegions: [SECONDARY] });
      return { database: RegionSwitchDatabase.fromEncryptedAurora(aurora) };
    });
    expect(named(auroraStep(t))).toEqual(expected);
  });

  test('from the AuroraGlobalSecondary in the plan\'s own stack', () => {
    const { t } = build((stack) => {
      const secondary = new AuroraGlobalSecondary(stack, 'Replica', {
        environmentSuffix: 'dev', vpc: isolatedVpc(stack), globalClusterIdentifier: 'dr-aurora-global-dev',
      });
      return { database: RegionSwitchDatabase.fromAuroraGlobalSecondary(secondary) };
    });
    expect(named(auroraStep(t))).toEqual(expected);
  });

  test('an EncryptedAurora that is not a global database is refused', () => {
    const stack = testStack({ env: { account: ACCOUNT, region: PRIMARY } });
    const aurora = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack) });
    expect(refusal(() => RegionSwitchDatabase.fromEncryptedAurora(aurora))).toBe(
      '`database` must be a global database: this EncryptedAurora has no `globalSecondaryRegions`, so there is nothing to switch to (in TestStack/Db)');
  });
});

describe('removal policy', () => {
  test('DESTROY deletes the reports and schedules the key for deletion, with a warning', () => {
    const { t, stack } = build({ removalPolicy: RemovalPolicy.DESTROY });
    t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: { BucketName: `dr-switch-reports-${ACCOUNT}-${SECONDARY}-test` } });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    t.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: Match.anyValue() });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('removalPolicy is DESTROY'))).toHaveLength(1);
  });

  test('DESTROY: cdk-nag still has nothing to say', () => {
    const { stack } = build({ removalPolicy: RemovalPolicy.DESTROY });
    expect(nagFindings(stack.node.root)).toEqual([]);
  });
});

/** Our refusal's message for a build, or a failure when it is accepted. */
function refusal(build_: () => unknown): string {
  try {
    build_();
  } catch (e) {
    if (e instanceof DrValidationError) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('validation: each bad input is refused with its message', () => {
  const at = ` (in ${PLAN_PATH})`;
  const cases: Array<[string, (stack: Stack) => Partial<RegionSwitchPlanProps>, string]> = [
    ['a suffix that makes the plan name longer than 32', () => ({ environmentSuffix: 'a'.repeat(23) }),
      `\`environmentSuffix\` must be at most 22 characters here, got: "${'a'.repeat(23)}" (23 characters), which makes the Region switch plan name "dr-switch-${'a'.repeat(23)}" 33 characters long (limit 32)`],
    ['an unknown primary region', () => ({ primaryRegion: 'mars-north-1' }), '`primaryRegion` must be an AWS region code such as "us-west-2", got: "mars-north-1"'],
    ['a token secondary region', (s) => ({ secondaryRegion: new CfnParameter(s, 'R').valueAsString }),
      '`secondaryRegion` must be a concrete region code, not a token: the construct derives names and ARNs of that region at synth, got: ${Token[TOKEN.'],
    ['the same region twice', () => ({ secondaryRegion: PRIMARY }), `\`secondaryRegion\` must differ from \`primaryRegion\`: a plan switches between two regions, got: "${PRIMARY}" for both`],
    ['a region of another partition', () => ({ secondaryRegion: 'cn-north-1' }), '`secondaryRegion` must be a region of the stack\'s partition aws, got: "cn-north-1" (partition aws-cn)'],
    ['an RTO of zero', () => ({ recoveryTimeObjective: Duration.minutes(0) }), '`recoveryTimeObjective` must be a whole number of minutes from 1 to 10080, got: 0 minutes'],
    ['an RTO over 7 days', () => ({ recoveryTimeObjective: Duration.minutes(10081) }),
      '`recoveryTimeObjective` must be a whole number of minutes from 1 to 10080 (ARC\'s limit, 7 days), got: 7 days 1 minute (Duration.minutes(10081))'],
    ['an alarm topic of another account', (s) => ({ alarmTopic: sns.Topic.fromTopicArn(s, 'Far', `arn:aws:sns:${SECONDARY}:210987654321:t`) }),
      `\`alarmTopic\` must be a topic of the stack's account ${ACCOUNT}: an EventBridge rule sends to topics of its own account, got: a topic of 210987654321`],
    ['an alarm topic of another region', (s) => ({ alarmTopic: sns.Topic.fromTopicArn(s, 'Far', `arn:aws:sns:${PRIMARY}:${ACCOUNT}:t`) }),
      `\`alarmTopic\` must be a topic of the stack's region ${SECONDARY}: the rule that sends the plan's events to it is in that region, got: a topic of ${PRIMARY}`],
    ['an RTO in fractions of a minute', () => ({ recoveryTimeObjective: Duration.seconds(90) }),
      '`recoveryTimeObjective` must be a whole number of minutes from 1 to 10080, got: 1 minute 30 seconds (Duration.seconds(90))'],
    ['an RTO from a token', (s) => ({ recoveryTimeObjective: Duration.minutes(new CfnParameter(s, 'Rto', { type: 'Number' }).valueAsNumber) }),
      '`recoveryTimeObjective` must be a concrete duration, not a token: the plan is built at synth, got: Duration.minutes(<token>)'],
    ['active/active', () => ({ recoveryApproach: 'activeActive' as RegionSwitchRecoveryApproach }),
      '`recoveryApproach` must be activePassive: only active/passive is supported, got: "activeActive"'],
    ['an approval timeout under a minute', () => ({ approval: { timeout: Duration.seconds(30) } }),
      '`approval.timeout` must be a whole number of minutes from 1 to 10080, got: 30 seconds'],
    ['a lowercase hosted zone id', () => ({ dnsRecords: { hostedZoneId: 'z123', recordName: 'a.example.com', primarySetIdentifier: 'p', secondarySetIdentifier: 's' } }),
      '`dnsRecords.hostedZoneId` must be a hosted zone id (up to 32 uppercase letters and digits, such as "Z0123456789ABCDEFGHIJ"), got: "z123"'],
    ['a record name by reference', (s) => ({ dnsRecords: { hostedZoneId: 'Z123', recordName: new CfnParameter(s, 'Name').valueAsString, primarySetIdentifier: 'p', secondarySetIdentifier: 's' } }),
      '`dnsRecords.recordName` must be a literal, not a reference: the records attach to the plan\'s health checks, so a reference back to them would be a dependency cycle, got: ${Token['],
    ['an empty label in the record name', () => ({ dnsRecords: { hostedZoneId: 'Z123', recordName: 'a..example.com', primarySetIdentifier: 'p', secondarySetIdentifier: 's' } }),
      '`dnsRecords.recordName` must be a domain name of labels of 1 to 63 characters, at most 253 in all, got: "a..example.com"'],
    ['one set identifier for both regions', () => ({ dnsRecords: { hostedZoneId: 'Z123', recordName: 'a.example.com', primarySetIdentifier: 'p', secondarySetIdentifier: 'p' } }),
      '`dnsRecords.secondarySetIdentifier` must differ from `dnsRecords.primarySetIdentifier`: each region has its own record, got: "p" for both'],
    ['a set identifier over 128 characters', () => ({ dnsRecords: { hostedZoneId: 'Z123', recordName: 'a.example.com', primarySetIdentifier: 'p'.repeat(129), secondarySetIdentifier: 's' } }),
      `\`dnsRecords.primarySetIdentifier\` must be 1 to 128 characters (Route 53's SetIdentifier), got: "${'p'.repeat(129)}"`],
    ['a set identifier that does not name its region', () => ({ dnsRecords: { hostedZoneId: 'Z123', recordName: 'a.example.com', primarySetIdentifier: 'primary', secondarySetIdentifier: 'a-us-west-2' } }),
      '`dnsRecords.primarySetIdentifier` must name its region us-east-1 and not us-west-2: ARC maps each record to a region by the region name in its SetIdentifier, got: "primary"'],
    ['a set identifier that names the other region', () => ({ dnsRecords: { hostedZoneId: 'Z123', recordName: 'a.example.com', primarySetIdentifier: 'a-us-east-1', secondarySetIdentifier: 'a-us-west-2-from-us-east-1' } }),
      '`dnsRecords.secondarySetIdentifier` must name its region us-west-2 and not us-east-1: ARC maps each record to a region by the region name in its SetIdentifier, got: "a-us-west-2-from-us-east-1"'],
    ['a DNS timeout in hours that is not whole minutes', () => ({ dnsRecords: { hostedZoneId: 'Z123', recordName: 'a.example.com', primarySetIdentifier: 'a-us-east-1', secondarySetIdentifier: 'a-us-west-2', timeout: Duration.seconds(61) } }),
      '`dnsRecords.timeout` must be a whole number of minutes from 1 to 10080, got: 1 minute 1 second (Duration.seconds(61))'],
    ['a database ARN of the wrong region', () => ({ database: RegionSwitchDatabase.fromArns({ globalClusterIdentifier: 'g', primaryClusterArn: `arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:a`, secondaryClusterArn: `arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:b` }) }),
      `\`database.primaryClusterArn\` must be a cluster of ${PRIMARY}, the plan region it is given for, got: "arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:a" (region ${SECONDARY}; from the ARNs given)`],
    ['a database ARN that is not a cluster', () => ({ database: RegionSwitchDatabase.fromArns({ globalClusterIdentifier: 'g', primaryClusterArn: `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:a`, secondaryClusterArn: `arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:b` }) }),
      `\`database.primaryClusterArn\` must be an Aurora cluster ARN (arn:aws:rds:${PRIMARY}:{account}:cluster:{identifier}), got: "arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:a"`],
    ['a global cluster identifier RDS refuses', () => ({ database: RegionSwitchDatabase.fromIdentifiers('1-global', 'c') }),
      '`database` global cluster identifier must be a concrete identifier of 1 to 63 letters, digits and hyphens, starting with a letter (RDS\'s rule), got: "1-global"'],
    ['a cluster ARN by reference', (s) => ({ database: RegionSwitchDatabase.fromArns({ globalClusterIdentifier: 'g', primaryClusterArn: new CfnParameter(s, 'Arn').valueAsString, secondaryClusterArn: `arn:aws:rds:${SECONDARY}:${ACCOUNT}:cluster:b` }) }),
      `\`database.primaryClusterArn\` must be a concrete Aurora cluster ARN (arn:aws:rds:${PRIMARY}:{account}:cluster:{identifier}), not a reference: the plan spans two regions, got: \${Token[`],
    ['a custom step name with a space', (s) => ({ customSteps: [{ name: 'warm up', primaryFunction: customFn(s, 'A', PRIMARY), secondaryFunction: customFn(s, 'B', SECONDARY) }] }),
      '`customSteps[0].name` must be 1 to 64 letters, digits and hyphens, starting with a letter or digit, got: "warm up"'],
    ['a custom step named like the plan\'s own', (s) => ({ customSteps: [{ name: 'fence-writes', primaryFunction: customFn(s, 'A', PRIMARY), secondaryFunction: customFn(s, 'B', SECONDARY) }] }),
      '`customSteps[0].name` must be unique in the plan and not one of the plan\'s own steps (approve, fence-writes, aurora-global-database, announce-writer, route53-health-checks), got: "fence-writes"'],
    ['two custom steps of one name', (s) => ({
      customSteps: [
        { name: 'warm', primaryFunction: customFn(s, 'A', PRIMARY), secondaryFunction: customFn(s, 'B', SECONDARY) },
        { name: 'warm', primaryFunction: customFn(s, 'C', PRIMARY), secondaryFunction: customFn(s, 'D', SECONDARY) },
      ],
    }), '`customSteps[1].name` must be unique in the plan and not one of the plan\'s own steps (approve, fence-writes, aurora-global-database, announce-writer, route53-health-checks), got: "warm"'],
    ['a custom step function of the wrong region', (s) => ({ customSteps: [{ name: 'warm', primaryFunction: customFn(s, 'A', SECONDARY), secondaryFunction: customFn(s, 'B', SECONDARY) }] }),
      `\`customSteps[0].primaryFunction\` must be a function of ${PRIMARY}: ARC runs one function in each plan region (import one of another stack with lambda.Function.fromFunctionArn), got: a function of ${SECONDARY} (TestStack/A)`],
    ['a retry interval longer than the timeout', (s) => ({ customSteps: [{ name: 'warm', primaryFunction: customFn(s, 'A', PRIMARY), secondaryFunction: customFn(s, 'B', SECONDARY), timeout: Duration.minutes(2), retryInterval: Duration.minutes(5) }] }),
      '`customSteps[0].retryInterval` must not be longer than `customSteps[0].timeout` (2 minutes): the step would time out before its first retry, got: 5 minutes'],
    ['an unknown region to run', (s) => ({ customSteps: [{ name: 'warm', primaryFunction: customFn(s, 'A', PRIMARY), secondaryFunction: customFn(s, 'B', SECONDARY), regionToRun: 'activeRegion' as RegionSwitchRegionToRun }] }),
      '`customSteps[0].regionToRun` must be one of activatingRegion, deactivatingRegion, got: "activeRegion"'],
  ];

  test.each(cases)('%s', (_label, props, message) => {
    const got = refusal(() => build(props));
    if (message.endsWith('${Token[') || message.endsWith('${Token[TOKEN.')) {
      expect(got.startsWith(message)).toBe(true);
      expect(got.endsWith(at)).toBe(true);
    } else {
      expect(got).toBe(message + at);
    }
  });

  test('a stack whose region is known only at deploy', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${SECONDARY}:${ACCOUNT}:t`);
    expect(refusal(() => new RegionSwitchPlan(stack, 'Switch', {
      environmentSuffix: 'test', primaryRegion: PRIMARY, secondaryRegion: SECONDARY, recoveryTimeObjective: Duration.minutes(15), alarmTopic: topic,
    }))).toBe('RegionSwitchPlan must be in a stack with a concrete region (`env.region`): its report bucket, event rule and write fence are in that region, '
      + `and the plan names the fence of each region by ARN, got: a region known only at deploy${at}`);
  });

  test('a RegionSwitchFence outside the plan\'s regions', () => {
    const stack = testStack({ env: { account: ACCOUNT, region: 'eu-west-1' } });
    expect(refusal(() => new RegionSwitchFence(stack, 'Fence', { environmentSuffix: 'test', primaryRegion: PRIMARY, secondaryRegion: SECONDARY })))
      .toBe(`RegionSwitchFence must be in a stack of the plan's primary or secondary region (${PRIMARY} or ${SECONDARY}): the plan runs its function in the region being left and in the region being activated, got: "eu-west-1" (in TestStack/Fence)`);
  });

  test('the longest suffix that fits is accepted', () => {
    expect(() => build({ environmentSuffix: 'a'.repeat(22) })).not.toThrow();
  });
});
