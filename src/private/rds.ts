import { Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/**
 * PostgreSQL's reserved key words (the "reserved" column of the PostgreSQL
 * key-word appendix): RDS refuses them as a database or master user name.
 */
const POSTGRES_RESERVED = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast',
  'check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role',
  'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do',
  'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in',
  'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not',
  'null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select',
  'session_user', 'some', 'symmetric', 'system_user', 'table', 'then', 'to', 'trailing', 'true', 'union',
  'unique', 'user', 'using', 'variadic', 'when', 'where', 'window', 'with',
]);

/** Databases every Aurora PostgreSQL cluster already has, or that RDS keeps for itself. */
const EXISTING_DATABASES = new Set(['postgres', 'template0', 'template1', 'rdsadmin']);

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_IDENTIFIER_LENGTH = 63;

/**
 * An Aurora PostgreSQL database or master user name as RDS takes it (CreateDBCluster):
 * 1 to 63 letters, digits or underscores, starting with a letter, not a
 * reserved word. Tokens are left to RDS.
 */
export function validatePostgresIdentifier(scope: IConstruct, prop: string, value: string | undefined, what: 'database' | 'user'): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const lower = value.toLowerCase();
  let problem: string | undefined;
  if (!IDENTIFIER.test(value) || value.length > MAX_IDENTIFIER_LENGTH) {
    problem = `be 1 to ${MAX_IDENTIFIER_LENGTH} letters, digits or underscores, starting with a letter`;
  } else if (POSTGRES_RESERVED.has(lower)) {
    problem = 'not be a PostgreSQL reserved word';
  } else if (what === 'database' && EXISTING_DATABASES.has(lower)) {
    problem = `not be ${[...EXISTING_DATABASES].join(', ')} (the cluster already has or reserves them)`;
  } else if (what === 'user' && lower === 'rdsadmin') {
    problem = 'not be rdsadmin (RDS keeps that user for itself)';
  }
  if (problem) {
    throw new DrValidationError(scope, `\`${prop}\` must ${problem}, got: ${quote(value)}${value.length > 20 ? ` (${value.length} characters)` : ''}`);
  }
}

const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const MIN_WINDOW_MINUTES = 30;

/**
 * A daily backup window `hh24:mi-hh24:mi` in UTC of at least 30 minutes, as
 * RDS requires (a window may cross midnight). Tokens are left to RDS.
 */
export function validateBackupWindow(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const m = WINDOW.exec(value);
  if (!m) {
    throw new DrValidationError(scope, `\`${prop}\` must be hh24:mi-hh24:mi in UTC (00:00 to 23:59), for example "03:00-04:00", got: ${quote(value)}`);
  }
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const minutes = (end - start + 24 * 60) % (24 * 60);
  if (minutes < MIN_WINDOW_MINUTES) {
    throw new DrValidationError(scope, `\`${prop}\` must be at least ${MIN_WINDOW_MINUTES} minutes long, got: ${quote(value)} (${minutes} minutes)`);
  }
}

/** The Aurora PostgreSQL version the Aurora constructs default to; a global database's members must all run the same. */
export function defaultAuroraPostgresVersion(): rds.AuroraPostgresEngineVersion {
  return rds.AuroraPostgresEngineVersion.VER_17_9;
}

/** The oldest Aurora PostgreSQL major version still in standard support. */
export const MIN_POSTGRES_MAJOR = 14;

/** Refuses an Aurora PostgreSQL major older than MIN_POSTGRES_MAJOR; tokens are left to RDS. */
export function validateAuroraPostgresVersion(scope: IConstruct, prop: string, version: rds.AuroraPostgresEngineVersion): void {
  const major = Number(version.auroraPostgresMajorVersion.split('.')[0]);
  if (!Token.isUnresolved(version.auroraPostgresMajorVersion) && !(major >= MIN_POSTGRES_MAJOR)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be Aurora PostgreSQL ${MIN_POSTGRES_MAJOR} or newer (older majors are past standard support), got: ${quote(version.auroraPostgresFullVersion)}`);
  }
}

/**
 * Serverless v2 capacity as RDS takes it: 0 to 256 ACUs in steps of 0.5
 * (the maximum at least 1), the minimum not above the maximum. Tokens are
 * left to RDS.
 */
export function validateServerlessCapacity(scope: IConstruct, min: number, max: number): void {
  const valid = (v: number) => Token.isUnresolved(v) || (v >= 0 && v <= 256 && Number.isInteger(v * 2));
  if (!valid(min)) {
    throw new DrValidationError(scope, `\`serverlessV2MinCapacity\` must be 0 to 256 ACUs in steps of 0.5, got: ${min}`);
  }
  if (!valid(max) || (!Token.isUnresolved(max) && max < 1)) {
    throw new DrValidationError(scope, `\`serverlessV2MaxCapacity\` must be 1 to 256 ACUs in steps of 0.5, got: ${max}`);
  }
  if (!Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
    throw new DrValidationError(scope, `\`serverlessV2MinCapacity\` (${min}) must not exceed \`serverlessV2MaxCapacity\` (${max})`);
  }
}

/**
 * Refuses Serverless v2 capacity props next to `instanceType`, where RDS
 * would ignore them.
 */
export function validateCapacityWithInstanceType(
  scope: IConstruct, instanceType: { toString(): string } | undefined, min: number | undefined, max: number | undefined,
): void {
  if (!instanceType) {
    return;
  }
  for (const [prop, value] of [['serverlessV2MinCapacity', min], ['serverlessV2MaxCapacity', max]] as const) {
    if (value !== undefined) {
      throw new DrValidationError(scope,
        `\`${prop}\` applies only to Aurora Serverless v2 and would be ignored with \`instanceType\` (${instanceType}): set one or the other, got: ${value}`);
    }
  }
}

/** The TLS and connection-logging parameters every Aurora cluster of the library runs with. */
export const TLS_CLUSTER_PARAMETERS: Record<string, string> = {
  'rds.force_ssl': '1',
  'ssl_min_protocol_version': 'TLSv1.2',
  'log_connections': '1',
  'log_disconnections': '1',
};

/**
 * The ports an Aurora PostgreSQL cluster can listen on: RDS CreateDBCluster
 * accepts `Port` 1150-65535 for Aurora clusters, and RestoreDBClusterFromSnapshot
 * and RestoreDBClusterToPointInTime the same range (checked against the
 * `Port` fields of the RDS API reference on 2026-12-04:
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html).
 */
export const AURORA_PORTS = { min: 1150, max: 65535 } as const;

/**
 * Refuses a port no Aurora PostgreSQL cluster listens on: one given to a
 * cluster, or one given to connect to a cluster (a function or probe told
 * such a port would never reach it). Tokens are left alone.
 */
export function validateAuroraPort(scope: IConstruct, prop: string, port: number | undefined): void {
  if (port === undefined || Token.isUnresolved(port)) return;
  if (!Number.isInteger(port) || port < AURORA_PORTS.min || port > AURORA_PORTS.max) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a whole number from ${AURORA_PORTS.min} to ${AURORA_PORTS.max}, the ports an Aurora PostgreSQL cluster can listen on, got: ${port}`);
  }
}

/**
 * The DB instance classes Aurora PostgreSQL offers, as families and sizes,
 * from "Supported DB engines for DB instance classes" in the Aurora User
 * Guide (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html),
 * cross-checked against the per-region DBInstanceClass lists for
 * `aurora-postgresql` of aws-cdk-lib's bundled CloudFormation validator
 * (rule E3025; test/sweeps/instance-classes.test.ts):
 * - memory-optimized db.r classes from the fourth generation on (r4, r5,
 *   r6g, r6i, r7g, r7i, r8g and, since November 2026, r9g) and db.x2g, in
 *   sizes large and up; their Optimized Reads variants (r6gd, r6id, r8gd)
 *   from xlarge up;
 * - burstable db.t3 and db.t4g in medium and large only.
 * Aurora has no general-purpose (m), compute (c) or storage (i, z) classes,
 * no db.r3 and no db.t2 for PostgreSQL. A newer r generation passes, so a
 * class AWS adds later is not refused. Left to RDS (unverified at synth):
 * which engine versions and regions offer each class, and the sizes of an
 * Optimized Reads class in a region (db.r6id starts at 24xlarge in some).
 */
const AURORA_MEMORY_FAMILY = /^r(\d+)([a-z]*)$/;
const AURORA_SIZE = /^(\d*)xlarge$|^large$/;

/** Refuses an instance type Aurora PostgreSQL does not offer (see the families above); tokens are left to RDS. */
export function validateAuroraInstanceType(scope: IConstruct, prop: string, instanceType: { toString(): string } | undefined): void {
  if (!instanceType) return;
  const name = instanceType.toString();
  if (Token.isUnresolved(name)) return;
  const [family = '', size = '', ...rest] = name.split('.');
  const memory = AURORA_MEMORY_FAMILY.exec(family);
  const optimizedReads = memory !== null && memory[2].endsWith('d');
  let offered: boolean;
  if (rest.length > 0) {
    offered = false;
  } else if (family === 't3' || family === 't4g') {
    offered = size === 'medium' || size === 'large';
  } else if (family === 'x2g' || (memory !== null && Number(memory[1]) >= 4)) {
    offered = AURORA_SIZE.test(size) && !(optimizedReads && size === 'large');
  } else {
    offered = false;
  }
  if (!offered) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a DB instance class Aurora PostgreSQL offers: db.r4 or a newer memory-optimized generation (r5, r6g, r7g, r8g, ...) or db.x2g, `
      + `size large or bigger (Optimized Reads classes such as r6gd: xlarge or bigger), or burstable db.t3 or db.t4g in medium or large, got: db.${name}`);
  }
}
