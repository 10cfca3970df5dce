import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { RegionSwitchPlan } from './region-switch-plan';
import { validateDuration } from '../private/duration';
import { DrValidationError, quote } from '../private/validation';

/**
 * Properties for RegionSwitchTrigger.
 */
export interface RegionSwitchTriggerProps {
  /** The plan the trigger runs. */
  readonly plan: RegionSwitchPlan;

  /**
   * The alarm whose ALARM state starts a run. It is the trigger's only
   * condition, so it must already hold all the corroboration a run needs
   * (a composite alarm, for example): how ARC combines several conditions
   * of one trigger is not documented.
   */
  readonly alarm: cloudwatch.IAlarm;

  /** The region the run activates: one of the plan's two regions. */
  readonly targetRegion: string;

  /**
   * The least time between two automatic runs of the plan, in whole
   * minutes (ARC's `MinDelayMinutesBetweenExecutions`).
   *
   * @default Duration.hours(24)
   */
  readonly minDelayBetweenRuns?: Duration;
}

/**
 * An automatic run of a RegionSwitchPlan: ARC activates `targetRegion` when
 * `alarm` goes to ALARM (trigger condition `red`). Off unless created: a run
 * moves production traffic.
 *
 * It adds an associated alarm of type `trigger` and a trigger with one
 * condition to the plan
 * (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html,
 * API_TriggerCondition.html, API_AssociatedAlarm.html), and lets the plan's
 * execution role read the alarm (`cloudwatch:DescribeAlarms` on its ARN).
 * Unverified offline: whether ARC starts a triggered run graceful or
 * ungraceful, and from which region it reads the alarm.
 */
export class RegionSwitchTrigger extends Construct {
  /** The name of the associated alarm in the plan. */
  public readonly associatedAlarmName: string;
  /** The least time between two automatic runs, in minutes. */
  public readonly minDelayMinutesBetweenRuns: number;

  constructor(scope: Construct, id: string, props: RegionSwitchTriggerProps) {
    super(scope, id);
    const plan = props.plan;
    const regions = [plan.primaryRegion, plan.secondaryRegion];
    if (!Token.isUnresolved(props.targetRegion) && !regions.includes(props.targetRegion)) {
      throw new DrValidationError(this,
        `\`targetRegion\` must be one of the plan's regions (${regions.join(', ')}), got: ${quote(props.targetRegion)}`);
    }
    this.minDelayMinutesBetweenRuns = validateDuration(this, 'minDelayBetweenRuns', props.minDelayBetweenRuns ?? Duration.hours(24), {
      unit: 'minutes',
      min: 1,
      max: 525_600,
      maxReason: ' (a year)',
      tokens: false,
      tokenReason: 'the plan takes it as whole minutes, checked at synth',
    })!;
    this.associatedAlarmName = `activate-${props.targetRegion}`;
    const cfn = plan.plan;
    const alarms = (cfn.associatedAlarms ?? {}) as Record<string, unknown>;
    if (this.associatedAlarmName in alarms) {
      throw new DrValidationError(this, `the plan already has a trigger that activates ${props.targetRegion}: one trigger per region`);
    }
    cfn.associatedAlarms = {
      ...alarms,
      [this.associatedAlarmName]: { alarmType: 'trigger', resourceIdentifier: props.alarm.alarmArn },
    } as any;
    cfn.triggers = [
      ...((cfn.triggers ?? []) as any[]),
      {
        description: `Activates ${props.targetRegion} when the associated alarm ${this.associatedAlarmName} is in ALARM`,
        targetRegion: props.targetRegion,
        action: 'activate',
        minDelayMinutesBetweenExecutions: this.minDelayMinutesBetweenRuns,
        conditions: [{ associatedAlarmName: this.associatedAlarmName, condition: 'red' }],
      },
    ];
    iam.Grant.addToPrincipal({ grantee: plan.executionRole, actions: ['cloudwatch:DescribeAlarms'], resourceArns: [props.alarm.alarmArn] });
  }
}
