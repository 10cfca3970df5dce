import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { MultiRegionDrPlatformProps, SecondaryDatabaseOptions, SecondaryProtection } from './multi-region-dr-platform-props';
import { AuroraGlobalSecondary } from '../aurora-global-secondary';
import { DrAlarmsOptions } from '../dr-alarms';
import { BackupVaultPurpose, DrBackupVault } from '../dr-backup-vault';
import { AuroraClusterOptions, EncryptedAurora } from '../encrypted-aurora';
import { HourlyBackup, HourlyBackupOptions } from '../hourly-backup';
import { validateCopyRetention, withPlatformCopy } from '../hourly-backup/copies';
import { auroraNames, backupVaultArn, copyVaultKeyAlias, copyVaultName, hourlyBackupNames, multiRegionNames, versionedBucketName } from '../names';
import { describeDuration } from '../private/duration';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { defaultAuroraPostgresVersion } from '../private/rds';
import { createDrKey } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';
import { RecoveryPointMonitor } from '../recovery-point-monitor';
import { RegionalBlock } from '../regional-block/regional-block';
import { RestoreDrill, RestoreDrillOptions } from '../restore-drill';
import { ProtectedResource } from '../stores/protected-resource';
import { VersionedBucket } from '../versioned-bucket';

/** What the secondary region has before the primary is deployed: what the primary refers to by name. */
export interface SecondaryFoundation {
  readonly encryptionKey: kms.IKey;
  readonly databaseKey: kms.IKey;
  readonly tableKey: kms.IKey;
  readonly vpc: ec2.Vpc;
  readonly copyVault: DrBackupVault;
}

/** What the foundation is made from. */
export interface SecondaryFoundationOptions {
  readonly environmentSuffix: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly destroy: boolean;
  readonly vpcCidr: string;
}

/**
 * The secondary region's keys, VPC and copy vault, in the foundation stack.
 * The keys carry the aliases the primary names (the table replica's key, the
 * Aurora key of the secondary cluster and the replicated secret).
 */
export function createSecondaryFoundation(foundation: Stack, options: SecondaryFoundationOptions): SecondaryFoundation {
  const suffix = options.environmentSuffix;
  const names = multiRegionNames(suffix);
  const network = RegionalBlock.createNetwork(foundation, {
    environmentSuffix: suffix,
    keyDescription: `Encrypts the DR platform's flow logs and functions in the secondary region (${suffix})`,
    destroy: options.destroy,
    removalPolicy: options.removalPolicy,
    vpcCidr: options.vpcCidr,
  });
  const databaseKey = createDrKey(foundation, 'DatabaseKey', {
    alias: names.auroraKeyAlias,
    description: `Encrypts the secondary Aurora cluster and the replicated credentials secret (${suffix})`,
    destroy: options.destroy,
  });
  const tableKey = createDrKey(foundation, 'TableKey', {
    alias: names.tableKeyAlias,
    description: `Encrypts the table replica in the secondary region (${suffix})`,
    destroy: options.destroy,
  });
  const copyVault = new DrBackupVault(foundation, 'CopyVault', {
    environmentSuffix: suffix,
    purpose: BackupVaultPurpose.COPY_DESTINATION,
    removalPolicy: options.removalPolicy,
  });
  return { encryptionKey: network.encryptionKey, databaseKey, tableKey, vpc: network.vpc as ec2.Vpc, copyVault };
}

/** What the secondary's standby is made from. */
export interface SecondaryStandbyOptions {
  readonly environmentSuffix: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly destroy: boolean;
  readonly secondaryRegion: string;
  readonly account: string;
  readonly emails?: string[];
  readonly alarms?: DrAlarmsOptions;
  readonly dashboardName: string;
  /** The primary's database, whose capacity, port and name the standby takes. */
  readonly primaryDatabase: EncryptedAurora;
  readonly database?: AuroraClusterOptions;
  readonly secondaryDatabase?: SecondaryDatabaseOptions;
  /** The global table's name: its replica here has the same one. */
  readonly tableName: string;
  readonly tableHasIndexes: boolean;
  readonly replicaBucket: VersionedBucket;
  /** The standby's own backup plan: the primary's options that are not regional, and where its copies go. */
  readonly backup: StandbyBackupOptions;
  /** The restore drills of the copies in the copy vault: the platform's drill options (undefined: no drills), and its RTO. */
  readonly drills: { readonly options?: RestoreDrillOptions; readonly rto: Duration };
}

/** What the secondary region's own backup plan is made from. */
export interface StandbyBackupOptions {
  /** The user's `backup`: its regional fields (key, copy destinations) are the primary's and not used here. */
  readonly options?: HourlyBackupOptions;
  readonly rpo?: Duration;
  readonly environmentTag?: string;
  /** The primary region: every snapshot of this region is copied back to its copy vault, named by ARN. */
  readonly primaryRegion: string;
  readonly copyRetention?: Duration;
}

/**
 * The secondary region's warm standby: the global database's secondary
 * cluster, the table replica and replica bucket by name, and the regional
 * block (topic, alarms, functions) over them.
 */
export class SecondaryStandby {
  public readonly database: AuroraGlobalSecondary;
  public readonly databaseSecret: secretsmanager.ISecret;
  public readonly tableReplica: dynamodb.ITableV2;
  public readonly replicaBucketRef: s3.IBucket;
  public readonly block: RegionalBlock;
  /** This region's own backup plan, recovery point monitor and copy drills. */
  public readonly protection: SecondaryProtection;

  constructor(owner: Construct, stack: Stack, foundation: SecondaryFoundation, options: SecondaryStandbyOptions) {
    const suffix = options.environmentSuffix;
    const alarmTopic = RegionalBlock.createTopic(stack, {
      environmentSuffix: suffix,
      displayName: `DR alarms (${suffix}, secondary region)`,
      emails: options.emails,
      destroy: options.destroy,
    });
    const primaryDatabase = options.primaryDatabase;
    const secondaryDb = options.secondaryDatabase ?? {};
    const engineVersion = options.database?.engineVersion ?? defaultAuroraPostgresVersion();
    if (secondaryDb.engineVersion && secondaryDb.engineVersion.auroraPostgresFullVersion !== engineVersion.auroraPostgresFullVersion) {
      throw new DrValidationError(owner,
        `\`secondaryDatabase.engineVersion\` must be the primary's (${engineVersion.auroraPostgresFullVersion}): Aurora switches over and fails over only between clusters of one major and minor version, got: ${secondaryDb.engineVersion.auroraPostgresFullVersion}`);
    }
    const secondaryCapacityGiven = secondaryDb.serverlessV2MinCapacity !== undefined || secondaryDb.serverlessV2MaxCapacity !== undefined;
    const instanceType = secondaryDb.instanceType ?? (!secondaryCapacityGiven ? options.database?.instanceType : undefined);
    this.database = new AuroraGlobalSecondary(stack, 'Database', {
      environmentSuffix: suffix,
      vpc: foundation.vpc,
      // The name, not the primary's reference: no value crosses regions.
      globalClusterIdentifier: auroraNames(suffix).globalCluster,
      engineVersion,
      instanceType,
      // The primary's capacity as it resolved it (its global-mode defaults
      // included), so the standby can take the primary's load on promotion.
      serverlessV2MinCapacity: instanceType ? undefined : secondaryDb.serverlessV2MinCapacity ?? primaryDatabase.serverlessV2MinCapacity,
      serverlessV2MaxCapacity: instanceType ? undefined : secondaryDb.serverlessV2MaxCapacity ?? primaryDatabase.serverlessV2MaxCapacity,
      instances: secondaryDb.instances,
      encryptionKey: foundation.databaseKey,
      port: primaryDatabase.port,
      databaseName: primaryDatabase.databaseName,
      removalPolicy: options.removalPolicy,
    });
    // The primary's credentials, replicated to this region under the same name.
    this.databaseSecret = secretsmanager.Secret.fromSecretNameV2(stack, 'DatabaseSecret', primaryDatabase.secretName);
    this.tableReplica = dynamodb.TableV2.fromTableAttributes(stack, 'TableReplica', {
      tableName: options.tableName,
      grantIndexPermissions: options.tableHasIndexes,
    });
    // The replica bucket by name too, as the secondary's functions use it.
    this.replicaBucketRef = s3.Bucket.fromBucketAttributes(stack, 'ReplicaBucketRef', {
      bucketName: versionedBucketName(suffix, options.account, options.secondaryRegion),
      encryptionKey: options.replicaBucket.encryptionKey,
    });
    const stores = {
      database: ProtectedResource.fromDatabaseCluster(this.database.cluster, {
        encryptionKey: foundation.databaseKey,
        // The replica secret is encrypted with this region's Aurora key, which a secret imported by name does not carry.
        connection: {
          secret: this.databaseSecret,
          secretEncryptionKey: foundation.databaseKey,
          databaseName: this.database.databaseName,
          port: this.database.port,
        },
      }),
      // The replica's key (the foundation's) is granted with named actions where it is used.
      table: ProtectedResource.fromTable(this.tableReplica, { pointInTimeRecovery: true, encryptionKey: foundation.tableKey }),
      bucket: ProtectedResource.fromBucket(this.replicaBucketRef, { versioned: true, encryptionKey: options.replicaBucket.encryptionKey }),
    };
    const standbyBackup = createStandbyBackup(stack, suffix, options, alarmTopic, [stores.database, stores.table, stores.bucket]);
    // The plan selects the cluster through its imported view, a sibling of the instances cdk-nag inspects.
    for (const instance of this.database.instances) {
      acknowledgeFinding(instance, 'RDSInBackupPlan', COMPLIANCE_PACKS,
        `A member of the cluster ${auroraNames(suffix).cluster} that this region's plan ${hourlyBackupNames(suffix).plan} selects by ARN: AWS Backup protects Aurora at cluster level, not per instance.`);
    }
    const alarms = RegionalBlock.createAlarms(stack, {
      ...options.alarms,
      environmentSuffix: suffix,
      removalPolicy: options.removalPolicy,
      alarmTopic,
      dashboardName: options.dashboardName,
      backup: standbyBackup,
    });
    this.block = new RegionalBlock({
      encryptionKey: foundation.encryptionKey,
      vpc: foundation.vpc,
      alarmTopic,
      alarms,
      environmentSuffix: suffix,
      removalPolicy: options.removalPolicy,
      owner,
      functionScope: new Construct(stack, 'Functions'),
      endpointsHome: stack,
      stores,
    });
    // The primary's copies in this region's copy vault, restored and validated here: proof that the copies restore.
    const { continuousRecoveryPoints: _copiesAreSnapshots, ...drillOptions } = options.drills.options ?? {};
    const copyDrill = options.drills.options ? new RestoreDrill(stack, 'CopyDrill', {
      ...drillOptions,
      environmentSuffix: suffix,
      vpc: foundation.vpc,
      vault: foundation.copyVault.vault,
      copies: { encryptionKey: foundation.copyVault.encryptionKey, sourceRegion: options.backup.primaryRegion },
      database: stores.database,
      table: stores.table,
      bucket: stores.bucket,
      encryptionKey: foundation.encryptionKey,
      removalPolicy: options.removalPolicy,
    }) : undefined;
    const recoveryPoints = new RecoveryPointMonitor(stack, 'RecoveryPoints', {
      environmentSuffix: suffix,
      rpo: standbyBackup.rpo,
      // The longest a healthy hourly schedule lets a snapshot age.
      snapshotAgeBound: Duration.hours(1).plus(standbyBackup.completionWindow),
      drillPlans: copyDrill?.drillPlans,
      encryptionKey: foundation.encryptionKey,
      removalPolicy: options.removalPolicy,
    });
    recoveryPoints.addResource(stores.database, 'database');
    recoveryPoints.addResource(stores.table, 'table');
    recoveryPoints.addResource(stores.bucket, 'bucket');
    alarms.monitorRecoveryPoints(recoveryPoints);
    if (copyDrill) alarms.monitorRestoreDrills(copyDrill, { rto: options.drills.rto, recoveryPointMonitor: recoveryPoints });
    this.protection = { backup: standbyBackup, recoveryPoints, copyDrill };
  }
}

/**
 * The secondary region's own hourly plan over its stores (the secondary
 * cluster, the table replica, the replica bucket), in a locked vault of its
 * own, copying every snapshot back to the primary region's copy vault. It
 * runs in both roles, so a promoted region is protected from the first hour
 * with no step to run or forget: while the region is the secondary it backs
 * up the replicated data (a second set of recovery points of the same data,
 * at the cost of a second plan); once promoted, the writes made there.
 * The user's `backup` options apply except the regional ones (its key and
 * copy destinations belong to the primary region).
 */
function createStandbyBackup(stack: Stack, suffix: string, options: SecondaryStandbyOptions, alarmTopic: sns.ITopic,
  resources: ProtectedResource[]): HourlyBackup {
  const { encryptionKey: _primaryKey, copyTo: _primaryCopies, ...regional } = options.backup.options ?? {};
  // Written out from the names: no value crosses regions.
  const copyBackVaultArn = backupVaultArn(RegionInfo.get(options.backup.primaryRegion).partition ?? 'aws', options.backup.primaryRegion, stack.account, copyVaultName(suffix));
  const copyBackVault = backup.BackupVault.fromBackupVaultArn(stack, 'CopyBackVault', copyBackVaultArn);
  return new HourlyBackup(stack, 'Backup', {
    ...regional,
    environmentSuffix: suffix,
    environmentTag: options.backup.environmentTag,
    rpo: options.backup.rpo,
    removalPolicy: options.removalPolicy,
    alarmTopic,
    resources,
    copyTo: withPlatformCopy(stack, { vault: copyBackVault, retention: options.backup.copyRetention, encryptionKeyAlias: copyVaultKeyAlias(suffix) }),
  });
}

/**
 * The primary's code as the secondary region's function can use it. An
 * asset binds to one stack in aws-cdk-lib, so it is staged again from the
 * same path and options (the same content, the same hash); inline code
 * serves both; code in an S3 bucket or an ECR repository is regional.
 */
export function codeForSecondary(scope: Construct, id: string, code: lambda.Code, secondaryRegion: string): lambda.Code {
  if (code instanceof lambda.AssetCode) {
    // aws-cdk-lib keeps an AssetCode's options private; they are what made the primary's asset.
    const assetOptions = Reflect.get(code, 'options') as s3assets.AssetOptions | undefined;
    return lambda.Code.fromAsset(code.path, assetOptions);
  }
  if (code instanceof lambda.InlineCode) {
    return code;
  }
  throw new DrValidationError(scope,
    `\`code\` of the function ${quote(id)} cannot serve the secondary region: code in an S3 bucket or an ECR repository is regional, and only assets and inline code can be deployed to both. Give \`secondaryCode\` (code in ${secondaryRegion}), got: ${code.constructor.name}`);
}

/**
 * Refuses a copy retention shorter than the copy vault's lock minimum: AWS
 * Backup would refuse every copy job into the vault at run time.
 */
export function checkCopyRetention(scope: Construct, copyVault: DrBackupVault, suffix: string, props: MultiRegionDrPlatformProps): void {
  const minimum = copyVault.minimumRetention;
  const [prop, retention] = props.copyRetention !== undefined
    ? ['copyRetention', props.copyRetention]
    : ['backup.retention', props.backup?.retention];
  if (minimum && retention && !retention.isUnresolved() && !minimum.isUnresolved() && retention.toMilliseconds() < minimum.toMilliseconds()) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be at least the copy vault's lock minimum retention (${copyVaultName(suffix)}: ${describeDuration(minimum)}): AWS Backup refuses every copy job into a locked vault with a shorter retention, got: ${describeDuration(retention)}`);
  }
  // Then the copy retention's own limits, named as the user gave it.
  if (props.copyRetention) validateCopyRetention(scope, 'copyRetention', props.copyRetention);
}
