import { Duration } from 'aws-cdk-lib';
import { ProtectedResourceType } from '../stores/protected-resource';

/**
 * How one resource is protected, and the worst-case data loss it implies.
 */
export interface BackupCoverage {
  /** The resource, by construct path or given name. */
  readonly name: string;
  /** Its kind. */
  readonly resourceType: ProtectedResourceType;
  /** Whether it is in the AWS Backup selection (false for Lambda functions). */
  readonly inBackupPlan: boolean;
  /** How it is recovered, in words. */
  readonly mechanism: string;
  /**
   * The worst-case data loss. Undefined for resources restored by redeploy,
   * which hold no data, and when the coverage is unknown.
   */
  readonly effectiveRpo?: Duration;
  /**
   * Why the coverage cannot be known from the app (for example an imported
   * bucket whose versioning cannot be read).
   *
   * @default - the coverage is known
   */
  readonly unknownReason?: string;
}
