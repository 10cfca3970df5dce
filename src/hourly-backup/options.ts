import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BackupCopyDestination } from './copy-destination';
import { VaultLockMode } from '../dr-backup-vault/dr-backup-vault';

/**
 * How the backup plan is built: everything SingleRegionDrPlatform passes through as `backup`.
 */
export interface HourlyBackupOptions {
  /**
   * How long hourly snapshots are kept: at least 7 days.
   *
   * @default Duration.days(7)
   */
  readonly retention?: Duration;

  /**
   * Whether to add continuous backup (point-in-time restore in AWS Backup)
   * for Aurora and S3, in the same vault, beside the hourly snapshots.
   *
   * @default true
   */
  readonly continuousBackup?: boolean;

  /**
   * How long continuous backups reach back: 7 to 35 days.
   *
   * @default - `retention`, at most 35 days
   */
  readonly continuousBackupRetention?: Duration;

  /**
   * How long after its scheduled time a snapshot job may start before it is
   * cancelled (and reported EXPIRED). At least 1 hour (the AWS minimum) and
   * no longer than the RPO.
   *
   * @default Duration.hours(1)
   */
  readonly startWindow?: Duration;

  /**
   * How long after its scheduled time a snapshot job must complete, or it is
   * cancelled and reported as failed rather than being silently late. Longer
   * than `startWindow`, and at most `startWindow` plus the RPO.
   *
   * @default - `startWindow` plus the RPO (at least 1 hour of it)
   */
  readonly completionWindow?: Duration;

  /**
   * The key that encrypts the vault.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-backup-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The vault lock. Only when data is retained: any lock together with
   * `DESTROY` is refused, because a locked vault cannot be emptied.
   *
   * @default - GOVERNANCE when data is retained, NONE with DESTROY
   */
  readonly vaultLock?: VaultLockMode;

  /**
   * With a COMPLIANCE lock, how long the lock can still be changed or removed
   * before it becomes permanent: at least 3 days.
   *
   * @default Duration.days(3)
   */
  readonly complianceLockChangeableFor?: Duration;

  /**
   * Also notify on every completed backup job (one message per resource per
   * hour). Failures, expiries and aborted, partial, copy and restore failures
   * always notify.
   *
   * @default false
   */
  readonly notifyOnCompletedBackups?: boolean;

  /**
   * Vaults in other regions to copy every hourly snapshot to, so the
   * workload's backups survive the loss of this region. Each copy is a
   * snapshot (continuous backups are not copied: point-in-time restore
   * stays in this region), re-encrypted with the destination vault's key.
   * A destination in this plan's region is refused.
   *
   * @default - no copies: every recovery point is in this region
   */
  readonly copyTo?: BackupCopyDestination[];
}
