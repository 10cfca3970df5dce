import { DataAccess } from './data-access';
import { VpcLambdaFunctionOptions } from './vpc-lambda-options';

/**
 * A function for `addFunction`: VpcLambda's options plus how it is wired to
 * the platform's database, table and bucket.
 */
export interface PlatformFunctionOptions extends VpcLambdaFunctionOptions {
  /**
   * Whether the function connects to the database (security group, secret,
   * DB_* environment variables).
   *
   * @default true
   */
  readonly connectDatabase?: boolean;

  /**
   * What the function may do with the table (TABLE_NAME is set).
   *
   * @default DataAccess.READ_WRITE
   */
  readonly tableAccess?: DataAccess;

  /**
   * What the function may do with the bucket (BUCKET_NAME is set).
   *
   * @default DataAccess.READ_WRITE
   */
  readonly bucketAccess?: DataAccess;
}
