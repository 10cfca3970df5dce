import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { DrAlarms, EventForwarding, ProtectedResource, RegionHealthCheck, VersionedBucket } from '../../src';
import { isolatedVpc, testApp } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };

function stackIn(region = ENV.region, app = testApp()) {
  return new Stack(app, `Stack-${region}`, { env: { ...ENV, region } });
}

function healthCheck(stack: Stack) {
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'dev' });
  return new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), bucket: ProtectedResource.fromVersionedBucket(bucket) });
}

function forwarding(stack: Stack, alarms: DrAlarms) {
  return new EventForwarding(stack, 'Events', { environmentSuffix: 'dev', targetRegion: 'us-west-2', alarmTopic: alarms.alarmTopic });
}

/** The dashboard body with every token rendered as its JSON, and its widgets. */
function dashboard(stack: Stack) {
  const [resource] = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const body: string = resource.Properties.DashboardBody['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
  return { body };
}

/** The alarms in the construct tree (counted before synthesis, which would fix the template). */
const alarmCount = (scope: IConstruct) => scope.node.findAll().filter((c) => c instanceof cloudwatch.CfnAlarm).length;

const arnOf = (stack: Stack, alarm: cloudwatch.Alarm) => JSON.stringify({ 'Fn::GetAtt': [stack.getLogicalId(alarm.node.defaultChild as any), 'Arn'] });

describe('monitorRegionHealthCheck', () => {
  test("puts the health check's own alarm on the dashboard, without making another", () => {
    const stack = stackIn();
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    const health = healthCheck(stack);
    const before = alarmCount(stack);
    const returned = alarms.monitorRegionHealthCheck(health);
    expect(alarmCount(stack)).toBe(before);
    expect(returned).toEqual([health.alarm]);
    expect(alarms.alarms).toEqual([health.alarm]);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
    const { body } = dashboard(stack);
    expect(body).toContain('"title":"Region health: dr-region-health-dev (1 = every check passed)"');
    expect(body).toContain('"title":"Region health: each check (1 = passed)"');
    // On the status widget and as the alarm widget's alarm.
    expect(body.split(arnOf(stack, health.alarm)).length - 1).toBe(2);
    expect(body).toContain('"CheckHealthy"');
  });

  test('is refused twice for one health check', () => {
    const stack = stackIn();
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    const health = healthCheck(stack);
    alarms.monitorRegionHealthCheck(health);
    expect(() => alarms.monitorRegionHealthCheck(health)).toThrow(/the region health check Stack-us-east-1\/Health is already watched here/);
  });

  test("is refused for a health check of another region, naming that region's DrAlarms", () => {
    const app = testApp();
    const alarms = new DrAlarms(stackIn('us-east-1', app), 'Alarms', { environmentSuffix: 'dev' });
    const health = healthCheck(stackIn('us-west-2', app));
    expect(() => alarms.monitorRegionHealthCheck(health))
      .toThrow(/the region health check Stack-us-west-2\/Health is in us-west-2 and this DrAlarms in us-east-1; .*call monitorRegionHealthCheck on the DrAlarms of us-west-2/);
  });
});

describe('monitorEventForwarding', () => {
  test("puts the forwarding's two alarms on the dashboard, without making others", () => {
    const stack = stackIn();
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    const events = forwarding(stack, alarms);
    expect(alarmCount(stack)).toBe(2);
    expect(alarms.monitorEventForwarding(events)).toEqual([events.deadLetterAlarm, events.undeliverableAlarm]);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 2);
    const { body } = dashboard(stack);
    for (const alarm of [events.deadLetterAlarm, events.undeliverableAlarm]) {
      expect(body.split(arnOf(stack, alarm)).length - 1).toBe(2);
    }
    expect(body).toContain('"title":"Events to us-west-2: undelivered, waiting in the dead-letter queue"');
    expect(body).toContain('"title":"Events to us-west-2: lost (not even written to the dead-letter queue)"');
  });

  test('leaves the alarms their own actions', () => {
    const stack = stackIn();
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    const events = forwarding(stack, alarms);
    alarms.monitorEventForwarding(events);
    const dlq = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(events.deadLetterAlarm.node.defaultChild as any)];
    expect(dlq.Properties.AlarmActions).toHaveLength(1);
    expect(dlq.Properties.OKActions).toBeUndefined();
  });

  test('is refused twice for one forwarding', () => {
    const stack = stackIn();
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    const events = forwarding(stack, alarms);
    alarms.monitorEventForwarding(events);
    expect(() => alarms.monitorEventForwarding(events)).toThrow(/the event forwarding Stack-us-east-1\/Events is already watched here/);
  });
});
