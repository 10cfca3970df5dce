import { Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DrillCopies } from './restore-drill-props';
import { validateAuroraInstanceType, validateAuroraPort } from '../private/rds';
import { validateRegionOf } from '../private/regions';
import { DrValidationError } from '../private/validation';
import { HANDLE_FACTORIES, storeConstruct } from '../stores/handle-checks';
import { ProtectedResource, ProtectedResourceType } from '../stores/protected-resource';

/** What a drill restores, read from the handles it was given. */
export interface DrillTargets {
  readonly database?: rds.IDatabaseCluster;
  readonly databaseKey?: kms.IKey;
  readonly table?: dynamodb.ITable;
  readonly tableKey?: kms.IKey;
  readonly bucket?: s3.IBucket;
  readonly bucketKey?: kms.IKey;
}

/**
 * The constructs and keys behind the `database`, `table` and `bucket`
 * handles, each checked to be of its kind and made from a construct: a drill
 * restores into the app's network with the live resource's key, which an ARN
 * alone does not give.
 */
export function drillTargets(scope: Construct, props: {
  database?: ProtectedResource; table?: ProtectedResource; bucket?: ProtectedResource; drillInstanceType?: ec2.InstanceType; databasePort?: number;
}): DrillTargets {
  const database = storeConstruct(scope, 'database', props.database, ProtectedResourceType.AURORA, HANDLE_FACTORIES.database, (r) => r._cluster);
  // The drill instance and the port apply to restored Aurora copies only: refused, not ignored, without a database.
  for (const [prop, value] of [['drillInstanceType', props.drillInstanceType], ['databasePort', props.databasePort]] as const) {
    if (value !== undefined && !database) {
      throw new DrValidationError(scope, `\`${prop}\` applies only to a drilled Aurora cluster, and no \`database\` is given: leave it out, got: ${value}`);
    }
  }
  validateAuroraInstanceType(scope, 'drillInstanceType', props.drillInstanceType);
  const table = storeConstruct(scope, 'table', props.table, ProtectedResourceType.DYNAMODB, HANDLE_FACTORIES.table, (r) => r._table);
  const bucket = storeConstruct(scope, 'bucket', props.bucket, ProtectedResourceType.S3, HANDLE_FACTORIES.bucket, (r) => r._bucket);
  return {
    database,
    databaseKey: props.database?.encryptionKey,
    table,
    tableKey: props.table?.encryptionKey,
    bucket,
    bucketKey: props.bucket?.encryptionKey,
  };
}


/**
 * The port restored copies of `database` listen on: `databasePort` (or the
 * handle's connection port), else the cluster's own when known at synth. A
 * security group rule needs a number cdk-nag and reviewers can read, so a
 * port known only at deploy is refused.
 */
export function restoredCopyPort(scope: Construct, database: rds.IDatabaseCluster, given: number | undefined): number {
  if (given !== undefined) {
    if (Token.isUnresolved(given)) {
      throw new DrValidationError(scope, `\`databasePort\` must be a number known at synth, not a token, got: ${given}`);
    }
    validateAuroraPort(scope, 'databasePort', given);
    return given;
  }
  const port = database.connections.defaultPort?.toRuleJson().fromPort as number | undefined;
  if (port === undefined || Token.isUnresolved(port)) {
    const why = port === undefined ? 'was imported without `port`' : 'reports its port only at deploy (a cluster created in the app does)';
    throw new DrValidationError(scope, `\`databasePort\` is required: \`database\` ${database.node.path} ${why}, `
      + 'and the smoke query must reach its restored copies on that port');
  }
  return port;
}

/**
 * The drill restores from a vault and resources of its own region: restore
 * testing runs in the region of its plan. Each ARN known at synth is checked
 * with the one region rule.
 */
export function validateDrillRegions(scope: Construct, vaultArn: string, handles: Array<[string, ProtectedResource | undefined]>): void {
  const regionOf = (arn: string) => (Token.isUnresolved(arn) ? undefined : arn.split(':')[3] || undefined);
  const reason = 'restore testing restores recovery points of its own region';
  validateRegionOf(scope, 'vault', regionOf(vaultArn), vaultArn, 'same', reason);
  for (const [prop, handle] of handles) {
    // An S3 ARN names no region: a bucket's region is its stack's.
    if (handle && handle.resourceType !== ProtectedResourceType.S3) {
      validateRegionOf(scope, prop, regionOf(handle.resourceArn), handle.resourceArn, 'same', reason);
    }
  }
}

/**
 * Copies are drilled in a region other than their source's, and only as
 * snapshots: a copy in another region is a snapshot, continuous backups are
 * not copied.
 */
export function validateDrillCopies(scope: Construct, copies: DrillCopies | undefined, continuousRecoveryPoints: boolean | undefined): void {
  if (!copies) return;
  const here = Stack.of(scope).region;
  if (!Token.isUnresolved(copies.sourceRegion) && !Token.isUnresolved(here) && copies.sourceRegion === here) {
    throw new DrValidationError(scope,
      `\`copies.sourceRegion\` must be another region than the drill's (${here}): this region's own recovery points are drilled without \`copies\`, got: ${copies.sourceRegion}`);
  }
  if (continuousRecoveryPoints) {
    throw new DrValidationError(scope,
      `\`continuousRecoveryPoints\` cannot be true with \`copies\` (from ${copies.sourceRegion}): a copy in another region is a snapshot, continuous backups are not copied`);
  }
}
