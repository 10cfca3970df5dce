/**
 * Custom resource handler that empties a backup vault when its stack is
 * deleted, so CloudFormation can delete the vault (it refuses while the vault
 * holds recovery points). Create and Update do nothing.
 *
 * Every recovery point is deleted, continuous ones included, page by page;
 * throttling is retried with exponential backoff and jitter; deletion is
 * asynchronous, so the vault is listed again until it is empty. If it is not
 * empty before the Lambda's time runs out, the delete fails with the points
 * that are left and why, rather than leaving CloudFormation to time out.
 */
import {
  BackupClient,
  DeleteRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
  RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { CustomResourceEvent, sendResponse } from '../private/cfn-response';

export interface DrainOptions {
  /** Epoch milliseconds by which the vault must be empty. */
  readonly deadline: number;
  /** Pause between listings while deletions finish. */
  readonly pollIntervalMs?: number;
  /** First backoff delay after throttling; doubles each attempt. */
  readonly baseDelayMs?: number;
  /** Largest backoff delay. */
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly log?: (message: string) => void;
}

export interface DrainResult {
  /** Recovery points this run asked AWS Backup to delete. */
  readonly deleteRequests: number;
  /** How many times the vault was listed. */
  readonly listings: number;
}

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException']);

export function isThrottling(error: any): boolean {
  return THROTTLING.has(error?.name) || error?.$metadata?.httpStatusCode === 429 || error?.$retryable?.throttling === true;
}

/** Deletes every recovery point in the vault and waits until it is empty. */
export async function drainVault(client: BackupClient, vaultName: string, options: DrainOptions): Promise<DrainResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 10_000;

  const withBackoff = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);
        if (!isThrottling(error) || now() + delay >= options.deadline) {
          throw error;
        }
        log(`${what}: throttled (${(error as Error).name}), retrying in ${Math.round(delay)} ms`);
        await sleep(delay);
      }
    }
  };

  let deleteRequests = 0;
  let listings = 0;
  const requested = new Set<string>();
  for (;;) {
    const points = await listAll(client, vaultName, withBackoff);
    listings++;
    if (points.length === 0) {
      log(`vault ${vaultName} is empty after ${deleteRequests} delete request(s)`);
      return { deleteRequests, listings };
    }
    const problems = new Map<string, string>();
    for (const point of points) {
      const arn = point.RecoveryPointArn!;
      if (point.Status === 'DELETING') {
        problems.set(arn, 'deletion in progress');
        continue;
      }
      try {
        await withBackoff(`delete ${arn}`, () => client.send(new DeleteRecoveryPointCommand({ BackupVaultName: vaultName, RecoveryPointArn: arn })));
        if (!requested.has(arn)) {
          requested.add(arn);
          deleteRequests++;
        }
        problems.set(arn, 'deletion requested');
      } catch (error) {
        const e = error as Error;
        problems.set(arn, `${e.name}: ${e.message}`);
        log(`could not delete ${arn}: ${e.name}: ${e.message}`);
      }
    }
    if (now() + pollIntervalMs >= options.deadline) {
      const detail = [...problems].map(([arn, why]) => `${arn} (${why})`).join('; ');
      throw new Error(`Backup vault ${vaultName} still holds ${points.length} recovery point(s) and the handler ran out of time: ${detail}. `
        + 'Delete them (or wait for their deletion to finish) and retry the stack deletion.');
    }
    await sleep(pollIntervalMs);
  }
}

async function listAll(
  client: BackupClient,
  vaultName: string,
  withBackoff: <T>(what: string, call: () => Promise<T>) => Promise<T>,
): Promise<RecoveryPointByBackupVault[]> {
  const points: RecoveryPointByBackupVault[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withBackoff(`list ${vaultName}`, () =>
      client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vaultName, NextToken: nextToken, MaxResults: 100 })));
    points.push(...(page.RecoveryPoints ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return points;
}

/** Leaves this much of the Lambda's time to report the result to CloudFormation. */
const RESPONSE_MARGIN_MS = 30_000;

export async function handler(event: CustomResourceEvent, context: { getRemainingTimeInMillis(): number }): Promise<void> {
  const vaultName = event.ResourceProperties.BackupVaultName;
  const physicalResourceId = event.PhysicalResourceId ?? `drain-${vaultName}`;
  try {
    if (typeof vaultName !== 'string' || vaultName.length === 0) {
      throw new Error(`BackupVaultName must be a non-empty string, got: ${JSON.stringify(vaultName)}`);
    }
    let data: Record<string, unknown> = {};
    if (event.RequestType === 'Delete') {
      const result = await drainVault(new BackupClient({}), vaultName, {
        deadline: Date.now() + context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS,
        log: (m) => console.log(m),
      });
      data = { ...result };
    }
    await sendResponse(event, { status: 'SUCCESS', physicalResourceId, data });
  } catch (error) {
    console.error(error);
    await sendResponse(event, { status: 'FAILED', physicalResourceId, reason: (error as Error).message });
  }
}
