import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { ClusterConnectionOptions } from './cluster-connection';
import { EncryptedAurora } from '../encrypted-aurora';
import { PitrTable } from '../pitr-table';
import { VersionedBucket } from '../versioned-bucket';

/**
 * The kinds of resource HourlyBackup knows how to protect.
 */
export enum ProtectedResourceType {
  /** An Aurora or RDS cluster: snapshots, and continuous backup (PITR) in AWS Backup. */
  AURORA = 'Aurora',
  /** A DynamoDB table: snapshots; point-in-time recovery is the table's own. */
  DYNAMODB = 'DynamoDB',
  /** An S3 bucket (versioned): snapshots, and continuous backup (PITR) in AWS Backup. */
  S3 = 'S3',
  /** Any other resource AWS Backup supports, by ARN: snapshots only. */
  OTHER = 'Other',
  /** A Lambda function: not a resource type AWS Backup supports; restored by redeploying its code. */
  LAMBDA = 'Lambda',
}

/**
 * Options for protecting an Aurora or RDS cluster given as an `IDatabaseCluster`.
 */
export interface DatabaseProtectionOptions {
  /**
   * The key that encrypts the cluster's storage: the backup role and the
   * restore drill are granted its use, and restored copies are encrypted
   * with it.
   *
   * @default - none: no role is granted a key for the cluster
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How functions connect to the cluster (`VpcLambda.connectResource`, a
   * platform's `addFunction`), and the port the restore drill's smoke query
   * uses.
   *
   * @default - unknown: functions cannot be connected through this handle
   */
  readonly connection?: ClusterConnectionOptions;
}

/**
 * Options for protecting a DynamoDB table given as an `ITable`.
 */
export interface TableProtectionOptions {
  /**
   * Whether the table has point-in-time recovery on, for a table whose
   * setting cannot be read (an imported table). It decides the table's
   * effective RPO: about 5 minutes with it, the hourly snapshot cadence
   * without it. For a table defined in the app the setting is read from the
   * synthesized table, and a statement that contradicts it is refused.
   *
   * @default - read from the table when it is defined in the app; otherwise unknown, counted as off
   */
  readonly pointInTimeRecovery?: boolean;

  /**
   * The customer-managed key that encrypts the table, if any, so the backup
   * role can be granted its use.
   *
   * @default - the table's own `encryptionKey`, if the ITable carries one
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Options for protecting an S3 bucket given as an `IBucket`.
 */
export interface BucketProtectionOptions {
  /**
   * Whether the bucket is versioned, for a bucket whose setting cannot be
   * read (an imported bucket). AWS Backup backs up only versioned buckets.
   * For a bucket defined in the app the setting is read from the synthesized
   * bucket; an unversioned bucket is refused either way.
   *
   * @default - read from the bucket when it is defined in the app; otherwise unknown, and the coverage says so
   */
  readonly versioned?: boolean;

  /**
   * The customer-managed key that encrypts the bucket, if any, so the backup
   * role can be granted its use.
   *
   * @default - the bucket's own `encryptionKey`, if the IBucket carries one
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * One handle on a store the library protects: what it is (type, ARN, name),
 * the key that encrypts it, the construct behind it and, for a database, how
 * functions connect to it. HourlyBackup selects it by its ARN (never by tags,
 * so nothing is protected by accident and nothing drops out silently);
 * RecoveryPointMonitor measures it, RestoreDrill drills it, and
 * `VpcLambda.connectResource` wires a function to it, all from this one
 * handle.
 */
export class ProtectedResource {
  /** An EncryptedAurora cluster; its key is granted to the backup role. */
  public static fromEncryptedAurora(database: EncryptedAurora): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.AURORA, database.clusterArn, database.node.path, {
      encryptionKey: database.encryptionKey,
      construct: database.cluster,
      connection: { secret: database.secret, databaseName: database.databaseName, port: database.port },
    });
  }

  /**
   * Any Aurora or RDS cluster. Give `options.connection` for functions to be
   * connected through the handle, and `options.encryptionKey` for the backup
   * and restore roles to use the cluster's key.
   */
  public static fromDatabaseCluster(cluster: rds.IDatabaseCluster, options: DatabaseProtectionOptions = {}): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.AURORA, cluster.clusterArn, cluster.node.path, {
      encryptionKey: options.encryptionKey,
      construct: cluster,
      connection: options.connection,
    });
  }

  /** A PitrTable; its point-in-time recovery is read from the synthesized table like any other. */
  public static fromPitrTable(table: PitrTable): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.DYNAMODB, table.tableArn, table.node.path, {
      encryptionKey: table.encryptionKey,
      construct: table.table,
    });
  }

  /**
   * Any DynamoDB table (`Table`, `TableV2`, or imported). Point-in-time
   * recovery is read from the table when it is defined in the app; for an
   * imported table it is what `options` states, or unknown.
   */
  public static fromTable(table: dynamodb.ITable, options: TableProtectionOptions = {}): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.DYNAMODB, table.tableArn, table.node.path, {
      encryptionKey: options.encryptionKey ?? table.encryptionKey,
      statedPointInTimeRecovery: options.pointInTimeRecovery,
      construct: table,
    });
  }

  /** A VersionedBucket; its key is granted to the backup role. */
  public static fromVersionedBucket(bucket: VersionedBucket): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.S3, bucket.bucketArn, bucket.node.path, {
      encryptionKey: bucket.encryptionKey,
      construct: bucket.bucket,
    });
  }

  /**
   * Any S3 bucket. AWS Backup backs up only versioned buckets: versioning is
   * read from the bucket when it is defined in the app (an unversioned one is
   * refused); for an imported bucket it is what `options` states, or unknown.
   */
  public static fromBucket(bucket: s3.IBucket, options: BucketProtectionOptions = {}): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.S3, bucket.bucketArn, bucket.node.path, {
      encryptionKey: options.encryptionKey ?? bucket.encryptionKey,
      statedVersioned: options.versioned,
      construct: bucket,
    });
  }

  /**
   * Any resource AWS Backup supports, by ARN. It gets hourly snapshots only.
   * HourlyBackup refuses an ARN that is malformed, of a service AWS Backup
   * does not protect, or in another partition or region than its stack.
   *
   * @param name how the coverage report names it
   */
  public static fromArn(arn: string, name: string): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.OTHER, arn, name, {});
  }

  /**
   * A Lambda function. AWS Backup cannot back up Lambda functions: it is not
   * added to the backup selection, and the coverage report lists it as
   * restored by redeploying its code.
   */
  public static fromFunction(fn: lambda.IFunction): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.LAMBDA, fn.functionArn, fn.node.path, {});
  }

  /** What kind of resource this is. */
  public readonly resourceType: ProtectedResourceType;
  /** The resource's ARN (a token until deploy time for resources in the app). */
  public readonly resourceArn: string;
  /** How the coverage report names the resource (its construct path). */
  public readonly name: string;
  /** The key that encrypts the resource, when known. */
  public readonly encryptionKey?: kms.IKey;
  /** How functions connect to the database; undefined for other stores, and for a cluster given without it. */
  public readonly connection?: ClusterConnectionOptions;
  /**
   * What the caller stated about the table's point-in-time recovery.
   * @internal
   */
  public readonly _statedPointInTimeRecovery?: boolean;
  /**
   * What the caller stated about the bucket's versioning.
   * @internal
   */
  public readonly _statedVersioned?: boolean;
  /**
   * The construct behind the resource, when it is in the app.
   * @internal
   */
  public readonly _construct?: IConstruct;

  private constructor(
    resourceType: ProtectedResourceType,
    resourceArn: string,
    name: string,
    extra: {
      encryptionKey?: kms.IKey;
      statedPointInTimeRecovery?: boolean;
      statedVersioned?: boolean;
      construct?: IConstruct;
      connection?: ClusterConnectionOptions;
    },
  ) {
    this.resourceType = resourceType;
    this.resourceArn = resourceArn;
    this.name = name;
    this.encryptionKey = extra.encryptionKey;
    this.connection = extra.connection;
    this._statedPointInTimeRecovery = extra.statedPointInTimeRecovery;
    this._statedVersioned = extra.statedVersioned;
    this._construct = extra.construct;
  }

  /**
   * The cluster behind an Aurora handle made from a construct.
   * @internal
   */
  public get _cluster(): rds.IDatabaseCluster | undefined {
    return this.resourceType === ProtectedResourceType.AURORA ? this._construct as rds.IDatabaseCluster | undefined : undefined;
  }

  /**
   * The table behind a DynamoDB handle made from a construct.
   * @internal
   */
  public get _table(): dynamodb.ITable | undefined {
    return this.resourceType === ProtectedResourceType.DYNAMODB ? this._construct as dynamodb.ITable | undefined : undefined;
  }

  /**
   * The bucket behind an S3 handle made from a construct.
   * @internal
   */
  public get _bucket(): s3.IBucket | undefined {
    return this.resourceType === ProtectedResourceType.S3 ? this._construct as s3.IBucket | undefined : undefined;
  }
}
