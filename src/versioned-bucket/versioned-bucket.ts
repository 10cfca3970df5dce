import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_READ_ACTIONS, BUCKET_WRITE_ACTIONS } from '../private/data-access';
import { validateKeyRegion } from '../private/kms';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { accountAndRegionForLength, DerivedName, NAME_LIMITS, physicalName, validateEnvironmentSuffix } from '../private/naming';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { validateNoncurrentTransitions, validateTransitions } from '../private/s3-lifecycle';
import { validateDays } from '../private/validation';
import { addDrWarning } from '../private/warnings';


const S3_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/**
 * Properties for a VersionedBucket.
 */
export interface VersionedBucketProps extends VersionedBucketOptions {
  /**
   * Suffix carried by every name this construct derives, for example `dev`
   * or `prod`. Lowercase letters, digits and hyphens, starting with a letter.
   * The bucket is named `dr-data-{account}-{region}-{environmentSuffix}`.
   */
  readonly environmentSuffix: string;

  /**
   * What happens to the bucket, its objects and its key when the stack
   * deletes them. `DESTROY` empties the bucket (every version) and schedules
   * the key for deletion, so a test stack deletes with no manual step.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * How the bucket is built: everything SingleRegionDrPlatform passes through as `bucket`.
 */
export interface VersionedBucketOptions {
  /**
   * The KMS key that encrypts objects (SSE-KMS with S3 Bucket Keys).
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-data-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long a noncurrent (overwritten or deleted) object version is kept
   * before it expires. Without an expiration a versioned bucket grows forever.
   * HourlyBackup warns when this is shorter than its retention.
   *
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * When incomplete multipart uploads are aborted and their parts deleted.
   *
   * @default Duration.days(7)
   */
  readonly abortIncompleteMultipartUploadAfter?: Duration;

  /**
   * Transitions of current object versions to cheaper storage classes,
   * checked as S3 checks them: Standard-IA and One Zone-IA after 30 days or
   * more, classes in S3's order, 30 days in an infrequent-access class before
   * the next move.
   *
   * @default - objects stay in S3 Standard
   */
  readonly transitions?: s3.Transition[];

  /**
   * Transitions of noncurrent object versions to cheaper storage classes,
   * checked like `transitions`, each earlier than `noncurrentVersionExpiration`.
   *
   * @default - noncurrent versions stay in S3 Standard until they expire
   */
  readonly noncurrentVersionTransitions?: s3.NoncurrentVersionTransition[];

  /**
   * Whether to record server access logs. When on and no
   * `serverAccessLogsBucket` is given, the construct creates a log bucket
   * named `dr-logs-{account}-{region}-{environmentSuffix}` (SSE-S3, the only
   * encryption S3 log delivery supports).
   *
   * @default true
   */
  readonly serverAccessLogs?: boolean;

  /**
   * An existing bucket to receive the server access logs.
   *
   * @default - a log bucket is created when `serverAccessLogs` is on
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Key prefix of the server access logs in the log bucket.
   *
   * @default 'access-logs/'
   */
  readonly serverAccessLogsPrefix?: string;
}

/**
 * An S3 bucket that keeps its history: versioning, SSE-KMS with a customer
 * managed key and S3 Bucket Keys, Block Public Access, TLS 1.2 or newer
 * enforced by bucket policy, object ownership enforced, lifecycle rules that
 * expire noncurrent versions and abort incomplete uploads, and server access
 * logging.
 *
 * @example
 * const data = new VersionedBucket(this, 'Data', {
 *   environmentSuffix: 'dev',
 *   noncurrentVersionExpiration: Duration.days(60),
 * });
 */
export class VersionedBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key that encrypts the bucket's objects. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket that receives server access logs, when logging is on. */
  public readonly serverAccessLogsBucket?: s3.IBucket;
  /** The bucket's name. */
  public readonly bucketName: string;
  /** The bucket's ARN. */
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: VersionedBucketProps) {
    super(scope, id);
    // Deliver access logs through a bucket policy, never ACLs (object
    // ownership is enforced), whatever the consuming app's feature flags say.
    this.node.setContext(S3_LOGS_USE_BUCKET_POLICY, true);

    const logging = props.serverAccessLogs ?? true;
    const createLogBucket = logging && !props.serverAccessLogsBucket;
    validateEnvironmentSuffix(this, props.environmentSuffix, (suffix) =>
      derivedNames(this, suffix, createLogBucket));

    const noncurrentVersionExpiration = props.noncurrentVersionExpiration ?? Duration.days(30);
    const abortAfter = props.abortIncompleteMultipartUploadAfter ?? Duration.days(7);
    const expirationDays = validateDays(this, 'noncurrentVersionExpiration', noncurrentVersionExpiration, 1, 36500);
    validateDays(this, 'abortIncompleteMultipartUploadAfter', abortAfter, 1, 36500);
    validateKeyRegion(this, 'encryptionKey', props.encryptionKey);
    validateTransitions(this, 'transitions', props.transitions);
    validateNoncurrentTransitions(this, 'noncurrentVersionTransitions', props.noncurrentVersionTransitions,
      'noncurrentVersionExpiration', expirationDays);
    if (!logging && props.serverAccessLogsBucket) {
      addDrWarning(this, 'serverAccessLogsBucketIgnored',
        '`serverAccessLogsBucket` is ignored because `serverAccessLogs` is false.',
      );
    }

    const destroy = isDestroy(this, props.removalPolicy, 'the bucket and every version of its objects');
    const removalPolicy = retainUnlessDestroy(props.removalPolicy);
    const stack = Stack.of(this);
    const names = bucketNames(stack.account, stack.region, props.environmentSuffix);

    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: names.keyAlias,
      description: `Encrypts the objects of the DR data bucket (${props.environmentSuffix})`,
      destroy,
    });

    if (createLogBucket) {
      this.serverAccessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
        bucketName: names.logs,
        // S3 server access logs can only be delivered to an SSE-S3 bucket.
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        lifecycleRules: [{
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration,
          abortIncompleteMultipartUploadAfter: abortAfter,
        }],
        removalPolicy,
        autoDeleteObjects: destroy,
      });
      acknowledgeLogBucketFindings(this.serverAccessLogsBucket);
    } else if (logging) {
      this.serverAccessLogsBucket = props.serverAccessLogsBucket;
    }

    const lifecycleRules: s3.LifecycleRule[] = [{
      id: 'expire-noncurrent-versions',
      noncurrentVersionExpiration,
      noncurrentVersionTransitions: props.noncurrentVersionTransitions,
      abortIncompleteMultipartUploadAfter: abortAfter,
    }];
    if (props.transitions && props.transitions.length > 0) {
      lifecycleRules.push({ id: 'transition-current-versions', transitions: props.transitions });
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: names.data,
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules,
      serverAccessLogsBucket: this.serverAccessLogsBucket,
      serverAccessLogsPrefix: logging ? (props.serverAccessLogsPrefix ?? 'access-logs/') : undefined,
      removalPolicy,
      autoDeleteObjects: destroy,
    });
    acknowledgeFinding(this.bucket, 'S3BucketReplicationEnabled', COMPLIANCE_PACKS, SINGLE_REGION_REASON);

    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
  }

  /**
   * Grants reading objects and their versions, and listing the bucket, with
   * decrypt on the key. Every action is named: no wildcards.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: BUCKET_READ_ACTIONS,
      resourceArns: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      resource: this.bucket,
    });
    this.encryptionKey.grant(grantee, 'kms:Decrypt');
    return grant;
  }

  /**
   * Grants writing and deleting objects and aborting uploads, with the key
   * use SSE-KMS needs. Every action is named: no wildcards.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: BUCKET_WRITE_ACTIONS,
      resourceArns: [this.bucket.arnForObjects('*')],
      resource: this.bucket,
    });
    // Multipart uploads read back the data key, so writers need decrypt too.
    this.encryptionKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    return grant;
  }

  /** Grants both `grantRead` and `grantWrite`. */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantRead(grantee).combine(this.grantWrite(grantee));
  }
}

/** Every physical name the construct derives from the suffix, in one place. */
function bucketNames(account: string, region: string, suffix: string): { data: string; logs: string; keyAlias: string } {
  return {
    data: `dr-data-${account}-${region}-${suffix}`,
    logs: `dr-logs-${account}-${region}-${suffix}`,
    keyAlias: `alias/${physicalName('dr-data', suffix)}`,
  };
}

const SINGLE_REGION_REASON = 'Single-region by design: versioning and AWS Backup protect the data in-region; cross-region replication belongs to the multi-region variant.';

/** The access-log bucket's findings that follow from what S3 log delivery allows. */
function acknowledgeLogBucketFindings(logBucket: s3.IBucket): void {
  acknowledgeFinding(logBucket, 'S3DefaultEncryptionKMS', COMPLIANCE_PACKS,
    'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3; SSE-KMS is not supported as a log destination.');
  acknowledgeFinding(logBucket, 'S3BucketReplicationEnabled', COMPLIANCE_PACKS, SINGLE_REGION_REASON);
}

/** The names the construct derives from the suffix, for the length check. */
function derivedNames(scope: Construct, suffix: string, withLogBucket: boolean): DerivedName[] {
  const { account, region } = accountAndRegionForLength(scope);
  const names = bucketNames(account, region, suffix);
  const derived: DerivedName[] = [
    { resource: 'S3 bucket', name: names.data, maxLength: NAME_LIMITS.s3Bucket },
    { resource: 'KMS alias', name: names.keyAlias, maxLength: NAME_LIMITS.kmsAlias },
  ];
  if (withLogBucket) {
    derived.push({ resource: 'S3 access-log bucket', name: names.logs, maxLength: NAME_LIMITS.s3Bucket });
  }
  return derived;
}
