import { ProtectedResourceType } from '../stores/protected-resource';

/*
 * Resource types as AWS Backup names them, written once. Not exported from
 * the package (src/hourly-backup/index.ts leaves this file out): the
 * constructs that speak of AWS Backup resource types import it.
 */

/**
 * The types the library protects by type, the members of
 * `ProtectedResourceType` that AWS Backup knows by these names: what the
 * restore drills and the recovery-point monitor speak of, and what the
 * backup audit checks unless told.
 */
export const PROTECTED_BACKUP_RESOURCE_TYPES = [
  ProtectedResourceType.AURORA,
  ProtectedResourceType.DYNAMODB,
  ProtectedResourceType.S3,
] as const;

/**
 * Every AWS Backup resource type the library names: the protected ones,
 * then the others AWS Backup supports that a vault may hold (through
 * `ProtectedResourceType.OTHER`). The backup audit accepts these, and the
 * vault job alarms sum their per-type series (CloudWatch allows 10 metrics
 * per alarm: these 9 and the vault-only series).
 */
export const BACKUP_RESOURCE_TYPES: readonly string[] = [
  ...PROTECTED_BACKUP_RESOURCE_TYPES,
  'RDS', 'EBS', 'EC2', 'EFS', 'FSx', 'DocumentDB',
];
