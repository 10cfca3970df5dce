import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/**
 * Checks a prop that names the other region of a two-region pair: a concrete
 * region code aws-cdk-lib knows (the construct builds ARNs and CloudFormation
 * properties from it at synth), not the stack's own region, and in the
 * stack's partition (nothing crosses partitions: no peering, no event
 * routing). Returns the region's partition.
 */
export function validateOtherRegion(scope: IConstruct, prop: string, region: string): string {
  if (Token.isUnresolved(region)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a concrete region code such as "us-west-2", not a token: the construct derives ARNs and names of that region at synth, got: ${Token.asString(region)}`);
  }
  const known = RegionInfo.regions.map((r) => r.name);
  if (!known.includes(region)) {
    throw new DrValidationError(scope, `\`${prop}\` must be an AWS region code such as "us-west-2", got: ${quote(region)}`);
  }
  const partition = RegionInfo.get(region).partition ?? 'aws';
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region)) {
    if (stack.region === region) {
      throw new DrValidationError(scope,
        `\`${prop}\` must be another region than the stack's own (${stack.region}): the construct connects two regions, got: ${quote(region)}`);
    }
    const stackPartition = RegionInfo.get(stack.region).partition;
    if (stackPartition !== undefined && stackPartition !== partition) {
      throw new DrValidationError(scope,
        `\`${prop}\` must be a region of the stack's partition ${stackPartition}: AWS connects no regions across partitions, got: ${quote(region)} (partition ${partition})`);
    }
  }
  return partition;
}
