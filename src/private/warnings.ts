import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every warning the library emits, by one id form: `cdk-dr-platform:` and a
 * camelCase name. A consumer acknowledges a warning by this id
 * (`Annotations.of(scope).acknowledgeWarning(id)`), so the ids are public
 * and stay stable.
 */
export const WARNING_IDS = {
  /** A removal policy of DESTROY: data goes with the stack. */
  removalPolicyDestroy: 'cdk-dr-platform:removalPolicyDestroy',
  /** Noncurrent object versions expire before the backups that cover them. */
  noncurrentVersionExpirationShorterThanBackupRetention: 'cdk-dr-platform:noncurrentVersionExpirationShorterThanBackupRetention',
  /** `serverAccessLogsBucket` given while access logging is off. */
  serverAccessLogsBucketIgnored: 'cdk-dr-platform:serverAccessLogsBucketIgnored',
  /** A protected resource whose coverage cannot be known from the app. */
  coverageUnknown: 'cdk-dr-platform:coverageUnknown',
  /** A gateway endpoint an imported VPC needs cannot be checked. */
  gatewayEndpointUnverified: 'cdk-dr-platform:gatewayEndpointUnverified',
  /** The primary of an Aurora global database runs Serverless v2 below the 8 ACUs AWS advises. */
  globalDatabaseMinCapacityBelowGuidance: 'cdk-dr-platform:globalDatabaseMinCapacityBelowGuidance',
  /** A Region switch plan whose stack (reports, events) is in the region a failover leaves. */
  regionSwitchPlanInPrimaryRegion: 'cdk-dr-platform:regionSwitchPlanInPrimaryRegion',
  /** `rds.global_db_rpo` is set: commits on the primary wait while every secondary lags past it. */
  auroraRegionRpoBlocksCommits: 'cdk-dr-platform:auroraRegionRpoBlocksCommits',
} as const;

export type WarningName = keyof typeof WARNING_IDS;

/** Adds the library's warning `name` to `scope`. */
export function addDrWarning(scope: IConstruct, name: WarningName, message: string): void {
  Annotations.of(scope).addWarningV2(WARNING_IDS[name], message);
}
