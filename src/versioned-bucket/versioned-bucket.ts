import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { VersionedBucketOptions } from './options';
import { grantReplication, resolveReplication } from './replication';
import { validateEnvironmentSuffix, versionedBucketDerivedNames, versionedBucketNames } from '../names';
import { BUCKET_READ_ACTIONS, BUCKET_WRITE_ACTIONS } from '../private/data-access';
import { validateDays } from '../private/duration';
import { validateKeyRegion } from '../private/kms';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { validateNoncurrentTransitions, validateTransitions } from '../private/s3-lifecycle';
import { DrValidationError } from '../private/validation';
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
      grantReplication(this, { bucket: this.bucket, encryptionKey: this.encryptionKey, physicalBucketName: this._physicalBucketName },
        this.replicationRole, replication);
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
}

const SINGLE_REGION_REASON = 'Single-region by design: versioning and AWS Backup protect the data in-region; cross-region replication belongs to the multi-region variant.';

/** The access-log bucket's findings that follow from what S3 log delivery allows. */
function acknowledgeLogBucketFindings(logBucket: s3.IBucket): void {
  acknowledgeFinding(logBucket, 'S3DefaultEncryptionKMS', COMPLIANCE_PACKS,
    'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3; SSE-KMS is not supported as a log destination.');
  acknowledgeFinding(logBucket, 'S3BucketReplicationEnabled', COMPLIANCE_PACKS, SINGLE_REGION_REASON);
}
