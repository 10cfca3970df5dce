import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** Renders every alarm of a DrAlarms, including those added after the widget; nothing while there is none. */
export class LiveAlarmStatusWidget extends cloudwatch.ConcreteWidget {
  constructor(private readonly alarms: () => cloudwatch.IAlarm[]) {
    super(6, 3);
  }

  public toJson(): any[] {
    const alarms = this.alarms();
    // CloudWatch rejects an alarm widget without alarms (and the whole dashboard with it).
    if (alarms.length === 0) return [];
    return [{
      type: 'alarm',
      width: this.width,
      height: this.height,
      x: this.x,
      y: this.y,
      properties: { title: 'DR alarms', alarms: alarms.map((a) => a.alarmArn), sortBy: 'stateUpdatedTimestamp' },
    }];
  }
}
