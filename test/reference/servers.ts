/**
 * Real local servers for the reference workload's tests: PostgreSQL 15 with
 * TLS enforced (hostssl only, as rds.force_ssl does), dynalite (DynamoDB)
 * and s3rver (S3). Everything listens on 127.0.0.1 only.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Client } from 'pg';

/** Where PostgreSQL's server binaries are: PG_BIN, else the Debian layout. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort() : [];
  if (versions.length === 0) {
    throw new Error('PostgreSQL server binaries not found: install postgresql-15 (apt-get install -y postgresql-15) or set PG_BIN');
  }
  return path.join(root, versions[versions.length - 1], 'bin');
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root (initdb refuses root). */
function pg(binary: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): string {
  const file = path.join(postgresBin(), binary);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export class LocalPostgres {
  public static async start(): Promise<LocalPostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-pg-'));
    fs.chmodSync(dir, 0o755);
    const port = await freePort();
    const server = new LocalPostgres(dir, port);
    server.init();
    server.startServer();
    server.createApplicationRole();
    return server;
  }

  public readonly caFile: string;
  public readonly database = 'app';
  public readonly user = 'app_user';
  public password = 'first-password';
  private readonly dataDir: string;

  private constructor(private readonly dir: string, public readonly port: number) {
    this.dataDir = path.join(dir, 'data');
    this.caFile = path.join(dir, 'server.crt');
  }

  /** SQL as the superuser, over the Unix socket. */
  public sql(statement: string): string {
    return this.sqlIn(this.database, statement);
  }

  /** SQL as the superuser in another database of the server. */
  public sqlIn(database: string, statement: string): string {
    return pg('psql', ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-Atc', statement]).trim();
  }

  public stop(): void {
    pg('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  public startServer(): void {
    pg('pg_ctl', ['-D', this.dataDir, '-l', path.join(this.dir, 'server.log'), '-w', '-t', '30', 'start', '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir} -c ssl=on `
      + `-c ssl_cert_file=${this.caFile} -c ssl_key_file=${path.join(this.dir, 'server.key')} -c ssl_min_protocol_version=TLSv1.2`]);
  }

  /** A fast restart: every open connection is cut, as in a failover or reboot. */
  public restart(): void {
    // Not `pg_ctl restart`: without a log file the new server would hold our pipes open.
    this.stop();
    this.startServer();
  }

  /** Rotates the application user's password, as RDS does for a managed secret. */
  public rotatePassword(next: string): void {
    this.sql(`ALTER ROLE ${this.user} PASSWORD '${next}'`);
    this.password = next;
  }

  /** A client that connects over TLS and verifies the server, as the handler does. */
  public client(): Client {
    return new Client({
      host: '127.0.0.1',
      port: this.port,
      database: this.database,
      user: this.user,
      password: this.password,
      ssl: { rejectUnauthorized: true, ca: fs.readFileSync(this.caFile, 'utf8') },
    });
  }

  public destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private init(): void {
    // A certificate valid for 127.0.0.1 and localhost, so clients can verify the host.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', path.join(this.dir, 'server.key'), '-out', this.caFile], { stdio: 'ignore' });
    if (isRoot()) {
      execFileSync('chown', ['-R', 'postgres:postgres', this.dir]);
    }
    fs.chmodSync(path.join(this.dir, 'server.key'), 0o600);
    pg('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=reject', '-E', 'UTF8', '--locale=C']);
    // TLS or nothing over TCP, like rds.force_ssl = 1.
    fs.writeFileSync(path.join(this.dataDir, 'pg_hba.conf'), [
      'local   all  all                 trust',
      'hostssl all  all  127.0.0.1/32  scram-sha-256',
      'host    all  all  127.0.0.1/32  reject',
      '',
    ].join('\n'));
  }

  private createApplicationRole(): void {
    pg('psql', ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', 'postgres', '-Atc',
      `CREATE ROLE ${this.user} LOGIN PASSWORD '${this.password}'`]);
    pg('psql', ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', 'postgres', '-Atc',
      `CREATE DATABASE ${this.database} OWNER ${this.user}`]);
  }
}

export class LocalDynamo {
  public static async start(tableName: string): Promise<LocalDynamo> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dynalite = require('dynalite');
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await client.send(new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    return new LocalDynamo(server, endpoint, client);
  }

  private constructor(private readonly server: any, public readonly endpoint: string, public readonly client: DynamoDBClient) {}

  public async stop(): Promise<void> {
    this.client.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export class LocalS3 {
  public static async start(bucket: string): Promise<LocalS3> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const S3rver = require('s3rver');
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-s3-'));
    const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
    const { port } = await server.run();
    return new LocalS3(server, `http://127.0.0.1:${port}`, directory);
  }

  private constructor(private readonly server: any, public readonly endpoint: string, private readonly directory: string) {}

  public async stop(): Promise<void> {
    await this.server.close();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}
