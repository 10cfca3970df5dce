import { FunctionNames, functionNames } from './functions';
import { DerivedName, NAME_LIMITS, physicalName } from './limits';

/** Every physical name DrAlarms derives from the suffix. */
export interface AlarmNames {
  /** The alarm topic, `dr-alarms-{suffix}` (SingleRegionDrPlatform and MultiRegionDrPlatform make it for DrAlarms). */
  readonly topic: string;
  /** The alias of the alarm topic's key. */
  readonly topicKeyAlias: string;
  /** The dashboard, `dr-dashboard-{suffix}`: dashboards are global to an account. */
  readonly dashboard: string;
  /** The dashboard of another region of the same suffix, `dr-dashboard-{suffix}-{region}`. */
  regionalDashboard(region: string): string;
  /** An alarm, `dr-{name}-{suffix}`. */
  alarm(name: string): string;
  /** The longest alarm name DrAlarms makes for a subject (`aurora`, `table`, ...): a subject's name is checked with it. */
  longestAlarm(subject: string): string;
}

export function alarmNames(suffix: string): AlarmNames {
  const topic = physicalName('dr-alarms', suffix);
  const dashboard = physicalName('dr-dashboard', suffix);
  const alarm = (name: string) => physicalName(`dr-${name}`, suffix);
  return {
    topic,
    topicKeyAlias: `alias/${topic}`,
    dashboard,
    regionalDashboard: (region: string) => `${dashboard}-${region}`,
    alarm,
    longestAlarm: (subject: string) => alarm(`${subject}-freeable-memory`),
  };
}

/** The names DrAlarms derives, for the length check and the claims (its dashboard's only when it names it itself). */
export function drAlarmsDerivedNames(suffix: string, dashboardName?: string): DerivedName[] {
  const n = alarmNames(suffix);
  return [
    { resource: 'SNS topic', name: n.topic, maxLength: NAME_LIMITS.snsTopic },
    // A dashboard name given as it is (a token included) is not derived from the suffix: it is the caller's to keep unique.
    ...(dashboardName === undefined ? [{ resource: 'CloudWatch dashboard', name: n.dashboard, maxLength: NAME_LIMITS.cloudwatchDashboard, accountWide: true }] : []),
    { resource: 'CloudWatch alarm', name: n.longestAlarm('aurora'), maxLength: NAME_LIMITS.cloudwatchAlarm },
  ];
}

/**
 * The function DrAlarms runs per watched global database to learn whether
 * the cluster of its region is the writer or a secondary, named after the
 * watched subject (`dr-{name}-role-{suffix}`), with its key alias, log group,
 * dead-letter queue and schedule rule (named like the function).
 */
export function globalRoleNames(name: string, suffix: string): FunctionNames & { readonly rule: string } {
  const fn = functionNames(`${name}-role`, suffix);
  return { ...fn, rule: fn.function };
}

/** The names of a global database's role function, for the length check; `name` is the part the suffix does not cover. */
export function globalRoleDerivedNames(name: string, suffix: string): DerivedName[] {
  const n = globalRoleNames(name, suffix);
  const otherPart = `\`name\` ${JSON.stringify(name)}`;
  return [
    { resource: 'Lambda function', name: n.function, maxLength: NAME_LIMITS.lambdaFunction, otherPart },
    { resource: 'SQS queue', name: n.deadLetterQueue, maxLength: NAME_LIMITS.sqsQueue, otherPart },
    { resource: 'EventBridge rule', name: n.rule, maxLength: NAME_LIMITS.eventsRule, otherPart },
    { resource: 'log group', name: n.logGroup, maxLength: NAME_LIMITS.logGroup, otherPart },
    { resource: 'KMS alias', name: n.keyAlias, maxLength: NAME_LIMITS.kmsAlias, otherPart },
  ];
}
