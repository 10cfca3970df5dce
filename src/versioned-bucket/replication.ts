/**
 * Cross-region replication of a VersionedBucket: the replication options
 * resolved and checked, and the replication role's policy.
 */
import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { BucketReplicationOptions } from './options';
import { versionedBucketNames } from '../names';
import { aliasArnInRegion, parseKeyArn } from '../private/kms';
import { acknowledgeFinding } from '../private/nag';
import { SAME_REGION_REASON, validateOtherRegion } from '../private/regions';
import { DrValidationError, quote } from '../private/validation';

/** The replication options with their defaults and what the IAM policy needs. */
export interface ResolvedReplication {
  readonly destinationBucketName: string;
  readonly destinationRegion: string;
  readonly destinationKeyArn: string;
  /** The IAM resource for the destination key: its ARN, or every key of that region when it is named by alias. */
  readonly destinationKeyResource: string;
  /** `alias/name` when the destination key is named by alias. */
  readonly destinationKeyAlias?: string;
  readonly replicationTimeControl: boolean;
  readonly deleteMarkerReplication: boolean;
  readonly storageClass?: s3.StorageClass;
}

export function resolveReplication(scope: Construct, suffix: string, options: BucketReplicationOptions): ResolvedReplication {
  const region = validateOtherRegion(scope, 'replication.destinationRegion', options.destinationRegion, SAME_REGION_REASON.copy);
  const name = options.destinationBucketName;
  if (Token.isUnresolved(name)) {
    throw new DrValidationError(scope,
      `\`replication.destinationBucketName\` must be a concrete bucket name, not a token: the destination is in another region, and a reference to it would cross regions, got: ${Token.asString(name)}`);
  }
  const problem = bucketNameProblem(name);
  if (problem) {
    throw new DrValidationError(scope, `\`replication.destinationBucketName\` must be a valid S3 bucket name (${problem}), got: ${quote(name)}`);
  }
  const stack = Stack.of(scope);
  const source = versionedBucketNames(suffix, stack.account, stack.region).data;
  if (!Token.isUnresolved(source) && source === name) {
    throw new DrValidationError(scope,
      `\`replication.destinationBucketName\` must name another bucket than this one: a bucket cannot replicate to itself, got: ${quote(name)}`);
  }
  let keyArn = options.destinationKeyArn;
  let keyAlias: string | undefined;
  let keyResource: string;
  if (keyArn === undefined) {
    keyAlias = versionedBucketNames(suffix, stack.account, region).keyAlias;
    keyArn = aliasArnInRegion(scope, region, keyAlias);
    keyResource = stack.formatArn({ service: 'kms', region, resource: 'key', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  } else {
    if (Token.isUnresolved(keyArn)) {
      throw new DrValidationError(scope,
        `\`replication.destinationKeyArn\` must be a concrete KMS key or alias ARN, not a token: the key is in another region, got: ${Token.asString(keyArn)}`);
    }
    const parsed = parseKeyArn(keyArn);
    if (!parsed) {
      throw new DrValidationError(scope,
        `\`replication.destinationKeyArn\` must be a KMS key or alias ARN (arn:aws:kms:${region}:{account}:key/{id} or :alias/{name}), got: ${quote(keyArn)}`);
    }
    if (parsed.region !== region) {
      throw new DrValidationError(scope,
        `\`replication.destinationKeyArn\` must be a key of the destination region ${region}: S3 encrypts replicas with a key of the destination's region, got: ${quote(keyArn)} (region ${parsed.region})`);
    }
    const partition = RegionInfo.get(region).partition;
    if (partition && parsed.partition !== partition) {
      throw new DrValidationError(scope,
        `\`replication.destinationKeyArn\` must be a key of the partition ${partition} (that of ${region}), got: ${quote(keyArn)} (partition ${parsed.partition})`);
    }
    if (!Token.isUnresolved(stack.account) && parsed.account !== stack.account) {
      throw new DrValidationError(scope,
        `\`replication.destinationKeyArn\` must be a key of the stack's account ${stack.account}: replication here is within one account, got: ${quote(keyArn)}`);
    }
    keyAlias = parsed.aliasName;
    keyResource = keyAlias
      ? `arn:${parsed.partition}:kms:${region}:${parsed.account}:key/*`
      : keyArn;
  }
  return {
    destinationBucketName: name,
    destinationRegion: region,
    destinationKeyArn: keyArn,
    destinationKeyResource: keyResource,
    destinationKeyAlias: keyAlias,
    replicationTimeControl: options.replicationTimeControl ?? true,
    deleteMarkerReplication: options.deleteMarkerReplication ?? true,
    storageClass: options.storageClass,
  };
}

/** Why a name breaks S3's general-purpose bucket naming rules, or undefined. */
function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return '3 to 63 characters';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit';
  if (name.includes('..')) return 'no two dots in a row';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'not an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.startsWith('amzn-s3-demo-')) return 'no reserved prefix';
  if (['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].some((s) => name.endsWith(s))) return 'no reserved suffix';
  return undefined;
}

/** An ARN as cdk-nag prints it in a finding id: pseudo parameters in angle brackets. */
function iamResourceText(arn: string): string {
  return arn.replace(/\$\{Token\[AWS\.Partition\.\d+\]\}/g, '<AWS::Partition>')
    .replace(/\$\{Token\[AWS\.AccountId\.\d+\]\}/g, '<AWS::AccountId>')
    .replace(/\$\{Token\[AWS\.Region\.\d+\]\}/g, '<AWS::Region>');
}

/** What the replication policy needs of the source bucket. */
export interface ReplicationSource {
  readonly bucket: s3.Bucket;
  readonly encryptionKey: kms.IKey;
  /** The bucket's physical name as derived from the suffix, account and region. */
  readonly physicalBucketName: string;
}

/**
 * The replication role's one policy: read the source bucket's versions, write
 * replicas to the destination, decrypt with the source bucket's key and
 * encrypt with the destination's, each KMS use only through S3 for that
 * bucket. The policy is a child of `scope` (the VersionedBucket).
 */
export function grantReplication(scope: Construct, source: ReplicationSource, role: iam.Role, replication: ResolvedReplication): void {
  const stack = Stack.of(scope);
  const destinationArn = stack.formatArn({ service: 's3', region: '', account: '', resource: replication.destinationBucketName });
  const s3ViaService = (region: string) => `s3.${region}.${stack.urlSuffix}`;
  // A managed policy: the NIST, HIPAA and PCI packs refuse inline ones.
  const policy = new iam.ManagedPolicy(scope, 'ReplicationPolicy', {
    roles: [role],
    description: `S3 replication of ${source.physicalBucketName} to ${replication.destinationBucketName} (${replication.destinationRegion})`,
    statements: [
      new iam.PolicyStatement({
        actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        resources: [source.bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
        resources: [source.bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
        resources: [`${destinationArn}/*`],
      }),
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [source.encryptionKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': s3ViaService(stack.region) },
          // With S3 Bucket Keys the encryption context is the bucket's ARN; without, the object's.
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [source.bucket.bucketArn, source.bucket.arnForObjects('*')] },
        },
      }),
      new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [replication.destinationKeyResource],
        conditions: {
          StringEquals: { 'kms:ViaService': s3ViaService(replication.destinationRegion) },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [destinationArn, `${destinationArn}/*`] },
          ...(replication.destinationKeyAlias ? {
            // The destination key's id cannot be known in this region: the
            // statement names any key of that region and account, and this
            // condition narrows it to the key that carries the alias.
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [replication.destinationKeyAlias] },
          } : {}),
        },
      }),
    ],
  });
  const why = 'S3 replication role (least privilege, as AWS documents it): object-level actions need the objects of the source and destination buckets';
  acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(source.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`, ['AwsSolutions'], `${why}.`);
  acknowledgeFinding(policy, `IAM5[Resource::arn:<AWS::Partition>:s3:::${replication.destinationBucketName}/*]`, ['AwsSolutions'], `${why}.`);
  if (replication.destinationKeyAlias) {
    acknowledgeFinding(policy, `IAM5[Resource::${iamResourceText(replication.destinationKeyResource)}]`, ['AwsSolutions'],
      'The destination key lives in another region, so its id cannot be known here: the statement names the keys of that region and account, '
      + `and the kms:ResourceAliases condition narrows it to the one aliased ${replication.destinationKeyAlias}, used only through S3 for the destination bucket.`);
  }
}
