import { IConstruct } from 'constructs';
import { accountAndRegionForLength, DerivedName, NAME_LIMITS, physicalName } from './limits';

/** The physical names a VersionedBucket derives. */
export interface VersionedBucketNames {
  /** The data bucket, `dr-data-{account}-{region}-{suffix}`. */
  readonly data: string;
  /** The access-log bucket, `dr-logs-{account}-{region}-{suffix}`. */
  readonly logs: string;
  /** The alias of the key the construct creates, `alias/dr-data-{suffix}` (the same in every region). */
  readonly keyAlias: string;
  /** The replication role, `dr-s3-replication-{region}-{suffix}`: IAM names are global, so it carries the region. */
  readonly replicationRole: string;
}

/** Every physical name a VersionedBucket derives from the suffix, for one account and region. */
export function versionedBucketNames(environmentSuffix: string, account: string, region: string): VersionedBucketNames {
  return {
    data: `dr-data-${account}-${region}-${environmentSuffix}`,
    logs: `dr-logs-${account}-${region}-${environmentSuffix}`,
    keyAlias: `alias/${physicalName('dr-data', environmentSuffix)}`,
    replicationRole: `dr-s3-replication-${region}-${environmentSuffix}`,
  };
}

/** The name of the data bucket a VersionedBucket with this suffix has in this account and region. */
export function versionedBucketName(environmentSuffix: string, account: string, region: string): string {
  return versionedBucketNames(environmentSuffix, account, region).data;
}

/** The names a VersionedBucket derives in its stack's account and region (at their longest when unknown), for the length check. */
export function versionedBucketDerivedNames(scope: IConstruct, suffix: string, withLogBucket: boolean, withReplication: boolean): DerivedName[] {
  const { account, region } = accountAndRegionForLength(scope);
  const names = versionedBucketNames(suffix, account, region);
  const derived: DerivedName[] = [
    { resource: 'S3 bucket', name: names.data, maxLength: NAME_LIMITS.s3Bucket },
    { resource: 'KMS alias', name: names.keyAlias, maxLength: NAME_LIMITS.kmsAlias },
  ];
  if (withLogBucket) {
    derived.push({ resource: 'S3 access-log bucket', name: names.logs, maxLength: NAME_LIMITS.s3Bucket });
  }
  if (withReplication) {
    derived.push({ resource: 'IAM role', name: names.replicationRole, maxLength: NAME_LIMITS.iamRole, accountWide: true });
  }
  return derived;
}
