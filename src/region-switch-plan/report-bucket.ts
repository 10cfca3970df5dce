/**
 * The bucket a RegionSwitchPlan's execution reports go to, built like the
 * library's VersionedBucket: SSE-KMS with a customer-managed key and S3
 * Bucket Keys, versioning, Block Public Access, TLS 1.2 or newer, object
 * ownership enforced, noncurrent versions expired, and server access logs in
 * a log bucket of its own. Internal: not exported from the package.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { createDrKey } from '../private/removal';

export interface ReportBucketOptions {
  readonly bucketName: string;
  readonly logBucketName: string;
  readonly keyAlias: string;
  readonly planName: string;
  readonly destroy: boolean;
  readonly removalPolicy: RemovalPolicy;
}

const LIFECYCLE: s3.LifecycleRule = {
  id: 'expire-noncurrent-versions',
  // Current versions are kept: each report is the evidence of a switch.
  noncurrentVersionExpiration: Duration.days(30),
  abortIncompleteMultipartUploadAfter: Duration.days(7),
};

export function createReportBucket(scope: Construct, options: ReportBucketOptions): { bucket: s3.Bucket; key: kms.Key } {
  const key = createDrKey(scope, 'ReportKey', {
    alias: options.keyAlias,
    description: `Encrypts the execution reports of the Region switch plan ${options.planName}`,
    destroy: options.destroy,
  });
  const logBucket = new s3.Bucket(scope, 'ReportAccessLogs', {
    bucketName: options.logBucketName,
    // S3 server access logs can only be delivered to an SSE-S3 bucket.
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    lifecycleRules: [LIFECYCLE],
    removalPolicy: options.removalPolicy,
    autoDeleteObjects: options.destroy,
  });
  const bucket = new s3.Bucket(scope, 'ReportBucket', {
    bucketName: options.bucketName,
    versioned: true,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    lifecycleRules: [LIFECYCLE],
    serverAccessLogsBucket: logBucket,
    serverAccessLogsPrefix: 'access-logs/',
    removalPolicy: options.removalPolicy,
    autoDeleteObjects: options.destroy,
  });
  const reason = 'Execution reports are the evidence of switches, kept in the plan stack\'s region; they are not data the application recovers from.';
  acknowledgeFinding(bucket, 'S3BucketReplicationEnabled', COMPLIANCE_PACKS, reason);
  acknowledgeFinding(logBucket, 'S3BucketReplicationEnabled', COMPLIANCE_PACKS, reason);
  acknowledgeFinding(logBucket, 'S3DefaultEncryptionKMS', COMPLIANCE_PACKS,
    'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3; SSE-KMS is not supported as a log destination.');
  return { bucket, key };
}
