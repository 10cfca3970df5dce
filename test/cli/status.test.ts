import {
  BackupJobState, CopyJobState, DescribeBackupVaultCommand, ListBackupJobsCommand, ListCopyJobsCommand, ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand, ListRestoreJobsByProtectedResourceCommand, ListTagsCommand, RecoveryPointStatus,
} from '@aws-sdk/client-backup';
import { DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { Duration } from 'aws-cdk-lib';
import {
  ACCOUNT, ARNS, awsError, backup, cdkDr, cfn, ddb, healthyWorld, minutesAgo, point, rds, REGION, STACK_RESOURCES, stackStatus,
} from './status-world';
import { STATEFUL } from '../../src/cli/posture-model';
import { createStatusClients } from '../../src/cli/status-aws';
import {
  FAILED_BACKUP_JOB_STATES, FAILED_COPY_JOB_STATES, parseIsoDuration, rpoFromObjectivesOutput, STACK_KINDS,
} from '../../src/cli/status-model';
import { USABLE_RECOVERY_POINT_STATUSES } from '../../src/recovery-point-monitor/recovery-point-age.lambda';

const NO_TRACE = /\n\s+at /;

beforeEach(() => healthyWorld());

const row = (report: any, name: string) => report.resources.find((r: any) => r.name === name);

describe('a stack with every resource type', () => {
  test('reports each protected resource with its ARN, newest point, restorable time and effective RPO; exit 0', async () => {
    const r = await stackStatus(['--rpo', '1h', '--json']);
    expect(r.code).toBe(0);
    const report = r.json();
    expect(report.resources.map((x: any) => x.name).sort()).toEqual(Object.keys(ARNS).sort());
    for (const [name, arn] of Object.entries(ARNS)) {
      const x = row(report, name);
      expect(x.arn).toBe(arn);
      expect(x.newestRecoveryPoint).toMatchObject({ createdAt: minutesAgo(30).toISOString(), status: 'AVAILABLE', sizeBytes: 5 * 1024 ** 3 });
      expect(x.recoveryPointAgeSeconds).toBe(1800);
      expect(x.lastBackupJob).toMatchObject({ id: 'b-new', state: 'COMPLETED' });
      expect(x.lastCopyJob).toMatchObject({ id: 'c-1', state: 'COMPLETED' });
      expect(x.rpo).toBe('MET');
      expect(x.errors).toEqual([]);
    }
    // Own point-in-time recovery where the service reports it; S3, EFS and EBS rest on their recovery points.
    for (const name of ['Database', 'Legacy', 'Orders', 'Carts']) {
      expect(row(report, name)).toMatchObject({ restorableTimeAgeSeconds: 300, effectiveRpoSeconds: 300 });
    }
    for (const name of ['Assets', 'Files', 'Disk']) {
      expect(row(report, name).latestRestorableTime).toBeUndefined();
      expect(row(report, name).effectiveRpoSeconds).toBe(1800);
    }
    expect(row(report, 'Database').kind).toBe('Aurora');
    expect(row(report, 'Disk').kind).toBe('EBS');
    expect(report.target).toEqual({ seconds: 3600, source: '--rpo' });
    expect(report.summary).toEqual({ resources: 7, ok: 7, withProblems: 0, withErrors: 0 });
    expect(r.err).toBe('');
  });

  test('the table shows every resource, the target and the summary', async () => {
    const r = await stackStatus(['--rpo', '1h']);
    expect(r.code).toBe(0);
    for (const name of Object.keys(ARNS)) expect(r.out).toContain(name);
    expect(r.out).toMatch(/RPO target: 1h \(--rpo\)/);
    expect(r.out).toMatch(/met \(<= 1h\)/);
    expect(r.out).toMatch(/5\.0 GiB/);
    expect(r.out).toMatch(/7 resources: 7 ok, 0 with problems/);
    expect(r.out).not.toContain('Api');
  });

  test('every type the command reads from a stack has an ARN form in the posture model (one fact, one place)', () => {
    for (const type of Object.keys(STACK_KINDS)) expect(STATEFUL[type]?.arn).toBeDefined();
  });

  test('nested stacks are followed and named by their path', async () => {
    const nestedArn = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Shop-Inner-1/abc`;
    cfn.on(ListStackResourcesCommand, { StackName: 'Shop' }).resolves({
      StackResourceSummaries: [{ LogicalResourceId: 'Inner', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: nestedArn, ResourceStatus: 'CREATE_COMPLETE' as const, LastUpdatedTimestamp: new Date() }],
    });
    cfn.on(ListStackResourcesCommand, { StackName: nestedArn }).resolves({ StackResourceSummaries: [STACK_RESOURCES[2]] });
    const report = (await stackStatus(['--json'])).json();
    expect(report.resources.map((x: any) => x.name)).toEqual(['Inner/Orders']);
  });

  test('an instance of an Aurora cluster is not judged on its own', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'shop-legacy', DBClusterIdentifier: 'shop-db' }] });
    const r = await stackStatus(['--rpo', '1m', '--json']);
    expect(row(r.json(), 'Legacy')).toMatchObject({ rpo: 'NOT_APPLICABLE', problems: [], errors: [] });
    expect(backup.calls().filter((c) => JSON.stringify(c.args[0].input).includes(ARNS.Legacy))).toHaveLength(0);
  });

  test('the newest restore job is the last drill; a completed one has a measured RTO', async () => {
    backup.on(ListRestoreJobsByProtectedResourceCommand).resolves({
      RestoreJobs: [
        { RestoreJobId: 'r-old', Status: 'COMPLETED', CreationDate: minutesAgo(3000), CompletionDate: minutesAgo(2900) },
        { RestoreJobId: 'r-new', Status: 'COMPLETED', ValidationStatus: 'SUCCESSFUL', CreationDate: minutesAgo(600), CompletionDate: minutesAgo(555) },
      ],
    });
    const r = await stackStatus(['--json']);
    expect(row(r.json(), 'Orders').lastDrill).toMatchObject({ id: 'r-new', validationStatus: 'SUCCESSFUL', measuredRtoSeconds: 45 * 60 });
    backup.on(ListRestoreJobsByProtectedResourceCommand).resolves({ RestoreJobs: [{ RestoreJobId: 'r-run', Status: 'RUNNING', CreationDate: minutesAgo(5) }] });
    expect(row((await stackStatus(['--json'])).json(), 'Orders').lastDrill.measuredRtoSeconds).toBeUndefined();
  });

  test('a point stamped after now (clock skew) counts as 0 s old, with a note', async () => {
    backup.on(ListRecoveryPointsByResourceCommand).callsFake((input) => ({ RecoveryPoints: [point(input.ResourceArn, -2)] }));
    const x = row((await stackStatus(['--json'])).json(), 'Assets');
    expect(x.recoveryPointAgeSeconds).toBe(0);
    expect(x.notes.join()).toMatch(/120 s ahead/);
  });
});

describe('the RPO target', () => {
  test('comes from the platform\'s RecoveryObjectives output when --rpo is absent (the strictest of several)', async () => {
    healthyWorld({
      outputs: [
        { OutputKey: 'PlatformRecoveryObjectivesA1B2', OutputValue: 'RPO 1 hour, RTO 4 hours' },
        { OutputKey: 'OtherRecoveryObjectivesC3D4', OutputValue: 'RPO 20 minutes, RTO 4 hours' },
      ],
    });
    const report = (await stackStatus(['--json'])).json();
    expect(report.target).toEqual({ seconds: 1200, source: 'stack output OtherRecoveryObjectivesC3D4 (smallest of 2)' });
    expect(row(report, 'Assets').rpo).toBe('BREACHED');
  });

  test('a DR-RPO stack tag wins over the output; --rpo wins over both', async () => {
    healthyWorld({ outputs: [{ OutputKey: 'PRecoveryObjectives', OutputValue: 'RPO 1 hour, RTO 4 hours' }], tags: [{ Key: 'DR-RPO', Value: 'PT2H' }] });
    expect((await stackStatus(['--json'])).json().target).toEqual({ seconds: 7200, source: 'stack tag DR-RPO=PT2H' });
    expect((await stackStatus(['--json', '--rpo', '10m'])).json().target).toEqual({ seconds: 600, source: '--rpo' });
  });

  test('without one nothing is judged: "no target", exit 0 even with old points', async () => {
    backup.on(ListRecoveryPointsByResourceCommand).callsFake((input) => ({ RecoveryPoints: [point(input.ResourceArn, 100_000)] }));
    const r = await stackStatus();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/RPO target: no target/);
    expect(r.out).toMatch(/no target/);
  });

  test('a vault whose tags cannot be read: a warning, no target, the rest reported', async () => {
    backup.on(ListTagsCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform backup:ListTags'));
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [{ ...point(ARNS.Assets, 30), ResourceType: 'S3' }] });
    const r = await cdkDr(['status', '--vault', 'shop-vault', '--region', REGION, '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^cdk-dr: warning: could not read the vault's tags, so no target from its DR-RPO tag \(AccessDeniedException/);
    expect(r.json().target).toEqual({ source: 'none' });
    expect(r.json().resources).toHaveLength(1);
  });

  test('the vault\'s DR-RPO tag is the target of --vault', async () => {
    backup.on(ListTagsCommand).resolves({ Tags: { 'DR-RPO': 'PT1H' } });
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [{ ...point(ARNS.Orders, 30), ResourceType: 'DynamoDB', ResourceName: 'shop-orders' }] });
    const report = (await cdkDr(['status', '--vault', 'shop-vault', '--region', REGION, '--json'])).json();
    expect(report.target).toEqual({ seconds: 3600, source: 'vault tag DR-RPO=PT1H' });
    expect(report.resources).toEqual([expect.objectContaining({ name: 'shop-orders', kind: 'DynamoDB', arn: ARNS.Orders, rpo: 'MET' })]);
  });
});

describe('exit 1: a breach or a failed last job', () => {
  test('an effective RPO over the target breaches: exit 1, the row says by how much', async () => {
    ddb.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    });
    const r = await stackStatus(['--rpo', '15m', '--json']);
    expect(r.code).toBe(1);
    const orders = row(r.json(), 'Orders');
    expect(orders).toMatchObject({ rpo: 'BREACHED', effectiveRpoSeconds: 1800, problems: ['effective RPO 30m exceeds the target 15m'] });
    expect(orders.notes).toContain('point-in-time recovery is DISABLED');
    expect(row(r.json(), 'Database').rpo).toBe('MET');
  });

  test('nothing to restore from breaches any target', async () => {
    backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [] });
    const r = await stackStatus(['--rpo', '1d', '--json']);
    expect(r.code).toBe(1);
    expect(row(r.json(), 'Assets').problems).toEqual(['nothing to restore from: no usable recovery point and no restorable time']);
  });

  test.each(Object.values(BackupJobState))('a last backup job %s: exit 1 only for a failed state', async (state) => {
    backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [{ BackupJobId: 'b', State: state, CreationDate: minutesAgo(10), StatusMessage: 'why' }] });
    const r = await stackStatus(['--json']);
    const failed = FAILED_BACKUP_JOB_STATES.has(state);
    expect(r.code).toBe(failed ? 1 : 0);
    expect(row(r.json(), 'Assets').problems).toEqual(failed ? [`last backup job ${state}: why`] : []);
  });

  test.each(Object.values(CopyJobState))('a last copy job %s: exit 1 only for a failed state', async (state) => {
    backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [{ CopyJobId: 'c', State: state, CreationDate: minutesAgo(10) }] });
    const r = await stackStatus(['--json']);
    expect(r.code).toBe(FAILED_COPY_JOB_STATES.has(state) ? 1 : 0);
  });
});

describe('recovery points are counted as the RecoveryPointMonitor counts them', () => {
  test.each(Object.values(RecoveryPointStatus))('a newest point %s', async (status) => {
    backup.on(ListRecoveryPointsByResourceCommand).callsFake((input) => ({
      RecoveryPoints: [point(input.ResourceArn, 10, status, 'newest'), point(input.ResourceArn, 50, 'AVAILABLE', 'older')],
    }));
    const x = row((await stackStatus(['--json'])).json(), 'Assets');
    const usable = USABLE_RECOVERY_POINT_STATUSES.has(status);
    expect(x.newestRecoveryPoint.status).toBe(usable ? status : 'AVAILABLE');
    expect(x.recoveryPointAgeSeconds).toBe(usable ? 600 : 3000);
    expect(x.notes.some((n: string) => n.includes(`is ${status}, not usable`))).toBe(!usable);
  });

  test('RDS\'s own automated snapshots never stand in for AWS Backup\'s, and only AWS Backup\'s points are asked for', async () => {
    backup.on(ListRecoveryPointsByResourceCommand).resolves({
      RecoveryPoints: [
        { ...point(ARNS.Database, 1), RecoveryPointArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:rds:shop-db-2026-06-01-11-59` },
        point(ARNS.Database, 120),
      ],
    });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{}] });
    const x = row((await stackStatus(['--json'])).json(), 'Database');
    expect(x.recoveryPointAgeSeconds).toBe(7200);
    for (const call of backup.commandCalls(ListRecoveryPointsByResourceCommand)) expect(call.args[0].input.ManagedByAWSBackupOnly).toBe(true);
  });
});

describe('pagination', () => {
  test('every list call reads every page', async () => {
    const pages = [STACK_RESOURCES.slice(0, 3), STACK_RESOURCES.slice(3, 5), STACK_RESOURCES.slice(5)];
    cfn.on(ListStackResourcesCommand)
      .resolvesOnce({ StackResourceSummaries: pages[0], NextToken: 't1' })
      .resolvesOnce({ StackResourceSummaries: pages[1], NextToken: 't2' })
      .resolvesOnce({ StackResourceSummaries: pages[2] });
    // The newest point, backup job and restore job are on the last page.
    backup.on(ListRecoveryPointsByResourceCommand).callsFake((input) => ({
      RecoveryPoints: [point(input.ResourceArn, input.NextToken ? 2 : 500 + (input.NextToken?.length ?? 0))],
      NextToken: input.NextToken === undefined ? 'a' : input.NextToken === 'a' ? 'b' : undefined,
    }));
    backup.on(ListBackupJobsCommand).callsFake((input) => ({
      BackupJobs: [{ BackupJobId: input.NextToken ?? 'first', State: 'COMPLETED', CreationDate: minutesAgo(input.NextToken ? 1 : 60) }],
      NextToken: input.NextToken ? undefined : 'n',
    }));
    backup.on(ListRestoreJobsByProtectedResourceCommand).callsFake((input) => ({
      RestoreJobs: [{ RestoreJobId: input.NextToken ?? 'first', Status: 'COMPLETED', CreationDate: minutesAgo(input.NextToken ? 100 : 900), CompletionDate: minutesAgo(input.NextToken ? 90 : 890) }],
      NextToken: input.NextToken ? undefined : 'n',
    }));
    const report = (await stackStatus(['--json'])).json();
    expect(report.resources).toHaveLength(7);
    expect(cfn.commandCalls(ListStackResourcesCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 't1', 't2']);
    expect(row(report, 'Disk')).toMatchObject({ recoveryPointAgeSeconds: 120, lastBackupJob: { id: 'n' }, lastDrill: { id: 'n' } });
    expect(backup.commandCalls(ListRecoveryPointsByResourceCommand)).toHaveLength(7 * 3);
  });

  test('a vault\'s recovery points are read page by page, one row per resource', async () => {
    backup.on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [{ ...point(ARNS.Orders, 30), ResourceType: 'DynamoDB' }, { ...point(ARNS.Orders, 90), ResourceType: 'DynamoDB' }], NextToken: 'x' })
      .resolvesOnce({ RecoveryPoints: [{ ...point(ARNS.Database, 30), ResourceType: 'Aurora' }], NextToken: 'y' })
      .resolvesOnce({ RecoveryPoints: [{ ...point(ARNS.Files, 30), ResourceType: 'EFS' }] });
    const r = await cdkDr(['status', '--vault', 'shop-vault', '--region', REGION, '--json']);
    expect(r.code).toBe(0);
    expect(r.json().resources.map((x: any) => [x.name, x.kind])).toEqual([['fs-0123456789abcdef0', 'EFS'], ['shop-db', 'Aurora'], ['shop-orders', 'DynamoDB']]);
    expect(rds.commandCalls(DescribeDBClustersCommand)[0].args[0].input.DBClusterIdentifier).toBe('shop-db');
  });
});

describe('throttling and partial failure', () => {
  test('throttling is retried until it succeeds', async () => {
    backup.on(ListRecoveryPointsByResourceCommand, { ResourceArn: ARNS.Assets })
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ RecoveryPoints: [point(ARNS.Assets, 30)] });
    const r = await stackStatus(['--rpo', '1h', '--json']);
    expect(r.code).toBe(0);
    expect(row(r.json(), 'Assets')).toMatchObject({ recoveryPointAgeSeconds: 1800, errors: [] });
    expect(backup.commandCalls(ListRecoveryPointsByResourceCommand, { ResourceArn: ARNS.Assets })).toHaveLength(3);
  });

  test('one resource\'s failed call is in its row, exit 2, and every other resource still reports', async () => {
    ddb.on(DescribeContinuousBackupsCommand, { TableName: 'shop-orders' }).rejects(awsError('AccessDeniedException', 'not authorized to perform dynamodb:DescribeContinuousBackups'));
    const r = await stackStatus(['--rpo', '1h', '--json']);
    expect(r.code).toBe(2);
    const report = r.json();
    // Its recovery point still proves the target met; the failure is said.
    expect(row(report, 'Orders')).toMatchObject({ rpo: 'MET', effectiveRpoSeconds: 1800 });
    expect(row(report, 'Orders').errors).toEqual(['latest restorable time: AccessDeniedException: not authorized to perform dynamodb:DescribeContinuousBackups']);
    expect(report.summary).toEqual({ resources: 7, ok: 6, withProblems: 0, withErrors: 1 });
    const table = await stackStatus(['--rpo', '1h']);
    expect(table.out).toMatch(/ERROR latest restorable time:/);
    expect(table.out).toMatch(/unknown \(error\)/);
  });

  test('a failed call leaves a breach unknown rather than made up', async () => {
    backup.on(ListRecoveryPointsByResourceCommand, { ResourceArn: ARNS.Assets }).rejects(awsError('ServiceUnavailableException', 'down', 503));
    const r = await stackStatus(['--rpo', '1h', '--json']);
    expect(r.code).toBe(2);
    expect(row(r.json(), 'Assets')).toMatchObject({ rpo: 'UNKNOWN', problems: [] });
  });

  test('a resource deleted since is reported, not an error', async () => {
    rds.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFoundFault', 'DBCluster shop-db not found'));
    const x = row((await stackStatus(['--json'])).json(), 'Database');
    expect(x.errors).toEqual([]);
    expect(x.notes).toContain('the cluster no longer exists in this region');
  });
});

describe('errors that stop the command: exit 2, one line, no stack trace', () => {
  test.each([
    ['missing credentials', awsError('CredentialsProviderError', 'Could not load credentials from any providers'), /^cdk-dr: no AWS credentials found: set AWS_PROFILE/],
    ['an unknown stack', awsError('ValidationError', 'Stack with id Shop does not exist'), /^cdk-dr: stack "Shop" not found in eu-west-1/],
    ['access denied', awsError('AccessDenied', 'User is not authorized to perform: cloudformation:DescribeStacks'), /^cdk-dr: access denied calling cloudformation:DescribeStacks/],
    ['expired credentials', awsError('ExpiredToken', 'The security token included in the request is expired'), /^cdk-dr: access denied/],
  ])('%s', async (_what, error, message) => {
    cfn.on(DescribeStacksCommand).rejects(error);
    const r = await stackStatus();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(NO_TRACE);
    expect(r.out).toBe('');
    // --debug adds the stack traces, the SDK's error's included.
    const debug = await stackStatus(['--debug']);
    expect(debug.err).toMatch(NO_TRACE);
    expect(debug.err).toMatch(/Caused by/);
  });

  test('no region anywhere', async () => {
    const saved = { ...process.env };
    for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[k];
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    try {
      const r = await cdkDr(['status', '--stack', 'Shop']);
      expect([r.code, r.err.trim()]).toEqual([2, 'cdk-dr: no AWS region: pass --region or set AWS_REGION (or a region in your AWS profile)']);
    } finally {
      process.env = saved;
    }
  });

  test('an unknown vault', async () => {
    backup.on(DescribeBackupVaultCommand).rejects(awsError('ResourceNotFoundException', 'Backup vault nope not found'));
    const r = await cdkDr(['status', '--vault', 'nope', '--region', REGION]);
    expect([r.code, r.err.trim()]).toEqual([2, 'cdk-dr: backup vault "nope" not found in eu-west-1 (check --vault and --region)']);
  });
});

describe('usage errors: exit 2 naming the flag', () => {
  test.each([
    [['status', '--region', REGION], /exactly one of --stack NAME or --vault NAME, got neither/],
    [['status', '--stack', 'Shop', '--vault', 'v', '--region', REGION], /exactly one of --stack NAME or --vault NAME, got both/],
    ...['0', '65', '1.5', 'abc', '-1', ''].map((c) => [['status', '--stack', 'Shop', '--concurrency', c], /--concurrency must be a whole number from 1 to 64/]),
    ...['1x', '0m', 'soon', '-5m', ''].map((rpo) => [['status', '--stack', 'Shop', '--rpo', rpo], /--rpo must be a duration/]),
    ...['1stack', 'my_stack', 'a'.repeat(129)].map((s) => [['status', '--stack', s], /--stack must be a CloudFormation stack name/]),
    ...['v', 'my vault', 'v'.repeat(51)].map((v) => [['status', '--vault', v], /--vault must be a backup vault name/]),
    [['status', '--stack', 'Shop', '--region', 'Europe'], /--region must be an AWS region/],
  ] as Array<[string[], RegExp]>)('%j', async (args, message) => {
    const r = await cdkDr(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(cfn.calls()).toHaveLength(0);
    expect(backup.calls()).toHaveLength(0);
  });
});

describe('output', () => {
  test('--json has the source, time, target, one object per resource, the summary and the exit code', async () => {
    const report = (await stackStatus(['--json', '--rpo', '1h'])).json();
    expect(Object.keys(report)).toEqual(['source', 'generatedAt', 'target', 'resources', 'summary', 'exitCode']);
    expect(report.source).toEqual({ stack: 'Shop', region: REGION });
    expect(report.generatedAt).toBe('2026-06-01T12:00:00.000Z');
    expect(report.exitCode).toBe(0);
    expect(Object.keys(row(report, 'Orders')).sort()).toEqual([
      'arn', 'effectiveRpoSeconds', 'errors', 'kind', 'lastBackupJob', 'lastCopyJob', 'latestRestorableTime', 'name', 'newestRecoveryPoint',
      'notes', 'problems', 'recoveryPointAgeSeconds', 'restorableTimeAgeSeconds', 'rpo',
    ]);
  });

  test('progress goes to a terminal\'s stderr only, never in --json mode nor to stdout', async () => {
    const tty = await stackStatus([], { tty: true });
    expect(tty.progress).toMatch(/cdk-dr status: 7\/7 resources/);
    expect(tty.progress.endsWith('\r\x1b[K')).toBe(true);
    expect(tty.out).not.toMatch(/cdk-dr status: \d/);
    expect((await stackStatus(['--json'], { tty: true })).progress).toBe('');
    const piped = await stackStatus();
    expect([piped.progress, piped.err]).toEqual(['', '']);
  });
});

test('--concurrency bounds the AWS calls in flight', async () => {
  let inFlight = 0;
  let most = 0;
  const slow = async (result: object) => {
    most = Math.max(most, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    inFlight--;
    return result;
  };
  backup.on(ListRecoveryPointsByResourceCommand).callsFake((input) => slow({ RecoveryPoints: [point(input.ResourceArn, 30)] }));
  backup.on(ListBackupJobsCommand).callsFake(() => slow({ BackupJobs: [] }));
  backup.on(ListCopyJobsCommand).callsFake(() => slow({ CopyJobs: [] }));
  backup.on(ListRestoreJobsByProtectedResourceCommand).callsFake(() => slow({ RestoreJobs: [] }));
  for (const limit of [1, 3]) {
    most = 0;
    expect((await stackStatus(['--concurrency', String(limit)])).code).toBe(0);
    expect(most).toBe(limit);
  }
});

describe('the platform\'s stated RPO reads back', () => {
  // Every RPO a platform may state, from a minute to 35 days, as its output
  // (toHumanString) and its DR-RPO tag (toIsoString) write it.
  const minutes = [...Array.from({ length: 180 }, (_, i) => i + 1), ...Array.from({ length: 200 }, (_, i) => 181 + i * 251)];
  test.each(minutes.map((m) => [m]))('%i minutes', (m) => {
    const d = Duration.minutes(m);
    expect(parseIsoDuration(d.toIsoString())).toBe(d.toSeconds());
    const fromOutput = rpoFromObjectivesOutput(`RPO ${d.toHumanString()}, RTO 4 hours`)!;
    // toHumanString keeps two components: what it drops makes the target stricter, never looser.
    expect(fromOutput).toBeLessThanOrEqual(d.toSeconds());
    expect(d.toSeconds() - fromOutput).toBeLessThan(3600);
    if (/^\d+ \w+$/.test(d.toHumanString()) || m < 1440) expect(fromOutput).toBe(d.toSeconds());
  });

  test.each(['', 'PT0S', 'soon', '1h', 'P'])('a DR-RPO tag of %j is no target', (tag) => {
    expect(parseIsoDuration(tag)).toBeUndefined();
  });
});

test('every client retries adaptively (client-side rate limiting), with the attempts given', async () => {
  const clients = createStatusClients(REGION, 3);
  for (const client of Object.values(clients)) {
    expect(await client.config.region()).toBe(REGION);
    expect(await client.config.maxAttempts()).toBe(3);
    expect(((await client.config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');
  }
});
