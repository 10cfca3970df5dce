import { CfnWaitConditionHandle, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AutomaticFailoverOptions, MultiRegionDrPlatform, RegionSwitch, RegionSwitchTrigger } from '../../src';
import { complianceTest, nagFindings, testApp } from '../util';

/** RegionSwitch.plan({ automaticFailover }): the plan runs a failover by itself on corroborated evidence only. */

const ACCOUNT = '123456789012';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const SECONDARY = { account: ACCOUNT, region: 'us-west-2' };

function make(automaticFailover?: AutomaticFailoverOptions, withRouting = false, validate = false) {
  const app = testApp({ validate });
  let routing;
  if (withRouting) {
    const zoneStack = new Stack(app, 'Zone', { env: PRIMARY });
    new CfnWaitConditionHandle(zoneStack, 'Placeholder');
    routing = {
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(zoneStack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
      recordName: 'payments',
      primaryDomainName: 'a.example.com',
      secondaryDomainName: 'b.example.com',
    };
  }
  const platform = new MultiRegionDrPlatform(app, 'Payments', {
    environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY, routing, regionSwitch: RegionSwitch.plan({ automaticFailover }),
  });
  return { app, platform };
}
const props = (t: Template, type: string) => Object.values<any>(t.findResources(type)).map((r) => r.Properties);
const synth = (platform: MultiRegionDrPlatform) => Template.fromStack(platform.secondaryStack);

test('off by default: no trigger, no watch, a person starts every run', () => {
  const { platform } = make();
  const t = synth(platform);
  const plan = props(t, 'AWS::ARCRegionSwitch::Plan')[0];
  expect(plan.Triggers).toBeUndefined();
  expect(plan.AssociatedAlarms).toBeUndefined();
  expect(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-failover-watch-prod' } })).toEqual({});
});

describe('on: one trigger, one condition, on the composite alarm', () => {
  const { platform } = make({});
  const t = synth(platform);
  const plan = props(t, 'AWS::ARCRegionSwitch::Plan')[0];
  const composite = Object.entries<any>(t.findResources('AWS::CloudWatch::CompositeAlarm'))
    .find(([, r]) => r.Properties.AlarmName === 'dr-failover-corroborated-prod')!;

  test('the trigger activates the secondary when the composite alarm is red, at most once a day', () => {
    expect(plan.Triggers).toEqual([{
      Description: 'Activates us-west-2 when the associated alarm activate-us-west-2 is in ALARM',
      TargetRegion: 'us-west-2',
      Action: 'activate',
      MinDelayMinutesBetweenExecutions: 1440,
      // One condition: how ARC combines several is not documented, so the composite alarm holds the AND.
      Conditions: [{ AssociatedAlarmName: 'activate-us-west-2', Condition: 'red' }],
    }]);
    expect(plan.AssociatedAlarms).toEqual({ 'activate-us-west-2': { AlarmType: 'trigger', ResourceIdentifier: { 'Fn::GetAtt': [composite[0], 'Arn'] } } });
  });

  test('the composite alarm: the primary impaired AND the secondary ready', () => {
    const ids = Object.fromEntries(Object.entries<any>(t.findResources('AWS::CloudWatch::Alarm')).map(([id, r]) => [r.Properties.AlarmName, id]));
    expect(composite[1].Properties.AlarmRule).toEqual({
      'Fn::Join': ['', [
        '(ALARM("', { 'Fn::GetAtt': [ids['dr-primary-impaired-prod'], 'Arn'] }, '") AND OK("', { 'Fn::GetAtt': [ids['dr-secondary-not-ready-prod'], 'Arn'] }, '"))',
      ]],
    });
  });

  test('silence is no evidence of an outage, and no proof of readiness', () => {
    const alarms = Object.fromEntries(props(t, 'AWS::CloudWatch::Alarm').map((a) => [a.AlarmName, a]));
    expect(alarms['dr-primary-impaired-prod']).toMatchObject({
      MetricName: 'PrimaryImpaired',
      Namespace: 'CdkDrPlatform/Recovery',
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 5,
      TreatMissingData: 'notBreaching',
    });
    expect(alarms['dr-secondary-not-ready-prod']).toMatchObject({
      MetricName: 'SecondaryReady', Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
    });
  });

  test('the watch reads only: the two clusters, the global cluster, this region\'s instances', () => {
    const fn = Object.values<any>(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-failover-watch-prod' } }))[0];
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(fn.Properties.Environment.Variables).toMatchObject({ PRIMARY_REGION: 'us-east-1', PRIMARY_CLUSTER_ID: 'dr-aurora-prod', GLOBAL_CLUSTER_ID: 'dr-aurora-global-prod' });
    expect(fn.Properties.Environment.Variables.PRIMARY_HEALTH_ALARM).toBeUndefined();
    const statements = props(t, 'AWS::IAM::ManagedPolicy').flatMap((p) => p.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('rds:') || a.startsWith('cloudwatch:Describe')));
    const byAction = Object.fromEntries(statements.map((s: any) => [[s.Action].flat().join(','), s.Resource]));
    expect(byAction['rds:DescribeDBClusters']).toEqual([
      `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:dr-aurora-prod`, `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:dr-aurora-prod`,
    ]);
    expect(byAction['rds:DescribeGlobalClusters']).toBe(`arn:aws:rds::${ACCOUNT}:global-cluster:dr-aurora-global-prod`);
    expect(byAction['rds:DescribeDBInstances']).toBe(`arn:aws:rds:us-west-2:${ACCOUNT}:db:*`);
    // The plan's execution role reads the composite alarm, and only it.
    expect(byAction['cloudwatch:DescribeAlarms']).toEqual({ 'Fn::GetAtt': [composite[0], 'Arn'] });
    // The dead-letter queue's send is the one the function's own wiring grants, once, on its queue.
    const [watchPolicy] = props(t, 'AWS::IAM::ManagedPolicy').filter((p) => /automatic failover/.test(p.Description));
    const sends = watchPolicy.PolicyDocument.Statement.filter((st: any) => [st.Action].flat().includes('sqs:SendMessage'));
    expect(sends).toEqual([{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/FailoverWatchDeadLetterQueue/), 'Arn'] } }]);
  });

  test('cdk-nag: zero unacknowledged findings', () => {
    expect(nagFindings(platform.secondaryStack)).toEqual([]);
  });

  complianceTest('strict schema validation: any finding fails the synthesis', () => {
    const { app } = make({}, false, true);
    expect(() => app.synth()).not.toThrow();
  });
});

test('with routing, the primary\'s region health alarm is evidence too, read from the secondary', () => {
  const { platform } = make({}, true);
  const t = synth(platform);
  const fn = Object.values<any>(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-failover-watch-prod' } }))[0];
  expect(fn.Properties.Environment.Variables.PRIMARY_HEALTH_ALARM).toBe('dr-region-health-prod');
  const statements = props(t, 'AWS::IAM::ManagedPolicy').flatMap((p) => p.PolicyDocument.Statement);
  expect(statements).toContainEqual(expect.objectContaining({
    Action: 'cloudwatch:DescribeAlarms', Resource: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:dr-region-health-prod`,
  }));
});

describe('sweep: the evidence window and the delay between runs', () => {
  test.each([[1], [5], [60]])('impairedFor %i minutes is the impaired alarm\'s evaluation periods', (minutes) => {
    const { platform } = make({ impairedFor: Duration.minutes(minutes) });
    const alarms = props(synth(platform), 'AWS::CloudWatch::Alarm').filter((a) => a.AlarmName === 'dr-primary-impaired-prod');
    expect(alarms[0].EvaluationPeriods).toBe(minutes);
  });

  test.each([
    [Duration.minutes(0), '0 minutes'], [Duration.minutes(61), '1 hour 1 minute'], [Duration.seconds(90), '1 minute 30 seconds'],
  ])('impairedFor %s is refused, naming the prop', (value, given) => {
    expect(() => make({ impairedFor: value })).toThrow(new RegExp(`^\`regionSwitch.automaticFailover.impairedFor\` must be a whole number of minutes from 1 to 60, got: ${given}`));
  });

  test.each([[Duration.minutes(30), 30], [Duration.days(7), 10080]])('minDelayBetweenRuns %s', (value, minutes) => {
    const { platform } = make({ minDelayBetweenRuns: value });
    expect(props(synth(platform), 'AWS::ARCRegionSwitch::Plan')[0].Triggers[0].MinDelayMinutesBetweenExecutions).toBe(minutes);
  });

  test.each([[Duration.seconds(30)], [Duration.seconds(90)]])('minDelayBetweenRuns %s is refused', (value) => {
    expect(() => make({ minDelayBetweenRuns: value })).toThrow(/^`minDelayBetweenRuns` must be a whole number of minutes from 1 to 525600/);
  });

  // The accepted bounds of both, together, and with routing, under strict schema validation.
  complianceTest.each([
    [Duration.minutes(1), Duration.minutes(1)],
    [Duration.minutes(60), Duration.minutes(525_600)],
  ])('impairedFor %s with minDelayBetweenRuns %s: strict schema validation', (impairedFor, minDelayBetweenRuns) => {
    const { app } = make({ impairedFor, minDelayBetweenRuns }, false, true);
    expect(() => app.synth()).not.toThrow();
  });

  complianceTest('with routing: strict schema validation', () => {
    const { app } = make({}, true, true);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('RegionSwitchTrigger alone', () => {
  const { platform } = make();
  const stack = platform.secondaryStack;
  const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Some', `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:some`);

  test('a target region the plan does not have is refused', () => {
    expect(() => new RegionSwitchTrigger(stack, 'Elsewhere', { plan: platform.regionSwitchPlan!, alarm, targetRegion: 'eu-west-1' }))
      .toThrow(/^`targetRegion` must be one of the plan's regions \(us-east-1, us-west-2\), got: "eu-west-1"/);
  });

  test('one trigger per region: a second one activating the same region is refused', () => {
    new RegionSwitchTrigger(stack, 'First', { plan: platform.regionSwitchPlan!, alarm, targetRegion: 'us-east-1' });
    expect(() => new RegionSwitchTrigger(stack, 'Second', { plan: platform.regionSwitchPlan!, alarm, targetRegion: 'us-east-1' }))
      .toThrow(/the plan already has a trigger that activates us-east-1/);
  });
});
