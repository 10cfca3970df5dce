import { Construct } from 'constructs';
import { validateBucketOptions } from './bucket-options';
import { AuroraClusterOptions, EncryptedAuroraOptions } from '../encrypted-aurora';
import { DrValidationError, quote } from '../private/validation';
import { VersionedBucketBaseOptions, VersionedBucketOptions } from '../versioned-bucket';

/**
 * Refuses the fields of the pass-through options that MultiRegionDrPlatform
 * sets itself, naming each: a value given there would otherwise be dropped
 * or overwritten without a word. The bucket's rules (bucket-options.ts) also
 * refuse what cannot serve both regions' buckets.
 */
export function refusePlatformOwnedOptions(
  scope: Construct, secondaryRegion: string, bucket?: VersionedBucketBaseOptions, database?: AuroraClusterOptions,
): void {
  // Not in the type (VersionedBucketBaseOptions), but JavaScript callers can still pass them.
  validateBucketOptions(scope, bucket as VersionedBucketOptions | undefined, secondaryRegion);
  // Not in the type (AuroraClusterOptions), but JavaScript callers can still pass it.
  const global = (database as EncryptedAuroraOptions | undefined)?.globalSecondaryRegions;
  if (global !== undefined) {
    throw new DrValidationError(scope,
      `\`database.globalSecondaryRegions\` is set by the platform (to [${quote(secondaryRegion)}], the secondary region): leave it out, got: ${JSON.stringify(global)}`);
  }
}
