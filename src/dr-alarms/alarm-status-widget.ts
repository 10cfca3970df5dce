import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** Renders every alarm of a DrAlarms, including those added after the widget. */
export class LiveAlarmStatusWidget extends cloudwatch.ConcreteWidget {
  constructor(private readonly alarms: () => cloudwatch.IAlarm[]) {
    super(6, 3);
  }

  public toJson(): any[] {
    return [{
      type: 'alarm',
      width: this.width,
      height: this.height,
      x: this.x,
      y: this.y,
      properties: { title: 'DR alarms', alarms: this.alarms().map((a) => a.alarmArn), sortBy: 'stateUpdatedTimestamp' },
    }];
  }
}
