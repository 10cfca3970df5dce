/**
 * The restore drill's Aurora smoke query against a real PostgreSQL 15 that,
 * like Aurora with rds.force_ssl, accepts TCP connections over TLS only.
 * Run by `npx projen test:integration`.
 */
import { readFileSync } from 'fs';
import { LocalPostgres } from './servers';
import { checkRequest, handler, SMOKE_QUERY, smokeQuery } from '../../src/restore-drill/smoke-query.lambda';

jest.setTimeout(120_000);

let postgres: LocalPostgres;
let ca: string;

beforeAll(async () => {
  postgres = await LocalPostgres.start();
  ca = readFileSync(postgres.caFile, 'utf8');
  postgres.sql('CREATE TABLE IF NOT EXISTS drill_probe_a (id int); CREATE TABLE IF NOT EXISTS drill_probe_b (id int)');
});
afterAll(() => postgres?.destroy());

const request = (overrides: Record<string, unknown> = {}) => ({
  host: '127.0.0.1', port: postgres.port, database: postgres.database, user: postgres.user, password: postgres.password, ...overrides,
});

test('the smoke query answers over TLS with the server version, database and user tables', async () => {
  const result = await smokeQuery(checkRequest(request()), { ca });
  expect(result).toMatchObject({ database: 'app', userTables: 2, tls: true });
  expect(result.serverVersion).toMatch(/^PostgreSQL 15\./);
  expect(result.durationMs).toBeGreaterThanOrEqual(0);
});

test('the handler verifies the server with the CA file in DB_SSL_CA, in place of the bundled RDS CAs', async () => {
  const saved = process.env.DB_SSL_CA;
  process.env.DB_SSL_CA = postgres.caFile;
  try {
    await expect(handler(request())).resolves.toMatchObject({ database: 'app', tls: true });
  } finally {
    if (saved === undefined) delete process.env.DB_SSL_CA; else process.env.DB_SSL_CA = saved;
  }
});

test('the handler without DB_SSL_CA trusts only the RDS CAs: the local certificate is refused', async () => {
  const saved = process.env.DB_SSL_CA;
  delete process.env.DB_SSL_CA;
  try {
    await expect(handler(request())).rejects.toThrow(/self-signed|self signed|unable to verify/i);
  } finally {
    if (saved !== undefined) process.env.DB_SSL_CA = saved;
  }
});

test('the query is read-only: it runs in a read-only transaction', async () => {
  const client = postgres.client();
  await client.connect();
  try {
    await client.query('BEGIN READ ONLY');
    const { rows } = await client.query(SMOKE_QUERY);
    await client.query('COMMIT');
    expect(rows[0].tls).toBe(true);
  } finally {
    await client.end();
  }
});

test('a wrong password fails with the server\'s reason', async () => {
  await expect(smokeQuery(request({ password: 'not-the-password' }) as any, { ca })).rejects.toThrow(/password authentication failed/);
});

test('a server whose certificate does not verify is refused, never queried in the clear', async () => {
  // The bundled Amazon RDS CAs, the default, do not include the local self-signed certificate.
  await expect(smokeQuery(request() as any)).rejects.toThrow(/self-signed|self signed|unable to verify/i);
});

test('a database that does not exist fails clearly', async () => {
  await expect(smokeQuery(request({ database: 'missing_db' }) as any, { ca })).rejects.toThrow(/database "missing_db" does not exist/);
});

test('nothing listening fails within the connect timeout', async () => {
  const started = Date.now();
  await expect(smokeQuery(request({ port: 1 }) as any, { ca, connectTimeoutMs: 2_000 })).rejects.toThrow(/ECONNREFUSED|timeout/);
  expect(Date.now() - started).toBeLessThan(5_000);
});
