import { Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { auroraNames, auroraSecondaryDerivedNames, validateEnvironmentSuffix, validateGlobalClusterIdentifier } from '../names';
import { acknowledgeDestroyedCluster, acknowledgeMonitoringRole, AuroraClusterBase } from '../private/aurora-cluster-base';
import { validateGlobalInstanceType } from '../private/aurora-global';
import { defaultAuroraPostgresVersion } from '../private/rds';
import { validateCount } from '../private/validation';

/** Why the instances name their Availability Zones (CloudFormation validate W3010). */
const PINNED_ZONE_REASON = 'Each instance is pinned to a different Availability Zone of the selected subnets, so a warm standby survives the loss of one zone; the zones come from the VPC\'s subnets, not typed by hand.';
/** A secondary cluster has no writer, so all 16 instance slots of a cluster can be readers. */
const MAX_SECONDARY_INSTANCES = 16;
const BACKUP_RETENTION_DAYS = 7;
const MONITORING_INTERVAL_SECONDS = 60;
/** The global cluster identifier as RDS takes it: a letter, then letters, digits and single hyphens, at most 63. */
/**
 * Properties for an AuroraGlobalSecondary cluster.
 */
export interface AuroraGlobalSecondaryProps {
  /**
   * Suffix carried by every name this construct derives, for example `prod`.
   * The cluster is named `dr-aurora-{environmentSuffix}`, like the primary in
   * its own region.
   */
  readonly environmentSuffix: string;

  /**
   * The VPC to place the cluster in.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Where to place the instances. The selection must span at least two
   * Availability Zones (an RDS subnet group needs two).
   *
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The identifier of the global cluster to join, for example
   * `dr-aurora-global-prod` (what `EncryptedAurora.globalClusterIdentifier`
   * is). The global cluster and its primary must be deployed first.
   */
  readonly globalClusterIdentifier: string;

  /**
   * The Aurora PostgreSQL engine version. It must be the primary's exact
   * version: RDS refuses a secondary of another version, and switchover and
   * failover need the same major and minor version in every region.
   *
   * @default AuroraPostgresEngineVersion.VER_17_9 (EncryptedAurora's default)
   */
  readonly engineVersion?: rds.AuroraPostgresEngineVersion;

  /**
   * The instance type of the instances. When unset, they are Aurora
   * Serverless v2. Burstable classes (db.t*) are refused: global databases
   * do not support them.
   *
   * @default - Aurora Serverless v2
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Serverless v2 minimum capacity in ACUs (not allowed with `instanceType`).
   * A secondary applies the primary's changes continuously: size it like
   * the primary so it keeps up and can take the primary's load after a
   * failover.
   *
   * @default 2
   */
  readonly serverlessV2MinCapacity?: number;

  /**
   * Serverless v2 maximum capacity in ACUs (not allowed with `instanceType`).
   *
   * @default 4
   */
  readonly serverlessV2MaxCapacity?: number;

  /**
   * How many instances to run (1 to 16), each in a different Availability
   * Zone where possible. At least one keeps the standby warm: a secondary
   * without instances cannot serve reads and takes far longer to promote.
   *
   * @default 1
   */
  readonly instances?: number;

  /**
   * The KMS key of this region that encrypts the cluster's storage,
   * Performance Insights and the PostgreSQL log group. A key defined in
   * another app must allow CloudWatch Logs to use it for the log group.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-aurora-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The port the cluster listens on (the primary's, so clients connect the
   * same way after a failover).
   *
   * @default 5432
   */
  readonly port?: number;

  /**
   * The name of the database the primary created. The secondary cannot set
   * it (RDS refuses a database name on a secondary cluster; the database
   * comes with the replicated data): this is what `databaseName` reports to
   * code that connects.
   *
   * @default 'app'
   */
  readonly databaseName?: string;

  /**
   * What happens to the cluster when the stack deletes it. CloudFormation
   * first detaches it from the global cluster (it becomes a standalone
   * cluster), then deletes it: `SNAPSHOT` takes a final snapshot; `DESTROY`
   * turns deletion protection off and deletes it. Deletion protection is on
   * for anything but `DESTROY`.
   *
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The secondary cluster of an Aurora PostgreSQL global database, in its own
 * region: a warm standby with at least one instance in isolated subnets,
 * storage encrypted with a key of this region, TLS enforced, IAM database
 * authentication, PostgreSQL logs in CloudWatch Logs, Enhanced Monitoring
 * and Performance Insights, deletion protection unless DESTROY.
 *
 * It has no master credentials of its own: the users and their passwords
 * are replicated from the primary, like the data. Code in this region reads
 * the credentials from the replica of the primary's secret
 * (`EncryptedAurora.secretName`).
 *
 * aws-cdk-lib has no L2 for a global database member, so the cluster and
 * its instances are L1 resources; `cluster` views them as an
 * `rds.IDatabaseCluster` to wire like any other cluster.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const appFunction: ec2.IConnectable;
 * const secondary = new AuroraGlobalSecondary(this, 'Database', {
 *   environmentSuffix: 'prod',
 *   vpc,
 *   globalClusterIdentifier: 'dr-aurora-global-prod',
 * });
 * secondary.cluster.connections.allowDefaultPortFrom(appFunction);
 */
export class AuroraGlobalSecondary extends AuroraClusterBase {
  /** The cluster, as a cluster every aws-cdk-lib API takes (endpoints, port, connections, grants). */
  public readonly cluster: rds.IDatabaseCluster;
  /** The L1 cluster resource. */
  public readonly cfnCluster: rds.CfnDBCluster;
  /** The L1 instances, in order. */
  public readonly instances: rds.CfnDBInstance[];
  /** The subnet group of the cluster. */
  public readonly subnetGroup: rds.ISubnetGroup;
  /** The role Enhanced Monitoring publishes with. */
  public readonly monitoringRole: iam.IRole;
  /** The cluster identifier, `dr-aurora-{environmentSuffix}`. */
  public readonly clusterIdentifier: string;
  /** The identifier of the global cluster the cluster is a member of. */
  public readonly globalClusterIdentifier: string;

  constructor(scope: Construct, id: string, props: AuroraGlobalSecondaryProps) {
    const instanceCount = props.instances ?? 1;
    const maxCapacity = props.serverlessV2MaxCapacity ?? 4;
    const minCapacity = props.serverlessV2MinCapacity ?? (Token.isUnresolved(maxCapacity) ? 2 : Math.min(2, maxCapacity));
    const engineVersion = props.engineVersion ?? defaultAuroraPostgresVersion();
    const suffix = props.environmentSuffix;
    const names = auroraNames(suffix);
    super(scope, id, {
      validateSuffix: (self) => validateEnvironmentSuffix(self, suffix,
        (s) => auroraSecondaryDerivedNames(s, instanceCount, props.encryptionKey === undefined)),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      twoZonesReason: '(an RDS subnet group needs two)',
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      destroyWhat: 'the secondary Aurora cluster and its key',
      engineVersion,
      databaseName: props.databaseName,
      port: props.port,
      instanceType: props.instanceType,
      givenMinCapacity: props.serverlessV2MinCapacity,
      givenMaxCapacity: props.serverlessV2MaxCapacity,
      minCapacity,
      maxCapacity,
      logRetention: logs.RetentionDays.ONE_YEAR,
      label: 'DR Aurora secondary cluster',
      clusterName: names.cluster,
      keyAlias: names.keyAlias,
      keyDescription: `Encrypts the DR Aurora secondary cluster, its snapshots and logs (${suffix})`,
      logGroupName: names.logGroup,
    });

    validateCount(this, 'instances', instanceCount, 1, MAX_SECONDARY_INSTANCES);
    validateGlobalClusterIdentifier(this, props.globalClusterIdentifier);
    validateGlobalInstanceType(this, 'instanceType', props.instanceType);
    const zones = this._zones;
    const destroy = this._destroy;
    this.globalClusterIdentifier = props.globalClusterIdentifier;

    this.subnetGroup = new rds.SubnetGroup(this, 'SubnetGroup', {
      vpc: props.vpc,
      vpcSubnets: this._vpcSubnets,
      description: `DR Aurora secondary cluster ${names.cluster}`,
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    this.monitoringRole = new iam.Role(this, 'MonitoringRole', {
      assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
    });
    acknowledgeMonitoringRole(this.monitoringRole);

    // A secondary takes no master user name or password, no managed
    // password and no database name: RDS refuses each ("cannot specify ...
    // for cross region replication cluster"). They come from the primary.
    this.cfnCluster = new rds.CfnDBCluster(this, 'Cluster', {
      dbClusterIdentifier: names.cluster,
      globalClusterIdentifier: props.globalClusterIdentifier,
      engine: 'aurora-postgresql',
      engineVersion: engineVersion.auroraPostgresFullVersion,
      storageEncrypted: true,
      kmsKeyId: this.encryptionKey.keyArn,
      dbSubnetGroupName: this.subnetGroup.subnetGroupName,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      dbClusterParameterGroupName: this.parameterGroup.bindToCluster({}).parameterGroupName,
      port: this.port,
      enableIamDatabaseAuthentication: true,
      enableCloudwatchLogsExports: ['postgresql'],
      backupRetentionPeriod: BACKUP_RETENTION_DAYS,
      copyTagsToSnapshot: true,
      deletionProtection: !destroy,
      serverlessV2ScalingConfiguration: props.instanceType ? undefined : { minCapacity, maxCapacity },
    });
    // The delete handler detaches the cluster from the global cluster before
    // deleting it, so a final snapshot works on a secondary too.
    this.cfnCluster.applyRemovalPolicy(destroy ? RemovalPolicy.DESTROY : (props.removalPolicy ?? RemovalPolicy.SNAPSHOT));
    this.cfnCluster.node.addDependency(this.logGroup);
    acknowledgeDestroyedCluster(this.cfnCluster, destroy);

    const instanceClass = props.instanceType ? `db.${props.instanceType.toString()}` : 'db.serverless';
    this.instances = [];
    for (let i = 1; i <= instanceCount; i++) {
      const instance = new rds.CfnDBInstance(this, `Instance${i}`, {
        dbInstanceIdentifier: names.secondaryInstance(i),
        dbClusterIdentifier: this.cfnCluster.ref,
        engine: 'aurora-postgresql',
        dbInstanceClass: instanceClass,
        availabilityZone: zones[(i - 1) % zones.length],
        publiclyAccessible: false,
        // No AutoMinorVersionUpgrade: it has no effect on a global database member (docs/aurora-global-secondary.md).
        // Tier 0-1 Serverless v2 readers scale with the writer after a promotion.
        promotionTier: 1,
        enablePerformanceInsights: true,
        performanceInsightsKmsKeyId: this.encryptionKey.keyArn,
        performanceInsightsRetentionPeriod: 7,
        monitoringInterval: MONITORING_INTERVAL_SECONDS,
        monitoringRoleArn: this.monitoringRole.roleArn,
      });
      // A cluster member cannot take a snapshot of its own: the cluster's policy decides.
      instance.applyRemovalPolicy(props.removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
      // The zones are the selected subnets' (often another stack's VPC, so aws-cdk-lib's own
      // acknowledgement for stack.availabilityZones does not reach here): pinned on purpose.
      Validations.of(instance).acknowledge({ id: 'CloudFormation-Validate::W3010', reason: PINNED_ZONE_REASON });
      this.instances.push(instance);
    }

    this.cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(this, 'ClusterView', {
      clusterIdentifier: this.cfnCluster.ref,
      clusterResourceIdentifier: this.cfnCluster.attrDbClusterResourceId,
      clusterEndpointAddress: this.cfnCluster.attrEndpointAddress,
      readerEndpointAddress: this.cfnCluster.attrReadEndpointAddress,
      port: this.port,
      securityGroups: [this.securityGroup],
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: engineVersion }),
      instanceIdentifiers: this.instances.map((i) => i.ref),
      instanceEndpointAddresses: this.instances.map((i) => i.attrEndpointAddress),
    });
    this.clusterIdentifier = names.cluster;
  }

  /**
   * How far the secondary's storage is behind the primary's, in
   * milliseconds (`AuroraGlobalDBReplicationLag`). RDS publishes it in the
   * secondary's region, so alarms on it must live in this region. This is
   * the series with the dimension `DBClusterIdentifier` alone; AWS also
   * lists `SourceRegion` among its dimensions, so DrAlarms'
   * `monitorGlobalDatabase` reads every dimension set instead.
   *
   * @default - maximum over 1 minute
   */
  public metricReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AuroraGlobalDBReplicationLag', props);
  }

  /**
   * The recovery point lag, in milliseconds (`AuroraGlobalDBRPOLag`): how
   * long the latest committed transaction on the primary takes to be stored
   * here, that is the data a failover now would lose. Published in the
   * secondary's region. This is the series with the dimension
   * `DBClusterIdentifier` alone (see `metricReplicationLag`).
   *
   * @default - maximum over 1 minute
   */
  public metricRpoLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AuroraGlobalDBRPOLag', props);
  }

  private metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName,
      dimensionsMap: { DBClusterIdentifier: this.clusterIdentifier },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      unit: cloudwatch.Unit.MILLISECONDS,
      ...props,
    });
  }
}
