import { physicalName } from '../private/naming';

/**
 * The physical names a VersionedBucket derives. Kept out of the module's
 * barrel (and so out of the jsii API): the multi-region composite imports it
 * directly to name the replica bucket of another region without a
 * cross-region reference.
 */
export interface VersionedBucketNames {
  /** The data bucket, `dr-data-{account}-{region}-{suffix}`. */
  readonly data: string;
  /** The access-log bucket, `dr-logs-{account}-{region}-{suffix}`. */
  readonly logs: string;
  /** The alias of the key the construct creates, `alias/dr-data-{suffix}` (the same in every region). */
  readonly keyAlias: string;
}

/** Every physical name a VersionedBucket derives from the suffix, for one account and region. */
export function versionedBucketNames(environmentSuffix: string, account: string, region: string): VersionedBucketNames {
  return {
    data: `dr-data-${account}-${region}-${environmentSuffix}`,
    logs: `dr-logs-${account}-${region}-${environmentSuffix}`,
    keyAlias: `alias/${physicalName('dr-data', environmentSuffix)}`,
  };
}

/** The name of the data bucket a VersionedBucket with this suffix has in this account and region. */
export function versionedBucketName(environmentSuffix: string, account: string, region: string): string {
  return versionedBucketNames(environmentSuffix, account, region).data;
}
