import { Aws, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
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
  // CloudWatch alarms publish through SNS, which uses the key on the
  // alarm's behalf; CloudWatch sends aws:SourceAccount on that call.
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowcloudwatchToPublishEncrypted',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    // In a key policy, "*" means this key.
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
  }));
  const topic = new sns.Topic(scope, id, {
    topicName: options.topicName,
    displayName: options.displayName,
    masterKey: key,
    enforceSSL: true,
  });
  topic.applyRemovalPolicy(options.destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
  // EventBridge rules and backup vault notifications publish to this topic.
  // The key's statements name the topic by ARN built from its name: a
  // reference to the topic would make a cycle (the topic names the key).
  const topicArn = Stack.of(scope).formatArn({ service: 'sns', resource: options.topicName });
  for (const service of [PublishingService.EVENTS, PublishingService.BACKUP]) {
    allowServiceToPublish(topic, service, topicArn);
  }
  for (const email of options.emails ?? []) {
    topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
  return topic;
}

/** An AWS service that publishes to a DR topic on the account's behalf. */
export enum PublishingService {
  /** EventBridge rules (an `events.Rule` with an SNS target). */
  EVENTS = 'events.amazonaws.com',
  /** AWS Backup vault notifications. */
  BACKUP = 'backup.amazonaws.com',
}

const granted = new WeakMap<sns.ITopic, Set<PublishingService>>();

/**
 * Lets an AWS service publish to `topic`, and use the topic's key if it has
 * one, each statement with a condition that keeps another account's rule or
 * vault from publishing through it (the confused deputy). Written here, not
 * by aws-cdk-lib: `targets.SnsTopic` and `BackupVault`'s `notificationTopic`
 * call `topic.grantPublish(servicePrincipal)`, which adds both statements
 * with no condition.
 *
 * - Topic policy: `aws:SourceAccount`. AWS Backup documents it (and
 *   `aws:SourceArn` = the vault) for publishing to SNS:
 *   https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html
 * - Key policy: `kms:EncryptionContext:aws:sns:topicArn`, the encryption
 *   context SNS passes to KMS for the topic's messages. Not
 *   `aws:SourceAccount`/`aws:SourceArn`: the SNS Developer Guide says adding
 *   them to a KMS key policy "is not supported for EventBridge-to-encrypted
 *   topics" (the request to KMS does not carry them, so every event would be
 *   dropped):
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 *   AWS Backup does not document those keys on the KMS call either, so it
 *   gets the same condition.
 *
 * `topicArn` names the topic in the key's condition; without it, any topic
 * of the topic's account and region (a topic created in the same stack as
 * its key cannot be named by reference: that would be a cycle). Granting the
 * same service twice on one topic adds nothing.
 */
export function allowServiceToPublish(topic: sns.ITopic, service: PublishingService, topicArn?: string): void {
  const services = granted.get(topic) ?? new Set<PublishingService>();
  if (services.has(service)) return;
  services.add(service);
  granted.set(topic, services);
  const stack = Stack.of(topic);
  const name = service.split('.')[0];
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: `Allow${name}ToPublish`,
    principals: [new iam.ServicePrincipal(service)],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  topic.masterKey?.addToResourcePolicy(new iam.PolicyStatement({
    sid: `Allow${name}ToPublishEncrypted`,
    principals: [new iam.ServicePrincipal(service)],
    // The actions the SNS Developer Guide lists for an event source.
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    // In a key policy, "*" means this key.
    resources: ['*'],
    conditions: topicArn
      ? { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } }
      : { StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': stack.formatArn({ service: 'sns', resource: '*' }) } },
  }));
}

/**
 * An SNS rule target whose publish permission carries a condition:
 * `targets.SnsTopic` would grant `events.amazonaws.com` with none.
 * No role either: EventBridge documents resource policies, not a role, for
 * SNS targets, a role "may fail" with KMS-encrypted topics
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html).
 */
export class ConditionedSnsTarget implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic, private readonly message?: events.RuleTargetInput) {}

  public bind(_rule: events.IRule, _id?: string): events.RuleTargetConfig {
    allowServiceToPublish(this.topic, PublishingService.EVENTS);
    return { arn: this.topic.topicArn, input: this.message, targetResource: this.topic };
  }
}
