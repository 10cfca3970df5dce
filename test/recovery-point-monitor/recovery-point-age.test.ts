import {
  BackupClient,
  ListRecoveryPointsByResourceCommand,
  ListRestoreJobsCommand,
  RecoveryPointByResource,
  RecoveryPointStatus,
} from '@aws-sdk/client-backup';
import { DescribeContinuousBackupsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { Clock } from '../../src/private/aws-calls';
import {
  Clients,
  createClients,
  handler,
  isRdsAutomatedBackup,
  measureAll,
  measureDrills,
  MeasureOptions,
  MonitoredResource,
  publish,
  readConfig,
  USABLE_RECOVERY_POINT_STATUSES,
} from '../../src/recovery-point-monitor/recovery-point-age.lambda';

const backupMock = mockClient(BackupClient);
const dynamoMock = mockClient(DynamoDBClient);
const rdsMock = mockClient(RDSClient);

const NOW = Date.parse('2026-11-30T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000);
const AURORA: MonitoredResource = { name: 'aurora', type: 'Aurora', arn: 'arn:aws:rds:eu-west-1:123456789012:cluster:dr-aurora-test' };
const TABLE: MonitoredResource = { name: 'table', type: 'DynamoDB', arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/dr-table-test' };
const BUCKET: MonitoredResource = { name: 'bucket', type: 'S3', arn: 'arn:aws:s3:::dr-data-123456789012-eu-west-1-test' };

const point = (minutes: number, status: RecoveryPointByResource['Status'] = 'COMPLETED'): RecoveryPointByResource => ({
  RecoveryPointArn: `arn:aws:backup:eu-west-1:123456789012:recovery-point:${minutes}`,
  CreationDate: minutesAgo(minutes),
  Status: status,
});

function throttle(): Error {
  const e = new Error('Rate exceeded');
  e.name = 'ThrottlingException';
  return e;
}
function named(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** A fake clock that never waits: sleeping moves it on. */
function fakeClock(start = NOW) {
  let t = start;
  const slept: number[] = [];
  const clock: Clock = { now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; } };
  return { clock, slept };
}
const clients = (): Clients => ({ backup: new BackupClient({}), dynamodb: new DynamoDBClient({}), rds: new RDSClient({}) });
const opts = (clock: Clock, extra: Partial<MeasureOptions> = {}): MeasureOptions => ({
  clock, deadline: NOW + 60_000, backoff: { baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 4 }, ...extra,
});

beforeEach(() => {
  backupMock.reset();
  dynamoMock.reset();
  rdsMock.reset();
});

describe('measureAll', () => {
  test('Aurora: newest completed point and PITR, effective RPO is the smaller', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ LatestRestorableTime: minutesAgo(5) }] });
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [point(130), point(10), point(70)] });
    const [m] = await measureAll(clients(), [AURORA], opts(fakeClock().clock));
    expect(m).toMatchObject({ name: 'aurora', status: 'MEASURED', recoveryPointAgeSeconds: 600, restorableTimeAgeSeconds: 300, effectiveRpoSeconds: 300 });
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)[0].args[0].input).toEqual({ DBClusterIdentifier: AURORA.arn });
  });

  test('every page is read: the newest point may be on the last page', async () => {
    backupMock.on(ListRecoveryPointsByResourceCommand)
      .resolvesOnce({ RecoveryPoints: [point(300), point(240)], NextToken: 't2' })
      .resolvesOnce({ RecoveryPoints: [point(180)], NextToken: 't3' })
      .resolvesOnce({ RecoveryPoints: [point(20), point(400)] });
    const [m] = await measureAll(clients(), [BUCKET], opts(fakeClock().clock));
    expect(m).toMatchObject({ status: 'MEASURED', recoveryPointAgeSeconds: 1200, effectiveRpoSeconds: 1200 });
    expect(m.restorableTimeAgeSeconds).toBeUndefined();
    const inputs = backupMock.commandCalls(ListRecoveryPointsByResourceCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.NextToken)).toEqual([undefined, 't2', 't3']);
    // RDS refuses page sizes under 20.
    for (const i of inputs) expect(i.MaxResults).toBeGreaterThanOrEqual(20);
  });

  // Every status the API's enum has: each is either usable or not, by the rule AWS documents.
  test.each(Object.values(RecoveryPointStatus).map((status) => [status, ['AVAILABLE', 'COMPLETED'].includes(status)] as const))(
    'a newer %s point counts: %s', async (status, usable) => {
      backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [point(5, status), point(65)] });
      const [m] = await measureAll(clients(), [BUCKET], opts(fakeClock().clock));
      expect(m.recoveryPointAgeSeconds).toBe((usable ? 5 : 65) * 60);
    });

  test('the enum has no status the rule does not decide: a new one fails here first', () => {
    expect(Object.values(RecoveryPointStatus).sort()).toEqual(['AVAILABLE', 'COMPLETED', 'CREATING', 'DELETING', 'EXPIRED', 'PARTIAL', 'STOPPED']);
    expect([...USABLE_RECOVERY_POINT_STATUSES].sort()).toEqual(['AVAILABLE', 'COMPLETED']);
  });

  test('only AWS Backup\'s own recovery points are asked for, on every page', async () => {
    backupMock.on(ListRecoveryPointsByResourceCommand)
      .resolvesOnce({ RecoveryPoints: [point(30)], NextToken: 't2' })
      .resolvesOnce({ RecoveryPoints: [point(90)] });
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ LatestRestorableTime: minutesAgo(5) }] });
    await measureAll(clients(), [AURORA], opts(fakeClock().clock));
    const inputs = backupMock.commandCalls(ListRecoveryPointsByResourceCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(2);
    for (const i of inputs) expect(i.ManagedByAWSBackupOnly).toBe(true);
  });

  // RDS's own backups of the cluster, as ListRecoveryPointsByResource lists them without ManagedByAWSBackupOnly.
  const rdsAutomated = (minutes: number): RecoveryPointByResource => ({
    RecoveryPointArn: `arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:dr-aurora-test-${minutes}`,
    CreationDate: minutesAgo(minutes),
    Status: 'AVAILABLE',
  });
  const awsBackupSnapshot = (minutes: number): RecoveryPointByResource => ({
    RecoveryPointArn: `arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:awsbackup:job-${minutes}`,
    CreationDate: minutesAgo(minutes),
    Status: 'AVAILABLE',
  });

  test('Aurora with PITR and only RDS\'s automated snapshots: no AWS Backup age (its alarm breaches), the effective RPO from PITR', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ LatestRestorableTime: minutesAgo(5) }] });
    // Even if a response listed RDS's snapshots despite ManagedByAWSBackupOnly, they are not AWS Backup's.
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [rdsAutomated(10), rdsAutomated(60 * 24)] });
    const [m] = await measureAll(clients(), [AURORA], opts(fakeClock().clock));
    expect(m).toMatchObject({ status: 'MEASURED', restorableTimeAgeSeconds: 300, effectiveRpoSeconds: 300 });
    expect(m.recoveryPointAgeSeconds).toBeUndefined();
    expect(m.detail).toContain('no usable recovery point that AWS Backup created');
  });

  test('AWS Backup stopped while PITR runs: the effective RPO stays low, the AWS Backup age grows', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ LatestRestorableTime: minutesAgo(5) }] });
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [rdsAutomated(30), awsBackupSnapshot(60 * 30)] });
    const [m] = await measureAll(clients(), [AURORA], opts(fakeClock().clock));
    expect(m).toMatchObject({ status: 'MEASURED', effectiveRpoSeconds: 300, recoveryPointAgeSeconds: 30 * 3600 });
  });

  test('RDS\'s snapshots are skipped on every page, through throttling: the newest AWS Backup point wins', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ LatestRestorableTime: minutesAgo(5) }] });
    backupMock.on(ListRecoveryPointsByResourceCommand)
      .resolvesOnce({ RecoveryPoints: [rdsAutomated(1), awsBackupSnapshot(240)], NextToken: 'p2' })
      .rejectsOnce(throttle())
      .resolvesOnce({ RecoveryPoints: [rdsAutomated(2), awsBackupSnapshot(90)], NextToken: 'p3' })
      .resolvesOnce({ RecoveryPoints: [rdsAutomated(3)] });
    const { clock, slept } = fakeClock();
    const [m] = await measureAll(clients(), [AURORA], opts(clock));
    expect(m).toMatchObject({ status: 'MEASURED', recoveryPointAgeSeconds: Math.round(90 * 60 + slept.reduce((a, b) => a + b, 0) / 1000) });
    expect(slept).toHaveLength(1);
    const inputs = backupMock.commandCalls(ListRecoveryPointsByResourceCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.NextToken)).toEqual([undefined, 'p2', 'p2', 'p3']);
    for (const i of inputs) expect(i.ManagedByAWSBackupOnly).toBe(true);
  });

  test('DynamoDB with PITR and no AWS Backup point: measured, but no AWS Backup age', async () => {
    dynamoMock.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', LatestRestorableDateTime: minutesAgo(4) },
      },
    });
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [] });
    const [m] = await measureAll(clients(), [TABLE], opts(fakeClock().clock));
    expect(m).toMatchObject({ status: 'MEASURED', effectiveRpoSeconds: 240 });
    expect(m.recoveryPointAgeSeconds).toBeUndefined();
  });

  test.each([
    ['arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:dr-aurora-test-2026-11-30-03-10', true],
    ['arn:aws:rds:eu-west-1:123456789012:snapshot:rds:db-1-2026-11-30-03-10', true],
    ['arn:aws:rds:eu-west-1:123456789012:cluster-auto-backup:cab-abc123', true],
    ['arn:aws:rds:eu-west-1:123456789012:auto-backup:ab-abc123', true],
    ['arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster-snapshot:rds:x-2026', true],
    ['arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:awsbackup:job-0a1b2c', false],
    ['arn:aws:rds:eu-west-1:123456789012:snapshot:awsbackup:job-0a1b2c', false],
    ['arn:aws:backup:eu-west-1:123456789012:recovery-point:continuous:cluster-abc-1234', false],
    ['arn:aws:backup:eu-west-1:123456789012:recovery-point:0a1b2c3d-4e5f', false],
    ['arn:aws:dynamodb:eu-west-1:123456789012:table/dr-table-test/backup/01700000000000-abc', false],
    [undefined, false],
  ])('%s is one of RDS\'s automated backups: %s', (arn, expected) => {
    expect(isRdsAutomatedBackup(arn)).toBe(expected);
  });

  test('DynamoDB with PITR: the table\'s latest restorable time', async () => {
    dynamoMock.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', LatestRestorableDateTime: minutesAgo(4) },
      },
    });
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [point(50)] });
    const [m] = await measureAll(clients(), [TABLE], opts(fakeClock().clock));
    expect(m).toMatchObject({ status: 'MEASURED', restorableTimeAgeSeconds: 240, recoveryPointAgeSeconds: 3000, effectiveRpoSeconds: 240 });
    expect(dynamoMock.commandCalls(DescribeContinuousBackupsCommand)[0].args[0].input).toEqual({ TableName: TABLE.arn });
  });

  test('DynamoDB with PITR off: measured by its recovery points, and said so', async () => {
    dynamoMock.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } },
    });
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [point(50)] });
    const [m] = await measureAll(clients(), [TABLE], opts(fakeClock().clock));
    expect(m).toMatchObject({ status: 'MEASURED', effectiveRpoSeconds: 3000, detail: 'point-in-time recovery is DISABLED' });
  });

  test('never backed up: reported as NO_RECOVERY_POINT, not a crash and not a zero', async () => {
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [] });
    const [m] = await measureAll(clients(), [BUCKET], opts(fakeClock().clock));
    expect(m).toMatchObject({ status: 'NO_RECOVERY_POINT', detail: expect.stringContaining('nothing to restore from yet') });
    expect(m.effectiveRpoSeconds).toBeUndefined();
  });

  test.each([
    ['Aurora', AURORA, () => rdsMock.on(DescribeDBClustersCommand).rejects(named('DBClusterNotFoundFault', 'DBCluster dr-aurora-test not found'))],
    ['DynamoDB', TABLE, () => dynamoMock.on(DescribeContinuousBackupsCommand).rejects(named('TableNotFoundException', 'Table not found'))],
  ])('a deleted %s resource is NOT_FOUND, although its old recovery points remain', async (_type, resource, arrange) => {
    arrange();
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [point(30)] });
    const [m] = await measureAll(clients(), [resource], opts(fakeClock().clock));
    expect(m).toMatchObject({ name: resource.name, status: 'NOT_FOUND', detail: expect.stringContaining('no longer exists') });
    expect(m.effectiveRpoSeconds).toBeUndefined();
  });

  test('throttling is retried with growing, bounded backoff, and the measurement completes', async () => {
    backupMock.on(ListRecoveryPointsByResourceCommand).rejectsOnce(throttle()).rejectsOnce(throttle()).resolves({ RecoveryPoints: [point(15)] });
    const { clock, slept } = fakeClock();
    const [m] = await measureAll(clients(), [BUCKET], opts(clock));
    expect(m).toMatchObject({ status: 'MEASURED', recoveryPointAgeSeconds: 900 });
    expect(slept).toHaveLength(2);
    expect(slept[0]).toBeGreaterThanOrEqual(50);
    expect(slept[0]).toBeLessThanOrEqual(100);
    expect(slept[1]).toBeGreaterThanOrEqual(100);
    expect(slept[1]).toBeLessThanOrEqual(200);
  });

  test('throttling that outlasts the retries fails that resource only; the others are measured', async () => {
    backupMock.on(ListRecoveryPointsByResourceCommand, { ResourceArn: BUCKET.arn }).rejects(throttle());
    backupMock.on(ListRecoveryPointsByResourceCommand, { ResourceArn: AURORA.arn }).resolves({ RecoveryPoints: [point(30)] });
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ LatestRestorableTime: minutesAgo(6) }] });
    const results = await measureAll(clients(), [BUCKET, AURORA], opts(fakeClock().clock));
    expect(results.map((r) => [r.name, r.status])).toEqual([['bucket', 'ERROR'], ['aurora', 'MEASURED']]);
    expect(results[0].detail).toBe('ThrottlingException: Rate exceeded');
    expect(backupMock.commandCalls(ListRecoveryPointsByResourceCommand, { ResourceArn: BUCKET.arn })).toHaveLength(4);
  });

  test('no retry starts past the deadline', async () => {
    backupMock.on(ListRecoveryPointsByResourceCommand).rejects(throttle());
    const [m] = await measureAll(clients(), [BUCKET], opts(fakeClock().clock, { deadline: NOW + 10 }));
    expect(m.status).toBe('ERROR');
    expect(backupMock.commandCalls(ListRecoveryPointsByResourceCommand)).toHaveLength(1);
  });

  test('an access error is not retried and hides no other resource', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(named('AccessDenied', 'not authorized to perform rds:DescribeDBClusters'));
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [point(30)] });
    const results = await measureAll(clients(), [AURORA, BUCKET], opts(fakeClock().clock));
    expect(results.map((r) => r.status)).toEqual(['ERROR', 'MEASURED']);
    expect(results[0].detail).toContain('not authorized');
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)).toHaveLength(1);
  });

  test('an API clock ahead of ours gives age 0 and a remark, never a negative age', async () => {
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [{ ...point(0), CreationDate: new Date(NOW + 90_000) }] });
    const [m] = await measureAll(clients(), [BUCKET], opts(fakeClock().clock));
    expect(m).toMatchObject({ status: 'MEASURED', effectiveRpoSeconds: 0, detail: expect.stringContaining('90 s ahead') });
  });

  test('ages follow the clock, not the moment the test runs', async () => {
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [point(0)] });
    const [m] = await measureAll(clients(), [BUCKET], opts(fakeClock(NOW + 3 * 3_600_000).clock));
    expect(m.effectiveRpoSeconds).toBe(3 * 3600);
  });

  test('concurrency is bounded and every resource is answered in order', async () => {
    let inFlight = 0;
    let peak = 0;
    backupMock.on(ListRecoveryPointsByResourceCommand).callsFake(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return { RecoveryPoints: [point(10)] };
    });
    const many = Array.from({ length: 12 }, (_, i) => ({ ...BUCKET, name: `bucket-${i}`, arn: `${BUCKET.arn}-${i}` }));
    const results = await measureAll(clients(), many, opts(fakeClock().clock, { concurrency: 3 }));
    expect(peak).toBe(3);
    expect(results.map((r) => r.name)).toEqual(many.map((r) => r.name));
    expect(results.every((r) => r.status === 'MEASURED')).toBe(true);
  });
});

describe('measureDrills', () => {
  test('per resource type, the newest SUCCESSFUL validation of this plan; none found is left unknown', async () => {
    const plan = 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:dr_drills_test-abc';
    backupMock.on(ListRestoreJobsCommand)
      .resolvesOnce({
        RestoreJobs: [
          { RestoreJobId: 'old', ResourceType: 'Aurora', ValidationStatus: 'SUCCESSFUL', CompletionDate: minutesAgo(60 * 24 * 8) },
          { RestoreJobId: 'failed', ResourceType: 'Aurora', ValidationStatus: 'FAILED', CompletionDate: minutesAgo(60) },
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({ RestoreJobs: [{ RestoreJobId: 'new', ResourceType: 'Aurora', ValidationStatus: 'SUCCESSFUL', CompletionDate: minutesAgo(120) }] });
    const drills = await measureDrills(new BackupClient({}), { name: 'snapshot', arn: plan, types: ['Aurora', 'S3'] }, 30, opts(fakeClock().clock));
    expect(drills).toEqual([{ plan: 'snapshot', resourceType: 'Aurora', hours: 2, restoreJobId: 'new' }, { plan: 'snapshot', resourceType: 'S3' }]);
    const input = backupMock.commandCalls(ListRestoreJobsCommand)[0].args[0].input;
    expect(input).toMatchObject({ ByRestoreTestingPlanArn: plan, ByCreatedAfter: new Date(NOW - 30 * 86_400_000) });
  });
});

describe('publish (embedded metric format through Powertools)', () => {
  let lines: any[];
  let write: jest.SpyInstance;
  beforeEach(() => {
    lines = [];
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
      lines.push(JSON.parse(String(chunk)));
      return true;
    });
  });
  afterEach(() => write.mockRestore());

  test('one document per measured resource with its own dimensions; failures are counted, not given an age', () => {
    publish('test', [
      { name: 'aurora', arn: AURORA.arn, type: 'Aurora', status: 'MEASURED', recoveryPointAgeSeconds: 600, restorableTimeAgeSeconds: 300, effectiveRpoSeconds: 300 },
      { name: 'bucket', arn: BUCKET.arn, type: 'S3', status: 'MEASURED', recoveryPointAgeSeconds: 1200, effectiveRpoSeconds: 1200 },
      { name: 'table', arn: TABLE.arn, type: 'DynamoDB', status: 'NOT_FOUND' },
    ], [{ plan: 'continuous', resourceType: 'Aurora', hours: 26.5 }, { plan: 'continuous', resourceType: 'S3' }], NOW);

    expect(lines).toHaveLength(4);
    const [aurora, bucket, failures, drill] = lines;
    expect(aurora._aws.Timestamp).toBe(NOW);
    expect(aurora._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'CdkDrPlatform/Recovery',
      Dimensions: [expect.arrayContaining(['service', 'Environment', 'Resource'])],
    });
    expect(aurora).toMatchObject({ service: 'recovery-point-monitor', Environment: 'test', Resource: 'aurora', EffectiveRpo: 300, BackupRecoveryPointAge: 600, RestorableTimeAge: 300 });
    expect(bucket).toMatchObject({ Resource: 'bucket', EffectiveRpo: 1200, BackupRecoveryPointAge: 1200 });
    expect(bucket.RestorableTimeAge).toBeUndefined();
    expect(failures).toMatchObject({ Environment: 'test', MeasurementFailures: 1 });
    expect(failures.Resource).toBeUndefined();
    expect(drill).toMatchObject({ ResourceType: 'Aurora', DrillPlan: 'continuous', LastValidatedDrillAge: 26.5 });
    expect(drill._aws.CloudWatchMetrics[0].Dimensions).toEqual([expect.arrayContaining(['service', 'Environment', 'ResourceType', 'DrillPlan'])]);
    expect(lines.some((l) => l.Resource === 'table')).toBe(false);
  });
});

describe('readConfig', () => {
  const good = { ENVIRONMENT: 'test', RESOURCES: JSON.stringify([AURORA]) };
  const plans = [{ name: 'snapshot', arn: 'arn:plan-1', types: ['Aurora', 'S3'] }, { name: 'continuous', arn: 'arn:plan-2', types: ['S3'] }];
  test('reads resources and the drill plans, each with its types', () => {
    expect(readConfig({ ...good, DRILL_PLANS: JSON.stringify(plans) })).toEqual({
      environment: 'test', resources: [AURORA], drillPlans: plans, lookbackDays: 33,
    });
    expect(readConfig(good).drillPlans).toEqual([]);
  });
  test.each([
    [{ RESOURCES: good.RESOURCES }, 'ENVIRONMENT must be set'],
    [{ ENVIRONMENT: 'test' }, 'RESOURCES must be a JSON array'],
    [{ ENVIRONMENT: 'test', RESOURCES: '{}' }, 'RESOURCES must be a non-empty JSON array'],
    [{ ENVIRONMENT: 'test', RESOURCES: '[]' }, 'RESOURCES must be a non-empty JSON array'],
    [{ ENVIRONMENT: 'test', RESOURCES: '[{"name":"x","arn":"not-an-arn","type":"S3"}]' }, 'with ARNs'],
    [{ ...good, DRILL_LOOKBACK_DAYS: '0' }, 'DRILL_LOOKBACK_DAYS must be a positive number'],
    [{ ...good, DRILL_PLANS: 'arn:plan' }, 'DRILL_PLANS must be a JSON array of {name, arn, types}'],
    [{ ...good, DRILL_PLANS: '{}' }, 'DRILL_PLANS must be a JSON array'],
    [{ ...good, DRILL_PLANS: '[{"name":"a","arn":"plan","types":["S3"]}]' }, 'with ARNs'],
    [{ ...good, DRILL_PLANS: '[{"name":"a","arn":"arn:p","types":[]}]' }, 'at least one type each'],
    [{ ...good, DRILL_PLANS: '[{"name":"","arn":"arn:p","types":["S3"]}]' }, 'DRILL_PLANS must be'],
  ])('bad configuration %j is refused clearly', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});

/** Runs `fn` with stdout (the EMF documents), console.log and console.error captured, and restores them after. */
async function captured(fn: (c: { out: string[]; log: jest.SpyInstance; error: jest.SpyInstance }) => Promise<void>): Promise<void> {
  const out: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => { out.push(String(c)); return true; });
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await fn({ out, log, error });
  } finally {
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}

describe('handler', () => {
  const saved = { ...process.env };
  afterEach(() => { process.env = saved; });

  test('measures, logs each resource, publishes, and does not throw when one resource fails', async () => {
    process.env = { ...saved, ENVIRONMENT: 'test', RESOURCES: JSON.stringify([AURORA, BUCKET]) };
    rdsMock.on(DescribeDBClustersCommand).rejects(named('DBClusterNotFoundFault'));
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [point(30)] });
    await captured(async ({ out, log, error }) => {
      const result = await handler({}, { getRemainingTimeInMillis: () => 60_000 });
      expect(result.measurements.map((m) => m.status)).toEqual(['NOT_FOUND', 'MEASURED']);
      expect(error).toHaveBeenCalledWith(expect.stringContaining('"status":"NOT_FOUND"'));
      expect(log).toHaveBeenCalledWith(expect.stringContaining('"status":"MEASURED"'));
      expect(out.map((l) => JSON.parse(l)).find((l) => l.Resource === 'bucket')).toMatchObject({ EffectiveRpo: expect.any(Number) });
      expect(backupMock.commandCalls(ListRestoreJobsCommand)).toHaveLength(0);
    });
  });

  test('each drill plan is listed on its own: one that cannot be listed is logged and publishes nothing, the other still publishes', async () => {
    const snapshot = 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:dr_drills_test-a';
    const continuous = 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:dr_pitr_test-b';
    process.env = {
      ...saved,
      ENVIRONMENT: 'test',
      RESOURCES: JSON.stringify([BUCKET]),
      DRILL_PLANS: JSON.stringify([{ name: 'snapshot', arn: snapshot, types: ['S3'] }, { name: 'continuous', arn: continuous, types: ['S3'] }]),
    };
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [point(30)] });
    backupMock.on(ListRestoreJobsCommand, { ByRestoreTestingPlanArn: snapshot })
      .resolves({ RestoreJobs: [{ RestoreJobId: 'j1', ResourceType: 'S3', ValidationStatus: 'SUCCESSFUL', CompletionDate: new Date(Date.now() - 3_600_000) }] });
    backupMock.on(ListRestoreJobsCommand, { ByRestoreTestingPlanArn: continuous }).rejects(named('AccessDeniedException'));
    await captured(async ({ out, error }) => {
      const result = await handler({}, { getRemainingTimeInMillis: () => 60_000 });
      expect(result.drills).toEqual([{ plan: 'snapshot', resourceType: 'S3', hours: expect.closeTo(1, 1), restoreJobId: 'j1' }]);
      expect(error).toHaveBeenCalledWith(expect.stringContaining('could not list the restore drills of the continuous plan'));
      const drillDocs = out.map((l) => JSON.parse(l)).filter((l) => l.LastValidatedDrillAge !== undefined);
      expect(drillDocs.map((d) => d.DrillPlan)).toEqual(['snapshot']);
    });
  });

  test('a cluster with only RDS\'s automated snapshots publishes its effective RPO and no AWS Backup age', async () => {
    process.env = { ...saved, ENVIRONMENT: 'test', RESOURCES: JSON.stringify([AURORA]) };
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ LatestRestorableTime: new Date(Date.now() - 300_000) }] });
    backupMock.on(ListRecoveryPointsByResourceCommand).resolves({
      RecoveryPoints: [{ RecoveryPointArn: 'arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:dr-aurora-test-1', CreationDate: new Date(), Status: 'AVAILABLE' }],
    });
    await captured(async ({ out }) => {
      await handler({}, { getRemainingTimeInMillis: () => 60_000 });
      const doc = out.map((l) => JSON.parse(l)).find((l) => l.Resource === 'aurora');
      expect(doc).toMatchObject({ EffectiveRpo: expect.any(Number), RestorableTimeAge: expect.any(Number) });
      expect(doc.BackupRecoveryPointAge).toBeUndefined();
      expect(JSON.stringify(doc._aws.CloudWatchMetrics)).not.toContain('BackupRecoveryPointAge');
    });
  });

  test('clients use adaptive retry', async () => {
    const c = createClients();
    for (const client of [c.backup, c.dynamodb, c.rds]) {
      expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    }
  });
});
