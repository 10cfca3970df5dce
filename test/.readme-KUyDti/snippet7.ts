import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DataAccess, EncryptedAurora, PitrTable, VersionedBucket, VpcLambda } from 'cdk-dr-platform';

declare const stack: Stack;
declare const vpc: ec2.IVpc;
declare const db: EncryptedAurora;
declare const table: PitrTable;
declare const receipts: VersionedBucket;

const fn = new VpcLambda(stack, 'Processor', {
  environmentSuffix: 'dev',
  vpc,
  code: lambda.Code.fromAsset('dist/processor'),
  handler: 'index.handler',
  runtime: lambda.Runtime.NODEJS_24_X,   // Node.js 20+ or Python 3.11+
});
fn.connectDatabase(db);                     // DB_HOST, DB_PORT, DB_NAME, DB_SECRET_ARN
fn.grantTable(table, DataAccess.READ_WRITE);  // TABLE_NAME
fn.grantBucket(receipts, DataAccess.WRITE);   // BUCKET_NAME
