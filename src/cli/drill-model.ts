import { CliError } from './errors';
import { NAME_LIMITS } from '../names/limits';

/**
 * What `cdk-dr drill` knows without calling AWS: which resources it drills,
 * how it names the scratch copy, which restore metadata keys it overrides and
 * what each restore job status means. The AWS side is in drill-aws.ts and
 * drill-cleanup.ts, the command in drill.ts.
 */

/** The kinds of resource the drill restores, cleans up and checks. */
export type DrillKind = 'aurora' | 'dynamodb' | 's3';

export interface DrillResource {
  readonly kind: DrillKind;
  readonly arn: string;
  /** The cluster identifier, table name or bucket name. */
  readonly name: string;
  readonly partition: string;
  /** Empty for S3, whose ARNs carry no region. */
  readonly region: string;
  /** Empty for S3, whose ARNs carry no account. */
  readonly account: string;
}

/** The supported ARN forms, as messages list them. */
export const SUPPORTED_RESOURCES = [
  'an Aurora (RDS) DB cluster, arn:aws:rds:REGION:ACCOUNT:cluster:NAME',
  'a DynamoDB table, arn:aws:dynamodb:REGION:ACCOUNT:table/NAME',
  'an S3 bucket, arn:aws:s3:::NAME',
];

const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/;

/** Reads `--resource` into a supported resource, or says what is accepted. */
export function parseResourceArn(text: string): DrillResource {
  const supported = `supported: ${SUPPORTED_RESOURCES.join('; ')}`;
  const m = ARN.exec(text.trim());
  if (!m) {
    throw new CliError(`--resource must be an ARN (${supported}), got: ${JSON.stringify(text)}`);
  }
  const [, partition, service, region, account = '', rest] = m;
  const base = { arn: text.trim(), partition, region, account };
  if (service === 'rds' && region && account && /^cluster:[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(rest)) {
    return { ...base, kind: 'aurora', name: rest.slice('cluster:'.length) };
  }
  if (service === 'dynamodb' && region && account && /^table\/[a-zA-Z0-9_.-]{3,255}$/.test(rest)) {
    return { ...base, kind: 'dynamodb', name: rest.slice('table/'.length) };
  }
  if (service === 's3' && !region && !account && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(rest)) {
    return { ...base, kind: 's3', name: rest };
  }
  const what = service === 'rds' && rest.startsWith('db:') ? 'an RDS DB instance (drill its Aurora cluster instead)' : `a ${service} resource "${rest}"`;
  throw new CliError(`--resource ${JSON.stringify(text)} is ${what}, which cdk-dr drill does not restore (${supported})`);
}

/** AWS's name limits for the scratch copy, from the library's one table of limits. */
const SCRATCH_NAME_RULES: Record<DrillKind, { readonly max: number; readonly pattern: RegExp; readonly what: string }> = {
  // RDS: 1-63 letters, digits or hyphens, a letter first, no hyphen last or twice in a row.
  aurora: { max: NAME_LIMITS.auroraCluster, pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/, what: 'Aurora cluster identifier' },
  // DynamoDB: 3-255 of [a-zA-Z0-9_.-].
  dynamodb: { max: NAME_LIMITS.dynamodbTable, pattern: /^[a-zA-Z0-9_.-]{3,}$/, what: 'DynamoDB table name' },
  // S3: 3-63 lower-case letters, digits, dots and hyphens, a letter or digit at each end.
  s3: { max: NAME_LIMITS.s3Bucket, pattern: /^[a-z0-9][a-z0-9.-]+[a-z0-9]$/, what: 'S3 bucket name' },
};

/** The problem with `name` as the scratch copy of a `kind`, or undefined. */
export function scratchNameProblem(kind: DrillKind, name: string): string | undefined {
  const rule = SCRATCH_NAME_RULES[kind];
  if (name.length > rule.max) return `${rule.what} ${JSON.stringify(name)} is longer than ${rule.max} characters`;
  if (!rule.pattern.test(name)) return `${rule.what} ${JSON.stringify(name)} does not match ${rule.pattern}`;
  return undefined;
}

/**
 * `drill-{yyyymmdd}-{hhmmss}-{4 hex}`: valid for all three kinds, sortable,
 * and with a random tail because bucket names are global.
 */
export function scratchName(kind: DrillKind, now: number, random: () => number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
  const tail = Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  const name = `drill-${stamp}-${tail}`;
  const problem = scratchNameProblem(kind, name);
  if (problem) throw new Error(`internal: ${problem}`);
  return name;
}

/**
 * The restore metadata keys the drill sets; everything else comes from
 * GetRecoveryPointRestoreMetadata unchanged, so the copy lands in the source's
 * subnet group and security groups with its key. Keys are case-insensitive
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html):
 * a key already present keeps its spelling.
 */
export const NAME_KEYS: Record<DrillKind, Record<string, string>> = {
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-aur.html
  aurora: { DBClusterIdentifier: '{name}' },
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-dynamodb.html
  dynamodb: { targetTableName: '{name}' },
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-s3.html
  s3: { newBucket: 'true', destinationBucketName: '{name}' },
};

/**
 * The key that carries the time of a continuous (point-in-time) restore.
 * Unverified against AWS (docs/cli.md): Aurora's mirrors
 * RestoreDBClusterToPointInTime's RestoreToTime. DynamoDB's PITR is the
 * table's own, not an AWS Backup recovery point (DR-FACTS).
 */
export const POINT_IN_TIME_KEYS: Partial<Record<DrillKind, string>> = { aurora: 'RestoreToTime', s3: 'RestoreTime' };

/** Keys dropped for a point-in-time restore: they ask for the latest time instead. */
const LATEST_TIME_KEYS = ['UseLatestRestorableTime'];

function setKey(metadata: Record<string, string>, key: string, value: string): string {
  const existing = Object.keys(metadata).find((k) => k.toLowerCase() === key.toLowerCase());
  metadata[existing ?? key] = value;
  return existing ?? key;
}

/** The restore metadata with the drill's overrides, and the overrides alone (for the plan). */
export function restoreMetadataFor(
  kind: DrillKind, original: Record<string, string>, name: string, pointInTime?: Date,
): { metadata: Record<string, string>; overrides: Record<string, string>; removed: string[] } {
  const metadata = { ...original };
  const overrides: Record<string, string> = {};
  const removed: string[] = [];
  for (const [key, template] of Object.entries(NAME_KEYS[kind])) {
    const value = template.replace('{name}', name);
    overrides[setKey(metadata, key, value)] = value;
  }
  if (pointInTime) {
    const key = POINT_IN_TIME_KEYS[kind];
    if (!key) throw new CliError(`--point-in-time is not available for ${kind}: AWS Backup keeps no continuous recovery point of it`);
    for (const k of Object.keys(metadata).filter((x) => LATEST_TIME_KEYS.some((l) => l.toLowerCase() === x.toLowerCase()))) {
      delete metadata[k];
      removed.push(k);
    }
    overrides[setKey(metadata, key, pointInTime.toISOString())] = pointInTime.toISOString();
  }
  return { metadata, overrides, removed };
}

/**
 * What a restore job status means to the drill. Every value of the SDK's
 * RestoreJobStatus has one (test/cli/drill-model.test.ts sweeps them); a
 * status the SDK learns later is waited on until the timeout.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRestoreJob.html
 */
export type RestoreJobOutcome = 'waiting' | 'completed' | 'failed' | 'unknown';
const JOB_OUTCOMES: Record<string, RestoreJobOutcome> = {
  PENDING: 'waiting',
  RUNNING: 'waiting',
  // Not in the SDK's enum, but used by the restore job events (DR-FACTS).
  CREATED: 'waiting',
  COMPLETED: 'completed',
  FAILED: 'failed',
  ABORTED: 'failed',
};

export function restoreJobOutcome(status: string | undefined): RestoreJobOutcome {
  return JOB_OUTCOMES[status ?? ''] ?? 'unknown';
}

/** Reads `--point-in-time`: an ISO 8601 time with a zone (Z or an offset). */
export function parsePointInTime(text: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
  const time = new Date(text);
  if (!iso.test(text.trim()) || Number.isNaN(time.getTime())) {
    throw new CliError(`--point-in-time must be an ISO 8601 time with a zone, such as 2026-01-31T14:05:00Z, got: ${JSON.stringify(text)}`);
  }
  return time;
}

/** A cluster, instance, table or bucket the drill may have created, and how to name it to a human. */
export interface ScratchResource {
  readonly type: 'aurora-cluster' | 'aurora-instance' | 'dynamodb-table' | 's3-bucket';
  readonly name: string;
  readonly arn: string;
}

/** The ARNs of the scratch copies, built like the source's. */
export function scratchResources(source: DrillResource, name: string): ScratchResource[] {
  const at = `${source.partition}:${source.kind === 's3' ? 's3::' : `${source.kind === 'aurora' ? 'rds' : 'dynamodb'}:${source.region}:${source.account}`}`;
  switch (source.kind) {
    case 'aurora':
      // The instance goes first: a cluster with an instance cannot be deleted.
      return [
        { type: 'aurora-instance', name, arn: `arn:${at}:db:${name}` },
        { type: 'aurora-cluster', name, arn: `arn:${at}:cluster:${name}` },
      ];
    case 'dynamodb':
      return [{ type: 'dynamodb-table', name, arn: `arn:${at}:table/${name}` }];
    case 's3':
      return [{ type: 's3-bucket', name, arn: `arn:${at}:${name}` }];
  }
}
