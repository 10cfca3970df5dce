import { App, Duration, Lazy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HandlerRuntime, MultiRegionDrPlatform, MultiRegionDrPlatformProps, RegionSwitch } from '../../src';

const ACCOUNT = '123456789012';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const SECONDARY = { account: ACCOUNT, region: 'us-west-2' };
const code = lambda.Code.fromInline('exports.handler = async () => ({})');

function make(props: Partial<MultiRegionDrPlatformProps> = {}) {
  const app = new App();
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
