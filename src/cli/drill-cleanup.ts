import { DeleteTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteDBClusterCommand, DeleteDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, ModifyDBClusterCommand,
} from '@aws-sdk/client-rds';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, ListObjectVersionsCommandOutput, ObjectIdentifier } from '@aws-sdk/client-s3';
import { Call, DrillClients } from './drill-aws';
import { ScratchResource } from './drill-model';
import { Clock, describeError } from '../private/aws-calls';

/**
 * Deletes what a drill restored: only the scratch copies it named itself,
 * never the source. Each step that finds its resource gone counts it as
 * deleted; each that fails says what is left and why.
 */

export interface CleanupResult {
  readonly deleted: string[];
  readonly left: Array<{ readonly arn: string; readonly reason: string }>;
}

export interface CleanupDeps {
  readonly clients: DrillClients;
  readonly call: Call;
  readonly clock: Clock;
  /** Epoch milliseconds by which cleanup gives up waiting (an instance's deletion). */
  readonly deadline: number;
  readonly pollMs: number;
  readonly progress: (text: string) => void;
}

const gone = (error: unknown, names: string[]) => names.includes((error as Error)?.name ?? '');

/**
 * Deletes each scratch resource in order (an instance before its cluster),
 * filling `result` as it goes, so a second Ctrl-C can say what is left.
 */
export async function cleanUp(
  resources: readonly ScratchResource[], deps: CleanupDeps, result: CleanupResult = { deleted: [], left: [] },
): Promise<CleanupResult> {
  for (const r of resources) {
    try {
      deps.progress(`deleting ${r.type} ${r.name}`);
      const done = await DELETERS[r.type](r.name, deps);
      if (done) result.deleted.push(r.arn);
    } catch (error) {
      result.left.push({ arn: r.arn, reason: describeError(error) });
    }
  }
  return result;
}

/** Each returns true when the resource is deleted (or being deleted), false when it never existed. */
const DELETERS: Record<ScratchResource['type'], (name: string, deps: CleanupDeps) => Promise<boolean>> = {
  'aurora-instance': deleteInstance,
  'aurora-cluster': deleteCluster,
  'dynamodb-table': deleteTable,
  's3-bucket': emptyAndDeleteBucket,
};

async function deleteInstance(name: string, deps: CleanupDeps): Promise<boolean> {
  let accepted = false;
  let seen = false;
  // The cluster refuses deletion while it has an instance: wait until the instance is gone.
  for (;;) {
    if (!accepted) {
      try {
        await deps.call(() => deps.clients.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: name, SkipFinalSnapshot: true })));
        accepted = true;
      } catch (error) {
        if (gone(error, ['DBInstanceNotFoundFault'])) return seen;
        // Still being created or modified (or already being deleted): ask again after a pause.
        if (!gone(error, ['InvalidDBInstanceStateFault'])) throw error;
      }
    }
    seen = true;
    let status: string | undefined;
    try {
      const out = await deps.call(() => deps.clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: name })));
      if (!out.DBInstances?.length) return true;
      status = out.DBInstances[0].DBInstanceStatus;
    } catch (error) {
      if (gone(error, ['DBInstanceNotFoundFault'])) return true;
      throw error;
    }
    accepted ||= status === 'deleting';
    if (deps.clock.now() + deps.pollMs > deps.deadline) {
      throw new Error(accepted
        ? 'the instance was still being deleted when cleanup\'s time ran out (DeleteDBInstance was accepted)'
        : `the instance could not be deleted while ${status ?? 'in its state'}, until cleanup's time ran out`);
    }
    await deps.clock.sleep(deps.pollMs);
  }
}

async function deleteCluster(name: string, deps: CleanupDeps): Promise<boolean> {
  let protectedCluster: boolean | undefined;
  try {
    const out = await deps.call(() => deps.clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: name })));
    protectedCluster = out.DBClusters?.[0]?.DeletionProtection;
  } catch (error) {
    if (gone(error, ['DBClusterNotFoundFault'])) return false;
    throw error;
  }
  if (protectedCluster) {
    // The copy inherits the source's deletion protection from the restore metadata.
    await deps.call(() => deps.clients.rds.send(new ModifyDBClusterCommand({
      DBClusterIdentifier: name, DeletionProtection: false, ApplyImmediately: true,
    })));
  }
  try {
    await deps.call(() => deps.clients.rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: name, SkipFinalSnapshot: true })));
  } catch (error) {
    if (gone(error, ['DBClusterNotFoundFault'])) return true;
    throw error;
  }
  return true;
}

async function deleteTable(name: string, deps: CleanupDeps): Promise<boolean> {
  let table;
  try {
    table = (await deps.call(() => deps.clients.dynamodb.send(new DescribeTableCommand({ TableName: name })))).Table;
  } catch (error) {
    if (gone(error, ['ResourceNotFoundException', 'TableNotFoundException'])) return false;
    throw error;
  }
  if (table?.DeletionProtectionEnabled) {
    await deps.call(() => deps.clients.dynamodb.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false })));
  }
  try {
    await deps.call(() => deps.clients.dynamodb.send(new DeleteTableCommand({ TableName: name })));
  } catch (error) {
    if (gone(error, ['ResourceNotFoundException'])) return true;
    throw error;
  }
  return true;
}

/**
 * A restored bucket is versioned: every version and every delete marker
 * must go before DeleteBucket succeeds, page by page (DeleteObjects takes
 * at most 1,000 keys). https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html
 */
async function emptyAndDeleteBucket(name: string, deps: CleanupDeps): Promise<boolean> {
  const s3 = deps.clients.s3;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  let removed = 0;
  for (;;) {
    let page: ListObjectVersionsCommandOutput;
    try {
      page = await deps.call(() => s3.send(new ListObjectVersionsCommand({
        Bucket: name, KeyMarker: keyMarker, VersionIdMarker: versionMarker, MaxKeys: 1000,
      })));
    } catch (error) {
      if (gone(error, ['NoSuchBucket'])) return removed > 0;
      throw error;
    }
    const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((v) => v.Key !== undefined)
      .map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    for (let i = 0; i < objects.length; i += 1000) {
      const batch = objects.slice(i, i + 1000);
      const out = await deps.call(() => s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: batch, Quiet: true } })));
      if (out.Errors?.length) {
        const first = out.Errors[0];
        throw new Error(`${out.Errors.length} of ${batch.length} versions were not deleted (first: ${first.Key} ${first.VersionId ?? ''}: ${first.Code} ${first.Message ?? ''})`);
      }
      removed += batch.length;
    }
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  deps.progress(`removed ${removed} object versions and delete markers from ${name}`);
  try {
    await deps.call(() => s3.send(new DeleteBucketCommand({ Bucket: name })));
  } catch (error) {
    if (gone(error, ['NoSuchBucket'])) return true;
    throw error;
  }
  return true;
}
