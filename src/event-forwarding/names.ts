/**
 * The physical names EventForwarding derives from the environment suffix.
 * Both regions derive the same names, so each side computes the other's bus
 * ARN and no value crosses regions. Not exported from the module's barrel:
 * the multi-region composite imports it directly.
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
