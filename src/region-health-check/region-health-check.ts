import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  CheckName,
  DIMENSION_CHECK,
  DIMENSION_ENVIRONMENT,
  METRIC_CHECK_HEALTHY,
  METRIC_REGION_HEALTHY,
  REGION_HEALTH_NAMESPACE,
  REGION_HEALTH_SERVICE,
} from './health-metrics';
import { regionHealthDerivedNames, regionHealthNames, validateEnvironmentSuffix } from '../names';
import { bundledCode } from '../private/bundled-function';
import { acknowledgeFinding } from '../private/nag';
import { handlerNodeRuntime } from '../private/node-runtime';
import { validateAuroraPort } from '../private/rds';
import { selectVpcSubnets } from '../private/subnets';
import { DrValidationError, quote, validateIntegerRange } from '../private/validation';
import { DrVpcEndpoints } from '../private/vpc-endpoints';
import { HANDLE_FACTORIES, storeConstruct } from '../stores/handle-checks';
import { ProtectedResource, ProtectedResourceType } from '../stores/protected-resource';
import { VpcLambda } from '../vpc-lambda';

/**
 * Properties for RegionHealthCheck.
 */
export interface RegionHealthCheckProps {
  /**
   * Suffix carried by every name this construct derives, for example `prod`.
   * The function and the alarm are `dr-region-health-{environmentSuffix}`.
   */
  readonly environmentSuffix: string;

  /** The VPC the probe runs in: the region's workload VPC, so it sees what the workload sees. */
  readonly vpc: ec2.IVpc;

  /**
   * Where the probe's network interfaces go.
   *
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The database to probe, by its handle (`ProtectedResource.fromEncryptedAurora`
   * or `fromDatabaseCluster`): a TCP connection to its reader endpoint (a
   * global database's secondary cluster serves on it before promotion), or
   * to its cluster endpoint when it has no reader endpoint, on the handle's
   * connection port (else the endpoint's). The cluster's security groups are
   * opened to the probe on that port. An imported cluster needs its endpoint
   * addresses and security groups.
   *
   * @default - the database is not probed
   */
  readonly database?: ProtectedResource;

  /**
   * The table to probe, by its handle (`ProtectedResource.fromPitrTable` or
   * `fromTable`), with a GetItem of a key no item has (the data plane
   * answers, found or not). The probe may call GetItem on this table only,
   * and decrypt with the handle's key.
   *
   * @default - the table is not probed
   */
  readonly table?: ProtectedResource;

  /**
   * The table's partition key, for the probe key. Needed when `table` does
   * not carry its key schema (an imported table or a replica of a global
   * table).
   *
   * @default - read from `table` (a `Table` or `TableV2` defined in the app)
   */
  readonly tablePartitionKey?: dynamodb.Attribute;

  /**
   * The table's sort key, when it has one and `table` does not carry its key
   * schema.
   *
   * @default - read from `table`; none when `tablePartitionKey` is given
   */
  readonly tableSortKey?: dynamodb.Attribute;

  /**
   * The bucket to probe, by its handle (`ProtectedResource.fromVersionedBucket`
   * or `fromBucket`), with HeadBucket (the probe may list this bucket, and
   * read no object).
   *
   * @default - the bucket is not probed
   */
  readonly bucket?: ProtectedResource;

  /**
   * How many consecutive one-minute runs must fail (or publish nothing)
   * before the alarm, and so the Route 53 health check, calls the region
   * unhealthy: 1 to 10.
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;

  /**
   * The key for the probe's logs, environment and dead-letter queue.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-region-health-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Where the alarm notifies when the region turns unhealthy and healthy again.
   *
   * @default - no notification: Route 53 reads the alarm's state directly
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * What happens to the logs, queue and key when the stack deletes them.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A key value no workload writes: the probe reads it and expects nothing. */
const PROBE_KEY_VALUE = '__dr-region-health-probe__';

/**
 * Whether this region can serve the workload, as a CloudWatch alarm that a
 * Route 53 health check of type CLOUDWATCH_METRIC can watch (health checkers
 * run on the internet and cannot reach a private workload; the alarm is how
 * they learn its state).
 *
 * A function in the region's VPC runs every minute and checks, from where
 * the workload runs, that the database accepts TCP connections, that the
 * table answers a GetItem and that the bucket answers HeadBucket (the last
 * two through the VPC's gateway endpoints). It publishes `RegionHealthy`
 * (1 or 0) in embedded metric format: a log line, so the function needs no
 * PutMetricData permission and no monitoring endpoint.
 *
 * The alarm `dr-region-health-{environmentSuffix}` fires when the minimum
 * of `RegionHealthy` over one minute is below 1 for `evaluationPeriods`
 * minutes in a row, and treats missing data as breaching: a probe that
 * cannot run, a log pipeline that is down, or a region that cannot deliver
 * metrics all read as unhealthy. It is built within Route 53's limits on the
 * alarms it accepts: one standard-resolution metric (period 60 s) and a
 * plain statistic (Minimum), no metric math and no percentile.
 *
 * Detection time: about `evaluationPeriods` minutes plus up to a minute of
 * metric delivery, then the time Route 53 takes to read the alarm; with
 * `FailoverRouting` (TTL 60 s) clients reach the other region for reads in
 * about 5 to 7 minutes. Writes move only when the Aurora global database is
 * failed over or switched over, which this construct does not do.
 *
 * The probe proves the region's data stores answer from inside the VPC; it
 * does not run the application. A throttled answer counts as an answer: a
 * busy table is no reason to move the workload to another region.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const db: EncryptedAurora;
 * declare const table: PitrTable;
 * declare const bucket: VersionedBucket;
 * const health = new RegionHealthCheck(this, 'RegionHealth', {
 *   environmentSuffix: 'prod', vpc,
 *   database: ProtectedResource.fromEncryptedAurora(db),
 *   table: ProtectedResource.fromPitrTable(table),
 *   bucket: ProtectedResource.fromVersionedBucket(bucket),
 * });
 */
export class RegionHealthCheck extends Construct {
  /** The probe function. */
  public readonly function: lambda.Function;
  /** The probe's role: GetItem on the table, ListBucket on the bucket, nothing else of the workload. */
  public readonly role: iam.IRole;
  /** The probe's security group (egress to the database port and the gateway endpoints only). */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The probe's log group: its embedded-metric-format lines become the metrics. */
  public readonly logGroup: logs.ILogGroup;
  /** The key for logs, environment and dead-letter queue. */
  public readonly encryptionKey: kms.IKey;
  /** The schedule that runs the probe every minute. */
  public readonly rule: events.Rule;
  /** The region health alarm Route 53 watches. */
  public readonly alarm: cloudwatch.Alarm;
  /** Its name, `dr-region-health-{environmentSuffix}`. */
  public readonly alarmName: string;
  /** The environment suffix, the `Environment` dimension of every metric. */
  public readonly environmentSuffix: string;
  /** What the probe checks: `database`, `table` and/or `bucket`. */
  public readonly checks: string[];

  constructor(scope: Construct, id: string, props: RegionHealthCheckProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, regionHealthDerivedNames);
    const names = regionHealthNames(props.environmentSuffix);
    this.environmentSuffix = props.environmentSuffix;
    if (!props.database && !props.table && !props.bucket) {
      throw new DrValidationError(this, 'at least one of `database`, `table` and `bucket` must be given: the probe needs something to check, got: none');
    }
    const cluster = storeConstruct(this, 'database', props.database, ProtectedResourceType.AURORA, HANDLE_FACTORIES.database, (r) => r._cluster);
    const table = storeConstruct(this, 'table', props.table, ProtectedResourceType.DYNAMODB, HANDLE_FACTORIES.table, (r) => r._table);
    const bucket = storeConstruct(this, 'bucket', props.bucket, ProtectedResourceType.S3, HANDLE_FACTORIES.bucket, (r) => r._bucket);
    validateIntegerRange(this, 'evaluationPeriods', props.evaluationPeriods, 1, 10);
    if (props.evaluationPeriods !== undefined && Token.isUnresolved(props.evaluationPeriods)) {
      throw new DrValidationError(this, `\`evaluationPeriods\` must be a concrete number from 1 to 10, got: ${Token.asString(props.evaluationPeriods)}`);
    }
    if (!table && (props.tablePartitionKey || props.tableSortKey)) {
      throw new DrValidationError(this, '`tablePartitionKey` and `tableSortKey` describe `table`, which is not given, got: a key without a table');
    }
    const subnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    selectVpcSubnets(this, props.vpc, props.vpcSubnets, subnets);

    const environment: Record<string, string> = { ENVIRONMENT: props.environmentSuffix };
    const database = cluster ? databaseTarget(this, cluster, props.database?.connection?.port) : undefined;
    if (database) {
      environment.DB_HOST = database.host;
      environment.DB_PORT = Token.isUnresolved(database.port) ? Token.asString(database.port) : String(database.port);
    }
    if (table) {
      environment.TABLE_NAME = table.tableName;
      environment.TABLE_KEY = Stack.of(this).toJsonString(probeKey(this, table, props.tablePartitionKey, props.tableSortKey));
    }
    if (bucket) {
      environment.BUCKET_NAME = bucket.bucketName;
    }
    this.checks = [database && 'database', table && 'table', bucket && 'bucket'].filter((c): c is CheckName => !!c);

    const probe = new VpcLambda(this, 'Probe', {
      environmentSuffix: props.environmentSuffix,
      name: names.probe,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      // Pre-bundled by projen from probe.lambda.ts (the bundle task): synth needs neither esbuild nor Docker.
      code: bundledCode('region-health-check/probe'),
      handler: 'index.handler',
      runtime: handlerNodeRuntime(this),
      description: `Probes the database, table and bucket of this region for the Route 53 health check (${props.environmentSuffix})`,
      timeout: Duration.seconds(30),
      memorySize: 256,
      // One run at a time: a slow run never overlaps the next.
      reservedConcurrentExecutions: 1,
      // X-Ray would need a paid interface endpoint in an isolated VPC; the probe logs each check instead.
      tracing: lambda.Tracing.DISABLED,
      environment,
    });
    this.function = probe.function;
    this.role = probe.role;
    this.securityGroup = probe.securityGroup;
    this.logGroup = probe.logGroup;
    this.encryptionKey = probe.encryptionKey;

    if (cluster && database) {
      cluster.connections.allowFrom(probe, ec2.Port.tcp(database.port), `Region health probe ${names.rule}`);
    }
    if (table || bucket) {
      const endpoints = DrVpcEndpoints.of(this, props.vpc, subnets);
      if (table) endpoints.requireGateway(ec2.GatewayVpcEndpointAwsService.DYNAMODB, 'dynamodb');
      if (bucket) endpoints.requireGateway(ec2.GatewayVpcEndpointAwsService.S3, 's3');
      // Gateway endpoints are routes, not interfaces: in isolated subnets this
      // egress reaches only the S3 and DynamoDB prefixes the routes add.
      probe.connections.allowToAnyIpv4(ec2.Port.tcp(443), 'HTTPS to S3 and DynamoDB through gateway endpoints');
    }
    if (table) {
      table.grant(probe, 'dynamodb:GetItem');
      // DynamoDB decrypts with the table's key on the reader's behalf: the handle's key, which an imported table does not carry.
      props.table?.encryptionKey?.grantDecrypt(probe);
    }
    if (bucket) {
      // HeadBucket is authorized by s3:ListBucket on the bucket itself; no object is read.
      probe.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    }

    this.rule = new events.Rule(this, 'Schedule', {
      ruleName: names.rule,
      description: `Runs the region health probe every minute (${props.environmentSuffix})`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // A missed run is a missing data point, which the alarm already counts as unhealthy; a retry would only arrive late.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });

    this.alarmName = names.alarm;
    const evaluationPeriods = props.evaluationPeriods ?? 3;
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: this.alarmName,
      alarmDescription: `This region cannot serve the workload: a check of its ${this.checks.join(', ')} failed, or the probe published nothing, `
        + `for ${evaluationPeriods} minute(s) in a row; its log lines say which. A Route 53 health check watches this alarm (${props.environmentSuffix}).`,
      metric: this.metricRegionHealthy(),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods,
      // No data means the probe did not run or its metrics did not arrive: the region is not known to be healthy.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    if (props.alarmTopic) {
      this.alarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
      this.alarm.addOkAction(new cwActions.SnsAction(props.alarmTopic));
    }

    if (!props.alarmTopic) {
      acknowledgeFinding(this.alarm, 'CloudWatchAlarmAction', ['NIST.800.53.R5', 'HIPAA.Security'],
        'Route 53 acts on this alarm: a CLOUDWATCH_METRIC health check reads its state and moves DNS. Pass `alarmTopic` to be notified as well.');
    }
  }

  /** `RegionHealthy`: 1 when every check passed in a run, 0 otherwise (minimum over one minute). */
  public metricRegionHealthy(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_REGION_HEALTHY, {}, props);
  }

  /** `CheckHealthy` of one check (`database`, `table` or `bucket`): 1 or 0 (minimum over one minute). */
  public metricCheckHealthy(check: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!this.checks.includes(check)) {
      throw new DrValidationError(this, `\`check\` must be one of the checks this probe runs (${this.checks.join(', ')}), got: ${quote(check)}`);
    }
    return this.metric(METRIC_CHECK_HEALTHY, { [DIMENSION_CHECK]: check }, props);
  }

  private metric(metricName: string, dimensions: Record<string, string>, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: REGION_HEALTH_NAMESPACE,
      metricName,
      dimensionsMap: { service: REGION_HEALTH_SERVICE, [DIMENSION_ENVIRONMENT]: this.environmentSuffix, ...dimensions },
      // Route 53 accepts Average, Minimum, Maximum, Sum and SampleCount over standard-resolution periods only.
      statistic: cloudwatch.Stats.MINIMUM,
      period: Duration.minutes(1),
      ...props,
    });
  }
}

/** The host and port the probe connects to; an imported cluster without them is refused. */
function databaseTarget(scope: Construct, cluster: rds.IDatabaseCluster, port: number | undefined): { host: string; port: number } {
  if (cluster.connections.securityGroups.length === 0) {
    throw new DrValidationError(scope,
      `\`database\` ${cluster.node.path} has no security group to admit the probe: import it with \`securityGroups\` (rds.DatabaseCluster.fromDatabaseClusterAttributes)`);
  }
  const reader = tryGet(() => cluster.clusterReadEndpoint);
  const endpoint = reader ?? tryGet(() => cluster.clusterEndpoint);
  if (!endpoint) {
    throw new DrValidationError(scope,
      `\`database\` ${cluster.node.path} has no endpoint to probe: import it with \`readerEndpointAddress\` (or \`clusterEndpointAddress\`) and \`port\``);
  }
  validateAuroraPort(scope, 'database.connection.port', port);
  return { host: endpoint.hostname, port: port ?? endpoint.port };
}

/** The probe key, `{"pk":{"S":"__dr-region-health-probe__"}}`, from the props or the table's own schema. */
function probeKey(
  scope: Construct, table: dynamodb.ITable, partitionKey?: dynamodb.Attribute, sortKey?: dynamodb.Attribute,
): Record<string, Record<string, string>> {
  let attributes: Array<[string, dynamodb.Attribute]> | undefined;
  if (partitionKey) {
    attributes = [['tablePartitionKey', partitionKey], ...(sortKey ? [['tableSortKey', sortKey] as [string, dynamodb.Attribute]] : [])];
  } else if (sortKey) {
    throw new DrValidationError(scope, '`tableSortKey` needs `tablePartitionKey` too, got: a sort key alone');
  } else {
    attributes = schemaOf(table)?.map((a) => ['table', a]);
  }
  if (!attributes) {
    throw new DrValidationError(scope,
      `\`tablePartitionKey\` must be given: the table ${table.node.path} does not carry its key schema (an imported table or a replica), and the probe's GetItem must name every key attribute, got: none`);
  }
  const key: Record<string, Record<string, string>> = {};
  for (const [prop, attribute] of attributes) {
    if (Token.isUnresolved(attribute.name) || !attribute.name || attribute.name.length > 255) {
      throw new DrValidationError(scope, `\`${prop}\` must have a concrete name of 1 to 255 characters, got: ${quote(attribute.name)}`);
    }
    if (key[attribute.name]) {
      throw new DrValidationError(scope, `\`tableSortKey\` must differ from \`tablePartitionKey\`, got: ${quote(attribute.name)} for both`);
    }
    key[attribute.name] = attribute.type === dynamodb.AttributeType.NUMBER ? { N: '0' }
      : attribute.type === dynamodb.AttributeType.BINARY ? { B: Buffer.from(PROBE_KEY_VALUE).toString('base64') }
        : { S: PROBE_KEY_VALUE };
  }
  return key;
}

/**
 * The key attributes of a table defined in the app, read from its L1
 * (`CfnTable` or `CfnGlobalTable`): TableV2 does not expose its schema.
 */
function schemaOf(table: dynamodb.ITable): dynamodb.Attribute[] | undefined {
  const cfn = table.node.defaultChild;
  if (!(cfn instanceof dynamodb.CfnTable) && !(cfn instanceof dynamodb.CfnGlobalTable)) {
    return undefined;
  }
  const stack = Stack.of(cfn);
  const keySchema: Array<{ attributeName: string }> = stack.resolve(cfn.keySchema) ?? [];
  const definitions: Array<{ attributeName: string; attributeType: string }> = stack.resolve(cfn.attributeDefinitions) ?? [];
  const attributes = keySchema.map((k) => {
    const type = definitions.find((d) => d.attributeName === k.attributeName)?.attributeType;
    return { name: k.attributeName, type: type as dynamodb.AttributeType };
  });
  return attributes.length && attributes.every((a) => typeof a.name === 'string' && a.type) ? attributes : undefined;
}

/** The value, or undefined when aws-cdk-lib refuses to give it (an imported resource without that attribute). */
function tryGet<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}
