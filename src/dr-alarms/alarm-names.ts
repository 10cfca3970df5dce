import { DerivedName, NAME_LIMITS, physicalName } from '../private/naming';

/** Every physical name DrAlarms derives from the suffix, in one place. */
export interface AlarmNames {
  readonly topic: string;
  readonly topicKeyAlias: string;
  readonly dashboard: string;
  alarm(name: string): string;
}

export function alarmNames(suffix: string): AlarmNames {
  return {
    topic: physicalName('dr-alarms', suffix),
    topicKeyAlias: `alias/${physicalName('dr-alarms', suffix)}`,
    dashboard: physicalName('dr-dashboard', suffix),
    alarm: (name: string) => physicalName(`dr-${name}`, suffix),
  };
}

/** The names DrAlarms derives from the suffix, for the length check. */
export function derivedNames(suffix: string): DerivedName[] {
  const n = alarmNames(suffix);
  return [
    { resource: 'SNS topic', name: n.topic, maxLength: NAME_LIMITS.snsTopic },
    { resource: 'CloudWatch dashboard', name: n.dashboard, maxLength: NAME_LIMITS.cloudwatchDashboard },
    { resource: 'CloudWatch alarm', name: n.alarm('aurora-freeable-memory'), maxLength: NAME_LIMITS.cloudwatchAlarm },
  ];
}

