import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DrValidationError } from './validation';

/** The units a duration prop can be counted in, as `Duration.unitLabel()` names them. */
export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'days';

const DURATION_OF: Record<DurationUnit, (amount: number) => Duration> = {
  seconds: Duration.seconds,
  minutes: Duration.minutes,
  hours: Duration.hours,
  days: Duration.days,
};

/** What a duration prop must be, in the unit the AWS API counts it in. */
export interface DurationRule {
  /** The unit AWS takes the value in; the value must be a whole number of it. */
  readonly unit: DurationUnit;
  /** The smallest value, in `unit`. */
  readonly min: number;
  /** The largest value, in `unit`. */
  readonly max: number;
  /** Why the minimum is what it is, when it is an AWS limit worth naming. */
  readonly minReason?: string;
  /** Why the maximum is what it is, when it is an AWS limit worth naming. */
  readonly maxReason?: string;
  /**
   * Whether a token (a value known only at deploy) is accepted. Only props
   * that go straight into a CloudFormation number in `unit` can take one;
   * those the library computes with at synth (schedules, alarm periods) cannot.
   */
  readonly tokens: boolean;
  /** Why a token is refused, when `tokens` is false. */
  readonly tokenReason?: string;
}

/**
 * Validates a duration prop and returns it as a whole number of `rule.unit`,
 * or undefined when it is an accepted token. Every refusal names the prop and
 * the value as the user gave it, never a number aws-cdk-lib derived from it:
 * tokens in the wrong unit, fractions of the unit, and values outside
 * [min, max] are refused here rather than crashing inside aws-cdk-lib.
 */
export function validateDuration(scope: IConstruct, prop: string, value: Duration, rule: DurationRule): number | undefined {
  const given = describeDuration(value);
  if (value.isUnresolved()) {
    if (!rule.tokens) {
      throw new DrValidationError(scope,
        `\`${prop}\` must be a concrete duration, not a token: ${rule.tokenReason ?? 'it is used at synth time'}, got: ${given}`);
    }
    if (value.unitLabel() !== rule.unit) {
      throw new DrValidationError(scope,
        `\`${prop}\` from a token must be given as Duration.${rule.unit}(token), the unit CloudFormation takes it in, got: ${given}`);
    }
    return undefined;
  }
  const amount = value.toMilliseconds({ integral: false }) / DURATION_OF[rule.unit](1).toMilliseconds();
  if (!Number.isInteger(amount) || amount < rule.min || amount > rule.max) {
    const why = amount > rule.max ? rule.maxReason : amount < rule.min ? rule.minReason : undefined;
    const reason = why ? ` (${why})` : '';
    throw new DrValidationError(scope, `\`${prop}\` must be a whole number of ${rule.unit} from ${rule.min} to ${rule.max}${reason}, got: ${given}`);
  }
  return amount;
}

/**
 * A duration as the user gave it: `36 days`, `1 hour 1 second (Duration.seconds(3601))`,
 * `Duration.hours(<token>)`; never a number derived from it.
 */
export function describeDuration(value: Duration): string {
  if (value.isUnresolved()) {
    return `Duration.${value.unitLabel()}(<token>)`;
  }
  const human = value.toHumanString();
  const exact = value.toString();
  // toHumanString shows at most two components; the exact form shows the rest.
  const amount = exact.replace(/^Duration\.\w+\(|\)$/g, '');
  return /^\d+ [a-z]+$/.test(human) && human.startsWith(`${amount} `) ? human : `${human} (${exact})`;
}

/**
 * Checks that a Duration is a whole number of days within [minDays, maxDays]
 * and returns that number of days (undefined when the duration is a token
 * given in days, which CloudFormation takes as a number of days).
 */
export function validateDays(scope: IConstruct, prop: string, value: Duration, minDays: number, maxDays: number): number | undefined {
  return validateDuration(scope, prop, value, { unit: 'days', min: minDays, max: maxDays, tokens: true });
}
