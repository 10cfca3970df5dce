import { App, CfnWaitConditionHandle, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HandlerRuntime, MultiRegionDrPlatform, MultiRegionDrPlatformProps, RegionSwitch } from '../../src';
import { testApp } from '../util';

const ACCOUNT = '123456789012';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const SECONDARY = { account: ACCOUNT, region: 'us-west-2' };
const code = lambda.Code.fromInline('exports.handler = async () => ({})');

function make(props: Partial<MultiRegionDrPlatformProps> = {}) {
  const app = testApp();
  const platform = new MultiRegionDrPlatform(app, 'Payments', { environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY, ...props });
  platform.addFunction('Processor', { code, handler: 'index.handler', runtime: HandlerRuntime.newestNodejs(app) });
  const assembly = app.synth();
  const template = (stackName: string) => Template.fromJSON(assembly.getStackByName(stackName).template);
  return { platform, primary: template('Payments-prod-primary'), secondary: template('Payments-prod-secondary') };
}

const fnEnv = (t: Template) => Object.values<any>(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-processor-prod' } }))[0]
  .Properties.Environment.Variables;

describe('MultiRegionDrPlatform makes a region switch plan by default', () => {
  const { platform, primary, secondary } = make();

  test('the plan is in the secondary region, between the two regions, with the Aurora global database and the region RTO', () => {
    expect(primary.findResources('AWS::ARCRegionSwitch::Plan')).toEqual({});
    secondary.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      Name: 'dr-switch-prod',
      PrimaryRegion: 'us-east-1',
      Regions: ['us-east-1', 'us-west-2'],
      RecoveryApproach: 'activePassive',
      RecoveryTimeObjectiveMinutes: 15,
    });
    const plan = Object.values<any>(secondary.findResources('AWS::ARCRegionSwitch::Plan'))[0].Properties;
    const blocks = JSON.stringify(plan.Workflows);
    expect(blocks).toContain('dr-aurora-global-prod');
    expect(platform.regionSwitchPlan?.recoveryTimeObjectiveMinutes).toBe(15);
  });

  test('each region has a fence: the primary\'s in the primary stack, the secondary\'s with the plan; both name the primary as writer at first', () => {
    for (const t of [primary, secondary]) {
      t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/prod/region/writer', Value: 'us-east-1' });
      t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'dr-fence-writes-prod' });
    }
    expect(platform.primaryFence).toBeDefined();
  });

  test('addFunction functions read their own region\'s writer region, through the SSM endpoint', () => {
    for (const t of [primary, secondary]) {
      expect(fnEnv(t).WRITER_REGION_PARAMETER).toBe('/prod/region/writer');
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: Match.stringLikeRegexp('\\.ssm$'), VpcEndpointType: 'Interface' });
      const policies = JSON.stringify(t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('dr-processor-prod') } }));
      expect(policies).toContain('ssm:GetParameter');
      // The one parameter of its own region, by reference to the fence's parameter in that stack.
      expect(policies).toMatch(/:ssm:us-(east-1|west-2):123456789012:parameter",\{"Ref":"RegionSwitch\w*WriterRegion\w+"\}/);
    }
  });

  test('plan evaluation and execution events reach the secondary\'s alarm topic', () => {
    secondary.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.arc-region-switch'], 'detail-type': Match.arrayWith(['ARC Region Switch Plan Execution']) },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^AlarmTopic') } })],
    });
  });
});

describe('regionRto and regionSwitch', () => {
  test.each([
    [Duration.minutes(5), 5], [Duration.hours(1), 60], [Duration.days(7), 10_080],
  ])('regionRto %s is the plan\'s RTO in minutes', (regionRto, minutes) => {
    const { secondary } = make({ regionRto });
    secondary.hasResourceProperties('AWS::ARCRegionSwitch::Plan', { RecoveryTimeObjectiveMinutes: minutes });
  });

  test.each([
    [Duration.seconds(30), /^`regionRto` must be a whole number of minutes from 1 to 10080/],
    [Duration.days(8), /^`regionRto` must be a whole number of minutes from 1 to 10080 \(ARC Region switch's limit for a plan's RTO, 7 days\)/],
    [Duration.minutes(Lazy.number({ produce: () => 20 })), /^`regionRto` must be a concrete duration, not a token: it is the region switch plan's RTO/],
  ])('regionRto %s is refused, naming regionRto', (regionRto, message) => {
    expect(() => make({ regionRto })).toThrow(message);
  });

  test('RegionSwitch.none(): no plan, no fence, no writer-region variable', () => {
    const { platform, primary, secondary } = make({ regionSwitch: RegionSwitch.none() });
    for (const t of [primary, secondary]) {
      expect(t.findResources('AWS::ARCRegionSwitch::Plan')).toEqual({});
      expect(t.findResources('AWS::SSM::Parameter', { Properties: { Name: '/prod/region/writer' } })).toEqual({});
      expect(fnEnv(t).WRITER_REGION_PARAMETER).toBeUndefined();
    }
    expect(platform.regionSwitchPlan).toBeUndefined();
    expect(platform.primaryFence).toBeUndefined();
  });

  test('RegionSwitch.plan({ approval }) adds the approval step and its role', () => {
    const { secondary } = make({ regionSwitch: RegionSwitch.plan({ approval: {} }) });
    const plan = Object.values<any>(secondary.findResources('AWS::ARCRegionSwitch::Plan'))[0].Properties;
    expect(plan.Workflows.every((w: any) => w.Steps[0].ExecutionBlockType === 'ManualApproval')).toBe(true);
  });

  test.each([[true], [false], [{ approval: {} }]])('a regionSwitch that is not a RegionSwitch (%j from JavaScript) is refused', (value) => {
    expect(() => make({ regionSwitch: value as any })).toThrow(/^`regionSwitch` must be RegionSwitch.plan\(options\) or RegionSwitch.none\(\), got: /);
  });
});

describe('the plan\'s verify step: a write and a read through the new writer', () => {
  const userStep = (app: App) => {
    const fn = (region: string) => {
      const stack = new Stack(app, `Steps${region}`, { env: { account: ACCOUNT, region } });
      new CfnWaitConditionHandle(stack, 'Placeholder'); // a template needs a resource
      return lambda.Function.fromFunctionAttributes(stack, 'Fn', { functionArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:warm-caches`, sameEnvironment: false });
    };
    return { name: 'warm-caches', primaryFunction: fn('us-east-1'), secondaryFunction: fn('us-west-2') };
  };

  test.each([
    ['without steps of the user\'s', false],
    ['before the user\'s own steps', true],
  ])('in both workflows, the step after the Aurora block (%s), running the function of the region being activated', (_name, withUserStep) => {
    const app = testApp();
    const platform = new MultiRegionDrPlatform(app, 'Payments', {
      environmentSuffix: 'prod',
      primary: PRIMARY,
      secondary: SECONDARY,
      regionSwitch: RegionSwitch.plan(withUserStep ? { customSteps: [userStep(app)] } : {}),
    });
    const assembly = app.synth();
    const secondary = Template.fromJSON(assembly.getStackByName('Payments-prod-secondary').template);
    const plan = Object.values<any>(secondary.findResources('AWS::ARCRegionSwitch::Plan'))[0].Properties;
    expect(plan.Workflows).toHaveLength(2);
    for (const workflow of plan.Workflows) {
      const names = workflow.Steps.map((s: any) => s.Name);
      const verify = names.indexOf('verify-writer');
      expect(verify).toBeGreaterThan(names.indexOf('aurora-global-database'));
      expect(names.slice(verify + 1)).toEqual(withUserStep ? ['warm-caches'] : []);
      const config = workflow.Steps[verify].ExecutionBlockConfiguration.CustomActionLambdaConfig;
      expect(config.RegionToRun).toBe('activatingRegion');
      // Not skipped in an ungraceful run: after a failover the proof matters most.
      expect(config.Ungraceful).toBeUndefined();
      const arns = JSON.stringify(config.Lambdas.map((l: any) => l.Arn));
      expect(arns).toContain(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:dr-verify-writer-prod`);
      expect(arns).toContain('VerifyWriter');
    }
    expect(platform.regionSwitchPlan?.workflows.every((w) => w.steps.includes('verify-writer'))).toBe(true);
  });

  test('each region has the function, in its VPC, connected to its own cluster with the platform\'s credentials', () => {
    const { primary, secondary } = make();
    for (const [t, region] of [[primary, 'us-east-1'], [secondary, 'us-west-2']] as const) {
      const fns = Object.values<any>(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-verify-writer-prod' } }));
      expect([region, fns.length]).toEqual([region, 1]);
      const p = fns[0].Properties;
      expect(p.VpcConfig.SubnetIds.length).toBeGreaterThan(0);
      expect(Object.keys(p.Environment.Variables)).toEqual(expect.arrayContaining(['DB_HOST', 'DB_PORT', 'DB_SECRET_ARN']));
      expect(p.ReservedConcurrentExecutions).toBe(2);
    }
  });

  test('the plan may invoke the two verify functions, and nothing else of the kind', () => {
    const { secondary } = make();
    const statements = Object.values<any>(secondary.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().includes('lambda:InvokeFunction'));
    const invoked = JSON.stringify(statements.map((s: any) => s.Resource));
    expect(invoked).toContain(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:dr-verify-writer-prod`);
  });

  test('RegionSwitch.none(): no verify function', () => {
    const { primary, secondary } = make({ regionSwitch: RegionSwitch.none() });
    for (const t of [primary, secondary]) {
      expect(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-verify-writer-prod' } })).toEqual({});
    }
  });

  test('a step of the user\'s named verify-writer is refused: the name is the plan\'s', () => {
    const app = testApp();
    const step = { ...userStep(app), name: 'verify-writer' };
    expect(() => new MultiRegionDrPlatform(app, 'Payments', {
      environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY, regionSwitch: RegionSwitch.plan({ customSteps: [step] }),
    })).toThrow(/^`regionSwitch.customSteps\[0\].name` must not be "verify-writer": the platform's plan has a step of that name/);
  });
});
