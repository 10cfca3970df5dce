import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ClusterConnectionOptions } from './cluster-connection';
import { BucketProtectionOptions, ProtectedResource, TableProtectionOptions } from './protected-resource';
import { StoreContext } from './store-context';
import { EncryptedAurora, EncryptedAuroraOptions } from '../encrypted-aurora';
import { PitrTable, PitrTableOptions } from '../pitr-table';
import { DrValidationError } from '../private/validation';
import { VersionedBucket, VersionedBucketOptions } from '../versioned-bucket';

/**
 * The platform's database, as its functions, backup plan, monitor and drills
 * use it.
 */
export interface DatabaseStore {
  /** The cluster. */
  readonly cluster: rds.IDatabaseCluster;
  /** How functions connect to it. */
  readonly connection: ClusterConnectionOptions;
  /**
   * The key that encrypts its storage.
   *
   * @default - unknown (an adopted cluster given without its key)
   */
  readonly encryptionKey?: kms.IKey;
  /** The handle HourlyBackup, RecoveryPointMonitor, RestoreDrill and `VpcLambda.connectResource` take. */
  readonly resource: ProtectedResource;
  /**
   * The EncryptedAurora the platform created.
   *
   * @default - undefined: the cluster was adopted with `PlatformDatabase.fromCluster`
   */
  readonly encryptedAurora?: EncryptedAurora;
}

/**
 * The platform's table, as its functions, backup plan, monitor and drills use it.
 */
export interface TableStore {
  /** The table. */
  readonly table: dynamodb.ITable;
  /**
   * The key that encrypts it.
   *
   * @default - unknown, or the AWS-managed key
   */
  readonly encryptionKey?: kms.IKey;
  /** The handle HourlyBackup, RecoveryPointMonitor, RestoreDrill and `VpcLambda.connectResource` take. */
  readonly resource: ProtectedResource;
  /**
   * The PitrTable the platform created.
   *
   * @default - undefined: the table was adopted with `PlatformTable.fromTable`
   */
  readonly pitrTable?: PitrTable;
}

/**
 * The platform's bucket, as its functions, backup plan, monitor and drills use it.
 */
export interface BucketStore {
  /** The bucket. */
  readonly bucket: s3.IBucket;
  /**
   * The key that encrypts its objects.
   *
   * @default - unknown, or S3's own encryption
   */
  readonly encryptionKey?: kms.IKey;
  /** The handle HourlyBackup, RecoveryPointMonitor, RestoreDrill and `VpcLambda.connectResource` take. */
  readonly resource: ProtectedResource;
  /**
   * The VersionedBucket the platform created.
   *
   * @default - undefined: the bucket was adopted with `PlatformBucket.fromBucket`
   */
  readonly versionedBucket?: VersionedBucket;
}

/**
 * How a cluster the team already has is adopted by a platform.
 */
export interface ExistingClusterOptions {
  /** How the platform's functions connect to it: its secret or an IAM authentication user (exactly one), and its database name. */
  readonly connection: ClusterConnectionOptions;

  /**
   * The key that encrypts the cluster's storage, so the backup and restore
   * roles can use it (its recovery points stay encrypted with it).
   *
   * @default - none: no role is granted a key for the cluster
   */
  readonly encryptionKey?: kms.IKey;
}


/**
 * The database of a platform: an EncryptedAurora the platform creates, or a
 * cluster the team already has. One prop, so what comes with an adopted
 * cluster (how to connect, its key) is required by the type.
 */
export class PlatformDatabase {
  /** An EncryptedAurora the platform creates, with these options. */
  public static encryptedAurora(options: EncryptedAuroraOptions = {}): PlatformDatabase {
    return new PlatformDatabase((scope, context) => {
      const database = new EncryptedAurora(scope, 'Database', {
        ...options,
        environmentSuffix: context.environmentSuffix,
        vpc: context.vpc,
        removalPolicy: context.removalPolicy,
      });
      const resource = ProtectedResource.fromEncryptedAurora(database);
      return {
        cluster: database.cluster, connection: resource.connection!, encryptionKey: database.encryptionKey, resource, encryptedAurora: database,
      };
    });
  }

  /**
   * An Aurora or RDS cluster the team already has, to protect, monitor and
   * wire. It must be reachable from the platform's VPC; an imported cluster
   * needs its endpoint address, port and security groups.
   */
  public static fromCluster(cluster: rds.IDatabaseCluster, options: ExistingClusterOptions): PlatformDatabase {
    return new PlatformDatabase((scope) => {
      const connection = options?.connection;
      if (!connection || (connection.secret === undefined) === (connection.iamAuthenticationUser === undefined)) {
        throw new DrValidationError(scope,
          `\`database\` (PlatformDatabase.fromCluster(${cluster.node.path})) needs exactly one of \`connection.secret\` and \`connection.iamAuthenticationUser\`, got: `
          + (!connection ? 'no connection' : connection.secret ? 'both' : 'neither'));
      }
      const resource = ProtectedResource.fromDatabaseCluster(cluster, { connection, encryptionKey: options.encryptionKey });
      return { cluster, connection, encryptionKey: options.encryptionKey, resource };
    });
  }

  /**
   * The store a platform binds, checked to be a PlatformDatabase.
   * @internal
   */
  public static _bind(scope: Construct, value: PlatformDatabase | undefined, context: StoreContext): DatabaseStore {
    return factoryOf(scope, 'database', value ?? PlatformDatabase.encryptedAurora(), PlatformDatabase, 'PlatformDatabase.encryptedAurora(options) or PlatformDatabase.fromCluster(cluster, options)').bind(scope, context);
  }

  private constructor(private readonly bind: (scope: Construct, context: StoreContext) => DatabaseStore) {}
}

/**
 * The table of a platform: a PitrTable the platform creates, or a DynamoDB
 * table the team already has.
 */
export class PlatformTable {
  /** A PitrTable the platform creates, with these options. */
  public static pitrTable(options: PitrTableOptions = {}): PlatformTable {
    return new PlatformTable((scope, context) => {
      const table = new PitrTable(scope, 'Table', { ...options, environmentSuffix: context.environmentSuffix, removalPolicy: context.removalPolicy });
      return { table: table.table, encryptionKey: table.encryptionKey, resource: ProtectedResource.fromPitrTable(table), pitrTable: table };
    });
  }

  /**
   * A DynamoDB table the team already has (`Table`, `TableV2`, or imported),
   * to protect, monitor and wire. What cannot be read from an imported table
   * (its point-in-time recovery, its key) is what `options` states.
   */
  public static fromTable(table: dynamodb.ITable, options: TableProtectionOptions = {}): PlatformTable {
    return new PlatformTable(() => {
      const resource = ProtectedResource.fromTable(table, options);
      return { table, encryptionKey: resource.encryptionKey, resource };
    });
  }

  /**
   * The store a platform binds, checked to be a PlatformTable.
   * @internal
   */
  public static _bind(scope: Construct, value: PlatformTable | undefined, context: StoreContext): TableStore {
    return factoryOf(scope, 'table', value ?? PlatformTable.pitrTable(), PlatformTable, 'PlatformTable.pitrTable(options) or PlatformTable.fromTable(table, options)').bind(scope, context);
  }

  private constructor(private readonly bind: (scope: Construct, context: StoreContext) => TableStore) {}
}

/**
 * The bucket of a platform: a VersionedBucket the platform creates, or an S3
 * bucket the team already has.
 */
export class PlatformBucket {
  /** A VersionedBucket the platform creates, with these options. */
  public static versionedBucket(options: VersionedBucketOptions = {}): PlatformBucket {
    return new PlatformBucket((scope, context) => {
      const bucket = new VersionedBucket(scope, 'Bucket', { ...options, environmentSuffix: context.environmentSuffix, removalPolicy: context.removalPolicy });
      const resource = ProtectedResource.fromVersionedBucket(bucket);
      return { bucket: bucket.bucket, encryptionKey: bucket.encryptionKey, resource, versionedBucket: bucket };
    });
  }

  /**
   * An S3 bucket the team already has (defined in the app or imported), to
   * protect and wire. It must be versioned: versioning is read from a bucket
   * in the app, and is what `options` states for an imported one.
   */
  public static fromBucket(bucket: s3.IBucket, options: BucketProtectionOptions = {}): PlatformBucket {
    return new PlatformBucket(() => {
      const resource = ProtectedResource.fromBucket(bucket, options);
      return { bucket, encryptionKey: resource.encryptionKey, resource };
    });
  }

  /**
   * The store a platform binds, checked to be a PlatformBucket.
   * @internal
   */
  public static _bind(scope: Construct, value: PlatformBucket | undefined, context: StoreContext): BucketStore {
    return factoryOf(scope, 'bucket', value ?? PlatformBucket.versionedBucket(), PlatformBucket, 'PlatformBucket.versionedBucket(options) or PlatformBucket.fromBucket(bucket, options)').bind(scope, context);
  }

  private constructor(private readonly bind: (scope: Construct, context: StoreContext) => BucketStore) {}
}

/**
 * The store factory a platform prop holds, refusing what a JavaScript caller
 * could pass in its place (an options object), naming the prop and the
 * factories that make one.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- classes with private constructors
function factoryOf<T>(scope: Construct, prop: string, value: T, factory: Function, factories: string): T {
  if (!(value instanceof factory)) {
    throw new DrValidationError(scope, `\`${prop}\` must be ${factories}, got: ${describe(value)}`);
  }
  return value;
}

/** A value that is not a store factory, as a refusal shows it. */
function describe(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    return `an object with ${Object.keys(value).map((k) => `\`${k}\``).join(', ') || 'no keys'} (the options of the store go inside the factory)`;
  }
  return JSON.stringify(value) ?? String(value);
}
