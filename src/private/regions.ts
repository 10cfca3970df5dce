import { Aws, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/** Why a prop naming the other region of a pair must not be the stack's own. */
export const SAME_REGION_REASON = {
  /** A replica or copy. */
  copy: 'a copy in the same region does not survive the loss of the region',
  /** Peering, event forwarding: the construct joins two regions. */
  connection: 'the construct connects two regions',
} as const;

/** The partition of a region aws-cdk-lib knows (`aws` when it does not say). */
export function partitionOf(region: string): string {
  return RegionInfo.get(region).partition ?? 'aws';
}

/**
 * Checks one prop that names another region than the stack's: a concrete
 * region code (names, keys and ARNs of that region are derived from it at
 * synth) that aws-cdk-lib knows, not the stack's own region and, when the
 * stack's region is known, in the stack's partition (nothing crosses
 * partitions: no replication, peering or event routing). In a stack whose
 * region is known only at deploy, a CloudFormation rule refuses the deploy
 * to that region. Returns the region.
 *
 * `sameRegionReason` says why the stack's own region is refused.
 */
export function validateOtherRegion(scope: IConstruct, prop: string, region: string, sameRegionReason: string): string {
  if (Token.isUnresolved(region)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a concrete region code, not a token: the construct derives names, keys and ARNs of that region at synth, got: ${Token.asString(region)}`);
  }
  if (!RegionInfo.regions.some((r) => r.name === region)) {
    throw new DrValidationError(scope, `\`${prop}\` must be an AWS region code such as "us-west-2", got: ${quote(region)}`);
  }
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region)) {
    deployRegionRule(scope, prop, region, 'other',
      `${prop} (${scope.node.path}) is ${region}, the region this stack deploys to: ${sameRegionReason}. Deploy the stack to another region or choose another ${prop}.`);
    return region;
  }
  if (region === stack.region) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be another region than the stack's own (${stack.region}): ${sameRegionReason}, got: ${quote(region)}`);
  }
  const here = partitionOf(stack.region);
  const there = partitionOf(region);
  if (here !== there) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a region of the stack's partition ${here}: nothing crosses partitions (no replication, peering or event routing), got: ${quote(region)} (partition ${there})`);
  }
  return region;
}

/**
 * Checks one prop that names a region the construct works with, which may be
 * the stack's own: a concrete region code aws-cdk-lib knows and, when the
 * stack's region is known, in the stack's partition. Returns the region.
 */
export function validateRegionCode(scope: IConstruct, prop: string, region: string): string {
  if (Token.isUnresolved(region)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a concrete region code, not a token: the construct derives names and ARNs of that region at synth, got: ${Token.asString(region)}`);
  }
  if (!RegionInfo.regions.some((r) => r.name === region)) {
    throw new DrValidationError(scope, `\`${prop}\` must be an AWS region code such as "us-west-2", got: ${quote(region)}`);
  }
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region) && partitionOf(stack.region) !== partitionOf(region)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a region of the stack's partition ${partitionOf(stack.region)}, got: ${quote(region)} (partition ${partitionOf(region)})`);
  }
  return region;
}

/** Whether a region must be the stack's own (`same`) or another (`other`). */
export type RegionRule = 'same' | 'other';

/**
 * The one guard of an environment-agnostic stack: a CloudFormation rule
 * (assertion on `AWS::Region`) that stops the deploy before any resource is
 * created when the stack's region is `region` (rule `other`: a replica,
 * copy or forwarder must not target its own region) or is not `region`
 * (rule `same`: a key, metric or resource that must be local). One rule per
 * construct and prop. Does nothing when the stack's region is known
 * (the caller checks at synth) or `region` is a token (nothing to compare).
 */
export function deployRegionRule(
  scope: IConstruct, prop: string, region: string, rule: RegionRule, description: string,
  idPrefix = rule === 'other' ? 'OtherRegion' : 'SameRegion',
): void {
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region) || Token.isUnresolved(region)) return;
  const ruleId = `${idPrefix}${scope.node.addr.slice(0, 8)}${prop.replace(/[^A-Za-z0-9]/g, '')}`;
  if (stack.node.tryFindChild(ruleId)) return;
  const equals = Fn.conditionEquals(Aws.REGION, region);
  new CfnRule(stack, ruleId, {
    assertions: [{ assert: rule === 'other' ? Fn.conditionNot(equals) : equals, assertDescription: description }],
  });
}

/**
 * Checks the region a prop's value names (the region of an ARN, of an
 * imported resource): a region code aws-cdk-lib knows, in the stack's
 * partition, and the stack's own (`same`, with `reason` saying why it must
 * be local) or another (`other`, `reason` saying why not the stack's). A
 * token region is accepted: it cannot be compared. In an
 * environment-agnostic stack the comparison is a deploy rule
 * (`deployRegionRule`). `shown` is the value as the user gave it.
 */
export function validateRegionOf(scope: IConstruct, prop: string, region: string | undefined, shown: string, rule: RegionRule, reason: string): void {
  if (region === undefined || Token.isUnresolved(region)) return;
  if (!RegionInfo.regions.some((r) => r.name === region)) {
    throw new DrValidationError(scope, `\`${prop}\` names region ${quote(region)}, which is not an AWS region code such as "us-west-2", got: ${quote(shown)}`);
  }
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region)) {
    deployRegionRule(scope, prop, region, rule, rule === 'same'
      ? `${prop} (${scope.node.path}) is in ${region}: ${reason}. Deploy this stack to ${region} or give one of the stack's region.`
      : `${prop} (${scope.node.path}) is in ${region}, the region this stack deploys to: ${reason}. Deploy the stack to another region or choose another ${prop}.`);
    return;
  }
  if (rule === 'same' && region !== stack.region) {
    throw new DrValidationError(scope, `\`${prop}\` must be in the stack's region ${stack.region}: ${reason}, got: ${quote(shown)} (region ${region})`);
  }
  if (rule === 'other' && region === stack.region) {
    throw new DrValidationError(scope, `\`${prop}\` must be in another region than the stack's own (${stack.region}): ${reason}, got: ${quote(shown)}`);
  }
  if (partitionOf(region) !== partitionOf(stack.region)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be in the stack's partition ${partitionOf(stack.region)}: nothing crosses partitions, got: ${quote(shown)} (partition ${partitionOf(region)})`);
  }
}
