import { CfnOutput, Duration, Lazy, RemovalPolicy, Size, SizeRoundingBehavior, Tags, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackupAuditEvidence } from '../backup-audit';
import { DrAlarms, DrAlarmsOptions } from '../dr-alarms';
import { EncryptedAurora, EncryptedAuroraOptions } from '../encrypted-aurora';
import { BucketProtectionOptions, HourlyBackup, HourlyBackupOptions, ProtectedResource, TableProtectionOptions } from '../hourly-backup';
import { platformNames, singleRegionPlatformDerivedNames, validateEnvironmentSuffix } from '../names';
import { PitrTable, PitrTableOptions } from '../pitr-table';
import { createAlarmTopic, validateAlarmEmails } from '../private/alarm-topic';
import { validateDuration } from '../private/duration';
import { namePartFromId, validateNamePart } from '../private/naming';
import { createDrKey, isDestroy } from '../private/removal';
import { TAG_KEYS, validateTagValue } from '../private/tags';
import { DrValidationError, quote } from '../private/validation';
import { createDrVpc, validateVpcCidr } from '../private/vpc';
import { DrVpcEndpoints } from '../private/vpc-endpoints';
import { RecoveryPointMonitor, RecoveryPointMonitorOptions } from '../recovery-point-monitor';
import { RestoreDrill, RestoreDrills } from '../restore-drill';
import { VersionedBucket, VersionedBucketOptions } from '../versioned-bucket';
import { ClusterConnectionOptions, DataAccess, VpcLambda, VpcLambdaFunctionOptions } from '../vpc-lambda';

/**
 * A function for `addFunction`: VpcLambda's options plus how it is wired to
 * the platform's database, table and bucket.
 */
export interface PlatformFunctionOptions extends VpcLambdaFunctionOptions {
  /**
   * Whether the function connects to the database (security group, secret,
   * DB_* environment variables).
   *
   * @default true
   */
  readonly connectDatabase?: boolean;

  /**
   * What the function may do with the table (TABLE_NAME is set).
   *
   * @default DataAccess.READ_WRITE
   */
  readonly tableAccess?: DataAccess;

  /**
   * What the function may do with the bucket (BUCKET_NAME is set).
   *
   * @default DataAccess.READ_WRITE
   */
  readonly bucketAccess?: DataAccess;
}

/**
 * Properties for SingleRegionDrPlatform.
 */
export interface SingleRegionDrPlatformProps {
  /**
   * Suffix carried by every name the platform derives, for example `dev`
   * or `prod`. Lowercase letters, digits and hyphens, starting with a letter;
   * the longest allowed is the tightest over every child's names.
   */
  readonly environmentSuffix: string;

  /**
   * A qualifier added to every physical name, for two platforms with the
   * same `environmentSuffix` side by side in one account and region:
   * names become `{type}-{environmentSuffix}-{nameQualifier}` (for example
   * `dr-aurora-prod-blue`). Tags keep the plain `environmentSuffix`. Within
   * one app, two platforms whose names would collide are refused at synth;
   * across apps nothing can tell, so give each its own qualifier.
   *
   * @default - names carry the environment suffix alone
   */
  readonly nameQualifier?: string;

  /**
   * What happens to every store, key and log when the stack is deleted.
   * `DESTROY` makes the whole stack delete with no manual step.
   *
   * @default - data is kept: RETAIN (Aurora: SNAPSHOT), deletion protection on
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The recovery point objective HourlyBackup holds every resource to.
   *
   * @default - HourlyBackup's default, 1 hour
   */
  readonly rpo?: Duration;

  /**
   * The recovery time objective, recorded on every resource (tag `DR-RTO`)
   * and in the outputs, and measured: a restore drill whose measured RTO
   * exceeds it alarms.
   *
   * @default Duration.hours(4)
   */
  readonly rto?: Duration;

  /**
   * The restore drills: AWS Backup restore testing of the database, table
   * and bucket, validated, with the RTO measured; `RestoreDrills.enabled(options)`
   * passes its options through to RestoreDrill. Each drill restores copies
   * that are billed while they exist (see the README).
   *
   * @default RestoreDrills.enabled(): RestoreDrill's defaults, weekly with a 4 hour validation window
   */
  readonly restoreDrills?: RestoreDrills;

  /**
   * Whether to add AWS Backup Audit Manager evidence: a framework whose
   * controls are set from the platform's targets and report plans writing
   * to the platform bucket under `backup-audit/`. Needs AWS Config recording
   * in the region (a warning at synth says so).
   *
   * @default false
   */
  readonly auditEvidence?: boolean;

  /**
   * Passed through to RecoveryPointMonitor.
   *
   * @default - RecoveryPointMonitor's defaults: every 5 minutes
   */
  readonly recoveryPointMonitor?: RecoveryPointMonitorOptions;

  /**
   * The VPC to use. It needs private isolated subnets in at least two
   * Availability Zones; S3 and DynamoDB gateway endpoints are added when it
   * is defined in the app (an imported VPC must have them).
   *
   * @default - a VPC over 3 AZs with public and isolated subnets, no NAT
   * gateway, S3 and DynamoDB gateway endpoints and encrypted flow logs
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The IPv4 CIDR block of the VPC the platform creates (/16 to /20). Give
   * each VPC its own block when VPCs are peered.
   *
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;

  /**
   * Email addresses subscribed to the alarm topic.
   *
   * @default - none
   */
  readonly alarmEmails?: string[];

  /**
   * Passed through to EncryptedAurora.
   *
   * @default - EncryptedAurora's defaults
   */
  readonly database?: EncryptedAuroraOptions;

  /**
   * An Aurora or RDS cluster the team already has, to protect, monitor and
   * wire instead of creating an EncryptedAurora. It must be reachable from
   * the platform's VPC. Cannot be combined with `database`.
   *
   * @default - an EncryptedAurora is created
   */
  readonly existingCluster?: rds.IDatabaseCluster;

  /**
   * How functions connect to `existingCluster`: its secret or an IAM
   * authentication user (exactly one), and its database name.
   *
   * @default - required with `existingCluster`
   */
  readonly existingClusterConnection?: ClusterConnectionOptions;

  /**
   * The key that encrypts `existingCluster`'s storage, so the backup role can
   * use it (its recovery points stay encrypted with it).
   *
   * @default - none: the backup role is granted no key for the cluster
   */
  readonly existingClusterEncryptionKey?: kms.IKey;

  /**
   * Passed through to PitrTable.
   *
   * @default - PitrTable's defaults
   */
  readonly table?: PitrTableOptions;

  /**
   * A DynamoDB table the team already has (defined in the app or imported),
   * to protect, monitor and wire instead of creating a PitrTable. Cannot be
   * combined with `table`.
   *
   * @default - a PitrTable is created
   */
  readonly existingTable?: dynamodb.ITable;

  /**
   * What cannot be read from `existingTable` when it is imported: its
   * point-in-time recovery and key.
   *
   * @default - read from the table when it is defined in the app; otherwise unknown
   */
  readonly existingTableProtection?: TableProtectionOptions;

  /**
   * An S3 bucket the team already has (defined in the app or imported), to
   * protect and wire instead of creating a VersionedBucket. It must be
   * versioned. Cannot be combined with `bucket`.
   *
   * @default - a VersionedBucket is created
   */
  readonly existingBucket?: s3.IBucket;

  /**
   * What cannot be read from `existingBucket` when it is imported: whether
   * it is versioned, and its key.
   *
   * @default - read from the bucket when it is defined in the app; otherwise unknown
   */
  readonly existingBucketProtection?: BucketProtectionOptions;

  /**
   * Passed through to VersionedBucket.
   *
   * @default - VersionedBucket's defaults
   */
  readonly bucket?: VersionedBucketOptions;

  /**
   * Passed through to HourlyBackup.
   *
   * @default - HourlyBackup's defaults
   */
  readonly backup?: HourlyBackupOptions;

  /**
   * Passed through to DrAlarms. Its `encryptionKey` encrypts the platform's
   * alarm topic, which DrAlarms and HourlyBackup share.
   *
   * @default - DrAlarms's defaults
   */
  readonly alarms?: DrAlarmsOptions;

  /**
   * The value of the `Environment` tag on every resource.
   *
   * @default - the environment suffix
   */
  readonly environmentTag?: string;

  /**
   * The value of the `DR-Role` tag on every resource: what this deployment
   * is in the recovery setup, for example `primary`.
   *
   * @default 'primary'
   */
  readonly drRoleTag?: string;
}

/**
 * Disaster recovery for a workload in one region across three Availability
 * Zones: a VPC with no NAT, an EncryptedAurora, a PitrTable and a
 * VersionedBucket, all protected by HourlyBackup and watched by DrAlarms.
 * `addFunction` adds VpcLambda functions wired to all three.
 *
 * @example
 * const platform = new SingleRegionDrPlatform(this, 'Platform', {
 *   environmentSuffix: 'prod',
 *   alarmEmails: ['oncall@example.com'],
 * });
 * platform.addFunction('Processor', {
 *   code: lambda.Code.fromAsset('dist/processor'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X,
 * });
 */
export class SingleRegionDrPlatform extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The Aurora PostgreSQL cluster the platform created; undefined when `existingCluster` was adopted. */
  public readonly database?: EncryptedAurora;
  /** The DynamoDB table the platform created; undefined when `existingTable` was adopted. */
  public readonly table?: PitrTable;
  /** The S3 bucket the platform created; undefined when `existingBucket` was adopted. */
  public readonly bucket?: VersionedBucket;
  /** The cluster the platform protects and wires: its own or the adopted one. */
  public readonly cluster: rds.IDatabaseCluster;
  /** The table the platform protects and wires: its own or the adopted one. */
  public readonly dataTable: dynamodb.ITable;
  /** The bucket the platform protects and wires: its own or the adopted one. */
  public readonly dataBucket: s3.IBucket;
  /** The backup plan that protects the database, table and bucket. */
  public readonly backup: HourlyBackup;
  /** The alarms and dashboard. */
  public readonly alarms: DrAlarms;
  /** The topic every alarm and backup notification goes to. */
  public readonly alarmTopic: sns.ITopic;
  /** The key for platform-level logs and the functions. */
  public readonly encryptionKey: kms.IKey;
  /** The recovery time objective. */
  public readonly rto: Duration;
  /** The live measurement of each store's recovery point age and effective RPO. */
  public readonly recoveryPoints: RecoveryPointMonitor;
  /** The restore drills, unless `restoreDrills` is `RestoreDrills.disabled()`. */
  public readonly restoreDrill?: RestoreDrill;
  /** The Backup Audit Manager framework and reports, with `auditEvidence`. */
  public readonly auditEvidence?: BackupAuditEvidence;

  private readonly environmentSuffix: string;
  private readonly removalPolicy?: RemovalPolicy;
  private readonly platformFunctions: VpcLambda[] = [];
  private readonly clusterConnection: ClusterConnectionOptions;
  private readonly existingTableProtection?: TableProtectionOptions;
  private readonly existingBucketProtection?: BucketProtectionOptions;

  constructor(scope: Construct, id: string, props: SingleRegionDrPlatformProps) {
    super(scope, id);
    validateNamePart(this, 'environmentSuffix', props.environmentSuffix);
    if (props.nameQualifier !== undefined) {
      validateNamePart(this, 'nameQualifier', props.nameQualifier);
    }
    // Every child derives its names from this: the suffix, then the qualifier.
    const suffix = props.nameQualifier !== undefined ? `${props.environmentSuffix}-${props.nameQualifier}` : props.environmentSuffix;
    validateEnvironmentSuffix(this, suffix, singleRegionPlatformDerivedNames);
    if (props.environmentTag !== undefined) validateTagValue(this, 'environmentTag', props.environmentTag);
    this.environmentSuffix = suffix;
    this.removalPolicy = props.removalPolicy;
    this.existingTableProtection = props.existingTableProtection;
    this.existingBucketProtection = props.existingBucketProtection;
    this.rto = props.rto ?? Duration.hours(4);
    validateDuration(this, 'rto', this.rto, {
      unit: 'minutes', min: 15, max: 72 * 60, tokens: false, tokenReason: 'it is checked against the backup plan and written to tags and outputs at synth',
    });
    const names = platformNames(suffix);
    const removalPolicy = props.removalPolicy;
    // One warning for the platform: the children inside it stay silent.
    const destroy = isDestroy(this, removalPolicy, 'every store, recovery point, key, log and topic of the platform');

    this.encryptionKey = createDrKey(this, 'EncryptionKey', {
      alias: names.keyAlias,
      description: `Encrypts the DR platform's flow logs and functions (${suffix})`,
      destroy,
    });
    if (props.vpcCidr !== undefined) {
      if (props.vpc) {
        throw new DrValidationError(this, `\`vpcCidr\` applies only to the VPC the platform creates and cannot be combined with \`vpc\`, got: ${quote(props.vpcCidr)}`);
      }
      validateVpcCidr(this, 'vpcCidr', props.vpcCidr);
    }
    this.vpc = props.vpc ?? createDrVpc(this, {
      vpcName: names.vpc,
      flowLogsName: names.flowLogs,
      encryptionKey: this.encryptionKey,
      removalPolicy,
      cidr: props.vpcCidr,
    });
    // The endpoints functions need are created inside the platform, so they carry its tags.
    DrVpcEndpoints.setHome(this.vpc, this);

    // The platform owns what its children share: the topic every alarm and
    // backup notification goes to, handed down once.
    const { encryptionKey: alarmTopicKey, ...alarmOptions } = props.alarms ?? {};
    validateAlarmEmails(this, props.alarmEmails);
    this.alarmTopic = createAlarmTopic(this, 'AlarmTopic', {
      topicName: names.alarmTopic,
      displayName: `DR alarms (${suffix})`,
      keyAlias: names.alarmTopicKeyAlias,
      encryptionKey: alarmTopicKey,
      emails: props.alarmEmails,
      destroy,
    });

    refuseBoth(this, 'existingCluster', props.existingCluster, 'database', props.database);
    refuseBoth(this, 'existingTable', props.existingTable, 'table', props.table);
    refuseBoth(this, 'existingBucket', props.existingBucket, 'bucket', props.bucket);
    for (const [prop, value] of [['existingClusterConnection', props.existingClusterConnection], ['existingClusterEncryptionKey', props.existingClusterEncryptionKey]] as const) {
      if (value && !props.existingCluster) {
        throw new DrValidationError(this, `\`${prop}\` only applies with \`existingCluster\`, which is not given`);
      }
    }
    for (const [prop, value, owner] of [['existingTableProtection', props.existingTableProtection, props.existingTable],
      ['existingBucketProtection', props.existingBucketProtection, props.existingBucket]] as const) {
      if (value && !owner) {
        throw new DrValidationError(this, `\`${prop}\` only applies with \`${prop.replace('Protection', '')}\`, which is not given`);
      }
    }

    let clusterResource: ProtectedResource;
    if (props.existingCluster) {
      if (!props.existingClusterConnection) {
        throw new DrValidationError(this, '`existingClusterConnection` is required with `existingCluster`: give its `secret` or an `iamAuthenticationUser`');
      }
      this.cluster = props.existingCluster;
      this.clusterConnection = props.existingClusterConnection;
      clusterResource = ProtectedResource.fromDatabaseCluster(props.existingCluster, props.existingClusterEncryptionKey);
    } else {
      this.database = new EncryptedAurora(this, 'Database', { ...props.database, environmentSuffix: suffix, vpc: this.vpc, removalPolicy });
      this.cluster = this.database.cluster;
      this.clusterConnection = { secret: this.database.secret, databaseName: this.database.databaseName, port: this.database.port };
      clusterResource = ProtectedResource.fromEncryptedAurora(this.database);
    }
    let tableResource: ProtectedResource;
    if (props.existingTable) {
      this.dataTable = props.existingTable;
      tableResource = ProtectedResource.fromTable(props.existingTable, props.existingTableProtection);
    } else {
      this.table = new PitrTable(this, 'Table', { ...props.table, environmentSuffix: suffix, removalPolicy });
      this.dataTable = this.table.table;
      tableResource = ProtectedResource.fromPitrTable(this.table);
    }
    let bucketResource: ProtectedResource;
    if (props.existingBucket) {
      this.dataBucket = props.existingBucket;
      bucketResource = ProtectedResource.fromBucket(props.existingBucket, props.existingBucketProtection);
    } else {
      this.bucket = new VersionedBucket(this, 'Bucket', { ...props.bucket, environmentSuffix: suffix, removalPolicy });
      this.dataBucket = this.bucket.bucket;
      bucketResource = ProtectedResource.fromVersionedBucket(this.bucket);
    }
    this.validateMemoryThreshold(props.alarms?.thresholds?.databaseFreeableMemory);
    this.backup = new HourlyBackup(this, 'Backup', {
      ...props.backup,
      environmentSuffix: suffix,
      rpo: props.rpo,
      removalPolicy,
      alarmTopic: this.alarmTopic,
      resources: [clusterResource, tableResource, bucketResource],
    });
    this.alarms = new DrAlarms(this, 'Alarms', {
      ...alarmOptions,
      environmentSuffix: suffix,
      removalPolicy,
      alarmTopic: this.alarmTopic,
      backup: this.backup,
      database: this.cluster,
      table: this.dataTable,
    });

    // The RPO is HourlyBackup's, defaulted there and read back.
    const rpo = this.backup.rpo;

    const drillOptions = RestoreDrills._optionsOf(this, props.restoreDrills);
    if (drillOptions) {
      this.restoreDrill = new RestoreDrill(this, 'RestoreDrill', {
        ...drillOptions,
        environmentSuffix: suffix,
        vpc: this.vpc,
        vault: this.backup.vault,
        database: this.cluster,
        // The cluster's own port, where the platform knows it: a cluster made in the app reports it only at deploy.
        databasePort: drillOptions.databasePort ?? this.database?.port ?? props.existingClusterConnection?.port,
        databaseEncryptionKey: this.database?.encryptionKey ?? props.existingClusterEncryptionKey,
        table: this.dataTable,
        tableEncryptionKey: this.table?.encryptionKey ?? props.existingTableProtection?.encryptionKey,
        bucket: this.dataBucket,
        bucketEncryptionKey: this.bucket?.encryptionKey ?? props.existingBucketProtection?.encryptionKey,
        encryptionKey: this.encryptionKey,
        removalPolicy,
      });
    }
    this.recoveryPoints = new RecoveryPointMonitor(this, 'RecoveryPoints', {
      ...props.recoveryPointMonitor,
      environmentSuffix: suffix,
      rpo,
      // The longest a healthy hourly schedule lets a snapshot age.
      snapshotAgeBound: Duration.hours(1).plus(this.backup.completionWindow),
      restoreTestingPlanArn: this.restoreDrill?.plan.attrRestoreTestingPlanArn,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });
    // Stable names, whether the store is the platform's own or adopted: they name the alarms.
    this.recoveryPoints.addResource(clusterResource, 'database');
    this.recoveryPoints.addResource(tableResource, 'table');
    this.recoveryPoints.addResource(bucketResource, 'bucket');
    this.alarms.monitorRecoveryPoints(this.recoveryPoints);
    if (props.auditEvidence) {
      this.auditEvidence = new BackupAuditEvidence(this, 'AuditEvidence', {
        environmentSuffix: suffix,
        scopeTagKey: TAG_KEYS.environment,
        scopeTagValue: props.environmentTag ?? props.environmentSuffix,
        rpo,
        rto: this.rto,
        backupFrequency: Duration.hours(1),
        // Continuous recovery points are kept at most 35 days: requiring the
        // snapshot retention of them would report every one non-compliant.
        retention: this.backup.minimumRetention,
        reportBucket: this.dataBucket,
      });
    }
    if (this.restoreDrill) {
      this.alarms.monitorRestoreDrills(this.restoreDrill, { rto: this.rto, recoveryPointMonitor: this.recoveryPoints });
    }

    Tags.of(this).add(TAG_KEYS.environment, props.environmentTag ?? props.environmentSuffix);
    Tags.of(this).add(TAG_KEYS.role, props.drRoleTag ?? 'primary');
    Tags.of(this).add(TAG_KEYS.rpo, rpo.toIsoString());
    Tags.of(this).add(TAG_KEYS.rto, this.rto.toIsoString());

    this.addOutputs(rpo);
  }

  /** The functions added with `addFunction`. */
  public get functions(): VpcLambda[] {
    return [...this.platformFunctions];
  }

  /**
   * Adds a function in the platform's isolated subnets, wired to the
   * database, table and bucket (as `options` says), watched by the alarms,
   * and listed in the backup coverage as restored by redeploy.
   */
  public addFunction(id: string, options: PlatformFunctionOptions): VpcLambda {
    const name = options.name ?? namePartFromId(id);
    const same = this.platformFunctions.find((f) => f.name === name);
    if (same) {
      throw new DrValidationError(this,
        `\`${options.name !== undefined ? 'name' : 'id'}\` ${quote(options.name ?? id)} gives the function name ${quote(name)}, which the function ${quote(same.node.id)} already has: `
        + 'every function of the platform needs its own name (pass `name` to choose one)');
    }
    const fn = new VpcLambda(this, id, {
      ...options,
      environmentSuffix: this.environmentSuffix,
      vpc: this.vpc,
      encryptionKey: this.encryptionKey,
      removalPolicy: this.removalPolicy,
    });
    if (options.connectDatabase ?? true) {
      fn.connectCluster(this.cluster, this.clusterConnection);
    }
    fn.connectTable(this.dataTable, {
      access: options.tableAccess ?? DataAccess.READ_WRITE,
      encryptionKey: this.existingTableProtection?.encryptionKey,
    });
    fn.connectBucket(this.dataBucket, {
      access: options.bucketAccess ?? DataAccess.READ_WRITE,
      encryptionKey: this.existingBucketProtection?.encryptionKey ?? this.bucket?.encryptionKey,
    });
    this.alarms.monitorFunction(fn.function, { name: `fn-${fn.name}` });
    this.backup.addResource(ProtectedResource.fromFunction(fn.function));
    this.platformFunctions.push(fn);
    return fn;
  }

  /**
   * A freeable-memory threshold at or above the smallest instance's memory
   * would keep the alarm firing whenever Serverless v2 scales down. Each ACU
   * is about 2 GiB of memory (Aurora User Guide, Aurora Serverless v2).
   */
  private validateMemoryThreshold(threshold: Size | undefined): void {
    const minAcu = this.database?.serverlessV2MinCapacity;
    if (!threshold || threshold.isUnresolved() || minAcu === undefined || Token.isUnresolved(minAcu) || minAcu === 0) {
      return;
    }
    const smallest = Size.mebibytes(minAcu * 2048);
    if (threshold.toBytes() >= smallest.toBytes()) {
      throw new DrValidationError(this,
        `\`alarms.thresholds.databaseFreeableMemory\` must be below the memory of the smallest Serverless v2 instance (${minAcu} ACUs, about ${smallest.toMebibytes()} MiB), `
        + `or the alarm fires whenever the database scales down, got: ${threshold.toMebibytes({ rounding: SizeRoundingBehavior.NONE })} MiB`);
    }
  }

  private addOutputs(rpo: Duration): void {
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('VpcId', this.vpc.vpcId, 'VPC of the DR platform');
    // An adopted, imported cluster may not carry its endpoints: only what is known is output.
    const endpoint = tryGet(() => this.cluster.clusterEndpoint);
    const reader = tryGet(() => this.cluster.clusterReadEndpoint);
    if (endpoint) output('DatabaseEndpoint', endpoint.socketAddress, 'Aurora writer endpoint (host:port)');
    if (reader) output('DatabaseReaderEndpoint', reader.socketAddress, 'Aurora reader endpoint (host:port)');
    if (this.clusterConnection.secret) {
      output('DatabaseSecretArn', this.clusterConnection.secret.secretArn, 'Secret holding the Aurora credentials');
    }
    output('TableName', this.dataTable.tableName, 'DynamoDB table the platform protects');
    output('BucketName', this.dataBucket.bucketName, 'S3 bucket the platform protects');
    output('BackupVaultName', this.backup.vault.backupVaultName, 'AWS Backup vault');
    output('BackupPlanId', this.backup.plan.backupPlanId, 'AWS Backup plan');
    output('AlarmTopicArn', this.alarmTopic.topicArn, 'SNS topic every DR alarm notifies');
    output('DashboardName', this.alarms.dashboard.dashboardName, 'CloudWatch dashboard');
    output('RecoveryObjectives', `RPO ${rpo.toHumanString()}, RTO ${this.rto.toHumanString()}`, 'Recovery objectives of this deployment');
    output('FunctionNames', Lazy.string({ produce: () => this.platformFunctions.map((f) => f.functionName).join(',') || 'none' }),
      'Functions added to the platform');
  }
}

/** Refuses an `existingXxx` prop together with the options for creating one. */
function refuseBoth(scope: Construct, existingProp: string, existing: unknown, optionsProp: string, options: unknown): void {
  if (existing !== undefined && options !== undefined) {
    throw new DrValidationError(scope,
      `\`${existingProp}\` cannot be combined with \`${optionsProp}\`: \`${optionsProp}\` configures the store the platform creates, \`${existingProp}\` adopts yours instead. Give one of them`);
  }
}

/** The value, or undefined when aws-cdk-lib refuses to give it (an imported resource without that attribute). */
function tryGet<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}
