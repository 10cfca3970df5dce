import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionSwitchPlan, RegionSwitchPlanProps } from '../../src';
import { DrValidationError } from '../../src/private/validation';
import { nagFindings, testStack } from '../util';

/** The plan's lookup of its Route 53 health checks: the custom resource, its IAM, and healthCheckId. */

const ACCOUNT = '123456789012';
const DNS = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com', primarySetIdentifier: 'api-us-east-1', secondarySetIdentifier: 'api-us-west-2' };

function build(props: Partial<RegionSwitchPlanProps> = { dnsRecords: DNS }, region = 'us-west-2') {
  const stack = testStack({ env: { account: ACCOUNT, region } });
  const plan = new RegionSwitchPlan(stack, 'Switch', {
    environmentSuffix: 'test',
    primaryRegion: 'us-east-1',
    secondaryRegion: 'us-west-2',
    recoveryTimeObjective: Duration.minutes(15),
    alarmTopic: sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${region}:${ACCOUNT}:dr-alarms-test`),
    ...props,
  });
  return { stack, plan, t: Template.fromStack(stack) };
}

const planArn = (stack: Stack, plan: RegionSwitchPlan) => ({ 'Fn::GetAtt': [stack.getLogicalId(plan.plan), 'Arn'] });

describe('with dnsRecords', () => {
  const { stack, plan, t } = build();

  test('one lookup resource, after the plan, with the plan, zone, record and regions as literals', () => {
    t.resourceCountIs('Custom::DrRegionSwitchHealthChecks', 1);
    t.hasResourceProperties('Custom::DrRegionSwitchHealthChecks', {
      PlanArn: planArn(stack, plan),
      // Any new version of the plan runs the lookup again.
      PlanVersion: { 'Fn::GetAtt': [stack.getLogicalId(plan.plan), 'Version'] },
      HostedZoneId: DNS.hostedZoneId,
      RecordName: DNS.recordName,
      PrimaryRegion: 'us-east-1',
      SecondaryRegion: 'us-west-2',
      WaitMinutes: '25',
    });
  });

  test('healthCheckId(region) is the lookup\'s attribute of that region', () => {
    const lookupId = stack.getLogicalId(plan.healthCheckLookup!.node.defaultChild as any);
    expect(stack.resolve(plan.healthCheckId('us-east-1'))).toEqual({ 'Fn::GetAtt': [lookupId, 'PrimaryHealthCheckId'] });
    expect(stack.resolve(plan.healthCheckId('us-west-2'))).toEqual({ 'Fn::GetAtt': [lookupId, 'SecondaryHealthCheckId'] });
    expect(() => plan.healthCheckId('eu-west-1')).toThrow(DrValidationError);
    expect(() => plan.healthCheckId('eu-west-1')).toThrow('healthCheckId\'s `region` must be us-east-1 or us-west-2, the plan\'s regions, got: "eu-west-1"');
  });

  test('the handler\'s role: exactly arc-region-switch:ListRoute53HealthChecks on the plan ARN, besides writing its own logs', () => {
    const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Reads the Route 53 health checks') } });
    expect(Object.keys(policies)).toHaveLength(1);
    const statements: any[] = (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement;
    const arc = statements.filter((s) => JSON.stringify(s.Action).includes('arc-region-switch'));
    expect(arc).toEqual([{ Effect: 'Allow', Action: 'arc-region-switch:ListRoute53HealthChecks', Resource: planArn(stack, plan) }]);
    const others = statements.filter((s) => !arc.includes(s));
    expect(others.flatMap((s) => [s.Action].flat())).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    // No wildcard resource anywhere in the handler's policy.
    expect(statements.flatMap((s) => [s.Resource].flat())).not.toContain('*');
    // And no other policy of the stack grants any arc-region-switch action but the approval's (none here).
    const all = JSON.stringify(t.findResources('AWS::IAM::Policy')) + JSON.stringify(t.findResources('AWS::IAM::ManagedPolicy'));
    expect(all.match(/arc-region-switch:[A-Za-z0-9]+/g)!.sort()).toEqual(['arc-region-switch:ListRoute53HealthChecks']);
  });

  test('the handler is the pre-bundled one, on the provider framework with a waiter (isComplete) that gives up after 30 minutes', () => {
    t.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^Waits for the Route 53 health checks of dr-switch-test') });
    const machines = Object.values(t.findResources('AWS::StepFunctions::StateMachine')) as any[];
    expect(machines).toHaveLength(1);
    expect(JSON.stringify(machines[0].Properties.DefinitionString)).toMatch(/"MaxAttempts\\":60/);
    expect(machines[0].Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  test('its logs use the fence\'s key in a plan region; no key of its own', () => {
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/dr/test/switch-health-checks', KmsKeyId: Match.anyValue() });
    t.resourcePropertiesCountIs('AWS::KMS::Alias', { AliasName: 'alias/dr-switch-health-checks-test' }, 0);
  });

  test('cdk-nag: zero unacknowledged findings', () => {
    expect(nagFindings(stack.node.root)).toEqual([]);
  });
});

test('in a third region (no fence): a key of its own, and still nothing for cdk-nag', () => {
  const { stack, t } = build({ dnsRecords: DNS }, 'eu-west-1');
  t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-switch-health-checks-test' });
  expect(nagFindings(stack.node.root)).toEqual([]);
});

test('without dnsRecords: no lookup, and healthCheckId says why', () => {
  const { plan, t } = build({});
  t.resourceCountIs('Custom::DrRegionSwitchHealthChecks', 0);
  t.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  expect(plan.healthCheckLookup).toBeUndefined();
  expect(() => plan.healthCheckId('us-east-1')).toThrow('healthCheckId needs `dnsRecords`: the plan creates health checks only with a DNS step');
});
