import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { validateKeyRegion } from './kms';
import { createEncryptedLogGroup } from './log-group';
import { acknowledgeFinding, COMPLIANCE_PACKS } from './nag';
import {
  TLS_CLUSTER_PARAMETERS, validateAuroraInstanceType, validateAuroraPort, validateAuroraPostgresVersion, validateCapacityWithInstanceType,
  validatePostgresIdentifier, validateServerlessCapacity,
} from './rds';
import { createDrKey, isDestroy, retainUnlessDestroy } from './removal';
import { selectVpcSubnets } from './subnets';
import { DrValidationError } from './validation';

/** The port an Aurora PostgreSQL cluster listens on unless told otherwise. */
export const DEFAULT_AURORA_PORT = 5432;
/** The database a cluster creates (or, for a secondary, reports) unless told otherwise. */
export const DEFAULT_DATABASE_NAME = 'app';

/** What the two Aurora constructs tell their shared base. */
export interface AuroraClusterBaseProps {
  /**
   * Checks the environment suffix against the names the construct derives
   * (first, as before the split). A callback: the names live in src/names/,
   * which imports from src/private/, so src/private/ must not import it.
   */
  readonly validateSuffix: (scope: IConstruct) => void;
  readonly vpc: ec2.IVpc;
  /** The user's `vpcSubnets`, undefined when unset. */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Why the subnets must span two Availability Zones, for the error message. */
  readonly twoZonesReason: string;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
  /** What DESTROY deletes, for the warning. */
  readonly destroyWhat: string;
  readonly engineVersion: rds.AuroraPostgresEngineVersion;
  readonly databaseName?: string;
  readonly port?: number;
  readonly instanceType?: ec2.InstanceType;
  /** The user's capacities, to refuse them beside `instanceType`. */
  readonly givenMinCapacity?: number;
  readonly givenMaxCapacity?: number;
  /** The capacities the cluster gets: the user's or the construct's defaults. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly logRetention: logs.RetentionDays;
  /** `DR Aurora cluster` or `DR Aurora secondary cluster`: starts the descriptions. */
  readonly label: string;
  readonly clusterName: string;
  readonly keyAlias: string;
  readonly keyDescription: string;
  readonly logGroupName: string;
}

/**
 * What an Aurora primary and a global secondary have in common, the way
 * aws-cdk-lib's `DatabaseClusterBase` serves its clusters: the checks of the
 * shared props, the key, the log group, the security group and the TLS
 * parameter group (in that order, so the templates keep their order), the
 * attributes that follow from them, and access to the cluster.
 *
 * Not exported: jsii blends its public members into each subclass.
 *
 * @internal
 */
export abstract class AuroraClusterBase extends Construct implements ec2.IConnectable {
  /** The cluster, as a cluster every aws-cdk-lib API takes (endpoints, port, connections, grants). */
  public abstract readonly cluster: rds.IDatabaseCluster;
  /** The key of this region that encrypts storage, snapshots, Performance Insights, the logs and a primary's secret. */
  public readonly encryptionKey: kms.IKey;
  /** The cluster's security group. It admits nothing until the caller allows it. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The cluster parameter group, which enforces TLS. */
  public readonly parameterGroup: rds.IParameterGroup;
  /** The log group that receives the exported PostgreSQL log. */
  public readonly logGroup: logs.ILogGroup;
  /** The port the cluster listens on (a number, so rules on it can be checked at synth). */
  public readonly port: number;
  /** The name of the database in the cluster (a secondary's comes from the primary, replicated). */
  public readonly databaseName: string;
  /** The Serverless v2 minimum capacity in ACUs, or undefined for provisioned instances. */
  public readonly serverlessV2MinCapacity?: number;
  /** The Serverless v2 maximum capacity in ACUs, or undefined for provisioned instances. */
  public readonly serverlessV2MaxCapacity?: number;

  /** @internal The subnets' Availability Zones, two or more. */
  protected readonly _zones: string[];
  /** @internal Whether the removal policy is DESTROY. */
  protected readonly _destroy: boolean;
  /** @internal The subnets the cluster goes to. */
  protected readonly _vpcSubnets: ec2.SubnetSelection;
  /** The description a rule admitting a peer gets unless told. */
  private readonly accessDescription: string;

  protected constructor(scope: Construct, id: string, props: AuroraClusterBaseProps) {
    super(scope, id);

    props.validateSuffix(this);
    validateKeyRegion(this, 'encryptionKey', props.encryptionKey);
    validatePostgresIdentifier(this, 'databaseName', props.databaseName, 'database');
    validateAuroraPostgresVersion(this, 'engineVersion', props.engineVersion);
    validateAuroraPort(this, 'port', props.port);
    validateAuroraInstanceType(this, 'instanceType', props.instanceType);
    validateCapacityWithInstanceType(this, props.instanceType, props.givenMinCapacity, props.givenMaxCapacity);
    validateServerlessCapacity(this, props.minCapacity, props.maxCapacity);
    this.serverlessV2MinCapacity = props.instanceType ? undefined : props.minCapacity;
    this.serverlessV2MaxCapacity = props.instanceType ? undefined : props.maxCapacity;
    this._vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    this._zones = selectVpcSubnets(this, props.vpc, props.vpcSubnets, this._vpcSubnets).availabilityZones;
    if (this._zones.length < 2) {
      throw new DrValidationError(this,
        `\`vpcSubnets\` must select subnets in at least 2 Availability Zones ${props.twoZonesReason}, got: ${this._zones.length} (${this._zones.join(', ') || 'none'})`);
    }

    this._destroy = isDestroy(this, props.removalPolicy, props.destroyWhat);
    this.port = props.port ?? DEFAULT_AURORA_PORT;
    this.databaseName = props.databaseName ?? DEFAULT_DATABASE_NAME;
    this.accessDescription = `Granted access to the ${props.label}`;

    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: props.keyAlias,
      description: props.keyDescription,
      destroy: this._destroy,
    });

    // RDS writes the exported log to this group; creating it here gives it a
    // retention and encryption without a log-retention Lambda.
    this.logGroup = createEncryptedLogGroup(this, 'PostgresqlLogGroup', {
      logGroupName: props.logGroupName,
      retention: props.logRetention,
      encryptionKey: this.encryptionKey,
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.label} ${props.clusterName}: admits only what is granted`,
      allowAllOutbound: false,
    });

    this.parameterGroup = new rds.ParameterGroup(this, 'ParameterGroup', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: props.engineVersion }),
      description: `${props.label} ${props.clusterName}: TLS enforced`,
      parameters: { ...TLS_CLUSTER_PARAMETERS },
    });
  }

  /** The network connections of the cluster. */
  public get connections(): ec2.Connections {
    return this.cluster.connections;
  }

  /** The writer endpoint; a global secondary's accepts writes only after the cluster is promoted. */
  public get clusterEndpoint(): rds.Endpoint {
    return this.cluster.clusterEndpoint;
  }

  /** The reader endpoint, load-balanced over the readers. */
  public get clusterReadEndpoint(): rds.Endpoint {
    return this.cluster.clusterReadEndpoint;
  }

  /** The ARN of the cluster. */
  public get clusterArn(): string {
    return this.cluster.clusterArn;
  }

  /**
   * Allows a peer (a function, a security group) to reach the cluster on its
   * port. Nothing else is admitted.
   */
  public allowDefaultPortFrom(other: ec2.IConnectable, description?: string): void {
    this.connections.allowFrom(other, ec2.Port.tcp(this.port), description ?? this.accessDescription);
  }

  /**
   * Grants `rds-db:connect` for IAM database authentication as `dbUser`.
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    return this.cluster.grantConnect(grantee, dbUser);
  }
}

/**
 * Acknowledges, on a cluster whose removal policy is DESTROY, the findings
 * about deletion protection being off.
 */
export function acknowledgeDestroyedCluster(cluster: IConstruct, destroy: boolean): void {
  if (!destroy) {
    return;
  }
  const reason = 'removalPolicy DESTROY was chosen explicitly: the stack must delete the cluster with no manual step, so deletion protection is off.';
  acknowledgeFinding(cluster, 'RDS10', ['AwsSolutions'], reason);
  acknowledgeFinding(cluster, 'RDSInstanceDeletionProtectionEnabled', COMPLIANCE_PACKS, reason);
}

/** Acknowledges the AWS-managed policy of the Enhanced Monitoring role. */
export function acknowledgeMonitoringRole(role: IConstruct): void {
  acknowledgeFinding(role, 'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]', ['AwsSolutions'],
    'AmazonRDSEnhancedMonitoringRole is the AWS-managed policy RDS requires for Enhanced Monitoring; it only allows writing the RDSOSMetrics log group.');
}
