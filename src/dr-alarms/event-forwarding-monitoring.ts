import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmFactory, MonitoringSegment, validateSameRegion } from './alarm-factory';
import { EventForwarding } from '../event-forwarding';

/**
 * An EventForwarding on the dashboard: its own two alarms (events waiting in
 * the dead-letter queue, events lost), not copies, with their graphs.
 */
export class EventForwardingMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, forwarding: EventForwarding) {
    validateSameRegion(factory.scope, forwarding, 'the event forwarding', 'monitorEventForwarding');
    const what = `the event forwarding ${forwarding.node.path}`;
    this.alarms = [
      factory.adopt(forwarding.deadLetterAlarm, what),
      factory.adopt(forwarding.undeliverableAlarm, what),
    ];
    this.widgets = [
      new cloudwatch.AlarmWidget({
        title: `Events to ${forwarding.targetRegion}: undelivered, waiting in the dead-letter queue`,
        alarm: forwarding.deadLetterAlarm,
        width: 12,
      }),
      new cloudwatch.AlarmWidget({
        title: `Events to ${forwarding.targetRegion}: lost (not even written to the dead-letter queue)`,
        alarm: forwarding.undeliverableAlarm,
        width: 12,
      }),
    ];
  }
}
