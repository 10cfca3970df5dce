import { Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { ProtectedResourceType } from '../stores/protected-resource';

/**
 * A vault in another region that HourlyBackup copies every hourly snapshot to.
 */
export interface BackupCopyDestination {
  /**
   * The vault to copy into, in another region than the plan: typically
   * `backup.BackupVault.fromBackupVaultArn(this, 'CopyVault', arn)` with
   * the ARN written out, so no value crosses regions. Its ARN names its
   * region, which is checked against the plan's; an ARN that is a token
   * cannot be checked.
   */
  readonly vault: backup.IBackupVault;

  /**
   * How long copies are kept in the destination, in whole days. A locked
   * destination refuses a copy whose retention is shorter than its lock's
   * minimum (DrBackupVault's `minimumRetention`), and the copy job fails.
   *
   * @default - the snapshot `retention`
   */
  readonly retention?: Duration;

  /**
   * The alias of the key that encrypts the destination vault (AWS Backup
   * re-encrypts every copy with it), so the backup role can be granted its
   * use in that region. A KMS key's ID cannot be known in another region,
   * so the grant names the key by this alias (`kms:ResourceAliases`).
   *
   * @default - no grant: the destination key's policy must let the backup role use it
   */
  readonly encryptionKeyAlias?: string;
}

/**
 * What a resource keeps if the plan's whole region is lost: the copies in
 * other regions, what they are, and the data they can lose.
 */
export interface RegionLossCoverage {
  /** The resource, by construct path or given name. */
  readonly name: string;
  /** Its kind. */
  readonly resourceType: ProtectedResourceType;
  /**
   * Whether the resource can be recovered outside the plan's region: from a
   * copy, or, for a function, by redeploying it.
   */
  readonly survivesRegionLoss: boolean;
  /** The regions that hold a copy (a token when a destination's region cannot be read). */
  readonly copyRegions: string[];
  /** How the resource is recovered in another region, in words. */
  readonly mechanism: string;
  /**
   * The worst-case data loss without the copy job's own duration: the
   * hourly schedule plus the completion window (a snapshot completes at the
   * latest that long after it was due, and a copy starts once it completes).
   * The real worst case is this plus the copy's duration, which AWS Backup
   * does not bound: a region RPO below this cannot be met by the copies, one
   * above it is not proven by them.
   *
   * @default - no copy, or no data to lose (a function)
   */
  readonly dataLossExcludingCopy?: Duration;
  /**
   * Why the worst-case data loss cannot be known from the app.
   *
   * @default - it is known (nothing to lose, or nothing survives)
   */
  readonly unknownReason?: string;
  /**
   * What the copy depends on that the app cannot check, in words.
   */
  readonly conditions: string[];
}
