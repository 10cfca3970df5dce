import { DerivedName, NAME_LIMITS } from './limits';

/**
 * The physical names EventForwarding derives from the suffix. Both regions
 * derive the same names, so each side computes the other's bus ARN and no
 * value crosses regions.
 */
export interface EventForwardingNames {
  readonly eventBus: string;
  readonly rule: string;
  readonly deadLetterQueue: string;
  readonly keyAlias: string;
  readonly deadLetterAlarm: string;
  readonly undeliverableAlarm: string;
}

/** The names of an EventForwarding for `environmentSuffix` (identical in every region). */
export function eventForwardingNames(environmentSuffix: string): EventForwardingNames {
  return {
    eventBus: `dr-events-${environmentSuffix}`,
    rule: `dr-events-forward-${environmentSuffix}`,
    deadLetterQueue: `dr-events-dlq-${environmentSuffix}`,
    keyAlias: `alias/dr-events-${environmentSuffix}`,
    deadLetterAlarm: `dr-events-dlq-${environmentSuffix}`,
    undeliverableAlarm: `dr-events-undeliverable-${environmentSuffix}`,
  };
}

/** The ARN of the DR event bus of `environmentSuffix` in a region (computed, never referenced). */
export function eventBusArn(partition: string, region: string, account: string, environmentSuffix: string): string {
  return `arn:${partition}:events:${region}:${account}:event-bus/${eventForwardingNames(environmentSuffix).eventBus}`;
}

/** The names EventForwarding derives, for the length check. */
export function eventForwardingDerivedNames(suffix: string, createsKey: boolean): DerivedName[] {
  const n = eventForwardingNames(suffix);
  return [
    { resource: 'event bus', name: n.eventBus, maxLength: NAME_LIMITS.eventBus },
    { resource: 'EventBridge rule', name: n.rule, maxLength: NAME_LIMITS.eventsRule },
    { resource: 'SQS queue', name: n.deadLetterQueue, maxLength: NAME_LIMITS.sqsQueue },
    { resource: 'CloudWatch alarm', name: n.deadLetterAlarm, maxLength: NAME_LIMITS.cloudwatchAlarm },
    { resource: 'CloudWatch alarm', name: n.undeliverableAlarm, maxLength: NAME_LIMITS.cloudwatchAlarm },
    ...(createsKey ? [{ resource: 'KMS alias', name: n.keyAlias, maxLength: NAME_LIMITS.kmsAlias }] : []),
  ];
}
