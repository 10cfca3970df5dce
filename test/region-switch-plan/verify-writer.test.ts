import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { Client } from 'pg';
import { markerOf, parseCredentials, readConfig, readCredentials, verifyWriter } from '../../src/region-switch-plan/verify-writer.lambda';

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

describe('credentials', () => {
  const secrets = mockClient(SecretsManagerClient);
  beforeEach(() => secrets.reset());
  const clock = () => {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => { t += ms; } };
  };

  test('the username and password of an RDS secret', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: JSON.stringify({ username: 'app', password: 'p', host: 'x' }) });
    await expect(readCredentials(new SecretsManagerClient({}), SECRET, clock())).resolves.toEqual(credentials);
  });

  test('throttling is retried with backoff, then the secret is read', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    secrets.on(GetSecretValueCommand).rejectsOnce(throttled).rejectsOnce(throttled).resolves({ SecretString: JSON.stringify(credentials) });
    await expect(readCredentials(new SecretsManagerClient({}), SECRET, clock())).resolves.toEqual(credentials);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });

  test('access denied is not retried: the step fails with the service\'s reason', async () => {
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('not authorized to perform secretsmanager:GetSecretValue'), { name: 'AccessDeniedException' }));
    await expect(readCredentials(new SecretsManagerClient({}), SECRET, clock())).rejects.toThrow(/not authorized/);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  test.each([[undefined], ['not json'], [JSON.stringify({ username: 'app' })], [JSON.stringify({ password: 'p' })], [JSON.stringify('text')]])(
    'a secret that is not RDS credentials (%j) is refused without echoing it', (secretString) => {
      expect(() => parseCredentials(secretString, SECRET)).toThrow(`the secret ${SECRET} is not an RDS credentials secret`);
      if (secretString) {
        expect(() => parseCredentials(secretString, SECRET)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(secretString) }));
      }
    });
});

describe('the check, with a scripted PostgreSQL client', () => {
  /** A client answering queries in order; records every statement. */
  function scripted(answers: Record<string, () => any>) {
    const statements: string[] = [];
    const client = {
      on: jest.fn(),
      connect: jest.fn(async () => undefined),
      end: jest.fn(async () => undefined),
      query: jest.fn(async (text: string) => {
        statements.push(text);
        const key = Object.keys(answers).find((k) => text.startsWith(k));
        return key ? answers[key]() : { rows: [] };
      }),
    };
    (Client as unknown as jest.Mock).mockImplementation(() => client);
    return { client, statements };
  }
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
