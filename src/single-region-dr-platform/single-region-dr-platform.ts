import { CfnOutput, Duration, Lazy, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackupAuditEvidence } from '../backup-audit';
import { DrAlarms, DrAlarmsOptions } from '../dr-alarms';
import { EncryptedAurora, EncryptedAuroraOptions } from '../encrypted-aurora';
import { HourlyBackup, HourlyBackupOptions, ProtectedResource } from '../hourly-backup';
import { PitrTable, PitrTableOptions } from '../pitr-table';
import { createAlarmTopic } from '../private/alarm-topic';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { DerivedName, NAME_LIMITS, physicalName, validateEnvironmentSuffix } from '../private/naming';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { TAG_KEYS } from '../private/tags';
import { DrValidationError } from '../private/validation';
import { DrVpcEndpoints } from '../private/vpc-endpoints';
import { RecoveryPointMonitor, RecoveryPointMonitorOptions } from '../recovery-point-monitor';
import { RestoreDrill, RestoreDrillOptions } from '../restore-drill';
import { VersionedBucket, VersionedBucketOptions } from '../versioned-bucket';
import { DataAccess, VpcLambda, VpcLambdaFunctionOptions } from '../vpc-lambda';

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
   * Whether to run restore drills: AWS Backup restore testing of the
   * database, table and bucket, validated, with the RTO measured. Each drill
   * restores copies that are billed while they exist (see the README).
   *
   * @default true
   */
  readonly restoreDrills?: boolean;

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
   * Passed through to RestoreDrill.
   *
   * @default - RestoreDrill's defaults: weekly, 4 hour validation window
   */
  readonly restoreDrill?: RestoreDrillOptions;

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
   * Passed through to PitrTable.
   *
   * @default - PitrTable's defaults
   */
  readonly table?: PitrTableOptions;

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
  /** The Aurora PostgreSQL cluster. */
  public readonly database: EncryptedAurora;
  /** The DynamoDB table. */
  public readonly table: PitrTable;
  /** The S3 bucket. */
  public readonly bucket: VersionedBucket;
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
  /** The restore drills, unless `restoreDrills` is false. */
  public readonly restoreDrill?: RestoreDrill;
  /** The Backup Audit Manager framework and reports, with `auditEvidence`. */
  public readonly auditEvidence?: BackupAuditEvidence;

  private readonly environmentSuffix: string;
  private readonly removalPolicy?: RemovalPolicy;
  private readonly platformFunctions: VpcLambda[] = [];

  constructor(scope: Construct, id: string, props: SingleRegionDrPlatformProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, derivedNames);
    const names = platformNames(props.environmentSuffix);
    this.environmentSuffix = props.environmentSuffix;
    this.removalPolicy = props.removalPolicy;
    this.rto = props.rto ?? Duration.hours(4);
    if (!this.rto.isUnresolved() && (this.rto.toMinutes() < 15 || this.rto.toHours({ integral: false }) > 72)) {
      throw new DrValidationError(this, `\`rto\` must be from 15 minutes to 72 hours, got: ${this.rto.toHumanString()}`);
    }
    const suffix = props.environmentSuffix;
    const removalPolicy = props.removalPolicy;
    // One warning for the platform: the children inside it stay silent.
    const destroy = isDestroy(this, removalPolicy, 'every store, recovery point, key, log and topic of the platform');

    this.encryptionKey = createDrKey(this, 'EncryptionKey', {
      alias: names.keyAlias,
      description: `Encrypts the DR platform's flow logs and functions (${suffix})`,
      destroy,
    });
    this.vpc = props.vpc ?? this.createVpc(names, removalPolicy);
    // The endpoints functions need are created inside the platform, so they carry its tags.
    DrVpcEndpoints.setHome(this.vpc, this);

    // The platform owns what its children share: the topic every alarm and
    // backup notification goes to, handed down once.
    const { encryptionKey: alarmTopicKey, ...alarmOptions } = props.alarms ?? {};
    this.alarmTopic = createAlarmTopic(this, 'AlarmTopic', {
      topicName: names.alarmTopic,
      displayName: `DR alarms (${suffix})`,
      keyAlias: names.alarmTopicKeyAlias,
      encryptionKey: alarmTopicKey,
      emails: props.alarmEmails,
      destroy,
    });

    this.database = new EncryptedAurora(this, 'Database', { ...props.database, environmentSuffix: suffix, vpc: this.vpc, removalPolicy });
    this.table = new PitrTable(this, 'Table', { ...props.table, environmentSuffix: suffix, removalPolicy });
    this.bucket = new VersionedBucket(this, 'Bucket', { ...props.bucket, environmentSuffix: suffix, removalPolicy });
    this.backup = new HourlyBackup(this, 'Backup', {
      ...props.backup,
      environmentSuffix: suffix,
      rpo: props.rpo,
      removalPolicy,
      alarmTopic: this.alarmTopic,
      resources: [
        ProtectedResource.fromEncryptedAurora(this.database),
        ProtectedResource.fromPitrTable(this.table),
        ProtectedResource.fromVersionedBucket(this.bucket),
      ],
    });
    this.alarms = new DrAlarms(this, 'Alarms', {
      ...alarmOptions,
      environmentSuffix: suffix,
      removalPolicy,
      alarmTopic: this.alarmTopic,
      backup: this.backup,
      database: this.database.cluster,
      table: this.table.table,
    });

    // The RPO is HourlyBackup's, defaulted there and read back.
    const rpo = this.backup.rpo;

    if (props.restoreDrills ?? true) {
      this.restoreDrill = new RestoreDrill(this, 'RestoreDrill', {
        ...props.restoreDrill,
        environmentSuffix: suffix,
        vpc: this.vpc,
        vault: this.backup.vault,
        database: this.database.cluster,
        databaseEncryptionKey: this.database.encryptionKey,
        table: this.table.table,
        tableEncryptionKey: this.table.encryptionKey,
        bucket: this.bucket.bucket,
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
      resources: [
        ProtectedResource.fromEncryptedAurora(this.database),
        ProtectedResource.fromPitrTable(this.table),
        ProtectedResource.fromVersionedBucket(this.bucket),
      ],
      restoreTestingPlanArn: this.restoreDrill?.plan.attrRestoreTestingPlanArn,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });
    this.alarms.monitorRecoveryPoints(this.recoveryPoints);
    if (props.auditEvidence) {
      this.auditEvidence = new BackupAuditEvidence(this, 'AuditEvidence', {
        environmentSuffix: suffix,
        scopeTagKey: TAG_KEYS.environment,
        scopeTagValue: props.environmentTag ?? suffix,
        rpo,
        rto: this.rto,
        backupFrequency: Duration.hours(1),
        retention: this.backup.retention,
        reportBucket: this.bucket.bucket,
      });
    }
    if (this.restoreDrill) {
      this.alarms.monitorRestoreDrills(this.restoreDrill, { rto: this.rto, recoveryPointMonitor: this.recoveryPoints });
    }

    Tags.of(this).add(TAG_KEYS.environment, props.environmentTag ?? suffix);
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
    const fn = new VpcLambda(this, id, {
      ...options,
      environmentSuffix: this.environmentSuffix,
      vpc: this.vpc,
      encryptionKey: this.encryptionKey,
      removalPolicy: this.removalPolicy,
    });
    if (options.connectDatabase ?? true) {
      fn.connectDatabase(this.database);
    }
    fn.connectTable(this.table.table, { access: options.tableAccess ?? DataAccess.READ_WRITE });
    fn.connectBucket(this.bucket.bucket, { access: options.bucketAccess ?? DataAccess.READ_WRITE });
    this.alarms.monitorFunction(fn.function, { name: `fn-${fn.name}` });
    this.backup.addResource(ProtectedResource.fromFunction(fn.function));
    this.platformFunctions.push(fn);
    return fn;
  }

  private createVpc(names: PlatformNames, removalPolicy: RemovalPolicy | undefined): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: names.vpc,
      maxAzs: 3,
      natGateways: 0,
      subnetConfiguration: [
        // For internet-facing load balancers; nothing of the platform runs here.
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
      restrictDefaultSecurityGroup: false,
    });
    const flowLogs = createEncryptedLogGroup(this, 'FlowLogs', {
      logGroupName: names.flowLogs,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      removalPolicy: retainUnlessDestroy(removalPolicy),
    });
    const flowLogRole = new ManagedPolicyRole(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: `Delivers the flow logs of ${names.vpc}`,
    });
    vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, flowLogRole) });

    const reason = 'The public subnets exist for internet-facing load balancers a workload may add; the platform places nothing in them and they assign no public IPs.';
    for (const subnet of vpc.publicSubnets) {
      acknowledgeFinding(subnet, 'VPCNoUnrestrictedRouteToIGW', COMPLIANCE_PACKS, reason);
    }
    acknowledgeFinding(vpc, 'VPCDefaultSecurityGroupClosed', COMPLIANCE_PACKS,
      'Nothing uses the default security group: every resource of the platform has its own. Closing it would take a custom-resource Lambda at deploy time.');
    return vpc;
  }

  private addOutputs(rpo: Duration): void {
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('VpcId', this.vpc.vpcId, 'VPC of the DR platform');
    output('DatabaseEndpoint', this.database.clusterEndpoint.socketAddress, 'Aurora writer endpoint (host:port)');
    output('DatabaseReaderEndpoint', this.database.clusterReadEndpoint.socketAddress, 'Aurora reader endpoint (host:port)');
    output('DatabaseSecretArn', this.database.secret.secretArn, 'Secret holding the Aurora master credentials (rotated by RDS)');
    output('TableName', this.table.tableName, 'DynamoDB table with point-in-time recovery');
    output('BucketName', this.bucket.bucketName, 'Versioned S3 bucket');
    output('BackupVaultName', this.backup.vault.backupVaultName, 'AWS Backup vault');
    output('BackupPlanId', this.backup.plan.backupPlanId, 'AWS Backup plan');
    output('AlarmTopicArn', this.alarmTopic.topicArn, 'SNS topic every DR alarm notifies');
    output('DashboardName', this.alarms.dashboard.dashboardName, 'CloudWatch dashboard');
    output('RecoveryObjectives', `RPO ${rpo.toHumanString()}, RTO ${this.rto.toHumanString()}`, 'Recovery objectives of this deployment');
    output('FunctionNames', Lazy.string({ produce: () => this.platformFunctions.map((f) => f.functionName).join(',') || 'none' }),
      'Functions added to the platform');
  }
}

/** Every physical name the platform itself derives, in one place; each child derives its own. */
interface PlatformNames {
  readonly vpc: string;
  readonly keyAlias: string;
  readonly flowLogs: string;
  readonly alarmTopic: string;
  readonly alarmTopicKeyAlias: string;
}

function platformNames(suffix: string): PlatformNames {
  return {
    vpc: physicalName('dr-vpc', suffix),
    keyAlias: `alias/${physicalName('dr-platform', suffix)}`,
    flowLogs: `/dr/${suffix}/vpc-flow-logs`,
    alarmTopic: physicalName('dr-alarms', suffix),
    alarmTopicKeyAlias: `alias/${physicalName('dr-alarms', suffix)}`,
  };
}

/** The names the platform itself derives; each child checks its own. */
function derivedNames(suffix: string): DerivedName[] {
  const n = platformNames(suffix);
  return [
    { resource: 'VPC name', name: n.vpc, maxLength: 255 },
    { resource: 'KMS alias', name: n.keyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'log group', name: n.flowLogs, maxLength: NAME_LIMITS.logGroup },
    { resource: 'SNS topic', name: n.alarmTopic, maxLength: NAME_LIMITS.snsTopic },
    { resource: 'KMS alias', name: n.alarmTopicKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
  ];
}
