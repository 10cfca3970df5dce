import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { validateProtectedArn } from './arn-check';
import { BackupCoverage } from './backup-coverage';
import { BackupCopyDestination, RegionLossCoverage } from './copy-destination';
import { coverageOf, coverageSummary, CoveragePlan, CoverageSubject, rpoShortfall, SCHEDULE_INTERVAL } from './coverage';
import { addJobEventRules } from './job-notifications';
import { regionLossOf, regionLossSummary } from './region-loss';
import { bucketFacts, tablePointInTimeRecovery } from './resource-facts';
import { BackupVaultPurpose, DrBackupVault, resolveVaultLock, VaultLockMode } from '../dr-backup-vault/dr-backup-vault';
import { HourlyBackupNames, hourlyBackupDerivedNames, hourlyBackupNames, validateEnvironmentSuffix } from '../names';
import { createAlarmTopic } from '../private/alarm-topic';
import { validateDays, validateDuration } from '../private/duration';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { isDestroy } from '../private/removal';
import { MANAGED_BY, TAG_KEYS } from '../private/tags';
import { DrValidationError, quote } from '../private/validation';
import { addDrWarning } from '../private/warnings';
import { ProtectedResource, ProtectedResourceType } from '../stores/protected-resource';

/** AWS Backup's maximum start and completion window: 100 years, in minutes. */
const MAX_WINDOW_MINUTES = 52_560_000;
/** A backup vault's ARN: partition, region, account, name. */
const VAULT_ARN = /^arn:([a-z-]+):backup:([a-z0-9-]+):(\d{12}):backup-vault:([a-zA-Z0-9\-_]{2,50})$/;
/** A KMS alias name. */
const KEY_ALIAS = /^alias\/[a-zA-Z0-9/_-]+$/;

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

    this.rpo = props.rpo ?? Duration.hours(1);
    this.retention = props.retention ?? Duration.days(7);
    this.continuousBackup = props.continuousBackup ?? true;
    this.startWindow = props.startWindow ?? Duration.hours(1);
    const synthTime = 'it sets the backup windows and the alarms, and is checked against every resource\'s worst-case data loss at synth';
    validateDuration(this, 'rpo', this.rpo, {
      unit: 'minutes',
      min: 1,
      max: MAX_WINDOW_MINUTES - 60,
      maxReason: 'the completion window it implies must fit AWS Backup\'s 100-year maximum',
      tokens: false,
      tokenReason: synthTime,
    });
    validateDuration(this, 'startWindow', this.startWindow, {
      unit: 'minutes',
      min: 60,
      max: MAX_WINDOW_MINUTES,
      minReason: 'the AWS Backup minimum',
      maxReason: 'AWS Backup\'s maximum',
      tokens: false,
      tokenReason: synthTime,
    });
    if (props.completionWindow) {
      validateDuration(this, 'completionWindow', props.completionWindow, {
        unit: 'minutes', min: 1, max: MAX_WINDOW_MINUTES, maxReason: 'AWS Backup\'s maximum', tokens: false, tokenReason: synthTime,
      });
    }
    const rpoFloor = maxDuration(this.rpo, SCHEDULE_INTERVAL);
    this.completionWindow = props.completionWindow ?? this.startWindow.plus(rpoFloor);
    const retentionDays = validateDuration(this, 'retention', this.retention, {
      unit: 'days',
      min: 7,
      max: 36500,
      tokens: false,
      tokenReason: 'it sets the vault lock\'s minimum retention and the continuous-backup default at synth',
    });
    const continuousRetention = props.continuousBackupRetention
      ?? (retentionDays !== undefined && retentionDays > 35 ? Duration.days(35) : this.retention);
    if (this.continuousBackup) {
      validateDays(this, 'continuousBackupRetention', continuousRetention, 7, 35);
    }
    this.minimumRetention = this.continuousBackup ? minDuration(this.retention, continuousRetention) : this.retention;
    this.validateWindows(rpoFloor);

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
    this.copyDestinations = this.resolveCopyDestinations(props.copyTo ?? []);

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
    this.addManagedPolicies('AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores');
    for (const destination of this.copyDestinations.filter((d) => d.encryptionKeyAlias !== undefined)) {
      this.grantCopyKey(destination);
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
    const subject = this.subjectOf(resource);
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
      this.grantKeyUse(resource.encryptionKey);
    }
    if (resource.resourceType === ProtectedResourceType.S3 && resource._construct) {
      this.checkNoncurrentVersionExpiration(resource);
    }
    if (resource.resourceType === ProtectedResourceType.S3 && !this.s3ManagedPoliciesAdded) {
      this.s3ManagedPoliciesAdded = true;
      this.addManagedPolicies('AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore');
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
      copyRegions: [...new Set(this.copyDestinations.map((d) => vaultRegion(d.vault) ?? 'an unknown region'))],
      completionWindow: this.completionWindow,
    };
    return this.subjects.map((s) => regionLossOf(s.name, s.resourceType, { ...plan, versioned: s.versioned }));
  }

  /**
   * Checks the copy destinations and fills in each one's retention; grants
   * the backup role the destination keys named by alias.
   */
  private resolveCopyDestinations(destinations: BackupCopyDestination[]): BackupCopyDestination[] {
    const stack = Stack.of(this);
    const seen = new Set<string>();
    return destinations.map((d, i) => {
      const prop = `copyTo[${i}]`;
      const arn = d.vault.backupVaultArn;
      // Segment by segment: a vault imported by name has a token partition
      // but a literal region, which can still be compared.
      const parts = arn.split(':');
      if (!Token.isUnresolved(arn) && !VAULT_ARN.test(arn)) {
        throw new DrValidationError(this, `\`${prop}.vault\` must have a backup vault ARN, arn:{partition}:backup:{region}:{account}:backup-vault:{name}, got: ${quote(arn)}`);
      }
      const [, partition, , region] = parts;
      const known = (v: string | undefined): v is string => v !== undefined && !Token.isUnresolved(v);
      if (known(region) && known(stack.region)) {
        if (region === stack.region) {
          throw new DrValidationError(this,
            `\`${prop}.vault\` is in ${region}, the plan's own region: a copy there is lost with the region. Copy to a vault in another region, got: ${quote(arn)}`);
        }
        const stackPartition = RegionInfo.get(stack.region).partition;
        if (known(partition) && stackPartition && partition !== stackPartition) {
          throw new DrValidationError(this,
            `\`${prop}.vault\` is in partition ${partition}, but the plan is in ${stackPartition}: AWS Backup copies only within a partition, got: ${quote(arn)}`);
        }
      }
      if (!Token.isUnresolved(arn)) {
        if (seen.has(arn)) {
          throw new DrValidationError(this, `\`${prop}.vault\` is already a copy destination: each vault once, got: ${quote(arn)}`);
        }
        seen.add(arn);
      }
      const retention = d.retention ?? this.retention;
      validateDuration(this, `${prop}.retention`, retention, { unit: 'days', min: 1, max: 36500, tokens: true });
      const alias = d.encryptionKeyAlias;
      if (alias !== undefined && !Token.isUnresolved(alias) && (!KEY_ALIAS.test(alias) || alias.startsWith('alias/aws/'))) {
        throw new DrValidationError(this,
          `\`${prop}.encryptionKeyAlias\` must be the alias of a customer-managed key, alias/ followed by letters, digits, /, _ or -, not alias/aws/..., got: ${quote(alias)}`);
      }
      if (alias !== undefined && (parts.length !== 7 || !known(region) || !known(parts[4]))) {
        throw new DrValidationError(this,
          `\`${prop}.encryptionKeyAlias\` needs a vault ARN whose region and account are known at synth, to name the destination region's keys; write the ARN out (the names are deterministic), got: ${quote(arn)}`);
      }
      return { vault: d.vault, retention, encryptionKeyAlias: alias };
    });
  }

  /**
   * Lets the backup role use the destination vault's key, which AWS Backup
   * re-encrypts every copy with. The key's ID cannot be known in this
   * region, so the statement names every key of the destination region
   * and account, narrowed to the one with the alias.
   */
  private grantCopyKey(d: BackupCopyDestination): void {
    const alias = d.encryptionKeyAlias!;
    // Checked in resolveCopyDestinations: seven segments, region and account known.
    const [, partition, , region, account] = d.vault.backupVaultArn.split(':');
    const keys = `arn:${partition}:kms:${region}:${account}:key/*`;
    const condition = { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [alias] } };
    this.backupRole.addStatements(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'],
        resources: [keys],
        conditions: condition,
      }),
      new iam.PolicyStatement({
        actions: ['kms:CreateGrant'],
        resources: [keys],
        conditions: { ...condition, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    );
    // cdk-nag names a finding by the resource as written.
    // A partition token can only be the stack's partition (AWS Backup copies within one), which cdk-nag writes <AWS::Partition>.
    const written = `arn:${Token.isUnresolved(partition) ? '<AWS::Partition>' : partition}:kms:${region}:${account}:key/*`;
    acknowledgeFinding(this.backupRole, `IAM5[Resource::${written}]`, ['AwsSolutions'],
      `The copy destination's key is in another region, where its ID cannot be known: the statement names the region's keys and is narrowed by kms:ResourceAliases to ${alias}.`);
  }

  /**
   * What the app says about the resource: read from its synthesized L1 when
   * it is defined in the app, else what the caller stated, else unknown.
   * A statement the app contradicts, an unversioned bucket and an ARN AWS
   * Backup cannot protect are refused.
   */
  private subjectOf(resource: ProtectedResource): CoverageSubject {
    const base = { name: resource.name, resourceType: resource.resourceType };
    switch (resource.resourceType) {
      case ProtectedResourceType.DYNAMODB: {
        const observed = resource._construct ? tablePointInTimeRecovery(resource._construct) : undefined;
        const stated = resource._statedPointInTimeRecovery;
        if (observed !== undefined && stated !== undefined && observed !== stated) {
          throw new DrValidationError(this,
            `\`pointInTimeRecovery\` is stated ${stated} for table ${resource.name}, but the table in the app has point-in-time recovery ${observed ? 'on' : 'off'}: `
            + 'the coverage is derived from the table itself; drop the statement or change the table');
        }
        return { ...base, pointInTimeRecovery: observed ?? stated };
      }
      case ProtectedResourceType.S3: {
        const observed = resource._construct ? bucketFacts(resource._construct as s3.IBucket).versioned : undefined;
        const versioned = observed ?? resource._statedVersioned;
        if (versioned === false) {
          throw new DrValidationError(this,
            `bucket ${resource.name} is not versioned${observed === false ? ' in the app' : ' (stated)'}: AWS Backup can only back up versioned buckets. `
            + 'Turn versioning on (VersionedBucket does), or leave the bucket out of the plan');
        }
        return { ...base, versioned };
      }
      case ProtectedResourceType.OTHER:
        validateProtectedArn(this, resource.resourceArn, resource.name);
        return base;
      default:
        return base;
    }
  }

  private get coveragePlan(): CoveragePlan {
    return { retention: this.retention, startWindow: this.startWindow, continuousBackup: this.continuousBackup };
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

  /**
   * An object version that expires from the bucket before the backups of its
   * period do leaves those backups as the only copy: worth a warning where
   * both durations are known.
   */
  private checkNoncurrentVersionExpiration(resource: ProtectedResource): void {
    const days = bucketFacts(resource._construct as s3.IBucket).noncurrentVersionExpirationDays;
    if (days === undefined || this.retention.isUnresolved() || days >= this.retention.toDays({ integral: false })) {
      return;
    }
    addDrWarning(this, 'noncurrentVersionExpirationShorterThanBackupRetention',
      `The noncurrent versions of bucket ${resource.name} expire after ${days} days, shorter than \`retention\` (${this.retention.toHumanString()}): `
      + 'an overwritten object version can expire from the bucket while backups still refer to the period it covered. '
      + 'Raise the bucket\'s `noncurrentVersionExpiration` to at least the retention.');
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

/** The region in a vault's ARN, or undefined when it is a token (a partition token alone does not hide it). */
function vaultRegion(vault: backup.IBackupVault): string | undefined {
  const parts = vault.backupVaultArn.split(':');
  return parts.length === 7 && parts[2] === 'backup' && !Token.isUnresolved(parts[3]) ? parts[3] : undefined;
}
