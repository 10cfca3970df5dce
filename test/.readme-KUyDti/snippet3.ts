import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PitrTable } from 'cdk-dr-platform';

declare const stack: Stack;
declare const role: iam.IRole;

const table = new PitrTable(stack, 'Orders', {
  environmentSuffix: 'dev',
  partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },  // default: pk (string)
  sortKey: { name: 'createdAt', type: dynamodb.AttributeType.NUMBER },     // default: none
  pointInTimeRecoveryPeriod: Duration.days(35),                            // 1 to 35 days
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } }],
});
table.grantReadWriteData(role);
