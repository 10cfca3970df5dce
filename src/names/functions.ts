import { DerivedName, NAME_LIMITS, physicalName } from './limits';

/** The physical names of one of the library's functions. */
export interface FunctionNames {
  /** The function, `dr-{name}-{suffix}`. */
  readonly function: string;
  /** The alias of the key of its logs, environment and dead-letter queue (when it has a key of its own). */
  readonly keyAlias: string;
  /** Its log group, where Lambda writes by default. */
  readonly logGroup: string;
  /** Its dead-letter queue, `dr-{name}-dlq-{suffix}`. */
  readonly deadLetterQueue: string;
}

/** The names of the function `name` (a VpcLambda's, or one of the library's own). */
export function functionNames(name: string, suffix: string): FunctionNames {
  const fn = physicalName(`dr-${name}`, suffix);
  return {
    function: fn,
    keyAlias: `alias/${fn}`,
    logGroup: `/aws/lambda/${fn}`,
    deadLetterQueue: physicalName(`dr-${name}-dlq`, suffix),
  };
}

/** The names a VpcLambda derives, for the length check. */
export function vpcLambdaDerivedNames(name: string, suffix: string): DerivedName[] {
  const n = functionNames(name, suffix);
  return [
    { resource: 'Lambda function', name: n.function, maxLength: NAME_LIMITS.lambdaFunction },
    { resource: 'SQS queue', name: n.deadLetterQueue, maxLength: NAME_LIMITS.sqsQueue },
    { resource: 'log group', name: n.logGroup, maxLength: NAME_LIMITS.logGroup },
  ];
}

/** RecoveryPointMonitor's function, its key, logs and queue, and its schedule rule (named like the function). */
export function recoveryMonitorNames(suffix: string): FunctionNames & { readonly rule: string } {
  const fn = functionNames('recovery-monitor', suffix);
  return { ...fn, rule: fn.function };
}

/** The names RecoveryPointMonitor derives, for the length check. */
export function recoveryMonitorDerivedNames(suffix: string): DerivedName[] {
  const n = recoveryMonitorNames(suffix);
  return [
    { resource: 'Lambda function', name: n.function, maxLength: NAME_LIMITS.lambdaFunction },
    { resource: 'SQS queue', name: n.deadLetterQueue, maxLength: NAME_LIMITS.sqsQueue },
    { resource: 'EventBridge rule', name: n.rule, maxLength: NAME_LIMITS.eventsRule },
    { resource: 'log group', name: n.logGroup, maxLength: NAME_LIMITS.logGroup },
  ];
}

/**
 * RegionHealthCheck's names: the probe is a VpcLambda named `region-health`,
 * and its schedule rule and alarm carry the function's name,
 * `dr-region-health-{suffix}`. The alarm's name is the same in both regions,
 * so the routing stack names each region's alarm without a cross-region
 * reference.
 */
export function regionHealthNames(suffix: string) {
  const probe = 'region-health';
  const name = functionNames(probe, suffix).function;
  return { probe, rule: name, alarm: name };
}

/** The names RegionHealthCheck derives (the function's own are checked by VpcLambda), for the length check. */
export function regionHealthDerivedNames(suffix: string): DerivedName[] {
  const n = regionHealthNames(suffix);
  return [
    { resource: 'CloudWatch alarm', name: n.alarm, maxLength: NAME_LIMITS.cloudwatchAlarm },
    { resource: 'EventBridge rule', name: n.rule, maxLength: NAME_LIMITS.eventsRule },
  ];
}
