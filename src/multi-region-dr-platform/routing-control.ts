import { Construct } from 'constructs';
import { DrValidationError } from '../private/validation';

/** Who moves MultiRegionDrPlatform's DNS records between the regions. */
export enum RoutingControlMode {
  /** The Region switch plan: the records follow the plan's Route 53 health checks, which move only when the plan runs. */
  REGION_SWITCH_PLAN = 'REGION_SWITCH_PLAN',
  /** Route 53 health checks on each region's health alarm: the records move on their own when an alarm fires. */
  HEALTH_ALARMS = 'HEALTH_ALARMS',
}

/**
 * Who moves the platform's DNS records (`routing.control`):
 * `RoutingControl.regionSwitchPlan()` (the default with a plan) or
 * `RoutingControl.healthAlarms()`, an explicit choice with its hazard.
 *
 * @example
 * declare const app: App;
 * declare const zone: route53.IHostedZone;
 * new MultiRegionDrPlatform(app, 'Payments', {
 *   environmentSuffix: 'prod',
 *   primary: { account: '111111111111', region: 'us-east-1' },
 *   secondary: { account: '111111111111', region: 'us-west-2' },
 *   routing: {
 *     hostedZone: zone,
 *     recordName: 'payments',
 *     primaryDomainName: 'payments-use1.example.com',
 *     secondaryDomainName: 'payments-usw2.example.com',
 *     control: RoutingControl.regionSwitchPlan(),
 *   },
 * });
 */
export class RoutingControl {
  /**
   * The records follow the Route 53 health checks the Region switch plan
   * creates (its DNS step), so they move only when someone runs the plan:
   * after the fence and the Aurora switchover or failover, in the same run.
   * A probe that stops publishing, an alarm that fires or a region that goes
   * quiet moves nothing by itself. Needs `regionSwitch: RegionSwitch.plan()`.
   */
  public static regionSwitchPlan(): RoutingControl {
    return new RoutingControl(RoutingControlMode.REGION_SWITCH_PLAN);
  }

  /**
   * The records follow Route 53 health checks on each region's health alarm
   * (RegionHealthCheck) and move on their own, with no plan and no person.
   * Hazard: the primary's alarm treats missing data as breaching, so
   * silence (a probe that stops publishing, CloudWatch unable to read it)
   * moves traffic as an outage does; and the secondary may be read-only
   * until its Aurora cluster is promoted, which DNS does not do. The only
   * choice with `RegionSwitch.none()`.
   */
  public static healthAlarms(): RoutingControl {
    return new RoutingControl(RoutingControlMode.HEALTH_ALARMS);
  }

  /**
   * The mode, checked against the platform's region switch: the plan by
   * default when there is one; with none, `healthAlarms()` must be chosen.
   * @internal
   */
  public static _modeOf(scope: Construct, value: RoutingControl | undefined, hasPlan: boolean): RoutingControlMode {
    if (value !== undefined && !(value instanceof RoutingControl)) {
      throw new DrValidationError(scope,
        `\`routing.control\` must be RoutingControl.regionSwitchPlan() or RoutingControl.healthAlarms(), got: ${JSON.stringify(value)}`);
    }
    if (value === undefined) {
      if (hasPlan) return RoutingControlMode.REGION_SWITCH_PLAN;
      throw new DrValidationError(scope,
        '`routing.control` is required with `regionSwitch: RegionSwitch.none()`: without a plan only RoutingControl.healthAlarms() can move the records, '
        + 'and it moves them on its own when an alarm fires or a probe goes silent, so it must be chosen explicitly, got: no `routing.control`');
    }
    if (value.mode === RoutingControlMode.REGION_SWITCH_PLAN && !hasPlan) {
      throw new DrValidationError(scope,
        '`routing.control` RoutingControl.regionSwitchPlan() needs `regionSwitch: RegionSwitch.plan()`: the records follow the plan\'s health checks, '
        + 'got: RegionSwitch.none() (choose RoutingControl.healthAlarms() explicitly, or a plan)');
    }
    return value.mode;
  }

  /** Who moves the records. */
  public readonly mode: RoutingControlMode;

  private constructor(mode: RoutingControlMode) {
    this.mode = mode;
  }
}
