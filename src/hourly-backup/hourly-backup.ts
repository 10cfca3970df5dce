import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackupCoverage } from './backup-coverage';
import { addBackupManagedPolicies, grantCopyKey, grantKeyUse } from './backup-role';
import { resolveCopyDestinations, vaultRegion } from './copies';
import { BackupCopyDestination, RegionLossCoverage } from './copy-destination';
import { coverageOf, coverageSummary, CoveragePlan, CoverageSubject, rpoShortfall } from './coverage';
import { addJobEventRules } from './job-notifications';
import { HourlyBackupOptions } from './options';
import { regionLossOf, regionLossSummary } from './region-loss';
import { checkNoncurrentVersionExpiration, subjectOf } from './subject';
import { resolveWindows } from './windows';
import { BackupVaultPurpose, DrBackupVault, resolveVaultLock, VaultLockMode } from '../dr-backup-vault/dr-backup-vault';
import { HourlyBackupNames, hourlyBackupDerivedNames, hourlyBackupNames, validateEnvironmentSuffix } from '../names';
import { createAlarmTopic } from '../private/alarm-topic';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { isDestroy } from '../private/removal';
import { MANAGED_BY, TAG_KEYS } from '../private/tags';
import { DrValidationError } from '../private/validation';
import { addDrWarning } from '../private/warnings';
import { ProtectedResource, ProtectedResourceType } from '../stores/protected-resource';

/**
 * Properties for HourlyBackup.
 */
export interface HourlyBackupProps extends HourlyBackupOptions {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   * The vault is `dr-vault-{environmentSuffix}`, the plan `dr-plan-{environmentSuffix}`.
   */
  readonly environmentSuffix: string;

  /**
   * The value of the `Environment` tag on the recovery points the plan
   * creates: give the value the protected resources carry, so that audit
   * controls scoped to that tag (BackupAuditEvidence) find the recovery
   * points too.
   *
   * @default - the environment suffix
   */
  readonly environmentTag?: string;

  /**
   * The resources to protect. More can be added with `addResource`.
   *
   * @default - none yet; at least one must be added before synthesis
   */
  readonly resources?: ProtectedResource[];

  /**
   * The recovery point objective: the most data, in time, the workload may
   * lose. Every protected resource's worst-case data loss is checked against
   * it at synth time. Under 1 hour needs `continuousBackup`.
   *
   * @default Duration.hours(1)
   */
  readonly rpo?: Duration;

  /**
   * What happens to the vault and its recovery points when the stack deletes
   * them. With `DESTROY` a custom resource deletes every recovery point on
   * stack delete so the vault can go too; no vault lock or deny policy is set.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The topic for backup notifications (vault notifications and EventBridge
   * job events). If it is encrypted, its key must let `backup.amazonaws.com`
   * and `events.amazonaws.com` use it.
   *
   * @default - a KMS-encrypted topic `dr-backup-notifications-{environmentSuffix}`
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * AWS Backup that provably meets the RPO: an hourly snapshot rule with a
 * bounded start and completion window, continuous backup for Aurora and S3,
 * a KMS-encrypted vault named with the suffix, notifications for failed and
 * expired jobs, and a coverage report of every protected resource with its
 * worst-case data loss.
 *
 * Resources are selected by ARN. Lambda functions cannot be backed up by AWS
 * Backup; given one, HourlyBackup lists it as restored by redeploy.
 *
 * @example
 * declare const db: EncryptedAurora;
 * declare const table: PitrTable;
 * const backup = new HourlyBackup(this, 'Backup', {
 *   environmentSuffix: 'dev',
 *   resources: [ProtectedResource.fromEncryptedAurora(db), ProtectedResource.fromPitrTable(table)],
 * });
 */
export class HourlyBackup extends Construct {
  /** The backup vault. */
  public readonly vault: backup.BackupVault;
  /** The vault's construct: its key, lock, access policy and, with DESTROY, its drain. */
  public readonly backupVault: DrBackupVault;
  /**
   * The vaults in other regions every hourly snapshot is copied to, with
   * each copy's retention resolved.
   */
  public readonly copyDestinations: BackupCopyDestination[];
  /** The backup plan. */
  public readonly plan: backup.BackupPlan;
  /** The selection that puts the protected resources in the plan. */
  public readonly selection: backup.CfnBackupSelection;
  /** The role AWS Backup assumes to back up and restore the resources. */
  public readonly role: iam.IRole;
  /** The topic that receives backup notifications. */
  public readonly alarmTopic: sns.ITopic;
  /** The key that encrypts the vault. */
  public readonly encryptionKey: kms.IKey;
  /** The RPO every protected resource is held to. */
  public readonly rpo: Duration;
  /** The snapshot retention. */
  public readonly retention: Duration;
  /** The snapshot start window. */
  public readonly startWindow: Duration;
  /** The snapshot completion window. */
  public readonly completionWindow: Duration;
  /** Whether continuous backup is on for Aurora and S3. */
  public readonly continuousBackup: boolean;
  /**
   * The shortest time any recovery point of the plan is kept: the snapshot
   * retention, or the continuous-backup retention when that is shorter (it is
   * capped at 35 days). The vault lock's minimum, and what an audit of
   * recovery-point retention can require.
   */
  public readonly minimumRetention: Duration;

  private readonly names: HourlyBackupNames;
  private readonly backupRole: ManagedPolicyRole;
  private readonly protectedResources: ProtectedResource[] = [];
  private readonly subjects: CoverageSubject[] = [];
  private readonly grantedKeys = new Set<kms.IKey>();
  private s3ManagedPoliciesAdded = false;

  constructor(scope: Construct, id: string, props: HourlyBackupProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, hourlyBackupDerivedNames);
    const names = hourlyBackupNames(props.environmentSuffix);
    this.names = names;

    const windows = resolveWindows(this, props);
    this.rpo = windows.rpo;
    this.retention = windows.retention;
    this.continuousBackup = windows.continuousBackup;
    this.startWindow = windows.startWindow;
    this.completionWindow = windows.completionWindow;
    this.minimumRetention = windows.minimumRetention;
    const continuousRetention = windows.continuousRetention;

    const destroy = isDestroy(this, props.removalPolicy, 'the backup vault and every recovery point in it');
    const suffix = props.environmentSuffix;
    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this, 'Notifications', {
      topicName: names.topic,
      displayName: `DR backup notifications (${suffix})`,
      keyAlias: names.topicKeyAlias,
      destroy,
    });

    const notificationEvents = [
      backup.BackupVaultEvents.BACKUP_JOB_FAILED,
      backup.BackupVaultEvents.BACKUP_JOB_EXPIRED,
      backup.BackupVaultEvents.COPY_JOB_FAILED,
      backup.BackupVaultEvents.RESTORE_JOB_FAILED,
      backup.BackupVaultEvents.S3_BACKUP_OBJECT_FAILED,
      backup.BackupVaultEvents.S3_RESTORE_OBJECT_FAILED,
    ];
    if (props.notifyOnCompletedBackups) {
      notificationEvents.push(backup.BackupVaultEvents.BACKUP_JOB_COMPLETED);
    }
    // The id `Default` keeps the logical IDs the key, vault and drain had
    // when HourlyBackup made them itself, so deployed vaults are not replaced.
    this.backupVault = new DrBackupVault(this, 'Default', {
      environmentSuffix: suffix,
      purpose: BackupVaultPurpose.BACKUP,
      encryptionKey: props.encryptionKey,
      vaultLock: props.vaultLock,
      complianceLockChangeableFor: props.complianceLockChangeableFor,
      // The lock's minimum is the plan's shortest retention, so no job of the plan is refused.
      minimumRetention: resolveVaultLock(props.vaultLock, destroy) === VaultLockMode.NONE ? undefined : this.minimumRetention,
      removalPolicy: props.removalPolicy,
      alarmTopic: this.alarmTopic,
      notificationEvents,
    });
    this.vault = this.backupVault.vault;
    this.encryptionKey = this.backupVault.encryptionKey;
    this.copyDestinations = resolveCopyDestinations(this, props.copyTo ?? [], this.retention);

    const recoveryPointTags = {
      [TAG_KEYS.environment]: props.environmentTag ?? suffix,
      [TAG_KEYS.managedBy]: MANAGED_BY,
      [TAG_KEYS.rpo]: this.rpo.toIsoString(),
    };
    const hourly = events.Schedule.cron({ minute: '0' });
    const rules = [new backup.BackupPlanRule({
      ruleName: 'hourly-snapshots',
      backupVault: this.vault,
      scheduleExpression: hourly,
      startWindow: this.startWindow,
      completionWindow: this.completionWindow,
      deleteAfter: this.retention,
      recoveryPointTags,
      // Copies only from the snapshot rule: it covers every resource of the
      // selection, and a copy from the continuous rule would take a second
      // snapshot of Aurora and S3 each hour to copy the same point again.
      copyActions: this.copyDestinations.length ? this.copyDestinations.map((d) => ({
        destinationBackupVault: d.vault,
        deleteAfter: d.retention,
      })) : undefined,
    })];
    if (this.continuousBackup) {
      rules.push(new backup.BackupPlanRule({
        ruleName: 'continuous',
        backupVault: this.vault,
        scheduleExpression: hourly,
        startWindow: this.startWindow,
        completionWindow: this.completionWindow,
        deleteAfter: continuousRetention,
        enableContinuousBackup: true,
        recoveryPointTags,
      }));
    }
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: names.plan,
      backupVault: this.vault,
      backupPlanRules: rules,
    });

    this.backupRole = new ManagedPolicyRole(this, 'BackupRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `AWS Backup role for the DR backup plan (${suffix})`,
    });
    this.role = this.backupRole;
    addBackupManagedPolicies(this.backupRole, 'AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores');
    for (const destination of this.copyDestinations.filter((d) => d.encryptionKeyAlias !== undefined)) {
      grantCopyKey(this.backupRole, destination);
    }

    this.selection = new backup.CfnBackupSelection(this, 'Selection', {
      backupPlanId: this.plan.backupPlanId,
      backupSelection: {
        selectionName: names.selection,
        iamRoleArn: this.role.roleArn,
        resources: Lazy.list({
          produce: () => this.protectedResources.filter((r) => r.resourceType !== ProtectedResourceType.LAMBDA).map((r) => r.resourceArn),
        }),
      },
    });
    this.node.addValidation({
      validate: () => this.protectedResources.some((r) => r.resourceType !== ProtectedResourceType.LAMBDA)
        ? []
        : ['HourlyBackup protects no resource AWS Backup supports: pass `resources` or call `addResource` with a database, table, bucket or ARN'],
    });

    addJobEventRules(this, {
      environmentSuffix: suffix,
      vault: this.vault,
      topic: this.alarmTopic,
      notifyOnCompleted: props.notifyOnCompletedBackups ?? false,
      ruleName: names.rule,
      backupRole: this.role,
      protectedResourceArns: Lazy.list({
        produce: () => this.protectedResources.filter((r) => r.resourceType !== ProtectedResourceType.LAMBDA).map((r) => r.resourceArn),
      }),
    });

    if (this.backupVault.drain) {
      // Deleted in reverse: selection and plan first (no new recovery points), then the drain, then the vault.
      this.plan.node.addDependency(this.backupVault.drain);
    }

    for (const resource of props.resources ?? []) {
      this.addResource(resource);
    }

    new CfnOutput(this, 'BackupCoverage', {
      description: `What the DR backup plan protects (${suffix}) and each resource's worst-case data loss`,
      value: Lazy.string({ produce: () => this.coverageSummary }),
    });
    if (this.copyDestinations.length) {
      new CfnOutput(this, 'RegionLossCoverage', {
        description: `What the DR backup plan (${suffix}) keeps outside this region: snapshot copies, with no point-in-time restore`,
        value: Lazy.string({ produce: () => regionLossSummary(this.regionLossCoverage()) }),
      });
    }
  }

  /**
   * Adds a resource to protect. Its worst-case data loss is checked against
   * the RPO now, and the backup role is granted its encryption key.
   */
  public addResource(resource: ProtectedResource): void {
    const subject = subjectOf(this, resource);
    const coverage = coverageOf(subject, this.coveragePlan);
    if (coverage.unknownReason) {
      addDrWarning(this, 'coverageUnknown',
        `The coverage of ${resource.resourceType} ${resource.name} is unknown: ${coverage.unknownReason}. It is in the backup selection, `
        + 'but the RPO cannot be checked for it. For an imported bucket that is versioned, pass { versioned: true } to ProtectedResource.fromBucket.');
    }
    const shortfall = rpoShortfall(subject, this.coveragePlan, this.rpo);
    if (shortfall) {
      throw new DrValidationError(this, shortfall);
    }
    this.subjects.push(subject);
    this.protectedResources.push(resource);
    if (resource.resourceType === ProtectedResourceType.LAMBDA) {
      return;
    }
    if (resource.encryptionKey && !this.grantedKeys.has(resource.encryptionKey)) {
      this.grantedKeys.add(resource.encryptionKey);
      grantKeyUse(this.backupRole, resource.encryptionKey);
    }
    if (resource.resourceType === ProtectedResourceType.S3 && resource._construct) {
      checkNoncurrentVersionExpiration(this, resource, this.retention);
    }
    if (resource.resourceType === ProtectedResourceType.S3 && !this.s3ManagedPoliciesAdded) {
      this.s3ManagedPoliciesAdded = true;
      addBackupManagedPolicies(this.backupRole, 'AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore');
    }
    if (resource.resourceType === ProtectedResourceType.AURORA && resource._construct) {
      // cdk-nag looks for the instances in a selection; AWS Backup backs up
      // the cluster, which is what the selection names.
      acknowledgeFinding(resource._construct, 'RDSInBackupPlan', COMPLIANCE_PACKS,
        `The cluster is in the backup plan ${this.names.plan} by ARN: AWS Backup protects Aurora at cluster level, not per instance.`);
    }
  }

  /** How every protected resource is recovered, and its worst-case data loss. */
  public get coverage(): BackupCoverage[] {
    return this.subjects.map((r) => coverageOf(r, this.coveragePlan));
  }

  /** The coverage as one line per resource, as the stack output shows it. */
  public get coverageSummary(): string {
    return coverageSummary(this.coverage);
  }

  /**
   * What each protected resource keeps if this plan's whole region is lost:
   * the copies in other regions (snapshots, with no point-in-time restore),
   * the data loss the plan bounds, and what stays unknown. Pure data, for a
   * region-loss coverage report.
   */
  public regionLossCoverage(): RegionLossCoverage[] {
    const stack = Stack.of(this);
    const plan = {
      region: stack.region,
      copyRegions: [...new Set(this.copyDestinations.map((d) => vaultRegion(d.vault)).filter((r): r is string => r !== undefined))],
      unknownCopyRegions: this.copyDestinations.filter((d) => vaultRegion(d.vault) === undefined).length,
      completionWindow: this.completionWindow,
    };
    return this.subjects.map((s) => regionLossOf(s.name, s.resourceType, { ...plan, versioned: s.versioned }));
  }

  private get coveragePlan(): CoveragePlan {
    return { retention: this.retention, startWindow: this.startWindow, continuousBackup: this.continuousBackup };
  }
}
