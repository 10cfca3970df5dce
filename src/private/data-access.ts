import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** Reading objects and their versions, and listing the bucket: every action named. */
export const BUCKET_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'];
/** Writing and deleting objects and versions, multipart uploads included. */
export const BUCKET_WRITE_ACTIONS = ['s3:PutObject', 's3:PutObjectTagging', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/** What a grant allows: reading, writing or both (the public `DataAccess` maps onto it). */
export interface Access {
  readonly read: boolean;
  readonly write: boolean;
}

/**
 * Grants object access on any bucket with named actions (aws-cdk-lib's own
 * bucket grants use `s3:GetObject*` and the like), and the key's use.
 */
export function grantBucketAccess(bucket: s3.IBucket, grantee: iam.IGrantable, access: Access, key?: kms.IKey): iam.Grant {
  const grants: iam.Grant[] = [];
  if (access.read) {
    grants.push(iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: BUCKET_READ_ACTIONS,
      resourceArns: [bucket.bucketArn, bucket.arnForObjects('*')],
      resource: bucket,
    }));
  }
  if (access.write) {
    grants.push(iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: BUCKET_WRITE_ACTIONS,
      resourceArns: [bucket.arnForObjects('*')],
      resource: bucket,
    }));
  }
  if (key) {
    grantKeyUse(key, grantee, access);
  }
  return grants.reduce((a, b) => a.combine(b));
}

/** Decrypt to read; data keys (and decrypt, which multipart uploads need) to write. */
export function grantKeyUse(key: kms.IKey, grantee: iam.IGrantable, access: Access): iam.Grant {
  return !access.write ? key.grant(grantee, 'kms:Decrypt') : key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
}
