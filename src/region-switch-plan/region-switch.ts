import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RegionSwitchApprovalOptions, RegionSwitchCustomStep } from './region-switch-plan';
import { RegionSwitchRehearsalOptions } from './region-switch-rehearsal-props';
import { DrValidationError } from '../private/validation';

/**
 * How MultiRegionDrPlatform's region switch plan is built, beside what the
 * platform gives it (regions, RTO, database, alarm topic).
 */
export interface RegionSwitchOptions {
  /**
   * A manual approval as the plan's first step.
   *
   * @default - no approval step
   */
  readonly approval?: RegionSwitchApprovalOptions;

  /**
   * Steps of your own, run after the platform's, with a function in each
   * region.
   *
   * @default - none
   */
  readonly customSteps?: RegionSwitchCustomStep[];

  /**
   * A scheduled rehearsal (RegionSwitchRehearsal): a graceful switch to the
   * secondary and back, measured, with a marker in the global table proving
   * it kept its writes, and alarms when one fails, is overdue or misses the
   * RTO. It moves production traffic, so it is off unless set; `{}` means
   * the monthly default schedule.
   *
   * @default - no rehearsal
   */
  readonly rehearsal?: RegionSwitchRehearsalOptions;

  /**
   * Runs the failover by itself, on corroborated evidence only: the primary
   * region impaired (its RDS API unreachable from the secondary region, or
   * its region health alarm in ALARM, for `impairedFor`) and the secondary
   * ready to take writes (its cluster available, a member of the global
   * cluster, with an available instance). A probe that goes silent moves
   * nothing. It moves production traffic without a person, so it is off
   * unless set; `{}` means the defaults.
   *
   * @default - no automatic failover: a person starts every run
   */
  readonly automaticFailover?: AutomaticFailoverOptions;
}

/**
 * When MultiRegionDrPlatform's plan runs a failover by itself.
 */
export interface AutomaticFailoverOptions {
  /**
   * How long the evidence that the primary region is impaired must last,
   * in whole minutes from 1 to 60, before a run starts.
   *
   * @default Duration.minutes(5)
   */
  readonly impairedFor?: Duration;

  /**
   * The least time between two automatic runs.
   *
   * @default Duration.hours(24)
   */
  readonly minDelayBetweenRuns?: Duration;
}

/**
 * Whether a MultiRegionDrPlatform has an ARC Region switch plan:
 * `RegionSwitch.plan(options)` (the default) or `RegionSwitch.none()`.
 *
 * @example
 * declare const app: App;
 * new MultiRegionDrPlatform(app, 'Payments', {
 *   environmentSuffix: 'prod',
 *   primary: { account: '111111111111', region: 'us-east-1' },
 *   secondary: { account: '111111111111', region: 'us-west-2' },
 *   regionSwitch: RegionSwitch.plan({ approval: {} }),
 * });
 */
export class RegionSwitch {
  /** A RegionSwitchPlan in the secondary region and a RegionSwitchFence in the primary. */
  public static plan(options: RegionSwitchOptions = {}): RegionSwitch {
    return new RegionSwitch(options);
  }

  /** No plan: a region switch is the runbook in docs/failover.md. */
  public static none(): RegionSwitch {
    return new RegionSwitch(undefined);
  }

  /**
   * The options of the plan, or undefined when there is none; refuses a value
   * that is not a RegionSwitch (from JavaScript), naming the prop.
   * @internal
   */
  public static _optionsOf(scope: Construct, value: RegionSwitch | undefined): RegionSwitchOptions | undefined {
    const regionSwitch = value ?? RegionSwitch.plan();
    if (!(regionSwitch instanceof RegionSwitch)) {
      throw new DrValidationError(scope, `\`regionSwitch\` must be RegionSwitch.plan(options) or RegionSwitch.none(), got: ${JSON.stringify(value)}`);
    }
    return regionSwitch.options;
  }

  /** The plan's options, or undefined when there is no plan. */
  public readonly options?: RegionSwitchOptions;

  private constructor(options: RegionSwitchOptions | undefined) {
    this.options = options;
  }
}
