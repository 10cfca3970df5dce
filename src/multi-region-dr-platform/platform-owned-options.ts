import { Construct } from 'constructs';
import { EncryptedAuroraOptions } from '../encrypted-aurora';
import { DrValidationError, quote } from '../private/validation';
import { VersionedBucketOptions } from '../versioned-bucket';

/**
 * Refuses the fields of the pass-through options that MultiRegionDrPlatform
 * sets itself, naming each: a value given there would otherwise be dropped
 * or overwritten without a word.
 */
export function refusePlatformOwnedOptions(
  scope: Construct, secondaryRegion: string, bucket?: VersionedBucketOptions, database?: EncryptedAuroraOptions,
): void {
  if (bucket?.replication) {
    throw new DrValidationError(scope,
      `\`bucket.replication\` is set by the platform (to the replica bucket in ${secondaryRegion}): leave it out, got: a replication to ${quote(bucket.replication.destinationRegion)}`);
  }
  if (database?.globalSecondaryRegions !== undefined) {
    throw new DrValidationError(scope,
      `\`database.globalSecondaryRegions\` is set by the platform (to [${quote(secondaryRegion)}], the secondary region): leave it out, got: ${JSON.stringify(database.globalSecondaryRegions)}`);
  }
}
