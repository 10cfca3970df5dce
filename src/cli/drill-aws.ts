import {
  BackupClient, DescribeRecoveryPointCommand, GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByResourceCommand, ListRecoveryPointsByResourceCommandOutput, RecoveryPointByResource,
} from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { DrillResource } from './drill-model';
import { CliError, EXIT_TARGET_MISSED, EXIT_USAGE } from './errors';
import { Clock, describeError, withBackoff } from '../private/aws-calls';
import { isRdsAutomatedBackup, USABLE_RECOVERY_POINT_STATUSES } from '../recovery-point-monitor/recovery-point-age.lambda';

/** The AWS clients the drill calls; the tests pass mocked ones. */
export interface DrillClients {
  readonly backup: BackupClient;
  readonly rds: RDSClient;
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
}

/** The SDK's adaptive retry absorbs short throttling; withBackoff catches what outlasts it. */
export function createDrillClients(region: string | undefined): DrillClients {
  const config = { region, retryMode: 'adaptive', maxAttempts: 5 };
  return {
    backup: new BackupClient(config),
    rds: new RDSClient(config),
    dynamodb: new DynamoDBClient(config),
    s3: new S3Client(config),
    lambda: new LambdaClient(config),
  };
}

/** Calls AWS with the library's throttling backoff, on the drill's clock. */
export type Call = <T>(fn: () => Promise<T>) => Promise<T>;
export function backoffCall(clock: Clock, deadline: () => number): Call {
  return (fn) => withBackoff(fn, { clock, deadline: deadline() });
}

/**
 * Continuous recovery points are named `recovery-point:continuous:...`
 * (unverified, docs/cli.md); snapshot points carry a job id or a snapshot ARN.
 */
export function isContinuousPoint(arn: string | undefined): boolean {
  return /:recovery-point:continuous:/.test(arn ?? '');
}

export interface ChosenPoint {
  readonly recoveryPointArn: string;
  readonly vaultName: string;
  readonly creationDate: Date;
  readonly continuous: boolean;
  /** For a continuous point: the times it can restore to. */
  readonly window?: { readonly earliest: Date; readonly latest: Date };
}

/**
 * The newest usable point AWS Backup created for the resource, by the same
 * rules as RecoveryPointMonitor (its statuses, RDS's own snapshots left out);
 * with `pointInTime`, the continuous point whose window covers it.
 */
export async function chooseRecoveryPoint(
  backup: BackupClient, resource: DrillResource, call: Call, now: number, pointInTime?: Date,
): Promise<ChosenPoint> {
  const usable: RecoveryPointByResource[] = [];
  let listed = 0;
  let nextToken: string | undefined;
  do {
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListRecoveryPointsByResource.html
    const page: ListRecoveryPointsByResourceCommandOutput = await call(() => backup.send(new ListRecoveryPointsByResourceCommand({
      ResourceArn: resource.arn, MaxResults: 100, NextToken: nextToken, ManagedByAWSBackupOnly: true,
    })));
    for (const point of page.RecoveryPoints ?? []) {
      listed++;
      if (isRdsAutomatedBackup(point.RecoveryPointArn)) continue;
      if (USABLE_RECOVERY_POINT_STATUSES.has(point.Status ?? '') && point.CreationDate && point.RecoveryPointArn && point.BackupVaultName) {
        usable.push(point);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  usable.sort((a, b) => b.CreationDate!.getTime() - a.CreationDate!.getTime());
  const allowed = [...USABLE_RECOVERY_POINT_STATUSES].join(' or ');
  if (!pointInTime) {
    const newest = usable[0];
    if (!newest) {
      throw new CliError(`no usable AWS Backup recovery point of ${resource.arn} (${listed} listed, none ${allowed}): nothing to restore`, EXIT_TARGET_MISSED);
    }
    return pointOf(newest, isContinuousPoint(newest.RecoveryPointArn));
  }
  const continuous = usable.filter((p) => isContinuousPoint(p.RecoveryPointArn));
  if (continuous.length === 0) {
    throw new CliError(`--point-in-time needs a continuous recovery point of ${resource.arn}, and it has none that is ${allowed} (${listed} listed)`);
  }
  const windows: string[] = [];
  for (const point of continuous) {
    const window = await continuousWindow(backup, point, call, now);
    if (pointInTime >= window.earliest && pointInTime <= window.latest) {
      return { ...pointOf(point, true), window };
    }
    windows.push(`${window.earliest.toISOString()} to ${window.latest.toISOString()}`);
  }
  throw new CliError(`--point-in-time ${pointInTime.toISOString()} is outside the continuous backup window of ${resource.arn} (${windows.join(', ')})`);
}

function pointOf(p: RecoveryPointByResource, continuous: boolean): ChosenPoint {
  return { recoveryPointArn: p.RecoveryPointArn!, vaultName: p.BackupVaultName!, creationDate: p.CreationDate!, continuous };
}

/**
 * A continuous point restores to any time from its start, or its retention
 * before now if later, up to now (AWS Backup keeps 1 to 35 days:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html).
 * The last few minutes may not be restorable yet: AWS refuses those itself.
 */
async function continuousWindow(
  backup: BackupClient, point: RecoveryPointByResource, call: Call, now: number,
): Promise<{ earliest: Date; latest: Date }> {
  const described = await call(() => backup.send(new DescribeRecoveryPointCommand({
    BackupVaultName: point.BackupVaultName, RecoveryPointArn: point.RecoveryPointArn,
  })));
  const days = described.Lifecycle?.DeleteAfterDays;
  const start = (described.CreationDate ?? point.CreationDate!).getTime();
  const earliest = days ? Math.max(start, now - days * 86_400_000) : start;
  return { earliest: new Date(earliest), latest: new Date(now) };
}

/** The point's restore metadata: the source's subnet group, security groups, key and so on. */
export async function restoreMetadataOf(backup: BackupClient, point: ChosenPoint, call: Call): Promise<Record<string, string>> {
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetRecoveryPointRestoreMetadata.html
  const out = await call(() => backup.send(new GetRecoveryPointRestoreMetadataCommand({
    BackupVaultName: point.vaultName, RecoveryPointArn: point.recoveryPointArn,
  })));
  return { ...(out.RestoreMetadata ?? {}) };
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException']);
const NOT_FOUND = new Set(['ResourceNotFoundException', 'DBClusterNotFoundFault', 'TableNotFoundException', 'NoSuchBucket']);

/**
 * An AWS error as one line and exit code 2 when it is about the caller, not
 * the restore: missing credentials or region, access denied; and, while
 * planning (`planning`), an unknown resource. Anything else is left to the
 * caller. After planning a "not found" is about a scratch copy, not the
 * resource, and is a failed drill.
 */
export function asUsageError(error: unknown, resource: DrillResource, planning: boolean): CliError | undefined {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (/region is missing/i.test(e?.message ?? '')) {
    return new CliError('no AWS region: pass --region or set AWS_REGION (an S3 ARN names no region)', EXIT_USAGE);
  }
  if (e?.name === 'CredentialsProviderError' || /could not load credentials/i.test(e?.message ?? '')) {
    return new CliError(`no AWS credentials: set AWS_PROFILE or the AWS_ACCESS_KEY_ID variables, or run aws sso login (${e.message})`, EXIT_USAGE);
  }
  if (ACCESS_DENIED.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 403) {
    return new CliError(`access denied: ${describeError(error)} (docs/cli.md lists the IAM actions the drill needs)`, EXIT_USAGE);
  }
  if (!planning) return undefined;
  if (NOT_FOUND.has(e?.name ?? '')) {
    return new CliError(`${resource.arn} was not found: ${describeError(error)}`, EXIT_USAGE);
  }
  if (e?.name === 'InvalidParameterValueException' && /arn/i.test(e.message ?? '')) {
    return new CliError(`AWS Backup does not accept ${resource.arn}: ${describeError(error)}`, EXIT_USAGE);
  }
  return undefined;
}
