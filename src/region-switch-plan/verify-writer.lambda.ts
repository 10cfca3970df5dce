/**
 * The region switch plan's last built-in step, run in the region being
 * activated: prove that its Aurora cluster now takes writes, and time it.
 *
 * It connects to the region's cluster endpoint over TLS (certificate and host
 * verified, as the restore drill's smoke query does) with the platform's
 * credentials secret, and in one transaction:
 * - reads `pg_is_in_recovery()`: a global database's secondary is a replica
 *   in recovery, so true means the switch has not made this cluster the
 *   writer;
 * - writes a marker row into a temporary table and reads it back. A
 *   read-only cluster refuses the CREATE (SQLSTATE 25006); the table is
 *   dropped at commit, so nothing is left in the application's schema.
 *
 * Any failure fails the step with what went wrong; ARC reruns a failed
 * custom-action step every retry interval until the step's timeout, which
 * covers a writer that needs a moment after the Aurora step. A throttled
 * Secrets Manager call is retried with backoff.
 */
import { getSecretString, SecretsManagerCallOptions } from '../private/secrets-manager-call';
import { SmokeQueryOptions, verifiedTlsClient } from '../restore-drill/smoke-query.lambda';

export interface VerifyWriterConfig {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly secretArn: string;
  readonly region: string;
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface VerifyWriterResult {
  readonly region: string;
  readonly host: string;
  /** Connect, recovery check, marker write and read, and commit. */
  readonly durationMs: number;
  /** The marker written and read back. */
  readonly marker: string;
}

/** Reads the function's environment; a missing or malformed value is named. */
export function readConfig(env: Record<string, string | undefined>): VerifyWriterConfig {
  const problems: string[] = [];
  for (const key of ['DB_HOST', 'DB_SECRET_ARN', 'AWS_REGION'] as const) {
    if (!env[key]) problems.push(`${key} is not set`);
  }
  const port = Number(env.DB_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`DB_PORT must be a whole number from 1 to 65535, got: ${env.DB_PORT}`);
  if (problems.length) throw new Error(`verify-writer is misconfigured: ${problems.join('; ')}`);
  return { host: env.DB_HOST!, port, database: env.DB_NAME || 'postgres', secretArn: env.DB_SECRET_ARN!, region: env.AWS_REGION! };
}

/** The username and password of an RDS credentials secret (a JSON string). */
export function parseCredentials(secretString: string | undefined, secretArn: string): Credentials {
  let parsed: Partial<Credentials> | undefined;
  try {
    parsed = secretString ? JSON.parse(secretString) : undefined;
  } catch {
    parsed = undefined;
  }
  if (typeof parsed?.username !== 'string' || typeof parsed?.password !== 'string') {
    throw new Error(`the secret ${secretArn} is not an RDS credentials secret: it needs a JSON string with "username" and "password"`);
  }
  return { username: parsed.username, password: parsed.password };
}

/** The credentials in the secret, read with one signed call (no SDK client: see secrets-manager-call.ts); throttling is retried. */
export async function readCredentials(secretArn: string, region: string, options: SecretsManagerCallOptions = {}): Promise<Credentials> {
  return parseCredentials(await getSecretString(secretArn, region, options), secretArn);
}

/** SQLSTATE read_only_sql_transaction. */
const READ_ONLY = '25006';

export interface VerifyOptions extends SmokeQueryOptions {
  readonly now?: () => number;
}

export async function verifyWriter(
  config: VerifyWriterConfig, credentials: Credentials, marker: string, options: VerifyOptions = {},
): Promise<VerifyWriterResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const client = verifiedTlsClient(
    { host: config.host, port: config.port, database: config.database, user: credentials.username, password: credentials.password },
    options, 'cdk-dr-platform-verify-writer');
  const where = `the cluster at ${config.host} in ${config.region}`;
  try {
    await client.connect();
    await client.query('BEGIN');
    const { rows } = await client.query('SELECT pg_is_in_recovery() AS in_recovery');
    if (rows[0]?.in_recovery !== false) {
      throw new Error(`${where} is a replica in recovery (pg_is_in_recovery): the switch has not made it the writer yet`);
    }
    await client.query('CREATE TEMPORARY TABLE dr_switch_verify (marker text NOT NULL) ON COMMIT DROP');
    await client.query('INSERT INTO dr_switch_verify (marker) VALUES ($1)', [marker]);
    const read = await client.query('SELECT marker FROM dr_switch_verify');
    if (read.rows.length !== 1 || read.rows[0].marker !== marker) {
      throw new Error(`${where} did not read back the marker it wrote: got ${JSON.stringify(read.rows)}`);
    }
    await client.query('COMMIT');
    return { region: config.region, host: config.host, durationMs: now() - started, marker };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code === READ_ONLY) {
      throw new Error(`${where} refused a write (read-only transaction, SQLSTATE 25006): it is not the writer`);
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** ARC's payload: `ExecutionId` and `StepName` are merged into an object payload. */
export function markerOf(event: unknown, now: number): string {
  const e = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  const execution = typeof e.ExecutionId === 'string' ? e.ExecutionId : 'manual';
  return `${execution}@${new Date(now).toISOString()}`;
}

export async function handler(event: unknown): Promise<VerifyWriterResult> {
  const config = readConfig(process.env);
  // AWS_ENDPOINT_URL as the SDK honours it: the bundle's tests point it at a local stand-in.
  const credentials = await readCredentials(config.secretArn, config.region, { endpointUrl: process.env.AWS_ENDPOINT_URL || undefined });
  const result = await verifyWriter(config, credentials, markerOf(event, Date.now()));
  console.log(JSON.stringify({ message: 'the new writer took a write and read it back', ...result }));
  return result;
}
