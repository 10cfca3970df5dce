import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The library's own code: `lib/` in the package, `src/` in this repository (`src/private/..`). */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const OWN_CODE = [path.join(PACKAGE_ROOT, 'lib') + path.sep, path.join(PACKAGE_ROOT, 'src') + path.sep];

/**
 * Thrown for props that fail validation at synth time. The message names the
 * prop, the value that was given and what is allowed.
 */
export class DrValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${message} (in ${scope.node.path})`);
    this.name = 'ValidationError';
    // The trace starts at the caller's code: frames inside the library point
    // at files the user did not write (and, through source maps, at src/
    // files the package does not ship), and say nothing the message does not.
    this.stack = (this.stack ?? '').split('\n')
      .filter((line) => !OWN_CODE.some((dir) => line.includes(dir)))
      .join('\n');
  }
}

/** Renders a value the way error messages quote it. */
export function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Checks that `value` is a whole number within [min, max]; unresolved tokens
 * are skipped because their value is only known at deploy time.
 */
export function validateIntegerRange(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DrValidationError(scope, `\`${prop}\` must be a whole number from ${min} to ${max}, got: ${value}`);
  }
}

/**
 * Checks a count the construct builds from (how many instances to create):
 * a whole number within [min, max], and never a token, since the number of
 * resources in a template is fixed at synth.
 */
export function validateCount(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && Token.isUnresolved(value)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a concrete number from ${min} to ${max}, not a token: it decides how many resources the template has, got: ${Token.asString(value)}`);
  }
  validateIntegerRange(scope, prop, value, min, max);
}
