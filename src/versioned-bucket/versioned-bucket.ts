import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { validateEnvironmentSuffix, versionedBucketDerivedNames, versionedBucketNames } from '../names';
import { BUCKET_READ_ACTIONS, BUCKET_WRITE_ACTIONS } from '../private/data-access';
import { validateDays } from '../private/duration';
import { aliasArnInRegion, parseKeyArn, validateKeyRegion } from '../private/kms';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { SAME_REGION_REASON, validateOtherRegion } from '../private/regions';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { validateNoncurrentTransitions, validateTransitions } from '../private/s3-lifecycle';
import { DrValidationError, quote } from '../private/validation';
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

  /**
   * Replicate every object to a bucket in another region (S3 Cross-Region
   * Replication), encrypted there with a key of that region.
   *
   * @default - no replication
   */
  readonly replication?: BucketReplicationOptions;
}

/**
 * Where and how a VersionedBucket replicates its objects. The destination
 * is named, not referenced: it lives in another region, so it is imported by
 * name and its key by ARN, and no value crosses regions. The destination
 * bucket must exist, be versioned and belong to the same account before the
 * source stack deploys.
 */
export interface BucketReplicationOptions {
  /**
   * The destination bucket's name (for a VersionedBucket there:
   * `dr-data-{account}-{region}-{environmentSuffix}`). A concrete name:
   * a token would be a reference to another region.
   */
  readonly destinationBucketName: string;

  /** The destination bucket's region: a concrete region code other than the stack's. */
  readonly destinationRegion: string;

  /**
   * The KMS key (key or alias ARN, of `destinationRegion` and this account)
   * that encrypts the replicas. An alias ARN is resolved by S3 in the
   * destination region.
   *
   * @default - the alias ARN of `alias/dr-data-{environmentSuffix}` in `destinationRegion` (the key a VersionedBucket there creates)
   */
  readonly destinationKeyArn?: string;

  /**
   * S3 Replication Time Control: S3 replicates 99.99 % of new objects
   * within 15 minutes (its only threshold) under an SLA, and emits events
   * for objects that miss it. Without it replication has no time bound.
   *
   * @default true
   */
  readonly replicationTimeControl?: boolean;

  /**
   * Whether delete markers are replicated, so an object deleted here reads
   * as deleted there too. Deletions of a specific version are never
   * replicated, so the replica keeps the history a malicious delete would
   * erase.
   *
   * @default true
   */
  readonly deleteMarkerReplication?: boolean;

  /**
   * The storage class of the replicas.
   *
   * @default - the storage class of the source object
   */
  readonly storageClass?: s3.StorageClass;
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
  /**
   * The role S3 assumes to replicate objects, when `replication` is set:
   * `dr-s3-replication-{region}-{environmentSuffix}` (IAM names are global,
   * so the name carries the region).
   */
  public readonly replicationRole?: iam.Role;
  /** The id of the replication rule (the `RuleId` dimension of the replication metrics), when `replication` is set. */
  public readonly replicationRuleId?: string;
  /** The destination bucket's name, when `replication` is set. */
  public readonly replicationDestinationBucketName?: string;
  /** The destination bucket's region, when `replication` is set. */
  public readonly replicationDestinationRegion?: string;
  /** Whether S3 Replication Time Control is on (false without `replication`). */
  public readonly replicationTimeControl: boolean;
  /**
   * The data bucket's physical name as derived from the suffix, account and
   * region: a plain string when the stack's environment is concrete.
   * @internal
   */
  public readonly _physicalBucketName: string;

  constructor(scope: Construct, id: string, props: VersionedBucketProps) {
    super(scope, id);
    // Deliver access logs through a bucket policy, never ACLs (object
    // ownership is enforced), whatever the consuming app's feature flags say.
    this.node.setContext(S3_LOGS_USE_BUCKET_POLICY, true);

    const logging = props.serverAccessLogs ?? true;
    const createLogBucket = logging && !props.serverAccessLogsBucket;
    validateEnvironmentSuffix(this, props.environmentSuffix, (suffix) =>
      versionedBucketDerivedNames(this, suffix, createLogBucket, props.replication !== undefined));
    const replication = props.replication ? resolveReplication(this, props.environmentSuffix, props.replication) : undefined;

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
    const names = versionedBucketNames(props.environmentSuffix, stack.account, stack.region);
    this._physicalBucketName = names.data;

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

    if (replication) {
      this.replicationRole = new iam.Role(this, 'ReplicationRole', {
        roleName: names.replicationRole,
        assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
        description: `S3 replication of ${names.data} to ${replication.destinationBucketName} (${replication.destinationRegion})`,
      });
      this.replicationRuleId = `replicate-to-${replication.destinationRegion}`;
      this.replicationDestinationBucketName = replication.destinationBucketName;
      this.replicationDestinationRegion = replication.destinationRegion;
    }
    this.replicationTimeControl = replication?.replicationTimeControl ?? false;

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
      replicationRole: this.replicationRole,
      replicationRules: replication && this.replicationRuleId ? [{
        id: this.replicationRuleId,
        // Imported by name and ARN: the destination is in another region.
        destination: s3.Bucket.fromBucketAttributes(this, 'ReplicaBucket', {
          bucketName: replication.destinationBucketName,
          region: replication.destinationRegion,
          account: stack.account,
        }),
        kmsKey: kms.Key.fromKeyArn(this, 'ReplicaKey', replication.destinationKeyArn),
        sseKmsEncryptedObjects: true,
        replicationTimeControl: replication.replicationTimeControl ? s3.ReplicationTimeValue.FIFTEEN_MINUTES : undefined,
        // Metrics are on either way: they are what the replication alarms read.
        metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
        deleteMarkerReplication: replication.deleteMarkerReplication,
        storageClass: replication.storageClass,
      }] : undefined,
    });
    if (replication && this.replicationRole) {
      this.grantReplication(this.replicationRole, replication);
    } else {
      acknowledgeFinding(this.bucket, 'S3BucketReplicationEnabled', COMPLIANCE_PACKS, SINGLE_REGION_REASON);
    }

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

  /**
   * S3's `ReplicationLatency` of the replication rule: how many seconds the
   * destination is behind this bucket (statistic Maximum, the only one S3
   * gives). S3 publishes it in the destination region, so the metric
   * carries that region: alarm on it from a stack there.
   */
  public metricReplicationLatency(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.replicationMetric('ReplicationLatency', 'metricReplicationLatency', true, props);
  }

  /**
   * S3's `OperationsPendingReplication` of the replication rule (objects,
   * delete markers, tags waiting), Maximum; published in the destination region.
   */
  public metricOperationsPendingReplication(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.replicationMetric('OperationsPendingReplication', 'metricOperationsPendingReplication', true, props);
  }

  /**
   * S3's `BytesPendingReplication` of the replication rule, Maximum;
   * published in the destination region.
   */
  public metricBytesPendingReplication(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.replicationMetric('BytesPendingReplication', 'metricBytesPendingReplication', true, props);
  }

  /**
   * S3's `OperationsFailedReplication` of the replication rule (Sum):
   * operations that will not replicate without intervention. Published in
   * this bucket's region.
   */
  public metricOperationsFailedReplication(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.replicationMetric('OperationsFailedReplication', 'metricOperationsFailedReplication', false, {
      statistic: cloudwatch.Stats.SUM,
      ...props,
    });
  }

  private replicationMetric(
    metricName: string, method: string, inDestination: boolean, props: cloudwatch.MetricOptions,
  ): cloudwatch.Metric {
    // No `unit`: an alarm on a metric with a unit sees only data points
    // published with exactly that unit, and a mismatch would silence it.
    if (!this.replicationDestinationBucketName || !this.replicationRuleId || !this.replicationDestinationRegion) {
      throw new DrValidationError(this, `\`${method}()\` needs \`replication\`: this bucket does not replicate, so S3 publishes no ${metricName}`);
    }
    return new cloudwatch.Metric({
      namespace: 'AWS/S3',
      metricName,
      dimensionsMap: {
        SourceBucket: this._physicalBucketName,
        DestinationBucket: this.replicationDestinationBucketName,
        RuleId: this.replicationRuleId,
      },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      region: inDestination ? this.replicationDestinationRegion : undefined,
      ...props,
    });
  }

  /**
   * The replication role's one policy: read this bucket's versions, write
   * replicas to the destination, decrypt with this bucket's key and encrypt
   * with the destination's, each KMS use only through S3 for that bucket.
   */
  private grantReplication(role: iam.Role, replication: ResolvedReplication): void {
    const stack = Stack.of(this);
    const destinationArn = stack.formatArn({ service: 's3', region: '', account: '', resource: replication.destinationBucketName });
    const s3ViaService = (region: string) => `s3.${region}.${stack.urlSuffix}`;
    // A managed policy: the NIST, HIPAA and PCI packs refuse inline ones.
    const policy = new iam.ManagedPolicy(this, 'ReplicationPolicy', {
      roles: [role],
      description: `S3 replication of ${this._physicalBucketName} to ${replication.destinationBucketName} (${replication.destinationRegion})`,
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [this.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
          resources: [this.bucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
          resources: [`${destinationArn}/*`],
        }),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': s3ViaService(stack.region) },
            // With S3 Bucket Keys the encryption context is the bucket's ARN; without, the object's.
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [this.bucket.bucketArn, this.bucket.arnForObjects('*')] },
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
    acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`, ['AwsSolutions'], `${why}.`);
    acknowledgeFinding(policy, `IAM5[Resource::arn:<AWS::Partition>:s3:::${replication.destinationBucketName}/*]`, ['AwsSolutions'], `${why}.`);
    if (replication.destinationKeyAlias) {
      acknowledgeFinding(policy, `IAM5[Resource::${iamResourceText(replication.destinationKeyResource)}]`, ['AwsSolutions'],
        'The destination key lives in another region, so its id cannot be known here: the statement names the keys of that region and account, '
        + `and the kms:ResourceAliases condition narrows it to the one aliased ${replication.destinationKeyAlias}, used only through S3 for the destination bucket.`);
    }
  }
}

/** The replication options with their defaults and what the IAM policy needs. */
interface ResolvedReplication {
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

function resolveReplication(scope: Construct, suffix: string, options: BucketReplicationOptions): ResolvedReplication {
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

const SINGLE_REGION_REASON = 'Single-region by design: versioning and AWS Backup protect the data in-region; cross-region replication belongs to the multi-region variant.';

/** The access-log bucket's findings that follow from what S3 log delivery allows. */
function acknowledgeLogBucketFindings(logBucket: s3.IBucket): void {
  acknowledgeFinding(logBucket, 'S3DefaultEncryptionKMS', COMPLIANCE_PACKS,
    'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3; SSE-KMS is not supported as a log destination.');
  acknowledgeFinding(logBucket, 'S3BucketReplicationEnabled', COMPLIANCE_PACKS, SINGLE_REGION_REASON);
}
