import { Construct } from 'constructs';
import { RestoreDrillOptions } from './restore-drill-props';
import { DrValidationError } from '../private/validation';

/**
 * Whether a platform runs restore drills, and how: `RestoreDrills.enabled()`
 * with RestoreDrill's options, or `RestoreDrills.disabled()`. Options for
 * drills that are off cannot be written.
 *
 * @example
 * new SingleRegionDrPlatform(this, 'Platform', {
 *   environmentSuffix: 'dev',
 *   restoreDrills: RestoreDrills.enabled({ validationWindow: Duration.hours(2) }),
 * });
 */
export class RestoreDrills {
  /**
   * Drills on: AWS Backup restore testing of the platform's database, table
   * and bucket, validated, with the RTO measured.
   *
   * @param options when and how the drills run; RestoreDrill's defaults (weekly, a 4 hour validation window) where not given
   */
  public static enabled(options: RestoreDrillOptions = {}): RestoreDrills {
    return new RestoreDrills(options);
  }

  /** Drills off: no restore testing plan, no drill alarms. */
  public static disabled(): RestoreDrills {
    return new RestoreDrills(undefined);
  }

  /**
   * The value of a platform's `restoreDrills` prop: the drills' options, or
   * undefined when they are off. Refuses what a JavaScript caller could pass
   * in its place (the former boolean), naming the prop.
   *
   * @internal
   */
  public static _optionsOf(scope: Construct, value: RestoreDrills | undefined): RestoreDrillOptions | undefined {
    const drills = value ?? RestoreDrills.enabled();
    if (!(drills instanceof RestoreDrills)) {
      throw new DrValidationError(scope,
        `\`restoreDrills\` must be RestoreDrills.enabled(options) or RestoreDrills.disabled(), got: ${JSON.stringify(value)}`);
    }
    return drills.options;
  }

  /** The drills' options, or undefined when the drills are off. */
  public readonly options?: RestoreDrillOptions;

  private constructor(options: RestoreDrillOptions | undefined) {
    this.options = options;
  }
}
