/**
 * The region switch plan's verify step against a real PostgreSQL 15 that
 * accepts TCP connections over TLS only (like Aurora with rds.force_ssl).
 * A database whose sessions are read-only stands in for a global database's
 * secondary (a hot standby refuses the same writes with the same SQLSTATE).
 * Run by `npx projen test:integration`.
 */
import { readFileSync } from 'fs';
import { LocalPostgres } from './servers';
import { rehearsalMarker, verifyWriter, VerifyWriterConfig } from '../../src/region-switch-plan/verify-writer.lambda';

jest.setTimeout(120_000);

let postgres: LocalPostgres;
let ca: string;

beforeAll(async () => {
  postgres = await LocalPostgres.start();
  ca = readFileSync(postgres.caFile, 'utf8');
  postgres.sql('CREATE TABLE IF NOT EXISTS orders (id int)');
  postgres.sql('CREATE DATABASE standby_like');
  postgres.sql(`GRANT ALL ON DATABASE standby_like TO ${postgres.user}`);
  postgres.sql('ALTER DATABASE standby_like SET default_transaction_read_only = on');
});
afterAll(() => postgres?.destroy());

const config = (database = postgres.database): VerifyWriterConfig => ({
  host: '127.0.0.1', port: postgres.port, database, secretArn: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:db', region: 'us-west-2',
});
const credentials = () => ({ username: postgres.user, password: postgres.password });

test('the writer takes the marker and reads it back, timed, over TLS', async () => {
  const result = await verifyWriter(config(), credentials(), 'us-west-2/0123456789abcdef@2026-12-05T00:00:00.000Z', { ca });
  expect(result).toMatchObject({ region: 'us-west-2', host: '127.0.0.1', marker: 'us-west-2/0123456789abcdef@2026-12-05T00:00:00.000Z' });
  expect(result.durationMs).toBeGreaterThanOrEqual(0);
});

test('nothing is left behind in the application\'s database: the marker table is temporary', async () => {
  await verifyWriter(config(), credentials(), 'm-1', { ca });
  await verifyWriter(config(), credentials(), 'm-2', { ca });
  expect(postgres.sql("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'dr_switch_verify'")).toBe('0');
  expect(postgres.sql("SELECT string_agg(tablename, ',') FROM pg_catalog.pg_tables WHERE schemaname = 'public'")).toBe('orders');
  expect(postgres.sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'dr_platform'")).toBe('0');
});

describe('rehearsal markers', () => {
  test('before the first write, a read finds nothing and creates nothing', async () => {
    await expect(rehearsalMarker(config(), credentials(), { action: 'read', marker: 'r-0#failover' }, { ca }))
      .resolves.toEqual({ action: 'read', marker: 'r-0#failover', found: false, region: 'us-west-2' });
    expect(postgres.sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'dr_platform'")).toBe('0');
  });

  test('a write keeps one row in dr_platform.rehearsal_markers, idempotently, and a read finds it', async () => {
    const marker = "r-1'; DROP TABLE orders; --#failover";
    const first = await rehearsalMarker(config(), credentials(), { action: 'write', marker }, { ca });
    const again = await rehearsalMarker(config(), credentials(), { action: 'write', marker }, { ca });
    expect(first).toMatchObject({ action: 'write', marker, found: true, writtenIn: 'us-west-2', region: 'us-west-2' });
    expect(again.writtenAt).toBe(first.writtenAt);
    expect(Number.isNaN(Date.parse(first.writtenAt!))).toBe(false);
    await expect(rehearsalMarker(config(), credentials(), { action: 'read', marker }, { ca })).resolves.toEqual({ ...first, action: 'read' });
    expect(postgres.sql('SELECT count(*) FROM dr_platform.rehearsal_markers')).toBe('1');
    expect(postgres.sql("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'orders'")).toBe('1');
    await expect(rehearsalMarker(config(), credentials(), { action: 'read', marker: 'r-1#failback' }, { ca })).resolves.toMatchObject({ found: false });
  });

  test('a user with INSERT and SELECT on a table an administrator made, and no CREATE, keeps markers: no DDL runs when the table exists', async () => {
    postgres.sql('CREATE DATABASE limited');
    postgres.sql("CREATE ROLE marker_writer LOGIN PASSWORD 'marker-password'");
    postgres.sql('REVOKE CREATE ON DATABASE limited FROM PUBLIC');
    postgres.sql('GRANT CONNECT ON DATABASE limited TO marker_writer');
    const limited = { ...config('limited') };
    const writer = { username: 'marker_writer', password: 'marker-password' };
    // Without the table, the write needs CREATE, which this user lacks.
    await expect(rehearsalMarker(limited, writer, { action: 'write', marker: 'r-3#failover' }, { ca })).rejects.toThrow(/permission denied/);
    postgres.sqlIn('limited', 'CREATE SCHEMA dr_platform; CREATE TABLE dr_platform.rehearsal_markers (marker text PRIMARY KEY, written_in text NOT NULL, written_at timestamptz NOT NULL DEFAULT now()); '
      + 'GRANT USAGE ON SCHEMA dr_platform TO marker_writer; GRANT INSERT, SELECT ON dr_platform.rehearsal_markers TO marker_writer');
    await expect(rehearsalMarker(limited, writer, { action: 'write', marker: 'r-3#failover' }, { ca })).resolves.toMatchObject({ found: true });
    await expect(rehearsalMarker(limited, writer, { action: 'read', marker: 'r-3#failover' }, { ca })).resolves.toMatchObject({ found: true });
  });

  test('a database that refuses writes refuses the marker write, saying it is not the writer', async () => {
    await expect(rehearsalMarker(config('standby_like'), credentials(), { action: 'write', marker: 'r-2#failover' }, { ca }))
      .rejects.toThrow('the cluster at 127.0.0.1 in us-west-2 refused a write (read-only transaction, SQLSTATE 25006): it is not the writer');
  });
});

test('a cluster that refuses writes fails the step, saying it is not the writer', async () => {
  await expect(verifyWriter(config('standby_like'), credentials(), 'm', { ca }))
    .rejects.toThrow('the cluster at 127.0.0.1 in us-west-2 refused a write (read-only transaction, SQLSTATE 25006): it is not the writer');
});

test('wrong credentials fail with the server\'s reason', async () => {
  await expect(verifyWriter(config(), { username: postgres.user, password: 'not-it' }, 'm', { ca })).rejects.toThrow(/password authentication failed/);
});

test('a server whose certificate does not verify is refused: the bundled RDS CAs do not trust it', async () => {
  await expect(verifyWriter(config(), credentials(), 'm')).rejects.toThrow(/self-signed|self signed|unable to verify/i);
});
