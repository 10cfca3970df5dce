import { Construct } from 'constructs';
import { DrValidationError, quote } from '../private/validation';
import { VersionedBucketOptions } from '../versioned-bucket';

/**
 * Refuses the `bucket` options that cannot serve both buckets: the platform
 * builds the primary's bucket and the replica in the secondary region from
 * the same options, and a key or a log bucket belongs to one region. S3
 * refuses an access-log bucket in another region, and a key from the other
 * region's stack would be a cross-region reference (and KMS refuses it).
 */
export function validateBucketOptions(scope: Construct, bucket: VersionedBucketOptions | undefined, secondaryRegion: string): void {
  if (bucket?.replication) {
    throw new DrValidationError(scope,
      `\`bucket.replication\` is set by the platform (to the replica bucket in ${secondaryRegion}): leave it out, got: a replication to ${quote(bucket.replication.destinationRegion)}`);
  }
  if (bucket?.encryptionKey) {
    throw new DrValidationError(scope,
      `\`bucket.encryptionKey\` cannot encrypt both the primary's bucket and the replica in ${secondaryRegion}: a KMS key belongs to one region. `
      + `Leave it out (each bucket gets a customer-managed key of its own region), got: ${bucket.encryptionKey.node.path}`);
  }
  if (bucket?.serverAccessLogsBucket) {
    throw new DrValidationError(scope,
      `\`bucket.serverAccessLogsBucket\` cannot receive the logs of both the primary's bucket and the replica in ${secondaryRegion}: S3 delivers access logs only to a bucket in the source bucket's region. `
      + `Leave it out (each bucket gets a log bucket of its own region) or set \`bucket.serverAccessLogs\` to false, got: ${bucket.serverAccessLogsBucket.node.path}`);
  }
}
