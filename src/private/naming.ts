/**
 * The rules of a name part a user gives (environment suffix, function and
 * alarm subject names). The physical names built from them, their limits and
 * the suffix check are in src/names/.
 */
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/**
 * The one pattern for every name part a user gives (environment suffix,
 * function and alarm subject names): it goes into S3, RDS, Lambda, SQS and
 * CloudWatch names alike, so it must satisfy the strictest of them.
 */
export const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * Checks a name part against NAME_PATTERN and the hyphen rules; `prop` is
 * the prop the message names. Unresolved tokens are skipped.
 */
export function validateNamePart(scope: IConstruct, prop: string, name: string): string {
  if (Token.isUnresolved(name)) {
    return name;
  }
  const problem = namePartProblem(name);
  if (problem) {
    throw new DrValidationError(scope, `\`${prop}\` must ${problem}, got: ${quote(name)}`);
  }
  return name;
}

/** A construct id as a name part: lowercased, every other character a hyphen. */
export function namePartFromId(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

function namePartProblem(name: string): string | undefined {
  if (!NAME_PATTERN.test(name)) {
    return `match ${NAME_PATTERN} (lowercase letters, digits and hyphens, starting with a letter)`;
  }
  // Aurora and RDS identifiers reject a trailing hyphen and two hyphens in a row.
  if (name.endsWith('-')) {
    return 'not end with a hyphen';
  }
  if (name.includes('--')) {
    return 'not contain two hyphens in a row';
  }
  return undefined;
}

/** `dr-fn-processor` or `secretsmanager` as `DrFnProcessor` / `Secretsmanager`, for construct ids. */
export function pascalCase(name: string): string {
  return name.split(/[^a-zA-Z0-9]/).filter(Boolean).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}
