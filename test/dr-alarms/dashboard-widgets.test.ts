import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  DrAlarms, EncryptedAurora, HourlyBackup, PitrTable, ProtectedResource, RecoveryPointMonitor, RestoreDrill,
} from '../../src';
import { isolatedVpc, testStack } from '../util';

/** The dashboard's widgets, parsed, with every token in them replaced by `TOKEN`. */
function widgets(stack: Stack): any[] {
  const [dashboard] = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text).widgets;
}

/** What CloudWatch refuses in a dashboard body: an alarm widget without alarms, a metric widget without metrics. */
function emptyWidgets(stack: Stack): string[] {
  return widgets(stack)
    .filter((w) => (w.type === 'alarm' && !(w.properties.alarms?.length > 0)) || (w.type === 'metric' && !(w.properties.metrics?.length > 0)))
    .map((w) => `${w.type} "${w.properties.title}"`);
}

function drillAndMonitor(stack: Stack) {
  const vpc = isolatedVpc(stack);
  const database = new EncryptedAurora(stack, 'Database', { environmentSuffix: 'test', vpc });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'test' });
  const resources = [ProtectedResource.fromEncryptedAurora(database), ProtectedResource.fromPitrTable(table)];
  const backup = new HourlyBackup(stack, 'Backup', { environmentSuffix: 'test', resources });
  const drill = new RestoreDrill(stack, 'Drill', {
    environmentSuffix: 'test', vpc, vault: backup.vault, database: resources[0], table: resources[1],
  });
  return { backup, drill, resources };
}

describe('no widget CloudWatch rejects', () => {
  test('a DrAlarms with nothing to monitor has its heading only, no empty alarm-status widget', () => {
    const stack = testStack();
    new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    expect(widgets(stack).map((w) => w.type)).toEqual(['text']);
  });

  test('the alarm-status widget appears with the first alarm, added after it', () => {
    const stack = testStack();
    const { backup } = drillAndMonitor(stack);
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    alarms.monitorBackup(backup);
    const status = widgets(stack).filter((w) => w.type === 'alarm');
    expect(status).toHaveLength(1);
    expect(status[0].properties.alarms).toHaveLength(4);
    expect(emptyWidgets(stack)).toEqual([]);
  });

  test('restore drills watched without a recovery point monitor get no empty drill-age widget', () => {
    const stack = testStack();
    const { drill } = drillAndMonitor(stack);
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    alarms.monitorRestoreDrills(drill, { rto: Duration.hours(4) });
    expect(widgets(stack).map((w) => w.properties.title)).not.toContain('Hours since the last validated drill');
    expect(emptyWidgets(stack)).toEqual([]);
  });

  test('with the monitor the drill-age widget is there, with a metric per resource type', () => {
    const stack = testStack();
    const { drill, resources } = drillAndMonitor(stack);
    const monitor = new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test', resources, drillPlans: drill.drillPlans });
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    alarms.monitorRestoreDrills(drill, { rto: Duration.hours(4), recoveryPointMonitor: monitor });
    const age = widgets(stack).find((w) => w.properties.title === 'Hours since the last validated drill');
    // One per drilled type and plan: every type in the snapshot plan, Aurora and S3 in the continuous one too.
    expect(age.properties.metrics).toHaveLength(drill.drillPlans.reduce((n, p) => n + p.resourceTypes!.length, 0));
    expect(emptyWidgets(stack)).toEqual([]);
  });

  test('a recovery point monitor watched before its resources are added gets no empty graph', () => {
    const stack = testStack();
    const { resources } = drillAndMonitor(stack);
    const monitor = new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test' });
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    alarms.monitorRecoveryPoints(monitor);
    resources.forEach((r) => monitor.addResource(r));
    expect(emptyWidgets(stack)).toEqual([]);
  });
});
