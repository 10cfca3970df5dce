import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventBusArn, eventForwardingDerivedNames, eventForwardingNames, validateEnvironmentSuffix } from '../names';
import { encryptedDeadLetterQueue } from '../private/dead-letter-queue';
import { validateDuration } from '../private/duration';
import { validateEventPattern } from '../private/event-pattern';
import { validateKeyRegion } from '../private/kms';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding } from '../private/nag';
import { partitionOf, SAME_REGION_REASON, validateOtherRegion } from '../private/regions';
import { createDrKey, isDestroy } from '../private/removal';
import { DrValidationError } from '../private/validation';

/** AWS limits on the names this construct derives. */
/**
 * Properties for an EventForwarding.
 */
export interface EventForwardingProps {
  /**
   * Suffix carried by every name this construct derives, for example `dev`
   * or `prod`. Lowercase letters, digits and hyphens, starting with a letter.
   * The bus is named `dr-events-{environmentSuffix}`, in every region alike:
   * that is how each region finds the other's bus without a cross-region
   * reference.
   */
  readonly environmentSuffix: string;

  /**
   * The region whose bus `dr-events-{environmentSuffix}` receives this
   * region's events (same account). A concrete region code of the stack's
   * partition, not the stack's own region.
   */
  readonly targetRegion: string;

  /**
   * The topic the alarms notify: an event in the dead-letter queue, and an
   * event that could not even reach the dead-letter queue (lost).
   */
  readonly alarmTopic: sns.ITopic;

  /**
   * Which events of the bus to forward, narrowed further to the events put
   * in this region. Must not set `region`: the construct sets it, and that
   * filter is what keeps a forwarded event from being forwarded back.
   *
   * @default - every event put on the bus in this region
   */
  readonly eventPattern?: events.EventPattern;

  /**
   * The KMS key that encrypts the dead-letter queue. Its key policy must let
   * `events.amazonaws.com` call `kms:GenerateDataKey` and `kms:Decrypt`
   * (EventBridge writes to the queue), which the construct cannot add to a
   * key it did not create.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-events-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long an undelivered event stays in the dead-letter queue, from 1
   * minute to 14 days (SQS limits).
   *
   * @default Duration.days(14)
   */
  readonly deadLetterRetention?: Duration;

  /**
   * What happens to the dead-letter queue (and the events in it) and its key
   * when the stack deletes them. The bus holds no events and is always
   * deleted with the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An event bus that forwards the events put on it in this region to the bus
 * of the same name in another region, so an event written during a regional
 * failover reaches the region that takes over.
 *
 * The bus `dr-events-{environmentSuffix}` has one rule whose pattern matches
 * only events whose `region` is this region. A forwarded event keeps the
 * `region` of the region it was put in, so when both regions forward to each
 * other an event crosses once and is never sent back. The rule's target is
 * the other region's bus by computed ARN (same account: an IAM role allowed
 * `events:PutEvents` on that one bus, no bus policy needed). EventBridge
 * retries a failed delivery with back-off for up to 24 hours and 185
 * attempts (the fixed retry policy of event-bus targets: aws-cdk-lib and
 * EventBridge offer no retry settings for them), then moves the event to an
 * encrypted dead-letter queue kept 14 days. An event in that queue, or one
 * that could not be written to it, raises an alarm.
 *
 * @example
 * declare const topic: sns.ITopic;
 * declare const fn: lambda.IFunction;
 * const forwarding = new EventForwarding(this, 'Events', {
 *   environmentSuffix: 'prod',
 *   targetRegion: 'us-west-2',
 *   alarmTopic: topic,
 * });
 * forwarding.grantPutEvents(fn);
 */
export class EventForwarding extends Construct {
  /** The event bus of this region, `dr-events-{environmentSuffix}`. */
  public readonly eventBus: events.EventBus;
  /** The bus's name (the same in both regions). */
  public readonly eventBusName: string;
  /** The bus's ARN. */
  public readonly eventBusArn: string;
  /** The region events are forwarded to. */
  public readonly targetRegion: string;
  /** The ARN of the bus in `targetRegion` that receives the events (computed, not referenced). */
  public readonly targetEventBusArn: string;
  /** The rule that forwards this region's events. */
  public readonly rule: events.Rule;
  /** The role EventBridge assumes to put events on the other region's bus. */
  public readonly role: iam.Role;
  /** The queue that receives events EventBridge could not deliver. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The key that encrypts the dead-letter queue. */
  public readonly encryptionKey: kms.IKey;
  /** Alarms when an undelivered event is in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Alarms when an undelivered event could not be written to the dead-letter queue (the event is lost). */
  public readonly undeliverableAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EventForwardingProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, (suffix) => eventForwardingDerivedNames(suffix, props.encryptionKey === undefined));
    const partition = partitionOf(validateOtherRegion(this, 'targetRegion', props.targetRegion, SAME_REGION_REASON.connection));
    validateKeyRegion(this, 'encryptionKey', props.encryptionKey);
    const retention = props.deadLetterRetention ?? Duration.days(14);
    validateDuration(this, 'deadLetterRetention', retention, {
      unit: 'seconds', min: 60, max: 14 * 24 * 3600, maxReason: 'SQS keeps a message 14 days at most', tokens: true,
    });
    validateEventPattern(this, 'eventPattern', props.eventPattern);
    if (props.eventPattern?.region !== undefined) {
      throw new DrValidationError(this,
        '`eventPattern` must not set `region`: the construct matches only events put in this region, which keeps forwarded events from being sent back, '
        + `got: ${JSON.stringify(props.eventPattern.region)}`);
    }

    const destroy = isDestroy(this, props.removalPolicy, 'the dead-letter queue, the undelivered events in it and its key');
    const names = eventForwardingNames(props.environmentSuffix);
    const stack = Stack.of(this);
    this.targetRegion = props.targetRegion;
    // The other region's bus has this region's name by construction; the
    // partition is the target region's (validated equal to the stack's).
    this.targetEventBusArn = eventBusArn(Token.isUnresolved(stack.region) ? Aws.PARTITION : partition,
      props.targetRegion, stack.account, props.environmentSuffix);

    this.eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName: names.eventBus,
      description: `DR events (${props.environmentSuffix}); events put here are forwarded to ${props.targetRegion}`,
    });
    this.eventBusName = this.eventBus.eventBusName;
    this.eventBusArn = this.eventBus.eventBusArn;

    this.encryptionKey = props.encryptionKey ?? this.createKey(names.keyAlias, props.environmentSuffix, destroy);
    this.deadLetterQueue = encryptedDeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: names.deadLetterQueue,
      encryptionKey: this.encryptionKey,
      removalPolicy: props.removalPolicy,
      retentionPeriod: retention,
    });
    acknowledgeFinding(this.deadLetterQueue, 'SQS3', ['AwsSolutions'],
      'This queue is the dead-letter queue of the forwarding rule\'s target; a dead-letter queue needs none of its own.');

    // Same account: the role's identity policy is all PutEvents needs on the
    // other region's bus. The trust is limited to EventBridge acting for this account.
    // A managed policy, not an inline one (the NIST, HIPAA and PCI packs refuse those).
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      description: `Lets EventBridge put DR events on ${names.eventBus} in ${props.targetRegion}`,
    });

    this.rule = new events.Rule(this, 'ForwardRule', {
      ruleName: names.rule,
      eventBus: this.eventBus,
      description: `Forwards the events put on ${names.eventBus} in this region to the bus of the same name in ${props.targetRegion}`,
      eventPattern: { ...props.eventPattern, region: [stack.region] },
    });
    // The EventBus target grants the role events:PutEvents on that one bus
    // ARN, and lets only this rule send to the queue (aws:SourceArn).
    const targetBus = events.EventBus.fromEventBusArn(this, 'TargetEventBus', this.targetEventBusArn);
    this.rule.addTarget(new targets.EventBus(targetBus, { role: this.role, deadLetterQueue: this.deadLetterQueue }));

    const action = new cwActions.SnsAction(props.alarmTopic);
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmName: names.deadLetterAlarm,
      alarmDescription: `Events put on ${names.eventBus} could not be delivered to ${props.targetRegion} within EventBridge's retries and wait in ${names.deadLetterQueue}: `
        + 'fix the cause, then replay them from the queue before they expire.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // SQS publishes while the queue holds messages; no data means an empty, idle queue.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(action);
    this.undeliverableAlarm = new cloudwatch.Alarm(this, 'UndeliverableAlarm', {
      alarmName: names.undeliverableAlarm,
      alarmDescription: `Events put on ${names.eventBus} could neither be delivered to ${props.targetRegion} nor written to ${names.deadLetterQueue}: they are lost.`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'InvocationsFailedToBeSentToDlq',
        dimensionsMap: { EventBusName: names.eventBus, RuleName: names.rule },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // EventBridge publishes the metric only when a write to the queue fails.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.undeliverableAlarm.addAlarmAction(action);
  }

  /**
   * Grants `events:PutEvents` on this region's bus: what a function needs to
   * publish the workload's events.
   */
  public grantPutEvents(grantee: iam.IGrantable): iam.Grant {
    return this.eventBus.grantPutEventsTo(grantee);
  }

  private createKey(alias: string, environmentSuffix: string, destroy: boolean): kms.Key {
    const key = createDrKey(this, 'EncryptionKey', {
      alias,
      description: `Encrypts the DR events dead-letter queue (${environmentSuffix})`,
      destroy,
    });
    // EventBridge encrypts what it writes to the queue with this key.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToWriteEncrypted',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      // In a key policy, "*" means this key.
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    return key;
  }
}
