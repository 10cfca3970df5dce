import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { pitrTableDerivedNames, tableKeyAlias, tableName, validateEnvironmentSuffix } from '../names';
import { TABLE_KEY_READ_ACTIONS, TABLE_KEY_WRITE_ACTIONS, TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../private/data-access';
import { validateDays } from '../private/duration';
import { DEFAULT_PARTITION_KEY, validateTableAttributes } from '../private/dynamodb-names';
import { validateKeyRegion } from '../private/kms';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { DrValidationError } from '../private/validation';


/**
 * Properties for a PitrTable.
 */
export interface PitrTableProps extends PitrTableOptions {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   * The table is named `dr-table-{environmentSuffix}`.
   */
  readonly environmentSuffix: string;

  /**
   * What happens to the table and the key it creates when the stack deletes
   * them. Deletion protection is on unless this is `DESTROY`; with `DESTROY`
   * the key is scheduled for deletion.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * How the table is built: everything SingleRegionDrPlatform passes through as `table`.
 */
export interface PitrTableOptions {
  /**
   * The customer-managed KMS key that encrypts the table. Only with
   * `encryption` CUSTOMER_MANAGED (the default).
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-table-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Which kind of key encrypts the table. `AWS_MANAGED` (the AWS-managed key
   * `alias/aws/dynamodb`) or `DEFAULT` (a key AWS owns) is a deliberate
   * choice to give up control of the key: its policy cannot be read or
   * narrowed, and it cannot be disabled.
   *
   * @default TableEncryption.CUSTOMER_MANAGED
   */
  readonly encryption?: dynamodb.TableEncryption;

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
   * How far back point-in-time recovery can restore, in whole days (1 to 35).
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
   * Global secondary indexes. They are on demand like the table.
   *
   * @default - none
   */
  readonly globalSecondaryIndexes?: dynamodb.GlobalSecondaryIndexProps[];

  /**
   * Whether to stream item changes (for example to drive a projection).
   *
   * @default - no stream
   */
  readonly stream?: dynamodb.StreamViewType;
}

/**
 * A DynamoDB table billed on demand with point-in-time recovery (35 days by
 * default), encryption at rest with a customer-managed key (created unless
 * given; the AWS-managed key only when asked for),
 * deletion protection following `removalPolicy`, and no replicas.
 *
 * @example
 * const table = new PitrTable(this, 'Table', {
 *   environmentSuffix: 'dev',
 *   partitionKey: { name: 'transactionId', type: dynamodb.AttributeType.STRING },
 * });
 */
export class PitrTable extends Construct {
  /** The table. */
  public readonly table: dynamodb.Table;
  /** The table's name. */
  public readonly tableName: string;
  /** The table's ARN. */
  public readonly tableArn: string;
  /** The customer-managed key that encrypts the table: undefined with `encryption` AWS_MANAGED or DEFAULT. */
  public readonly encryptionKey?: kms.IKey;
  /** The point-in-time recovery window in days, or undefined when it is a token. */
  public readonly pointInTimeRecoveryDays?: number;

  private readonly indexNames: string[];

  constructor(scope: Construct, id: string, props: PitrTableProps) {
    super(scope, id);

    const encryption = props.encryption ?? dynamodb.TableEncryption.CUSTOMER_MANAGED;
    const createsKey = encryption === dynamodb.TableEncryption.CUSTOMER_MANAGED && props.encryptionKey === undefined;
    validateEnvironmentSuffix(this, props.environmentSuffix, (suffix) => pitrTableDerivedNames(suffix, createsKey));
    const recoveryPeriod = props.pointInTimeRecoveryPeriod ?? Duration.days(35);
    this.pointInTimeRecoveryDays = validateDays(this, 'pointInTimeRecoveryPeriod', recoveryPeriod, 1, 35);
    validateKeyRegion(this, 'encryptionKey', props.encryptionKey);
    validateEncryption(this, encryption, props.encryptionKey);
    validateTableAttributes(this, props);

    const destroy = isDestroy(this, props.removalPolicy, 'the table and its items');
    if (encryption === dynamodb.TableEncryption.CUSTOMER_MANAGED) {
      this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
        alias: tableKeyAlias(props.environmentSuffix),
        description: `Encrypts the DR table ${tableName(props.environmentSuffix)}`,
        destroy,
      });
    }

    this.table = new dynamodb.Table(this, 'Table', {
      tableName: tableName(props.environmentSuffix),
      partitionKey: props.partitionKey ?? DEFAULT_PARTITION_KEY,
      sortKey: props.sortKey,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        // aws-cdk-lib range-checks this number even when it is a token, so a
        // token goes to the template through the L1 below instead.
        recoveryPeriodInDays: this.pointInTimeRecoveryDays ?? 35,
      },
      encryption,
      encryptionKey: this.encryptionKey,
      timeToLiveAttribute: props.timeToLiveAttribute,
      stream: props.stream,
      deletionProtection: !destroy,
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    });
    if (this.pointInTimeRecoveryDays === undefined) {
      // A token given in days: DynamoDB takes RecoveryPeriodInDays as a number and checks it at deploy.
      (this.table.node.defaultChild as dynamodb.CfnTable).addPropertyOverride(
        'PointInTimeRecoverySpecification.RecoveryPeriodInDays', recoveryPeriod.toDays());
    }
    this.indexNames = [];
    for (const gsi of props.globalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex(gsi);
      this.indexNames.push(gsi.indexName);
    }
    this.tableName = this.table.tableName;
    this.tableArn = this.table.tableArn;
  }

  /**
   * Grants reading items, on the table and its indexes (and decrypt on its
   * customer-managed key). Every action is named: no wildcards.
   */
  public grantReadData(grantee: iam.IGrantable): iam.Grant {
    return this.grantActions(grantee, TABLE_READ_ACTIONS, TABLE_KEY_READ_ACTIONS);
  }

  /**
   * Grants writing and deleting items (and use of a customer-managed key).
   * Every action is named: no wildcards.
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
      resourceArns: [this.table.tableArn, ...this.indexNames.map((name) => `${this.table.tableArn}/index/${name}`)],
      resource: this.table,
    });
    this.encryptionKey?.grant(grantee, ...keyActions);
    return grant;
  }
}

const ENCRYPTION_NAMES: Record<string, string> = {
  [dynamodb.TableEncryption.CUSTOMER_MANAGED]: 'CUSTOMER_MANAGED',
  [dynamodb.TableEncryption.AWS_MANAGED]: 'AWS_MANAGED',
  [dynamodb.TableEncryption.DEFAULT]: 'DEFAULT',
};

function validateEncryption(scope: Construct, encryption: dynamodb.TableEncryption, key: kms.IKey | undefined): void {
  const name = ENCRYPTION_NAMES[encryption];
  if (name === undefined) {
    throw new DrValidationError(scope,
      `\`encryption\` must be TableEncryption.CUSTOMER_MANAGED, AWS_MANAGED or DEFAULT, got: ${JSON.stringify(encryption)}`);
  }
  if (key && encryption !== dynamodb.TableEncryption.CUSTOMER_MANAGED) {
    throw new DrValidationError(scope,
      `\`encryptionKey\` needs \`encryption\` CUSTOMER_MANAGED (the default): a key given with ${name} would not encrypt the table, got: encryption ${name} with an encryptionKey`);
  }
}
