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
    environmentSuffix: 'test', resources, restoreTestingPlanArn: drill.plan.attrRestoreTestingPlanArn, interval: Duration.minutes(10),
  });
  const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'test' });
  return { stack, drill, monitor, alarms };
}

describe('monitorRecoveryPoints', () => {
  test('one alarm per resource on its threshold, breaching after three silent runs, and one for failed measurements', () => {
    const { stack, monitor, alarms } = setup();
    const created = alarms.monitorRecoveryPoints(monitor);
    expect(created).toHaveLength(4);
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
});

describe('monitorRestoreDrills', () => {
  test('RTO, failure and overdue alarms for each drilled type', () => {
    const { stack, drill, monitor, alarms } = setup();
    const created = alarms.monitorRestoreDrills(drill, { rto: Duration.hours(4), recoveryPointMonitor: monitor, drillInterval: Duration.days(14) });
    expect(created).toHaveLength(6);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-drill-aurora-rto-test',
      MetricName: 'MeasuredRto',
      Threshold: 4 * 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 86400,
      Dimensions: Match.arrayWith([{ Name: 'ResourceType', Value: 'Aurora' }, { Name: 'service', Value: 'restore-drill' }]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-drill-dynamodb-overdue-test', Threshold: 14 * 24 + 24 });
    expect(JSON.stringify(t.findResources('AWS::CloudWatch::Dashboard'))).toContain('Hours since the last validated drill');
  });

  test('the overdue alarm follows the drill\'s own schedule interval unless told otherwise', () => {
    const stack = testStack();
    const { monitor, alarms, drill } = setup(stack);
    alarms.monitorRestoreDrills(drill, { rto: Duration.hours(4), recoveryPointMonitor: monitor });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-drill-dynamodb-overdue-test', Threshold: drill.scheduleInterval.toHours() + 24,
    });
    expect(drill.scheduleInterval.toDays()).toBe(7);
  });

  test('without the monitor there is no overdue alarm', () => {
    const { drill, alarms } = setup();
    expect(alarms.monitorRestoreDrills(drill, { rto: Duration.hours(1) })).toHaveLength(4);
  });

  test('a monitor that does not measure drills is refused', () => {
    const stack = testStack();
    const { drill, alarms } = setup(stack);
    const plain = new RecoveryPointMonitor(stack, 'Plain', { environmentSuffix: 'plain' });
    expect(() => alarms.monitorRestoreDrills(drill, { rto: Duration.hours(1), recoveryPointMonitor: plain }))
      .toThrow('`recoveryPointMonitor` does not measure drills');
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
