import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
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
 * Options for protecting a DynamoDB table given as an `ITable`.
 */
export interface TableProtectionOptions {
  /**
   * Whether the table has point-in-time recovery on. It decides the table's
   * effective RPO: about 5 minutes with it, the hourly snapshot cadence
   * without it.
   *
   * @default false
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
 * A resource for HourlyBackup to protect, selected by its ARN (never by tags,
 * so nothing is protected by accident and nothing drops out silently).
 */
export class ProtectedResource {
  /** An EncryptedAurora cluster; its key is granted to the backup role. */
  public static fromEncryptedAurora(database: EncryptedAurora): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.AURORA, database.clusterArn, database.node.path, {
      encryptionKey: database.encryptionKey,
      construct: database.cluster,
    });
  }

  /**
   * Any Aurora or RDS cluster.
   *
   * @param encryptionKey the key that encrypts the cluster's storage: its recovery points stay encrypted with it
   */
  public static fromDatabaseCluster(cluster: rds.IDatabaseCluster, encryptionKey?: kms.IKey): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.AURORA, cluster.clusterArn, cluster.node.path, { encryptionKey, construct: cluster });
  }

  /** A PitrTable: point-in-time recovery is known to be on. */
  public static fromPitrTable(table: PitrTable): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.DYNAMODB, table.tableArn, table.node.path, {
      encryptionKey: table.encryptionKey,
      pointInTimeRecovery: true,
    });
  }

  /** Any DynamoDB table. */
  public static fromTable(table: dynamodb.ITable, options: TableProtectionOptions = {}): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.DYNAMODB, table.tableArn, table.node.path, {
      encryptionKey: options.encryptionKey ?? table.encryptionKey,
      pointInTimeRecovery: options.pointInTimeRecovery ?? false,
    });
  }

  /** A VersionedBucket; its key is granted to the backup role. */
  public static fromVersionedBucket(bucket: VersionedBucket): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.S3, bucket.bucketArn, bucket.node.path, {
      encryptionKey: bucket.encryptionKey,
      construct: bucket.bucket,
    });
  }

  /** Any S3 bucket. AWS Backup requires it to be versioned. */
  public static fromBucket(bucket: s3.IBucket): ProtectedResource {
    return new ProtectedResource(ProtectedResourceType.S3, bucket.bucketArn, bucket.node.path, {
      encryptionKey: bucket.encryptionKey,
      construct: bucket,
    });
  }

  /**
   * Any resource AWS Backup supports, by ARN. It gets hourly snapshots only.
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
  /** Whether the resource has its own point-in-time recovery (DynamoDB). */
  public readonly pointInTimeRecovery: boolean;
  /**
   * The construct behind the resource, when it is in the app.
   * @internal
   */
  public readonly _construct?: IConstruct;

  private constructor(
    resourceType: ProtectedResourceType,
    resourceArn: string,
    name: string,
    extra: { encryptionKey?: kms.IKey; pointInTimeRecovery?: boolean; construct?: IConstruct },
  ) {
    this.resourceType = resourceType;
    this.resourceArn = resourceArn;
    this.name = name;
    this.encryptionKey = extra.encryptionKey;
    this.pointInTimeRecovery = extra.pointInTimeRecovery ?? false;
    this._construct = extra.construct;
  }
}

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
  /** The worst-case data loss. Undefined for resources restored by redeploy, which hold no data. */
  readonly effectiveRpo?: Duration;
}
