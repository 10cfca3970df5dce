import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface EncryptedLogGroupOptions {
  readonly logGroupName: string;
  readonly encryptionKey: kms.IKey;
  readonly retention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A named log group encrypted with a customer-managed key, and the key-policy
 * statement that lets CloudWatch Logs use the key for that log group only.
 * (A key defined outside the app ignores the statement: its policy must
 * already allow it.)
 */
export function createEncryptedLogGroup(scope: Construct, id: string, options: EncryptedLogGroupOptions): logs.LogGroup {
  const stack = Stack.of(scope);
  options.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    // In a key policy, "*" means this key.
    resources: ['*'],
    conditions: {
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: options.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }));
  return new logs.LogGroup(scope, id, {
    logGroupName: options.logGroupName,
    retention: options.retention,
    encryptionKey: options.encryptionKey,
    removalPolicy: options.removalPolicy,
  });
}
