import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { MultiRegionDrPlatform, MultiRegionDrPlatformProps, RegionSwitch } from '../../src';
import { complianceTest, nagFindings, testApp } from '../util';

const ACCOUNT = '123456789012';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const SECONDARY = { account: ACCOUNT, region: 'us-west-2' };

function make(props: Partial<MultiRegionDrPlatformProps> = {}, validate = false) {
  const app = testApp({ validate });
  const platform = new MultiRegionDrPlatform(app, 'Payments', { environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY, ...props });
  return { app, platform };
}

test('no rehearsal by default: it moves production traffic', () => {
  const { app, platform } = make();
  const assembly = app.synth();
  expect(platform.regionSwitchRehearsal).toBeUndefined();
  for (const stack of assembly.stacks) {
    expect(Object.keys(Template.fromJSON(stack.template).findResources('AWS::StepFunctions::StateMachine'))).toEqual([]);
  }
});

describe('RegionSwitch.plan({ rehearsal })', () => {
  const withRehearsal = () => ({
    regionSwitch: RegionSwitch.plan({
      rehearsal: { schedule: scheduler.ScheduleExpression.rate(Duration.days(30)), scheduleInterval: Duration.days(30) },
    }),
  });
  const { app, platform } = make(withRehearsal());
  const assembly = app.synth();
  const secondary = Template.fromJSON(assembly.getStackByName('Payments-prod-secondary').template);

  test('the rehearsal is in the plan\'s stack, on the platform\'s global table, its key alias and the plan\'s RTO', () => {
    expect(platform.regionSwitchRehearsal?.node.scope).toBe(platform.secondaryStack);
    secondary.hasResourceProperties('AWS::Scheduler::Schedule', { Name: 'dr-switch-rehearsal-prod', ScheduleExpression: 'rate(30 days)' });
    secondary.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-switch-rehearsal-prod',
      Environment: { Variables: Match.objectLike({ MARKER_TABLE: 'dr-table-prod', MARKER_PARTITION_KEY: 'pk', RTO_MINUTES: '15', PRIMARY_REGION: 'us-east-1' }) },
    });
    expect(JSON.stringify(secondary.findResources('AWS::IAM::ManagedPolicy'))).toContain('"kms:ResourceAliases":["alias/dr-table-prod"]');
    for (const name of ['dr-rehearsal-failed-prod', 'dr-rehearsal-overdue-prod', 'dr-rehearsal-rto-prod']) {
      secondary.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: name, AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }] });
    }
  });

  test('the markers also go through each region\'s writer, by the plan\'s verify-writer functions, which it may invoke and nothing more', () => {
    const primaryFn = 'arn:aws:lambda:us-east-1:123456789012:function:dr-verify-writer-prod';
    const [id] = Object.keys(secondary.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-verify-writer-prod' } }));
    expect(id).toBeDefined();
    secondary.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-switch-rehearsal-prod',
      Environment: { Variables: Match.objectLike({ MARKER_FUNCTION_PRIMARY: primaryFn, MARKER_FUNCTION_SECONDARY: { 'Fn::GetAtt': [id, 'Arn'] } }) },
    });
    const policy = Object.values<any>(secondary.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.stringLikeRegexp('^Runs the Region switch rehearsals') },
    }))[0];
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual({ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: [primaryFn, { 'Fn::GetAtt': [id, 'Arn'] }] });
    // The primary's function exists under that name in the primary's stack.
    const primary = Template.fromJSON(assembly.getStackByName('Payments-prod-primary').template);
    primary.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'dr-verify-writer-prod' });
  });

  test('its widgets are on the secondary\'s dashboard', () => {
    const body = JSON.stringify(Object.values<any>(secondary.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(body).toContain('Region switch rehearsals');
    expect(body).toContain('HoursSinceLastRehearsal');
  });

  test('the secondary stack has zero unacknowledged cdk-nag findings', () => {
    expect(nagFindings(platform.secondaryStack)).toEqual([]);
  });

  complianceTest('strict schema validation: any finding fails the synthesis', () => {
    expect(() => make(withRehearsal(), true).app.synth()).not.toThrow();
  });
});

test('a table keyed by a number cannot carry the marker: refused at synth', () => {
  expect(() => make({
    table: { partitionKey: { name: 'id', type: dynamodb.AttributeType.NUMBER } },
    regionSwitch: RegionSwitch.plan({ rehearsal: {} }),
  })).toThrow(/`regionSwitch` with a rehearsal needs `table.partitionKey` of type STRING .*got: "id" of type N/);
});

test('a table with the app\'s own key is refused: the rehearsal names the keys by the platform\'s alias', () => {
  expect(() => make({
    table: { encryptionKey: kms.Key.fromKeyArn(new Stack(testApp(), 'Keys', { env: PRIMARY }), 'Key', `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`) },
    regionSwitch: RegionSwitch.plan({ rehearsal: {} }),
  })).toThrow(/needs the global table's own keys \(alias\/dr-table-prod in each region\), not `table.encryptionKey`/);
});
