import * as net from 'net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Clock } from '../../src/private/aws-calls';
import {
  CheckResult,
  Clients,
  connectTcp,
  createClients,
  handler,
  ProbeConfig,
  ProbeOptions,
  publish,
  readConfig,
  regionHealthy,
  runChecks,
} from '../../src/region-health-check/probe.lambda';

const dynamoMock = mockClient(DynamoDBClient);
const s3Mock = mockClient(S3Client);

const NOW = Date.parse('2026-11-30T12:00:00Z');

function named(name: string, message = name, httpStatusCode?: number): Error {
  const e = new Error(message) as Error & { $metadata?: { httpStatusCode?: number } };
  e.name = name;
  if (httpStatusCode) e.$metadata = { httpStatusCode };
  return e;
}
const throttle = () => named('ThrottlingException', 'Rate exceeded');

/** A fake clock that never waits: sleeping moves it on. */
function fakeClock(start = NOW) {
  let t = start;
  const slept: number[] = [];
  const clock: Clock = { now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; } };
  return { clock, slept };
}
const clients = (): Clients => ({ dynamodb: new DynamoDBClient({ region: 'us-east-1' }), s3: new S3Client({ region: 'us-east-1' }) });
const opts = (clock: Clock, extra: Partial<ProbeOptions> = {}): ProbeOptions => ({
  clock, backoff: { baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 4 }, ...extra,
});
const TABLE = { tableName: 'dr-table-test', key: { pk: { S: '__dr-region-health-probe__' } } };

/** A real TCP server on 127.0.0.1 that accepts and closes each connection. */
async function listeningServer(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const server = net.createServer((socket) => { accepted++; socket.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, accepted: () => accepted, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A socket that never connects nor fails: a host that drops SYNs. */
const silentSocket = () => new net.Socket();

beforeEach(() => {
  dynamoMock.reset();
  s3Mock.reset();
});

describe('connectTcp against a real local server', () => {
  test('resolves when the server accepts, and closes the connection', async () => {
    const server = await listeningServer();
    try {
      await expect(connectTcp('127.0.0.1', server.port, 2_000)).resolves.toBeUndefined();
      // The server saw exactly one connection.
      await new Promise((r) => setTimeout(r, 50));
      expect(server.accepted()).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('a refused connection fails with the host, port and code', async () => {
    const port = await closedPort();
    await expect(connectTcp('127.0.0.1', port, 2_000)).rejects.toThrow(`TCP connection to 127.0.0.1:${port} failed: ECONNREFUSED`);
  });

  test('a name that does not resolve fails with ENOTFOUND', async () => {
    await expect(connectTcp('no-such-cluster.invalid', 5432, 2_000)).rejects.toThrow('failed: ENOTFOUND');
  });

  test('no answer within the timeout fails, and the socket is destroyed', async () => {
    let socket: net.Socket | undefined;
    const started = Date.now();
    await expect(connectTcp('10.0.0.1', 5432, 150, () => (socket = silentSocket())))
      .rejects.toThrow('no TCP connection to 10.0.0.1:5432 within 150 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(socket!.destroyed).toBe(true);
  });
});

describe('runChecks', () => {
  test('all healthy: database over TCP, GetItem with the probe key, HeadBucket', async () => {
    const server = await listeningServer();
    dynamoMock.on(GetItemCommand).resolves({});
    s3Mock.on(HeadBucketCommand).resolves({});
    try {
      const config: ProbeConfig = {
        environment: 'test', database: { host: '127.0.0.1', port: server.port }, table: TABLE, bucketName: 'dr-data-test', timeoutMs: 2_000,
      };
      const results = await runChecks(clients(), config, opts(fakeClock().clock));
      expect(results.map((r) => [r.check, r.status])).toEqual([['database', 'HEALTHY'], ['table', 'HEALTHY'], ['bucket', 'HEALTHY']]);
      expect(regionHealthy(results)).toBe(true);
      expect(dynamoMock.commandCalls(GetItemCommand)[0].args[0].input).toEqual({ TableName: 'dr-table-test', Key: TABLE.key });
      expect(s3Mock.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({ Bucket: 'dr-data-test' });
      expect(results[1].detail).toContain('no item, as expected');
    } finally {
      await server.close();
    }
  });

  test('partial failure: the database refuses, the others still run and pass; the region is unhealthy', async () => {
    const port = await closedPort();
    dynamoMock.on(GetItemCommand).resolves({});
    s3Mock.on(HeadBucketCommand).resolves({});
    const results = await runChecks(clients(), {
      environment: 'test', database: { host: '127.0.0.1', port }, table: TABLE, bucketName: 'b', timeoutMs: 2_000,
    }, opts(fakeClock().clock));
    expect(results.map((r) => r.status)).toEqual(['UNHEALTHY', 'HEALTHY', 'HEALTHY']);
    expect(results[0].detail).toContain('ECONNREFUSED');
    expect(regionHealthy(results)).toBe(false);
  });

  test('throttling is retried with backoff and passes when it clears', async () => {
    dynamoMock.on(GetItemCommand).rejectsOnce(throttle()).rejectsOnce(throttle()).resolves({ Item: { pk: { S: 'x' } } });
    const { clock, slept } = fakeClock();
    const [result] = await runChecks(clients(), { environment: 'test', table: TABLE, timeoutMs: 5_000 }, opts(clock));
    expect(result.status).toBe('HEALTHY');
    expect(result.detail).toContain('an item exists under the probe key');
    expect(dynamoMock.commandCalls(GetItemCommand)).toHaveLength(3);
    expect(slept).toHaveLength(2);
    expect(slept[1]).toBeGreaterThanOrEqual(slept[0] / 2);
  });

  test('throttling that outlasts the retries counts as an answer (THROTTLED), not as a failed region', async () => {
    s3Mock.on(HeadBucketCommand).rejects(named('SlowDown', 'Please reduce your request rate', 503));
    dynamoMock.on(GetItemCommand).rejects(throttle());
    const results = await runChecks(clients(), { environment: 'test', table: TABLE, bucketName: 'b', timeoutMs: 5_000 }, opts(fakeClock().clock));
    expect(results.find((r) => r.check === 'table')).toMatchObject({ status: 'THROTTLED', detail: expect.stringContaining('ThrottlingException') });
    expect(results.find((r) => r.check === 'bucket')).toMatchObject({ status: 'THROTTLED', detail: expect.stringContaining('SlowDown') });
    expect(dynamoMock.commandCalls(GetItemCommand)).toHaveLength(4);
    expect(s3Mock.commandCalls(HeadBucketCommand)).toHaveLength(4);
    expect(regionHealthy(results)).toBe(true);
  });

  test('throttling retries stop at the check deadline', async () => {
    dynamoMock.on(GetItemCommand).rejects(throttle());
    const { clock, slept } = fakeClock();
    const [result] = await runChecks(clients(), { environment: 'test', table: TABLE, timeoutMs: 250 }, opts(clock));
    expect(result.status).toBe('THROTTLED');
    // 100 ms base: at most one or two waits fit before the 250 ms deadline.
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThan(250);
  });

  test('a call that never answers fails its check at the timeout; the others are not held up', async () => {
    dynamoMock.on(GetItemCommand).callsFake(() => new Promise(() => undefined));
    s3Mock.on(HeadBucketCommand).resolves({});
    const started = Date.now();
    const results = await runChecks(clients(), { environment: 'test', table: TABLE, bucketName: 'b', timeoutMs: 200 }, opts(fakeClock().clock));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(results.map((r) => [r.check, r.status])).toEqual([['table', 'UNHEALTHY'], ['bucket', 'HEALTHY']]);
    expect(results[0].detail).toBe('Error: the table check did not answer within 200 ms');
  });

  test('a database that never answers fails at the timeout', async () => {
    const results = await runChecks(clients(), { environment: 'test', database: { host: '10.0.0.1', port: 5432 }, timeoutMs: 150 },
      opts(fakeClock().clock, { connect: silentSocket }));
    expect(results[0]).toMatchObject({ check: 'database', status: 'UNHEALTHY' });
    expect(results[0].detail).toMatch(/within 150 ms/);
  });

  test.each([
    ['bucket', 'NotFound 404', named('NotFound', 'Not Found', 404), 'the bucket does not exist'],
    ['bucket', 'Forbidden 403', named('Forbidden', 'Forbidden', 403), 'lacks s3:ListBucket'],
    ['table', 'ResourceNotFoundException', named('ResourceNotFoundException', 'Requested resource not found'), 'the table does not exist in this region'],
    ['table', 'ValidationException', named('ValidationException', 'The provided key element does not match the schema'), "does not match the table's key schema"],
    ['table', 'AccessDeniedException', named('AccessDeniedException', 'not authorized'), 'access denied'],
    ['table', 'InternalServerError 500', named('InternalServerError', 'boom', 500), 'InternalServerError: boom'],
  ])('%s: %s fails the check with a clear reason', async (check, _label, error, reason) => {
    dynamoMock.on(GetItemCommand).rejects(error);
    s3Mock.on(HeadBucketCommand).rejects(error);
    const config: ProbeConfig = check === 'table'
      ? { environment: 'test', table: TABLE, timeoutMs: 1_000 }
      : { environment: 'test', bucketName: 'b', timeoutMs: 1_000 };
    const [result] = await runChecks(clients(), config, opts(fakeClock().clock));
    expect(result.status).toBe('UNHEALTHY');
    expect(result.detail).toContain(reason);
    // Not throttling: no retry.
    expect(dynamoMock.commandCalls(GetItemCommand).length + s3Mock.commandCalls(HeadBucketCommand).length).toBe(1);
  });

  test('no check is no evidence of health', () => {
    expect(regionHealthy([])).toBe(false);
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

  const results: CheckResult[] = [
    { check: 'database', status: 'UNHEALTHY', latencyMs: 5000, detail: 'timeout' },
    { check: 'table', status: 'THROTTLED', latencyMs: 900 },
    { check: 'bucket', status: 'HEALTHY', latencyMs: 12 },
  ];

  test('RegionHealthy 0 when a check failed; one document per check with its own dimension; standard resolution', () => {
    publish('test', results, NOW);
    expect(lines).toHaveLength(4);
    const [region, database, table, bucket] = lines;
    expect(region._aws.Timestamp).toBe(NOW);
    expect(region._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'CdkDrPlatform/Region', Dimensions: [expect.arrayContaining(['service', 'Environment'])] });
    expect(region).toMatchObject({ service: 'region-health-check', Environment: 'test', RegionHealthy: 0 });
    expect(region.Check).toBeUndefined();
    // Route 53 refuses alarms on high-resolution metrics: no StorageResolution of 1 anywhere.
    for (const line of lines) {
      for (const m of line._aws.CloudWatchMetrics[0].Metrics) expect(m.StorageResolution ?? 60).toBe(60);
    }
    expect(database).toMatchObject({ Check: 'database', CheckHealthy: 0, CheckLatency: 5000 });
    expect(table).toMatchObject({ Check: 'table', CheckHealthy: 1 });
    expect(bucket).toMatchObject({ Check: 'bucket', CheckHealthy: 1, CheckLatency: 12 });
  });

  test('RegionHealthy 1 when nothing failed (a throttled answer is an answer)', () => {
    publish('test', results.slice(1), NOW);
    expect(lines[0].RegionHealthy).toBe(1);
  });
});

describe('readConfig', () => {
  const good = {
    ENVIRONMENT: 'test',
    DB_HOST: 'db.cluster-ro-x.us-east-1.rds.amazonaws.com',
    DB_PORT: '5432',
    TABLE_NAME: 'dr-table-test',
    TABLE_KEY: '{"pk":{"S":"p"},"sk":{"N":"0"}}',
    BUCKET_NAME: 'dr-data-test',
  };
  test('reads every target and the default timeout', () => {
    expect(readConfig(good)).toEqual({
      environment: 'test',
      database: { host: good.DB_HOST, port: 5432 },
      table: { tableName: 'dr-table-test', key: { pk: { S: 'p' }, sk: { N: '0' } } },
      bucketName: 'dr-data-test',
      timeoutMs: 5_000,
    });
  });
  test('a binary key attribute is decoded from base64', () => {
    const key = readConfig({ ENVIRONMENT: 'test', TABLE_NAME: 't', TABLE_KEY: JSON.stringify({ id: { B: Buffer.from('probe').toString('base64') } }) }).table!.key;
    expect(Buffer.from(key.id.B!).toString()).toBe('probe');
  });
  test('one target is enough', () => {
    expect(readConfig({ ENVIRONMENT: 'test', BUCKET_NAME: 'b', CHECK_TIMEOUT_MS: '2500' })).toEqual({ environment: 'test', bucketName: 'b', timeoutMs: 2500 });
  });
  test.each([
    [{ BUCKET_NAME: 'b' }, 'ENVIRONMENT must be set'],
    [{ ENVIRONMENT: 'test' }, 'nothing to check'],
    [{ ENVIRONMENT: 'test', DB_HOST: 'h' }, 'DB_PORT must be a port number from 1 to 65535, got: undefined'],
    [{ ENVIRONMENT: 'test', DB_HOST: 'h', DB_PORT: '0' }, 'DB_PORT must be a port number'],
    [{ ENVIRONMENT: 'test', DB_HOST: 'h', DB_PORT: '65536' }, 'DB_PORT must be a port number'],
    [{ ENVIRONMENT: 'test', DB_HOST: 'h', DB_PORT: '54.3' }, 'DB_PORT must be a port number'],
    [{ ENVIRONMENT: 'test', DB_PORT: '5432' }, 'DB_HOST must be set with DB_PORT'],
    [{ ENVIRONMENT: 'test', TABLE_NAME: 't' }, 'TABLE_KEY must be a JSON object of key attributes'],
    [{ ENVIRONMENT: 'test', TABLE_NAME: 't', TABLE_KEY: 'pk' }, 'TABLE_KEY must be a JSON object of key attributes'],
    [{ ENVIRONMENT: 'test', TABLE_NAME: 't', TABLE_KEY: '{}' }, 'TABLE_KEY must be a JSON object of 1 to 8 key attributes'],
    [{ ENVIRONMENT: 'test', TABLE_NAME: 't', TABLE_KEY: '[{"S":"x"}]' }, 'TABLE_KEY must be a JSON object of 1 to 8'],
    [{ ENVIRONMENT: 'test', TABLE_NAME: 't', TABLE_KEY: '{"pk":{"BOOL":true}}' }, 'each {"S"|"N"|"B": string}'],
    [{ ENVIRONMENT: 'test', TABLE_NAME: 't', TABLE_KEY: '{"pk":{"S":"a","N":"1"}}' }, 'each {"S"|"N"|"B": string}'],
    [{ ENVIRONMENT: 'test', TABLE_KEY: '{"pk":{"S":"a"}}' }, 'TABLE_NAME must be set with TABLE_KEY'],
    [{ ENVIRONMENT: 'test', BUCKET_NAME: 'b', CHECK_TIMEOUT_MS: '50' }, 'CHECK_TIMEOUT_MS must be a whole number of milliseconds from 100 to 20000'],
    [{ ENVIRONMENT: 'test', BUCKET_NAME: 'b', CHECK_TIMEOUT_MS: 'soon' }, 'CHECK_TIMEOUT_MS must be'],
  ])('bad configuration %j is refused clearly', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});

describe('handler', () => {
  const saved = { ...process.env };
  afterEach(() => { process.env = saved; });

  test('runs the checks, logs each (failures on stderr), publishes, and returns the verdict', async () => {
    const port = await closedPort();
    process.env = { ...saved, ENVIRONMENT: 'test', DB_HOST: '127.0.0.1', DB_PORT: String(port), BUCKET_NAME: 'b', CHECK_TIMEOUT_MS: '2000' };
    s3Mock.on(HeadBucketCommand).resolves({});
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => { out.push(String(c)); return true; });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = await handler();
      expect(result.healthy).toBe(false);
      expect(error).toHaveBeenCalledWith(expect.stringContaining('"status":"UNHEALTHY"'));
      expect(log).toHaveBeenCalledWith(expect.stringContaining('"check":"bucket","status":"HEALTHY"'));
      expect(out.map((l) => JSON.parse(l)).find((l) => l.RegionHealthy !== undefined)).toMatchObject({ RegionHealthy: 0, Environment: 'test' });
    } finally {
      write.mockRestore();
      log.mockRestore();
      error.mockRestore();
    }
  });

  test('a bad configuration throws before any call, so no metric is published (the alarm reads that as unhealthy)', async () => {
    process.env = { ...saved, ENVIRONMENT: 'test' };
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await expect(handler()).rejects.toThrow('nothing to check');
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });

  test('clients give up after two SDK attempts: the probe bounds its own retries', async () => {
    const c = createClients();
    for (const client of [c.dynamodb, c.s3]) {
      expect(await client.config.maxAttempts()).toBe(2);
    }
  });
});
