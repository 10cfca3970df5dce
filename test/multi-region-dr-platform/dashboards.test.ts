import * as fs from 'fs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { synthesizeConfiguration } from '../../scripts/reference-configurations';

const PRIMARY = { region: 'us-east-1' };
const SECONDARY = { region: 'us-west-2' };

/** Both regions with every option on (the reference configuration): each construct that makes alarms is there. */
function everyOption(): Array<Pick<cxapi.CloudFormationStackArtifact, 'stackName' | 'environment' | 'template'>> {
  const assembly = synthesizeConfiguration('multi-every-option');
  try {
    // Read before the assembly's folder goes: templates are read lazily.
    return assembly.stacks.map((s) => ({ stackName: s.stackName, environment: s.environment, template: s.template }));
  } finally {
    fs.rmSync(assembly.directory, { recursive: true, force: true });
  }
}

interface Found { readonly stack: string; readonly region: string; readonly logicalId: string; readonly alarmName: string }

test('every CloudWatch alarm of both regions is on a dashboard of its region, or is an input of a composite alarm that is', () => {
  const stacks = everyOption();
  const alarms: Found[] = [];
  const dashboards: Array<{ stack: string; region: string; body: string }> = [];
  /** Each composite alarm's inputs (their logical ids), by the composite's logical id and stack. */
  const inputsOf = new Map<string, string[]>();
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
      if (resource.Type === 'AWS::CloudWatch::Alarm' || resource.Type === 'AWS::CloudWatch::CompositeAlarm') {
        alarms.push({ stack: stack.stackName, region: stack.environment.region, logicalId, alarmName: resource.Properties.AlarmName });
        if (resource.Type === 'AWS::CloudWatch::CompositeAlarm') {
          const rule = JSON.stringify(resource.Properties.AlarmRule);
          inputsOf.set(`${stack.stackName}/${logicalId}`, [...rule.matchAll(/"Fn::GetAtt":\["([^"]+)","Arn"\]/g)].map((m) => m[1]));
        }
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

  const shown = (alarm: Found) => dashboards.some((d) => d.region === alarm.region && (
    (d.stack === alarm.stack && d.body.includes(JSON.stringify({ 'Fn::GetAtt': [alarm.logicalId, 'Arn'] })))
    || d.body.includes(`:alarm:${alarm.alarmName}"`)));
  // An input of a composite alarm notifies nobody: the composite, on the dashboard, speaks for it.
  const onADashboard = (alarm: Found) => shown(alarm) || alarms.some((c) => c.stack === alarm.stack
    && (inputsOf.get(`${c.stack}/${c.logicalId}`) ?? []).includes(alarm.logicalId) && shown(c));
  expect(inputsOf.size).toBeGreaterThan(0);
  expect(alarms.filter((a) => !onADashboard(a)).map((a) => `${a.stack}: ${a.alarmName}`)).toEqual([]);
});
