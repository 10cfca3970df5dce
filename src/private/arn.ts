import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/** An ARN: partition, service, region (may be empty), account (12 digits, may be empty), resource. */
export const ARN = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;

/** What an ARN prop must name. */
export interface ArnRule {
  /** The service, as the ARN writes it: `backup`. */
  readonly service: string;
  /** The resource part: `/^restore-testing-plan:[A-Za-z0-9_]+$/`. */
  readonly resource: RegExp;
  /** The form in words, for the message: `arn:{partition}:backup:{region}:{account}:restore-testing-plan:{name}`. */
  readonly form: string;
  /** Why the resource must be in the stack's region, when it must. */
  readonly sameRegionReason?: string;
}

/**
 * Refuses a value that is not an ARN of the expected service and resource,
 * or that is in another partition (or, with `sameRegionReason`, another
 * region) than the stack. Tokens are skipped.
 */
export function validateArn(scope: IConstruct, prop: string, arn: string, rule: ArnRule): void {
  if (Token.isUnresolved(arn)) return;
  const match = ARN.exec(arn);
  if (!match || match[2] !== rule.service || !rule.resource.test(match[5]) || !match[3] || !match[4]) {
    throw new DrValidationError(scope, `\`${prop}\` must be an ARN of the form ${rule.form}, got: ${quote(arn)}`);
  }
  const [, partition, , region] = match;
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region)) return;
  const stackPartition = RegionInfo.get(stack.region).partition;
  if (stackPartition && partition !== stackPartition) {
    throw new DrValidationError(scope, `\`${prop}\` is in partition ${partition}, but the stack is in ${stackPartition}, got: ${quote(arn)}`);
  }
  if (rule.sameRegionReason && region !== stack.region) {
    throw new DrValidationError(scope, `\`${prop}\` must be in the stack's region ${stack.region}: ${rule.sameRegionReason}, got: ${quote(arn)} (region ${region})`);
  }
}
