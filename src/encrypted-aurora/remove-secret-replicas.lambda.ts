/**
 * Custom resource handler that removes the replicas of a replicated secret
 * when its stack is deleted, so CloudFormation can then delete the secret:
 * Secrets Manager refuses to delete a primary secret that still has
 * replicas in other regions
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-secret.html).
 * Create and Update do nothing.
 *
 * On Delete it reads the secret's replica regions (DescribeSecret), asks for
 * their removal (RemoveRegionsFromReplication), and reads again until none
 * is left. A secret that is already gone is success: there is nothing left
 * to block. Throttling is retried with jittered backoff until the deadline;
 * a replica that cannot be removed fails the delete with the regions and
 * why, and how to finish by hand, rather than leaving CloudFormation to
 * fail later on the secret with a less helpful message.
 */
import {
  DescribeSecretCommand,
  RemoveRegionsFromReplicationCommand,
  ReplicationStatusType,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { Clock, describeError, systemClock, withBackoff } from '../private/aws-calls';
import { CustomResourceEvent, sendResponse } from '../private/cfn-response';

export interface RemoveReplicasOptions {
  readonly clock: Clock;
  /** Epoch milliseconds by which every replica must be gone. */
  readonly deadline: number;
  /** Pause between reads while removals finish. */
  readonly pollIntervalMs?: number;
  readonly backoff?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number; readonly maxAttempts?: number };
  readonly log?: (message: string) => void;
}

export interface RemoveReplicasResult {
  /** The regions whose replicas this run asked Secrets Manager to remove. */
  readonly removedRegions: string[];
  /** Whether the secret no longer existed. */
  readonly secretGone: boolean;
}

const NOT_FOUND = 'ResourceNotFoundException';

/** The replicas of a secret, or undefined when the secret no longer exists. */
async function replicasOf(
  client: SecretsManagerClient,
  secretId: string,
  call: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<ReplicationStatusType[] | undefined> {
  try {
    const out = await call(() => client.send(new DescribeSecretCommand({ SecretId: secretId })));
    return out.ReplicationStatus ?? [];
  } catch (error) {
    if ((error as Error).name === NOT_FOUND) return undefined;
    throw error;
  }
}

/** Removes every replica of the secret and waits until none is left. */
export async function removeReplicas(client: SecretsManagerClient, secretId: string, options: RemoveReplicasOptions): Promise<RemoveReplicasResult> {
  const log = options.log ?? (() => undefined);
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const call = <T>(fn: () => Promise<T>) => withBackoff(fn, {
    clock: options.clock,
    deadline: options.deadline,
    maxAttempts: options.backoff?.maxAttempts ?? 8,
    baseDelayMs: options.backoff?.baseDelayMs,
    maxDelayMs: options.backoff?.maxDelayMs,
  });
  const removedRegions = new Set<string>();
  for (;;) {
    const replicas = await replicasOf(client, secretId, call);
    if (replicas === undefined) {
      log(`secret ${secretId} no longer exists: no replica to remove`);
      return { removedRegions: [...removedRegions], secretGone: true };
    }
    if (replicas.length === 0) {
      log(`secret ${secretId} has no replica left${removedRegions.size ? ` (removed: ${[...removedRegions].join(', ')})` : ''}`);
      return { removedRegions: [...removedRegions], secretGone: false };
    }
    const regions = replicas.map((r) => r.Region).filter((r): r is string => !!r);
    if (regions.length === 0) {
      throw new Error(`The secret ${secretId} reports replicas without a region: ${JSON.stringify(replicas)}`);
    }
    const toRemove = regions.filter((r) => !removedRegions.has(r));
    if (toRemove.length > 0) {
      const failed = new Map<string, string>();
      try {
        const out = await call(() => client.send(new RemoveRegionsFromReplicationCommand({ SecretId: secretId, RemoveReplicaRegions: toRemove })));
        for (const status of out.ReplicationStatus ?? []) {
          if (status.Status === 'Failed' && status.Region && toRemove.includes(status.Region)) {
            failed.set(status.Region, status.StatusMessage ?? 'no reason given');
          }
        }
      } catch (error) {
        if ((error as Error).name === NOT_FOUND) {
          log(`secret ${secretId} no longer exists: no replica to remove`);
          return { removedRegions: [...removedRegions], secretGone: true };
        }
        for (const r of toRemove) failed.set(r, describeError(error));
      }
      if (failed.size > 0) {
        throw stillReplicated(secretId, regions, [...failed].map(([region, why]) => `${region} (${why})`).join('; '));
      }
      for (const r of toRemove) removedRegions.add(r);
      log(`asked to remove the replicas of ${secretId} in ${toRemove.join(', ')}`);
      continue;
    }
    // Every replica left was asked to go: wait for the removal to finish.
    if (options.clock.now() + pollIntervalMs >= options.deadline) {
      throw stillReplicated(secretId, regions, `${regions.join(', ')} (removal still in progress)`);
    }
    await options.clock.sleep(pollIntervalMs);
  }
}

function stillReplicated(secretId: string, regions: string[], detail: string): Error {
  return new Error(`The secret ${secretId} still has replicas that could not be removed before its deletion: ${detail}. `
    + `Remove them (aws secretsmanager remove-regions-from-replication --secret-id ${secretId} --remove-replica-regions ${regions.join(' ')}) and retry the stack deletion.`);
}

/** Leaves this much of the Lambda's time to report the result to CloudFormation. */
const RESPONSE_MARGIN_MS = 30_000;

export async function handler(event: CustomResourceEvent, context: { getRemainingTimeInMillis(): number }): Promise<void> {
  const secretArn: unknown = event.ResourceProperties.SecretArn;
  const physicalResourceId = event.PhysicalResourceId ?? `replicas-of-${typeof secretArn === 'string' ? secretArn.split(':').pop() : 'secret'}`;
  try {
    if (typeof secretArn !== 'string' || !/^arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:.+$/.test(secretArn)) {
      throw new Error(`SecretArn must be the ARN of a Secrets Manager secret, got: ${JSON.stringify(secretArn)}`);
    }
    let data: Record<string, unknown> = {};
    if (event.RequestType === 'Delete') {
      const result = await removeReplicas(new SecretsManagerClient({ retryMode: 'adaptive', maxAttempts: 5 }), secretArn, {
        clock: systemClock,
        deadline: Date.now() + context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS,
        log: (m) => console.log(m),
      });
      data = { RemovedRegions: result.removedRegions.join(','), SecretGone: String(result.secretGone) };
    }
    await sendResponse(event, { status: 'SUCCESS', physicalResourceId, data });
  } catch (error) {
    console.error(error);
    await sendResponse(event, { status: 'FAILED', physicalResourceId, reason: (error as Error).message });
  }
}
