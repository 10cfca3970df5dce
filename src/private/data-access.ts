import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** Reading objects and their versions, and listing the bucket: every action named. */
export const BUCKET_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'];
/** Writing and deleting objects and versions, multipart uploads included. */
export const BUCKET_WRITE_ACTIONS = ['s3:PutObject', 's3:PutObjectTagging', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/** Reading items of a table: every action named. */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
/** Writing and deleting items of a table. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
/**
 * The use of a table's customer-managed key that a reader needs, named
 * (aws-cdk-lib's table grants add `kms:ReEncrypt*` and `kms:GenerateDataKey*`).
 */
export const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
/** The use of a table's customer-managed key that a writer needs, named. */
export const TABLE_KEY_WRITE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

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

/**
 * Grants item access on any table (`Table`, `TableV2`, imported) with the
 * actions aws-cdk-lib's `grantReadData`/`grantWriteData` name on the table
 * and its indexes, and the key's use with named KMS actions only: the
 * table's own grant methods would add `kms:ReEncrypt*` and
 * `kms:GenerateDataKey*` on a table that carries its key.
 */
export function grantTableAccess(table: dynamodb.ITable, grantee: iam.IGrantable, access: Access, key?: kms.IKey): iam.Grant {
  // The lists aws-cdk-lib's grantReadData/grantWriteData/grantReadWriteData use, in its order.
  const read = ['dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'];
  const write = ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
  const actions = [...(access.read ? read : []), ...(access.write ? write : []), 'dynamodb:DescribeTable'];
  // ITable.grant names the table and, when it has indexes, its indexes; it grants nothing on the key.
  let grant = table.grant(grantee, ...actions);
  if (access.read) {
    // Stream reads cannot be granted in a table's resource policy: on the principal, as aws-cdk-lib does.
    grant = grant.combine(iam.Grant.addToPrincipal({
      grantee, actions: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resourceArns: [table.tableArn],
    }));
  }
  if (key) {
    key.grant(grantee, ...(access.write ? TABLE_KEY_WRITE_ACTIONS : TABLE_KEY_READ_ACTIONS));
  }
  return grant;
}
