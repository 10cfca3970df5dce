import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { synthesizeConfiguration } from '../../scripts/reference-configurations';
import { MultiRegionDrPlatform } from '../../src';
import { analysePosture, PostureReport, ResourcePosture } from '../../src/cli/posture';
import { loadTemplates, readTemplate } from '../../src/cli/template';
import { testApp } from '../util';

const HAND_WRITTEN = path.join(__dirname, 'fixtures', 'hand-written-dr.yaml');
const H = 3600;

function resource(report: PostureReport, prefix: string, type?: string): ResourcePosture {
  const found = report.resources.find((r) => r.logicalId.startsWith(prefix) && (!type || r.type === type));
  if (!found) {
    throw new Error(`no resource ${prefix} in ${report.resources.map((r) => r.logicalId).join(', ')}`);
  }
  return found;
}

describe('posture of the library\'s own synthesized templates', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function synth(name: string) {
    const assembly = synthesizeConfiguration(name);
    dirs.push(assembly.directory);
    return loadTemplates(assembly.directory);
  }

  test('single-region reference: PITR bounds logical corruption, nothing survives the region', () => {
    const report = analysePosture(synth('reference'), { rpoSeconds: H, regionRpoSeconds: 4 * H });
    const cluster = resource(report, 'PlatformDatabaseCluster', 'AWS::RDS::DBCluster');
    expect(cluster.coverage.map((c) => [c.rule, c.how, c.certain, c.intervalSeconds, c.startWindowSeconds])).toEqual([
      ['hourly-snapshots', 'reference', true, H, H], ['continuous', 'reference', true, H, H],
    ]);
    expect(cluster.rpo.logicalCorruption.seconds).toBe(5 * 60);
    expect(cluster.rpo.azLoss.seconds).toBe(0);
    expect(cluster.rpo.regionLoss.lost).toBe(true);
    expect(cluster.deletionProtection).toBe(true);
    expect(cluster.encryption).toMatch(/^customer managed key/);
    const table = resource(report, 'PlatformTable', 'AWS::DynamoDB::Table');
    expect(table.ownPitr).toMatch(/DynamoDB PITR/);
    expect(table.rpo.logicalCorruption.seconds).toBe(5 * 60);
    const bucket = resource(report, 'PlatformBucketBBE', 'AWS::S3::Bucket');
    expect(bucket.rpo.logicalCorruption.seconds).toBe(15 * 60);
    // The in-region target of 1 h is met by the platform's stores; the region target is missed (single region).
    const rpo = report.targets.filter((t) => t.target === 'rpo' && [cluster, table, bucket].some((r) => r.logicalId === t.logicalId));
    expect(rpo.map((t) => t.verdict)).toEqual(['met', 'met', 'met']);
    expect(report.targets.filter((t) => t.target === 'regionRpo' && t.logicalId === cluster.logicalId)[0].verdict).toBe('missed');
    expect(report.gaps.filter((g) => g.code === 'NO_COPY_OUT_OF_REGION').map((g) => g.subject)).toContain(cluster.logicalId);
    expect(report.gaps.filter((g) => g.code === 'START_WINDOW' || g.code === 'VAULT_WITHOUT_CMK' || g.code === 'SHORT_RETENTION')).toEqual([]);
  });

  test('multi-region reference: copies and replicas leave the region, their bounds are unknown', () => {
    const report = analysePosture(synth('multi-region'), { regionRpoSeconds: 10 * 60 });
    const cluster = report.resources.find((r) => r.type === 'AWS::RDS::DBCluster' && r.coverage.length > 0)!;
    expect(cluster.coverage[0].copyRegions).toEqual(['us-west-2']);
    expect(cluster.outOfRegion.join(' ')).toMatch(/Aurora global database/);
    expect(cluster.outOfRegion.join(' ')).toMatch(/backup copies to us-west-2/);
    expect(cluster.rpo.regionLoss.lost).toBeFalsy();
    expect(cluster.rpo.regionLoss.seconds).toBeUndefined();
    const table = report.resources.find((r) => r.type === 'AWS::DynamoDB::GlobalTable')!;
    expect(table.coverage.map((c) => c.how)).toContain('arn');
    expect(table.outOfRegion.join(' ')).toMatch(/global table replicas in us-west-2/);
    // Replication Time Control promises nothing under 15 minutes: a 10 minute region target cannot be met.
    const bucket = report.resources.find((r) => r.type === 'AWS::S3::Bucket' && r.outOfRegion.some((o) => o.includes('RTC')))!;
    expect(report.targets.find((t) => t.logicalId === bucket.logicalId && t.stack === bucket.stack)!.verdict).toBe('missed');
    expect(report.targets.find((t) => t.logicalId === table.logicalId)!.verdict).toBe('unproven');
  });
});

describe('posture of a multi-region platform that bounds Aurora with rds.global_db_rpo', () => {
  test.each([15, 60])('regionRpo %i minutes: the cluster\'s region loss is the bound, so a region target at or above it is met', (minutes) => {
    const app = testApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'posture-bound-')) });
    new MultiRegionDrPlatform(app, 'Payments', {
      environmentSuffix: 'prod',
      primary: { account: '123456789012', region: 'us-east-1' },
      secondary: { account: '123456789012', region: 'us-west-2' },
      regionRpo: Duration.minutes(minutes),
      enforceAuroraRegionRpo: true,
    });
    const dir = app.synth().directory;
    try {
      const report = analysePosture(loadTemplates(dir), { regionRpoSeconds: minutes * 60 });
      const clusters = report.resources.filter((r) => r.type === 'AWS::RDS::DBCluster' && r.outOfRegion.some((o) => o.includes('Aurora global database')));
      expect(clusters.length).toBeGreaterThan(0);
      for (const cluster of clusters) {
        expect(cluster.rpo.regionLoss.seconds).toBe(minutes * 60);
        expect(cluster.rpo.regionLoss.mechanism).toMatch(/bounded by rds\.global_db_rpo/);
        expect(report.targets.find((t) => t.target === 'regionRpo' && t.logicalId === cluster.logicalId && t.stack === cluster.stack)!.verdict).toBe('met');
      }
      // A tighter target than the bound is missed, not unproven: the bound is known.
      const tighter = analysePosture(loadTemplates(dir), { regionRpoSeconds: minutes * 60 - 1 });
      const verdicts = clusters.map((c) => tighter.targets.find((t) => t.target === 'regionRpo' && t.logicalId === c.logicalId && t.stack === c.stack)!.verdict);
      expect(new Set(verdicts)).toEqual(new Set(['missed']));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('posture of a hand-written template with known gaps', () => {
  const report = analysePosture(loadTemplates(HAND_WRITTEN), { rpoSeconds: H });

  test('the tag selection covers what carries the tag, with the 8 h default start window', () => {
    const orders = resource(report, 'Orders');
    expect(orders.coverage).toHaveLength(1);
    expect(orders.coverage[0]).toMatchObject({ how: 'tags', certain: true, startWindowSeconds: 8 * H, intervalSeconds: H, retentionDays: 3, detail: 'ListOfTags backup=hourly' });
    expect(orders.rpo.logicalCorruption.seconds).toBe(9 * H);
    expect(orders.rpo.azLoss.seconds).toBe(0);
    // A tag whose value is a parameter may or may not match.
    const scratch = resource(report, 'Scratch');
    expect(scratch.coverage[0].certain).toBe(false);
    expect(scratch.rpo.logicalCorruption.unknownReason).toMatch(/may assign/);
    expect(scratch.rpo.azLoss.seconds).toBeUndefined();
  });

  test('every known gap is reported', () => {
    const codes = report.gaps.map((g) => `${g.code} ${g.subject}`);
    expect(codes).toEqual(expect.arrayContaining([
      'START_WINDOW Plan hourly', 'SHORT_RETENTION Plan hourly', 'VAULT_WITHOUT_CMK Vault', 'UNVERSIONED_BUCKET Uploads',
      'UNCOVERED Legacy', 'NO_COPY_OUT_OF_REGION Orders', 'DELETED_WITH_STACK Orders', 'COVERAGE_UNCERTAIN Scratch',
    ]));
    expect(codes).not.toContain('DELETED_WITH_STACK Uploads');
  });

  test('the 1 h target is missed where the arithmetic says so, never for the function', () => {
    const verdict = (id: string) => report.targets.find((t) => t.logicalId === id)!.verdict;
    expect(verdict('Orders')).toBe('missed');
    expect(verdict('Legacy')).toBe('missed');
    expect(verdict('Uploads')).toBe('unproven');
    expect(verdict('Scratch')).toBe('unproven');
    expect(verdict('Api')).toBe('met');
    expect(resource(report, 'Api').rpo.logicalCorruption.mechanism).toMatch(/redeploy/);
  });

  test('YAML short forms read as their long forms', () => {
    const t = readTemplate(HAND_WRITTEN);
    expect(t.Resources.Selection.Properties!.BackupPlanId).toEqual({ Ref: 'Plan' });
    expect(t.Resources.Plan.Properties!.BackupPlan.BackupPlanRule[0].TargetBackupVault).toEqual({ 'Fn::GetAtt': ['Vault', 'BackupVaultName'] });
    expect(t.Resources.Scratch.Properties!.AvailabilityZone).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
  });
});

/** A template with one table (no PITR) covered by reference under one rule. */
function oneRule(rule: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return [{
    file: 't.json',
    stackName: 'T',
    region: 'us-east-1',
    template: {
      Resources: {
        Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'r', TargetBackupVault: 'Default', ...rule }] } } },
        Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { 'Fn::GetAtt': ['Plan', 'BackupPlanId'] }, BackupSelection: { SelectionName: 's', Resources: [{ 'Fn::GetAtt': ['Table', 'Arn'] }] } } },
        Table: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', Properties: { ...extra } },
      },
    },
  }];
}

describe('sweep: schedules and start windows -> worst-case RPO', () => {
  const SCHEDULES: Array<[string, number]> = [
    ['cron(0 * * * ? *)', H],
    ['cron(0/30 * * * ? *)', 0.5 * H],
    ['cron(15 0/4 * * ? *)', 4 * H],
    ['cron(0 5 * * ? *)', 24 * H],
    ['cron(0 5,17 * * ? *)', 12 * H],
    ['cron(0 1,2 * * ? *)', 23 * H],
    ['cron(0 5 ? * MON *)', 7 * 24 * H],
    ['cron(0 5 ? * 2-6 *)', 3 * 24 * H],
    ['cron(0 5 ? * MON-FRI *)', 3 * 24 * H],
    ['cron(0 5 1 * ? *)', 31 * 24 * H],
    ['cron(0 5 L * ? *)', 31 * 24 * H],
    ['cron(0 5 1 1,7 ? *)', 184 * 24 * H],
    ['rate(1 hour)', H],
    ['rate(12 hours)', 12 * H],
    ['rate(2 days)', 48 * H],
  ];
  const WINDOWS = [60, 120, 480, undefined];
  const cases = SCHEDULES.flatMap(([s, interval]) => WINDOWS.map((w) => [s, interval, w] as const));

  test.each(cases)('%s (interval %ss) with StartWindowMinutes %s', (schedule, interval, window) => {
    const rpo = interval + (window ?? 480) * 60;
    const report = analysePosture(oneRule({ ScheduleExpression: schedule, StartWindowMinutes: window }), { rpoSeconds: rpo });
    const table = report.resources[0];
    expect(table.rpo.logicalCorruption.seconds).toBe(interval + (window ?? 480) * 60);
    // Exactly at the target: met; a second shorter target: missed.
    expect(report.targets[0].verdict).toBe('met');
    const tighter = analysePosture(oneRule({ ScheduleExpression: schedule, StartWindowMinutes: window }), { rpoSeconds: rpo - 1 });
    expect(tighter.targets[0].verdict).toBe('missed');
    expect(report.gaps.some((g) => g.code === 'RATE_SCHEDULE')).toBe(schedule.startsWith('rate'));
  });

  test.each([true, false])('the table\'s own PITR (%s) bounds a daily plan to 5 minutes', (pitr) => {
    const report = analysePosture(oneRule({ ScheduleExpression: 'cron(0 5 * * ? *)' }, { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: pitr } }));
    expect(report.resources[0].rpo.logicalCorruption.seconds).toBe(pitr ? 300 : 32 * H);
  });

  test.each(['cron(0 5 * * ?)', 'cron(0 5 * * MON *)', 'cron(0 5 * * ? 2030)', 'every hour', 'rate(0 hours)', 'cron(61 * * * ? *)'])(
    'an unreadable schedule %s gives an unknown RPO, never a number', (schedule) => {
      const report = analysePosture(oneRule({ ScheduleExpression: schedule }), { rpoSeconds: H });
      expect(report.resources[0].rpo.logicalCorruption.seconds).toBeUndefined();
      expect(report.targets[0].verdict).toBe('unproven');
      expect(report.gaps.some((g) => g.code === 'SCHEDULE_UNREADABLE' || g.code === 'RATE_SCHEDULE')).toBe(true);
    });

  test('a copy within the region does not count as out of the region', () => {
    const same = analysePosture(oneRule({ ScheduleExpression: 'cron(0 * * * ? *)', CopyActions: [{ DestinationBackupVaultArn: { 'Fn::Sub': 'arn:${AWS::Partition}:backup:${AWS::Region}:${AWS::AccountId}:backup-vault:x' } }] }));
    expect(same.resources[0].rpo.regionLoss.lost).toBe(true);
    const other = analysePosture(oneRule({ ScheduleExpression: 'cron(0 * * * ? *)', CompletionWindowMinutes: 120, CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:111111111111:backup-vault:x' }] }), { regionRpoSeconds: 2 * H });
    expect(other.resources[0].rpo.regionLoss.atLeastSeconds).toBe(3 * H);
    expect(other.targets[0].verdict).toBe('missed');
  });
});

describe('selections are regional: a plan in one stack covers a resource of another stack of its region', () => {
  /** A stack with a bucket named `data-bucket`, and a stack with a plan whose selection names a bucket. */
  function twoStacks(selectionRegion: string, entry: unknown) {
    const rule = { RuleName: 'hourly', TargetBackupVault: 'Default', ScheduleExpression: 'cron(0 * * * ? *)', StartWindowMinutes: 60, Lifecycle: { DeleteAfterDays: 7 } };
    return [
      {
        file: 'data.json',
        stackName: 'Data',
        region: 'us-west-2',
        template: {
          Resources: {
            Bucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: { BucketName: 'data-bucket', VersioningConfiguration: { Status: 'Enabled' } } },
          },
        },
      },
      {
        file: 'backup.json',
        stackName: 'Backup',
        region: selectionRegion,
        template: {
          Resources: {
            Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [rule] } } },
            Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { 'Fn::GetAtt': ['Plan', 'BackupPlanId'] }, BackupSelection: { SelectionName: 's', Resources: [entry] } } },
            Bucket: { Type: 'AWS::SNS::Topic', Properties: {} },
          },
        },
      },
    ];
  }
  const covered = (stacks: any[]) => resource(analysePosture(stacks), 'Bucket', 'AWS::S3::Bucket').coverage.length > 0;

  test.each([
    ['an ARN naming the bucket, same region', 'us-west-2', 'arn:aws:s3:::data-bucket', true],
    ['an ARN with a wildcard, same region', 'us-west-2', 'arn:aws:s3:::data-*', true],
    ['an ARN naming another bucket', 'us-west-2', 'arn:aws:s3:::other-bucket', false],
    ['the same ARN from another region\'s plan', 'us-east-1', 'arn:aws:s3:::data-bucket', false],
    // A Ref names a logical id of its own template, even when another template has the same id.
    ['a reference to a logical id that happens to match', 'us-west-2', { Ref: 'Bucket' }, false],
  ])('%s', (_name, region, entry, expected) => {
    expect(covered(twoStacks(region, entry))).toBe(expected);
  });
});
