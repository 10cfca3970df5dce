import { CfnOutput, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { makePlatformStack, validateEnvironments, validateRegionInputs } from './environments';
import {
  MultiRegionDrPlatformProps, MultiRegionFunction, MultiRegionFunctionOptions, ResourceRegionLoss, SecondaryProtection,
} from './multi-region-dr-platform-props';
import { addRegionOutputs, publishRegionParameters, RegionParameters } from './parameters';
import { refusePlatformOwnedOptions } from './platform-owned-options';
import {
  enforceAuroraRegionRpo, linkAlarms, linkEventForwarding, linkPeering, linkRegionSwitch, linkRouting, readWriterRegion, regionSide, storeLossLines,
} from './region-links';
import { functionLine, publicRegionLoss, RegionLossLine, regionLossSummary, replicatedBucketLine, s3RegionRpoShortfall } from './region-loss';
import { checkCopyRetention, codeForSecondary, createSecondaryFoundation, SecondaryStandby } from './secondary-region';
import { AuroraGlobalSecondary } from '../aurora-global-secondary';
import { DrAlarms } from '../dr-alarms';
import { BackupVaultPurpose, DrBackupVault } from '../dr-backup-vault';
import { EventForwarding } from '../event-forwarding';
import { FailoverRouting } from '../failover-routing';
import { GlobalPitrTable } from '../global-pitr-table';
import { withPlatformCopy } from '../hourly-backup/copies';
import {
  backupVaultArn, copyVaultKeyAlias, copyVaultName, multiRegionNames, multiRegionPlatformDerivedNames,
  STACK_ROLES, validateEnvironmentSuffix, validateMultiRegionStackNames, versionedBucketName,
} from '../names';
import { validateAlarmEmails } from '../private/alarm-topic';
import { namePartFromId, validateNamePart } from '../private/naming';
import { isDestroy } from '../private/removal';
import { TAG_KEYS } from '../private/tags';
import { DrValidationError, quote } from '../private/validation';
import { RegionHealthCheck } from '../region-health-check';
import { RegionPeering, RegionPeeringRoutes } from '../region-peering';
import { RegionSwitch, RegionSwitchFence, RegionSwitchPlan, RegionSwitchRehearsal } from '../region-switch-plan';
import { RegionalBlock } from '../regional-block/regional-block';
import { RestoreDrills } from '../restore-drill';
import { SingleRegionDrPlatform } from '../single-region-dr-platform';
import { PlatformBucket, PlatformDatabase, PlatformTable } from '../stores/platform-stores';
import { VersionedBucket } from '../versioned-bucket';

/** The foundation's output with the secondary VPC's id, read by the primary for peering. */
const SECONDARY_VPC_ID_OUTPUT = 'SecondaryVpcId';

/**
 * Disaster recovery for a workload across two regions of one account: the
 * SingleRegionDrPlatform in the primary region, a warm standby in the
 * secondary region, and data replicated between them. Place it in an `App`
 * or a `Stage`: it creates one stack per region and role, in deploy order,
 * each named `{id}-{suffix}-{role}`:
 *
 * 1. `secondary-foundation` (secondary region): keys, VPC, copy vault and replica bucket, which the primary needs first.
 * 2. `primary` (primary region): the SingleRegionDrPlatform.
 * 3. `secondary` (secondary region): the standby cluster, functions, parameters, its own backup plan, alarms and dashboard.
 * 4. `routing` (secondary region, with `routing`): Route 53 health checks and records.
 *
 * `{suffix}` is `environmentSuffix`, or `environmentSuffix-nameQualifier`. Stack names do not carry a Stage's
 * name: platforms in two stages of one account need their own suffixes, as their physical names do anyway.
 *
 * No value crosses regions as a CloudFormation reference: each side derives the other's
 * names from the suffix (except `peering`'s VPC id, read with a weak `Fn::GetStackOutput`).
 *
 * @example
 * declare const app: App;
 * const dr = new MultiRegionDrPlatform(app, 'Payments', {
 *   environmentSuffix: 'prod',
 *   primary: { account: '111111111111', region: 'us-east-1' },
 *   secondary: { account: '111111111111', region: 'us-west-2' },
 *   alarmEmails: ['oncall@example.com'],
 * });
 * dr.addFunction('Processor', {
 *   code: lambda.Code.fromAsset('dist/processor'), handler: 'index.handler', runtime: HandlerRuntime.newestNodejs(app),
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
  /** The primary region's vault the secondary's own plan copies back to (`dr-copy-vault-{s}` there). */
  public readonly primaryCopyVault: DrBackupVault;
  /** The secondary region's own backup plan, recovery point monitor and copy drills, in either role. */
  public readonly secondaryProtection: SecondaryProtection;
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
  /** The region recovery time objective: the plan's RTO. */
  public readonly regionRto: Duration;
  /** The ARC Region switch plan, in the secondary region, unless `regionSwitch` is `RegionSwitch.none()`. */
  public readonly regionSwitchPlan?: RegionSwitchPlan;
  /** The scheduled rehearsal of the plan, in the secondary region, when `RegionSwitch.plan({ rehearsal })` asks for one. */
  public readonly regionSwitchRehearsal?: RegionSwitchRehearsal;
  /** The primary region's writer-region parameter and fence function, with the plan. */
  public readonly primaryFence?: RegionSwitchFence;
  /** The SSM parameters published in the primary region. */
  public readonly primaryParameters: ssm.StringParameter[] = [];
  /** The SSM parameters published in the secondary region. */
  public readonly secondaryParameters: ssm.StringParameter[] = [];

  private readonly environmentSuffix: string;
  private readonly secondaryBlock: RegionalBlock;
  private readonly primaryParameterSet: RegionParameters;
  private readonly secondaryParameterSet: RegionParameters;
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
    const { primary, secondary } = validateEnvironments(this, props.primary, props.secondary);
    this.primaryRegion = primary.region;
    this.secondaryRegion = secondary.region;
    const { regionRpo, regionRto, primaryCidr, secondaryCidr } = validateRegionInputs(this, props);
    this.regionRpo = regionRpo;
    this.regionRto = regionRto;
    refusePlatformOwnedOptions(this, secondary.region, props.bucket, props.database);
    // S3 promises nothing under Replication Time Control's 15 minutes: refuse a regionRpo below it before anything is built.
    const bucketLine = replicatedBucketLine(versionedBucketName(suffix, primary.account, primary.region), true);
    const bucketShortfall = s3RegionRpoShortfall(bucketLine.name, this.regionRpo);
    if (bucketShortfall) {
      throw new DrValidationError(this, bucketShortfall);
    }
    validateAlarmEmails(this, props.alarmEmails);
    const removalPolicy = props.removalPolicy;
    // One warning for the platform: every child inside it stays silent.
    const destroy = isDestroy(this, removalPolicy, 'every store, recovery point, key, log and topic of both regions');
    const environmentTag = props.environmentSuffix;
    const stackOptions = { platformId: id, environmentSuffix: suffix, environmentTag };

    // 1. The secondary region's foundation: what the primary refers to by name.
    const foundation = makePlatformStack(this, stackOptions, 'SecondaryFoundation', STACK_ROLES.secondaryFoundation, secondary, 'secondary',
      `the secondary region's keys, VPC and replica bucket (${secondary.region})`);
    this.secondaryFoundationStack = foundation;
    validateEnvironmentSuffix(foundation, suffix, (s) => multiRegionPlatformDerivedNames(s, id));
    const base = createSecondaryFoundation(foundation, { environmentSuffix: suffix, removalPolicy, destroy, vpcCidr: secondaryCidr });
    this.secondaryEncryptionKey = base.encryptionKey;
    this.secondaryDatabaseKey = base.databaseKey;
    this.secondaryTableKey = base.tableKey;
    this.secondaryVpc = base.vpc;
    this.copyVault = base.copyVault;
    checkCopyRetention(this, this.copyVault, suffix, props);
    // A fixed output name, so the primary can read the VPC id with a weak Fn::GetStackOutput.
    new CfnOutput(foundation, SECONDARY_VPC_ID_OUTPUT, { value: this.secondaryVpc.vpcId, description: 'VPC of the secondary region' })
      .overrideLogicalId(SECONDARY_VPC_ID_OUTPUT);
    this.replicaBucket = new VersionedBucket(foundation, 'ReplicaBucket', { ...props.bucket, environmentSuffix: suffix, removalPolicy });

    // 2. The primary region: the single-region platform over the global stores.
    const primaryStack = makePlatformStack(this, stackOptions, 'Primary', STACK_ROLES.primary, primary, 'primary', `the primary region (${primary.region})`);
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
    // The secondary's own plan copies back here: made before the secondary stack, which depends on this one.
    this.primaryCopyVault = new DrBackupVault(primaryStack, 'CopyBackVault', { environmentSuffix: suffix, purpose: BackupVaultPurpose.COPY_DESTINATION, removalPolicy });
    // The copy vault by its ARN, written out: no value crosses regions.
    const copyVaultRef = backup.BackupVault.fromBackupVaultArn(primaryStack, 'CopyVault',
      backupVaultArn(partition, secondary.region, secondary.account, copyVaultName(suffix)));
    const hasIndexes = (props.table?.globalSecondaryIndexes ?? []).length > 0;
    this.primary = new SingleRegionDrPlatform(primaryStack, 'Platform', {
      environmentSuffix: props.environmentSuffix,
      nameQualifier: props.nameQualifier,
      removalPolicy,
      rpo: props.rpo,
      rto: props.rto,
      restoreDrills: props.restoreDrills,
      alarmEmails: props.alarmEmails,
      vpcCidr: primaryCidr,
      database: PlatformDatabase.encryptedAurora({ ...props.database, globalSecondaryRegions: [secondary.region] }),
      // By name, without its key: functions are granted the key's use with
      // named actions (the handle's key), not TableV2's wildcards.
      table: PlatformTable.fromTable(
        dynamodb.TableV2.fromTableAttributes(primaryStack, 'TableRef', { tableName: this.globalTable.tableName, grantIndexPermissions: hasIndexes }),
        { pointInTimeRecovery: true, encryptionKey: this.globalTable.encryptionKey }),
      bucket: PlatformBucket.versionedBucket({
        ...props.bucket,
        replication: {
          destinationBucketName: versionedBucketName(suffix, secondary.account, secondary.region),
          destinationRegion: secondary.region,
          replicationTimeControl: true,
          deleteMarkerReplication: true,
        },
      }),
      backup: {
        ...props.backup,
        copyTo: withPlatformCopy(primaryStack, { vault: copyVaultRef, retention: props.copyRetention, encryptionKeyAlias: copyVaultKeyAlias(suffix) },
          props.backup?.copyTo),
      },
      alarms: props.alarms,
      environmentTag,
      drRoleTag: 'primary',
    });
    // The platform made both from the factories above.
    const primaryDatabase = this.primary.database.encryptedAurora!;
    const primaryBucket = this.primary.bucket.versionedBucket!;

    // 3. The secondary region's warm standby: the regional block over the replica stores.
    const secondaryStack = makePlatformStack(this, stackOptions, 'Secondary', STACK_ROLES.secondary, secondary, 'secondary',
      `the secondary region's standby (${secondary.region})`);
    this.secondaryStack = secondaryStack;
    // The secondary joins what the primary creates (the global cluster).
    secondaryStack.node.addDependency(primaryStack);
    const standby = new SecondaryStandby(this, secondaryStack, base, {
      environmentSuffix: suffix,
      removalPolicy,
      destroy,
      secondaryRegion: secondary.region,
      account: secondary.account,
      emails: props.alarmEmails,
      alarms: props.alarms,
      dashboardName: multiRegionNames(suffix).secondaryDashboard(secondary.region),
      primaryDatabase,
      database: props.database,
      secondaryDatabase: props.secondaryDatabase,
      tableName: this.globalTable.tableName,
      tableHasIndexes: hasIndexes,
      replicaBucket: this.replicaBucket,
      backup: { options: props.backup, rpo: props.rpo, environmentTag, copyRetention: props.copyRetention, primaryRegion: primary.region },
      drills: { options: RestoreDrills._optionsOf(this, props.restoreDrills), rto: this.primary.rto },
    });
    this.secondaryBlock = standby.block;
    this.secondaryProtection = standby.protection;
    this.secondaryDatabase = standby.database;
    this.tableReplica = standby.tableReplica;
    this.secondaryAlarmTopic = standby.block.alarmTopic;
    this.secondaryAlarms = standby.block.alarms;

    // 4. The links between the regions.
    const primarySide = regionSide(primaryStack, primary.region, this.primary);
    const secondarySide = regionSide(secondaryStack, secondary.region, this.secondaryBlock);
    const alarmed = linkAlarms(suffix, this.regionRpo, this.globalTable,
      { ...primarySide, cluster: primaryDatabase.cluster }, { ...secondarySide, cluster: this.secondaryDatabase.cluster });
    this.secondaryAlarms.monitorDatabase(this.secondaryDatabase.cluster);
    this.primary.alarms.monitorBucketReplication(primaryBucket, { regionRpo: this.regionRpo });
    // The destination's view too: the secondary's dashboard shows what it is behind by.
    this.secondaryAlarms.monitorBucketReplication(primaryBucket, { regionRpo: this.regionRpo });
    this.secondaryAlarms.monitorTable(this.tableReplica, { name: 'table-replica' });
    if (props.peering) {
      const link = linkPeering({ ...primarySide, cidr: primaryCidr },
        { ...secondarySide, cidr: secondaryCidr, vpcIdOutput: { stackName: foundation.stackName, exportName: SECONDARY_VPC_ID_OUTPUT } });
      this.peering = link.peering;
      this.peeringRoutes = link.routes;
    }
    if (props.eventForwarding) {
      const link = linkEventForwarding(suffix, removalPolicy, primarySide, secondarySide);
      this.primaryEventForwarding = link.primary;
      this.secondaryEventForwarding = link.secondary;
    }
    // The plan first: with routing it owns DNS unless told otherwise, and the records follow its health checks.
    const databases = { primary: this.primary.database.resource, secondary: standby.block.stores.database };
    const regionSwitch = linkRegionSwitch(RegionSwitch._optionsOf(this, props.regionSwitch), {
      owner: this, suffix, removalPolicy, regionRto: this.regionRto, secondaryDatabase: this.secondaryDatabase, routing: props.routing, databases,
    }, primarySide, secondarySide, props.table);
    ({ primaryFence: this.primaryFence, plan: this.regionSwitchPlan, rehearsal: this.regionSwitchRehearsal } = regionSwitch ?? {});
    if (props.routing) {
      const link = linkRouting({
        owner: this,
        suffix,
        removalPolicy,
        routing: props.routing,
        tablePartitionKey: props.table?.partitionKey,
        tableSortKey: props.table?.sortKey,
        makeRoutingStack: (what) => makePlatformStack(this, stackOptions, 'Routing', STACK_ROLES.routing, secondary, 'secondary', what),
      },
      {
        ...primarySide,
        stores: { database: this.primary.database.resource, table: this.primary.table.resource, bucket: this.primary.bucket.resource },
      },
      { ...secondarySide, stores: standby.block.stores }, this.regionSwitchPlan);
      this.routingStack = link.routingStack;
      this.primaryHealthCheck = link.primaryHealthCheck;
      this.secondaryHealthCheck = link.secondaryHealthCheck;
      this.failoverRouting = link.failoverRouting;
    }

    // What each resource loses with the primary region: held to regionRpo, refused with the arithmetic when it cannot be.
    this.storeLines.push(...storeLossLines(this, {
      suffix,
      regionRpo: this.regionRpo,
      tableName: this.globalTable.tableName,
      bucketLine,
      auroraAlarmed: alarmed.aurora.length > 0,
      auroraRpoBound: enforceAuroraRegionRpo(props.enforceAuroraRegionRpo, this.regionRpo, primaryDatabase, [this.secondaryDatabase]),
      tableAlarmed: alarmed.table.length > 0,
      copies: this.primary.backup.regionLossCoverage(),
      secondaryRegion: secondary.region,
      primaryRegion: primary.region,
    }));

    const parameters = publishRegionParameters(suffix, primaryDatabase.secretName, {
      stack: primaryStack,
      peerRegion: secondary.region,
      database: primaryDatabase,
      tableName: this.primary.table.table.tableName,
      bucketName: this.primary.bucket.bucket.bucketName,
      alarmTopic: this.primary.alarmTopic,
    }, {
      stack: secondaryStack,
      peerRegion: primary.region,
      database: this.secondaryDatabase,
      tableName: this.globalTable.tableName,
      bucketName: this.replicaBucket.bucketName,
      alarmTopic: this.secondaryAlarmTopic,
    });
    this.primaryParameterSet = parameters.primary;
    this.primaryParameters = parameters.primary.parameters;
    this.secondaryParameterSet = parameters.secondary;
    this.secondaryParameters = parameters.secondary.parameters;
    this.addOutputs();
  }

  /** The functions added with `addFunction`, one pair per call. */
  public get functions(): MultiRegionFunction[] {
    return [...this.regionFunctions];
  }

  /** Each resource's worst-case data loss if the primary region is lost, the functions added so far included. */
  public get regionLossCoverage(): ResourceRegionLoss[] {
    return this.regionLossLines().map(publicRegionLoss);
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
    const code = secondaryCode ?? codeForSecondary(this, id, options.code, this.secondaryRegion);
    // Each region's function puts events on its own region's bus, and reads its own region's writer-region parameter.
    const withBus = (forwarding: EventForwarding | undefined) => {
      const extra: Record<string, string> = {};
      if (forwarding) extra.EVENT_BUS_NAME = forwarding.eventBusName;
      if (this.primaryFence) extra.WRITER_REGION_PARAMETER = this.primaryFence.writerRegionParameterName;
      return Object.keys(extra).length > 0 ? { ...options.environment, ...extra } : options.environment;
    };
    const primaryFn = this.primary.addFunction(id, { ...functionOptions, environment: withBus(this.primaryEventForwarding) });
    const secondaryFn = this.secondaryBlock.addFunction(id, { ...functionOptions, code, environment: withBus(this.secondaryEventForwarding) });
    for (const [fn, forwarding] of [[primaryFn, this.primaryEventForwarding], [secondaryFn, this.secondaryEventForwarding]] as const) {
      if (forwarding) {
        forwarding.grantPutEvents(fn);
        fn.requireInterfaceEndpoint(ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE);
      }
    }
    if (this.primaryFence && this.regionSwitchPlan) {
      readWriterRegion(primaryFn, this.primaryFence);
      readWriterRegion(secondaryFn, this.regionSwitchPlan);
    }
    const pair = { primary: primaryFn, secondary: secondaryFn };
    this.regionFunctions.push(pair);
    const path = `functions/${namePartFromId(primaryFn.name)}/name`;
    this.primaryParameterSet.publish(path, primaryFn.functionName);
    this.secondaryParameterSet.publish(path, secondaryFn.functionName);
    return pair;
  }

  private regionLossLines(): RegionLossLine[] {
    return [...this.storeLines, ...this.regionFunctions.map((f) => functionLine(f.primary.functionName))];
  }

  private addOutputs(): void {
    addRegionOutputs(this.primaryStack, this.secondaryStack, {
      regionRpo: this.regionRpo,
      summary: Lazy.string({ produce: () => regionLossSummary(this.regionLossLines()) }),
      secondaryVpc: this.secondaryVpc,
      secondaryDatabase: this.secondaryDatabase,
      tableName: this.globalTable.tableName,
      replicaBucketName: this.replicaBucket.bucketName,
      copyVaultName: copyVaultName(this.environmentSuffix),
      alarmTopic: this.secondaryAlarmTopic,
      dashboardName: this.secondaryAlarms.dashboard.dashboardName,
      functionNames: Lazy.string({ produce: () => this.regionFunctions.map((f) => f.secondary.functionName).join(',') || 'none' }),
    });
  }
}
