import { CfnOutput, CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DrainVaultFunction } from './drain-vault-function';
import { BackupCoverage, ProtectedResource, ProtectedResourceType } from './protected-resource';
import { createAlarmTopic } from '../private/alarm-topic';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { DerivedName, NAME_LIMITS, physicalName, validateEnvironmentSuffix } from '../private/naming';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { DrValidationError, validateDays } from '../private/validation';

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
 * Properties for HourlyBackup.
 */
export interface HourlyBackupProps extends HourlyBackupOptions {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   * The vault is `dr-vault-{environmentSuffix}`, the plan `dr-plan-{environmentSuffix}`.
   */
  readonly environmentSuffix: string;

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
}

/** The latest restorable time of Aurora/RDS PITR trails now by about 5 minutes. */
const AURORA_PITR_LAG = Duration.minutes(5);
/** DynamoDB PITR's latest restorable time also trails by about 5 minutes. */
const DYNAMODB_PITR_LAG = Duration.minutes(5);
/** A conservative bound for S3 continuous backup's latest restorable point. */
const S3_PITR_LAG = Duration.minutes(15);
/** The shortest AWS Backup schedule. */
const SCHEDULE_INTERVAL = Duration.hours(1);

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
 * const backup = new HourlyBackup(this, 'Backup', {
 *   environmentSuffix: 'dev',
 *   resources: [ProtectedResource.fromEncryptedAurora(db), ProtectedResource.fromPitrTable(table)],
 * });
 */
export class HourlyBackup extends Construct {
  /** The backup vault. */
  public readonly vault: backup.BackupVault;
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

  private readonly environmentSuffix: string;
  private readonly backupRole: ManagedPolicyRole;
  private readonly protectedResources: ProtectedResource[] = [];
  private readonly grantedKeys = new Set<kms.IKey>();
  private s3ManagedPoliciesAdded = false;

  constructor(scope: Construct, id: string, props: HourlyBackupProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, derivedNames);
    this.environmentSuffix = props.environmentSuffix;

    this.rpo = props.rpo ?? Duration.hours(1);
    this.retention = props.retention ?? Duration.days(7);
    this.continuousBackup = props.continuousBackup ?? true;
    this.startWindow = props.startWindow ?? Duration.hours(1);
    const rpoFloor = maxDuration(this.rpo, SCHEDULE_INTERVAL);
    this.completionWindow = props.completionWindow ?? this.startWindow.plus(rpoFloor);
    const retentionDays = validateDays(this, 'retention', this.retention, 7, 36500);
    const continuousRetention = props.continuousBackupRetention
      ?? (retentionDays !== undefined && retentionDays > 35 ? Duration.days(35) : this.retention);
    if (this.continuousBackup) {
      validateDays(this, 'continuousBackupRetention', continuousRetention, 7, 35);
    }
    this.validateWindows(rpoFloor);

    const destroy = isDestroy(this, props.removalPolicy, 'the backup vault and every recovery point in it');
    const lockMode = props.vaultLock ?? (destroy ? VaultLockMode.NONE : VaultLockMode.GOVERNANCE);
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

    const suffix = props.environmentSuffix;
    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: `alias/${physicalName('dr-backup', suffix)}`,
      description: `Encrypts the DR backup vault (${suffix})`,
      destroy,
    });
    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this, 'Notifications', {
      topicName: physicalName('dr-backup-notifications', suffix),
      displayName: `DR backup notifications (${suffix})`,
      keyAlias: `alias/${physicalName('dr-backup-notifications', suffix)}`,
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
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: physicalName('dr-vault', suffix),
      encryptionKey: this.encryptionKey,
      notificationTopic: this.alarmTopic,
      notificationEvents,
      // Deny deleting recovery points (and changing their lifecycle or this
      // policy) to every principal while data is meant to be kept.
      blockRecoveryPointDeletion: !destroy,
      lockConfiguration: lockMode === VaultLockMode.NONE ? undefined : {
        minRetention: this.continuousBackup ? minDuration(this.retention, continuousRetention) : this.retention,
        changeableFor: lockMode === VaultLockMode.COMPLIANCE ? changeableFor : undefined,
      },
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    });

    const recoveryPointTags = {
      'dr:environment': suffix,
      'dr:managed-by': 'cdk-dr-platform',
      'dr:rpo': this.rpo.toIsoString(),
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
      backupPlanName: physicalName('dr-plan', suffix),
      backupVault: this.vault,
      backupPlanRules: rules,
    });

    this.backupRole = new ManagedPolicyRole(this, 'BackupRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `AWS Backup role for the DR backup plan (${suffix})`,
    });
    this.role = this.backupRole;
    this.addManagedPolicies('AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores');

    this.selection = new backup.CfnBackupSelection(this, 'Selection', {
      backupPlanId: this.plan.backupPlanId,
      backupSelection: {
        selectionName: physicalName('dr-selection', suffix),
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

    this.addJobEventRules(props.notifyOnCompletedBackups ?? false);

    if (destroy) {
      this.addVaultDrain();
    }

    for (const resource of props.resources ?? []) {
      this.addResource(resource);
    }

    new CfnOutput(this, 'BackupCoverage', {
      description: `What the DR backup plan protects (${suffix}) and each resource's worst-case data loss`,
      value: Lazy.string({ produce: () => this.coverageSummary }),
    });
  }

  /**
   * Adds a resource to protect. Its worst-case data loss is checked against
   * the RPO now, and the backup role is granted its encryption key.
   */
  public addResource(resource: ProtectedResource): void {
    const coverage = this.coverageOf(resource);
    if (coverage.effectiveRpo && coverage.effectiveRpo.toSeconds() > this.rpo.toSeconds()) {
      throw new DrValidationError(this,
        `\`rpo\` ${this.rpo.toHumanString()} cannot be met for ${resource.resourceType} ${resource.name}: ${coverage.mechanism} `
        + `loses up to ${coverage.effectiveRpo.toHumanString()} of data. ${this.remedyFor(resource)}`);
    }
    this.protectedResources.push(resource);
    if (resource.resourceType === ProtectedResourceType.LAMBDA) {
      return;
    }
    if (resource.encryptionKey && !this.grantedKeys.has(resource.encryptionKey)) {
      this.grantedKeys.add(resource.encryptionKey);
      this.grantKeyUse(resource.encryptionKey);
    }
    if (resource.resourceType === ProtectedResourceType.S3 && !this.s3ManagedPoliciesAdded) {
      this.s3ManagedPoliciesAdded = true;
      this.addManagedPolicies('AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore');
    }
    if (resource.resourceType === ProtectedResourceType.AURORA && resource._construct) {
      // cdk-nag looks for the instances in a selection; AWS Backup backs up
      // the cluster, which is what the selection names.
      acknowledgeFinding(resource._construct, 'RDSInBackupPlan', COMPLIANCE_PACKS,
        `The cluster is in the backup plan ${physicalName('dr-plan', this.environmentSuffix)} by ARN: AWS Backup protects Aurora at cluster level, not per instance.`);
    }
  }

  /** How every protected resource is recovered, and its worst-case data loss. */
  public get coverage(): BackupCoverage[] {
    return this.protectedResources.map((r) => this.coverageOf(r));
  }

  /** The coverage as one line per resource, as the stack output shows it. */
  public get coverageSummary(): string {
    return this.coverage.map((c) => {
      const rpo = c.effectiveRpo ? `RPO ${c.effectiveRpo.toHumanString()}` : 'no data to lose';
      return `${c.resourceType} ${c.name}: ${c.mechanism} (${rpo})`;
    }).join('; ');
  }

  private coverageOf(resource: ProtectedResource): BackupCoverage {
    const snapshots = `hourly snapshots kept ${this.retention.toHumanString()}`;
    const snapshotRpo = SCHEDULE_INTERVAL.plus(this.startWindow);
    const base = { name: resource.name, resourceType: resource.resourceType, inBackupPlan: resource.resourceType !== ProtectedResourceType.LAMBDA };
    switch (resource.resourceType) {
      case ProtectedResourceType.AURORA:
        return this.continuousBackup
          ? { ...base, mechanism: `continuous backup (point-in-time restore) and ${snapshots}`, effectiveRpo: AURORA_PITR_LAG }
          : { ...base, mechanism: `${snapshots} (1 h schedule + ${this.startWindow.toHumanString()} start window)`, effectiveRpo: snapshotRpo };
      case ProtectedResourceType.S3:
        return this.continuousBackup
          ? { ...base, mechanism: `continuous backup (point-in-time restore) and ${snapshots}`, effectiveRpo: S3_PITR_LAG }
          : { ...base, mechanism: `${snapshots} (1 h schedule + ${this.startWindow.toHumanString()} start window)`, effectiveRpo: snapshotRpo };
      case ProtectedResourceType.DYNAMODB:
        return resource.pointInTimeRecovery
          ? { ...base, mechanism: `the table's point-in-time recovery and ${snapshots}`, effectiveRpo: DYNAMODB_PITR_LAG }
          : { ...base, mechanism: `${snapshots} (1 h schedule + ${this.startWindow.toHumanString()} start window)`, effectiveRpo: snapshotRpo };
      case ProtectedResourceType.LAMBDA:
        return { ...base, mechanism: 'restored by redeploy: AWS Backup does not support Lambda, so its code and configuration are rebuilt from the app' };
      default:
        return { ...base, mechanism: `${snapshots} (1 h schedule + ${this.startWindow.toHumanString()} start window)`, effectiveRpo: snapshotRpo };
    }
  }

  private remedyFor(resource: ProtectedResource): string {
    const snapshotRpo = SCHEDULE_INTERVAL.plus(this.startWindow).toHumanString();
    switch (resource.resourceType) {
      case ProtectedResourceType.DYNAMODB:
        return `Turn on the table's point-in-time recovery (PitrTable does; for an ITable pass { pointInTimeRecovery: true } once it is on), or set \`rpo\` to at least ${snapshotRpo}.`;
      case ProtectedResourceType.AURORA:
      case ProtectedResourceType.S3:
        return this.continuousBackup
          ? `Set \`rpo\` to at least ${this.coverageOf(resource).effectiveRpo!.toHumanString()}.`
          : `Turn \`continuousBackup\` on, or set \`rpo\` to at least ${snapshotRpo}.`;
      default:
        return `Snapshots are the only mechanism for this resource: set \`rpo\` to at least ${snapshotRpo}.`;
    }
  }

  private validateWindows(rpoFloor: Duration): void {
    const unresolved = [this.rpo, this.startWindow, this.completionWindow].some((d) => d.isUnresolved());
    if (unresolved) {
      return;
    }
    const minutes = (d: Duration) => d.toMinutes({ integral: false });
    if (minutes(this.rpo) <= 0) {
      throw new DrValidationError(this, `\`rpo\` must be positive, got: ${this.rpo.toHumanString()}`);
    }
    if (minutes(this.rpo) < 60 && !this.continuousBackup) {
      throw new DrValidationError(this,
        `\`rpo\` under 1 hour needs \`continuousBackup\`: the shortest AWS Backup schedule is hourly, got: rpo ${this.rpo.toHumanString()} with continuousBackup false`);
    }
    if (minutes(this.startWindow) < 60) {
      throw new DrValidationError(this, `\`startWindow\` must be at least 1 hour (the AWS Backup minimum), got: ${this.startWindow.toHumanString()}`);
    }
    if (minutes(this.startWindow) > minutes(rpoFloor)) {
      throw new DrValidationError(this,
        `\`startWindow\` must not be longer than the RPO (${rpoFloor.toHumanString()}): a job could start after the next one is due, got: ${this.startWindow.toHumanString()}`);
    }
    if (minutes(this.completionWindow) <= minutes(this.startWindow)) {
      throw new DrValidationError(this,
        `\`completionWindow\` must be longer than \`startWindow\` (${this.startWindow.toHumanString()}): both count from the scheduled time, got: ${this.completionWindow.toHumanString()}`);
    }
    const latest = this.startWindow.plus(rpoFloor);
    if (minutes(this.completionWindow) > minutes(latest)) {
      throw new DrValidationError(this,
        `\`completionWindow\` must be at most \`startWindow\` plus the RPO (${latest.toHumanString()}), so a job that runs late fails instead of being silently late, got: ${this.completionWindow.toHumanString()}`);
    }
  }

  private addManagedPolicies(...names: string[]): void {
    for (const name of names) {
      this.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${name}`));
      acknowledgeFinding(this.backupRole, `IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`, ['AwsSolutions'],
        `${name} is the AWS-managed policy AWS Backup documents for this role; AWS keeps it current as the services it backs up change.`);
    }
  }

  /**
   * Recovery points of Aurora stay encrypted with the cluster's key, and S3
   * backups read objects encrypted with the bucket's key: the role needs both.
   */
  private grantKeyUse(key: kms.IKey): void {
    this.backupRole.addStatements(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'],
        resources: [key.keyArn],
      }),
      new iam.PolicyStatement({
        actions: ['kms:CreateGrant'],
        resources: [key.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    );
  }

  /** EventBridge rules that turn job state changes into readable messages on the topic. */
  private addJobEventRules(notifyOnCompleted: boolean): void {
    const suffix = this.environmentSuffix;
    const field = (p: string) => events.EventField.fromPath(p);
    const backupStates = ['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL'];
    const rules: Array<{ id: string; name: string; detailType: string; detail: Record<string, unknown>; message: string }> = [
      {
        id: 'BackupJobFailedRule',
        name: physicalName('dr-backup-job-failed', suffix),
        detailType: 'Backup Job State Change',
        detail: { state: backupStates, backupVaultName: [this.vault.backupVaultName] },
        message: `AWS Backup job ${field('$.detail.state')} for ${field('$.detail.resourceArn')} `
          + `(${field('$.detail.resourceType')}) in vault ${field('$.detail.backupVaultName')}: ${field('$.detail.statusMessage')}. `
          + `Job ${field('$.detail.backupJobId')}, account ${field('$.account')}, region ${field('$.region')}, at ${field('$.time')}.`,
      },
      {
        id: 'CopyJobFailedRule',
        name: physicalName('dr-copy-job-failed', suffix),
        detailType: 'Copy Job State Change',
        detail: { state: ['FAILED'] },
        message: `AWS Backup copy job ${field('$.detail.state')} for ${field('$.detail.resourceArn')}: ${field('$.detail.statusMessage')}. `
          + `Job ${field('$.detail.copyJobId')}, account ${field('$.account')}, region ${field('$.region')}, at ${field('$.time')}.`,
      },
      {
        id: 'RestoreJobFailedRule',
        name: physicalName('dr-restore-job-failed', suffix),
        detailType: 'Restore Job State Change',
        // Restore jobs report `status`, not `state`.
        detail: { status: ['FAILED', 'ABORTED'] },
        message: `AWS Backup restore job ${field('$.detail.status')} for ${field('$.detail.resourceType')} from ${field('$.detail.recoveryPointArn')}: `
          + `${field('$.detail.statusMessage')}. Job ${field('$.detail.restoreJobId')}, account ${field('$.account')}, region ${field('$.region')}, at ${field('$.time')}.`,
      },
    ];
    if (notifyOnCompleted) {
      rules.push({
        id: 'BackupJobCompletedRule',
        name: physicalName('dr-backup-job-completed', suffix),
        detailType: 'Backup Job State Change',
        detail: { state: ['COMPLETED'], backupVaultName: [this.vault.backupVaultName] },
        message: `AWS Backup job COMPLETED for ${field('$.detail.resourceArn')} (${field('$.detail.resourceType')}) in vault `
          + `${field('$.detail.backupVaultName')}: ${field('$.detail.statusMessage')}. Job ${field('$.detail.backupJobId')}, at ${field('$.time')}.`,
      });
    }
    for (const rule of rules) {
      new events.Rule(this, rule.id, {
        ruleName: rule.name,
        description: `Notifies ${suffix} DR alarms of AWS Backup events: ${rule.detailType}`,
        eventPattern: { source: ['aws.backup'], detailType: [rule.detailType], detail: rule.detail },
        targets: [new targets.SnsTopic(this.alarmTopic, { message: events.RuleTargetInput.fromText(rule.message) })],
      });
    }
  }

  /**
   * With DESTROY: a custom resource that deletes every recovery point when
   * the stack is deleted, after the plan and selection are gone and before
   * the vault is.
   */
  private addVaultDrain(): void {
    const stack = Stack.of(this);
    const role = new ManagedPolicyRole(this, 'DrainRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Empties the DR backup vault ${physicalName('dr-vault', this.environmentSuffix)} on stack delete`,
    });
    const logGroup = createEncryptedLogGroup(this, 'DrainLogs', {
      logGroupName: `/dr/${this.environmentSuffix}/backup-vault-drain`,
      retention: logs.RetentionDays.ONE_WEEK,
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const rpArn = (service: string, resource: string) => `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
    const policy = role.addStatements(
      new iam.PolicyStatement({
        actions: ['backup:ListRecoveryPointsByBackupVault'],
        resources: [this.vault.backupVaultArn],
      }),
      // Recovery point ARNs are minted per backup job (and for Aurora and
      // DynamoDB they are snapshot and backup ARNs of those services), so they
      // can only be named by pattern, scoped to this account and region.
      new iam.PolicyStatement({
        actions: ['backup:DeleteRecoveryPoint'],
        resources: [
          rpArn('backup', 'recovery-point:*'),
          rpArn('rds', 'cluster-snapshot:awsbackup:*'),
          rpArn('dynamodb', 'table/*/backup/*'),
        ],
      }),
      new iam.PolicyStatement({ actions: ['rds:DeleteDBClusterSnapshot'], resources: [rpArn('rds', 'cluster-snapshot:awsbackup:*')] }),
      new iam.PolicyStatement({ actions: ['dynamodb:DeleteBackup'], resources: [rpArn('dynamodb', 'table/*/backup/*')] }),
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.logGroupArn}`, `${logGroup.logGroupArn}:log-stream:*`] }),
    );
    const handler = new DrainVaultFunction(this, 'DrainHandler', {
      description: `Empties the DR backup vault ${physicalName('dr-vault', this.environmentSuffix)} on stack delete so it can be deleted`,
      role,
      timeout: Duration.minutes(15),
      memorySize: 256,
      logGroup,
      // One deletion at a time is all this needs.
      reservedConcurrentExecutions: 1,
    });
    handler.node.addDependency(role);
    const drain = new CustomResource(this, 'DrainVault', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::DrBackupVaultDrain',
      properties: { BackupVaultName: this.vault.backupVaultName },
    });
    drain.node.addDependency(this.vault);
    // Deleted in reverse: selection and plan first (no new recovery points), then the drain, then the vault.
    this.plan.node.addDependency(drain);

    const why = (finding: string) => `Vault drain handler, created only with removalPolicy DESTROY and invoked only by CloudFormation on stack delete: ${finding}`;
    acknowledgeFinding(handler, 'LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security'], why('it is invoked synchronously by CloudFormation, which receives its failure; a queue would hold nothing useful.'));
    acknowledgeFinding(handler, 'LambdaInsideVPC', COMPLIANCE_PACKS, why('it only calls the AWS Backup API and has no network resources to reach; inside an isolated VPC it would need an AWS Backup endpoint.'));
    // cdk-nag names a finding by the resource as written, pseudo parameters as <AWS::...>.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const pattern = (service: string, resource: string) => `IAM5[Resource::arn:<AWS::Partition>:${service}:${region}:${account}:${resource}]`;
    acknowledgeFinding(policy, pattern('backup', 'recovery-point:*'), ['AwsSolutions'],
      why('recovery point IDs are minted per backup job; the pattern is scoped to this account and region.'));
    acknowledgeFinding(policy, pattern('rds', 'cluster-snapshot:awsbackup:*'), ['AwsSolutions'],
      why('Aurora recovery points are RDS snapshots AWS Backup names per job under awsbackup:.'));
    acknowledgeFinding(policy, pattern('dynamodb', 'table/*/backup/*'), ['AwsSolutions'],
      why('DynamoDB recovery points are table backups with per-job IDs.'));
    acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      why('Lambda names its log streams at run time, inside this one log group.'));
  }
}

/** The names the construct derives from the suffix, for the length check. */
function derivedNames(suffix: string): DerivedName[] {
  return [
    { resource: 'backup vault', name: physicalName('dr-vault', suffix), maxLength: NAME_LIMITS.backupVault },
    { resource: 'backup plan', name: physicalName('dr-plan', suffix), maxLength: NAME_LIMITS.backupPlan },
    { resource: 'backup selection', name: physicalName('dr-selection', suffix), maxLength: NAME_LIMITS.backupSelection },
    { resource: 'SNS topic', name: physicalName('dr-backup-notifications', suffix), maxLength: NAME_LIMITS.snsTopic },
    { resource: 'EventBridge rule', name: physicalName('dr-backup-job-completed', suffix), maxLength: NAME_LIMITS.eventsRule },
    { resource: 'KMS alias', name: `alias/${physicalName('dr-backup-notifications', suffix)}`, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'log group', name: `/dr/${suffix}/backup-vault-drain`, maxLength: NAME_LIMITS.logGroup },
  ];
}

function maxDuration(a: Duration, b: Duration): Duration {
  if (a.isUnresolved() || b.isUnresolved()) {
    return a;
  }
  return a.toSeconds() >= b.toSeconds() ? a : b;
}

function minDuration(a: Duration, b: Duration): Duration {
  if (a.isUnresolved() || b.isUnresolved()) {
    return a;
  }
  return a.toSeconds() <= b.toSeconds() ? a : b;
}
