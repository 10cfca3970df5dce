/**
 * The scopes AWS documents for each control the framework uses
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/controls-and-remediation.html):
 * `tags` (one key and optional value), `types` (resources by type) and
 * `single` (one resource type and one resource id). A control scope holds
 * one of them, not a mix (ControlScope:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ControlScope.html).
 * Vault and plan controls take a tag or a single resource; recovery-point
 * controls take a tag only; resource controls take any of the three.
 */
export type ControlScopeKind = 'tags' | 'types' | 'single';

export const DOCUMENTED_CONTROL_SCOPES: Readonly<Record<string, readonly ControlScopeKind[]>> = {
  BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: ['tags', 'single'],
  BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED: ['tags', 'single'],
  BACKUP_RECOVERY_POINT_ENCRYPTED: ['tags'],
  BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: ['tags'],
  BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: ['tags', 'types', 'single'],
  BACKUP_LAST_RECOVERY_POINT_CREATED: ['tags', 'types', 'single'],
  RESTORE_TIME_FOR_RESOURCES_MEET_TARGET: ['tags', 'types', 'single'],
};
