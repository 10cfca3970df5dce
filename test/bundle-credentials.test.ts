/**
 * The handler bundles take their AWS credentials from the environment only
 * (src/private/lambda-credentials.ts, aliased in by scripts/handler-bundling.ts):
 * each built bundle, run in a fresh Node.js process with fake
 * credentials in the variables Lambda sets, sends its first AWS request
 * signed with them; without them it fails at once and sends nothing; and
 * none carries the SDK's other credential providers. Three handlers also run
 * whole invocations against the stand-in, through the SDK schemas as
 * bundled and, for the restore validator, through its hand-written signed
 * calls, whose signatures are checked. Needs the `bundle` task first, like
 * test/sizes.test.ts.
 */
import { ChildProcess, spawn } from 'child_process';
import { createHash, createHmac } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { BUNDLED_HANDLERS, BundledHandler, bundleDirectory } from '../src/private/bundled-function';

const FAKE_KEY_ID = 'AKIAFAKEBUNDLETEST01';
const FAKE_SECRET = 'fake-secret-access-key';

interface Invocation {
  /** The signing name of the service the handler calls first. */
  readonly service: string;
  /** The handler's configuration (its function environment). */
  readonly env?: Record<string, string>;
  readonly event: unknown;
}

/** The handlers' ResponseURL and EventBridge-shaped events are built per test (they need the server's port). */
type Case = (base: string) => Invocation;

const customResource = (base: string, properties: Record<string, string>) => ({
  RequestType: 'Delete',
  ResponseURL: `${base}/cfn-response`,
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/test/1',
  RequestId: 'request-1',
  LogicalResourceId: 'Resource',
  PhysicalResourceId: 'resource-1',
  ResourceType: 'Custom::Test',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f', ...properties },
});

/** The rehearsal function's configuration between two regions. */
const rehearsalEnv = (primaryRegion: string, secondaryRegion: string): Record<string, string> => ({
  PLAN_ARN: 'arn:aws:arc-region-switch::123456789012:plan/dr-switch-test:abc123',
  PRIMARY_REGION: primaryRegion,
  SECONDARY_REGION: secondaryRegion,
  ENVIRONMENT: 'test',
  RTO_MINUTES: '15',
  LEG_TIMEOUT_MINUTES: '60',
  WRITER_REGION_PARAMETER: '/test/region/writer',
  LAST_SUCCESS_PARAMETER: '/test/region/rehearsal/last-success',
  MARKER_TABLE: 'dr-table-test',
  MARKER_PARTITION_KEY: 'pk',
});

/** One invocation per handler that makes its first AWS call straight away. */
const CASES: Partial<Record<BundledHandler, Case>> = {
  'dr-alarms/global-cluster-role': () => ({
    service: 'rds',
    env: { GLOBAL_CLUSTER_ID: 'dr-aurora-global-test', CLUSTER_ARN: 'arn:aws:rds:us-east-1:123456789012:cluster:dr-aurora-test' },
    event: {},
  }),
  'dr-backup-vault/drain-vault': (base) => ({
    service: 'backup',
    event: customResource(base, { BackupVaultName: 'vault-test' }),
  }),
  'encrypted-aurora/remove-secret-replicas': (base) => ({
    service: 'secretsmanager',
    event: customResource(base, { SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf' }),
  }),
  'recovery-point-monitor/recovery-point-age': () => ({
    service: 'rds',
    env: {
      ENVIRONMENT: 'test',
      RESOURCES: JSON.stringify([{ name: 'db', arn: 'arn:aws:rds:us-east-1:123456789012:cluster:db', type: 'Aurora' }]),
    },
    event: {},
  }),
  'region-health-check/probe': () => ({
    service: 'dynamodb',
    env: { ENVIRONMENT: 'test', TABLE_NAME: 'table-test', TABLE_KEY: JSON.stringify({ pk: { S: 'canary' } }) },
    event: {},
  }),
  'region-switch-plan/failover-watch': () => ({
    service: 'rds',
    env: { ENVIRONMENT: 'test', PRIMARY_REGION: 'us-east-1', PRIMARY_CLUSTER_ID: 'dr-aurora-test', SECONDARY_CLUSTER_ID: 'dr-aurora-test', GLOBAL_CLUSTER_ID: 'dr-aurora-global-test' },
    event: {},
  }),
  'region-switch-plan/fence-writes': () => ({
    service: 'ssm',
    env: { WRITER_REGION_PARAMETER: '/dr/writer-region', PLAN_REGIONS: 'us-east-1,us-west-2' },
    event: { writerRegion: 'us-west-2' },
  }),
  // The hand-written ARC client (src/private/arc-region-switch-client.ts), in its isComplete role.
  'region-switch-plan/plan-health-checks': () => ({
    service: 'arc-region-switch',
    event: {
      RequestType: 'Create',
      PhysicalResourceId: 'arn:aws:arc-region-switch::123456789012:plan/dr-switch-test:abc',
      WaitStartedAt: Date.now(),
      ResourceProperties: {
        PlanArn: 'arn:aws:arc-region-switch::123456789012:plan/dr-switch-test:abc',
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        RecordName: 'api.example.com',
        PrimaryRegion: 'us-east-1',
        SecondaryRegion: 'us-west-2',
        WaitMinutes: '25',
      },
    },
  }),
  // The preflight reads the secondary's writer-region parameter first (here us-east-1, the stand-in's signing region).
  'region-switch-plan/rehearsal': () => ({
    service: 'ssm',
    env: rehearsalEnv('us-west-2', 'us-east-1'),
    event: { action: 'preflight' },
  }),
  'region-switch-plan/verify-writer': () => ({
    service: 'secretsmanager',
    env: { DB_HOST: '127.0.0.1', DB_PORT: '5432', DB_NAME: 'app', DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf' },
    event: { ExecutionId: 'us-west-2/0123456789abcdef' },
  }),
  'restore-drill/validate-restore': () => ({
    service: 'backup',
    env: {
      ENVIRONMENT: 'test',
      RESTORE_TESTING_PLAN_ARNS: 'arn:aws:backup:us-east-1:123456789012:restore-testing-plan:plan-1',
      SMOKE_QUERY_FUNCTION: 'smoke-query',
      VALIDATION_WINDOW_HOURS: '24',
    },
    event: { 'source': 'aws.backup', 'detail-type': 'Restore Job State Change', 'detail': { restoreJobId: 'job-1' } },
  }),
};

/** Handlers that call no AWS API (the smoke query talks to PostgreSQL only). */
const NO_AWS_SDK: BundledHandler[] = ['restore-drill/smoke-query'];

/** Text only the SDK's other credential providers carry (SSO, shared files, container and instance metadata). */
const OTHER_PROVIDER_MARKERS = ['defaultProvider::fromSSO', 'credential-provider-ini - fromIni', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'];

const bundlePath = (handler: BundledHandler) => path.join(bundleDirectory(handler), 'index.js');

interface Received { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

interface Answer { status: number; contentType: string; body: string }

/** A local stand-in for every AWS endpoint and for the CloudFormation response URL. */
class FakeAws {
  readonly received: Received[] = [];
  private readonly server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      this.received.push(received);
      this.waiters.forEach((w) => w());
      const answer = this.answer(received);
      res.writeHead(answer.status, { 'content-type': answer.contentType });
      res.end(answer.body);
    });
  });
  private waiters: Array<() => void> = [];
  /** What the stand-in answers; by default an error, as the signing tests stop the handler at its first request. */
  answer: (r: Received) => Answer = (r) => r.url === '/cfn-response'
    ? { status: 200, contentType: 'text/plain', body: '' }
    : { status: 400, contentType: 'application/json', body: JSON.stringify({ __type: 'ValidationException', message: 'stand-in' }) };

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves with the first request `match` accepts, or rejects after `ms`. */
  async next(match: (r: Received) => boolean, ms: number, child: ChildProcess, output: () => string): Promise<Received> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.find(match);
        if (found) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => reject(new Error(`no matching request in ${ms} ms; the handler printed:\n${output()}`)), ms);
      child.on('exit', () => setTimeout(() => {
        check();
        reject(new Error(`the handler exited before a matching request; it printed:\n${output()}`));
      }, 100));
      this.waiters.push(check);
      check();
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Runs a bundle's handler once in a fresh process with only the given environment (and `remainingMs` of invocation time). */
function runHandler(
  handler: BundledHandler, env: Record<string, string>, event: unknown, remainingMs = 300_000,
): { child: ChildProcess; output: () => string } {
  const script = `
    const m = require(${JSON.stringify(bundlePath(handler))});
    const started = Date.now();
    const context = { functionName: 'bundle-test', getRemainingTimeInMillis: () => ${remainingMs} - (Date.now() - started) };
    Promise.resolve(m.handler(${JSON.stringify(event)}, context)).then(
      (r) => console.log('RESULT', JSON.stringify(r)),
      (e) => console.log('ERROR', e && e.message));`;
  const child = spawn(process.execPath, ['-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      // Neither a home folder's shared config nor the machine's own settings take part.
      HOME: '/nonexistent',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'bundle-test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}

const stopped = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  child.on('exit', () => resolve());
  child.kill();
});

let aws: FakeAws;
let base: string;
beforeEach(async () => {
  aws = new FakeAws();
  base = await aws.start();
});
afterEach(() => aws.stop());

/** The Lambda-style credentials in the environment, and every client's endpoint set to the stand-in. */
function fakeCredentials(endpoint: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: FAKE_KEY_ID,
    AWS_SECRET_ACCESS_KEY: FAKE_SECRET,
    AWS_SESSION_TOKEN: 'fake-session-token',
    // Honoured by the SDK's endpoint resolution for every client
    // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
    AWS_ENDPOINT_URL: endpoint,
  };
}

test('every handler bundle is either swept here or listed as calling no AWS API', () => {
  expect([...Object.keys(CASES), ...NO_AWS_SDK].sort()).toEqual([...BUNDLED_HANDLERS].sort());
});

test.each(Object.keys(CASES) as BundledHandler[])('the %s bundle signs its first AWS request with the credentials in the environment', async (handler) => {
  const { service, env, event } = CASES[handler]!(base);
  const { child, output } = runHandler(handler, { ...env, ...fakeCredentials(base) }, event);
  try {
    const request = await aws.next((r) => r.headers.authorization !== undefined, 10_000, child, output);
    expect(request.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${FAKE_KEY_ID}/\\d{8}/us-east-1/${service}/aws4_request, `));
    expect(request.headers['x-amz-security-token']).toBe('fake-session-token');
  } finally {
    await stopped(child);
  }
}, 15_000);

test('without credentials in the environment a handler fails at once and sends nothing to AWS', async () => {
  const { child, output } = runHandler('dr-backup-vault/drain-vault', { AWS_ENDPOINT_URL: base }, customResource(base, { BackupVaultName: 'vault-test' }));
  try {
    // The custom resource reports its failure to CloudFormation.
    const response = await aws.next((r) => r.url === '/cfn-response', 10_000, child, output);
    expect(JSON.parse(response.body)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('Unable to find environment variable credentials') });
    expect(aws.received.filter((r) => r.url !== '/cfn-response')).toEqual([]);
  } finally {
    await stopped(child);
  }
}, 15_000);

/** Runs a handler to its end and returns what it returned. */
async function handlerResult(handler: BundledHandler, env: Record<string, string>, event: unknown, remainingMs?: number): Promise<any> {
  const { child, output } = runHandler(handler, { ...env, ...fakeCredentials(base) }, event, remainingMs);
  try {
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const line = output().split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`the handler returned nothing; it printed:\n${output()}`);
    return JSON.parse(line.slice('RESULT '.length));
  } finally {
    await stopped(child);
  }
}

// Whole invocations through the built bundles, so their requests and the
// answers go through the SDK schemas as bundled (scripts/handler-bundling.ts
// rewrites them): three protocols (AWS query XML, REST JSON, JSON 1.0) and a
// modelled error the handler tells apart by its name.
describe('whole invocations against the stand-in', () => {
  const monitorEnv = {
    ENVIRONMENT: 'test',
    RESOURCES: JSON.stringify([{ name: 'db', arn: 'arn:aws:rds:us-east-1:123456789012:cluster:db', type: 'Aurora' }]),
  };
  const rdsXml = (inner: string) => `<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">${inner}<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeDBClustersResponse>`;

  test('the recovery-point monitor reads an RDS cluster and its AWS Backup recovery points', async () => {
    const now = Date.now();
    aws.answer = (r) => r.headers.authorization?.includes('/rds/')
      ? { status: 200, contentType: 'text/xml', body: rdsXml(`<DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentifier>db</DBClusterIdentifier><LatestRestorableTime>${new Date(now - 300_000).toISOString()}</LatestRestorableTime></DBCluster></DBClusters></DescribeDBClustersResult>`) }
      : { status: 200, contentType: 'application/json', body: JSON.stringify({ RecoveryPoints: [{ RecoveryPointArn: 'arn:aws:backup:us-east-1:123456789012:recovery-point:rp-1', Status: 'COMPLETED', CreationDate: (now - 3_600_000) / 1000 }] }) };
    const result = await handlerResult('recovery-point-monitor/recovery-point-age', monitorEnv, {});
    const [measurement] = result.measurements;
    expect(measurement).toMatchObject({ name: 'db', status: 'MEASURED' });
    // To the second, on the clock the SDK takes from the stand-in's Date header.
    expect(measurement.restorableTimeAgeSeconds).toBeGreaterThanOrEqual(298);
    expect(measurement.restorableTimeAgeSeconds).toBeLessThan(360);
    expect(measurement.recoveryPointAgeSeconds).toBeGreaterThanOrEqual(3598);
    expect(measurement.recoveryPointAgeSeconds).toBeLessThan(3660);
    const backup = aws.received.find((r) => r.headers.authorization?.includes('/backup/'))!;
    // The path and query names are traits of the schemas the bundling rewrites.
    expect(decodeURIComponent(backup.url)).toBe('/resources/arn:aws:rds:us-east-1:123456789012:cluster:db/recovery-points?managedByAWSBackupOnly=true&maxResults=100');
  }, 15_000);

  test('the recovery-point monitor knows a deleted cluster by the error RDS answers', async () => {
    aws.answer = () => ({
      status: 404,
      contentType: 'text/xml',
      body: '<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>DBClusterNotFoundFault</Code><Message>DBCluster db not found.</Message></Error><RequestId>r-2</RequestId></ErrorResponse>',
    });
    const result = await handlerResult('recovery-point-monitor/recovery-point-age', monitorEnv, {});
    expect(result.measurements[0]).toMatchObject({ name: 'db', status: 'NOT_FOUND' });
  }, 15_000);

  test('the Region health probe reads a DynamoDB item and an S3 bucket', async () => {
    aws.answer = (r) => r.headers.authorization?.includes('/dynamodb/')
      ? { status: 200, contentType: 'application/x-amz-json-1.0', body: JSON.stringify({ Item: { pk: { S: 'canary' } } }) }
      : { status: 200, contentType: 'application/xml', body: '' };
    const result = await handlerResult('region-health-check/probe', {
      ENVIRONMENT: 'test', TABLE_NAME: 'table-test', TABLE_KEY: JSON.stringify({ pk: { S: 'canary' } }), BUCKET_NAME: 'bucket-test',
    }, {});
    expect(result.healthy).toBe(true);
    expect(JSON.stringify(result.results)).toContain('an item exists under the probe key');
    const getItem = aws.received.find((r) => r.headers['x-amz-target'] === 'DynamoDB_20120810.GetItem')!;
    expect(JSON.parse(getItem.body)).toEqual({ TableName: 'table-test', Key: { pk: { S: 'canary' } } });
    expect(aws.received.some((r) => r.method === 'HEAD' && r.url.startsWith('/bucket-test'))).toBe(true);
  }, 15_000);
});

/**
 * Recomputes a request's SigV4 signature from what the stand-in received, with
 * the fake secret, for `service` in us-east-1
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html;
 * services other than S3 encode each path segment once more in the canonical URI).
 */
function signatureHolds(r: Received, service: string): boolean {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();
  const authorization = String(r.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1].split(';');
  const amzDate = String(r.headers['x-amz-date']);
  const [pathname, query = ''] = r.url.split('?');
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const canonicalPath = pathname.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  const canonical = [r.method, canonicalPath, canonicalQuery, ...signedHeaders.map((h) => `${h}:${String(r.headers[h]).trim()}`), '', signedHeaders.join(';'), sha(r.body)].join('\n');
  const scope = `${amzDate.slice(0, 8)}/us-east-1/${service}/aws4_request`;
  let key = hmac(`AWS4${FAKE_SECRET}`, amzDate.slice(0, 8));
  for (const part of ['us-east-1', service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(['AWS4-HMAC-SHA256', amzDate, scope, sha(canonical)].join('\n')).digest('hex');
  return authorization === `AWS4-HMAC-SHA256 Credential=${FAKE_KEY_ID}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${expected}`;
}

// The restore validator calls AWS Backup, DynamoDB and Lambda with hand-written
// signed requests (src/private/signed-call.ts and its neighbours) and RDS and
// S3 through the SDK: whole invocations prove the hand-written ones as built.
describe('the restore validator against the stand-in', () => {
  const PLAN = 'arn:aws:backup:us-east-1:123456789012:restore-testing-plan:plan-1';
  const validatorEnv = { ENVIRONMENT: 'test', RESTORE_TESTING_PLAN_ARNS: PLAN, SMOKE_QUERY_FUNCTION: 'smoke-query', VALIDATION_WINDOW_HOURS: '24' };
  const restoreEvent = { 'source': 'aws.backup', 'detail-type': 'Restore Job State Change', 'detail': { restoreJobId: 'job-1' } };
  const restoreJob = (resourceType: string, createdResourceArn: string) => ({
    RestoreJobId: 'job-1',
    Status: 'COMPLETED',
    ResourceType: resourceType,
    CreatedResourceArn: createdResourceArn,
    CreationDate: Date.now() / 1000 - 1800,
    CompletionDate: Date.now() / 1000 - 60,
    CreatedBy: { RestoreTestingPlanArn: PLAN },
  });
  const service = (r: Received) => /\/us-east-1\/([a-z0-9-]+)\/aws4_request/.exec(String(r.headers.authorization))?.[1];
  const json = (body: unknown, status = 200): Answer => ({ status, contentType: 'application/json', body: body === undefined ? '' : JSON.stringify(body) });

  test('a DynamoDB drill: the restore job read from AWS Backup, the table described and scanned, the verdict reported', async () => {
    aws.answer = (r) => {
      if (service(r) === 'backup' && r.method === 'GET') return json(restoreJob('DynamoDB', 'arn:aws:dynamodb:us-east-1:123456789012:table/restored-1'));
      if (service(r) === 'backup' && r.method === 'PUT') return json(undefined, 204);
      if (r.headers['x-amz-target'] === 'DynamoDB_20120810.DescribeTable') return json({ Table: { TableName: 'restored-1', TableStatus: 'ACTIVE', ItemCount: 7 } });
      if (r.headers['x-amz-target'] === 'DynamoDB_20120810.Scan') return json({ Count: 1, ScannedCount: 1, Items: [{ pk: { S: 'a' } }] });
      return json({ __type: 'ValidationException', message: 'unexpected' }, 400);
    };
    const result = await handlerResult('restore-drill/validate-restore', validatorEnv, restoreEvent);
    expect(result).toMatchObject({ status: 'SUCCESSFUL', resourceType: 'DynamoDB', message: expect.stringContaining('table restored-1 is ACTIVE and readable (1 item read, 7 items reported)') });
    expect(result.reportError).toBeUndefined();
    // RTO from the job's epoch-second creation date, about 30 minutes ago.
    expect(result.rtoSeconds).toBeGreaterThanOrEqual(1800);
    expect(result.rtoSeconds).toBeLessThan(1860);

    expect(aws.received.map((r) => [r.method, r.url, service(r), r.headers['x-amz-target']])).toEqual([
      ['GET', '/restore-jobs/job-1', 'backup', undefined],
      ['POST', '/', 'dynamodb', 'DynamoDB_20120810.DescribeTable'],
      ['POST', '/', 'dynamodb', 'DynamoDB_20120810.Scan'],
      ['PUT', '/restore-jobs/job-1/validations', 'backup', undefined],
    ]);
    const [, describe, scanned, verdict] = aws.received;
    expect(JSON.parse(describe.body)).toEqual({ TableName: 'restored-1' });
    expect(describe.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(scanned.body)).toEqual({ TableName: 'restored-1', Limit: 1 });
    expect(JSON.parse(verdict.body)).toEqual({ ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: expect.stringContaining('ACTIVE and readable') });
    for (const r of aws.received) {
      expect(r.headers['x-amz-security-token']).toBe('fake-session-token');
      expect(signatureHolds(r, service(r)!)).toBe(true);
    }
  }, 15_000);

  test('throttling and a service error from the hand-written calls: retried, then the service\'s error in the verdict', async () => {
    let scans = 0;
    aws.answer = (r) => {
      if (service(r) === 'backup' && r.method === 'GET') return json(restoreJob('DynamoDB', 'arn:aws:dynamodb:us-east-1:123456789012:table/restored-2'));
      if (service(r) === 'backup' && r.method === 'PUT') return json(undefined, 204);
      if (r.headers['x-amz-target'] === 'DynamoDB_20120810.DescribeTable') return json({ Table: { TableStatus: 'ACTIVE' } });
      scans++;
      return scans === 1
        ? json({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' }, 400)
        : json({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' }, 400);
    };
    const result = await handlerResult('restore-drill/validate-restore', validatorEnv, restoreEvent);
    expect(scans).toBe(2);
    expect(result).toMatchObject({ status: 'FAILED', message: 'ResourceNotFoundException: Requested resource not found' });
    const verdict = aws.received.find((r) => r.method === 'PUT')!;
    expect(JSON.parse(verdict.body)).toEqual({ ValidationStatus: 'FAILED', ValidationStatusMessage: 'ResourceNotFoundException: Requested resource not found' });
  }, 15_000);

  test('an Aurora drill out of invocation time hands over to a fresh invocation through Lambda Invoke', async () => {
    const clusterXml = '<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClustersResult><DBClusters><DBCluster>'
      + '<DBClusterIdentifier>restored-db</DBClusterIdentifier><Status>creating</Status></DBCluster></DBClusters></DescribeDBClustersResult>'
      + '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeDBClustersResponse>';
    aws.answer = (r) => {
      if (service(r) === 'backup') return json(restoreJob('Aurora', 'arn:aws:rds:us-east-1:123456789012:cluster:restored-db'));
      if (service(r) === 'rds') return { status: 200, contentType: 'text/xml', body: clusterXml };
      if (service(r) === 'lambda') return json(undefined, 202);
      return json({ __type: 'ValidationException', message: 'unexpected' }, 400);
    };
    // 70 s left: less than a 30-second poll and the minute kept for handing over.
    const result = await handlerResult('restore-drill/validate-restore', validatorEnv, restoreEvent, 70_000);
    expect(result).toMatchObject({ status: 'CONTINUED', message: 'still waiting: restored cluster restored-db available' });
    const invoke = aws.received.find((r) => service(r) === 'lambda')!;
    expect(invoke.method).toBe('POST');
    expect(invoke.url).toBe('/2015-03-31/functions/bundle-test/invocations');
    expect(invoke.headers['x-amz-invocation-type']).toBe('Event');
    expect(JSON.parse(invoke.body)).toEqual({ drillContinuation: { restoreJobId: 'job-1' } });
    expect(signatureHolds(invoke, 'lambda')).toBe(true);
    // Nothing reported: the next invocation goes on with the drill.
    expect(aws.received.filter((r) => service(r) === 'backup').map((r) => r.method)).toEqual(['GET']);
  }, 15_000);
});

// The rehearsal writes its DynamoDB marker through the SDK and its database
// marker by invoking the region's verify-writer function with a hand-written
// signed call (src/private/lambda-invoke-call.ts): the built bundle, whole.
test('the rehearsal bundle writes the table marker, then invokes the database marker function, signed for lambda', async () => {
  const fn = 'arn:aws:lambda:us-east-1:123456789012:function:dr-verify-writer-test';
  aws.answer = (r) => r.headers['x-amz-target'] === 'DynamoDB_20120810.PutItem'
    ? { status: 200, contentType: 'application/x-amz-json-1.0', body: '{}' }
    : { status: 200, contentType: 'application/json', body: JSON.stringify({ action: 'write', marker: 'r-1#failover', found: true, writtenIn: 'us-east-1', writtenAt: '2026-12-05T00:00:00.000Z' }) };
  const result = await handlerResult('region-switch-plan/rehearsal', {
    ...rehearsalEnv('us-east-1', 'us-west-2'),
    MARKER_FUNCTION_PRIMARY: fn,
    MARKER_FUNCTION_SECONDARY: 'arn:aws:lambda:us-west-2:123456789012:function:dr-verify-writer-test',
  }, { action: 'writeMarker', rehearsalId: 'r-1', leg: 'failover' });
  expect(result).toMatchObject({ leg: 'failover', writtenIn: 'us-east-1', database: { function: fn, writtenAt: '2026-12-05T00:00:00.000Z' } });
  expect(aws.received.map((r) => r.headers['x-amz-target'] ?? `${r.method} ${decodeURIComponent(r.url)}`)).toEqual([
    'DynamoDB_20120810.PutItem',
    `POST /2015-03-31/functions/${fn}/invocations`,
  ]);
  const invoke = aws.received[1];
  expect(invoke.headers['x-amz-invocation-type']).toBe('RequestResponse');
  expect(JSON.parse(invoke.body)).toEqual({ rehearsalMarker: { action: 'write', marker: 'r-1#failover' } });
  expect(signatureHolds(invoke, 'lambda')).toBe(true);
}, 15_000);

describe.each([...BUNDLED_HANDLERS])('the %s bundle', (handler) => {
  const text = () => fs.readFileSync(bundlePath(handler), 'utf8');

  test('carries none of the SDK\'s other credential providers', () => {
    const content = text();
    expect(OTHER_PROVIDER_MARKERS.filter((marker) => content.includes(marker))).toEqual([]);
  });

  if (!NO_AWS_SDK.includes(handler)) {
    test('carries the environment credential provider', () => {
      expect(text()).toContain('@aws-sdk/credential-provider-env - fromEnv');
    });
  }
});

test('the markers are those of the full credential chain, which the cdk-dr command line keeps', () => {
  const cli = fs.readFileSync(path.join(__dirname, '..', 'assets', 'cli', 'cdk-dr', 'index.js'), 'utf8');
  expect(OTHER_PROVIDER_MARKERS.filter((marker) => !cli.includes(marker))).toEqual([]);
});
