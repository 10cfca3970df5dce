import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EncryptedAurora } from '../encrypted-aurora';
import { PitrTable } from '../pitr-table';
import { DataAccess } from './data-access';
import { validateEnvironmentKey, validateRuntime, validateVariable } from './validation';
import { DataConnectionOptions, ResourceConnectionOptions, VpcLambdaProps } from './vpc-lambda-options';
import { functionNames, validateEnvironmentSuffix, vpcLambdaDerivedNames } from '../names';
import { Access, grantBucketAccess, grantTableAccess } from '../private/data-access';
import { encryptedDeadLetterQueue } from '../private/dead-letter-queue';
import { validateDuration } from '../private/duration';
import { validateKeyRegion } from '../private/kms';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding } from '../private/nag';
import { namePartFromId, validateNamePart } from '../private/naming';
import { validateAuroraPort } from '../private/rds';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { selectVpcSubnets } from '../private/subnets';
import { DrValidationError, quote, validateIntegerRange } from '../private/validation';
import { DrVpcEndpoints } from '../private/vpc-endpoints';
import { ClusterConnectionOptions } from '../stores/cluster-connection';
import { ProtectedResource, ProtectedResourceType } from '../stores/protected-resource';
import { VersionedBucket } from '../versioned-bucket';


/**
 * A Lambda function in the isolated subnets of a VPC, with its own security
 * group, an encrypted log group with a retention, tracing, a dead-letter
 * queue, reserved concurrency, and a role whose every permission comes from
 * a grant, in one customer-managed policy.
 *
 * Everything it may call is reachable without NAT: wiring it to a database,
 * table or bucket (or turning tracing on) adds the gateway or interface
 * endpoint the call needs.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const db: EncryptedAurora;
 * declare const table: PitrTable;
 * const fn = new VpcLambda(this, 'Processor', {
 *   environmentSuffix: 'dev', vpc,
 *   code: lambda.Code.fromAsset('dist/processor'), handler: 'index.handler', runtime: HandlerRuntime.newestNodejs(this),
 * });
 * fn.connectDatabase(db);
 * fn.grantTable(table, DataAccess.READ_WRITE);
 */
export class VpcLambda extends Construct implements ec2.IConnectable, iam.IGrantable {
  /** The function. */
  public readonly function: lambda.Function;
  /** The function's role; every grant lands in its customer-managed policy. */
  public readonly role: iam.IRole;
  /** The function's security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The dead-letter queue for failed asynchronous invocations. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The key that encrypts logs, environment and dead-letter queue. */
  public readonly encryptionKey: kms.IKey;
  /** The network connections of the function. */
  public readonly connections: ec2.Connections;
  /** The principal that grants go to. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The function's short name, as in `dr-{name}-{environmentSuffix}`. */
  public readonly name: string;
  /** The function's name, `dr-{name}-{environmentSuffix}`. */
  public readonly functionName: string;
  /** The function's timeout. */
  public readonly timeout: Duration;

  private readonly endpoints?: DrVpcEndpoints;
  private readonly policy: iam.ManagedPolicy;
  private gatewayEgressAdded = false;
  /** Every environment variable set so far, and who set it, so none is silently overwritten. */
  private readonly environmentOwners = new Map<string, string>();

  constructor(scope: Construct, id: string, props: VpcLambdaProps) {
    super(scope, id);
    const name = validateNamePart(this, 'name', props.name ?? namePartFromId(id));
    this.name = name;
    validateEnvironmentSuffix(this, props.environmentSuffix, (suffix) => vpcLambdaDerivedNames(name, suffix));
    const names = functionNames(name, props.environmentSuffix);
    validateRuntime(this, props.runtime, props.code);
    validateKeyRegion(this, 'encryptionKey', props.encryptionKey);
    for (const key of Object.keys(props.environment ?? {})) {
      validateEnvironmentKey(this, key);
      this.environmentOwners.set(key, '`environment`');
    }
    validateIntegerRange(this, 'memorySize', props.memorySize, 128, 10240);
    validateIntegerRange(this, 'reservedConcurrentExecutions', props.reservedConcurrentExecutions, 1, 1000);
    this.timeout = props.timeout ?? Duration.seconds(30);
    validateDuration(this, 'timeout', this.timeout, { unit: 'seconds', min: 1, max: 900, maxReason: "Lambda's limit", tokens: true });

    this.functionName = names.function;
    const destroy = isDestroy(this, props.removalPolicy, `the logs and dead-letter queue of ${this.functionName}`);
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    selectVpcSubnets(this, props.vpc, props.vpcSubnets, vpcSubnets);

    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: names.keyAlias,
      description: `Encrypts the logs, environment and dead-letter queue of ${this.functionName}`,
      destroy,
    });
    this.logGroup = createEncryptedLogGroup(this, 'LogGroup', {
      logGroupName: names.logGroup,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    });
    this.deadLetterQueue = encryptedDeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: names.deadLetterQueue,
      encryptionKey: this.encryptionKey,
      removalPolicy: props.removalPolicy,
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Function ${this.functionName}: egress only where granted`,
      allowAllOutbound: false,
    });

    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Least-privilege role of ${this.functionName}`,
    });
    const policy = role.addStatements(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
      // Lambda decrypts the environment variables with the execution role,
      // and sends to the SSE-KMS dead-letter queue with it.
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.encryptionKey.keyArn],
      }),
      // Lambda creates and removes the function's network interfaces with
      // these; EC2 does not support resource-level permissions for them.
      new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }),
    );
    this.role = role;
    this.grantPrincipal = role;
    this.policy = policy;

    this.function = new lambda.Function(this, 'Function', {
      functionName: this.functionName,
      code: props.code,
      handler: props.handler,
      runtime: props.runtime,
      architecture: props.architecture,
      description: props.description,
      timeout: this.timeout,
      memorySize: props.memorySize ?? 512,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 10,
      tracing: props.tracing ?? lambda.Tracing.ACTIVE,
      environment: props.environment,
      environmentEncryption: this.encryptionKey,
      deadLetterQueue: this.deadLetterQueue,
      logGroup: this.logGroup,
      role,
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [this.securityGroup],
    });
    this.function.node.addDependency(policy);
    this.connections = this.function.connections;

    if (props.createVpcEndpoints ?? true) {
      this.endpoints = DrVpcEndpoints.of(this, props.vpc, vpcSubnets);
    }
    if ((props.tracing ?? lambda.Tracing.ACTIVE) !== lambda.Tracing.DISABLED) {
      this.requireInterfaceEndpoint(ec2.InterfaceVpcEndpointAwsService.XRAY);
    }

    acknowledgeFinding(policy, 'IAM5[Resource::*]', ['AwsSolutions'],
      'Only for EC2 network-interface actions Lambda needs in a VPC and X-Ray trace upload: neither API supports resource-level permissions.');
    acknowledgeFinding(policy, `IAM5[Resource::<${Stack.of(this).getLogicalId(this.logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      'Lambda names its log streams at run time, inside this one log group.');
  }

  /**
   * Connects the function to an EncryptedAurora: `connectCluster` with the
   * cluster's secret and database name.
   *
   * @returns the grant to read the cluster's secret
   */
  public connectDatabase(database: EncryptedAurora): iam.Grant {
    return this.connectCluster(database.cluster, { secret: database.secret, databaseName: database.databaseName, port: database.port });
  }

  /**
   * Connects the function to any Aurora or RDS cluster: opens the cluster's
   * security groups to it on the cluster port, lets it read the credentials
   * secret (adding the Secrets Manager endpoint) or connect with IAM
   * authentication, and sets DB_HOST, DB_READER_HOST (when the cluster has a
   * reader endpoint), DB_PORT, DB_NAME and DB_SECRET_ARN (or DB_USER and
   * DB_IAM_AUTH). An imported cluster needs its endpoint address, port and
   * security groups.
   *
   * @returns the one IAM grant the connection makes: to read the secret, or
   * `rds-db:connect` for the user. Like the grants of `connectTable` and
   * `connectBucket`, it holds the statement on the resource itself, not the
   * key's use or the security group ingress that come with it.
   */
  public connectCluster(cluster: rds.IDatabaseCluster, options: ClusterConnectionOptions): iam.Grant {
    const { secret, iamAuthenticationUser } = options;
    if ((secret === undefined) === (iamAuthenticationUser === undefined)) {
      throw new DrValidationError(this,
        `exactly one of \`secret\` and \`iamAuthenticationUser\` must be given to connect ${this.functionName} to ${cluster.node.path}, got: `
        + (secret ? 'both' : 'neither'));
    }
    if (cluster.connections.securityGroups.length === 0) {
      throw new DrValidationError(this,
        `the cluster ${cluster.node.path} has no security group to admit ${this.functionName}: import it with \`securityGroups\` (rds.DatabaseCluster.fromDatabaseClusterAttributes)`);
    }
    // An imported cluster carries endpoints only when imported with their addresses.
    const endpoint = tryGet(() => cluster.clusterEndpoint);
    if (!endpoint) {
      throw new DrValidationError(this,
        `the cluster ${cluster.node.path} has no endpoint to give ${this.functionName}: import it with \`clusterEndpointAddress\` and \`port\``);
    }
    // IAM authentication names the cluster by its resource id, which an imported cluster has only when given.
    if (iamAuthenticationUser !== undefined && tryGet(() => cluster.clusterResourceIdentifier) === undefined) {
      throw new DrValidationError(this,
        `\`iamAuthenticationUser\` needs the cluster's resource id (cluster-...), which ${cluster.node.path} was imported without: `
        + 'import it with `clusterResourceIdentifier` (rds.DatabaseCluster.fromDatabaseClusterAttributes), or connect with `secret`');
    }
    const reader = tryGet(() => cluster.clusterReadEndpoint);
    validateAuroraPort(this, 'port', options.port);
    const port = options.port ?? endpoint.port;
    cluster.connections.allowFrom(this, ec2.Port.tcp(port), `Function ${this.functionName}`);
    const by = `connectCluster(${cluster.node.path})`;
    this.setEnvironment('DB_HOST', endpoint.hostname, by);
    if (reader) {
      this.setEnvironment('DB_READER_HOST', reader.hostname, by);
    }
    this.setEnvironment('DB_PORT', Token.isUnresolved(port) ? Token.asString(port) : String(port), by);
    if (options.databaseName !== undefined) {
      this.setEnvironment('DB_NAME', options.databaseName, by);
    }
    if (secret) {
      const grant = secret.grantRead(this);
      this.requireInterfaceEndpoint(ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
      this.setEnvironment('DB_SECRET_ARN', secret.secretArn, by);
      if (options.secretEncryptionKey && options.secretEncryptionKey !== secret.encryptionKey) {
        options.secretEncryptionKey.grantDecrypt(this);
      }
      return grant;
    }
    if (options.secretEncryptionKey) {
      throw new DrValidationError(this,
        `\`secretEncryptionKey\` applies only with \`secret\`: ${this.functionName} connects to ${cluster.node.path} with IAM authentication, which reads no secret`);
    }
    // rds-db:connect signs a token locally: no endpoint needed.
    const grant = cluster.grantConnect(this, iamAuthenticationUser!);
    this.setEnvironment('DB_USER', iamAuthenticationUser!, by);
    this.setEnvironment('DB_IAM_AUTH', 'true', by);
    return grant;
  }

  /**
   * Connects the function to a store by its handle: a database with the
   * handle's `connection` (`connectCluster`), a table (`connectTable`) or a
   * bucket (`connectBucket`), each with the handle's key.
   *
   * @returns the grant the underlying connect method returns
   */
  public connectResource(resource: ProtectedResource, options: ResourceConnectionOptions = {}): iam.Grant {
    switch (resource.resourceType) {
      case ProtectedResourceType.AURORA: {
        const cluster = resource._cluster;
        if (!cluster || !resource.connection) {
          throw new DrValidationError(this,
            `the database ${quote(resource.name)} cannot be connected to ${this.functionName}: make its handle with ProtectedResource.fromEncryptedAurora, `
            + `or fromDatabaseCluster(cluster, { connection }), got: ${cluster ? 'a handle without `connection`' : 'a handle without its cluster'}`);
        }
        for (const [prop, value] of [['access', options.access], ['environmentVariable', options.environmentVariable]] as const) {
          if (value !== undefined) {
            throw new DrValidationError(this,
              `\`${prop}\` applies to a table or bucket: a database connection is what its handle's \`connection\` says, got: ${quote(value)} for ${quote(resource.name)}`);
          }
        }
        return this.connectCluster(cluster, resource.connection);
      }
      case ProtectedResourceType.DYNAMODB:
        if (resource._table) {
          return this.connectTable(resource._table, { ...options, encryptionKey: resource.encryptionKey });
        }
        break;
      case ProtectedResourceType.S3:
        if (resource._bucket) {
          return this.connectBucket(resource._bucket, { ...options, encryptionKey: resource.encryptionKey });
        }
        break;
      default:
        break;
    }
    throw new DrValidationError(this,
      `only a database, table or bucket handle made from its construct can be connected to ${this.functionName}, got: ${resource.resourceType} ${quote(resource.name)}`);
  }

  /**
   * Connects the function to any DynamoDB table (`Table`, `TableV2`,
   * imported): grants the item access `options.access` says (and the key's
   * use with named KMS actions, when the table carries its key or
   * `options.encryptionKey` names it),
   * adds the DynamoDB gateway endpoint, and sets the table's name in
   * `options.environmentVariable`.
   *
   * @returns the grant on the table's items (and indexes), as the table's own
   * `grantReadData`/`grantWriteData`/`grantReadWriteData` return it: the
   * key's use is granted beside it, not in it
   */
  public connectTable(table: dynamodb.ITable, options: DataConnectionOptions = {}): iam.Grant {
    const access = options.access ?? DataAccess.READ_WRITE;
    const grant = grantTableAccess(table, this, accessOf(access), options.encryptionKey ?? table.encryptionKey);
    this.useThroughGateway(ec2.GatewayVpcEndpointAwsService.DYNAMODB, 'dynamodb', options.environmentVariable ?? 'TABLE_NAME', table.tableName, `connectTable(${table.node.path})`);
    return grant;
  }

  /**
   * Connects the function to any S3 bucket: grants object access with every
   * action named (no wildcards; versions included) and the key's use, adds
   * the S3 gateway endpoint, and sets the bucket's name in
   * `options.environmentVariable`.
   *
   * @returns the grant on the bucket and its objects (read and write
   * statements combined for `DataAccess.READ_WRITE`): the key's use is
   * granted beside it, not in it
   */
  public connectBucket(bucket: s3.IBucket, options: DataConnectionOptions = {}): iam.Grant {
    const access = options.access ?? DataAccess.READ_WRITE;
    const key = options.encryptionKey ?? bucket.encryptionKey;
    const grant = grantBucketAccess(bucket, this, accessOf(access), key);
    this.useThroughGateway(ec2.GatewayVpcEndpointAwsService.S3, 's3', options.environmentVariable ?? 'BUCKET_NAME', bucket.bucketName, `connectBucket(${bucket.node.path})`);
    const cfn = bucket.node.defaultChild;
    const objects = cfn instanceof s3.CfnBucket
      ? `<${Stack.of(cfn).getLogicalId(cfn)}.Arn>/*`
      : `arn:<AWS::Partition>:s3:::${Token.isUnresolved(bucket.bucketName) ? '<bucket>' : bucket.bucketName}/*`;
    acknowledgeFinding(this.policy, `IAM5[Resource::${objects}]`, ['AwsSolutions'],
      `Object ARNs of the one bucket ${bucket.node.path}: S3 object permissions are granted per key pattern.`);
    return grant;
  }

  /**
   * Connects the function to a PitrTable.
   *
   * @deprecated use `connectTable(table.table, { access, environmentVariable })`: it also grants, sets the variable and adds the endpoint
   */
  public grantTable(table: PitrTable, access: DataAccess = DataAccess.READ_WRITE, environmentVariable: string = 'TABLE_NAME'): iam.Grant {
    return this.connectTable(table.table, { access, environmentVariable });
  }

  /**
   * Connects the function to a VersionedBucket.
   *
   * @deprecated use `connectBucket(bucket.bucket, { access, environmentVariable })`: it also grants, sets the variable and adds the endpoint
   */
  public grantBucket(bucket: VersionedBucket, access: DataAccess = DataAccess.READ_WRITE, environmentVariable: string = 'BUCKET_NAME'): iam.Grant {
    return this.connectBucket(bucket.bucket, { access, environmentVariable, encryptionKey: bucket.encryptionKey });
  }

  /**
   * Adds an interface endpoint the function's code needs (for an AWS API it
   * calls directly beyond what the wiring methods set up), and lets the
   * function reach it.
   */
  public requireInterfaceEndpoint(service: ec2.InterfaceVpcEndpointAwsService): void {
    if (!this.endpoints) {
      return;
    }
    this.endpoints.requireInterface(service);
    this.endpoints.admit(this);
  }

  /**
   * A store reached through a gateway endpoint: the endpoint (routes), HTTPS
   * egress to it, and the store's name in the function's environment.
   */
  private useThroughGateway(
    service: ec2.GatewayVpcEndpointAwsService, shortName: string, environmentVariable: string, name: string, by: string,
  ): void {
    validateVariable(this, environmentVariable);
    this.claimVariable(environmentVariable, by);
    this.endpoints?.requireGateway(service, shortName);
    if (!this.gatewayEgressAdded) {
      this.gatewayEgressAdded = true;
      // Gateway endpoints are routes, not interfaces: in isolated subnets this
      // egress reaches only the S3 and DynamoDB prefixes the routes add.
      this.connections.allowToAnyIpv4(ec2.Port.tcp(443), 'HTTPS to S3 and DynamoDB through gateway endpoints');
    }
    this.function.addEnvironment(environmentVariable, name);
  }

  /** Sets a variable a wiring method owns, refusing to overwrite one set before. */
  private setEnvironment(key: string, value: string, by: string): void {
    this.claimVariable(key, by);
    this.function.addEnvironment(key, value);
  }

  private claimVariable(key: string, by: string): void {
    const owner = this.environmentOwners.get(key);
    if (owner) {
      throw new DrValidationError(this,
        `\`environmentVariable\` ${quote(key)} of ${by} is already set by ${owner}: a second value would overwrite it without a word; pass another variable name or remove it from \`environment\``);
    }
    this.environmentOwners.set(key, by);
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

/** The read and write a `DataAccess` allows, as the library's grant helpers take them. */
function accessOf(access: DataAccess): Access {
  return { read: access !== DataAccess.WRITE, write: access !== DataAccess.READ };
}
