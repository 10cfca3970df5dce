import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { retainUnlessDestroy } from './removal';

export interface DeadLetterQueueOptions {
  /** The queue's physical name (from src/names). */
  readonly queueName: string;
  /** The customer-managed key it is encrypted with (the function's or the rule's). */
  readonly encryptionKey: kms.IKey;
  /** The construct's `removalPolicy` prop: kept unless DESTROY. */
  readonly removalPolicy?: RemovalPolicy;
  /** How long a failed event is kept. @default 14 days, SQS's longest */
  readonly retentionPeriod?: Duration;
}

/**
 * A dead-letter queue as every function and rule of the library has one:
 * encrypted with a customer-managed key, TLS only, kept 14 days, retained
 * unless the construct is DESTROY. Internal: not exported from the package.
 */
export function encryptedDeadLetterQueue(scope: Construct, id: string, options: DeadLetterQueueOptions): sqs.Queue {
  return new sqs.Queue(scope, id, {
    queueName: options.queueName,
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: options.encryptionKey,
    enforceSSL: true,
    retentionPeriod: options.retentionPeriod ?? Duration.days(14),
    removalPolicy: retainUnlessDestroy(options.removalPolicy),
  });
}
