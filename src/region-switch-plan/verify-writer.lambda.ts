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
 *
 * RegionSwitchRehearsal invokes the same function with
 * `{ "rehearsalMarker": { "action": "write" | "read", "marker": "..." } }`:
 * before a switch, the region being left keeps a marker row in
 * `dr_platform.rehearsal_markers`; after it, the region activated reads it
 * back through its new writer. That row is the one thing this function
 * leaves in the database, and only when rehearsals are on.
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

type Query = (text: string, values?: unknown[]) => Promise<{ rows: any[] }>;

/**
 * Runs `work` in one transaction on the region's cluster once it has proved
 * to be the writer (`pg_is_in_recovery()` false); commits, or rolls back and
 * throws. A read-only refusal (SQLSTATE 25006) is said plainly.
 */
async function asWriter<T>(
  config: VerifyWriterConfig, credentials: Credentials, options: VerifyOptions, work: (query: Query, where: string) => Promise<T>,
): Promise<T> {
  const client = verifiedTlsClient(
    { host: config.host, port: config.port, database: config.database, user: credentials.username, password: credentials.password },
    options, 'cdk-dr-platform-verify-writer');
  const where = `the cluster at ${config.host} in ${config.region}`;
  const query: Query = (text, values) => client.query(text, values);
  try {
    await client.connect();
    await client.query('BEGIN');
    const { rows } = await client.query('SELECT pg_is_in_recovery() AS in_recovery');
    if (rows[0]?.in_recovery !== false) {
      throw new Error(`${where} is a replica in recovery (pg_is_in_recovery): the switch has not made it the writer yet`);
    }
    const result = await work(query, where);
    await client.query('COMMIT');
    return result;
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

export async function verifyWriter(
  config: VerifyWriterConfig, credentials: Credentials, marker: string, options: VerifyOptions = {},
): Promise<VerifyWriterResult> {
  const now = options.now ?? Date.now;
  const started = now();
  await asWriter(config, credentials, options, async (query, where) => {
    await query('CREATE TEMPORARY TABLE dr_switch_verify (marker text NOT NULL) ON COMMIT DROP');
    await query('INSERT INTO dr_switch_verify (marker) VALUES ($1)', [marker]);
    const read = await query('SELECT marker FROM dr_switch_verify');
    if (read.rows.length !== 1 || read.rows[0].marker !== marker) {
      throw new Error(`${where} did not read back the marker it wrote: got ${JSON.stringify(read.rows)}`);
    }
  });
  return { region: config.region, host: config.host, durationMs: now() - started, marker };
}

/**
 * Where a rehearsal's markers are kept: one row per switch, in a schema of
 * the platform's own, so they are never mistaken for (or collide with) the
 * application's tables. Created on the first marker; rows are a few dozen
 * bytes and are kept as evidence (delete them when you like).
 */
export const REHEARSAL_MARKER_SCHEMA = 'dr_platform';
export const REHEARSAL_MARKER_TABLE = `${REHEARSAL_MARKER_SCHEMA}.rehearsal_markers`;
/** A marker is what the rehearsal derives (`{execution name}#{leg}`): no whitespace or control characters, and a bind parameter anyway. */
const MARKER_PATTERN = /^[^\s\p{Cc}]{1,256}$/u;

/** What RegionSwitchRehearsal sends: write a marker before a switch, read it after. */
export interface RehearsalMarkerRequest {
  readonly action: 'write' | 'read';
  readonly marker: string;
}

export interface RehearsalMarkerResult {
  readonly action: 'write' | 'read';
  readonly marker: string;
  /** Whether the marker is in the cluster's marker table (a write always ends with it there). */
  readonly found: boolean;
  /** The region of the cluster that wrote it, and when (its clock), when found. */
  readonly writtenIn?: string;
  readonly writtenAt?: string;
  /** The region of the cluster that answered. */
  readonly region: string;
}

/** The rehearsal's request, checked: a clear error names what is wrong. */
export function parseMarkerRequest(value: unknown): RehearsalMarkerRequest {
  const r = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  if (r.action !== 'write' && r.action !== 'read') {
    throw new Error(`rehearsalMarker.action must be write or read, got: ${JSON.stringify(r.action)}`);
  }
  if (typeof r.marker !== 'string' || !MARKER_PATTERN.test(r.marker)) {
    throw new Error(`rehearsalMarker.marker must be 1 to 256 characters with no whitespace or control characters, got: ${JSON.stringify(r.marker)}`);
  }
  return { action: r.action, marker: r.marker };
}

/**
 * A rehearsal's marker, through the writer of this region's cluster: `write`
 * keeps it (idempotent: a marker already there is left as it is), `read`
 * looks it up. Both refuse a cluster that is not the writer, so a read after
 * a switch proves the new writer holds what the old one committed.
 */
export async function rehearsalMarker(
  config: VerifyWriterConfig, credentials: Credentials, request: RehearsalMarkerRequest, options: VerifyOptions = {},
): Promise<RehearsalMarkerResult> {
  return asWriter(config, credentials, options, async (query) => {
    const exists = await query('SELECT to_regclass($1) IS NOT NULL AS present', [REHEARSAL_MARKER_TABLE]);
    const present = exists.rows[0]?.present === true;
    if (request.action === 'read' && !present) return { action: request.action, marker: request.marker, found: false, region: config.region };
    if (request.action === 'write') {
      // PostgreSQL checks CREATE before it checks IF NOT EXISTS: the DDL runs
      // only when the table is missing, so a table an administrator created
      // needs no more than INSERT and SELECT on it (and USAGE on the schema).
      if (!present) {
        await query(`CREATE SCHEMA IF NOT EXISTS ${REHEARSAL_MARKER_SCHEMA}`);
        await query(`CREATE TABLE IF NOT EXISTS ${REHEARSAL_MARKER_TABLE} (marker text PRIMARY KEY, written_in text NOT NULL, written_at timestamptz NOT NULL DEFAULT now())`);
      }
      await query(`INSERT INTO ${REHEARSAL_MARKER_TABLE} (marker, written_in) VALUES ($1, $2) ON CONFLICT (marker) DO NOTHING`, [request.marker, config.region]);
    }
    const read = await query(`SELECT written_in, written_at FROM ${REHEARSAL_MARKER_TABLE} WHERE marker = $1`, [request.marker]);
    const row = read.rows[0];
    if (!row) return { action: request.action, marker: request.marker, found: false, region: config.region };
    const writtenAt = row.written_at instanceof Date ? row.written_at.toISOString() : String(row.written_at);
    return { action: request.action, marker: request.marker, found: true, writtenIn: String(row.written_in), writtenAt, region: config.region };
  });
}

/** ARC's payload: `ExecutionId` and `StepName` are merged into an object payload. */
export function markerOf(event: unknown, now: number): string {
  const e = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  const execution = typeof e.ExecutionId === 'string' ? e.ExecutionId : 'manual';
  return `${execution}@${new Date(now).toISOString()}`;
}

export async function handler(event: unknown): Promise<VerifyWriterResult | RehearsalMarkerResult> {
  const config = readConfig(process.env);
  // A rehearsal's marker request is checked before any call is made.
  const request = event && typeof event === 'object' && 'rehearsalMarker' in event
    ? parseMarkerRequest((event as { rehearsalMarker: unknown }).rehearsalMarker) : undefined;
  // AWS_ENDPOINT_URL as the SDK honours it: the bundle's tests point it at a local stand-in.
  const credentials = await readCredentials(config.secretArn, config.region, { endpointUrl: process.env.AWS_ENDPOINT_URL || undefined });
  if (request) {
    const marker = await rehearsalMarker(config, credentials, request);
    console.log(JSON.stringify({ message: `rehearsal marker ${request.action}`, ...marker }));
    return marker;
  }
  const result = await verifyWriter(config, credentials, markerOf(event, Date.now()));
  console.log(JSON.stringify({ message: 'the new writer took a write and read it back', ...result }));
  return result;
}
