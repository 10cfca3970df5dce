import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { auroraKeyAliasArn, auroraNames, encryptedAuroraDerivedNames, validateEnvironmentSuffix } from '../names';
import { SecretReplicaRemoval } from './secret-replica-removal';
import { acknowledgeDestroyedCluster, acknowledgeMonitoringRole, AuroraClusterBase } from '../private/aurora-cluster-base';
import { GLOBAL_MIN_ACU_GUIDANCE, validateGlobalInstanceType, validateGlobalRegions } from '../private/aurora-global';
import { validateDays, validateDuration } from '../private/duration';
import { acknowledgeFinding } from '../private/nag';
import { pascalCase } from '../private/naming';
import { defaultAuroraPostgresVersion, validateBackupWindow, validatePostgresIdentifier } from '../private/rds';
import { retainUnlessDestroy } from '../private/removal';
import { DrValidationError, validateCount } from '../private/validation';
import { addDrWarning } from '../private/warnings';

/**
 * AWS recommends a Serverless v2 minimum of at least 2 ACUs for instances with
 * Performance Insights on, which every instance here has; below that the
 * instance can be too small for the monitoring it runs.
 */
const MIN_ACU_WITH_PERFORMANCE_INSIGHTS = 2;
/**
 * Why the generated secret of a global database has no rotation schedule
 * here: the library cannot know that the VPC can reach Secrets Manager.
 */
const GLOBAL_ROTATION_REASON = 'Members of an Aurora global database cannot use the RDS-managed, self-rotating master password, so the secret is generated. '
  + 'Rotating it needs a rotation function that reaches both the cluster and the Secrets Manager API from the VPC (an interface endpoint in isolated subnets), '
  + 'which only the application can provide: it adds rotation with cluster.addRotationSingleUser(). Until then the master password does not rotate.';
/** Warning id for a Serverless v2 minimum below what AWS recommends with Performance Insights. */
export const SMALL_MIN_CAPACITY_WARNING_ID = 'cdk-dr-platform:serverlessV2MinCapacityBelowPerformanceInsightsGuidance';

/**
 * Properties for an EncryptedAurora cluster.
 */
export interface EncryptedAuroraProps extends EncryptedAuroraOptions {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   * The cluster is named `dr-aurora-{environmentSuffix}`.
   */
  readonly environmentSuffix: string;

  /**
   * The VPC to place the cluster in.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Where to place the instances. The selection must span at least two
   * Availability Zones: the writer and each reader go to different ones.
   *
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * What happens to the cluster when the stack deletes it. `SNAPSHOT` takes a
   * final snapshot; `DESTROY` turns deletion protection off and deletes it.
   * Deletion protection is on for anything but `DESTROY`.
   *
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * How the cluster is built, whether it stands alone or leads a global
 * database: what MultiRegionDrPlatform takes as `database` (it makes the
 * cluster global itself).
 */
export interface AuroraClusterOptions {
  /**
   * The KMS key that encrypts storage, snapshots, the credentials secret,
   * Performance Insights and the PostgreSQL log group. A key defined in
   * another app must allow CloudWatch Logs to use it for the log group.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-aurora-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The Aurora PostgreSQL engine version (14 or newer).
   *
   * @default AuroraPostgresEngineVersion.VER_17_9
   */
  readonly engineVersion?: rds.AuroraPostgresEngineVersion;

  /**
   * The instance type of the writer and readers. When unset, the instances
   * are Aurora Serverless v2.
   *
   * @default - Aurora Serverless v2
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Serverless v2 minimum capacity in ACUs (not allowed with `instanceType`).
   * Below 2 ACUs is a warning: AWS recommends at least 2 with Performance
   * Insights, which every instance here has. In global mode (see
   * `globalSecondaryRegions`) below 8 ACUs is a warning too: AWS advises at
   * least 8 in a global database's primary so the secondaries keep up.
   *
   * @default - 2; 8 in global mode (lowered to `serverlessV2MaxCapacity` when that is smaller)
   */
  readonly serverlessV2MinCapacity?: number;

  /**
   * Serverless v2 maximum capacity in ACUs (not allowed with `instanceType`).
   *
   * @default - 4; 16 in global mode
   */
  readonly serverlessV2MaxCapacity?: number;

  /**
   * How many readers to run beside the writer (1 to 15). Readers are failover
   * targets, each in a different Availability Zone from the writer. It must be
   * a concrete number: it decides how many instances the template has.
   *
   * @default 1
   */
  readonly readers?: number;

  /**
   * How long automated backups are kept: 7 to 35 whole days.
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;

  /**
   * The daily window for automated backups, `hh24:mi-hh24:mi` in UTC, at
   * least 30 minutes long.
   *
   * @default - a window RDS picks for the region
   */
  readonly preferredBackupWindow?: string;

  /**
   * Name of the database created in the cluster: 1 to 63 letters, digits or
   * underscores, starting with a letter, not a PostgreSQL reserved word.
   *
   * @default 'app'
   */
  readonly databaseName?: string;

  /**
   * The master user's name. Its password is generated and rotated by RDS in
   * Secrets Manager, encrypted with `encryptionKey` (in global mode: generated
   * into the secret `dr-aurora-{environmentSuffix}-credentials`, see
   * `globalSecondaryRegions`).
   *
   * @default 'dbadmin'
   */
  readonly masterUsername?: string;

  /**
   * The port the cluster listens on.
   *
   * @default 5432
   */
  readonly port?: number;

  /**
   * How long the exported PostgreSQL log is kept in CloudWatch Logs.
   *
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The interval of Enhanced Monitoring (1, 5, 10, 15, 30 or 60 seconds).
   *
   * @default Duration.seconds(60)
   */
  readonly monitoringInterval?: Duration;

}

/**
 * How the cluster is built: everything `PlatformDatabase.encryptedAurora`
 * passes through, the global database included.
 */
export interface EncryptedAuroraOptions extends AuroraClusterOptions {
  /**
   * Makes the cluster the primary of an Aurora global database replicating
   * to these regions (concrete region names, not the stack's own region, no
   * duplicates). The construct then creates the global cluster
   * `dr-aurora-global-{environmentSuffix}` (encrypted, the same engine
   * version, deletion protection unless DESTROY) and the cluster joins it;
   * each secondary region gets its cluster from `AuroraGlobalSecondary`,
   * deployed after this one.
   *
   * Members of a global database cannot have an RDS-managed master password,
   * so the credentials become a secret generated by CloudFormation, named
   * `dr-aurora-{environmentSuffix}-credentials` and replicated to each of
   * these regions, where the replica is encrypted with that region's key
   * `alias/dr-aurora-{environmentSuffix}` (which must exist there before this
   * stack deploys: CloudFormation reports the secret created even when a
   * replica fails, for instance on a missing alias). The master password does not rotate by itself any more:
   * add rotation with `cluster.addRotationSingleUser()` (its function must
   * reach Secrets Manager from the VPC, through an interface endpoint in
   * isolated subnets); each rotation replicates.
   *
   * Burstable instance classes (db.t*) are refused, and a Serverless v2
   * minimum below 8 ACUs is a warning: AWS advises at least 8 in the primary
   * so the secondaries keep up.
   *
   * @default - a regional cluster, with RDS-managed credentials
   */
  readonly globalSecondaryRegions?: string[];
}

/**
 * Aurora PostgreSQL with a writer and readers in different Availability
 * Zones of isolated subnets, storage encrypted with a customer-managed key,
 * automated backups (7 days by default), RDS-managed credentials in Secrets
 * Manager, TLS enforced, IAM database authentication, PostgreSQL logs in
 * CloudWatch Logs, Enhanced Monitoring and Performance Insights.
 *
 * Nothing reaches the cluster until allowed: `connections`, `allowDefaultPortFrom`, `grantConnect`.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const appFunction: ec2.IConnectable;
 * const db = new EncryptedAurora(this, 'Database', { environmentSuffix: 'dev', vpc });
 * db.allowDefaultPortFrom(appFunction);
 */
export class EncryptedAurora extends AuroraClusterBase {
  /** The cluster. */
  public readonly cluster: rds.DatabaseCluster;
  /**
   * The secret holding the master user's credentials: managed and rotated by
   * RDS, or, in global mode, generated by CloudFormation and replicated to
   * each secondary region (see `globalSecondaryRegions`).
   */
  public readonly secret: secretsmanager.ISecret;
  /** The cluster identifier, `dr-aurora-{environmentSuffix}`. */
  public readonly clusterIdentifier: string;
  /** The automated backup retention in days, or undefined when it is a token. */
  public readonly backupRetentionDays?: number;
  /** The global cluster this cluster is the primary of; undefined unless `globalSecondaryRegions` is set. */
  public readonly globalCluster?: rds.CfnGlobalCluster;
  /** The global cluster identifier, `dr-aurora-global-{environmentSuffix}`; undefined unless `globalSecondaryRegions` is set. */
  public readonly globalClusterIdentifier?: string;
  /**
   * The name of the credentials secret. In global mode it is the plain
   * string `dr-aurora-{environmentSuffix}-credentials`, the same in every
   * region it is replicated to; otherwise RDS names the secret, and this is a
   * token resolved at deploy.
   */
  public readonly secretName: string;
  /** The regions the cluster replicates to (empty unless `globalSecondaryRegions` is set). */
  public readonly globalSecondaryRegions: string[];

  constructor(scope: Construct, id: string, props: EncryptedAuroraProps) {
    const readerCount = props.readers ?? 1;
    const global = props.globalSecondaryRegions !== undefined;
    // A global database's primary starts at the 8 ACUs AWS advises, so
    // replication keeps the secondaries close; the ceiling leaves it room to scale.
    const defaultMin = global ? GLOBAL_MIN_ACU_GUIDANCE : MIN_ACU_WITH_PERFORMANCE_INSIGHTS;
    const maxCapacity = props.serverlessV2MaxCapacity ?? (global ? 2 * GLOBAL_MIN_ACU_GUIDANCE : 4);
    const minCapacity = props.serverlessV2MinCapacity
      ?? (Token.isUnresolved(maxCapacity) ? defaultMin : Math.min(defaultMin, maxCapacity));
    const suffix = props.environmentSuffix;
    const names = auroraNames(suffix);
    super(scope, id, {
      validateSuffix: (self) => validateEnvironmentSuffix(self, suffix, (s) => encryptedAuroraDerivedNames(s, readerCount, global)),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      twoZonesReason: 'so the writer and readers are apart',
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      destroyWhat: 'the Aurora cluster, its automated backups and its key',
      engineVersion: props.engineVersion ?? defaultAuroraPostgresVersion(),
      databaseName: props.databaseName,
      port: props.port,
      instanceType: props.instanceType,
      givenMinCapacity: props.serverlessV2MinCapacity,
      givenMaxCapacity: props.serverlessV2MaxCapacity,
      minCapacity,
      maxCapacity,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      label: 'DR Aurora cluster',
      clusterName: names.cluster,
      keyAlias: names.keyAlias,
      keyDescription: `Encrypts the DR Aurora cluster, its snapshots, secret and logs (${suffix})`,
      logGroupName: names.logGroup,
    });

    validateCount(this, 'readers', readerCount, 1, 15);
    const globalRegions = props.globalSecondaryRegions === undefined
      ? undefined : validateGlobalRegions(this, 'globalSecondaryRegions', props.globalSecondaryRegions);
    if (global) {
      validateGlobalInstanceType(this, 'instanceType', props.instanceType);
    }
    validatePostgresIdentifier(this, 'masterUsername', props.masterUsername, 'user');
    validateBackupWindow(this, 'preferredBackupWindow', props.preferredBackupWindow);
    const backupRetention = props.backupRetention ?? Duration.days(7);
    this.backupRetentionDays = validateDays(this, 'backupRetention', backupRetention, 7, 35);
    const monitoringInterval = props.monitoringInterval ?? Duration.seconds(60);
    validateDuration(this, 'monitoringInterval', monitoringInterval, { unit: 'seconds', min: 1, max: 60, tokens: true });
    this.validateMonitoringInterval(monitoringInterval);
    if (!props.instanceType && !Token.isUnresolved(minCapacity) && minCapacity < MIN_ACU_WITH_PERFORMANCE_INSIGHTS) {
      Annotations.of(this).addWarningV2(SMALL_MIN_CAPACITY_WARNING_ID,
        `\`serverlessV2MinCapacity\` is ${minCapacity} ACUs: AWS recommends at least ${MIN_ACU_WITH_PERFORMANCE_INSIGHTS} ACUs for Aurora Serverless v2 instances with Performance Insights, which these have. `
        + 'An instance this small can run short of memory for the monitoring itself, and a freeable-memory alarm sized for it fires on normal use.');
    }
    if (global && !props.instanceType && !Token.isUnresolved(minCapacity) && minCapacity < GLOBAL_MIN_ACU_GUIDANCE) {
      addDrWarning(this, 'globalDatabaseMinCapacityBelowGuidance',
        `\`serverlessV2MinCapacity\` is ${minCapacity} ACUs on the primary of an Aurora global database: AWS advises at least ${GLOBAL_MIN_ACU_GUIDANCE} ACUs, `
        + 'or the primary can fall short of the capacity replication needs and the secondaries lag behind (a larger data loss on a region failover).');
    }
    const zones = this._zones;
    const destroy = this._destroy;
    const engineVersion = props.engineVersion ?? defaultAuroraPostgresVersion();
    this.globalSecondaryRegions = globalRegions ?? [];

    if (globalRegions) {
      // The global cluster holds no data of its own; it is kept unless
      // DESTROY, so deleting the primary's stack never strands a secondary.
      this.globalCluster = new rds.CfnGlobalCluster(this, 'GlobalCluster', {
        globalClusterIdentifier: names.globalCluster,
        engine: 'aurora-postgresql',
        engineVersion: engineVersion.auroraPostgresFullVersion,
        storageEncrypted: true,
        deletionProtection: !destroy,
      });
      this.globalCluster.applyRemovalPolicy(destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
      this.globalClusterIdentifier = names.globalCluster;
    }

    const username = props.masterUsername ?? 'dbadmin';
    const stack = Stack.of(this);
    // RDS refuses a managed master password on a global database member.
    // The replica of each region is encrypted with that region's key, named
    // by alias: the key id there is not knowable here.
    const credentials = globalRegions
      ? rds.Credentials.fromGeneratedSecret(username, {
        secretName: names.secret,
        encryptionKey: this.encryptionKey,
        replicaRegions: globalRegions.map((region) => ({
          region,
          encryptionKey: kms.Key.fromKeyArn(this, `ReplicaKey${pascalCase(region)}`,
            auroraKeyAliasArn(stack.partition, region, stack.account, suffix)),
        })),
      })
      : rds.Credentials.fromUsername(username, { encryptionKey: this.encryptionKey });

    const instance = (instanceId: string, identifier: string, availabilityZone: string, isReader: boolean): rds.IClusterInstance => {
      const common = {
        instanceIdentifier: identifier,
        availabilityZone,
        publiclyAccessible: false,
        // Not set on a global database member, where it has no effect (docs/encrypted-aurora.md).
        autoMinorVersionUpgrade: global ? undefined : true,
        enablePerformanceInsights: true,
        performanceInsightEncryptionKey: this.encryptionKey,
        performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      };
      if (props.instanceType) {
        return rds.ClusterInstance.provisioned(instanceId, { ...common, instanceType: props.instanceType, promotionTier: isReader ? 1 : undefined });
      }
      // Readers in tier 0-1 scale with the writer, so a failover lands on a warm instance.
      return rds.ClusterInstance.serverlessV2(instanceId, { ...common, scaleWithWriter: isReader ? true : undefined });
    };
    const readers: rds.IClusterInstance[] = [];
    for (let i = 1; i <= readerCount; i++) {
      readers.push(instance(`Reader${i}`, names.reader(i), zones[i % zones.length], true));
    }

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: engineVersion }),
      clusterIdentifier: names.cluster,
      vpc: props.vpc,
      vpcSubnets: this._vpcSubnets,
      securityGroups: [this.securityGroup],
      writer: instance('Writer', names.writer, zones[0], false),
      readers,
      serverlessV2MinCapacity: this.serverlessV2MinCapacity,
      serverlessV2MaxCapacity: this.serverlessV2MaxCapacity,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      credentials,
      manageMasterUserPassword: !global,
      defaultDatabaseName: this.databaseName,
      port: this.port,
      parameterGroup: this.parameterGroup,
      iamAuthentication: true,
      cloudwatchLogsExports: ['postgresql'],
      monitoringInterval,
      backup: { retention: backupRetention, preferredWindow: props.preferredBackupWindow },
      copyTagsToSnapshot: true,
      deletionProtection: !destroy,
      removalPolicy: destroy ? RemovalPolicy.DESTROY : (props.removalPolicy ?? RemovalPolicy.SNAPSHOT),
    });
    this.cluster.node.addDependency(this.logGroup);
    if (this.globalCluster) {
      // No L2 support for global clusters (aws/aws-cdk#22212). The reference
      // also orders the stack: global cluster, then primary; deleted in reverse.
      (this.cluster.node.defaultChild as rds.CfnDBCluster).globalClusterIdentifier = this.globalCluster.ref;
    }

    acknowledgeDestroyedCluster(this.cluster, destroy);
    const monitoringRole = this.cluster.node.tryFindChild('MonitoringRole');
    if (monitoringRole) {
      acknowledgeMonitoringRole(monitoringRole);
    }

    this.secret = this.cluster.secret!;
    const generatedSecret = this.cluster.node.tryFindChild('Secret');
    if (global && generatedSecret) {
      // The retained cluster (or its final snapshot) and the secondary regions
      // keep using this password: the secret outlives the stack unless DESTROY.
      (generatedSecret as secretsmanager.Secret).applyRemovalPolicy(retainUnlessDestroy(props.removalPolicy));
      acknowledgeFinding(generatedSecret, 'SMG4', ['AwsSolutions'], GLOBAL_ROTATION_REASON);
      acknowledgeFinding(generatedSecret, 'SecretsManagerRotationEnabled', ['NIST.800.53.R5', 'HIPAA.Security'], GLOBAL_ROTATION_REASON);
      if (destroy) {
        // Secrets Manager refuses to delete a secret that still has replicas:
        // they are removed first, or DESTROY would stop at the secret.
        new SecretReplicaRemoval(this, 'SecretReplicaRemoval', {
          secret: generatedSecret as secretsmanager.Secret,
          secretName: names.secret,
          logGroupName: names.secretReplicaRemovalLogGroup,
          encryptionKey: this.encryptionKey,
        });
      }
    }
    this.secretName = global ? names.secret : this.secret.secretName;
    this.clusterIdentifier = this.cluster.clusterIdentifier;
  }

  /**
   * Grants read access to the credentials secret (and decrypt on its key).
   */
  public grantSecretRead(grantee: iam.IGrantable): iam.Grant {
    return this.secret.grantRead(grantee);
  }

  private validateMonitoringInterval(interval: Duration): void {
    const allowed = [1, 5, 10, 15, 30, 60];
    if (!interval.isUnresolved() && !allowed.includes(interval.toSeconds({ integral: false }))) {
      throw new DrValidationError(this,
        `\`monitoringInterval\` must be one of ${allowed.join(', ')} seconds, got: ${interval.toHumanString()}`);
    }
  }
}
