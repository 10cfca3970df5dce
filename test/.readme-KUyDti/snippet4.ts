import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { VersionedBucket } from 'cdk-dr-platform';

declare const stack: Stack;
declare const role: iam.IRole;

const receipts = new VersionedBucket(stack, 'Receipts', {
  environmentSuffix: 'dev',
  noncurrentVersionExpiration: Duration.days(60),   // default 30; shorter than backupRetention warns
  transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(0) }],
});
receipts.grantReadWrite(role);
