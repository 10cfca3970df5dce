import { App, CfnOutput, CfnParameter, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { DrValidationError } from '../../src/private/validation';
import { testStack } from '../util';

/** What happened to one input: a template that passed strict schema validation, or our refusal. */
export type Verdict =
  | { readonly accepted: true; readonly template: any; readonly stack: Stack }
  | { readonly accepted: false; readonly message: string };

/**
 * Builds a stack with strict CloudFormation schema validation and synthesizes
 * it. Our refusal (DrValidationError) is a verdict; any other error, such as a
 * crash inside aws-cdk-lib or a schema finding, fails the test that called it.
 */
export function attempt(build: (stack: Stack) => void, options: StackProps = {}): Verdict {
  const stack = testStack({ validate: true, ...options });
  try {
    build(stack);
  } catch (e) {
    if (e instanceof DrValidationError) {
      return { accepted: false, message: e.message };
    }
    throw e;
  }
  const assembly = (stack.node.root as App).synth();
  return { accepted: true, template: assembly.getStackArtifact(stack.artifactId).template, stack };
}

/** A number known only at deploy time, as a user's CloudFormation parameter gives it. */
export function numberToken(stack: Stack, id = 'Param'): number {
  const param = new CfnParameter(stack, id, { type: 'Number' });
  // Referenced once here, so a prop that only feeds a synth-time check leaves no unused parameter.
  new CfnOutput(stack, `${id}Echo`, { value: param.valueAsString });
  return param.valueAsNumber;
}

export type Unit = 'seconds' | 'minutes' | 'hours' | 'days';
export const UNITS: Unit[] = ['seconds', 'minutes', 'hours', 'days'];
export const UNIT_MS: Record<Unit, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };
const OF: Record<Unit | 'millis', (n: number) => Duration> = {
  millis: Duration.millis, seconds: Duration.seconds, minutes: Duration.minutes, hours: Duration.hours, days: Duration.days,
};

/** A concrete duration input: how to make it, and how it reads in a test name. */
export interface DurationInput {
  readonly label: string;
  readonly make: (stack: Stack) => Duration;
  /** The amount in `unit`, or undefined for a token. */
  readonly amountIn: (unit: Unit) => number | undefined;
  /** The unit a token was given in. */
  readonly tokenUnit?: Unit;
}

function concrete(unit: Unit | 'millis', amount: number): DurationInput {
  const ms = unit === 'millis' ? amount : amount * UNIT_MS[unit];
  return {
    label: `Duration.${unit}(${amount})`,
    make: () => OF[unit](amount),
    amountIn: (u) => ms / UNIT_MS[u],
  };
}

/**
 * The class of duration inputs around a prop's range in `unit`: its bounds
 * and one past them, zero, a fraction of the unit, the same value in a
 * smaller unit, a huge value, and a token in every unit.
 */
export function durationInputs(unit: Unit, min: number, max: number): DurationInput[] {
  const smaller: Unit | 'millis' = unit === 'seconds' ? 'millis' : UNITS[UNITS.indexOf(unit) - 1];
  const perUnit = unit === 'seconds' ? 1000 : UNIT_MS[unit] / UNIT_MS[smaller as Unit];
  const inputs = [
    concrete(unit, 0),
    concrete(unit, min),
    concrete(unit, max),
    concrete(unit, max + 1),
    concrete(smaller, perUnit * Math.max(min, 1)),
    concrete(smaller, perUnit * Math.max(min, 1) + 1),
    concrete(unit, Math.max(min, 1) + 0.5),
    concrete('days', 100_000),
  ];
  if (min > 1) inputs.push(concrete(unit, min - 1));
  for (const u of UNITS) {
    inputs.push({ label: `Duration.${u}(<token>)`, make: (stack) => OF[u](numberToken(stack)), amountIn: () => undefined, tokenUnit: u });
  }
  return inputs;
}

/** The reference to the token parameter, as it appears in a template. */
export const TOKEN_REF = { Ref: 'Param' };
