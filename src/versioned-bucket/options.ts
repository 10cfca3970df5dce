import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * How a bucket is built in any region: what MultiRegionDrPlatform applies to
 * the primary's bucket and to its replica alike (a key, a log bucket and the
 * replication belong to one region, so they are not here).
 */
export interface VersionedBucketBaseOptions {
  /**
   * How long a noncurrent (overwritten or deleted) object version is kept
   * before it expires. Without an expiration a versioned bucket grows forever.
   * HourlyBackup warns when this is shorter than its retention.
   *
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * When incomplete multipart uploads are aborted and their parts deleted.
   *
   * @default Duration.days(7)
   */
  readonly abortIncompleteMultipartUploadAfter?: Duration;

  /**
   * Transitions of current object versions to cheaper storage classes,
   * checked as S3 checks them: Standard-IA and One Zone-IA after 30 days or
   * more, classes in S3's order, 30 days in an infrequent-access class before
   * the next move.
   *
   * @default - objects stay in S3 Standard
   */
  readonly transitions?: s3.Transition[];

  /**
   * Transitions of noncurrent object versions to cheaper storage classes,
   * checked like `transitions`, each earlier than `noncurrentVersionExpiration`.
   *
   * @default - noncurrent versions stay in S3 Standard until they expire
   */
  readonly noncurrentVersionTransitions?: s3.NoncurrentVersionTransition[];

  /**
   * Whether to record server access logs. When on and no
   * `serverAccessLogsBucket` is given, the construct creates a log bucket
   * named `dr-logs-{account}-{region}-{environmentSuffix}` (SSE-S3, the only
   * encryption S3 log delivery supports).
   *
   * @default true
   */
  readonly serverAccessLogs?: boolean;

  /**
   * Key prefix of the server access logs in the log bucket.
   *
   * @default 'access-logs/'
   */
  readonly serverAccessLogsPrefix?: string;

}

/**
 * How the bucket is built: everything `PlatformBucket.versionedBucket` passes through.
 */
export interface VersionedBucketOptions extends VersionedBucketBaseOptions {
  /**
   * The KMS key that encrypts objects (SSE-KMS with S3 Bucket Keys).
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-data-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * An existing bucket to receive the server access logs.
   *
   * @default - a log bucket is created when `serverAccessLogs` is on
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Replicate every object to a bucket in another region (S3 Cross-Region
   * Replication), encrypted there with a key of that region.
   *
   * @default - no replication
   */
  readonly replication?: BucketReplicationOptions;
}

/**
 * Where and how a VersionedBucket replicates its objects. The destination
 * is named, not referenced: it lives in another region, so it is imported by
 * name and its key by ARN, and no value crosses regions. The destination
 * bucket must exist, be versioned and belong to the same account before the
 * source stack deploys.
 */
export interface BucketReplicationOptions {
  /**
   * The destination bucket's name (for a VersionedBucket there:
   * `dr-data-{account}-{region}-{environmentSuffix}`). A concrete name:
   * a token would be a reference to another region.
   */
  readonly destinationBucketName: string;

  /** The destination bucket's region: a concrete region code other than the stack's. */
  readonly destinationRegion: string;

  /**
   * The KMS key (key or alias ARN, of `destinationRegion` and this account)
   * that encrypts the replicas. An alias ARN is resolved by S3 in the
   * destination region.
   *
   * @default - the alias ARN of `alias/dr-data-{environmentSuffix}` in `destinationRegion` (the key a VersionedBucket there creates)
   */
  readonly destinationKeyArn?: string;

  /**
   * S3 Replication Time Control: S3 replicates 99.99 % of new objects
   * within 15 minutes (its only threshold) under an SLA, and emits events
   * for objects that miss it. Without it replication has no time bound.
   *
   * @default true
   */
  readonly replicationTimeControl?: boolean;

  /**
   * Whether delete markers are replicated, so an object deleted here reads
   * as deleted there too. Deletions of a specific version are never
   * replicated, so the replica keeps the history a malicious delete would
   * erase.
   *
   * @default true
   */
  readonly deleteMarkerReplication?: boolean;

  /**
   * The storage class of the replicas.
   *
   * @default - the storage class of the source object
   */
  readonly storageClass?: s3.StorageClass;
}
