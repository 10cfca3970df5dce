import { Client } from 'pg';
import { HttpRequestLike, HttpResponseLike } from '../../src/private/arc-region-switch-client';
import { secretsManagerEndpoint } from '../../src/private/secrets-manager-call';
import {
  handler, markerOf, parseCredentials, parseMarkerRequest, readConfig, readCredentials, rehearsalMarker, verifyWriter,
} from '../../src/region-switch-plan/verify-writer.lambda';

jest.mock('pg', () => ({ Client: jest.fn() }));

const SECRET = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:db-AbCdEf';
const env = { DB_HOST: 'c.cluster-x.us-west-2.rds.amazonaws.com', DB_PORT: '5432', DB_NAME: 'app', DB_SECRET_ARN: SECRET, AWS_REGION: 'us-west-2' };
const config = readConfig(env);
const credentials = { username: 'app', password: 'p' };

describe('configuration', () => {
  test('a complete environment is read', () => {
    expect(config).toEqual({ host: env.DB_HOST, port: 5432, database: 'app', secretArn: SECRET, region: 'us-west-2' });
  });

  test('DB_NAME defaults to postgres, the database Aurora PostgreSQL always has', () => {
    expect(readConfig({ ...env, DB_NAME: undefined }).database).toBe('postgres');
  });

  test.each([
    [{ DB_HOST: undefined }, 'DB_HOST is not set'],
    [{ DB_SECRET_ARN: '' }, 'DB_SECRET_ARN is not set'],
    [{ AWS_REGION: undefined }, 'AWS_REGION is not set'],
    [{ DB_PORT: undefined }, 'DB_PORT must be a whole number from 1 to 65535, got: undefined'],
    [{ DB_PORT: '0' }, 'got: 0'],
    [{ DB_PORT: '70000' }, 'got: 70000'],
    [{ DB_PORT: '54.32' }, 'got: 54.32'],
  ])('%j is refused, naming the variable', (override, message) => {
    expect(() => readConfig({ ...env, ...override })).toThrow(message);
  });
});

describe('credentials: one signed GetSecretValue call, no SDK client', () => {
  const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'token' };
  const clock = () => {
    let t = Date.UTC(2026, 11, 5);
    return { now: () => t, sleep: async (ms: number) => { t += ms; } };
  };
  /** A transport answering in turn; records each request. */
  function transport(...answers: Array<{ status: number; body: unknown; headers?: Record<string, string> }>) {
    const requests: HttpRequestLike[] = [];
    const send = async (request: HttpRequestLike): Promise<HttpResponseLike> => {
      requests.push(request);
      const a = answers[Math.min(requests.length - 1, answers.length - 1)];
      return { status: a.status, headers: a.headers ?? {}, body: JSON.stringify(a.body) };
    };
    return { send, requests };
  }

  test('the username and password of an RDS secret, asked of the region\'s endpoint with the awsJson1_1 target, signed for secretsmanager', async () => {
    const t = transport({ status: 200, body: { SecretString: JSON.stringify({ username: 'app', password: 'p', host: 'x' }) } });
    await expect(readCredentials(SECRET, 'us-west-2', { transport: t.send, credentials: creds, clock: clock() })).resolves.toEqual(credentials);
    const [request] = t.requests;
    expect(request.url).toBe('https://secretsmanager.us-west-2.amazonaws.com/');
    expect(JSON.parse(request.body)).toEqual({ SecretId: SECRET });
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261205\/us-west-2\/secretsmanager\/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$/);
    expect(headers['x-amz-security-token']).toBe('token');
  });

  test.each([['us-east-1', 'https://secretsmanager.us-east-1.amazonaws.com/'], ['cn-north-1', 'https://secretsmanager.cn-north-1.amazonaws.com.cn/']])(
    'the endpoint of %s', (region, url) => {
      expect(secretsManagerEndpoint(region)).toBe(url);
    });

  test('throttling is retried with backoff, then the secret is read', async () => {
    const throttled = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
    const t = transport(throttled, throttled, { status: 200, body: { SecretString: JSON.stringify(credentials) } });
    await expect(readCredentials(SECRET, 'us-west-2', { transport: t.send, credentials: creds, clock: clock() })).resolves.toEqual(credentials);
    expect(t.requests).toHaveLength(3);
  });

  test('access denied is not retried: the step fails with the service\'s reason', async () => {
    const t = transport({ status: 400, body: { __type: 'AccessDeniedException', Message: 'not authorized to perform secretsmanager:GetSecretValue' } });
    await expect(readCredentials(SECRET, 'us-west-2', { transport: t.send, credentials: creds, clock: clock() }))
      .rejects.toThrow(expect.objectContaining({ name: 'AccessDeniedException', message: expect.stringMatching(/not authorized/) }));
    expect(t.requests).toHaveLength(1);
  });

  test.each([[undefined], ['not json'], [JSON.stringify({ username: 'app' })], [JSON.stringify({ password: 'p' })], [JSON.stringify('text')]])(
    'a secret that is not RDS credentials (%j) is refused without echoing it', (secretString) => {
      expect(() => parseCredentials(secretString, SECRET)).toThrow(`the secret ${SECRET} is not an RDS credentials secret`);
      if (secretString) {
        expect(() => parseCredentials(secretString, SECRET)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(secretString) }));
      }
    });
});

/** A client answering queries in order; records every statement. */
function scripted(answers: Record<string, () => any>) {
  const statements: string[] = [];
  const client = {
    on: jest.fn(),
    connect: jest.fn(async () => undefined),
    end: jest.fn(async () => undefined),
    query: jest.fn(async (text: string, _values?: unknown[]) => {
      statements.push(text);
      const key = Object.keys(answers).find((k) => text.startsWith(k));
      return key ? answers[key]() : { rows: [] };
    }),
  };
  (Client as unknown as jest.Mock).mockImplementation(() => client);
  return { client, statements };
}
describe('the check, with a scripted PostgreSQL client', () => {
  const writer = (marker: string) => ({ 'SELECT pg_is_in_recovery': () => ({ rows: [{ in_recovery: false }] }), 'SELECT marker': () => ({ rows: [{ marker }] }) });

  test('a writer: recovery check, marker written and read in one transaction, committed, timed', async () => {
    const { statements, client } = scripted(writer('m-1'));
    let t = 1_000;
    const result = await verifyWriter(config, credentials, 'm-1', { ca: 'x', now: () => (t += 40) });
    expect(result).toEqual({ region: 'us-west-2', host: env.DB_HOST, durationMs: 40, marker: 'm-1' });
    expect(statements.map((s) => s.split(' ')[0])).toEqual(['BEGIN', 'SELECT', 'CREATE', 'INSERT', 'SELECT', 'COMMIT']);
    expect(statements[2]).toMatch(/^CREATE TEMPORARY TABLE dr_switch_verify .* ON COMMIT DROP$/);
    expect(client.end).toHaveBeenCalled();
  });

  test('TLS with the server verified, never in the clear', async () => {
    scripted(writer('m'));
    await verifyWriter(config, credentials, 'm', { ca: 'the-ca' });
    expect((Client as unknown as jest.Mock).mock.calls.at(-1)[0].ssl).toEqual({ rejectUnauthorized: true, ca: 'the-ca' });
  });

  test('a replica in recovery (a secondary not yet promoted) fails the step and writes nothing', async () => {
    const { statements } = scripted({ 'SELECT pg_is_in_recovery': () => ({ rows: [{ in_recovery: true }] }) });
    await expect(verifyWriter(config, credentials, 'm', { ca: 'x' }))
      .rejects.toThrow(`the cluster at ${env.DB_HOST} in us-west-2 is a replica in recovery (pg_is_in_recovery): the switch has not made it the writer yet`);
    expect(statements.some((s) => s.startsWith('INSERT') || s.startsWith('CREATE'))).toBe(false);
    expect(statements.at(-1)).toBe('ROLLBACK');
  });

  test('a read-only refusal (SQLSTATE 25006) is said plainly', async () => {
    scripted({ ...writer('m'), CREATE: () => { throw Object.assign(new Error('cannot execute CREATE TABLE in a read-only transaction'), { code: '25006' }); } });
    await expect(verifyWriter(config, credentials, 'm', { ca: 'x' })).rejects.toThrow('refused a write (read-only transaction, SQLSTATE 25006): it is not the writer');
  });

  test('a marker read back wrong fails the step', async () => {
    scripted(writer('someone-else'));
    await expect(verifyWriter(config, credentials, 'm', { ca: 'x' })).rejects.toThrow(/did not read back the marker it wrote/);
  });

  test('a connection failure fails the step with the driver\'s reason, and the client is closed', async () => {
    const { client } = scripted({});
    client.connect.mockRejectedValueOnce(new Error('connect ETIMEDOUT'));
    await expect(verifyWriter(config, credentials, 'm', { ca: 'x' })).rejects.toThrow('connect ETIMEDOUT');
    expect(client.end).toHaveBeenCalled();
  });
});

test.each([
  [{ ExecutionId: 'us-west-2/0123456789abcdef', StepName: 'verify-writer' }, 'us-west-2/0123456789abcdef@1970-01-01T00:00:01.000Z'],
  [{}, 'manual@1970-01-01T00:00:01.000Z'],
  ['a string payload', 'manual@1970-01-01T00:00:01.000Z'],
  [undefined, 'manual@1970-01-01T00:00:01.000Z'],
])('the marker names ARC\'s execution when the payload carries it (%j)', (event, marker) => {
  expect(markerOf(event, 1000)).toBe(marker);
});

describe('rehearsal markers: kept through the writer in dr_platform.rehearsal_markers', () => {
  const WRITTEN_AT = new Date('2026-06-09T10:00:00Z');
  const asWriter = (answers: Record<string, () => any> = {}) => scripted({
    'SELECT pg_is_in_recovery': () => ({ rows: [{ in_recovery: false }] }),
    'SELECT to_regclass': () => ({ rows: [{ present: true }] }),
    'SELECT written_in': () => ({ rows: [{ written_in: 'us-east-1', written_at: WRITTEN_AT }] }),
    ...answers,
  });

  test('a write creates the schema and table when missing, inserts idempotently with a bind parameter, reads it back, and commits', async () => {
    const { statements, client } = asWriter({ 'SELECT to_regclass': () => ({ rows: [{ present: false }] }) });
    const result = await rehearsalMarker(config, credentials, { action: 'write', marker: 'r-1#failover' }, { ca: 'x' });
    expect(result).toEqual({ action: 'write', marker: 'r-1#failover', found: true, writtenIn: 'us-east-1', writtenAt: '2026-06-09T10:00:00.000Z', region: 'us-west-2' });
    expect(statements).toEqual([
      'BEGIN',
      'SELECT pg_is_in_recovery() AS in_recovery',
      'SELECT to_regclass($1) IS NOT NULL AS present',
      'CREATE SCHEMA IF NOT EXISTS dr_platform',
      expect.stringMatching(/^CREATE TABLE IF NOT EXISTS dr_platform\.rehearsal_markers \(marker text PRIMARY KEY, /),
      'INSERT INTO dr_platform.rehearsal_markers (marker, written_in) VALUES ($1, $2) ON CONFLICT (marker) DO NOTHING',
      'SELECT written_in, written_at FROM dr_platform.rehearsal_markers WHERE marker = $1',
      'COMMIT',
    ]);
    expect(client.query.mock.calls[5][1]).toEqual(['r-1#failover', 'us-west-2']);
  });

  test('a write into a table that exists runs no DDL: INSERT and SELECT on a table an administrator made are enough', async () => {
    const { statements } = asWriter();
    await expect(rehearsalMarker(config, credentials, { action: 'write', marker: 'r-1#failover' }, { ca: 'x' })).resolves.toMatchObject({ found: true });
    expect(statements.filter((q) => q.startsWith('CREATE'))).toEqual([]);
    expect(statements.some((q) => q.startsWith('INSERT INTO dr_platform.rehearsal_markers'))).toBe(true);
  });

  test('a read creates nothing and finds the marker', async () => {
    const { statements } = asWriter();
    await expect(rehearsalMarker(config, credentials, { action: 'read', marker: 'r-1#failover' }, { ca: 'x' }))
      .resolves.toMatchObject({ action: 'read', found: true, writtenIn: 'us-east-1' });
    expect(statements.some((q) => /^(CREATE|INSERT)/.test(q))).toBe(false);
  });

  test.each([
    ['no marker table at all', { 'SELECT to_regclass': () => ({ rows: [{ present: false }] }) }],
    ['the table without this marker', { 'SELECT written_in': () => ({ rows: [] }) }],
  ])('a read of a missing marker answers found: false (%s), for the rehearsal to call it data loss', async (_, answers) => {
    const { statements } = asWriter(answers);
    await expect(rehearsalMarker(config, credentials, { action: 'read', marker: 'r-1#failover' }, { ca: 'x' }))
      .resolves.toEqual({ action: 'read', marker: 'r-1#failover', found: false, region: 'us-west-2' });
    expect(statements.at(-1)).toBe('COMMIT');
  });

  test.each(['write', 'read'] as const)('a %s through a replica in recovery is refused: only the writer answers', async (action) => {
    const { statements } = asWriter({ 'SELECT pg_is_in_recovery': () => ({ rows: [{ in_recovery: true }] }) });
    await expect(rehearsalMarker(config, credentials, { action, marker: 'm' }, { ca: 'x' })).rejects.toThrow(/is a replica in recovery/);
    expect(statements.at(-1)).toBe('ROLLBACK');
  });

  test.each([
    [{ action: 'delete', marker: 'm' }, 'rehearsalMarker.action must be write or read, got: "delete"'],
    [{ marker: 'm' }, 'rehearsalMarker.action must be write or read, got: undefined'],
    [{ action: 'write', marker: '' }, 'rehearsalMarker.marker must be 1 to 256 characters with no whitespace or control characters, got: ""'],
    [{ action: 'write', marker: 'a b' }, 'got: "a b"'],
    [{ action: 'write', marker: 'a\u0000b' }, 'got: "a\\u0000b"'],
    [{ action: 'write', marker: 'x'.repeat(257) }, 'no whitespace or control characters'],
    [{ action: 'write', marker: 7 }, 'got: 7'],
    ['write', 'rehearsalMarker.action must be write or read'],
  ])('the request %j is refused before any call', (request, message) => {
    expect(() => parseMarkerRequest(request)).toThrow(message);
  });

  test.each(['r-1#failover', 'manual.run_2+b=c@x#failback', 'répétition#failover', 'x'.repeat(256)])('the marker %s is accepted (Step Functions execution names are wider than ASCII words)', (marker) => {
    expect(parseMarkerRequest({ action: 'read', marker })).toEqual({ action: 'read', marker });
  });

  test('the handler refuses a bad marker request before reading the secret or connecting', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const connect = jest.fn();
    (Client as unknown as jest.Mock).mockImplementation(() => ({ connect }));
    try {
      await expect(handler({ rehearsalMarker: { action: 'drop', marker: 'm' } })).rejects.toThrow('rehearsalMarker.action must be write or read');
    } finally {
      process.env = saved;
    }
    expect(connect).not.toHaveBeenCalled();
  });
});
