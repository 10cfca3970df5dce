import { IConstruct } from 'constructs';
import { functionNames } from './functions';
import { accountAndRegionForLength, DerivedName, NAME_LIMITS, physicalName } from './limits';
import { parameterName } from './platforms';

/**
 * The names of a Region switch plan and its parts. The fence function and
 * the writer-region parameter have the same name in both regions, so the
 * plan computes the other region's function ARN and each fence the other
 * region's parameter ARN with no value crossing regions.
 */
export function regionSwitchNames(suffix: string, account: string, region: string) {
  const fence = functionNames('fence-writes', suffix);
  return {
    /** The plan: 1 to 32 characters of [A-Za-z0-9-] (ARC's limit). */
    plan: physicalName('dr-switch', suffix),
    /** The plan's execution role (IAM names are global, as is the plan). */
    executionRole: physicalName('dr-switch-execution', suffix),
    /** The approval role the plan creates when asked to. */
    approvalRole: physicalName('dr-switch-approver', suffix),
    /** The report bucket, in the plan's stack's account and region. */
    reportBucket: `dr-switch-reports-${account}-${region}-${suffix}`,
    /** The access-log bucket of the report bucket. */
    reportLogBucket: `dr-switch-logs-${account}-${region}-${suffix}`,
    /** The alias of the report bucket's key. */
    reportKeyAlias: `alias/${physicalName('dr-switch-reports', suffix)}`,
    /** The EventBridge rule that sends the plan's events to the alarm topic. */
    eventsRule: physicalName('dr-switch-events', suffix),
    /** The writer-region parameter, in each region. */
    writerRegionParameter: parameterName(suffix, 'region/writer'),
    /** The fence function, its key alias, log group and dead-letter queue, in each region. */
    fence,
    /** The log group of the lookup of the plan's health checks (handler, provider framework and waiter), in the plan's stack. */
    healthChecksLogGroup: `/dr/${suffix}/switch-health-checks`,
    /** Its key's alias, when the plan's stack has no fence whose key it can use. */
    healthChecksKeyAlias: `alias/${physicalName('dr-switch-health-checks', suffix)}`,
  };
}

/** The ARN of the fence function in a region (computed, never referenced). */
export function fenceFunctionArn(partition: string, region: string, account: string, suffix: string): string {
  return `arn:${partition}:lambda:${region}:${account}:function:${regionSwitchNames(suffix, account, region).fence.function}`;
}

/** The ARN of the writer-region parameter in a region (computed, never referenced). */
export function writerRegionParameterArn(partition: string, region: string, account: string, suffix: string): string {
  return `arn:${partition}:ssm:${region}:${account}:parameter${regionSwitchNames(suffix, account, region).writerRegionParameter}`;
}

/** The names a RegionSwitchPlan derives, for the length check. */
export function regionSwitchPlanDerivedNames(
  scope: IConstruct, suffix: string, reportBucket: boolean, approvalRole: boolean, dns = false,
): DerivedName[] {
  const { account, region } = accountAndRegionForLength(scope);
  const n = regionSwitchNames(suffix, account, region);
  return [
    { resource: 'Region switch plan', name: n.plan, maxLength: NAME_LIMITS.regionSwitchPlan },
    { resource: 'IAM role', name: n.executionRole, maxLength: NAME_LIMITS.iamRole },
    { resource: 'EventBridge rule', name: n.eventsRule, maxLength: NAME_LIMITS.eventsRule },
    ...(approvalRole ? [{ resource: 'IAM role', name: n.approvalRole, maxLength: NAME_LIMITS.iamRole }] : []),
    ...(dns ? [
      { resource: 'log group', name: n.healthChecksLogGroup, maxLength: NAME_LIMITS.logGroup },
      { resource: 'KMS alias', name: n.healthChecksKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
    ] : []),
    ...(reportBucket ? [
      { resource: 'S3 bucket', name: n.reportBucket, maxLength: NAME_LIMITS.s3Bucket },
      { resource: 'S3 access-log bucket', name: n.reportLogBucket, maxLength: NAME_LIMITS.s3Bucket },
      { resource: 'KMS alias', name: n.reportKeyAlias, maxLength: NAME_LIMITS.kmsAlias },
    ] : []),
  ];
}

/** The names a RegionSwitchFence derives, for the length check. */
export function regionSwitchFenceDerivedNames(suffix: string): DerivedName[] {
  const n = regionSwitchNames(suffix, '', '');
  return [
    { resource: 'SSM parameter', name: n.writerRegionParameter, maxLength: NAME_LIMITS.ssmParameter },
    { resource: 'Lambda function', name: n.fence.function, maxLength: NAME_LIMITS.lambdaFunction },
    { resource: 'SQS queue', name: n.fence.deadLetterQueue, maxLength: NAME_LIMITS.sqsQueue },
    { resource: 'log group', name: n.fence.logGroup, maxLength: NAME_LIMITS.logGroup },
    { resource: 'KMS alias', name: n.fence.keyAlias, maxLength: NAME_LIMITS.kmsAlias },
  ];
}

/** The names of a RegionSwitchRehearsal and its parts, in the plan's stack's region. */
export function regionSwitchRehearsalNames(suffix: string) {
  const fn = functionNames('switch-rehearsal', suffix);
  const stateMachine = physicalName('dr-switch-rehearsal', suffix);
  return {
    /** The task function, its key alias, log group and dead-letter queue. */
    ...fn,
    /** The state machine. */
    stateMachine,
    /** The state machine's log group (the prefix Step Functions documents for vended logs). */
    stateMachineLogGroup: `/aws/vendedlogs/states/${stateMachine}`,
    /** The EventBridge Scheduler schedule that starts a rehearsal. */
    schedule: stateMachine,
    /** The hourly schedule that publishes the hours since the last successful rehearsal. */
    ageSchedule: physicalName('dr-switch-rehearsal-age', suffix),
    /** The parameter holding the time of the last successful rehearsal. */
    lastSuccessParameter: parameterName(suffix, 'region/rehearsal/last-success'),
  };
}

/** The names a RegionSwitchRehearsal derives, for the length check. */
export function regionSwitchRehearsalDerivedNames(suffix: string): DerivedName[] {
  const n = regionSwitchRehearsalNames(suffix);
  return [
    { resource: 'Lambda function', name: n.function, maxLength: NAME_LIMITS.lambdaFunction },
    { resource: 'SQS queue', name: n.deadLetterQueue, maxLength: NAME_LIMITS.sqsQueue },
    { resource: 'log group', name: n.stateMachineLogGroup, maxLength: NAME_LIMITS.logGroup },
    { resource: 'KMS alias', name: n.keyAlias, maxLength: NAME_LIMITS.kmsAlias },
    { resource: 'Step Functions state machine', name: n.stateMachine, maxLength: NAME_LIMITS.stepFunctionsStateMachine },
    { resource: 'EventBridge Scheduler schedule', name: n.ageSchedule, maxLength: NAME_LIMITS.schedulerSchedule },
    { resource: 'SSM parameter', name: n.lastSuccessParameter, maxLength: NAME_LIMITS.ssmParameter },
  ];
}

/** The automatic failover's watch function and its alarms, in the secondary region. */
export function failoverWatchNames(suffix: string) {
  return {
    ...functionNames('failover-watch', suffix),
    /** Positive evidence that the primary region is impaired. */
    impairedAlarm: physicalName('dr-primary-impaired', suffix),
    /** The secondary could not take writes after a promotion, or its readiness is unknown. */
    notReadyAlarm: physicalName('dr-secondary-not-ready', suffix),
    /** Both: the trigger's only condition. */
    corroboratedAlarm: physicalName('dr-failover-corroborated', suffix),
  };
}
