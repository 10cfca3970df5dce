import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  DrAlarms, EncryptedAurora, HourlyBackup, PitrTable, ProtectedResource, RecoveryPointMonitor, RestoreDrill, VersionedBucket,
} from '../../src';
import { isolatedVpc, testStack } from '../util';

function setup(stack: Stack = testStack()) {
  const vpc = isolatedVpc(stack);
  const database = new EncryptedAurora(stack, 'Database', { environmentSuffix: 'test', vpc });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'test' });
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'test' });
  const resources = [
    ProtectedResource.fromEncryptedAurora(database), ProtectedResource.fromPitrTable(table), ProtectedResource.fromVersionedBucket(bucket),
  ];
  const backup = new HourlyBackup(stack, 'Backup', { environmentSuffix: 'test', resources });
  const drill = new RestoreDrill(stack, 'Drill', {
    environmentSuffix: 'test', vpc, vault: backup.vault, database: resources[0], table: resources[1],
  });
  const monitor = new RecoveryPointMonitor(stack, 'Monitor', {
    environmentSuffix: 'test', resources, drillPlans: drill.drillPlans, interval: Duration.minutes(10),
  });
  const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'test' });
  return { stack, drill, monitor, alarms };
}

describe('monitorRecoveryPoints', () => {
  test('one alarm per resource on its threshold, breaching after three silent runs, and one for failed measurements', () => {
    const { stack, monitor, alarms } = setup();
    const created = alarms.monitorRecoveryPoints(monitor);
    expect(created).toHaveLength(6);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-rpo-bucket-test',
      Threshold: 3 * 3600,
      Period: 600,
      Statistic: 'Maximum',
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
      AlarmDescription: Match.stringLikeRegexp('no API reports its continuous backup'),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-rpo-measurement-failed-test', MetricName: 'MeasurementFailures', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const dashboard = JSON.stringify(t.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard).toContain('Measured RPO (seconds)');
  });

  test('Aurora and DynamoDB get an alarm on their newest AWS Backup point, at the snapshot bound: PITR cannot keep it green', () => {
    const { stack, monitor, alarms } = setup();
    alarms.monitorRecoveryPoints(monitor);
    const t = Template.fromStack(stack);
    const backupAge = Object.values<any>(t.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'BackupRecoveryPointAge' } }))
      .map((a) => a.Properties);
    expect(backupAge.map((a) => a.AlarmName).sort()).toEqual(['dr-backup-age-database-test', 'dr-backup-age-table-test']);
    for (const a of backupAge) {
      expect(a).toMatchObject({
        Namespace: 'CdkDrPlatform/Recovery',
        Threshold: 3 * 3600,
        ComparisonOperator: 'GreaterThanThreshold',
        Statistic: 'Maximum',
        Period: 600,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'breaching',
        AlarmDescription: expect.stringContaining('RDS\'s automated snapshots do not count'),
      });
      expect(a.Dimensions).toEqual(expect.arrayContaining([{ Name: 'service', Value: 'recovery-point-monitor' }, { Name: 'Environment', Value: 'test' }]));
    }
    // The effective-RPO alarms stay: both are promises.
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-rpo-database-test', MetricName: 'EffectiveRpo', Threshold: 3600 });
  });

  test.each([Duration.hours(2), Duration.hours(5)])('the AWS Backup age alarm follows the monitor\'s snapshotAgeBound (%s)', (bound) => {
    const stack = testStack();
    const table = new PitrTable(stack, 'Table', { environmentSuffix: 'test' });
    const monitor = new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test', snapshotAgeBound: bound, resources: [ProtectedResource.fromPitrTable(table)] });
    new DrAlarms(stack, 'Alarms', { environmentSuffix: 'test' }).monitorRecoveryPoints(monitor);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-backup-age-table-test', Threshold: bound.toSeconds(),
    });
  });

  test('the dashboard graphs both ages of every resource, with the alarm thresholds', () => {
    const { stack, monitor, alarms } = setup();
    alarms.monitorRecoveryPoints(monitor);
    const body = Template.fromStack(stack).toJSON();
    const dashboard = JSON.stringify(Object.values<any>(body.Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard'));
    expect(dashboard).toContain('Newest AWS Backup recovery point (age, seconds)');
    for (const name of ['database', 'table', 'bucket']) {
      expect(dashboard).toMatch(new RegExp(`BackupRecoveryPointAge[^\\]]*${name}`));
      expect(dashboard).toMatch(new RegExp(`EffectiveRpo[^\\]]*${name}`));
    }
  });
});

describe('monitorRestoreDrills', () => {
  test('RTO, failure and overdue alarms for each drilled type', () => {
    const { stack, drill, monitor, alarms } = setup();
    const created = alarms.monitorRestoreDrills(drill, { rto: Duration.hours(4), recoveryPointMonitor: monitor, drillInterval: Duration.days(14) });
    // Aurora: RTO, failed, and overdue for each plan (snapshot and continuous); DynamoDB: RTO, failed, snapshot overdue.
    expect(created).toHaveLength(7);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-drill-aurora-rto-test',
      MetricName: 'MeasuredRto',
      Threshold: 4 * 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 86400,
      Dimensions: Match.arrayWith([{ Name: 'ResourceType', Value: 'Aurora' }, { Name: 'service', Value: 'restore-drill' }]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-drill-dynamodb-snapshot-overdue-test', Threshold: 14 * 24 + 24 });
    expect(JSON.stringify(t.findResources('AWS::CloudWatch::Dashboard'))).toContain('Hours since the last validated drill');
  });

  test('the overdue alarm follows the drill\'s own schedule interval unless told otherwise', () => {
    const stack = testStack();
    const { monitor, alarms, drill } = setup(stack);
    alarms.monitorRestoreDrills(drill, { rto: Duration.hours(4), recoveryPointMonitor: monitor });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-drill-dynamodb-snapshot-overdue-test', Threshold: drill.scheduleInterval.toHours() + 24,
    });
    expect(drill.scheduleInterval.toDays()).toBe(7);
  });

  test('without the monitor there is no overdue alarm', () => {
    const { drill, alarms } = setup();
    expect(alarms.monitorRestoreDrills(drill, { rto: Duration.hours(1) })).toHaveLength(4);
  });

  test('each plan gets its own overdue alarm on its own DrillPlan dimension, so a continuous plan that stops alarms while snapshot drills still run', () => {
    const { stack, drill, monitor, alarms } = setup();
    alarms.monitorRestoreDrills(drill, { rto: Duration.hours(4), recoveryPointMonitor: monitor });
    const overdue = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'LastValidatedDrillAge' } });
    const seen = Object.values(overdue).map((a: any) => {
      const dims = Object.fromEntries(a.Properties.Dimensions.map((d: any) => [d.Name, d.Value]));
      expect(a.Properties.TreatMissingData).toBe('breaching');
      return `${a.Properties.AlarmName} ${dims.ResourceType}/${dims.DrillPlan}`;
    }).sort();
    expect(seen).toEqual([
      'dr-drill-aurora-continuous-overdue-test Aurora/continuous',
      'dr-drill-aurora-snapshot-overdue-test Aurora/snapshot',
      'dr-drill-dynamodb-snapshot-overdue-test DynamoDB/snapshot',
    ]);
  });

  test('a monitor given only the snapshot plan alarms on snapshot drills only', () => {
    const stack = testStack();
    const { drill, alarms } = setup(stack);
    const snapshotOnly = new RecoveryPointMonitor(stack, 'SnapshotOnly', { environmentSuffix: 'snap', drillPlans: [drill.drillPlans[0]] });
    const created = alarms.monitorRestoreDrills(drill, { rto: Duration.hours(1), recoveryPointMonitor: snapshotOnly });
    expect(created.map((a) => a.node.id).filter((id) => id.endsWith('Overdue')).sort()).toEqual(['DrillAuroraSnapshotOverdue', 'DrillDynamodbSnapshotOverdue']);
  });

  test.each([
    ['measures no drill', () => []],
    ['measures another restore testing plan', () => [{ name: 'other', restoreTestingPlanArn: 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:other-abc' }]],
  ])('a monitor that %s is refused', (_what, plans) => {
    const stack = testStack();
    const { drill, alarms } = setup(stack);
    const plain = new RecoveryPointMonitor(stack, 'Plain', { environmentSuffix: 'plain', drillPlans: plans() });
    expect(() => alarms.monitorRestoreDrills(drill, { rto: Duration.hours(1), recoveryPointMonitor: plain }))
      .toThrow('`recoveryPointMonitor` measures none of this drill\'s restore testing plans');
  });

  test.each([
    [{ rto: Duration.seconds(30) }, '`rto` must be at least 1 minute, got: 30 seconds'],
    [{ rto: Duration.hours(1), drillInterval: Duration.minutes(30) }, '`drillInterval` must be from 1 hour to 31 days (a monthly schedule\'s longest gap), got: 30 minutes'],
    [{ rto: Duration.hours(1), drillInterval: Duration.days(32) }, '`drillInterval` must be from 1 hour to 31 days (a monthly schedule\'s longest gap), got: 32 days'],
  ])('bad options %j are refused', (options, message) => {
    const { drill, alarms } = setup();
    expect(() => alarms.monitorRestoreDrills(drill, options)).toThrow(message);
  });
});
