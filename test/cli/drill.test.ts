import { ListRecoveryPointsByResourceCommand, RecoveryPointStatus, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { AURORA, BUCKET, givenPoint, harness, mocks, named, NOW, point, resetMocks, ROLE, SCRATCH, sent, TABLE } from './drill-harness';
import { run } from '../../src/cli/cdk-dr';
import { processDrillDeps } from '../../src/cli/drill';

// `cdk-dr drill` before it acts: the plan (dry run), argument checks, and
// the errors that must be one clear line with exit code 2.

beforeEach(resetMocks);

const NO_TRACE = /\n\s+at /;
const LIVE_METADATA = {
  DBClusterIdentifier: 'live-db',
  DBSubnetGroupName: 'platform-db',
  VpcSecurityGroupIds: '["sg-0123"]',
  KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k-1',
  Engine: 'aurora-postgresql',
  DeletionProtection: 'true',
};

describe('dry run (the default)', () => {
  test('prints the plan and makes no mutating call', async () => {
    givenPoint(LIVE_METADATA, [
      point(90),
      // Newer, but not usable or not AWS Backup's: never chosen.
      point(5, { Status: 'PARTIAL' }),
      point(3, { RecoveryPointArn: 'arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:live-db-2026-11-30-11-57' }),
      point(20, { Status: 'AVAILABLE' }),
    ]);
    const h = harness();
    const code = await h.drill('--resource', AURORA, '--rto', '1h');
    expect(code).toBe(0);
    const text = h.out.join('\n');
    expect(text).toMatch(/^DRY RUN: nothing is created or deleted/);
    expect(text).toContain('recovery-point:p-20');
    expect(text).toContain(`Scratch copy:    ${SCRATCH}`);
    expect(text).toContain(`Overrides:       DBClusterIdentifier=${SCRATCH}`);
    expect(text).toContain('  DBSubnetGroupName=platform-db');
    expect(text).toContain('  VpcSecurityGroupIds=["sg-0123"]');
    expect(text).toContain('  KmsKeyId=arn:aws:kms:eu-west-1:123456789012:key/k-1');
    expect(text).toContain(`aurora-instance arn:aws:rds:eu-west-1:123456789012:db:${SCRATCH}`);
    expect(text).toContain(`aurora-cluster arn:aws:rds:eu-west-1:123456789012:cluster:${SCRATCH}`);
    expect(text).toMatch(/Smoke query: +not run: no --smoke-function/);
    expect(text).toMatch(/Will delete: +all of the above/);
    expect(text).toMatch(/Role: +not given \(--yes needs --role\)/);
    // Reads only: no restore, nothing touched in RDS, DynamoDB, S3 or Lambda.
    expect(sent(mocks.backup).filter((c) => !/^(List|Get|Describe)/.test(c))).toEqual([]);
    expect(mocks.backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
    for (const m of [mocks.rds, mocks.dynamodb, mocks.s3, mocks.lambda]) expect(m.calls()).toHaveLength(0);
    expect(mocks.backup.commandCalls(ListRecoveryPointsByResourceCommand)[0].args[0].input)
      .toMatchObject({ ResourceArn: AURORA, ManagedByAWSBackupOnly: true });
  });

  test('--json prints the plan as JSON', async () => {
    givenPoint({ targetTableName: 'live-table', encryptionType: 'KMS', kmsMasterKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/t' });
    const h = harness();
    expect(await h.drill('--resource', TABLE, '--json', '--role', ROLE)).toBe(0);
    const plan = JSON.parse(h.out.join(''));
    expect(plan).toMatchObject({
      dryRun: true,
      exitCode: 0,
      resourceType: 'dynamodb',
      scratchName: SCRATCH,
      role: ROLE,
      overrides: { targetTableName: SCRATCH },
      keptMetadata: { encryptionType: 'KMS', kmsMasterKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/t' },
      creates: [`arn:aws:dynamodb:eu-west-1:123456789012:table/${SCRATCH}`],
    });
    expect(mocks.backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });

  test('every page of recovery points is read; the newest usable one wins', async () => {
    givenPoint({ DestinationBucketName: 'live-bucket' });
    mocks.backup.on(ListRecoveryPointsByResourceCommand)
      .resolvesOnce({ RecoveryPoints: [point(60)], NextToken: 't1' })
      .resolvesOnce({ RecoveryPoints: [point(10, { Status: 'EXPIRED' })], NextToken: 't2' })
      .resolvesOnce({ RecoveryPoints: [point(15, { Status: 'AVAILABLE' })] });
    const h = harness();
    expect(await h.drill('--resource', BUCKET, '--json')).toBe(0);
    expect(JSON.parse(h.out.join('')).recoveryPoint.arn).toMatch(/p-15$/);
    expect(mocks.backup.commandCalls(ListRecoveryPointsByResourceCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 't1', 't2']);
  });

  test('--point-in-time picks the continuous point whose window covers it', async () => {
    const continuous = point(1, { RecoveryPointArn: 'arn:aws:backup:eu-west-1:123456789012:recovery-point:continuous:cluster-abc-1234' });
    givenPoint(LIVE_METADATA, [point(30), continuous]);
    const h = harness();
    const at = new Date(NOW - 2 * 86_400_000).toISOString();
    expect(await h.drill('--resource', AURORA, '--point-in-time', at, '--json')).toBe(0);
    const plan = JSON.parse(h.out.join(''));
    expect(plan.recoveryPoint).toMatchObject({ arn: continuous.RecoveryPointArn, continuous: true });
    expect(plan.overrides).toEqual({ DBClusterIdentifier: SCRATCH, RestoreToTime: at });
  });
});

describe('sweeps', () => {
  test.each(Object.values(RecoveryPointStatus))('a recovery point %s is chosen only if RecoveryPointMonitor counts it usable', async (status) => {
    givenPoint({ targetTableName: 'live-table' }, [point(10, { Status: status })]);
    const h = harness();
    const code = await h.drill('--resource', TABLE, '--json');
    const usable = status === 'AVAILABLE' || status === 'COMPLETED';
    expect(code).toBe(usable ? 0 : 1);
    if (!usable) expect(h.err.join('\n')).toMatch(/no usable AWS Backup recovery point/);
  });

  test.each([
    [{}, 'db.t4g.medium'],
    [{ ServerlessV2ScalingConfiguration: '{"MinCapacity":0.5,"MaxCapacity":4}' }, 'db.serverless'],
    [{ DBClusterInstanceClass: 'db.r6g.large' }, 'db.r6g.large'],
    [{ dbinstanceclass: 'db.r7g.xlarge', ServerlessV2ScalingConfiguration: '{}' }, 'db.r7g.xlarge'],
  ])('Aurora instance class from the metadata %j: %s (a flag wins)', async (extra, expected) => {
    givenPoint({ DBClusterIdentifier: 'live-db', ...extra });
    const h = harness();
    await h.drill('--resource', AURORA, '--json');
    expect(JSON.parse(h.out.join('')).instanceClass).toBe(expected);
    resetMocks();
    givenPoint({ DBClusterIdentifier: 'live-db', ...extra });
    const flagged = harness();
    await flagged.drill('--resource', AURORA, '--json', '--instance-class', 'db.r6i.2xlarge');
    expect(JSON.parse(flagged.out.join('')).instanceClass).toBe('db.r6i.2xlarge');
  });
});

describe('refusals: one line, exit 2, no stack trace', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => { out.push(t); }, err: (t: string) => { err.push(t); } } };
  };

  // Through the real entry point: validation happens before any AWS client is made.
  test.each([
    ['no --resource', [], /required option '--resource <arn>' not specified/],
    ['a non-ARN', ['--resource', 'live-db'], /--resource must be an ARN \(supported: /],
    ['an RDS instance', ['--resource', 'arn:aws:rds:eu-west-1:123456789012:db:live-1'], /drill its Aurora cluster instead/],
    ['a Lambda function', ['--resource', 'arn:aws:lambda:eu-west-1:123456789012:function:f'], /does not restore \(supported: .*Aurora.*DynamoDB.*S3/],
    ['a bad --point-in-time', ['--resource', AURORA, '--point-in-time', 'yesterday'], /--point-in-time must be an ISO 8601 time with a zone/],
    ['a time without zone', ['--resource', AURORA, '--point-in-time', '2026-11-30T10:00:00'], /--point-in-time must be an ISO 8601/],
    ['--point-in-time for a table', ['--resource', TABLE, '--point-in-time', '2026-11-30T10:00:00Z'], /not available for a DynamoDB table/],
    ['a bad --rto', ['--resource', AURORA, '--rto', 'soon'], /--rto must be a duration/],
    ['a bad --timeout', ['--resource', AURORA, '--timeout', '0m'], /--timeout must be a duration/],
    ['a bad --role', ['--resource', AURORA, '--role', 'dr-drill-restore'], /--role must be an IAM role ARN/],
    ['--smoke-function for a bucket', ['--resource', BUCKET, '--smoke-function', 'f'], /--smoke-function applies to an Aurora cluster only/],
    ['both smoke options', ['--resource', AURORA, '--smoke-function', 'f', '--environment', 'prod'], /not both/],
    ['a bad --instance-class', ['--resource', AURORA, '--instance-class', 'large'], /--instance-class must be an RDS instance class/],
  ])('%s', async (_name, args, message) => {
    const c = io();
    expect(await run(['drill', ...args], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(message);
    expect(c.err.join('\n')).not.toMatch(NO_TRACE);
    expect(c.out).toEqual([]);
  });

  test.each([
    ['missing credentials', named('CredentialsProviderError', 'Could not load credentials from any providers'), /no AWS credentials: set AWS_PROFILE/],
    ['access denied', named('AccessDeniedException', 'User is not authorized to perform backup:ListRecoveryPointsByResource', { $metadata: { httpStatusCode: 403 } }), /access denied: AccessDeniedException/],
    ['an unknown resource', named('ResourceNotFoundException', 'Cannot find resource'), new RegExp(`${AURORA} was not found`)],
    ['no region', new Error('Region is missing'), /no AWS region: pass --region or set AWS_REGION/],
  ])('%s', async (_name, error, message) => {
    mocks.backup.on(ListRecoveryPointsByResourceCommand).rejects(error);
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE)).toBe(2);
    expect(h.err).toHaveLength(1);
    expect(h.err[0]).toMatch(message);
    expect(h.err[0]).not.toMatch(NO_TRACE);
    expect(mocks.backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });

  test('no usable recovery point: exit 1, nothing restored', async () => {
    givenPoint({}, [point(5, { Status: 'PARTIAL' }), point(9, { Status: 'CREATING' })]);
    const h = harness();
    expect(await h.drill('--resource', TABLE, '--yes', '--role', ROLE)).toBe(1);
    expect(h.err.join('\n')).toMatch(/no usable AWS Backup recovery point of .*live-table \(2 listed, none AVAILABLE or COMPLETED\)/);
  });

  test.each([
    ['before the window', () => new Date(NOW - 10 * 86_400_000).toISOString()],
    ['in the future', () => new Date(NOW + 3_600_000).toISOString()],
  ])('a --point-in-time %s is refused with the window', async (_name, at) => {
    givenPoint(LIVE_METADATA, [point(1, { RecoveryPointArn: 'arn:aws:backup:eu-west-1:123456789012:recovery-point:continuous:c-1' })]);
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--point-in-time', at(), '--yes', '--role', ROLE)).toBe(2);
    // The point started 3 days ago (within its 7 days of retention); now bounds the end.
    expect(h.err.join('\n')).toMatch(/is outside the continuous backup window of .*live-db \(2026-11-27T12:00:00.000Z to 2026-11-30T12:00:00.000Z\)/);
    expect(mocks.backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });

  test('--point-in-time without a continuous point says so', async () => {
    givenPoint(LIVE_METADATA, [point(30)]);
    const h = harness();
    expect(await h.drill('--resource', BUCKET, '--point-in-time', '2026-11-30T10:00:00Z')).toBe(2);
    expect(h.err.join('\n')).toMatch(/needs a continuous recovery point of arn:aws:s3:::live-bucket, and it has none/);
  });

  test('--yes without --role is refused before anything is created', async () => {
    givenPoint(LIVE_METADATA);
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes')).toBe(2);
    expect(h.err.join('\n')).toMatch(/--yes needs --role ARN.*iam:PassRole/);
    expect(mocks.backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });

  test('access denied on StartRestoreJob: exit 2, nothing to clean up', async () => {
    givenPoint(LIVE_METADATA);
    mocks.backup.on(StartRestoreJobCommand).rejects(named('AccessDeniedException', 'not authorized to perform iam:PassRole'));
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE)).toBe(2);
    expect(h.out.join('\n')).toMatch(/FAILED: +access denied: AccessDeniedException: not authorized to perform iam:PassRole/);
    expect(h.out.join('\n')).toMatch(/Cleanup: +nothing to delete/);
    expect(mocks.rds.calls()).toHaveLength(0);
  });
});

test('the real Ctrl-C wiring ends a pending pause at once, and is removed after the drill', async () => {
  const handler = jest.fn();
  const before = process.listeners('SIGINT');
  const unregister = processDrillDeps.onInterrupt(handler);
  const ours = process.listeners('SIGINT').filter((l) => !before.includes(l));
  expect(ours).toHaveLength(1);
  const started = Date.now();
  const pause = processDrillDeps.clock.sleep(60_000);
  // Called directly: emitting SIGINT would reach the test runner's own listeners too.
  (ours[0] as () => void)();
  await pause;
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(handler).toHaveBeenCalledTimes(1);
  unregister();
  expect(process.listeners('SIGINT')).toEqual(before);
});
