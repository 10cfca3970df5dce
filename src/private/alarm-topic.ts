import { Aws, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { createDrKey } from './removal';
import { DrValidationError, quote } from './validation';

/**
 * Checks `alarmEmails`: each an email address, each once (a second
 * subscription of the same address would clash, and case does not make
 * another mailbox for SNS's purpose).
 */
export function validateAlarmEmails(scope: Construct, emails: string[] | undefined): void {
  const seen = new Map<string, string>();
  for (const email of emails ?? []) {
    if (Token.isUnresolved(email)) continue;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      throw new DrValidationError(scope, `\`alarmEmails\` must hold email addresses, got: ${quote(email)}`);
    }
    const key = email.toLowerCase();
    if (seen.has(key)) {
      throw new DrValidationError(scope, `\`alarmEmails\` must list each address once (one subscription each), got: ${quote(email)} and ${quote(seen.get(key)!)}`);
    }
    seen.set(key, email);
  }
}

export interface AlarmTopicOptions {
  readonly topicName: string;
  readonly displayName: string;
  readonly keyAlias: string;
  readonly destroy: boolean;
  readonly encryptionKey?: kms.IKey;
  readonly emails?: string[];
}

/**
 * An SNS topic for DR notifications: encrypted with a customer-managed key
 * that CloudWatch alarms, EventBridge and AWS Backup's vault notifications
 * may use to publish, and TLS enforced by topic policy.
 */
export function createAlarmTopic(scope: Construct, id: string, options: AlarmTopicOptions): sns.Topic {
  const key = options.encryptionKey ?? createDrKey(scope, `${id}Key`, {
    alias: options.keyAlias,
    description: `Encrypts the ${options.displayName} topic`,
    destroy: options.destroy,
  });
  // Alarms, rules and backup vault notifications publish through SNS, which
  // uses the key on the publisher's behalf: each publishing service needs it.
  for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'backup.amazonaws.com']) {
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `Allow${service.split('.')[0]}ToPublishEncrypted`,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      // In a key policy, "*" means this key.
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }));
  }
  const topic = new sns.Topic(scope, id, {
    topicName: options.topicName,
    displayName: options.displayName,
    masterKey: key,
    enforceSSL: true,
  });
  topic.applyRemovalPolicy(options.destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
  for (const email of options.emails ?? []) {
    topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
  return topic;
}
