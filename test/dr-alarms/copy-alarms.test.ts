import { CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import { BackupCopyDestination, DrAlarms, DrAlarmsProps, EncryptedAurora, HourlyBackup, PitrTable, ProtectedResource } from '../../src';
import { backupVaultArn, copyVaultKeyAlias } from '../../src/names';
import { complianceTest, isolatedVpc, nagFindings, synth, testStack } from '../util';

const EAST = { account: '111111111111', region: 'us-east-1' };
const vaultArn = (region: string, name = 'dr-copy-vault-dev') => backupVaultArn('aws', region, '111111111111', name);

function make(
  copyTo: (s: Stack) => BackupCopyDestination[] = (s) => [{ vault: backup.BackupVault.fromBackupVaultArn(s, 'West', vaultArn('us-west-2')) }],
  props: Partial<DrAlarmsProps> = {},
  stack: Stack = testStack({ env: EAST }),
) {
  const db = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), removalPolicy: props.removalPolicy });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev', removalPolicy: props.removalPolicy });
  const hourly = new HourlyBackup(stack, 'Backup', {
    environmentSuffix: 'dev',
    removalPolicy: props.removalPolicy,
    resources: [ProtectedResource.fromEncryptedAurora(db), ProtectedResource.fromPitrTable(table)],
    copyTo: copyTo(stack),
  });
  const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', backup: hourly, ...props });
  return { stack, hourly, alarms, get template() { return Template.fromStack(stack); } };
}

const alarmsNamed = (template: Template, pattern: RegExp) => Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'))
  .map((a) => a.Properties).filter((p) => pattern.test(p.AlarmName));
/** The vault names an alarm's metric math counts, from its metrics' dimensions. */
const countedVaults = (alarm: any) => [...new Set<string>(alarm.Metrics.filter((m: any) => m.MetricStat)
  .map((m: any) => JSON.stringify(m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'BackupVaultName').Value)))].map((v) => JSON.parse(v));

describe('copies of an HourlyBackup', () => {
  test('one alarm per destination on failed copy jobs counted under the destination vault, in the source region', () => {
    const { template, alarms, stack } = make();
    const [copyAlarm] = alarmsNamed(template, /^dr-backup-copy-/);
    expect(copyAlarm.AlarmName).toBe('dr-backup-copy-us-west-2-failed-dev');
    expect(copyAlarm.Threshold).toBe(1);
    expect(copyAlarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(copyAlarm.TreatMissingData).toBe('notBreaching');
    expect(copyAlarm.AlarmDescription).toMatch(/into vault dr-copy-vault-dev \(us-west-2\) failed/);
    expect(countedVaults(copyAlarm)).toEqual(['dr-copy-vault-dev']);
    const metricNames = new Set(copyAlarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName));
    expect([...metricNames]).toEqual(['NumberOfCopyJobsFailed']);
    const topic = stack.resolve(alarms.alarmTopic.topicArn);
    expect(copyAlarm.AlarmActions).toEqual([topic]);
    expect(copyAlarm.OKActions).toEqual([topic]);
  });

  test('the source vault\'s own copy-failure alarm stays: AWS does not say which vault a copy job\'s metrics name', () => {
    const { template } = make();
    const [sourceAlarm] = alarmsNamed(template, /^dr-copy-jobs-failed-dev$/);
    expect(countedVaults(sourceAlarm)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^BackupVault/), 'BackupVaultName'] }]);
  });

  test('no copies, no copy alarm', () => {
    const { template } = make(() => []);
    expect(alarmsNamed(template, /^dr-backup-copy-/)).toEqual([]);
  });

  test.each([
    ['two regions', [vaultArn('us-west-2'), vaultArn('eu-west-1')], ['dr-backup-copy-eu-west-1-failed-dev', 'dr-backup-copy-us-west-2-failed-dev']],
    ['two vaults in one region', [vaultArn('us-west-2'), vaultArn('us-west-2', 'second')], ['dr-backup-copy-destination1-failed-dev', 'dr-backup-copy-destination2-failed-dev']],
  ])('%s: an alarm each, named by region where that names one', (_what, arns, names) => {
    const { template } = make((s) => arns.map((arn, i) => ({ vault: backup.BackupVault.fromBackupVaultArn(s, `Dest${i}`, arn) })));
    expect(alarmsNamed(template, /^dr-backup-copy-/).map((a) => a.AlarmName).sort()).toEqual(names);
  });

  test('a destination whose ARN is a token is numbered', () => {
    const stack = testStack({ env: EAST });
    const arn = new CfnParameter(stack, 'VaultArn').valueAsString;
    const { template } = make((s) => [{ vault: backup.BackupVault.fromBackupVaultArn(s, 'Param', arn) }], {}, stack);
    expect(alarmsNamed(template, /^dr-backup-copy-/).map((a) => a.AlarmName)).toEqual(['dr-backup-copy-destination1-failed-dev']);
  });

  test('the failed-jobs threshold applies to copies too', () => {
    const { template } = make(undefined, { thresholds: { backupJobsFailed: 3 } });
    expect(alarmsNamed(template, /^dr-backup-copy-/)[0].Threshold).toBe(3);
  });

  test('a dashboard graph of failed copies per destination', () => {
    const { template, stack } = make();
    const body = JSON.stringify(stack.resolve(Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody));
    expect(body).toContain('Backup copies into us-west-2: failed copy jobs');
    expect(body).toContain('Copy into us-west-2 failed');
  });
});

describe('monitorBackupCopies on any vaults', () => {
  test('watching the same destination twice is refused', () => {
    const { alarms, stack } = make();
    expect(() => alarms.monitorBackupCopies([backup.BackupVault.fromBackupVaultArn(stack, 'Again', vaultArn('us-west-2'))]))
      .toThrow(/copies into us-west-2 are already watched here \(alarm dr-backup-copy-us-west-2-failed\)/);
  });

  test('an empty list is refused', () => {
    const { alarms } = make(() => []);
    expect(() => alarms.monitorBackupCopies([])).toThrow(/`destinations` must name at least one vault/);
  });

  test('returns the alarms it made', () => {
    const { alarms, stack } = make(() => []);
    const made = alarms.monitorBackupCopies([backup.BackupVault.fromBackupVaultArn(stack, 'Eu', vaultArn('eu-west-1'))]);
    expect(made).toHaveLength(1);
    expect(alarms.alarms).toContain(made[0]);
    const [alarm] = alarmsNamed(Template.fromStack(stack), /^dr-backup-copy-eu-west-1-failed-dev$/);
    expect(countedVaults(alarm)).toEqual(['dr-copy-vault-dev']);
  });
});

describe('compliance', () => {
  const withCopies = (removalPolicy: RemovalPolicy | undefined, validate: boolean) => {
    const stack = testStack({ env: EAST, validate });
    make((s) => [{ vault: backup.BackupVault.fromBackupVaultArn(s, 'West', vaultArn('us-west-2')), encryptionKeyAlias: copyVaultKeyAlias('dev') }],
      { removalPolicy, alarmEmails: ['oncall@example.com'] }, stack);
    return stack;
  };
  const policies = [['RETAIN', undefined], ['DESTROY', RemovalPolicy.DESTROY]] as const;

  test.each(policies)('cdk-nag (four packs) zero findings outside the test VPC, with copies (%s)', (_label, removalPolicy) => {
    expect(nagFindings(withCopies(removalPolicy, false)).filter((f) => !f.includes(' @ TestStack/Vpc/'))).toEqual([]);
  });

  complianceTest.each(policies)('strict schema validation, with copies (%s)', (_label, removalPolicy) => {
    const stack = withCopies(removalPolicy, true);
    expect(() => synth(stack)).not.toThrow();
  });
});
