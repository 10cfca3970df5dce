import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Clock } from '../../src/private/aws-calls';
import type { RestoreJob } from '../../src/private/backup-restore-job-call';
import type { SmokeQueryRequest, SmokeQueryResult } from '../../src/restore-drill/smoke-query.lambda';
import {
  DrillConfig,
  DrillDeps,
  drillInstanceId,
  publishDrill,
  readDrillConfig,
  restoreJobIdOf,
  smokeQueryThrough,
  validateRestore,
} from '../../src/restore-drill/validate-restore.lambda';

// AWS Backup and DynamoDB are hand-written signed calls (src/private/backup-restore-job-call.ts,
// src/private/dynamodb-call.ts, tested on their own); the drill takes them as functions.
const backup = { describeRestoreJob: jest.fn(), putRestoreValidationResult: jest.fn() };
const dynamodb = { describeTable: jest.fn(), scan: jest.fn() };
const rdsMock = mockClient(RDSClient);
const s3Mock = mockClient(S3Client);

const PLAN = 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:dr_drills_test-1a2b';
/** The drill's second plan, of continuous (point-in-time) recovery points. */
const PITR_PLAN = 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:dr_pitr_test-3c4d';
const CREATED = Date.parse('2026-11-30T03:00:00Z');
const MIN = 60_000;
const CLUSTER_ID = 'awsbackup-restore-test-abc123';
const CLUSTER_ARN = `arn:aws:rds:eu-west-1:123456789012:cluster:${CLUSTER_ID}`;
const INSTANCE_ID = drillInstanceId(CLUSTER_ID);
const config: DrillConfig = {
  environment: 'test', restoreTestingPlanArns: [PLAN, PITR_PLAN], smokeQueryFunction: 'dr-drill-smoke-test', validationWindowHours: 4, instanceClass: 'db.t4g.medium',
};

type Job = RestoreJob;
const job = (resourceType: string, createdResourceArn: string, extra: Partial<Job> = {}): Job => ({
  RestoreJobId: 'job-1',
  Status: 'COMPLETED',
  ResourceType: resourceType,
  CreatedResourceArn: createdResourceArn,
  CreationDate: new Date(CREATED),
  CreatedBy: { RestoreTestingPlanArn: PLAN },
  ...extra,
});

/** A fake clock starting `startMin` minutes after the restore job was created; sleeping moves it on. */
function harness(startMin = 30, smoke?: (r: SmokeQueryRequest) => Promise<SmokeQueryResult>) {
  let t = CREATED + startMin * MIN;
  const clock: Clock = { now: () => t, sleep: async (ms) => { t += ms; } };
  const smokeCalls: SmokeQueryRequest[] = [];
  const continued: string[] = [];
  const deps: DrillDeps = {
    backup,
    rds: new RDSClient({}),
    dynamodb,
    s3: new S3Client({}),
    clock,
    smokeQuery: async (r) => {
      smokeCalls.push(r);
      return smoke ? smoke(r) : { serverVersion: 'PostgreSQL 17.9 on aarch64', database: 'app', userTables: 3, tls: true, durationMs: 40 };
    },
    continueLater: async (id) => { continued.push(id); },
    newPassword: () => 'throwaway-password',
    pollIntervalMs: MIN,
    log: () => undefined,
  };
  return { deps, clock, smokeCalls, continued, now: () => t };
}
const verdicts = () => backup.putRestoreValidationResult.mock.calls.map((c) => c[0]);

beforeEach(() => {
  [...Object.values(backup), ...Object.values(dynamodb)].forEach((fn) => fn.mockReset());
  rdsMock.reset();
  s3Mock.reset();
  backup.putRestoreValidationResult.mockResolvedValue(undefined);
});

describe('DynamoDB drills', () => {
  const TABLE_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/dr-table-test-restore-1';

  test('ACTIVE and readable: SUCCESSFUL with the measured RTO from the restore job\'s creation', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('DynamoDB', TABLE_ARN));
    dynamodb.describeTable.mockResolvedValue({ Table: { TableStatus: 'ACTIVE', ItemCount: 42 } });
    dynamodb.scan.mockResolvedValue({ Count: 1, Items: [{ pk: { S: 'a' } }] });
    const { deps, now } = harness(25);
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'SUCCESSFUL', resourceType: 'DynamoDB', rtoSeconds: 25 * 60 });
    expect(dynamodb.scan.mock.calls[0][0]).toEqual({ TableName: 'dr-table-test-restore-1', Limit: 1 });
    expect(verdicts()).toEqual([{ RestoreJobId: 'job-1', ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: expect.stringContaining('ACTIVE and readable') }]);
  });

  test('a table that is not ACTIVE fails the drill with the reason', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('DynamoDB', TABLE_ARN));
    dynamodb.describeTable.mockResolvedValue({ Table: { TableStatus: 'CREATING' } });
    const { deps, now } = harness();
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome.status).toBe('FAILED');
    expect(verdicts()[0]).toMatchObject({ ValidationStatus: 'FAILED', ValidationStatusMessage: expect.stringContaining('is CREATING, not ACTIVE') });
  });

  test('a read that keeps being throttled fails the drill, after backoff', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('DynamoDB', TABLE_ARN));
    dynamodb.describeTable.mockResolvedValue({ Table: { TableStatus: 'ACTIVE' } });
    const throttled = Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
    dynamodb.scan.mockRejectedValue(throttled);
    const { deps, now } = harness();
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'FAILED', message: expect.stringContaining('ProvisionedThroughputExceededException') });
    expect(dynamodb.scan.mock.calls.length).toBeGreaterThan(1);
  });
});

describe('S3 drills', () => {
  const BUCKET_ARN = 'arn:aws:s3:::dr-data-restore-test-1';
  // The part of the SDK's stream the validator reads.
  const body = (text: string) => ({ transformToByteArray: async () => new Uint8Array(Buffer.from(text)) }) as any;

  test('listed and a known object read: SUCCESSFUL', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('S3', BUCKET_ARN));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 2, Contents: [{ Key: 'receipts/a.json' }, { Key: 'receipts/b.json' }] });
    s3Mock.on(GetObjectCommand).resolves({ Body: body('{"ok":true}') });
    const { deps, now } = harness(45);
    const outcome = await validateRestore('job-1', { ...config, s3ProbeKey: 'canary/probe.txt' }, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'SUCCESSFUL', rtoSeconds: 45 * 60 });
    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toMatchObject({ Bucket: 'dr-data-restore-test-1', Key: 'canary/probe.txt' });
  });

  test('without a probe key the first listed object is read', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('S3', BUCKET_ARN));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 1, Contents: [{ Key: 'receipts/a.json' }] });
    s3Mock.on(GetObjectCommand).resolves({ Body: body('x') });
    const { deps, now } = harness();
    await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toMatchObject({ Key: 'receipts/a.json' });
  });

  test('an empty restored bucket proves nothing: FAILED', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('S3', BUCKET_ARN));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    const { deps, now } = harness();
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'FAILED', message: expect.stringContaining('holds no object to read') });
  });

  test('a missing known object fails the drill', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('S3', BUCKET_ARN));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 1, Contents: [{ Key: 'x' }] });
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));
    const { deps, now } = harness();
    const outcome = await validateRestore('job-1', { ...config, s3ProbeKey: 'canary/probe.txt' }, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'FAILED', message: 'NoSuchKey: The specified key does not exist.' });
  });
});

describe('Aurora drills', () => {
  const cluster = (status = 'available', extra = {}) => ({
    DBClusters: [{
      DBClusterIdentifier: CLUSTER_ID,
      Status: status,
      Engine: 'aurora-postgresql',
      Endpoint: `${CLUSTER_ID}.cluster-x.eu-west-1.rds.amazonaws.com`,
      Port: 5432,
      DatabaseName: 'app',
      MasterUsername: 'postgres',
      MasterUserSecret: { SecretArn: 'arn:secret' },
      ...extra,
    }],
  });
  const instance = (status: string) => ({ DBInstances: [{ DBInstanceIdentifier: INSTANCE_ID, DBInstanceStatus: status }] });
  const arrange = (instanceStatuses: string[]) => {
    backup.describeRestoreJob.mockResolvedValue(job('Aurora', CLUSTER_ARN));
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster());
    rdsMock.on(DescribeDBInstancesCommand, { Filters: [{ Name: 'db-cluster-id', Values: [CLUSTER_ID] }] }).resolves({ DBInstances: [] });
    const byId = rdsMock.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: INSTANCE_ID });
    for (const s of instanceStatuses.slice(0, -1)) byId.resolvesOnce(instance(s));
    byId.resolves(instance(instanceStatuses[instanceStatuses.length - 1]));
    rdsMock.on(CreateDBInstanceCommand).resolves({});
    rdsMock.on(ModifyDBClusterCommand).resolves({});
    rdsMock.on(DeleteDBInstanceCommand).resolves({});
  };

  test('adds an instance, waits, sets a throwaway password, queries over TLS, removes the instance', async () => {
    arrange(['creating', 'creating', 'backing-up', 'available']);
    const { deps, now, smokeCalls } = harness(40);
    const outcome = await validateRestore('job-1', config, deps, now() + 14 * MIN);

    expect(outcome.status).toBe('SUCCESSFUL');
    expect(rdsMock.commandCalls(CreateDBInstanceCommand)[0].args[0].input).toMatchObject({
      DBInstanceIdentifier: INSTANCE_ID, DBClusterIdentifier: CLUSTER_ID, Engine: 'aurora-postgresql', DBInstanceClass: 'db.t4g.medium', PubliclyAccessible: false,
    });
    expect(rdsMock.commandCalls(ModifyDBClusterCommand)[0].args[0].input).toEqual({
      DBClusterIdentifier: CLUSTER_ID, MasterUserPassword: 'throwaway-password', ManageMasterUserPassword: false, ApplyImmediately: true,
    });
    expect(smokeCalls).toEqual([{ host: `${CLUSTER_ID}.cluster-x.eu-west-1.rds.amazonaws.com`, port: 5432, database: 'app', user: 'postgres', password: 'throwaway-password' }]);
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)[0].args[0].input).toEqual({ DBInstanceIdentifier: INSTANCE_ID, SkipFinalSnapshot: true });
    // Three polls for the instance and one pause for the new credentials after a start 40 minutes in.
    expect(outcome.rtoSeconds).toBe((40 + 4) * 60);
    // Only the verdict: a status once set cannot be changed, so no VALIDATING first.
    expect(verdicts().map((v) => v.ValidationStatus)).toEqual(['SUCCESSFUL']);
    expect(verdicts()[0].ValidationStatusMessage).toContain('answered the smoke query over TLS');
    expect(outcome.message).toContain(`drill instance ${INSTANCE_ID} deleted`);
  });

  test('a Serverless v2 cluster gets a db.serverless instance', async () => {
    arrange(['available']);
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster('available', { ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 8 } }));
    const { deps, now } = harness();
    await validateRestore('job-1', config, deps, now() + 14 * MIN);
    expect(rdsMock.commandCalls(CreateDBInstanceCommand)[0].args[0].input.DBInstanceClass).toBe('db.serverless');
  });

  test('a failed smoke query fails the drill and still removes the instance', async () => {
    arrange(['available']);
    // The function answers with X-Amz-Function-Error and its error as the payload.
    const failed = JSON.stringify({ errorType: 'error', errorMessage: 'password authentication failed for user "postgres"' });
    const { deps, now } = harness(30, (r) => smokeQueryThrough(async () => ({ statusCode: 200, functionError: 'Unhandled', payload: failed }), r));
    const outcome = await validateRestore('job-1', config, deps, now() + 14 * MIN);
    expect(outcome).toMatchObject({ status: 'FAILED', message: expect.stringContaining('smoke query failed: error: password authentication failed for user "postgres"') });
    expect(outcome.message).toContain(`drill instance ${INSTANCE_ID} deleted`);
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)).toHaveLength(1);
    expect(verdicts().pop()).toMatchObject({ ValidationStatus: 'FAILED' });
  });

  test('a smoke query without TLS fails the drill', async () => {
    arrange(['available']);
    const { deps, now } = harness(30, async () => ({ serverVersion: 'PostgreSQL 17', database: 'app', userTables: 1, tls: false, durationMs: 1 }));
    const outcome = await validateRestore('job-1', config, deps, now() + 14 * MIN);
    expect(outcome).toMatchObject({ status: 'FAILED', message: expect.stringContaining('without TLS') });
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)).toHaveLength(1);
  });

  test('an instance still creating when this invocation runs out hands over to a fresh one, leaving it running for that one', async () => {
    arrange(['creating']);
    const { deps, now, continued } = harness();
    const outcome = await validateRestore('job-1', config, deps, now() + 5 * MIN);
    expect(outcome.status).toBe('CONTINUED');
    expect(continued).toEqual(['job-1']);
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)).toHaveLength(0);
    // Nothing is reported until there is a verdict.
    expect(verdicts()).toEqual([]);
  });

  test('the next invocation finds the instance it asked for and does not create another', async () => {
    arrange(['available']);
    rdsMock.on(DescribeDBInstancesCommand, { Filters: [{ Name: 'db-cluster-id', Values: [CLUSTER_ID] }] }).resolves(instance('creating'));
    const { deps, now } = harness(50);
    const outcome = await validateRestore('job-1', config, deps, now() + 14 * MIN);
    expect(outcome.status).toBe('SUCCESSFUL');
    expect(rdsMock.commandCalls(CreateDBInstanceCommand)).toHaveLength(0);
    expect(verdicts().map((v) => v.ValidationStatus)).toEqual(['SUCCESSFUL']);
  });

  test('an instance that never becomes available: TIMED_OUT at the drill deadline, instance deleted, nothing handed over', async () => {
    arrange(['creating']);
    // 4 h window less the 15 min margin: starting 3 h 40 min in leaves 5 minutes of drill.
    const { deps, now, continued } = harness(220);
    const outcome = await validateRestore('job-1', config, deps, now() + 14 * MIN);
    expect(outcome).toMatchObject({ status: 'TIMED_OUT', message: expect.stringContaining('did not happen within the validation window') });
    expect(outcome.message).toContain(`drill instance ${INSTANCE_ID} deleted`);
    expect(continued).toEqual([]);
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)).toHaveLength(1);
    expect(verdicts().pop()).toMatchObject({ ValidationStatus: 'TIMED_OUT' });
  });

  test('a validation that starts after its window: TIMED_OUT without creating anything', async () => {
    arrange(['available']);
    const { deps, now } = harness(4 * 60);
    const outcome = await validateRestore('job-1', config, deps, now() + 14 * MIN);
    expect(outcome.status).toBe('TIMED_OUT');
    expect(rdsMock.commandCalls(CreateDBInstanceCommand)).toHaveLength(0);
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)).toHaveLength(0);
  });

  test('an instance that cannot be deleted is said so, with who cleans up', async () => {
    arrange(['available']);
    rdsMock.on(DeleteDBInstanceCommand).rejects(Object.assign(new Error('Instance is not in available state'), { name: 'InvalidDBInstanceStateFault' }));
    const { deps, now } = harness(30, async () => { throw new Error('connection timeout'); });
    const outcome = await validateRestore('job-1', config, deps, now() + 14 * MIN);
    expect(outcome).toMatchObject({ status: 'FAILED', message: expect.stringContaining('AWS Backup deletes the restored cluster at the end of the validation window') });
  });
});

function arrangeSlowRestore() {
  // Created at 03:00, completed at 06:30: at 07:00 the 4-hour window is still open.
  backup.describeRestoreJob.mockResolvedValue(job('DynamoDB', 'arn:aws:dynamodb:eu-west-1:1:table/t', { CompletionDate: new Date(CREATED + 210 * MIN) }));
  dynamodb.describeTable.mockResolvedValue({ Table: { TableStatus: 'ACTIVE' } });
  dynamodb.scan.mockResolvedValue({ Count: 1 });
}

describe('which restore jobs are drills', () => {
  test.each([
    ['no plan', undefined],
    ['no plan ARN', {}],
    ['an unknown plan', { RestoreTestingPlanArn: 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:someone_else-9z' }],
    ['a plan named like a prefix of the drill\'s', { RestoreTestingPlanArn: PLAN.slice(0, -1) }],
  ])('a restore job of %s is ignored: no verdict, nothing touched', async (_, createdBy) => {
    backup.describeRestoreJob.mockResolvedValue(job('DynamoDB', 'arn:aws:dynamodb:eu-west-1:1:table/x', { CreatedBy: createdBy }));
    const { deps, now } = harness();
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome.status).toBe('IGNORED');
    expect(outcome.message).toContain(`${PLAN} or ${PITR_PLAN}`);
    expect(verdicts()).toEqual([]);
    expect([...dynamodb.describeTable.mock.calls, ...dynamodb.scan.mock.calls]).toHaveLength(0);
  });

  test.each([['the snapshot plan', PLAN], ['the continuous (PITR) plan', PITR_PLAN]])('a restore job of %s is validated and says its plan', async (_, plan) => {
    const bucketArn = 'arn:aws:s3:::awsbackup-restore-test-pitr-1';
    backup.describeRestoreJob.mockResolvedValue(job('S3', bucketArn, { CreatedBy: { RestoreTestingPlanArn: plan } }));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 1, Contents: [{ Key: 'a.json' }] });
    s3Mock.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array(Buffer.from('x')) } as any });
    const { deps, now } = harness(20);
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'SUCCESSFUL', resourceType: 'S3', restoreTestingPlanArn: plan, rtoSeconds: 20 * 60 });
    expect(verdicts()).toEqual([expect.objectContaining({ RestoreJobId: 'job-1', ValidationStatus: 'SUCCESSFUL' })]);
  });

  test.each(['FAILED', 'ABORTED'] as const)('a restore that %s is a failed drill, without a verdict AWS Backup already has', async (status) => {
    backup.describeRestoreJob.mockResolvedValue(job('Aurora', CLUSTER_ARN, { Status: status, StatusMessage: 'Insufficient permissions' }));
    const { deps, now } = harness();
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'FAILED', resourceType: 'Aurora', message: `the restore itself did not complete: ${status} Insufficient permissions` });
    expect(verdicts()).toEqual([]);
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('a job that names a live resource is refused without touching it', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('Aurora', CLUSTER_ARN));
    const { deps, now } = harness();
    const outcome = await validateRestore('job-1', { ...config, liveResourceArns: [CLUSTER_ARN] }, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'FAILED', message: expect.stringContaining('a drill only touches restored copies') });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('the RTO counts from the restore job\'s creation, however long the restore itself took', async () => {
    arrangeSlowRestore();
    const { deps, now } = harness(4 * 60);
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'SUCCESSFUL', rtoSeconds: 4 * 3600 });
  });

  test('an unknown resource type fails clearly', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('EFS', 'arn:aws:elasticfilesystem:eu-west-1:1:file-system/fs-1'));
    const { deps, now } = harness();
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({ status: 'FAILED', message: expect.stringContaining('resource type EFS is not one this validator knows') });
  });

  test('a verdict AWS Backup refuses is kept in the outcome, never swallowed', async () => {
    backup.describeRestoreJob.mockResolvedValue(job('DynamoDB', 'arn:aws:dynamodb:eu-west-1:1:table/t'));
    backup.putRestoreValidationResult.mockRejectedValue(Object.assign(new Error('validation window closed'), { name: 'InvalidRequestException' }));
    dynamodb.describeTable.mockResolvedValue({ Table: { TableStatus: 'ACTIVE' } });
    dynamodb.scan.mockResolvedValue({ Count: 0 });
    const { deps, now } = harness();
    const outcome = await validateRestore('job-1', config, deps, now() + 10 * MIN);
    expect(outcome).toMatchObject({
      status: 'SUCCESSFUL',
      reportError: expect.stringContaining('validation window closed'),
      message: expect.stringContaining('could not be reported to AWS Backup'),
    });
  });

  test.each(['SUCCESSFUL', 'FAILED', 'TIMED_OUT'] as const)('a refused %s verdict publishes a failed drill and no measured RTO', (status) => {
    const lines: any[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => { lines.push(JSON.parse(String(chunk))); return true; });
    publishDrill('test', { restoreJobId: 'j', status, message: '', resourceType: 'Aurora', rtoSeconds: 1500, reportError: 'refused' }, CREATED);
    write.mockRestore();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ DrillFailed: 1, DrillSucceeded: 0 });
    expect(lines[0].MeasuredRto).toBeUndefined();
  });

  test.each([
    [{ source: 'aws.backup', detail: { restoreJobId: 'j1', status: 'COMPLETED' } }, { restoreJobId: 'j1', continuation: false }],
    [{ drillContinuation: { restoreJobId: 'j2' } }, { restoreJobId: 'j2', continuation: true }],
  ])('restoreJobIdOf(%j)', (event, expected) => {
    expect(restoreJobIdOf(event)).toEqual(expected);
  });

  test.each([undefined, {}, { source: 'aws.s3', detail: { restoreJobId: 'x' } }, { source: 'aws.backup', detail: {} }])('not a restore event: %j', (event) => {
    expect(() => restoreJobIdOf(event)).toThrow('not a restore job event');
  });
});

describe('the smoke query through the in-VPC function', () => {
  const REQUEST: SmokeQueryRequest = { host: 'c.cluster-x.eu-west-1.rds.amazonaws.com', port: 5432, database: 'app', user: 'admin', password: 'p' };
  const RESULT: SmokeQueryResult = { serverVersion: 'PostgreSQL 17.9 on aarch64', database: 'app', userTables: 3, tls: true, durationMs: 40 };

  test('sends the request as the payload and returns the function\'s answer', async () => {
    const sent: string[] = [];
    const invoke = async (payload: string) => {
      sent.push(payload);
      return { statusCode: 200, payload: JSON.stringify(RESULT) };
    };
    const out = await smokeQueryThrough(invoke, REQUEST);
    expect(out).toEqual(RESULT);
    expect(sent.map((p) => JSON.parse(p))).toEqual([REQUEST]);
  });

  test.each(['Unhandled', 'Handled'])('a function error (X-Amz-Function-Error: %s) is a failure with the function\'s own message', async (functionError) => {
    const payload = JSON.stringify({ errorType: 'Error', errorMessage: 'Connection terminated due to connection timeout' });
    await expect(smokeQueryThrough(async () => ({ statusCode: 200, functionError, payload }), REQUEST))
      .rejects.toThrow('smoke query failed: Error: Connection terminated due to connection timeout');
  });

  test('a function error whose payload is not JSON still fails, with what it said', async () => {
    await expect(smokeQueryThrough(async () => ({ statusCode: 200, functionError: 'Unhandled', payload: 'Task timed out after 60.00 seconds' }), REQUEST))
      .rejects.toThrow('smoke query failed: Unhandled: Task timed out after 60.00 seconds');
  });

  test('an answer that is not JSON fails clearly', async () => {
    await expect(smokeQueryThrough(async () => ({ statusCode: 200, payload: '<html>' }), REQUEST)).rejects.toThrow('not JSON');
  });

  test('a service error (the function cannot be invoked) is thrown as it is', async () => {
    const error = Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' });
    await expect(smokeQueryThrough(async () => { throw error; }, REQUEST)).rejects.toBe(error);
  });
});

describe('configuration and metrics', () => {
  const env = { ENVIRONMENT: 'test', RESTORE_TESTING_PLAN_ARNS: `${PLAN},${PITR_PLAN}`, SMOKE_QUERY_FUNCTION: 'f', VALIDATION_WINDOW_HOURS: '4' };
  test('reads the configuration with defaults', () => {
    expect(readDrillConfig(env)).toEqual({ ...config, smokeQueryFunction: 'f', s3ProbeKey: undefined, liveResourceArns: [] });
    expect(readDrillConfig({ ...env, LIVE_RESOURCE_ARNS: 'arn:a,arn:b' }).liveResourceArns).toEqual(['arn:a', 'arn:b']);
  });
  test.each(['0', '169', '2.5', 'x'])('VALIDATION_WINDOW_HOURS %s is refused', (hours) => {
    expect(() => readDrillConfig({ ...env, VALIDATION_WINDOW_HOURS: hours })).toThrow('VALIDATION_WINDOW_HOURS must be a whole number from 1 to 168');
  });
  test('missing settings are named', () => {
    expect(() => readDrillConfig({ ENVIRONMENT: 'x' })).toThrow('missing configuration: RESTORE_TESTING_PLAN_ARNS, SMOKE_QUERY_FUNCTION, VALIDATION_WINDOW_HOURS');
  });
  test('one plan is a list of one', () => {
    expect(readDrillConfig({ ...env, RESTORE_TESTING_PLAN_ARNS: PLAN }).restoreTestingPlanArns).toEqual([PLAN]);
  });
  test.each([`${PLAN},`, `,${PLAN}`, 'dr_drills_test', `${PLAN},dr_pitr_test`])('RESTORE_TESTING_PLAN_ARNS %s is refused', (plans) => {
    expect(() => readDrillConfig({ ...env, RESTORE_TESTING_PLAN_ARNS: plans })).toThrow('RESTORE_TESTING_PLAN_ARNS must be a comma-separated list of restore testing plan ARNs');
  });

  test.each([
    ['SUCCESSFUL', { MeasuredRto: 1500, DrillSucceeded: 1, DrillFailed: 0 }, []],
    ['FAILED', { DrillFailed: 1, DrillSucceeded: 0 }, ['MeasuredRto']],
    ['TIMED_OUT', { DrillFailed: 1, DrillSucceeded: 0 }, ['MeasuredRto']],
  ] as const)('a %s drill publishes per resource type', (status, present, absent) => {
    const lines: any[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => { lines.push(JSON.parse(String(c))); return true; });
    publishDrill('test', { restoreJobId: 'j', status, message: '', resourceType: 'Aurora', rtoSeconds: 1500 }, CREATED);
    write.mockRestore();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'restore-drill', Environment: 'test', ResourceType: 'Aurora', ...present });
    for (const name of absent) expect(lines[0][name]).toBeUndefined();
  });

  test.each(['CONTINUED', 'IGNORED'] as const)('a %s drill publishes nothing', (status) => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    publishDrill('test', { restoreJobId: 'j', status, message: '', resourceType: 'Aurora' }, CREATED);
    expect(write).not.toHaveBeenCalled();
    write.mockRestore();
  });

  test.each([
    ['short', 'drill-short'],
    ['a'.repeat(70), `drill-${'a'.repeat(57)}`],
    [`${'b'.repeat(56)}-cc`, `drill-${'b'.repeat(56)}`],
  ])('drill instance id for %s fits RDS rules', (cluster, expected) => {
    const id = drillInstanceId(cluster);
    expect(id).toBe(expected);
    expect(id.length).toBeLessThanOrEqual(63);
    expect(id).not.toMatch(/-$|--/);
  });
});
