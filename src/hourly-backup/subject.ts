/**
 * What HourlyBackup knows of a protected resource: observed in the app,
 * stated by the caller, or unknown; and what it refuses or warns about.
 */
import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { validateProtectedArn } from './arn-check';
import { CoverageSubject } from './coverage';
import { bucketFacts, tablePointInTimeRecovery } from './resource-facts';
import { DrValidationError } from '../private/validation';
import { addDrWarning } from '../private/warnings';
import { ProtectedResource, ProtectedResourceType } from '../stores/protected-resource';

/**
 * What the app says about the resource: read from its synthesized L1 when
 * it is defined in the app, else what the caller stated, else unknown.
 * A statement the app contradicts, an unversioned bucket and an ARN AWS
 * Backup cannot protect are refused.
 */
export function subjectOf(scope: Construct, resource: ProtectedResource): CoverageSubject {
  const base = { name: resource.name, resourceType: resource.resourceType };
  switch (resource.resourceType) {
    case ProtectedResourceType.DYNAMODB: {
      const observed = resource._construct ? tablePointInTimeRecovery(resource._construct) : undefined;
      const stated = resource._statedPointInTimeRecovery;
      if (observed !== undefined && stated !== undefined && observed !== stated) {
        throw new DrValidationError(scope,
          `\`pointInTimeRecovery\` is stated ${stated} for table ${resource.name}, but the table in the app has point-in-time recovery ${observed ? 'on' : 'off'}: `
          + 'the coverage is derived from the table itself; drop the statement or change the table');
      }
      return { ...base, pointInTimeRecovery: observed ?? stated };
    }
    case ProtectedResourceType.S3: {
      const observed = resource._construct ? bucketFacts(resource._construct as s3.IBucket).versioned : undefined;
      const versioned = observed ?? resource._statedVersioned;
      if (versioned === false) {
        throw new DrValidationError(scope,
          `bucket ${resource.name} is not versioned${observed === false ? ' in the app' : ' (stated)'}: AWS Backup can only back up versioned buckets. `
          + 'Turn versioning on (VersionedBucket does), or leave the bucket out of the plan');
      }
      return { ...base, versioned };
    }
    case ProtectedResourceType.OTHER:
      validateProtectedArn(scope, resource.resourceArn, resource.name);
      return base;
    default:
      return base;
  }
}

/**
 * An object version that expires from the bucket before the backups of its
 * period do leaves those backups as the only copy: worth a warning where
 * both durations are known.
 */
export function checkNoncurrentVersionExpiration(scope: Construct, resource: ProtectedResource, retention: Duration): void {
  const days = bucketFacts(resource._construct as s3.IBucket).noncurrentVersionExpirationDays;
  if (days === undefined || retention.isUnresolved() || days >= retention.toDays({ integral: false })) {
    return;
  }
  addDrWarning(scope, 'noncurrentVersionExpirationShorterThanBackupRetention',
    `The noncurrent versions of bucket ${resource.name} expire after ${days} days, shorter than \`retention\` (${retention.toHumanString()}): `
    + 'an overwritten object version can expire from the bucket while backups still refer to the period it covered. '
    + 'Raise the bucket\'s `noncurrentVersionExpiration` to at least the retention.');
}
