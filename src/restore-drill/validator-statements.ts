import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * What the drill validator may do with the live cluster's key: the restored
 * copy stays encrypted with it, and RDS uses it on the drill instance's
 * behalf, so the validator may describe it and grant it to AWS resources only.
 */
export function databaseKeyStatements(databaseKey: kms.IKey | undefined): iam.PolicyStatement[] {
  return databaseKey ? [
    new iam.PolicyStatement({ actions: ['kms:DescribeKey'], resources: [databaseKey.keyArn] }),
    new iam.PolicyStatement({
      actions: ['kms:CreateGrant'],
      resources: [databaseKey.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ] : [];
}

/**
 * What the validator may read of a restored table: restore testing names
 * restored tables `awsbackup-restore-test-*` (`tableArnPattern`), and they
 * are encrypted with the live table's key.
 */
export function restoredTableStatements(tableArnPattern: string, tableKey: kms.IKey | undefined): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable', 'dynamodb:Scan'], resources: [tableArnPattern] }),
    ...tableKey ? [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [tableKey.keyArn] })] : [],
  ];
}

/** What the validator may read of a restored bucket (`bucketArnPattern`, `awsbackup-restore-test-*`) and its objects. */
export function restoredBucketStatements(bucketArnPattern: string, bucketKey: kms.IKey | undefined): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArnPattern] }),
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${bucketArnPattern}/*`] }),
    ...bucketKey ? [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [bucketKey.keyArn] })] : [],
  ];
}
