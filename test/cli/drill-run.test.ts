import { DescribeRestoreJobCommand, RestoreJobStatus, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { DeleteTableCommand, DescribeTableCommand, ScanCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import {
  CreateDBInstanceCommand, DeleteDBClusterCommand, DeleteDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
} from '@aws-sdk/client-rds';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { AURORA, BUCKET, givenPoint, harness, inputsOf, mocks, named, NOW, resetMocks, ROLE, SCRATCH, sent, TABLE } from './drill-harness';

// `cdk-dr drill --yes`: restores, checks, measures and always cleans up.

beforeEach(resetMocks);

const throttle = () => named('ThrottlingException', 'Rate exceeded');
const CLUSTER_ARN = `arn:aws:rds:eu-west-1:123456789012:cluster:${SCRATCH}`;
const INSTANCE_ARN = `arn:aws:rds:eu-west-1:123456789012:db:${SCRATCH}`;
const AURORA_METADATA = { DBClusterIdentifier: 'live-db', DBSubnetGroupName: 'platform-db', VpcSecurityGroupIds: '["sg-0123"]', KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k', DeletionProtection: 'true' };

/** The restore job: RUNNING, then `final` (COMPLETED by default), created at NOW. */
function givenJob(final: string = 'COMPLETED', arn = CLUSTER_ARN) {
  mocks.backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'job-1' });
  mocks.backup.on(DescribeRestoreJobCommand)
    .resolvesOnce({ RestoreJobId: 'job-1', Status: 'RUNNING', CreationDate: new Date(NOW) })
    .resolves({ RestoreJobId: 'job-1', Status: final as any, StatusMessage: final === 'FAILED' ? 'KMS key not accessible' : undefined, CreationDate: new Date(NOW), CreatedResourceArn: arn });
}

/** A restored Aurora copy in RDS: the cluster, and the instance the drill adds. */
function auroraWorld(options: { instanceStuck?: boolean; clusterDeleteFails?: boolean; noCluster?: boolean } = {}) {
  const state = { instance: 'none', polls: 0, cluster: options.noCluster ? 'none' : 'available' };
  mocks.rds.on(DescribeDBClustersCommand).callsFake(() => {
    if (state.cluster !== 'available') throw named('DBClusterNotFoundFault');
    return {
      DBClusters: [{
        DBClusterIdentifier: SCRATCH,
        Status: 'available',
        Engine: 'aurora-postgresql',
        Endpoint: `${SCRATCH}.cluster-x.eu-west-1.rds.amazonaws.com`,
        Port: 5432,
        MasterUsername: 'admin',
        DatabaseName: 'app',
        DeletionProtection: true,
        MasterUserSecret: { SecretArn: 'arn:secret' },
      }],
    };
  });
  mocks.rds.on(CreateDBInstanceCommand).callsFake(() => { state.instance = 'creating'; return {}; });
  mocks.rds.on(DescribeDBInstancesCommand).callsFake(() => {
    if (state.instance === 'none' || state.instance === 'deleted') throw named('DBInstanceNotFoundFault');
    if (++state.polls >= 2 && !options.instanceStuck) state.instance = 'available';
    return { DBInstances: [{ DBInstanceIdentifier: SCRATCH, DBInstanceStatus: state.instance }] };
  });
  mocks.rds.on(DeleteDBInstanceCommand).callsFake(() => {
    if (state.instance === 'none') throw named('DBInstanceNotFoundFault');
    state.instance = 'deleted';
    return {};
  });
  mocks.rds.on(ModifyDBClusterCommand).resolves({});
  mocks.rds.on(DeleteDBClusterCommand).callsFake(() => {
    if (options.clusterDeleteFails) throw named('InvalidDBClusterStateFault', 'DB cluster is not in available state');
    state.cluster = 'deleted';
    return {};
  });
  return state;
}

describe('Aurora', () => {
  test('restores with the source\'s network and key under a scratch name, adds an instance, measures the RTO, deletes both', async () => {
    givenPoint(AURORA_METADATA);
    givenJob();
    const state = auroraWorld();
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE, '--rto', '1h', '--json')).toBe(0);
    const [start] = inputsOf(mocks.backup, StartRestoreJobCommand);
    expect(start).toEqual({
      RecoveryPointArn: 'arn:aws:backup:eu-west-1:123456789012:recovery-point:p-30',
      Metadata: { ...AURORA_METADATA, DBClusterIdentifier: SCRATCH },
      IamRoleArn: ROLE,
      IdempotencyToken: SCRATCH,
    });
    expect(inputsOf(mocks.rds, CreateDBInstanceCommand)).toEqual([expect.objectContaining({
      DBInstanceIdentifier: SCRATCH, DBClusterIdentifier: SCRATCH, DBInstanceClass: 'db.t4g.medium', Engine: 'aurora-postgresql', PubliclyAccessible: false,
    })]);
    // Cleanup: the instance, then deletion protection off, then the cluster without a final snapshot.
    const order = sent(mocks.rds).filter((c) => /^(Delete|Modify)/.test(c));
    expect(order).toEqual(['DeleteDBInstanceCommand', 'ModifyDBClusterCommand', 'DeleteDBClusterCommand']);
    expect(inputsOf(mocks.rds, DeleteDBInstanceCommand)[0]).toEqual({ DBInstanceIdentifier: SCRATCH, SkipFinalSnapshot: true });
    expect(inputsOf(mocks.rds, ModifyDBClusterCommand)[0]).toEqual({
      DBClusterIdentifier: SCRATCH, DeletionProtection: false, ApplyImmediately: true,
    });
    expect(inputsOf(mocks.rds, DeleteDBClusterCommand)[0]).toEqual({ DBClusterIdentifier: SCRATCH, SkipFinalSnapshot: true });
    // Nothing but the scratch copy is ever changed.
    for (const c of mocks.rds.calls()) expect(JSON.stringify(c.args[0].input)).not.toContain('live-db');
    expect(state).toMatchObject({ instance: 'deleted', cluster: 'deleted' });
    const report = JSON.parse(h.out.join(''));
    expect(report).toMatchObject({
      exitCode: 0,
      restoreJobId: 'job-1',
      restoreJobStatus: 'COMPLETED',
      rtoMet: true,
      smokeQuery: { status: 'not run', detail: expect.stringMatching(/no --smoke-function/) },
      cleanup: { deleted: [INSTANCE_ARN, CLUSTER_ARN], left: [] },
    });
    expect(report.rtoSeconds).toBeGreaterThan(0);
    expect(report.rtoSeconds).toBeLessThanOrEqual((h.now() - NOW) / 1000);
    expect(mocks.lambda.calls()).toHaveLength(0);
  });

  test('an RTO longer than --rto exits 1 and says MISSED; the copy is still deleted', async () => {
    givenPoint(AURORA_METADATA);
    givenJob();
    auroraWorld();
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE, '--rto', '1m')).toBe(1);
    expect(h.out.join('\n')).toMatch(/RTO: +\d+m.* from restore job creation to a usable copy \(target 1m: MISSED\)/);
    expect(h.out.join('\n')).toContain(`deleted ${INSTANCE_ARN}, ${CLUSTER_ARN}`);
  });

  test('the smoke query runs through the deployed function with a throwaway password on the copy', async () => {
    givenPoint(AURORA_METADATA);
    givenJob();
    auroraWorld();
    mocks.lambda.on(InvokeCommand).resolves({
      Payload: Buffer.from(JSON.stringify({ serverVersion: 'PostgreSQL 16.4 on aarch64', database: 'app', userTables: 12, tls: true, durationMs: 40 })) as any,
    });
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE, '--environment', 'prod')).toBe(0);
    expect(inputsOf(mocks.rds, ModifyDBClusterCommand)[0]).toEqual({
      DBClusterIdentifier: SCRATCH, MasterUserPassword: 'throwaway-pw', ManageMasterUserPassword: false, ApplyImmediately: true,
    });
    const [invoke] = inputsOf(mocks.lambda, InvokeCommand);
    expect(invoke.FunctionName).toBe('dr-drill-smoke-prod');
    expect(JSON.parse(Buffer.from(invoke.Payload as Uint8Array).toString())).toEqual({
      host: `${SCRATCH}.cluster-x.eu-west-1.rds.amazonaws.com`, port: 5432, database: 'app', user: 'admin', password: 'throwaway-pw',
    });
    expect(h.out.join('\n')).toMatch(/Smoke query: +passed: answered over TLS: PostgreSQL 16.4, database app, 12 user tables/);
  });

  test('a smoke query that cannot connect fails the drill (exit 1) with the security group hint, and cleans up', async () => {
    givenPoint(AURORA_METADATA);
    givenJob();
    const state = auroraWorld();
    mocks.lambda.on(InvokeCommand).resolves({ FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify({ errorType: 'Error', errorMessage: 'Connection terminated due to connection timeout' })) as any });
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE, '--smoke-function', 'my-smoke')).toBe(1);
    expect(h.out.join('\n')).toMatch(/Smoke query: +failed: my-smoke answered Error: Connection terminated.*do they admit the smoke function's\?/);
    expect(state).toMatchObject({ instance: 'deleted', cluster: 'deleted' });
  });
});

describe('DynamoDB', () => {
  test('restores, reads the copy, and deletes it after turning deletion protection off', async () => {
    givenPoint({ targetTableName: 'live-table', encryptionType: 'KMS', kmsMasterKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/t' });
    givenJob('COMPLETED', `arn:aws:dynamodb:eu-west-1:123456789012:table/${SCRATCH}`);
    mocks.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableName: SCRATCH, TableStatus: 'ACTIVE', DeletionProtectionEnabled: true } });
    mocks.dynamodb.on(ScanCommand).resolves({ Count: 1, Items: [{}] });
    const h = harness();
    expect(await h.drill('--resource', TABLE, '--yes', '--role', ROLE)).toBe(0);
    expect(inputsOf(mocks.backup, StartRestoreJobCommand)[0].Metadata).toEqual({
      targetTableName: SCRATCH, encryptionType: 'KMS', kmsMasterKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/t',
    });
    expect(sent(mocks.dynamodb).filter((c) => /^(Update|Delete)/.test(c))).toEqual(['UpdateTableCommand', 'DeleteTableCommand']);
    expect(inputsOf(mocks.dynamodb, UpdateTableCommand)[0]).toEqual({ TableName: SCRATCH, DeletionProtectionEnabled: false });
    expect(inputsOf(mocks.dynamodb, DeleteTableCommand)[0]).toEqual({ TableName: SCRATCH });
    expect(h.out.join('\n')).toMatch(/Validation: +table drill-.* is ACTIVE and answered a read/);
    expect(h.out.join('\n')).toMatch(/Smoke query: +not run: a table is checked by reading it/);
  });
});

describe('S3', () => {
  test('restores into a new bucket, lists it, then deletes every version and delete marker across pages before the bucket', async () => {
    givenPoint({ DestinationBucketName: 'live-bucket', NewBucket: 'false', EncryptionType: 'SSE-KMS', KMSKey: 'arn:aws:kms:eu-west-1:123456789012:key/b' });
    givenJob('COMPLETED', `arn:aws:s3:::${SCRATCH}`);
    mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'orders/1.json' }] });
    const versions = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, VersionId: `v${i}` }));
    mocks.s3.on(ListObjectVersionsCommand)
      .resolvesOnce({ Versions: versions(999, 'a/'), DeleteMarkers: versions(2, 'gone/'), IsTruncated: true, NextKeyMarker: 'a/998', NextVersionIdMarker: 'v998' })
      .resolvesOnce({ Versions: versions(1, 'z/'), DeleteMarkers: versions(1, 'z-gone/'), IsTruncated: false });
    mocks.s3.on(DeleteObjectsCommand).resolves({});
    mocks.s3.on(DeleteBucketCommand).resolves({});
    const h = harness();
    expect(await h.drill('--resource', BUCKET, '--yes', '--role', ROLE)).toBe(0);
    expect(inputsOf(mocks.backup, StartRestoreJobCommand)[0].Metadata).toEqual({
      DestinationBucketName: SCRATCH, NewBucket: 'true', EncryptionType: 'SSE-KMS', KMSKey: 'arn:aws:kms:eu-west-1:123456789012:key/b',
    });
    expect(inputsOf(mocks.s3, ListObjectVersionsCommand).map((i) => [i.KeyMarker, i.VersionIdMarker])).toEqual([[undefined, undefined], ['a/998', 'v998']]);
    const batches = inputsOf(mocks.s3, DeleteObjectsCommand).map((i) => i.Delete!.Objects!);
    expect(batches.map((b) => b.length)).toEqual([1000, 1, 2]);
    const deleted = batches.flat().map((o) => `${o.Key}@${o.VersionId}`);
    expect(new Set(deleted).size).toBe(1003);
    expect(deleted).toEqual(expect.arrayContaining(['gone/0@v0', 'gone/1@v1', 'z-gone/0@v0', 'a/998@v998']));
    expect(inputsOf(mocks.s3, DeleteObjectsCommand).every((i) => i.Bucket === SCRATCH)).toBe(true);
    expect(sent(mocks.s3).at(-1)).toBe('DeleteBucketCommand');
    expect(inputsOf(mocks.s3, DeleteBucketCommand)[0]).toEqual({ Bucket: SCRATCH });
  });

  test('a version S3 refuses to delete leaves the bucket, listed by ARN, exit 1', async () => {
    givenPoint({ DestinationBucketName: 'live-bucket' });
    givenJob('COMPLETED', `arn:aws:s3:::${SCRATCH}`);
    mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'k' }] });
    mocks.s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'k', VersionId: 'v1' }], IsTruncated: false });
    mocks.s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'k', VersionId: 'v1', Code: 'AccessDenied', Message: 'Access Denied' }] });
    const h = harness();
    expect(await h.drill('--resource', BUCKET, '--yes', '--role', ROLE)).toBe(1);
    expect(h.out.join('\n')).toMatch(new RegExp(`LEFT TO DELETE BY HAND:\\n +arn:aws:s3:::${SCRATCH}: Error: 1 of 1 versions were not deleted \\(first: k v1: AccessDenied`));
    expect(mocks.s3.commandCalls(DeleteBucketCommand)).toHaveLength(0);
  });
});

describe('failure, timeout, interrupt', () => {
  test('a restore job that FAILED: what exists is deleted, exit 1', async () => {
    givenPoint(AURORA_METADATA);
    givenJob('FAILED');
    const state = auroraWorld();
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE)).toBe(1);
    expect(h.out.join('\n')).toMatch(/FAILED: +Error: restore job job-1 FAILED: KMS key not accessible/);
    // No instance was added; the half-made cluster is deleted.
    expect(mocks.rds.commandCalls(CreateDBInstanceCommand)).toHaveLength(0);
    expect(state.cluster).toBe('deleted');
    expect(h.out.join('\n')).toMatch(new RegExp(`Cleanup: +deleted ${CLUSTER_ARN}$`, 'm'));
  });

  test('--timeout while the instance is being created: both deleted, exit 1', async () => {
    givenPoint(AURORA_METADATA);
    givenJob();
    const state = auroraWorld({ instanceStuck: true });
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE, '--timeout', '30m')).toBe(1);
    expect(h.out.join('\n')).toMatch(/TIMED OUT: +--timeout reached while waiting for drill instance drill-.* available/);
    expect(state).toMatchObject({ instance: 'deleted', cluster: 'deleted' });
    expect(h.now() - NOW).toBeLessThan(35 * 60_000);
  });

  test('--timeout while the restore job runs: AWS Backup cannot stop it, so it is listed as left, exit 1', async () => {
    givenPoint({ targetTableName: 'live-table' });
    mocks.backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'job-1' });
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: 'job-1', Status: 'RUNNING' });
    mocks.dynamodb.on(DescribeTableCommand).rejects(named('ResourceNotFoundException'));
    const h = harness();
    expect(await h.drill('--resource', TABLE, '--yes', '--role', ROLE, '--timeout', '10m')).toBe(1);
    expect(h.out.join('\n')).toMatch(/LEFT TO DELETE BY HAND:\n +restore job job-1: still RUNNING: AWS Backup cannot stop a restore job; when it ends, delete arn:aws:dynamodb:eu-west-1:123456789012:table\/drill-/);
  });

  test('Ctrl-C while polling: cleanup runs once, exit 130, and the running job is reported', async () => {
    givenPoint(AURORA_METADATA);
    mocks.backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'job-1' });
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: 'job-1', Status: 'RUNNING' });
    auroraWorld({ noCluster: true });
    const h = harness();
    h.onSleep = (n) => { if (n === 2) h.interrupt(); };
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE)).toBe(130);
    expect(h.err.join('\n')).toMatch(/interrupted; deleting what the drill created \(Ctrl-C again to stop now/);
    expect(h.out.join('\n')).toMatch(/INTERRUPTED: +interrupted while waiting for restore job job-1/);
    expect(mocks.rds.commandCalls(DeleteDBInstanceCommand)).toHaveLength(1);
    expect(mocks.rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(1);
    expect(h.out.join('\n')).toMatch(/restore job job-1: still RUNNING/);
    expect(h.exit).not.toHaveBeenCalled();
  });

  test('a second Ctrl-C says what to delete by hand and exits 130 at once', async () => {
    givenPoint(AURORA_METADATA);
    givenJob();
    auroraWorld({ instanceStuck: true });
    const h = harness();
    h.onSleep = (n) => { if (n === 4) { h.interrupt(); h.interrupt(); } };
    await h.drill('--resource', AURORA, '--yes', '--role', ROLE);
    expect(h.exit).toHaveBeenCalledWith(130);
    expect(h.err.join('\n')).toMatch(new RegExp(`stopped; left to delete by hand:\\n +${INSTANCE_ARN} \\(if it exists\\)\\n +${CLUSTER_ARN} \\(if it exists\\)`));
  });

  test('cleanup that fails lists the ARN left and why, exit 1 although the drill itself passed', async () => {
    givenPoint(AURORA_METADATA);
    givenJob();
    auroraWorld({ clusterDeleteFails: true });
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE, '--json')).toBe(1);
    const report = JSON.parse(h.out.join(''));
    expect(report.cleanup).toEqual({
      deleted: [INSTANCE_ARN],
      left: [{ arn: CLUSTER_ARN, reason: 'InvalidDBClusterStateFault: DB cluster is not in available state' }],
    });
    expect(report.failure).toBeUndefined();
  });

  test('throttling while polling, longer than the backoff, is survived', async () => {
    givenPoint({ targetTableName: 'live-table' });
    mocks.backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'job-1' });
    let chain = mocks.backup.on(DescribeRestoreJobCommand).resolvesOnce({ Status: 'RUNNING', CreationDate: new Date(NOW) });
    for (let i = 0; i < 8; i++) chain = chain.rejectsOnce(throttle());
    chain.resolves({ Status: 'COMPLETED', CreationDate: new Date(NOW) });
    mocks.dynamodb.on(DescribeTableCommand).rejectsOnce(throttle()).resolves({ Table: { TableStatus: 'ACTIVE' } });
    mocks.dynamodb.on(ScanCommand).resolves({ Count: 1 });
    mocks.dynamodb.on(DeleteTableCommand).resolves({});
    const h = harness();
    expect(await h.drill('--resource', TABLE, '--yes', '--role', ROLE)).toBe(0);
    expect(mocks.backup.commandCalls(DescribeRestoreJobCommand).length).toBeGreaterThanOrEqual(10);
    expect(h.err.join('\n')).toMatch(/throttled while checking restore job job-1; trying again/);
  });
});

describe('every restore job status the SDK knows ends the drill in a defined way', () => {
  test.each(Object.values(RestoreJobStatus))('%s', async (status) => {
    givenPoint({ targetTableName: 'live-table' });
    mocks.backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'job-1' });
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ Status: status, CreationDate: new Date(NOW) });
    mocks.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    mocks.dynamodb.on(ScanCommand).resolves({ Count: 1 });
    mocks.dynamodb.on(DeleteTableCommand).resolves({});
    const h = harness();
    const code = await h.drill('--resource', TABLE, '--yes', '--role', ROLE, '--timeout', '5m', '--json');
    const report = JSON.parse(h.out.join(''));
    const expected: [number, RegExp | undefined] = ({
      COMPLETED: [0, undefined],
      FAILED: [1, /restore job job-1 FAILED/],
      ABORTED: [1, /restore job job-1 ABORTED/],
      PENDING: [1, /--timeout reached/],
      RUNNING: [1, /--timeout reached/],
    } as Record<string, [number, RegExp | undefined]>)[status];
    expect(code).toBe(expected[0]);
    if (expected[1]) expect(report.failure).toMatch(expected[1]); else expect(report.failure).toBeUndefined();
    // Whatever the status, the scratch table is deleted (or was never there).
    expect(mocks.dynamodb.commandCalls(DeleteTableCommand)).toHaveLength(1);
  });
});

test('--json prints no progress; progress goes to stderr on a terminal only', async () => {
  givenPoint({ targetTableName: 'live-table' });
  givenJob('COMPLETED');
  mocks.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  mocks.dynamodb.on(ScanCommand).resolves({ Count: 0 });
  mocks.dynamodb.on(DeleteTableCommand).resolves({});
  const tty = harness();
  await tty.drill('--resource', TABLE, '--yes', '--role', ROLE);
  expect(tty.err.join('\n')).toMatch(/restore job job-1: RUNNING/);
  const json = harness();
  await json.drill('--resource', TABLE, '--yes', '--role', ROLE, '--json');
  expect(json.err).toEqual([]);
  const pipe = harness();
  (pipe.deps as any).isTty = false;
  await pipe.drill('--resource', TABLE, '--yes', '--role', ROLE);
  expect(pipe.err).toEqual([]);
});

describe('Aurora instance cleanup', () => {
  test('an instance still being created is deleted once RDS accepts it, and waited for before the cluster', async () => {
    givenPoint(AURORA_METADATA);
    givenJob();
    auroraWorld();
    const statuses = ['creating', 'deleting', 'deleting'];
    mocks.rds.on(DeleteDBInstanceCommand)
      .rejectsOnce(named('InvalidDBInstanceStateFault', 'Instance is not in available state'))
      .resolves({});
    mocks.rds.on(DescribeDBInstancesCommand).callsFake(() => {
      if (mocks.rds.commandCalls(DeleteDBInstanceCommand).length === 0) return { DBInstances: [{ DBInstanceStatus: 'available' }] };
      const status = statuses.shift();
      if (!status) throw named('DBInstanceNotFoundFault');
      return { DBInstances: [{ DBInstanceStatus: status }] };
    });
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE)).toBe(0);
    expect(mocks.rds.commandCalls(DeleteDBInstanceCommand)).toHaveLength(2);
    const names = sent(mocks.rds);
    expect(names.lastIndexOf('DescribeDBInstancesCommand')).toBeLessThan(names.indexOf('DeleteDBClusterCommand'));
  });

  test('an instance that outlasts cleanup\'s wait is listed, and so is its cluster', async () => {
    givenPoint(AURORA_METADATA);
    givenJob();
    auroraWorld();
    mocks.rds.on(DeleteDBInstanceCommand).resolves({});
    mocks.rds.on(DescribeDBInstancesCommand).callsFake(() => ({
      DBInstances: [{ DBInstanceStatus: mocks.rds.commandCalls(DeleteDBInstanceCommand).length ? 'deleting' : 'available' }],
    }));
    mocks.rds.on(DeleteDBClusterCommand).rejects(named('InvalidDBClusterStateFault', 'Cluster cannot be deleted, it still contains DB instances'));
    const h = harness();
    expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE, '--json')).toBe(1);
    expect(JSON.parse(h.out.join('')).cleanup.left).toEqual([
      { arn: INSTANCE_ARN, reason: expect.stringMatching(/still being deleted when cleanup's time ran out/) },
      { arn: CLUSTER_ARN, reason: expect.stringMatching(/still contains DB instances/) },
    ]);
  });
});

test('Ctrl-C during cleanup lets cleanup finish, then exits 130', async () => {
  givenPoint(AURORA_METADATA);
  givenJob();
  auroraWorld();
  mocks.rds.on(DeleteDBInstanceCommand).resolves({});
  let polls = 0;
  mocks.rds.on(DescribeDBInstancesCommand).callsFake(() => {
    if (mocks.rds.commandCalls(DeleteDBInstanceCommand).length === 0) return { DBInstances: [{ DBInstanceStatus: 'available' }] };
    if (++polls > 3) throw named('DBInstanceNotFoundFault');
    return { DBInstances: [{ DBInstanceStatus: 'deleting' }] };
  });
  const h = harness();
  h.onSleep = () => { if (polls === 1) h.interrupt(); };
  expect(await h.drill('--resource', AURORA, '--yes', '--role', ROLE, '--json')).toBe(130);
  const report = JSON.parse(h.out.join(''));
  expect(report).toMatchObject({ stopped: 'interrupted', failure: expect.stringMatching(/during cleanup/), rtoSeconds: expect.any(Number) });
  expect(report.cleanup).toEqual({ deleted: [INSTANCE_ARN, CLUSTER_ARN], left: [] });
  expect(h.exit).not.toHaveBeenCalled();
});

test('a Serverless v2 copy gets a db.serverless instance, whatever the plan guessed', async () => {
  givenPoint(AURORA_METADATA);
  givenJob();
  auroraWorld();
  mocks.rds.on(DescribeDBClustersCommand).resolves({
    DBClusters: [{ DBClusterIdentifier: SCRATCH, Status: 'available', Engine: 'aurora-postgresql', ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 2 } }],
  });
  const h = harness();
  await h.drill('--resource', AURORA, '--yes', '--role', ROLE);
  expect(inputsOf(mocks.rds, CreateDBInstanceCommand)[0].DBInstanceClass).toBe('db.serverless');
  expect(h.out.join('\n')).toMatch(/Validation: +cluster drill-.* has an available instance \(db.serverless\)/);
});

test('a scratch copy that is not found after the restore is a failed drill (exit 1), not an unknown --resource', async () => {
  givenPoint({ targetTableName: 'live-table' });
  givenJob('COMPLETED', `arn:aws:dynamodb:eu-west-1:123456789012:table/${SCRATCH}`);
  mocks.dynamodb.on(DescribeTableCommand).rejects(named('ResourceNotFoundException', 'Requested resource not found'));
  const h = harness();
  expect(await h.drill('--resource', TABLE, '--yes', '--role', ROLE)).toBe(1);
  expect(h.out.join('\n')).toMatch(/FAILED: +ResourceNotFoundException: Requested resource not found/);
  expect(h.out.join('\n')).not.toMatch(/was not found/);
});
