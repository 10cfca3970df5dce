import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DerivedName, NAME_LIMITS, physicalName } from './limits';
import { DrValidationError, quote } from '../private/validation';

/**
 * Every physical name the Aurora constructs derive from the suffix. The
 * regional names are the same in every region: a global database's secondary
 * cluster carries the primary's identifier, key alias and log group name in
 * its own region, so either side can compute the other's names with no value
 * crossing regions.
 */
export function auroraNames(suffix: string) {
  const cluster = physicalName('dr-aurora', suffix);
  return {
    /** The cluster identifier, in each region. */
    cluster,
    /** The primary's writer instance. */
    writer: `${cluster}-writer`,
    /** The primary's reader instances, from 1. */
    reader: (i: number) => `${cluster}-reader-${i}`,
    /** A secondary cluster's instances, from 1 (all readers until the cluster is promoted). */
    secondaryInstance: (i: number) => `${cluster}-instance-${i}`,
    /** The alias of the key that encrypts the cluster, its secret and logs, in each region. */
    keyAlias: `alias/${cluster}`,
    /** The log group RDS exports the PostgreSQL log to, in each region. */
    logGroup: `/aws/rds/cluster/${cluster}/postgresql`,
    /** The global cluster (one per account, spanning the regions). */
    globalCluster: physicalName('dr-aurora-global', suffix),
    /**
     * The generated credentials secret of a global database, replicated to
     * each secondary region. The fixed tail keeps the name from ending in a
     * hyphen and six characters (a suffix such as `prod01`), which Secrets
     * Manager can mistake for the random tail of a secret's ARN, breaking
     * lookups by name (`Secret.fromSecretNameV2`).
     */
    secret: `${cluster}-credentials`,
    /** The log group of the function that removes the secret's replicas on delete (DESTROY only). */
    secretReplicaRemovalLogGroup: `/dr/${suffix}/aurora-secret-replica-removal`,
  };
}

/** The ARN of `alias/dr-aurora-{suffix}` in another region of the same account and partition. */
export function auroraKeyAliasArn(partition: string, region: string, account: string, suffix: string): string {
  return `arn:${partition}:kms:${region}:${account}:${auroraNames(suffix).keyAlias}`;
}

/** The names an EncryptedAurora derives, for the length check. */
export function encryptedAuroraDerivedNames(suffix: string, readers: number, global: boolean): DerivedName[] {
  const names = auroraNames(suffix);
  const globalNames: DerivedName[] = global ? [
    { resource: 'Aurora global cluster identifier', name: names.globalCluster, maxLength: NAME_LIMITS.auroraGlobalCluster, accountWide: true },
    { resource: 'Secrets Manager secret', name: names.secret, maxLength: NAME_LIMITS.secretsManagerSecret },
    { resource: 'log group', name: names.secretReplicaRemovalLogGroup, maxLength: NAME_LIMITS.logGroup },
  ] : [];
  return [
    ...globalNames,
    { resource: 'Aurora cluster identifier', name: names.cluster, maxLength: NAME_LIMITS.auroraCluster },
    { resource: 'Aurora writer instance identifier', name: names.writer, maxLength: NAME_LIMITS.rdsInstance },
    { resource: 'Aurora reader instance identifier', name: names.reader(Math.max(1, Math.floor(readers) || 1)), maxLength: NAME_LIMITS.rdsInstance },
    { resource: 'KMS alias', name: names.keyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'log group', name: names.logGroup, maxLength: NAME_LIMITS.logGroup },
  ];
}

/** The names an AuroraGlobalSecondary derives, for the length check. */
export function auroraSecondaryDerivedNames(suffix: string, instances: number, ownKey: boolean): DerivedName[] {
  const names = auroraNames(suffix);
  return [
    { resource: 'Aurora cluster identifier', name: names.cluster, maxLength: NAME_LIMITS.auroraCluster },
    { resource: 'Aurora instance identifier', name: names.secondaryInstance(Math.max(1, Math.floor(instances) || 1)), maxLength: NAME_LIMITS.rdsInstance },
    ...(ownKey ? [{ resource: 'KMS alias', name: names.keyAlias, maxLength: NAME_LIMITS.kmsAlias }] : []),
    { resource: 'log group', name: names.logGroup, maxLength: NAME_LIMITS.logGroup },
  ];
}

const GLOBAL_CLUSTER_ID = /^[a-zA-Z](?:-?[a-zA-Z0-9])*$/;

/** RDS's rule for a global cluster identifier (`globalClusterIdentifier`), wherever one is given. */
export function validateGlobalClusterIdentifier(scope: IConstruct, value: string): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  if (value.length > NAME_LIMITS.auroraGlobalCluster || !GLOBAL_CLUSTER_ID.test(value)) {
    throw new DrValidationError(scope,
      `\`globalClusterIdentifier\` must be 1 to ${NAME_LIMITS.auroraGlobalCluster} letters, digits or hyphens, starting with a letter, with no trailing or double hyphen, got: ${quote(value)}`);
  }
}
