/**
 * The tag keys the library writes, in one style: `Environment` (the common
 * AWS convention) and `DR-` followed by a capitalized word for everything
 * disaster recovery adds. Resources and recovery points use the same keys.
 */
export const TAG_KEYS = {
  environment: 'Environment',
  role: 'DR-Role',
  rpo: 'DR-RPO',
  rto: 'DR-RTO',
  managedBy: 'DR-ManagedBy',
} as const;

/** The value of the `DR-ManagedBy` tag. */
export const MANAGED_BY = 'cdk-dr-platform';
