import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DataAccess } from './data-access';

/**
 * How a function connects to a store given by its handle.
 */
export interface ResourceConnectionOptions {
  /**
   * What the function may do with a table or bucket. A database connection
   * is what the handle's `connection` says: leave this out for one.
   *
   * @default DataAccess.READ_WRITE
   */
  readonly access?: DataAccess;

  /**
   * The variable that carries a table's or bucket's name. A database
   * connection sets the DB_* variables: leave this out for one.
   *
   * @default 'TABLE_NAME' for a table, 'BUCKET_NAME' for a bucket
   */
  readonly environmentVariable?: string;
}

/**
 * How a function connects to a table or bucket.
 */
export interface DataConnectionOptions {
  /**
   * What the function may do.
   *
   * @default DataAccess.READ_WRITE
   */
  readonly access?: DataAccess;

  /**
   * The variable that carries the table's or bucket's name.
   *
   * @default 'TABLE_NAME' for a table, 'BUCKET_NAME' for a bucket
   */
  readonly environmentVariable?: string;

  /**
   * The key that encrypts the table or bucket, when the interface does not
   * carry it (an imported one): the function is granted its use.
   *
   * @default - the key the table or bucket carries, if any
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The function itself: what VpcLambda runs. SingleRegionDrPlatform.addFunction
 * takes these.
 */
export interface VpcLambdaFunctionOptions {
  /** The function's code. */
  readonly code: lambda.Code;
  /** The handler, for example `index.handler`. */
  readonly handler: string;
  /**
   * The runtime: Node.js 20 or newer, or Python 3.11 or newer. Container
   * images (`Runtime.FROM_IMAGE`) are not supported: their runtime cannot be
   * checked.
   */
  readonly runtime: lambda.Runtime;

  /**
   * The name the function carries: `dr-{name}-{environmentSuffix}`.
   * Lowercase letters, digits and hyphens.
   *
   * @default - the construct id, lowercased
   */
  readonly name?: string;

  /**
   * A description of the function.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * How long an invocation may run: whole seconds from 1 second to 15
   * minutes (a token must be given as `Duration.seconds(token)`).
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * Memory in MiB (128 to 10240).
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * Concurrent executions reserved for (and capping) the function.
   *
   * @default 10
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * X-Ray tracing.
   *
   * @default lambda.Tracing.ACTIVE
   */
  readonly tracing?: lambda.Tracing;

  /**
   * How long the function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Environment variables, beside those the wiring methods set. A wiring
   * method that would set a variable given here is refused rather than
   * overwriting it; Lambda's reserved variables are refused too.
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * The instruction set.
   *
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;
}

/**
 * Properties for VpcLambda.
 */
export interface VpcLambdaProps extends VpcLambdaFunctionOptions {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   */
  readonly environmentSuffix: string;

  /** The VPC the function runs in. */
  readonly vpc: ec2.IVpc;

  /**
   * Where the function's network interfaces go.
   *
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The key that encrypts the function's logs, environment variables and
   * dead-letter queue.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-{name}-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the log group, dead-letter queue and key when the stack
   * deletes them.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether to add the VPC endpoints the function needs (interface endpoints
   * for Secrets Manager, X-Ray and the like; S3 and DynamoDB gateway
   * endpoints for a VPC defined in the app) when a wiring method or tracing
   * calls for them. Turn off when the VPC's endpoints are managed elsewhere.
   *
   * @default true
   */
  readonly createVpcEndpoints?: boolean;
}
