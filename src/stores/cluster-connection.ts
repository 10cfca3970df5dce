import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * How a function connects to an Aurora or RDS cluster: with the credentials
 * secret, or with IAM database authentication. Exactly one is required.
 */
export interface ClusterConnectionOptions {
  /**
   * The secret holding the credentials; the function may read it.
   *
   * @default - none: `iamAuthenticationUser` must be given
   */
  readonly secret?: secretsmanager.ISecret;

  /**
   * The key that encrypts `secret`, when the ISecret does not carry it (an
   * imported secret, or a replica read by name in another region): the
   * function may decrypt with it (`kms:Decrypt`).
   *
   * @default - the key the secret carries, if any
   */
  readonly secretEncryptionKey?: kms.IKey;

  /**
   * The database user the function connects as with IAM authentication
   * (granted `rds-db:connect`). The cluster must have IAM authentication on.
   *
   * @default - none: `secret` must be given
   */
  readonly iamAuthenticationUser?: string;

  /**
   * The database name, set as DB_NAME.
   *
   * @default - DB_NAME is not set
   */
  readonly databaseName?: string;

  /**
   * The port to open and set as DB_PORT.
   *
   * @default - the port of the cluster endpoint
   */
  readonly port?: number;
}
