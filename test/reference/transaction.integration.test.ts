/**
 * The reference workload against real servers: PostgreSQL 15 (TLS enforced),
 * dynalite and s3rver on 127.0.0.1. Secrets Manager has no local server, so
 * it alone is mocked. Run by `npx projen test:integration` (part of test:all).
 */
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { Client } from 'pg';
import { LocalDynamo, LocalPostgres, LocalS3 } from './servers';
import { handler, receiptKey, resetForTests } from '../../examples/reference/transaction/handler';

jest.setTimeout(120_000);

const TABLE = 'dr-table-test';
const BUCKET = 'dr-data-test';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-test';
const secretsMock = mockClient(SecretsManagerClient);

let postgres: LocalPostgres;
let dynamo: LocalDynamo;
let s3server: LocalS3;
let s3: S3Client;
const savedEnv = { ...process.env };

beforeAll(async () => {
  [postgres, dynamo, s3server] = await Promise.all([LocalPostgres.start(), LocalDynamo.start(TABLE), LocalS3.start(BUCKET)]);
  Object.assign(process.env, {
    // s3rver checks signatures against its own fixed credentials; dynalite accepts any.
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3server.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    DB_HOST: '127.0.0.1',
    DB_PORT: String(postgres.port),
    DB_NAME: postgres.database,
    DB_SECRET_ARN: SECRET_ARN,
    DB_SSL_CA: postgres.caFile,
    TABLE_NAME: TABLE,
    BUCKET_NAME: BUCKET,
  });
  s3 = new S3Client({ endpoint: s3server.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
});

afterAll(async () => {
  await resetForTests();
  s3?.destroy();
  await Promise.all([dynamo?.stop(), s3server?.stop()]);
  postgres?.destroy();
  process.env = savedEnv;
});

beforeEach(async () => {
  await resetForTests();
  secretsMock.reset();
  secretsMock.on(GetSecretValueCommand, { SecretId: SECRET_ARN })
    .callsFake(() => ({ SecretString: JSON.stringify({ username: postgres.user, password: postgres.password }) }));
});

let counter = 0;
const nextId = (prefix = 'tx') => `${prefix}-${Date.now().toString(36)}-${++counter}`;
const tx = (overrides: Record<string, unknown> = {}) => ({
  transactionId: nextId(), accountId: 'acct-1', amount: 12.3, currency: 'EUR', description: 'coffee beans', ...overrides,
});
const invoke = async (body: unknown) => {
  const response = await handler({ body: JSON.stringify(body) });
  return { status: response.statusCode, body: JSON.parse(response.body) };
};
const row = (id: string) => postgres.sql(`SELECT transaction_id || '|' || account_id || '|' || amount || '|' || currency FROM transactions WHERE transaction_id = '${id}'`);
const rowCount = () => Number(postgres.sql("SELECT CASE WHEN to_regclass('transactions') IS NULL THEN 0 ELSE (SELECT count(*) FROM transactions) END"));
const item = async (id: string) =>
  (await dynamo.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: id } }, ConsistentRead: true }))).Item;
const receipt = async (id: string) => {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: receiptKey(id) }));
    return JSON.parse(await object.Body!.transformToString());
  } catch (e) {
    if ((e as Error).name === 'NoSuchKey') return undefined;
    throw e;
  }
};

/** Every acknowledged transaction is in all three stores, exactly once. */
async function expectStored(id: string, amount = '12.30'): Promise<void> {
  expect(row(id)).toBe(`${id}|acct-1|${amount}|EUR`);
  // DynamoDB normalizes numbers (12.30 is stored as 12.3).
  expect(await item(id)).toMatchObject({
    pk: { S: id }, amount: { N: String(Number(amount)) }, currency: { S: 'EUR' }, receiptKey: { S: receiptKey(id) },
  });
  expect(await receipt(id)).toMatchObject({ transactionId: id, amount, currency: 'EUR', accountId: 'acct-1' });
}

describe('valid transactions', () => {
  test('are written to PostgreSQL, DynamoDB and S3, and answered 201', async () => {
    const t = tx();
    const res = await invoke(t);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'created', transaction: { transactionId: t.transactionId, amount: '12.30' }, receiptKey: receiptKey(t.transactionId) });
    await expectStored(t.transactionId);
  });

  test('the schema is created idempotently: a new cold start against an existing schema works', async () => {
    await invoke(tx());
    await resetForTests();
    expect((await invoke(tx())).status).toBe(201);
    expect(postgres.sql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'transactions'")).toBe('1');
  });

  test('one pooled TLS connection is reused across invocations, and credentials are read once', async () => {
    for (let i = 0; i < 5; i++) expect((await invoke(tx())).status).toBe(201);
    const connections = postgres.sql(`SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE usename = '${postgres.user}' AND ssl`);
    expect(connections).toBe('1');
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });
});

describe('invalid transactions', () => {
  test.each([
    ['a missing id', { transactionId: undefined }, /transactionId must be/],
    ['a negative amount', { amount: -5 }, /amount must be a number above 0/],
    ['three decimals', { amount: 1.234 }, /at most two decimals/],
    ['an unknown currency format', { currency: 'euro' }, /currency must be a three-letter ISO 4217 code/],
    ['an unexpected field', { admin: true }, /admin is not a field of a transaction/],
    ['a string amount', { amount: '12.30' }, /amount must be a number/],
  ])('%s: 400 with the reason, and nothing is written', async (_label, overrides, reason) => {
    const t = tx(overrides);
    const before = rowCount();
    const res = await invoke(t);
    expect(res.status).toBe(400);
    expect(res.body.reasons.join('\n')).toMatch(reason);
    expect(rowCount()).toBe(before);
    if (typeof t.transactionId === 'string') {
      expect(await item(t.transactionId)).toBeUndefined();
      expect(await receipt(t.transactionId)).toBeUndefined();
    }
  });

  test('a body that is not JSON is a 400, not a 500', async () => {
    const res = await handler({ body: '{"transactionId": ' });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).reasons[0]).toMatch(/body must be JSON/);
  });

  test('several problems are reported together', async () => {
    const res = await invoke({ transactionId: '', amount: 0, currency: 'x' });
    expect(res.body.reasons).toHaveLength(4);
  });
});

describe('idempotency', () => {
  test('a duplicate answers 200 and writes nothing twice', async () => {
    const t = tx();
    expect((await invoke(t)).status).toBe(201);
    const before = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: receiptKey(t.transactionId) }));
    const res = await invoke(t);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('duplicate');
    expect(postgres.sql(`SELECT count(*) FROM transactions WHERE transaction_id = '${t.transactionId}'`)).toBe('1');
    const after = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: receiptKey(t.transactionId) }));
    expect(after.Contents?.[0].LastModified).toEqual(before.Contents?.[0].LastModified);
  });

  test('the same id with different content is a 409, and the recorded transaction is unchanged', async () => {
    const t = tx();
    await invoke(t);
    const res = await invoke({ ...t, amount: 99.99 });
    expect(res.status).toBe(409);
    expect(row(t.transactionId)).toBe(`${t.transactionId}|acct-1|12.30|EUR`);
  });

  test('concurrent requests, distinct and repeated: every transaction recorded exactly once', async () => {
    const distinct = Array.from({ length: 15 }, () => tx());
    const repeated = tx();
    const responses = await Promise.all([
      ...distinct.map((t) => invoke(t)),
      ...Array.from({ length: 8 }, () => invoke(repeated)),
    ]);
    expect(responses.slice(0, 15).every((r) => r.status === 201)).toBe(true);
    const repeats = responses.slice(15).map((r) => r.status).sort();
    expect(repeats).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    for (const t of [...distinct, repeated]) await expectStored(t.transactionId);
    expect(postgres.sql(`SELECT count(*) FROM transactions WHERE transaction_id = '${repeated.transactionId}'`)).toBe('1');
  });

  test('a retry completes what a failed attempt left: S3 down, then back', async () => {
    const t = tx();
    const saved = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9'; // nothing listens there
    await resetForTests();
    const first = await invoke(t);
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ retryable: true });
    expect(row(t.transactionId)).toContain(t.transactionId);
    expect(await receipt(t.transactionId)).toBeUndefined();
    process.env.AWS_ENDPOINT_URL_S3 = saved;
    await resetForTests();
    const retry = await invoke(t);
    expect(retry.status).toBe(200);
    await expectStored(t.transactionId);
  });
});

describe('the database restarting', () => {
  test('in the middle of a run: the connection is re-established and no acknowledged transaction is lost', async () => {
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) {
      const t = tx();
      sent.push(t.transactionId);
      expect((await invoke(t)).status).toBe(201);
    }
    postgres.restart();
    for (let i = 0; i < 5; i++) {
      const t = tx();
      sent.push(t.transactionId);
      expect((await invoke(t)).status).toBe(201);
    }
    for (const id of sent) await expectStored(id);
  });

  test('while requests are in flight: each is acknowledged or refused with 503, never half-written', async () => {
    const batch = Array.from({ length: 12 }, () => tx());
    const inFlight = batch.map((t, i) => new Promise((r) => setTimeout(r, i * 40)).then(() => invoke(t)));
    await new Promise((r) => setTimeout(r, 150));
    postgres.restart();
    const responses = await Promise.all(inFlight);
    for (const [i, res] of responses.entries()) {
      const id = batch[i].transactionId;
      expect([201, 503]).toContain(res.status);
      if (res.status === 201) {
        await expectStored(id);
      } else {
        // Refused: retrying it completes it.
        expect((await invoke(batch[i])).status).toBeLessThan(300);
        await expectStored(id);
      }
    }
  });

  test('down: 503 and nothing written anywhere; back up: the retry succeeds', async () => {
    const t = tx();
    postgres.stop();
    try {
      const res = await invoke(t);
      expect(res.status).toBe(503);
      expect(res.body.retryable).toBe(true);
    } finally {
      postgres.startServer();
    }
    expect(await item(t.transactionId)).toBeUndefined();
    expect(await receipt(t.transactionId)).toBeUndefined();
    expect((await invoke(t)).status).toBe(201);
    await expectStored(t.transactionId);
  });

  test('with its password rotated: the handler re-reads the secret once and carries on', async () => {
    expect((await invoke(tx())).status).toBe(201);
    postgres.rotatePassword('second-password');
    postgres.restart(); // the pooled connection goes; the cached password is now wrong
    const t = tx();
    expect((await invoke(t)).status).toBe(201);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    await expectStored(t.transactionId);
  });
});

describe('TLS', () => {
  test('the server refuses a connection without TLS', async () => {
    const plain = new Client({ host: '127.0.0.1', port: postgres.port, database: postgres.database, user: postgres.user, password: postgres.password, ssl: false });
    await expect(plain.connect()).rejects.toThrow(/no pg_hba.conf entry|rejects connection/);
    await plain.end().catch(() => undefined);
  });

  test('the handler verifies the server certificate: an untrusted one fails, and nothing is written', async () => {
    const saved = process.env.DB_SSL_CA;
    delete process.env.DB_SSL_CA;
    const t = tx();
    try {
      await expect(handler({ body: JSON.stringify(t) })).rejects.toThrow(/self.signed certificate/);
    } finally {
      process.env.DB_SSL_CA = saved;
    }
    expect(row(t.transactionId)).toBe('');
    expect(await item(t.transactionId)).toBeUndefined();
  });
});

test('the DynamoDB table holds one item per recorded transaction', async () => {
  const scanned = await dynamo.client.send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }));
  expect(scanned.Count).toBe(rowCount());
});
