import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { HandlerRuntime, MultiRegionDrPlatform, RestoreDrills } from '../../src';

const PRIMARY = { account: '111111111111', region: 'us-east-1' };
const SECONDARY = { account: '111111111111', region: 'us-west-2' };

/** Both regions with every option on: each construct that makes alarms is there. */
function everyOption() {
  const app = new App();
  const zoneStack = new Stack(app, 'Zone', { env: PRIMARY });
  new CfnWaitConditionHandle(zoneStack, 'Placeholder');
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(zoneStack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const platform = new MultiRegionDrPlatform(app, 'Multi', {
    environmentSuffix: 'all',
    primary: PRIMARY,
    secondary: SECONDARY,
    alarmEmails: ['oncall@example.com'],
    restoreDrills: RestoreDrills.enabled(),
    routing: { hostedZone, recordName: 'payments', primaryDomainName: 'payments-use1.example.com', secondaryDomainName: 'payments-usw2.example.com' },
    peering: true,
    eventForwarding: true,
  });
  platform.addFunction('Processor', {
    code: lambda.Code.fromInline('exports.handler = async () => ({})'), handler: 'index.handler', runtime: HandlerRuntime.newestNodejs(app),
  });
  return app.synth().stacks;
}

interface Found { readonly stack: string; readonly region: string; readonly logicalId: string; readonly alarmName: string }

test('every CloudWatch alarm of both regions is on a dashboard of its region', () => {
  const stacks = everyOption();
  const alarms: Found[] = [];
  const dashboards: Array<{ stack: string; region: string; body: string }> = [];
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
      if (resource.Type === 'AWS::CloudWatch::Alarm') {
        alarms.push({ stack: stack.stackName, region: stack.environment.region, logicalId, alarmName: resource.Properties.AlarmName });
      } else if (resource.Type === 'AWS::CloudWatch::Dashboard') {
        const body = resource.Properties.DashboardBody;
        const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
        dashboards.push({ stack: stack.stackName, region: stack.environment.region, body: text });
      }
    }
  }
  // Guards against a vacuous pass: both regions have alarms and one dashboard each.
  expect(new Set(alarms.map((a) => a.region))).toEqual(new Set([PRIMARY.region, SECONDARY.region]));
  expect(dashboards.map((d) => d.region).sort()).toEqual([PRIMARY.region, SECONDARY.region]);
  expect(alarms.map((a) => a.alarmName)).toEqual(expect.arrayContaining(['dr-region-health-all', 'dr-events-dlq-all', 'dr-events-undeliverable-all']));

  const onADashboard = (alarm: Found) => dashboards.some((d) => d.region === alarm.region && (
    (d.stack === alarm.stack && d.body.includes(JSON.stringify({ 'Fn::GetAtt': [alarm.logicalId, 'Arn'] })))
    || d.body.includes(`:alarm:${alarm.alarmName}"`)));
  expect(alarms.filter((a) => !onADashboard(a)).map((a) => `${a.stack}: ${a.alarmName}`)).toEqual([]);
});
