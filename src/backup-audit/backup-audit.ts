import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { auditFrameworkName, auditReportPlanName, backupAuditDerivedNames, validateEnvironmentSuffix } from '../names';
import { DOCUMENTED_CONTROL_SCOPES } from '../private/audit-controls';
import { validateTagKey, validateTagValue } from '../private/tags';
import { DrValidationError, quote } from '../private/validation';

/**
 * Properties for BackupAuditEvidence.
 */
export interface BackupAuditEvidenceProps {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   * The framework is `dr_audit_{environmentSuffix}` (hyphens become underscores).
   */
  readonly environmentSuffix: string;

  /**
   * The tag that puts things in the audit, as a key and value: every
   * control is scoped to it (the one scope AWS documents for all of them).
   * The audited resources, their backup plan, their vault and their
   * recovery points must all carry it: HourlyBackup tags its recovery
   * points with `Environment` and its `environmentTag`.
   */
  readonly scopeTagKey: string;

  /** The value of `scopeTagKey` on the audited resources, plan, vault and recovery points. */
  readonly scopeTagValue: string;

  /**
   * The RPO: the newest recovery point of each resource must be younger.
   * The control counts whole hours, so the RPO is rounded down (the stricter
   * control: 90 minutes asks for a point within 1 hour); under 1 hour cannot
   * be expressed and is refused.
   */
  readonly rpo: Duration;

  /** The RTO: restores must complete within it. Whole minutes, rounded down (the stricter control). */
  readonly rto: Duration;

  /** How often the backup plan must run: whole hours from 1 to 24. */
  readonly backupFrequency: Duration;

  /** How long recovery points must be kept: whole days, at least 1. */
  readonly retention: Duration;

  /** The bucket the reports are written to. */
  readonly reportBucket: s3.IBucket;

  /**
   * The key prefix of the reports in the bucket.
   *
   * @default 'backup-audit'
   */
  readonly reportPrefix?: string;
}


/**
 * Audit evidence from AWS Backup Audit Manager: a framework whose controls
 * are set from the platform's own targets (backup frequency and retention,
 * minimum retention of recovery points, encryption, manual deletion
 * disabled, resources protected by a plan, last recovery point within the
 * RPO, restore time within the RTO), each scoped to what carries the scope
 * tag (resources, the plan, the vault, the recovery points), and report
 * plans that write backup-job, restore-job and control-compliance reports
 * to a bucket under a prefix.
 *
 * Prerequisite: Audit Manager evaluates controls through AWS Config, which
 * must be recording the audited resource types in the region. The
 * construct cannot see that setting, so it says so at synth.
 */
export class BackupAuditEvidence extends Construct {
  /** The framework. */
  public readonly framework: backup.CfnFramework;
  /** The report plans: backup jobs, restore jobs, control compliance. */
  public readonly reportPlans: backup.CfnReportPlan[];

  constructor(scope: Construct, id: string, props: BackupAuditEvidenceProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, backupAuditDerivedNames);
    validateTagKey(this, 'scopeTagKey', props.scopeTagKey);
    validateTagValue(this, 'scopeTagValue', props.scopeTagValue);
    const suffix = props.environmentSuffix;
    const prefix = props.reportPrefix ?? 'backup-audit';
    if (!Token.isUnresolved(prefix) && !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(prefix)) {
      throw new DrValidationError(this, `\`reportPrefix\` must be an S3 key prefix without leading, trailing or doubled slashes, got: ${quote(prefix)}`);
    }
    const rpoHours = wholeFloor(this, 'rpo', props.rpo, (d) => d.toHours({ integral: false }), 1, 744, 'hours', 'BACKUP_LAST_RECOVERY_POINT_CREATED');
    const rtoMinutes = wholeFloor(this, 'rto', props.rto, (d) => d.toMinutes({ integral: false }), 1, 43200, 'minutes', 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET');
    const frequencyHours = exact(this, 'backupFrequency', props.backupFrequency, (d) => d.toHours({ integral: false }), 1, 24, 'hours');
    const retentionDays = exact(this, 'retention', props.retention, (d) => d.toDays({ integral: false }), 1, 36500, 'days');

    // Every control takes the tag: the one scope AWS documents for all of
    // them, and the one that names this environment's plan, vault, recovery
    // points and resources alike. Resource types are not added to it: a
    // scope is types, a tag or a single resource, not a mix.
    const tagScope = { Tags: [{ Key: props.scopeTagKey, Value: props.scopeTagValue }] };
    const control = (name: string, params: Record<string, string | number | undefined>) => {
      if (!DOCUMENTED_CONTROL_SCOPES[name]?.includes('tags')) {
        throw new Error(`BackupAuditEvidence: AWS documents no tag scope for the control ${name}`);
      }
      return {
        controlName: name,
        controlInputParameters: Object.entries(params)
          .filter(([, v]) => v !== undefined)
          .map(([parameterName, v]) => ({ parameterName, parameterValue: String(v) })),
        controlScope: tagScope,
      };
    };
    this.framework = new backup.CfnFramework(this, 'Framework', {
      frameworkName: auditFrameworkName(suffix),
      frameworkDescription: `DR evidence (${suffix}): backups every ${props.backupFrequency.toHumanString()} kept ${props.retention.toHumanString()}, `
        + `recovery points younger than the RPO ${props.rpo.toHumanString()}, restores within the RTO ${props.rto.toHumanString()}`,
      frameworkControls: [
        control('BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', {
          requiredFrequencyUnit: 'hours', requiredFrequencyValue: frequencyHours, requiredRetentionDays: retentionDays,
        }),
        control('BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', { requiredRetentionDays: retentionDays }),
        control('BACKUP_RECOVERY_POINT_ENCRYPTED', {}),
        control('BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED', {}),
        control('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', {}),
        control('BACKUP_LAST_RECOVERY_POINT_CREATED', { recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: rpoHours }),
        control('RESTORE_TIME_FOR_RESOURCES_MEET_TARGET', { maxRestoreTime: rtoMinutes }),
      ],
    });

    const stack = Stack.of(this);
    // Audit Manager writes reports with its service-linked role.
    const reportsRole = `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`;
    const bucketGrant = props.reportBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'BackupAuditManagerReports',
      principals: [new iam.ArnPrincipal(reportsRole)],
      actions: ['s3:PutObject'],
      resources: [props.reportBucket.arnForObjects(`${prefix}/*`)],
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }));
    const key: kms.IKey | undefined = props.reportBucket.encryptionKey;
    const keyGrant = key?.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'BackupAuditManagerReportsEncrypt',
      principals: [new iam.ArnPrincipal(reportsRole)],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      // In a key policy, "*" means this key.
      resources: ['*'],
    }));
    // An imported bucket (or key) ignores policy statements: the reports would
    // be refused at every delivery, and nothing would say so.
    if (!bucketGrant.statementAdded || (keyGrant && !keyGrant.statementAdded)) {
      const what = !bucketGrant.statementAdded ? `the bucket ${props.reportBucket.node.path} is imported, so its policy` : `the bucket's key ${key!.node.path} is imported, so its key policy`;
      throw new DrValidationError(this,
        `\`reportBucket\` must be a bucket (and key) defined in this app: Backup Audit Manager writes reports only where the bucket policy and key policy let its service-linked role, and ${what} cannot be changed here. `
        + 'Pass a bucket this app defines (on SingleRegionDrPlatform: leave `auditEvidence` off when the `bucket` adopted with PlatformBucket.fromBucket is imported)');
    }

    const templates: Array<[string, string]> = [
      ['BackupJobs', 'BACKUP_JOB_REPORT'],
      ['RestoreJobs', 'RESTORE_JOB_REPORT'],
      ['ControlCompliance', 'CONTROL_COMPLIANCE_REPORT'],
    ];
    this.reportPlans = templates.map(([reportId, template]) => new backup.CfnReportPlan(this, `${reportId}Report`, {
      reportPlanName: auditReportPlanName(suffix, template),
      reportPlanDescription: `DR evidence (${suffix}): ${template.toLowerCase().replace(/_/g, ' ')}`,
      reportDeliveryChannel: { S3BucketName: props.reportBucket.bucketName, S3KeyPrefix: `${prefix}/${reportId.toLowerCase()}`, Formats: ['CSV', 'JSON'] },
      reportSetting: template === 'CONTROL_COMPLIANCE_REPORT'
        ? { ReportTemplate: template, FrameworkArns: [this.framework.attrFrameworkArn] }
        : { ReportTemplate: template },
    }));

    Annotations.of(this).addWarningV2('cdk-dr-platform:auditNeedsConfig',
      `Backup Audit Manager evaluates the ${suffix} framework through AWS Config: Config must be recording the audited resources' types and `
      + 'AWS Backup\'s plans, selections, vaults and recovery points in this region, or the controls report no evaluation. This cannot be checked at synth.');
  }
}

type Unit = (d: Duration) => number;

/** A token would leave the control without its parameter, silently laxer: refused. */
function refuseToken(scope: Construct, prop: string, d: Duration): void {
  if (d.isUnresolved()) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a concrete duration, not a token: it is written into the audit controls at synth, and a control without it would check nothing, got: ${d.toString()}`);
  }
}

/**
 * A target the control counts in whole units, rounded down: a control never
 * accepts more than the target it stands for. A target that rounds below the
 * control's minimum cannot be expressed, and is refused rather than widened.
 */
function wholeFloor(
  scope: Construct, prop: string, d: Duration, unit: Unit, min: number, max: number, name: string, controlName: string,
): number {
  refuseToken(scope, prop, d);
  const exactValue = unit(d);
  const n = Math.floor(exactValue);
  if (exactValue < min) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be at least ${min} ${name.replace(/s$/, '')} for the audit controls: ${controlName} counts whole ${name}, and a control of ${min} would accept more than the target, got: ${d.toHumanString()}`);
  }
  if (n > max) {
    throw new DrValidationError(scope, `\`${prop}\` must be from ${min} to ${max} ${name} for the audit controls, got: ${d.toHumanString()}`);
  }
  return n;
}

function exact(scope: Construct, prop: string, d: Duration, unit: Unit, min: number, max: number, name: string): number {
  refuseToken(scope, prop, d);
  const n = unit(d);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new DrValidationError(scope, `\`${prop}\` must be a whole number of ${name} from ${min} to ${max} for the audit controls, got: ${d.toHumanString()}`);
  }
  return n;
}
