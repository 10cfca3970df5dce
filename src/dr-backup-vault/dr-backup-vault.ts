import { CustomResource, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { VaultDrain } from './vault-drain';
import { backupVaultKeyAlias, backupVaultName, copyVaultKeyAlias, copyVaultName, drainLogGroupName, drBackupVaultDerivedNames, validateEnvironmentSuffix } from '../names';
import { allowServiceToPublish, PublishingService } from '../private/alarm-topic';
import { validateDays } from '../private/duration';
import { validateKeyRegion } from '../private/kms';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';

/**
 * Whether and how the vault is locked against early deletion of recovery points.
 */
export enum VaultLockMode {
  /** No vault lock. */
  NONE = 'NONE',
  /**
   * Governance mode: recovery points cannot be deleted before their retention
   * ends, but users with the right IAM permissions can remove the lock.
   */
  GOVERNANCE = 'GOVERNANCE',
  /**
   * Compliance mode: after the cooling-off period (`complianceLockChangeableFor`)
   * the lock can never be removed, by anyone, and the vault cannot be deleted
   * until every recovery point expires. Only when asked for explicitly.
   */
  COMPLIANCE = 'COMPLIANCE',
}

/**
 * What a DR backup vault is for: it decides the default vault name and key alias.
 */
export enum BackupVaultPurpose {
  /**
   * The vault a backup plan writes to: `dr-vault-{environmentSuffix}`, key
   * `alias/dr-backup-{environmentSuffix}`.
   */
  BACKUP = 'BACKUP',
  /**
   * The vault that receives copies from a backup plan in another region:
   * `dr-copy-vault-{environmentSuffix}`, key `alias/dr-backup-copy-{environmentSuffix}`.
   */
  COPY_DESTINATION = 'COPY_DESTINATION',
}

/** Every event AWS Backup reports as a failure, the vault's default notifications. */
const FAILURE_EVENTS = [
  backup.BackupVaultEvents.BACKUP_JOB_FAILED,
  backup.BackupVaultEvents.BACKUP_JOB_EXPIRED,
  backup.BackupVaultEvents.COPY_JOB_FAILED,
  backup.BackupVaultEvents.RESTORE_JOB_FAILED,
  backup.BackupVaultEvents.S3_BACKUP_OBJECT_FAILED,
  backup.BackupVaultEvents.S3_RESTORE_OBJECT_FAILED,
];

/** AWS Backup's vault name pattern. */
const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;

/**
 * Properties for DrBackupVault.
 */
export interface DrBackupVaultProps {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   */
  readonly environmentSuffix: string;

  /**
   * What the vault is for, which decides its default name and key alias.
   *
   * @default BackupVaultPurpose.BACKUP
   */
  readonly purpose?: BackupVaultPurpose;

  /**
   * The vault's name: 2 to 50 letters, digits, hyphens and underscores.
   *
   * @default - `dr-vault-{environmentSuffix}` for BACKUP, `dr-copy-vault-{environmentSuffix}` for COPY_DESTINATION
   */
  readonly backupVaultName?: string;

  /**
   * The key that encrypts the vault's recovery points (copies into it are
   * re-encrypted with it). Must be in the stack's region.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-backup-{environmentSuffix}` for BACKUP and `alias/dr-backup-copy-{environmentSuffix}` for COPY_DESTINATION
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
   * The shortest retention the vault lock accepts, in whole days (at least 1).
   * A backup or copy job whose retention is shorter fails, so it must not be
   * longer than the shortest retention of anything written to the vault.
   * Only with a lock.
   *
   * @default Duration.days(7)
   */
  readonly minimumRetention?: Duration;

  /**
   * What happens to the vault and its recovery points when the stack deletes
   * them. With `DESTROY` a custom resource deletes every recovery point on
   * stack delete so the vault can go too; no vault lock or deny policy is set.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The topic the vault notifies of `notificationEvents`. If it is encrypted,
   * its key must let `backup.amazonaws.com` use it.
   *
   * @default - no vault notifications
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The vault events that notify `alarmTopic`.
   *
   * @default - every failure: backup job failed or expired, copy job failed, restore job failed, S3 object backup or restore failed
   */
  readonly notificationEvents?: backup.BackupVaultEvents[];

  /**
   * Other AWS accounts whose backup plans may copy into this vault (their
   * recovery points must be encrypted with a key this account can use, and
   * cross-account backup must be on in AWS Organizations). Copies from this
   * account, of any region, need no entry. Set it when the vault is created:
   * while data is retained the access policy denies its own change, so a
   * later update of the list fails.
   *
   * @default - only this account copies in
   */
  readonly copySourceAccounts?: string[];
}

/**
 * An AWS Backup vault that keeps what it holds: encrypted with a
 * customer-managed key, governance-locked at a minimum retention, and with an
 * access policy that denies everyone deleting recovery points, shortening
 * their lifecycle, or changing the policy itself. With `DESTROY`, no lock and
 * no deny, and a custom resource that empties the vault on stack delete so
 * CloudFormation can delete it.
 *
 * HourlyBackup makes one for its plan. Made alone with
 * `BackupVaultPurpose.COPY_DESTINATION`, it receives cross-region copies
 * (HourlyBackup's `copyTo`).
 *
 * @example
 * const copyVault = new DrBackupVault(this, 'CopyVault', {
 *   environmentSuffix: 'prod',
 *   purpose: BackupVaultPurpose.COPY_DESTINATION,
 * });
 */
export class DrBackupVault extends Construct {
  /** The backup vault. */
  public readonly vault: backup.BackupVault;
  /** The key that encrypts the vault. */
  public readonly encryptionKey: kms.IKey;
  /** The vault's name, as written (a plain string, usable in other regions). */
  public readonly backupVaultName: string;
  /** The vault's ARN. */
  public readonly backupVaultArn: string;
  /** What the vault is for. */
  public readonly purpose: BackupVaultPurpose;
  /** The vault lock. */
  public readonly vaultLock: VaultLockMode;
  /** The shortest retention the lock accepts; undefined without a lock. */
  public readonly minimumRetention?: Duration;
  /**
   * The custom resource that empties the vault on stack delete (DESTROY only).
   * Whatever writes into the vault from this stack (a backup plan) should
   * depend on it, so it is deleted before the drain runs.
   */
  public readonly drain?: CustomResource;
  /** The drain's handler (DESTROY only). */
  public readonly drainFunction?: lambda.IFunction;

  constructor(scope: Construct, id: string, props: DrBackupVaultProps) {
    super(scope, id);
    const suffix = props.environmentSuffix;
    this.purpose = props.purpose ?? BackupVaultPurpose.BACKUP;
    const copy = this.purpose === BackupVaultPurpose.COPY_DESTINATION;
    const vaultName = props.backupVaultName ?? (copy ? copyVaultName(suffix) : backupVaultName(suffix));
    const keyAlias = copy ? copyVaultKeyAlias(suffix) : backupVaultKeyAlias(suffix);
    // A given name is checked first: the suffix-length check below only counts names derived from the suffix.
    if (props.backupVaultName !== undefined && !Token.isUnresolved(props.backupVaultName) && !VAULT_NAME.test(props.backupVaultName)) {
      throw new DrValidationError(this,
        `\`backupVaultName\` must be 2 to 50 letters, digits, hyphens or underscores (AWS Backup's vault name rule), got: ${quote(props.backupVaultName)}`);
    }
    validateEnvironmentSuffix(this, suffix, (s) => drBackupVaultDerivedNames(s, props.backupVaultName, copy));
    this.backupVaultName = vaultName;

    validateKeyRegion(this, 'encryptionKey', props.encryptionKey);
    const destroy = isDestroy(this, props.removalPolicy, 'the backup vault and every recovery point in it');
    const lockMode = resolveVaultLock(props.vaultLock, destroy);
    if (destroy && lockMode !== VaultLockMode.NONE) {
      throw new DrValidationError(this,
        `\`vaultLock\` ${lockMode} cannot be combined with \`removalPolicy\` DESTROY: a locked vault keeps its recovery points, so the stack could never delete it. Use VaultLockMode.NONE for a stack that must delete cleanly`);
    }
    if (props.complianceLockChangeableFor && lockMode !== VaultLockMode.COMPLIANCE) {
      throw new DrValidationError(this, `\`complianceLockChangeableFor\` only applies to \`vaultLock\` COMPLIANCE, got vaultLock: ${lockMode}`);
    }
    const changeableFor = props.complianceLockChangeableFor ?? Duration.days(3);
    if (lockMode === VaultLockMode.COMPLIANCE) {
      validateDays(this, 'complianceLockChangeableFor', changeableFor, 3, 36500);
    }
    if (props.minimumRetention && lockMode === VaultLockMode.NONE) {
      throw new DrValidationError(this,
        `\`minimumRetention\` is the vault lock's and only applies with a lock, got: vaultLock ${lockMode}${destroy ? ' (the default with DESTROY)' : ''}`);
    }
    this.vaultLock = lockMode;
    const minimumRetention = props.minimumRetention ?? Duration.days(7);
    if (lockMode !== VaultLockMode.NONE) {
      validateDays(this, 'minimumRetention', minimumRetention, 1, 36500);
      this.minimumRetention = minimumRetention;
    }
    validateAccounts(this, props.copySourceAccounts);
    if (props.notificationEvents && !props.alarmTopic) {
      throw new DrValidationError(this, '`notificationEvents` needs `alarmTopic`: the vault has nowhere to send them');
    }
    if (props.notificationEvents && props.notificationEvents.length === 0) {
      throw new DrValidationError(this, '`notificationEvents` must name at least one event; leave out `alarmTopic` for no notifications');
    }

    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: keyAlias,
      description: copy ? `Encrypts the DR backup copy vault (${suffix})` : `Encrypts the DR backup vault (${suffix})`,
      destroy,
    });

    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: vaultName,
      encryptionKey: this.encryptionKey,
      // The deny statement is added below, with the policy's own protection.
      blockRecoveryPointDeletion: false,
      lockConfiguration: lockMode === VaultLockMode.NONE ? undefined : {
        minRetention: minimumRetention,
        changeableFor: lockMode === VaultLockMode.COMPLIANCE ? changeableFor : undefined,
      },
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    });
    this.backupVaultArn = this.vault.backupVaultArn;
    if (props.alarmTopic) {
      // Set on the L1, not through `notificationTopic`: BackupVault would
      // grant backup.amazonaws.com publish (and the topic's key) with no
      // condition; allowServiceToPublish grants it with one.
      (this.vault.node.defaultChild as backup.CfnBackupVault).notifications = {
        backupVaultEvents: props.notificationEvents ?? FAILURE_EVENTS,
        snsTopicArn: props.alarmTopic.topicArn,
      };
      allowServiceToPublish(props.alarmTopic, PublishingService.BACKUP);
    }

    for (const account of props.copySourceAccounts ?? []) {
      this.vault.addToAccessPolicy(new iam.PolicyStatement({
        sid: `AllowCopyFrom${account}`,
        principals: [new iam.AccountPrincipal(account)],
        actions: ['backup:CopyIntoBackupVault'],
        // A vault access policy governs only this vault: `*` is the vault.
        resources: ['*'],
      }));
    }
    if (!destroy) {
      this.vault.addToAccessPolicy(protectRecoveryPointsStatement());
    }

    if (destroy) {
      const drain = new VaultDrain(this, 'VaultDrain', {
        vault: this.vault,
        vaultName,
        logGroupName: drainLogGroupName(suffix, vaultName),
        encryptionKey: this.encryptionKey,
      });
      this.drain = drain.resource;
      this.drainFunction = drain.function;
    }
  }
}

/**
 * The lock a vault gets: the one asked for, else GOVERNANCE when data is
 * retained and NONE with DESTROY. Not in the module's barrel.
 */
export function resolveVaultLock(vaultLock: VaultLockMode | undefined, destroy: boolean): VaultLockMode {
  return vaultLock ?? (destroy ? VaultLockMode.NONE : VaultLockMode.GOVERNANCE);
}

function validateAccounts(scope: Construct, accounts: string[] | undefined): void {
  for (const account of accounts ?? []) {
    if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
      throw new DrValidationError(scope, `\`copySourceAccounts\` must hold 12-digit AWS account IDs, got: ${quote(account)}`);
    }
  }
  if (accounts && new Set(accounts).size !== accounts.length) {
    throw new DrValidationError(scope, `\`copySourceAccounts\` names an account twice, got: ${accounts.join(', ')}`);
  }
}

/**
 * Denies, to every principal, deleting recovery points, changing their
 * lifecycle, and changing or deleting this access policy itself: without
 * the last two, anyone allowed to edit the policy could remove the
 * protection. One statement with a wildcard principal and resource, which
 * is what AWS Config's backup-recovery-point-manual-deletion-disabled rule
 * looks for (DeleteRecoveryPoint, UpdateRecoveryPointLifecycle and
 * PutBackupVaultAccessPolicy). aws-cdk-lib's blockRecoveryPointDeletion
 * denies only the first two.
 */
export function protectRecoveryPointsStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DenyRecoveryPointDeletionAndPolicyChanges',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [
      'backup:DeleteRecoveryPoint',
      'backup:UpdateRecoveryPointLifecycle',
      'backup:PutBackupVaultAccessPolicy',
      'backup:DeleteBackupVaultAccessPolicy',
    ],
    // A vault access policy applies to the vault and its recovery points;
    // Config's rule requires the wildcard resource.
    resources: ['*'],
  });
}
