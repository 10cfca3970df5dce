import { CfnOutput, Duration, Lazy, RemovalPolicy, Size, SizeRoundingBehavior, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackupAuditEvidence } from '../backup-audit';
import { DrAlarms, DrAlarmsOptions } from '../dr-alarms';
import { HourlyBackup, HourlyBackupOptions } from '../hourly-backup';
import { singleRegionPlatformDerivedNames, validateEnvironmentSuffix } from '../names';
import { validateAlarmEmails } from '../private/alarm-topic';
import { validateDuration } from '../private/duration';
import { validateNamePart } from '../private/naming';
import { isDestroy } from '../private/removal';
import { TAG_KEYS, validateTagValue } from '../private/tags';
import { DrValidationError, quote } from '../private/validation';
import { validateVpcCidr } from '../private/vpc';
import { RecoveryPointMonitor, RecoveryPointMonitorOptions } from '../recovery-point-monitor';
import { RegionalBlock } from '../regional-block/regional-block';
import { RestoreDrill, RestoreDrills } from '../restore-drill';
import { BucketStore, DatabaseStore, PlatformBucket, PlatformDatabase, PlatformTable, TableStore } from '../stores/platform-stores';
import { ProtectedResource } from '../stores/protected-resource';
import { PlatformFunctionOptions, VpcLambda } from '../vpc-lambda';

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
   * The database: `PlatformDatabase.encryptedAurora(options)` for an
   * EncryptedAurora the platform creates, or `PlatformDatabase.fromCluster(cluster, { connection, encryptionKey })`
   * for a cluster the team already has (reachable from the platform's VPC).
   *
   * @default PlatformDatabase.encryptedAurora(): EncryptedAurora's defaults
   */
  readonly database?: PlatformDatabase;

  /**
   * The table: `PlatformTable.pitrTable(options)` for a PitrTable the
   * platform creates, or `PlatformTable.fromTable(table, protection)` for a
   * DynamoDB table the team already has.
   *
   * @default PlatformTable.pitrTable(): PitrTable's defaults
   */
  readonly table?: PlatformTable;

  /**
   * The bucket: `PlatformBucket.versionedBucket(options)` for a
   * VersionedBucket the platform creates, or `PlatformBucket.fromBucket(bucket, protection)`
   * for a versioned S3 bucket the team already has.
   *
   * @default PlatformBucket.versionedBucket(): VersionedBucket's defaults
   */
  readonly bucket?: PlatformBucket;

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
 *   code: lambda.Code.fromAsset('dist/processor'), handler: 'index.handler', runtime: HandlerRuntime.newestNodejs(this),
 * });
 */
export class SingleRegionDrPlatform extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The database: its cluster, connection, key and handle, and the EncryptedAurora when the platform created it. */
  public readonly database: DatabaseStore;
  /** The table: the table, its key and handle, and the PitrTable when the platform created it. */
  public readonly table: TableStore;
  /** The bucket: the bucket, its key and handle, and the VersionedBucket when the platform created it. */
  public readonly bucket: BucketStore;
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

  private readonly block: RegionalBlock;

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
    this.rto = props.rto ?? Duration.hours(4);
    validateDuration(this, 'rto', this.rto, {
      unit: 'minutes', min: 15, max: 72 * 60, tokens: false, tokenReason: 'it is checked against the backup plan and written to tags and outputs at synth',
    });
    const removalPolicy = props.removalPolicy;
    // One warning for the platform: the children inside it stay silent.
    const destroy = isDestroy(this, removalPolicy, 'every store, recovery point, key, log and topic of the platform');

    if (props.vpcCidr !== undefined) {
      if (props.vpc) {
        throw new DrValidationError(this, `\`vpcCidr\` applies only to the VPC the platform creates and cannot be combined with \`vpc\`, got: ${quote(props.vpcCidr)}`);
      }
      validateVpcCidr(this, 'vpcCidr', props.vpcCidr);
    }
    const network = RegionalBlock.createNetwork(this, {
      environmentSuffix: suffix,
      keyDescription: `Encrypts the DR platform's flow logs and functions (${suffix})`,
      destroy,
      removalPolicy,
      vpc: props.vpc,
      vpcCidr: props.vpcCidr,
    });
    this.encryptionKey = network.encryptionKey;
    this.vpc = network.vpc;

    // The platform owns what its children share: the topic every alarm and
    // backup notification goes to, handed down once.
    validateAlarmEmails(this, props.alarmEmails);
    this.alarmTopic = RegionalBlock.createTopic(this, {
      environmentSuffix: suffix,
      displayName: `DR alarms (${suffix})`,
      encryptionKey: props.alarms?.encryptionKey,
      emails: props.alarmEmails,
      destroy,
    });

    const context = { environmentSuffix: suffix, removalPolicy, vpc: this.vpc };
    this.database = PlatformDatabase._bind(this, props.database, context);
    this.table = PlatformTable._bind(this, props.table, context);
    this.bucket = PlatformBucket._bind(this, props.bucket, context);
    this.validateMemoryThreshold(props.alarms?.thresholds?.databaseFreeableMemory);
    this.backup = new HourlyBackup(this, 'Backup', {
      ...props.backup,
      environmentSuffix: suffix,
      // The recovery points carry the resources' Environment tag: the audit controls are scoped to it.
      environmentTag: props.environmentTag,
      rpo: props.rpo,
      removalPolicy,
      alarmTopic: this.alarmTopic,
      resources: [this.database.resource, this.table.resource, this.bucket.resource],
    });
    this.alarms = RegionalBlock.createAlarms(this, {
      ...props.alarms,
      environmentSuffix: suffix,
      removalPolicy,
      alarmTopic: this.alarmTopic,
      backup: this.backup,
      database: this.database.cluster,
      table: this.table.table,
    });
    this.block = new RegionalBlock({
      ...network,
      alarmTopic: this.alarmTopic,
      alarms: this.alarms,
      environmentSuffix: suffix,
      removalPolicy,
      owner: this,
      functionScope: this,
      endpointsHome: this,
      stores: { database: this.database.resource, table: this.table.resource, bucket: this.bucket.resource },
      // Functions hold no data: listed in the coverage as restored by redeploy.
      onFunction: (fn) => this.backup.addResource(ProtectedResource.fromFunction(fn.function)),
    });

    // The RPO is HourlyBackup's, defaulted there and read back.
    const rpo = this.backup.rpo;

    const drillOptions = RestoreDrills._optionsOf(this, props.restoreDrills);
    if (drillOptions) {
      this.restoreDrill = new RestoreDrill(this, 'RestoreDrill', {
        ...drillOptions,
        // No continuous backup in the plan, no continuous point to drill.
        continuousRecoveryPoints: drillOptions.continuousRecoveryPoints ?? this.backup.continuousBackup,
        environmentSuffix: suffix,
        vpc: this.vpc,
        vault: this.backup.vault,
        database: this.database.resource,
        table: this.table.resource,
        bucket: this.bucket.resource,
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
      drillPlans: this.restoreDrill?.drillPlans,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });
    // Stable names, whether the store is the platform's own or adopted: they name the alarms.
    this.recoveryPoints.addResource(this.database.resource, 'database');
    this.recoveryPoints.addResource(this.table.resource, 'table');
    this.recoveryPoints.addResource(this.bucket.resource, 'bucket');
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
        reportBucket: this.bucket.bucket,
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
    return this.block.functions;
  }

  /**
   * Adds a function in the platform's isolated subnets, wired to the
   * database, table and bucket (as `options` says), watched by the alarms,
   * and listed in the backup coverage as restored by redeploy.
   */
  public addFunction(id: string, options: PlatformFunctionOptions): VpcLambda {
    return this.block.addFunction(id, options);
  }

  /**
   * A freeable-memory threshold at or above the smallest instance's memory
   * would keep the alarm firing whenever Serverless v2 scales down. Each ACU
   * is about 2 GiB of memory (Aurora User Guide, Aurora Serverless v2).
   */
  private validateMemoryThreshold(threshold: Size | undefined): void {
    const minAcu = this.database.encryptedAurora?.serverlessV2MinCapacity;
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
    const endpoint = tryGet(() => this.database.cluster.clusterEndpoint);
    const reader = tryGet(() => this.database.cluster.clusterReadEndpoint);
    if (endpoint) output('DatabaseEndpoint', endpoint.socketAddress, 'Aurora writer endpoint (host:port)');
    if (reader) output('DatabaseReaderEndpoint', reader.socketAddress, 'Aurora reader endpoint (host:port)');
    if (this.database.connection.secret) {
      output('DatabaseSecretArn', this.database.connection.secret.secretArn, 'Secret holding the Aurora credentials');
    }
    output('TableName', this.table.table.tableName, 'DynamoDB table the platform protects');
    output('BucketName', this.bucket.bucket.bucketName, 'S3 bucket the platform protects');
    output('BackupVaultName', this.backup.vault.backupVaultName, 'AWS Backup vault');
    output('BackupPlanId', this.backup.plan.backupPlanId, 'AWS Backup plan');
    output('AlarmTopicArn', this.alarmTopic.topicArn, 'SNS topic every DR alarm notifies');
    output('DashboardName', this.alarms.dashboard.dashboardName, 'CloudWatch dashboard');
    output('RecoveryObjectives', `RPO ${rpo.toHumanString()}, RTO ${this.rto.toHumanString()}`, 'Recovery objectives of this deployment');
    output('FunctionNames', Lazy.string({ produce: () => this.block.functions.map((f) => f.functionName).join(',') || 'none' }),
      'Functions added to the platform');
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
