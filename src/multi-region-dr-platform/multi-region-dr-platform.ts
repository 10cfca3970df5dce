import { CfnOutput, Duration, Environment, Fn, Lazy, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { refusePlatformOwnedOptions } from './platform-owned-options';
import { consumeStrongReferencesByDefault } from './reference-strength';
import {
  backupCopyLine, functionLine, promotedRegionBackupLine, RegionLossLine, regionLossSummary, regionRpoShortfall,
  replicatedBucketLine, replicatedStoreLine, s3RegionRpoShortfall,
} from './region-loss';
import { AuroraGlobalSecondary } from '../aurora-global-secondary';
import { DrAlarms, DrAlarmsOptions } from '../dr-alarms';
import { BackupVaultPurpose, DrBackupVault } from '../dr-backup-vault';
import { EncryptedAuroraOptions } from '../encrypted-aurora';
import { EventForwarding } from '../event-forwarding';
import { FailoverRouting, RoutingPolicy } from '../failover-routing';
import { GlobalPitrTable, GlobalPitrTableOptions } from '../global-pitr-table';
import { HourlyBackupOptions, ProtectedResourceType } from '../hourly-backup';
import { validateCopyRetention } from '../hourly-backup/copies';
import {
  auroraNames, backupVaultArn, copyVaultKeyAlias, copyVaultName, multiRegionNames, multiRegionPlatformDerivedNames, parameterName,
  platformNames, regionHealthNames, STACK_ROLES, stackName, validateEnvironmentSuffix, validateMultiRegionStackNames, versionedBucketName,
} from '../names';
import { createAlarmTopic, validateAlarmEmails } from '../private/alarm-topic';
import { overlaps } from '../private/cidr';
import { describeDuration, validateDuration } from '../private/duration';
import { hostedZoneName } from '../private/hosted-zone';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { namePartFromId, validateNamePart } from '../private/naming';
import { defaultAuroraPostgresVersion } from '../private/rds';
import { createDrKey, isDestroy } from '../private/removal';
import { TAG_KEYS } from '../private/tags';
import { DrValidationError, quote } from '../private/validation';
import { createDrVpc, DEFAULT_VPC_CIDR, validateVpcCidr } from '../private/vpc';
import { DrVpcEndpoints } from '../private/vpc-endpoints';
import { RegionHealthCheck } from '../region-health-check';
import { RegionPeering, RegionPeeringRoutes } from '../region-peering';
import { RestoreDrills } from '../restore-drill';
import { PlatformFunctionOptions, SingleRegionDrPlatform } from '../single-region-dr-platform';
import { VersionedBucket, VersionedBucketOptions } from '../versioned-bucket';
import { DataAccess, VpcLambda } from '../vpc-lambda';

/** The foundation's output with the secondary VPC's id, read by the primary for peering. */
const SECONDARY_VPC_ID_OUTPUT = 'SecondaryVpcId';

/** The secondary VPC's block when none is given: next to the primary's default, so the two can be peered. */
const DEFAULT_SECONDARY_VPC_CIDR = '10.1.0.0/16';

/**
 * How much data one resource can lose if the primary region is lost, and
 * whether that is held to `regionRpo`.
 */
export interface ResourceRegionLoss {
  /** The resource, by name. */
  readonly name: string;
  /** Its kind: Aurora, DynamoDB, S3, AWS Backup copy, AWS Backup plan or Lambda. */
  readonly resourceType: string;
  /** How its data reaches the secondary region, in words. */
  readonly mechanism: string;
  /**
   * The most data, in time, it can lose with the primary region.
   *
   * @default - none: it holds no data, or the loss is unknown (see `unknownReason`)
   */
  readonly worstCaseDataLoss?: Duration;
  /**
   * Why the loss cannot be known from the app.
   *
   * @default - the loss is known
   */
  readonly unknownReason?: string;
  /**
   * Whether `regionRpo` is checked against a bound over all its data. Aurora,
   * DynamoDB and S3 have none (lag alarmed; RTC bounds 99.99 % of objects, see
   * `unknownReason`); a backup copy is the path for corruption, not region loss.
   */
  readonly heldToRegionRpo: boolean;
}

/**
 * The secondary region's Aurora cluster: a warm standby that joins the
 * primary's global database.
 */
export interface SecondaryDatabaseOptions {
  /**
   * The engine version, stated for review: it must be the primary's
   * (`database.engineVersion`). Aurora switches over and fails over only
   * between clusters of the same major and minor version.
   *
   * @default - the primary's
   */
  readonly engineVersion?: rds.AuroraPostgresEngineVersion;

  /**
   * How many instances the secondary cluster runs (at least 1: a secondary
   * with none cannot be promoted quickly).
   *
   * @default 1
   */
  readonly instances?: number;

  /**
   * The instance class of the secondary's instances: memory-optimized
   * (db.r5 and newer); burstable classes cannot join a global database.
   *
   * @default - Aurora Serverless v2, like the primary
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Serverless v2 minimum capacity in ACUs.
   *
   * @default - the primary's
   */
  readonly serverlessV2MinCapacity?: number;

  /**
   * Serverless v2 maximum capacity in ACUs.
   *
   * @default - the primary's
   */
  readonly serverlessV2MaxCapacity?: number;
}

/**
 * Route 53 routing of the workload's name between the two regions, driven
 * by each region's health.
 */
export interface MultiRegionRoutingOptions {
  /**
   * The hosted zone the records go in. Import it by id and name
   * (`HostedZone.fromHostedZoneAttributes`): a zone defined in a stack of
   * the app would be a reference into the routing stack, which the platform
   * does not make.
   */
  readonly hostedZone: route53.IHostedZone;

  /** The workload's name in the zone, for example `payments`. */
  readonly recordName: string;

  /** The primary region's endpoint of the workload (the CNAME target there). */
  readonly primaryDomainName: string;

  /** The secondary region's endpoint of the workload. */
  readonly secondaryDomainName: string;

  /**
   * Failover records, or weighted records.
   *
   * @default RoutingPolicy.FAILOVER
   */
  readonly routingPolicy?: RoutingPolicy;

  /**
   * The primary record's weight, with `RoutingPolicy.WEIGHTED` only.
   *
   * @default 100
   */
  readonly primaryWeight?: number;

  /**
   * The secondary record's weight, with `RoutingPolicy.WEIGHTED` only.
   *
   * @default 0
   */
  readonly secondaryWeight?: number;

  /**
   * The records' TTL.
   *
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;

  /**
   * How many one-minute probes in a row must fail before a region's health
   * alarm fires (RegionHealthCheck's `evaluationPeriods`).
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;
}

/**
 * Properties for MultiRegionDrPlatform.
 */
export interface MultiRegionDrPlatformProps {
  /**
   * Suffix carried by every name the platform derives, in both regions, for
   * example `prod`. Lowercase letters, digits and hyphens, starting with a letter.
   */
  readonly environmentSuffix: string;

  /**
   * A qualifier added to every physical name, as on SingleRegionDrPlatform:
   * names become `{type}-{environmentSuffix}-{nameQualifier}`.
   *
   * @default - names carry the environment suffix alone
   */
  readonly nameQualifier?: string;

  /**
   * The primary region's account and region, both concrete: the stacks of
   * each region are synthesized for their environment.
   */
  readonly primary: Environment;

  /**
   * The secondary region's account and region: the same account as
   * `primary`, another region of the same partition.
   */
  readonly secondary: Environment;

  /**
   * Email addresses subscribed to the alarm topic of each region.
   *
   * @default - none
   */
  readonly alarmEmails?: string[];

  /**
   * What happens to every store, key, vault and log in both regions when the
   * stacks are deleted. `DESTROY` deletes both regions with no manual step.
   *
   * @default - data is kept: RETAIN (Aurora: SNAPSHOT), deletion protection on
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The recovery point objective within the primary region (AZ loss, logical
   * corruption), which its HourlyBackup holds every resource to.
   *
   * @default - HourlyBackup's default, 1 hour
   */
  readonly rpo?: Duration;

  /**
   * The most data, in time, the workload may lose if the primary region is
   * lost. Every resource's region-loss coverage is checked against it at
   * synth, and the replication alarms' thresholds are derived from it.
   *
   * @default Duration.minutes(15)
   */
  readonly regionRpo?: Duration;

  /**
   * The recovery time objective, as on SingleRegionDrPlatform.
   *
   * @default Duration.hours(4)
   */
  readonly rto?: Duration;

  /**
   * The restore drills in the primary region, passed through to SingleRegionDrPlatform.
   * @default RestoreDrills.enabled(): RestoreDrill's defaults
   */
  readonly restoreDrills?: RestoreDrills;

  /**
   * The primary's Aurora cluster, passed through to EncryptedAurora. The
   * global database is the platform's: `globalSecondaryRegions` is refused here.
   *
   * @default - EncryptedAurora's defaults
   */
  readonly database?: EncryptedAuroraOptions;

  /**
   * The secondary region's Aurora cluster.
   *
   * @default - one instance, sized like the primary's
   */
  readonly secondaryDatabase?: SecondaryDatabaseOptions;

  /**
   * The table, passed through to GlobalPitrTable (a replica in the
   * secondary region).
   *
   * @default - GlobalPitrTable's defaults
   */
  readonly table?: GlobalPitrTableOptions;

  /**
   * The primary's bucket and the replica bucket in the secondary region,
   * built with the same options. Replication is the platform's: `replication`
   * is refused here, and so are `encryptionKey` and `serverAccessLogsBucket`,
   * which belong to one region (each bucket gets its own region's).
   *
   * @default - VersionedBucket's defaults
   */
  readonly bucket?: VersionedBucketOptions;

  /**
   * The primary's backup plan, passed through to HourlyBackup. The platform
   * adds a copy of every snapshot to the copy vault in the secondary region
   * (its retention: `copyRetention`); `copyTo` adds more destinations.
   *
   * @default - HourlyBackup's defaults
   */
  readonly backup?: HourlyBackupOptions;

  /**
   * How long snapshot copies are kept in the secondary region's copy vault.
   *
   * @default - the snapshot retention of `backup`
   */
  readonly copyRetention?: Duration;

  /**
   * The alarms of both regions, passed through to DrAlarms.
   *
   * @default - DrAlarms's defaults
   */
  readonly alarms?: DrAlarmsOptions;

  /**
   * Route 53 health checks on each region's health and failover (or
   * weighted) records for the workload's name, in a fourth stack. Each
   * region gets a RegionHealthCheck probing its database, table and bucket.
   *
   * @default - no routing: clients are moved some other way
   */
  readonly routing?: MultiRegionRoutingOptions;

  /**
   * Whether to peer the two VPCs (inter-region VPC peering, with routes for
   * the other VPC's block in the isolated subnets of both), for workloads
   * that must call across regions privately. Security groups must still
   * admit the other block. The warm standby does not need it.
   *
   * @default false
   */
  readonly peering?: boolean;

  /**
   * Whether to give each region an event bus `dr-events-{suffix}` that
   * forwards the workload's events to the other region's, so an event
   * written during a failover is not lost. Functions get `EVENT_BUS_NAME`
   * and may put events on their region's bus.
   *
   * @default false
   */
  readonly eventForwarding?: boolean;

  /**
   * The primary VPC's IPv4 block (/16 to /20).
   *
   * @default '10.0.0.0/16'
   */
  readonly primaryVpcCidr?: string;

  /**
   * The secondary VPC's IPv4 block (/16 to /20).
   *
   * @default '10.1.0.0/16'
   */
  readonly secondaryVpcCidr?: string;
}

/**
 * A function for `addFunction`: SingleRegionDrPlatform's options, and the
 * code for the secondary region when `code` cannot serve both.
 */
export interface MultiRegionFunctionOptions extends PlatformFunctionOptions {
  /**
   * The code of the secondary region's function.
   *
   * @default - `code`: inline code as it is, an asset staged again for the secondary stack; required for code that lives in one region (an S3 object, an ECR image)
   */
  readonly secondaryCode?: lambda.Code;
}

/**
 * The functions `addFunction` deployed, one in each region.
 */
export interface MultiRegionFunction {
  /** The function in the primary region. */
  readonly primary: VpcLambda;
  /** The same function in the secondary region. */
  readonly secondary: VpcLambda;
}

/**
 * Disaster recovery for a workload across two regions of one account: the
 * SingleRegionDrPlatform in the primary region, a warm standby in the
 * secondary region, and data replicated between them. Place it in an `App`
 * or a `Stage`: it creates one stack per region and role, in deploy order,
 * each named `{id}-{suffix}-{role}`:
 *
 * 1. `secondary-foundation` (secondary region): the secondary region's keys,
 *    VPC and replica bucket, which the primary needs to exist first.
 * 2. `primary` (primary region): the SingleRegionDrPlatform.
 * 3. `secondary` (secondary region): the secondary's functions, parameters,
 *    alarms and dashboard.
 *
 * 4. `routing` (secondary region, with the `routing` option): Route 53
 *    health checks and records, once both regions' health alarms exist.
 *
 * `{suffix}` is `environmentSuffix`, or `environmentSuffix-nameQualifier`.
 * Stack names do not carry a Stage's name: platforms in two stages of one
 * account need their own suffixes, as their physical names do anyway.
 *
 * No value crosses regions as a CloudFormation reference: each side derives
 * the other's names from the suffix (the VPC id of `peering` is the one
 * exception, read with a weak `Fn::GetStackOutput`).
 *
 * @example
 * const dr = new MultiRegionDrPlatform(app, 'Payments', {
 *   environmentSuffix: 'prod',
 *   primary: { account: '111111111111', region: 'us-east-1' },
 *   secondary: { account: '111111111111', region: 'us-west-2' },
 *   alarmEmails: ['oncall@example.com'],
 * });
 * dr.addFunction('Processor', {
 *   code: lambda.Code.fromAsset('dist/processor'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X,
 * });
 */
export class MultiRegionDrPlatform extends Construct {
  /** The secondary region's foundation stack, deployed first. */
  public readonly secondaryFoundationStack: Stack;
  /** The primary region's stack. */
  public readonly primaryStack: Stack;
  /** The secondary region's stack. */
  public readonly secondaryStack: Stack;
  /** The primary region. */
  public readonly primaryRegion: string;
  /** The secondary region. */
  public readonly secondaryRegion: string;
  /** The platform in the primary region. */
  public readonly primary: SingleRegionDrPlatform;
  /** The secondary region's VPC. */
  public readonly secondaryVpc: ec2.Vpc;
  /** The secondary region's key for flow logs and functions (`alias/dr-platform-{s}` there). */
  public readonly secondaryEncryptionKey: kms.IKey;
  /** The secondary region's Aurora key (`alias/dr-aurora-{s}` there): the secondary cluster and the replicated secret. */
  public readonly secondaryDatabaseKey: kms.IKey;
  /** The secondary region's table key (`alias/dr-table-{s}` there): the table replica. */
  public readonly secondaryTableKey: kms.IKey;
  /** The secondary region's Aurora cluster, a member of the primary's global database. */
  public readonly secondaryDatabase: AuroraGlobalSecondary;
  /** The global table (in the primary stack, with its replica in the secondary region). */
  public readonly globalTable: GlobalPitrTable;
  /** The table replica, as the secondary region's functions use it. */
  public readonly tableReplica: dynamodb.ITableV2;
  /** The secondary region's vault that every snapshot of the primary is copied to. */
  public readonly copyVault: DrBackupVault;
  /** The bucket in the secondary region. */
  public readonly replicaBucket: VersionedBucket;
  /** The secondary region's alarm topic. */
  public readonly secondaryAlarmTopic: sns.ITopic;
  /** The secondary region's alarms and dashboard. */
  public readonly secondaryAlarms: DrAlarms;
  /** The routing stack (secondary region), with `routing`. */
  public readonly routingStack?: Stack;
  /** The primary region's health check, with `routing`. */
  public readonly primaryHealthCheck?: RegionHealthCheck;
  /** The secondary region's health check, with `routing`. */
  public readonly secondaryHealthCheck?: RegionHealthCheck;
  /** The Route 53 health checks and records, with `routing`. */
  public readonly failoverRouting?: FailoverRouting;
  /** The peering connection and the primary's routes, with `peering`. */
  public readonly peering?: RegionPeering;
  /** The secondary's routes to the primary VPC, with `peering`. */
  public readonly peeringRoutes?: RegionPeeringRoutes;
  /** The primary region's event bus forwarding to the secondary's, with `eventForwarding`. */
  public readonly primaryEventForwarding?: EventForwarding;
  /** The secondary region's event bus forwarding to the primary's, with `eventForwarding`. */
  public readonly secondaryEventForwarding?: EventForwarding;
  /** The most data the workload may lose with the primary region. */
  public readonly regionRpo: Duration;
  /** The SSM parameters published in the primary region. */
  public readonly primaryParameters: ssm.StringParameter[] = [];
  /** The SSM parameters published in the secondary region. */
  public readonly secondaryParameters: ssm.StringParameter[] = [];

  private readonly environmentSuffix: string;
  private readonly removalPolicy?: RemovalPolicy;
  private readonly secondaryFunctionScope: Construct;
  private readonly secondaryDatabaseSecret: secretsmanager.ISecret;
  private readonly replicaBucketRef: s3.IBucket;
  private readonly regionFunctions: MultiRegionFunction[] = [];
  private readonly storeLines: RegionLossLine[] = [];

  constructor(scope: Construct, id: string, props: MultiRegionDrPlatformProps) {
    super(scope, id);
    if (scope.node.scopes.some((s) => Stack.isStack(s))) {
      throw new DrValidationError(this,
        `MultiRegionDrPlatform creates its own stacks, one per region: place it in an App or a Stage, not in the stack ${Stack.of(scope).node.path}`);
    }
    validateNamePart(this, 'environmentSuffix', props.environmentSuffix);
    if (props.nameQualifier !== undefined) {
      validateNamePart(this, 'nameQualifier', props.nameQualifier);
    }
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(id)) {
      throw new DrValidationError(this,
        `the id of a MultiRegionDrPlatform starts its stack names ({id}-{suffix}-{role}), so it must match /^[A-Za-z][A-Za-z0-9-]*$/, got: ${quote(id)}`);
    }
    const suffix = props.nameQualifier !== undefined ? `${props.environmentSuffix}-${props.nameQualifier}` : props.environmentSuffix;
    validateMultiRegionStackNames(this, id, suffix);
    this.environmentSuffix = suffix;
    this.removalPolicy = props.removalPolicy;
    const { primary, secondary } = validateEnvironments(this, props.primary, props.secondary);
    this.primaryRegion = primary.region;
    this.secondaryRegion = secondary.region;
    this.regionRpo = props.regionRpo ?? Duration.minutes(15);
    validateDuration(this, 'regionRpo', this.regionRpo, {
      unit: 'minutes',
      min: 1,
      max: 24 * 60,
      tokens: false,
      tokenReason: 'every resource\'s region-loss coverage is checked against it and alarm thresholds are derived from it at synth',
    });
    refusePlatformOwnedOptions(this, secondary.region, props.bucket, props.database);
    // S3 promises nothing under Replication Time Control's 15 minutes: refuse a regionRpo below it before anything is built.
    const bucketLine = replicatedBucketLine(versionedBucketName(suffix, primary.account, primary.region), true);
    const bucketShortfall = s3RegionRpoShortfall(bucketLine.name, this.regionRpo);
    if (bucketShortfall) {
      throw new DrValidationError(this, bucketShortfall);
    }
    validateAlarmEmails(this, props.alarmEmails);
    if (props.alarms?.encryptionKey) {
      throw new DrValidationError(this,
        `\`alarms.encryptionKey\` cannot encrypt the alarm topics of both regions: KMS keys are regional, and the platform has a topic in each (each gets a key of its own region), got: ${props.alarms.encryptionKey.node.path}`);
    }
    const primaryCidr = props.primaryVpcCidr ?? DEFAULT_VPC_CIDR;
    const secondaryCidr = props.secondaryVpcCidr ?? DEFAULT_SECONDARY_VPC_CIDR;
    const primaryBlock = validateVpcCidr(this, 'primaryVpcCidr', primaryCidr);
    const secondaryBlock = validateVpcCidr(this, 'secondaryVpcCidr', secondaryCidr);
    if (props.peering && overlaps(primaryBlock, secondaryBlock)) {
      throw new DrValidationError(this,
        `\`primaryVpcCidr\` and \`secondaryVpcCidr\` must not overlap with \`peering\`: a peering between overlapping VPCs fails, and routes could not tell them apart, got: ${quote(primaryCidr)} and ${quote(secondaryCidr)}`);
    }
    const removalPolicy = props.removalPolicy;
    // One warning for the platform: every child inside it stays silent.
    const destroy = isDestroy(this, removalPolicy, 'every store, recovery point, key, log and topic of both regions');
    const environmentTag = props.environmentSuffix;
    const names = multiRegionNames(suffix);
    const single = platformNames(suffix);

    const makeStack = (stackId: string, role: string, env: Required<Pick<Environment, 'account' | 'region'>>, drRole: string, what: string) => {
      const name = stackName(id, suffix, role);
      const stack = new Stack(this, stackId, { env, stackName: name, description: `cdk-dr-platform multi-region (${suffix}): ${what}` });
      consumeStrongReferencesByDefault(stack);
      Tags.of(stack).add(TAG_KEYS.environment, environmentTag);
      Tags.of(stack).add(TAG_KEYS.role, drRole);
      return stack;
    };

    // 1. The secondary region's foundation: what the primary refers to by name.
    const foundation = makeStack('SecondaryFoundation', STACK_ROLES.secondaryFoundation, secondary, 'secondary',
      `the secondary region's keys, VPC and replica bucket (${secondary.region})`);
    this.secondaryFoundationStack = foundation;
    validateEnvironmentSuffix(foundation, suffix, (s) => multiRegionPlatformDerivedNames(s, id));
    this.secondaryEncryptionKey = createDrKey(foundation, 'EncryptionKey', {
      alias: single.keyAlias,
      description: `Encrypts the DR platform's flow logs and functions in the secondary region (${suffix})`,
      destroy,
    });
    this.secondaryDatabaseKey = createDrKey(foundation, 'DatabaseKey', {
      alias: names.auroraKeyAlias,
      description: `Encrypts the secondary Aurora cluster and the replicated credentials secret (${suffix})`,
      destroy,
    });
    this.secondaryTableKey = createDrKey(foundation, 'TableKey', {
      alias: names.tableKeyAlias,
      description: `Encrypts the table replica in the secondary region (${suffix})`,
      destroy,
    });
    this.secondaryVpc = createDrVpc(foundation, {
      vpcName: single.vpc,
      flowLogsName: single.flowLogs,
      encryptionKey: this.secondaryEncryptionKey,
      removalPolicy,
      cidr: secondaryCidr,
    });
    this.copyVault = new DrBackupVault(foundation, 'CopyVault', {
      environmentSuffix: suffix,
      purpose: BackupVaultPurpose.COPY_DESTINATION,
      removalPolicy,
    });
    this.checkCopyRetention(props);
    if (props.copyRetention) validateCopyRetention(this, 'copyRetention', props.copyRetention);
    // A fixed output name, so the primary can read the VPC id with a weak Fn::GetStackOutput.
    new CfnOutput(foundation, SECONDARY_VPC_ID_OUTPUT, { value: this.secondaryVpc.vpcId, description: 'VPC of the secondary region' })
      .overrideLogicalId(SECONDARY_VPC_ID_OUTPUT);
    this.replicaBucket = new VersionedBucket(foundation, 'ReplicaBucket', { ...props.bucket, environmentSuffix: suffix, removalPolicy });

    // 2. The primary region.
    const primaryStack = makeStack('Primary', STACK_ROLES.primary, primary, 'primary', `the primary region (${primary.region})`);
    this.primaryStack = primaryStack;
    // The primary refers by name to the secondary region's keys and replica
    // bucket. The construct-tree dependency is the stack dependency every
    // aws-cdk-lib of the peer range understands.
    primaryStack.node.addDependency(foundation);
    this.globalTable = new GlobalPitrTable(primaryStack, 'Table', {
      ...props.table,
      environmentSuffix: suffix,
      // The replica's key is alias/dr-table-{s} there, made by the foundation.
      replicaRegions: [secondary.region],
      removalPolicy,
      // The replica is the secondary region's table: tagged like the secondary's resources.
      replicaTags: { [TAG_KEYS.environment]: environmentTag, [TAG_KEYS.role]: 'secondary' },
    });
    const partition = RegionInfo.get(primary.region).partition ?? 'aws';
    // The copy vault by its ARN, written out: no value crosses regions.
    const copyVaultRef = backup.BackupVault.fromBackupVaultArn(primaryStack, 'CopyVault',
      backupVaultArn(partition, secondary.region, secondary.account, copyVaultName(suffix)));
    this.primary = new SingleRegionDrPlatform(primaryStack, 'Platform', {
      environmentSuffix: props.environmentSuffix,
      nameQualifier: props.nameQualifier,
      removalPolicy,
      rpo: props.rpo,
      rto: props.rto,
      restoreDrills: props.restoreDrills,
      alarmEmails: props.alarmEmails,
      vpcCidr: primaryCidr,
      database: { ...props.database, globalSecondaryRegions: [secondary.region] },
      // By name, without its key: functions are granted the key's use with
      // named actions (`existingTableProtection`), not TableV2's wildcards.
      existingTable: dynamodb.TableV2.fromTableAttributes(primaryStack, 'TableRef', {
        tableName: this.globalTable.tableName,
        grantIndexPermissions: (props.table?.globalSecondaryIndexes ?? []).length > 0,
      }),
      existingTableProtection: { pointInTimeRecovery: true, encryptionKey: this.globalTable.encryptionKey },
      bucket: {
        ...props.bucket,
        replication: {
          destinationBucketName: versionedBucketName(suffix, secondary.account, secondary.region),
          destinationRegion: secondary.region,
          replicationTimeControl: true,
          deleteMarkerReplication: true,
        },
      },
      backup: {
        ...props.backup,
        copyTo: [
          { vault: copyVaultRef, retention: props.copyRetention, encryptionKeyAlias: copyVaultKeyAlias(suffix) },
          ...props.backup?.copyTo ?? [],
        ],
      },
      alarms: props.alarms,
      environmentTag,
      drRoleTag: 'primary',
    });

    // 3. The secondary region's warm standby.
    const secondaryStack = makeStack('Secondary', STACK_ROLES.secondary, secondary, 'secondary',
      `the secondary region's standby (${secondary.region})`);
    this.secondaryStack = secondaryStack;
    // The secondary joins what the primary creates (the global cluster).
    secondaryStack.node.addDependency(primaryStack);
    DrVpcEndpoints.setHome(this.secondaryVpc, secondaryStack);
    const alarmOptions = props.alarms ?? {};
    this.secondaryAlarmTopic = createAlarmTopic(secondaryStack, 'AlarmTopic', {
      topicName: single.alarmTopic,
      displayName: `DR alarms (${suffix}, secondary region)`,
      keyAlias: single.alarmTopicKeyAlias,
      emails: props.alarmEmails,
      destroy,
    });
    this.secondaryAlarms = new DrAlarms(secondaryStack, 'Alarms', {
      ...alarmOptions,
      environmentSuffix: suffix,
      removalPolicy,
      alarmTopic: this.secondaryAlarmTopic,
      dashboardName: names.secondaryDashboard(secondary.region),
    });
    const primaryDatabase = this.primary.database!;
    const secondaryDb = props.secondaryDatabase ?? {};
    const engineVersion = props.database?.engineVersion ?? defaultAuroraPostgresVersion();
    if (secondaryDb.engineVersion && secondaryDb.engineVersion.auroraPostgresFullVersion !== engineVersion.auroraPostgresFullVersion) {
      throw new DrValidationError(this,
        `\`secondaryDatabase.engineVersion\` must be the primary's (${engineVersion.auroraPostgresFullVersion}): Aurora switches over and fails over only between clusters of one major and minor version, got: ${secondaryDb.engineVersion.auroraPostgresFullVersion}`);
    }
    const secondaryCapacityGiven = secondaryDb.serverlessV2MinCapacity !== undefined || secondaryDb.serverlessV2MaxCapacity !== undefined;
    const instanceType = secondaryDb.instanceType ?? (!secondaryCapacityGiven
      ? props.database?.instanceType : undefined);
    this.secondaryDatabase = new AuroraGlobalSecondary(secondaryStack, 'Database', {
      environmentSuffix: suffix,
      vpc: this.secondaryVpc,
      // The name, not the primary's reference: no value crosses regions.
      globalClusterIdentifier: auroraNames(suffix).globalCluster,
      engineVersion,
      instanceType,
      // The primary's capacity as it resolved it (its global-mode defaults
      // included), so the standby can take the primary's load on promotion.
      serverlessV2MinCapacity: instanceType ? undefined : secondaryDb.serverlessV2MinCapacity ?? primaryDatabase.serverlessV2MinCapacity,
      serverlessV2MaxCapacity: instanceType ? undefined : secondaryDb.serverlessV2MaxCapacity ?? primaryDatabase.serverlessV2MaxCapacity,
      instances: secondaryDb.instances,
      encryptionKey: this.secondaryDatabaseKey,
      port: primaryDatabase.port,
      databaseName: primaryDatabase.databaseName,
      removalPolicy,
    });
    for (const instance of this.secondaryDatabase.instances) {
      acknowledgeFinding(instance, 'RDSInBackupPlan', COMPLIANCE_PACKS,
        'A member of the primary\'s global database: before a failover the primary\'s backup plan covers the global database and copies every snapshot to this region\'s copy vault (a second plan here would back up the same data). After a promotion this region has no backup plan until the operator adds one (docs/failover.md runbook).');
    }
    // The primary's credentials, replicated to this region under the same name.
    this.secondaryDatabaseSecret = secretsmanager.Secret.fromSecretNameV2(secondaryStack, 'DatabaseSecret', primaryDatabase.secretName);
    const auroraAlarms = this.secondaryAlarms.monitorGlobalDatabase(this.secondaryDatabase, { regionRpo: this.regionRpo });
    this.secondaryAlarms.monitorDatabase(this.secondaryDatabase.cluster);
    const tableAlarms = this.primary.alarms.monitorTableReplication(this.globalTable, { regionRpo: this.regionRpo });
    this.primary.alarms.monitorBucketReplication(this.primary.bucket!, { regionRpo: this.regionRpo });
    // The destination's view too: the secondary's dashboard shows what it is behind by.
    this.secondaryAlarms.monitorBucketReplication(this.primary.bucket!, { regionRpo: this.regionRpo });
    // The replica by name; its key (the foundation's) is granted with named actions where it is used.
    this.tableReplica = dynamodb.TableV2.fromTableAttributes(secondaryStack, 'TableReplica', {
      tableName: this.globalTable.tableName,
      grantIndexPermissions: (props.table?.globalSecondaryIndexes ?? []).length > 0,
    });
    // The replica bucket by name too, as the secondary's functions use it.
    this.replicaBucketRef = s3.Bucket.fromBucketAttributes(secondaryStack, 'ReplicaBucketRef', {
      bucketName: versionedBucketName(suffix, secondary.account, secondary.region),
      encryptionKey: this.replicaBucket.encryptionKey,
    });
    this.secondaryAlarms.monitorTable(this.tableReplica, { name: 'table-replica' });
    this.secondaryFunctionScope = new Construct(secondaryStack, 'Functions');

    if (props.peering) {
      this.peering = new RegionPeering(primaryStack, 'Peering', {
        vpc: this.primary.vpc,
        vpcCidr: primaryCidr,
        // The only value that crosses regions by reference: an id no name can give, read weakly.
        peerVpcId: Fn.getStackOutput(foundation.stackName, SECONDARY_VPC_ID_OUTPUT, secondary.region),
        peerRegion: secondary.region,
        peerCidr: secondaryCidr,
      });
      this.peeringRoutes = new RegionPeeringRoutes(secondaryStack, 'PeeringRoutes', {
        vpc: this.secondaryVpc,
        vpcCidr: secondaryCidr,
        peerCidr: primaryCidr,
        vpcPeeringConnectionId: this.peering.peeringConnectionIdFor(secondaryStack),
      });
    }
    if (props.eventForwarding) {
      this.primaryEventForwarding = new EventForwarding(primaryStack, 'EventForwarding', {
        environmentSuffix: suffix,
        targetRegion: secondary.region,
        alarmTopic: this.primary.alarmTopic,
        encryptionKey: this.primary.encryptionKey,
        removalPolicy,
      });
      this.secondaryEventForwarding = new EventForwarding(secondaryStack, 'EventForwarding', {
        environmentSuffix: suffix,
        targetRegion: primary.region,
        alarmTopic: this.secondaryAlarmTopic,
        encryptionKey: this.secondaryEncryptionKey,
        removalPolicy,
      });
      this.primary.alarms.monitorEventForwarding(this.primaryEventForwarding);
      this.secondaryAlarms.monitorEventForwarding(this.secondaryEventForwarding);
    }
    if (props.routing) {
      const routing = props.routing;
      // The cluster as the probe sees it: its port a number, so the rule admitting the probe names it.
      const probedCluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(primaryStack, 'ProbedCluster', {
        clusterIdentifier: primaryDatabase.clusterIdentifier,
        clusterEndpointAddress: primaryDatabase.clusterEndpoint.hostname,
        port: primaryDatabase.port,
        securityGroups: [primaryDatabase.securityGroup],
      });
      this.primaryHealthCheck = new RegionHealthCheck(primaryStack, 'RegionHealth', {
        environmentSuffix: suffix,
        vpc: this.primary.vpc,
        cluster: probedCluster,
        table: this.primary.dataTable,
        tablePartitionKey: props.table?.partitionKey ?? { name: 'pk', type: dynamodb.AttributeType.STRING },
        tableSortKey: props.table?.sortKey,
        bucket: this.primary.dataBucket,
        evaluationPeriods: routing.evaluationPeriods,
        encryptionKey: this.primary.encryptionKey,
        alarmTopic: this.primary.alarmTopic,
        removalPolicy,
      });
      this.secondaryHealthCheck = new RegionHealthCheck(secondaryStack, 'RegionHealth', {
        environmentSuffix: suffix,
        vpc: this.secondaryVpc,
        cluster: this.secondaryDatabase.cluster,
        table: this.tableReplica,
        tablePartitionKey: props.table?.partitionKey ?? { name: 'pk', type: dynamodb.AttributeType.STRING },
        tableSortKey: props.table?.sortKey,
        bucket: this.replicaBucketRef,
        evaluationPeriods: routing.evaluationPeriods,
        encryptionKey: this.secondaryEncryptionKey,
        alarmTopic: this.secondaryAlarmTopic,
        removalPolicy,
      });
      this.primary.alarms.monitorRegionHealthCheck(this.primaryHealthCheck);
      this.secondaryAlarms.monitorRegionHealthCheck(this.secondaryHealthCheck);
      const zoneId = routing.hostedZone.hostedZoneId;
      if (Token.isUnresolved(zoneId)) {
        throw new DrValidationError(this,
          '`routing.hostedZone` must be imported by its id and name (HostedZone.fromHostedZoneAttributes): a zone defined in a stack of the app would be a reference into the routing stack, got: a zone whose id is known only at deploy');
      }
      const zoneName = hostedZoneName(this, 'routing.hostedZone', routing.hostedZone);
      const routingStack = makeStack('Routing', STACK_ROLES.routing, secondary, 'secondary',
        `Route 53 health checks and ${routing.routingPolicy === RoutingPolicy.WEIGHTED ? 'weighted' : 'failover'} records (deployed from ${secondary.region})`);
      this.routingStack = routingStack;
      const healthAlarmName = regionHealthNames(suffix).alarm;
      // The health checks watch alarms the regional stacks create.
      routingStack.node.addDependency(primaryStack);
      routingStack.node.addDependency(secondaryStack);
      this.failoverRouting = new FailoverRouting(routingStack, 'Routing', {
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(routingStack, 'Zone', { hostedZoneId: zoneId, zoneName }),
        recordName: routing.recordName,
        routingPolicy: routing.routingPolicy,
        ttl: routing.ttl,
        // The alarm names, derived on both sides: no reference into the regional stacks.
        primary: { region: primary.region, healthAlarmName, domainName: routing.primaryDomainName, weight: routing.primaryWeight },
        secondary: { region: secondary.region, healthAlarmName, domainName: routing.secondaryDomainName, weight: routing.secondaryWeight },
      });
    }

    // What each resource loses with the primary region, held to regionRpo.
    this.storeLines.push(replicatedStoreLine('Aurora', {
      name: auroraNames(suffix).cluster,
      lagMetric: 'AuroraGlobalDBRPOLag',
      // DrAlarms.monitorGlobalDatabase fires at half the region RPO, over one minute.
      alarmThreshold: auroraAlarms.length > 0 ? halfOf(this.regionRpo) : undefined,
      alarmEvaluation: Duration.minutes(1),
    }));
    this.storeLines.push(replicatedStoreLine('DynamoDB', {
      name: this.globalTable.tableName,
      lagMetric: 'ReplicationLatency',
      // DrAlarms.monitorTableReplication fires at half the region RPO, two one-minute periods in a row.
      alarmThreshold: tableAlarms.length > 0 ? halfOf(this.regionRpo) : undefined,
      alarmEvaluation: Duration.minutes(2),
    }));
    this.storeLines.push(bucketLine);
    // The copies: the path for corruption found after the region is gone, not held to regionRpo.
    // Named like the replication lines, by the store's physical name.
    const storeNames: Partial<Record<ProtectedResourceType, string>> = {
      [ProtectedResourceType.AURORA]: auroraNames(suffix).cluster,
      [ProtectedResourceType.DYNAMODB]: this.globalTable.tableName,
      [ProtectedResourceType.S3]: bucketLine.name,
    };
    for (const copy of this.primary.backup.regionLossCoverage()) {
      if (copy.resourceType !== ProtectedResourceType.LAMBDA) {
        this.storeLines.push(backupCopyLine({ ...copy, name: storeNames[copy.resourceType] ?? copy.name }));
      }
    }
    // After a failover the promoted region has no plan of its own: said, not hidden.
    this.storeLines.push(promotedRegionBackupLine(secondary.region));
    this.checkRegionRpo();

    this.publishParameters(primaryStack, this.primaryParameters, 'primary', secondary.region, {
      'database/endpoint': primaryDatabase.clusterEndpoint.hostname,
      'database/reader-endpoint': primaryDatabase.clusterReadEndpoint.hostname,
      'database/port': String(primaryDatabase.port),
      'database/name': primaryDatabase.databaseName,
      'database/secret-name': primaryDatabase.secretName,
      'database/global-cluster-id': auroraNames(suffix).globalCluster,
      'table/name': this.primary.dataTable.tableName,
      'bucket/name': this.primary.dataBucket.bucketName,
      'alarm-topic/arn': this.primary.alarmTopic.topicArn,
    });
    this.publishParameters(secondaryStack, this.secondaryParameters, 'secondary', primary.region, {
      'table/name': this.globalTable.tableName,
      'backup/copy-vault-name': copyVaultName(suffix),
      'database/endpoint': this.secondaryDatabase.clusterEndpoint.hostname,
      'database/reader-endpoint': this.secondaryDatabase.clusterReadEndpoint.hostname,
      'database/port': String(this.secondaryDatabase.port),
      'database/name': this.secondaryDatabase.databaseName,
      'database/secret-name': primaryDatabase.secretName,
      'database/global-cluster-id': auroraNames(suffix).globalCluster,
      'bucket/name': this.replicaBucket.bucketName,
      'alarm-topic/arn': this.secondaryAlarmTopic.topicArn,
    });
    this.addOutputs();
  }

  /** The functions added with `addFunction`, one pair per call. */
  public get functions(): MultiRegionFunction[] {
    return [...this.regionFunctions];
  }

  /**
   * Each resource's worst-case data loss if the primary region is lost, the
   * functions added so far included.
   */
  public get regionLossCoverage(): ResourceRegionLoss[] {
    return this.regionLossLines().map((l) => ({
      name: l.name,
      resourceType: l.resourceType,
      mechanism: l.mechanism,
      worstCaseDataLoss: l.worstCaseDataLoss,
      unknownReason: l.unknownReason,
      heldToRegionRpo: l.heldToRegionRpo,
    }));
  }

  /**
   * Adds the same function in both regions: in the primary, wired to the
   * primary's database, table and bucket (SingleRegionDrPlatform's
   * `addFunction`); in the secondary, to the secondary's cluster, the table
   * replica and the replica bucket, under the same name and environment
   * variable names, so one build of the code runs in either region.
   */
  public addFunction(id: string, options: MultiRegionFunctionOptions): MultiRegionFunction {
    const { secondaryCode, ...functionOptions } = options;
    const code = secondaryCode ?? this.codeForSecondary(id, options.code);
    // Each region's function puts events on its own region's bus.
    const withBus = (forwarding: EventForwarding | undefined) =>
      forwarding ? { ...options.environment, EVENT_BUS_NAME: forwarding.eventBusName } : options.environment;
    const primaryFn = this.primary.addFunction(id, { ...functionOptions, environment: withBus(this.primaryEventForwarding) });
    const secondaryFn = new VpcLambda(this.secondaryFunctionScope, id, {
      ...functionOptions,
      code,
      environment: withBus(this.secondaryEventForwarding),
      environmentSuffix: this.environmentSuffix,
      vpc: this.secondaryVpc,
      encryptionKey: this.secondaryEncryptionKey,
      removalPolicy: this.removalPolicy,
    });
    if (options.connectDatabase ?? true) {
      secondaryFn.connectCluster(this.secondaryDatabase.cluster, {
        secret: this.secondaryDatabaseSecret,
        databaseName: this.secondaryDatabase.databaseName,
        port: this.secondaryDatabase.port,
      });
      // The replica secret is encrypted with this region's Aurora key, which an imported secret does not carry.
      this.secondaryDatabaseKey.grantDecrypt(secondaryFn);
    }
    secondaryFn.connectTable(this.tableReplica, {
      access: options.tableAccess ?? DataAccess.READ_WRITE,
      encryptionKey: this.secondaryTableKey,
    });
    secondaryFn.connectBucket(this.replicaBucketRef, {
      access: options.bucketAccess ?? DataAccess.READ_WRITE,
      encryptionKey: this.replicaBucket.encryptionKey,
    });
    this.secondaryAlarms.monitorFunction(secondaryFn.function, { name: `fn-${secondaryFn.name}` });
    for (const [fn, forwarding] of [[primaryFn, this.primaryEventForwarding], [secondaryFn, this.secondaryEventForwarding]] as const) {
      if (forwarding) {
        forwarding.grantPutEvents(fn);
        fn.requireInterfaceEndpoint(ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE);
      }
    }
    const pair = { primary: primaryFn, secondary: secondaryFn };
    this.regionFunctions.push(pair);
    const path = `functions/${namePartFromId(primaryFn.name)}/name`;
    this.publishParameter(this.primaryStack, this.primaryParameters, path, primaryFn.functionName);
    this.publishParameter(this.secondaryStack, this.secondaryParameters, path, secondaryFn.functionName);
    return pair;
  }

  /**
   * The primary's code as the secondary region's function can use it. An
   * asset binds to one stack in aws-cdk-lib, so it is staged again from the
   * same path and options (the same content, the same hash); inline code
   * serves both; code in an S3 bucket or an ECR repository is regional.
   */
  private codeForSecondary(id: string, code: lambda.Code): lambda.Code {
    if (code instanceof lambda.AssetCode) {
      // aws-cdk-lib keeps an AssetCode's options private; they are what made the primary's asset.
      const assetOptions = Reflect.get(code, 'options') as s3assets.AssetOptions | undefined;
      return lambda.Code.fromAsset(code.path, assetOptions);
    }
    if (code instanceof lambda.InlineCode) {
      return code;
    }
    throw new DrValidationError(this,
      `\`code\` of the function ${quote(id)} cannot serve the secondary region: code in an S3 bucket or an ECR repository is regional, and only assets and inline code can be deployed to both. Give \`secondaryCode\` (code in ${this.secondaryRegion}), got: ${code.constructor.name}`);
  }

  private regionLossLines(): RegionLossLine[] {
    return [...this.storeLines, ...this.regionFunctions.map((f) => functionLine(f.primary.functionName))];
  }

  /**
   * Refuses a copy retention shorter than the copy vault's lock minimum: AWS
   * Backup would refuse every copy job into the vault at run time.
   */
  private checkCopyRetention(props: MultiRegionDrPlatformProps): void {
    const minimum = this.copyVault.minimumRetention;
    const [prop, retention] = props.copyRetention !== undefined
      ? ['copyRetention', props.copyRetention]
      : ['backup.retention', props.backup?.retention];
    if (!minimum || !retention || retention.isUnresolved() || minimum.isUnresolved()) {
      return;
    }
    if (retention.toMilliseconds() < minimum.toMilliseconds()) {
      throw new DrValidationError(this,
        `\`${prop}\` must be at least the copy vault's lock minimum retention (${copyVaultName(this.environmentSuffix)}: ${describeDuration(minimum)}): AWS Backup refuses every copy job into a locked vault with a shorter retention, got: ${describeDuration(retention)}`);
    }
  }

  /** Refuses, with the arithmetic, a `regionRpo` that a resource cannot meet. */
  private checkRegionRpo(): void {
    for (const line of this.storeLines) {
      const shortfall = regionRpoShortfall(line, this.regionRpo);
      if (shortfall) {
        throw new DrValidationError(this, shortfall);
      }
    }
  }

  private publishParameters(stack: Stack, into: ssm.StringParameter[], role: string, peerRegion: string, values: Record<string, string>): void {
    this.publishParameter(stack, into, 'region/role', role);
    this.publishParameter(stack, into, 'region/peer', peerRegion);
    for (const [path, value] of Object.entries(values)) {
      this.publishParameter(stack, into, path, value);
    }
  }

  private publishParameter(stack: Stack, into: ssm.StringParameter[], path: string, value: string): void {
    const name = parameterName(this.environmentSuffix, path);
    const id = `Parameter${path.split(/[^A-Za-z0-9]/).filter(Boolean).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`;
    into.push(new ssm.StringParameter(stack, id, {
      parameterName: name,
      stringValue: value,
      description: `cdk-dr-platform (${this.environmentSuffix}): ${path.replace(/\//g, ' ')} in this region`,
      tier: ssm.ParameterTier.STANDARD,
    }));
  }

  private addOutputs(): void {
    const summary = Lazy.string({ produce: () => regionLossSummary(this.regionLossLines()) });
    for (const stack of [this.primaryStack, this.secondaryStack]) {
      new CfnOutput(stack, 'RegionRpo', { value: describeDuration(this.regionRpo), description: 'The most data the workload may lose with the primary region' });
      new CfnOutput(stack, 'RegionLossCoverage', { value: summary, description: 'What each resource loses if the primary region is lost' });
    }
    const output = (oid: string, value: string, description: string) => new CfnOutput(this.secondaryStack, oid, { value, description });
    output('VpcId', this.secondaryVpc.vpcId, 'VPC of the secondary region');
    output('DatabaseEndpoint', this.secondaryDatabase.clusterEndpoint.socketAddress, 'Secondary Aurora cluster endpoint (host:port): read-only until promoted');
    output('DatabaseReaderEndpoint', this.secondaryDatabase.clusterReadEndpoint.socketAddress, 'Secondary Aurora reader endpoint (host:port)');
    output('TableName', this.globalTable.tableName, 'The table replica in this region');
    output('BucketName', this.replicaBucket.bucketName, 'The replica bucket');
    output('CopyVaultName', copyVaultName(this.environmentSuffix), 'The vault holding copies of the primary\'s snapshots');
    output('AlarmTopicArn', this.secondaryAlarmTopic.topicArn, 'SNS topic every DR alarm of the secondary region notifies');
    output('DashboardName', this.secondaryAlarms.dashboard.dashboardName, 'CloudWatch dashboard of the secondary region');
    output('FunctionNames', Lazy.string({ produce: () => this.regionFunctions.map((f) => f.secondary.functionName).join(',') || 'none' }),
      'Functions deployed in the secondary region');
  }
}

/**
 * Both environments concrete, one account, two regions of one partition:
 * the stacks of each region are synthesized for it, and the names each side
 * derives for the other need both regions and the account.
 */
function validateEnvironments(scope: Construct, primary: Environment, secondary: Environment) {
  const concrete = (prop: string, env: Environment) => {
    for (const key of ['account', 'region'] as const) {
      const value = env[key];
      if (value === undefined || Token.isUnresolved(value)) {
        throw new DrValidationError(scope,
          `\`${prop}.${key}\` must be a concrete value: each region's stack is synthesized for its environment and the other region derives its names from it, got: ${value === undefined ? 'nothing' : 'a token'}`);
      }
    }
    const region = env.region!;
    if (!RegionInfo.regions.some((r) => r.name === region)) {
      throw new DrValidationError(scope, `\`${prop}.region\` must be an AWS region code such as us-east-1, got: ${quote(region)}`);
    }
    if (!/^\d{12}$/.test(env.account!)) {
      throw new DrValidationError(scope, `\`${prop}.account\` must be a 12-digit AWS account id, got: ${quote(env.account)}`);
    }
    return { account: env.account!, region };
  };
  const p = concrete('primary', primary);
  const s = concrete('secondary', secondary);
  if (p.region === s.region) {
    throw new DrValidationError(scope, `\`secondary.region\` must differ from \`primary.region\`: a second copy in the same region does not survive its loss, got: ${quote(s.region)} for both`);
  }
  if (p.account !== s.account) {
    throw new DrValidationError(scope,
      `\`secondary.account\` must be \`primary.account\` (${p.account}): the regions share keys by alias, the copy vault and the replication roles within one account, got: ${quote(s.account)}`);
  }
  const partition = (region: string) => RegionInfo.get(region).partition;
  if (partition(p.region) !== partition(s.region)) {
    throw new DrValidationError(scope,
      `\`secondary.region\` must be in the partition of \`primary.region\` (${p.region}: ${partition(p.region)}), got: ${quote(s.region)} (${partition(s.region)})`);
  }
  return { primary: p, secondary: s };
}

/** Half a duration (the lag alarms' threshold rule), in seconds as the alarms count it. */
function halfOf(d: Duration): Duration {
  return Duration.seconds(d.toSeconds() / 2);
}
