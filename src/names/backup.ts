import { Token } from 'aws-cdk-lib';
import { DerivedName, NAME_LIMITS, physicalName } from './limits';

/** The vault HourlyBackup writes to: `dr-vault-{suffix}`. */
export function backupVaultName(suffix: string): string {
  return physicalName('dr-vault', suffix);
}

/** The alias of the key of the vault HourlyBackup writes to. */
export function backupVaultKeyAlias(suffix: string): string {
  return `alias/${physicalName('dr-backup', suffix)}`;
}

/** The vault that receives cross-region copies: `dr-copy-vault-{suffix}`. */
export function copyVaultName(suffix: string): string {
  return physicalName('dr-copy-vault', suffix);
}

/** The alias of the copy vault's key: `alias/dr-backup-copy-{suffix}`. */
export function copyVaultKeyAlias(suffix: string): string {
  return `alias/${physicalName('dr-backup-copy', suffix)}`;
}

/** A vault's ARN from its parts, for a vault of another region or stack. */
export function backupVaultArn(partition: string, region: string, account: string, vaultName: string): string {
  return `arn:${partition}:backup:${region}:${account}:backup-vault:${vaultName}`;
}

/** The log group of a vault's drain (DESTROY only), named after the vault. */
export function drainLogGroupName(suffix: string, vaultName: string): string {
  // The existing vault's drain keeps its historical name.
  return vaultName === backupVaultName(suffix) ? `/dr/${suffix}/backup-vault-drain` : `/dr/${suffix}/${vaultName}-drain`;
}

/** The names a DrBackupVault derives, for the length check and the duplicate check (a vault name given as a token is left out). */
export function drBackupVaultDerivedNames(suffix: string, givenName: string | undefined, copy: boolean): DerivedName[] {
  const names: DerivedName[] = [
    { resource: 'KMS alias', name: copy ? copyVaultKeyAlias(suffix) : backupVaultKeyAlias(suffix), maxLength: NAME_LIMITS.kmsAlias },
  ];
  const vaultName = givenName ?? (copy ? copyVaultName(suffix) : backupVaultName(suffix));
  if (!Token.isUnresolved(vaultName)) {
    names.push({ resource: 'backup vault', name: vaultName, maxLength: NAME_LIMITS.backupVault });
    names.push({ resource: 'log group', name: drainLogGroupName(suffix, vaultName), maxLength: NAME_LIMITS.logGroup });
  }
  return names;
}

/** Every physical name HourlyBackup derives from the suffix. */
export interface HourlyBackupNames {
  readonly suffix: string;
  readonly vault: string;
  readonly plan: string;
  readonly selection: string;
  readonly keyAlias: string;
  readonly topic: string;
  readonly topicKeyAlias: string;
  readonly drainLogGroup: string;
  /** The EventBridge rule of a backup event, `dr-{event}-{suffix}`. */
  rule(event: string): string;
}

export function hourlyBackupNames(suffix: string): HourlyBackupNames {
  return {
    suffix,
    vault: backupVaultName(suffix),
    plan: physicalName('dr-plan', suffix),
    selection: physicalName('dr-selection', suffix),
    keyAlias: backupVaultKeyAlias(suffix),
    topic: physicalName('dr-backup-notifications', suffix),
    topicKeyAlias: `alias/${physicalName('dr-backup-notifications', suffix)}`,
    drainLogGroup: drainLogGroupName(suffix, backupVaultName(suffix)),
    rule: (event: string) => physicalName(`dr-${event}`, suffix),
  };
}

/** The names HourlyBackup derives, for the length check. */
export function hourlyBackupDerivedNames(suffix: string): DerivedName[] {
  const n = hourlyBackupNames(suffix);
  return [
    { resource: 'backup vault', name: n.vault, maxLength: NAME_LIMITS.backupVault },
    { resource: 'backup plan', name: n.plan, maxLength: NAME_LIMITS.backupPlan },
    { resource: 'backup selection', name: n.selection, maxLength: NAME_LIMITS.backupSelection },
    { resource: 'SNS topic', name: n.topic, maxLength: NAME_LIMITS.snsTopic },
    { resource: 'EventBridge rule', name: n.rule('backup-job-completed'), maxLength: NAME_LIMITS.eventsRule },
    { resource: 'KMS alias', name: n.topicKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'log group', name: n.drainLogGroup, maxLength: NAME_LIMITS.logGroup },
  ];
}

/** The Backup Audit Manager framework, `dr_audit_{suffix}` (underscores: the API refuses hyphens). */
export function auditFrameworkName(suffix: string): string {
  return physicalName('dr_audit', suffix).replace(/-/g, '_');
}

/** A report plan of BackupAudit, `dr_audit_{suffix}_{report}`, for a report template such as `CONTROL_COMPLIANCE_REPORT`. */
export function auditReportPlanName(suffix: string, template: string): string {
  return `${auditFrameworkName(suffix)}_${template.toLowerCase().replace('_report', '')}`;
}

/** The names BackupAudit derives, for the length check. */
export function backupAuditDerivedNames(suffix: string): DerivedName[] {
  return [
    { resource: 'Backup Audit Manager framework', name: physicalName('dr_audit', suffix), maxLength: NAME_LIMITS.backupAuditFramework },
    { resource: 'Backup report plan', name: `${physicalName('dr_audit', suffix)}_control_compliance`, maxLength: NAME_LIMITS.backupReportPlan },
  ];
}
