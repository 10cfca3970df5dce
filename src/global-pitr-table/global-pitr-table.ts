import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { globalTableDerivedNames, tableKeyAlias, tableName, validateEnvironmentSuffix } from '../names';
import { TABLE_KEY_READ_ACTIONS, TABLE_KEY_WRITE_ACTIONS, TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../private/data-access';
import { validateDays } from '../private/duration';
import { DEFAULT_PARTITION_KEY, validateTableAttributes } from '../private/dynamodb-names';
import { aliasArnInRegion, parseKeyArn, validateKeyRegion } from '../private/kms';
import { SAME_REGION_REASON, validateOtherRegion } from '../private/regions';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { validateTagKey, validateTagValue } from '../private/tags';
import { DrValidationError, quote } from '../private/validation';


/**
 * Properties for a GlobalPitrTable.
 */
export interface GlobalPitrTableProps extends GlobalPitrTableOptions {
  /**
   * Suffix carried by every name this construct derives, for example `prod`.
   * The table is named `dr-table-{environmentSuffix}` in every region, and
   * its key in each region is aliased `alias/dr-table-{environmentSuffix}`.
   */
  readonly environmentSuffix: string;

  /**
   * The regions that hold a replica of the table, besides the stack's own:
   * at least one, each a concrete region code other than the stack's, no
   * duplicates. Each replica has point-in-time recovery and deletion
   * protection like the table here.
   */
  readonly replicaRegions: string[];

  /**
   * The KMS key that encrypts the replica in each replica region, by ARN
   * (key or alias ARN of that region and this account), keyed by region.
   * A region left out gets the default. The key must exist before the
   * table is deployed.
   *
   * @default - the alias ARN of `alias/dr-table-{environmentSuffix}` in each replica region
   */
  readonly replicaKeyArns?: Record<string, string>;

  /**
   * What happens to the table (every replica) when the stack deletes it.
   * Deletion protection is on in every region unless this is `DESTROY`.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Tags on the replicas of `replicaRegions`, over the tags they inherit
   * from the stack (the replica in the stack's region keeps those). A
   * replica is a table of its own region: its role there (say
   * `DR-Role: secondary`) is not the stack's.
   *
   * @default - the stack's tags on every replica
   */
  readonly replicaTags?: Record<string, string>;
}

/**
 * How the global table is built: PitrTable's options (`PitrTableOptions`
 * objects fit), except that the key is always customer managed (an
 * `encryption` other than CUSTOMER_MANAGED is refused).
 */
export interface GlobalPitrTableOptions {
  /**
   * The customer-managed key that encrypts the table in the stack's region.
   * A global table here is always encrypted with a customer-managed key in
   * each region: AWS-owned and AWS-managed keys are not offered.
   *
   * @default - a new key with rotation on, aliased `alias/dr-table-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The partition key.
   *
   * @default - `{ name: 'pk', type: AttributeType.STRING }`
   */
  readonly partitionKey?: dynamodb.Attribute;

  /**
   * The sort key.
   *
   * @default - no sort key
   */
  readonly sortKey?: dynamodb.Attribute;

  /**
   * How far back point-in-time recovery can restore, in whole days (1 to
   * 35), in every region.
   *
   * @default Duration.days(35)
   */
  readonly pointInTimeRecoveryPeriod?: Duration;

  /**
   * The attribute that holds each item's expiry time (epoch seconds).
   *
   * @default - no TTL
   */
  readonly timeToLiveAttribute?: string;

  /**
   * Global secondary indexes, on demand like the table (no read or write
   * capacity), in every region.
   *
   * @default - none
   */
  readonly globalSecondaryIndexes?: dynamodb.GlobalSecondaryIndexProps[];

  /**
   * The table's stream. A global table replicates through a stream of new
   * and old images, so that is the only view it can have.
   *
   * @default StreamViewType.NEW_AND_OLD_IMAGES
   */
  readonly stream?: dynamodb.StreamViewType;
}

/**
 * A DynamoDB global table (version 2019.11.21, `TableV2`) billed on demand:
 * a replica in the stack's region and one in each of `replicaRegions`,
 * each encrypted with a customer-managed key of its own region, each with
 * point-in-time recovery (35 days by default) and deletion protection
 * following `removalPolicy`.
 *
 * The keys of the replica regions are named by alias ARN
 * (`alias/dr-table-{environmentSuffix}` unless `replicaKeyArns` says
 * otherwise), so no value crosses regions; they must exist before this
 * stack deploys.
 *
 * Moving a deployed `PitrTable` (a v1 `AWS::DynamoDB::Table`) to this
 * construct is not an in-place change: CloudFormation cannot change a
 * resource's type, and doing so deletes the table. The path AWS documents
 * keeps the data: (1) keep the PitrTable's removal policy RETAIN (its
 * default), remove it from the app and deploy, so the stack forgets the
 * table and the table stays; (2) create the replica keys and add the
 * replicas outside CloudFormation (console or `update-table
 * --replica-updates`), which makes it a global table; (3) add the
 * GlobalPitrTable with the same `environmentSuffix` (so the same table
 * name) and settings matching the table, and bring the table under the
 * stack with `cdk import`; (4) deploy so the remaining settings apply.
 * Rehearse it on a copy restored from PITR.
 *
 * @example
 * const table = new GlobalPitrTable(this, 'Table', {
 *   environmentSuffix: 'prod',
 *   replicaRegions: ['us-west-2'],
 *   partitionKey: { name: 'transactionId', type: dynamodb.AttributeType.STRING },
 * });
 */
export class GlobalPitrTable extends Construct {
  /** The global table. */
  public readonly table: dynamodb.TableV2;
  /**
   * The table's name, `dr-table-{environmentSuffix}`: the same in every
   * replica region, a plain string rather than a reference, so a stack of
   * another region can use it.
   */
  public readonly tableName: string;
  /** The ARN of the table in the stack's region. */
  public readonly tableArn: string;
  /** The customer-managed key that encrypts the table in the stack's region. */
  public readonly encryptionKey: kms.IKey;
  /** The regions holding a replica, besides the stack's own. */
  public readonly replicaRegions: string[];
  /** The ARN of the key (or alias) that encrypts the replica of each replica region. */
  public readonly replicaKeyArns: Record<string, string>;
  /** The point-in-time recovery window in days, or undefined when it is a token. */
  public readonly pointInTimeRecoveryDays?: number;

  private readonly indexNames: string[];

  constructor(scope: Construct, id: string, props: GlobalPitrTableProps) {
    super(scope, id);

    validateEnvironmentSuffix(this, props.environmentSuffix, globalTableDerivedNames);
    if (Token.isUnresolved(Stack.of(this).region)) {
      throw new DrValidationError(this,
        'GlobalPitrTable needs a stack with a concrete region (`env: { region }`): which region holds which replica, and its key, is fixed at synth, '
        + `got a stack whose region is resolved at deploy (${Stack.of(this).node.path})`);
    }
    const recoveryPeriod = props.pointInTimeRecoveryPeriod ?? Duration.days(35);
    this.pointInTimeRecoveryDays = validateDays(this, 'pointInTimeRecoveryPeriod', recoveryPeriod, 1, 35);
    validateKeyRegion(this, 'encryptionKey', props.encryptionKey);
    for (const [key, value] of Object.entries(props.replicaTags ?? {})) {
      validateTagKey(this, `replicaTags key ${JSON.stringify(key)}`, key);
      validateTagValue(this, `replicaTags.${key}`, value);
    }
    // PitrTableOptions objects fit these options; their `encryption` would be ignored here.
    const encryption = (props as { readonly encryption?: unknown }).encryption;
    if (encryption !== undefined && encryption !== dynamodb.TableEncryption.CUSTOMER_MANAGED) {
      throw new DrValidationError(this,
        `\`encryption\` cannot be set on a global table: each replica is encrypted with a customer-managed key of its region, got: ${JSON.stringify(encryption)}`);
    }
    validateTableAttributes(this, props);
    if (props.stream !== undefined && props.stream !== dynamodb.StreamViewType.NEW_AND_OLD_IMAGES) {
      throw new DrValidationError(this,
        `\`stream\` must be NEW_AND_OLD_IMAGES (or left out) on a global table: DynamoDB replicates through a stream of new and old images, got: ${props.stream}`);
    }
    this.replicaRegions = validateReplicaRegions(this, props.replicaRegions);
    this.replicaKeyArns = resolveReplicaKeyArns(this, props.environmentSuffix, this.replicaRegions, props.replicaKeyArns ?? {});
    const indexes = (props.globalSecondaryIndexes ?? []).map((gsi, i) => toIndexV2(this, gsi, i));

    const destroy = isDestroy(this, props.removalPolicy, 'the table and its items, in every replica region');
    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: tableKeyAlias(props.environmentSuffix),
      description: `Encrypts the DR global table (${props.environmentSuffix}) in this region`,
      destroy,
    });

    const name = tableName(props.environmentSuffix);
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: name,
      partitionKey: props.partitionKey ?? DEFAULT_PARTITION_KEY,
      sortKey: props.sortKey,
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        // aws-cdk-lib range-checks this number even when it is a token, so a
        // token goes to the template through the overrides below instead.
        recoveryPeriodInDays: this.pointInTimeRecoveryDays ?? 35,
      },
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.encryptionKey, { ...this.replicaKeyArns }),
      timeToLiveAttribute: props.timeToLiveAttribute,
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      deletionProtection: !destroy,
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
      globalSecondaryIndexes: indexes,
      replicas: this.replicaRegions.map((region) => ({
        region,
        tags: Object.entries(props.replicaTags ?? {}).map(([key, value]) => ({ key, value })),
      })),
    });
    if (this.pointInTimeRecoveryDays === undefined) {
      // A token given in days: DynamoDB takes RecoveryPeriodInDays as a number and checks it at deploy.
      const cfn = this.table.node.defaultChild as dynamodb.CfnGlobalTable;
      const count = this.replicaRegions.length + 1;
      for (let i = 0; i < count; i++) {
        cfn.addPropertyOverride(`Replicas.${i}.PointInTimeRecoverySpecification.RecoveryPeriodInDays`, recoveryPeriod.toDays());
      }
    }
    this.indexNames = indexes.map((gsi) => gsi.indexName);
    this.tableName = name;
    this.tableArn = this.table.tableArn;
  }

  /**
   * DynamoDB's `ReplicationLatency` of this table towards one replica region:
   * the time, in milliseconds, from a write here to its appearance in that
   * region, published in the stack's region with the dimensions `TableName`
   * and `ReceivingRegion`. It is the only replication metric DynamoDB
   * publishes for global tables of version 2019.11.21 (`PendingReplicationCount`
   * belongs to the legacy version 2017.11.29), and it has data only while
   * items are written. Maximum over 1 minute unless `props` say otherwise.
   *
   * @param receivingRegion one of `replicaRegions`
   */
  public metricReplicationLatency(receivingRegion: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!this.replicaRegions.includes(receivingRegion)) {
      throw new DrValidationError(this,
        `\`receivingRegion\` must be one of the table's replica regions (${this.replicaRegions.join(', ')}), got: ${quote(receivingRegion)}`);
    }
    return new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB',
      metricName: 'ReplicationLatency',
      dimensionsMap: { TableName: this.tableName, ReceivingRegion: receivingRegion },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      ...props,
    });
  }

  /**
   * Grants reading items of the table in the stack's region, on the table
   * and its indexes, with decrypt on its key. Every action is named: no wildcards.
   */
  public grantReadData(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, TABLE_READ_ACTIONS, TABLE_KEY_READ_ACTIONS);
  }

  /**
   * Grants writing and deleting items of the table in the stack's region,
   * with use of its key. Every action is named: no wildcards.
   */
  public grantWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, TABLE_WRITE_ACTIONS, TABLE_KEY_WRITE_ACTIONS);
  }

  /** Grants both `grantReadData` and `grantWriteData`. */
  public grantReadWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.grantReadData(grantee).combine(this.grantWriteData(grantee));
  }

  private grantActions(grantee: iam.IGrantable, actions: string[], keyActions: string[]): iam.Grant {
    const grant = iam.Grant.addToPrincipalOrResource({
      grantee,
      actions,
      // Each index by name, so the policy has no wildcard.
      resourceArns: [this.table.tableArn, ...this.indexNames.map((n) => `${this.table.tableArn}/index/${n}`)],
      resource: this.table,
    });
    this.encryptionKey.grant(grantee, ...keyActions);
    return grant;
  }
}

function validateReplicaRegions(scope: Construct, regions: string[]): string[] {
  if (!Array.isArray(regions) || regions.length === 0) {
    throw new DrValidationError(scope, '`replicaRegions` must name at least one region besides the stack\'s own, got: []');
  }
  const seen = new Set<string>();
  regions.forEach((region, i) => {
    validateOtherRegion(scope, `replicaRegions[${i}]`, region, SAME_REGION_REASON.copy);
    if (seen.has(region)) {
      throw new DrValidationError(scope, `\`replicaRegions\` must not name a region twice, got: ${quote(region)} twice`);
    }
    seen.add(region);
  });
  return [...regions];
}

/**
 * The key ARN of each replica region: the given one, checked to be a KMS key
 * or alias of that region, else the alias ARN of the table key there.
 */
function resolveReplicaKeyArns(scope: Construct, suffix: string, regions: string[], given: Record<string, string>): Record<string, string> {
  for (const region of Object.keys(given)) {
    if (!regions.includes(region)) {
      throw new DrValidationError(scope,
        `\`replicaKeyArns\` names ${quote(region)}, which is not one of \`replicaRegions\` (${regions.join(', ')}): a key for a region without a replica is a mistake`);
    }
  }
  const account = Stack.of(scope).account;
  const resolved: Record<string, string> = {};
  for (const region of regions) {
    const arn = given[region];
    if (arn === undefined) {
      resolved[region] = aliasArnInRegion(scope, region, tableKeyAlias(suffix));
      continue;
    }
    if (!Token.isUnresolved(arn)) {
      const parsed = parseKeyArn(arn);
      if (!parsed) {
        throw new DrValidationError(scope,
          `\`replicaKeyArns.${region}\` must be a KMS key or alias ARN (arn:aws:kms:${region}:{account}:key/{id} or :alias/{name}), got: ${quote(arn)}`);
      }
      if (parsed.region !== region) {
        throw new DrValidationError(scope,
          `\`replicaKeyArns.${region}\` must be a key of ${region}: a replica is encrypted with a key of its own region, got: ${quote(arn)} (region ${parsed.region})`);
      }
      if (!Token.isUnresolved(account) && parsed.account !== account) {
        throw new DrValidationError(scope,
          `\`replicaKeyArns.${region}\` must be a key of the stack's account ${account}: global table replicas live in one account, got: ${quote(arn)}`);
      }
    }
    resolved[region] = arn;
  }
  return resolved;
}

/**
 * A PitrTable global secondary index as a TableV2 index. Indexes of an
 * on-demand table take no provisioned capacity.
 */
function toIndexV2(scope: Construct, gsi: dynamodb.GlobalSecondaryIndexProps, i: number): dynamodb.GlobalSecondaryIndexPropsV2 {
  if (gsi.readCapacity !== undefined || gsi.writeCapacity !== undefined) {
    throw new DrValidationError(scope,
      `\`globalSecondaryIndexes[${i}]\` (${quote(gsi.indexName)}) must not set readCapacity or writeCapacity: the table is on demand; use maxReadRequestUnits / maxWriteRequestUnits to cap it`);
  }
  return {
    indexName: gsi.indexName,
    partitionKey: gsi.partitionKey,
    partitionKeys: gsi.partitionKeys,
    sortKey: gsi.sortKey,
    sortKeys: gsi.sortKeys,
    projectionType: gsi.projectionType,
    nonKeyAttributes: gsi.nonKeyAttributes,
    maxReadRequestUnits: gsi.maxReadRequestUnits,
    maxWriteRequestUnits: gsi.maxWriteRequestUnits,
    warmThroughput: gsi.warmThroughput,
  };
}
