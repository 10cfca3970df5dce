import { Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DrValidationError, quote } from '../private/validation';
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
export function drillTargets(
  scope: Construct, props: { database?: ProtectedResource; table?: ProtectedResource; bucket?: ProtectedResource },
): DrillTargets {
  const database = target(scope, 'database', props.database, ProtectedResourceType.AURORA, 'ProtectedResource.fromEncryptedAurora or fromDatabaseCluster', (r) => r._cluster);
  const table = target(scope, 'table', props.table, ProtectedResourceType.DYNAMODB, 'ProtectedResource.fromPitrTable or fromTable', (r) => r._table);
  const bucket = target(scope, 'bucket', props.bucket, ProtectedResourceType.S3, 'ProtectedResource.fromVersionedBucket or fromBucket', (r) => r._bucket);
  return {
    database,
    databaseKey: props.database?.encryptionKey,
    table,
    tableKey: props.table?.encryptionKey,
    bucket,
    bucketKey: props.bucket?.encryptionKey,
  };
}

function target<T>(
  scope: Construct, prop: string, handle: ProtectedResource | undefined, type: ProtectedResourceType, factories: string,
  construct: (r: ProtectedResource) => T | undefined,
): T | undefined {
  if (handle === undefined) {
    return undefined;
  }
  if (!(handle instanceof ProtectedResource)) {
    throw new DrValidationError(scope, `\`${prop}\` must be a ProtectedResource (${factories}), got: ${typeof handle === 'object' ? 'another object' : quote(String(handle))}`);
  }
  const value = construct(handle);
  if (handle.resourceType !== type || value === undefined) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a ${type} handle made from its construct (${factories}), got: ${handle.resourceType} ${quote(handle.name)}`
      + (handle.resourceType === type ? ' given by its ARN alone' : ''));
  }
  return value;
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
    if (!Number.isInteger(given) || given < 1 || given > 65535) {
      throw new DrValidationError(scope, `\`databasePort\` must be a whole number from 1 to 65535, got: ${given}`);
    }
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
