import { Aws, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/** An AWS region code: `us-east-1`, `ap-southeast-3`, `us-gov-west-1`, `eu-isoe-west-1`. */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Checks one region a construct replicates to: a concrete region code (the
 * number of replicas, their keys and names are fixed at synth), not the
 * stack's own region and, when both are known, in the stack's partition
 * (replication never crosses partitions). In a stack whose region is known
 * only at deploy, a CloudFormation rule refuses the deploy to that region.
 * Returns the region.
 */
export function validateOtherRegion(scope: IConstruct, prop: string, region: string): string {
  if (Token.isUnresolved(region)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a concrete region code, not a token: the replica's keys and names are derived from it at synth, got: ${Token.asString(region)}`);
  }
  if (!REGION_PATTERN.test(region)) {
    throw new DrValidationError(scope, `\`${prop}\` must be an AWS region code such as "us-west-2", got: ${quote(region)}`);
  }
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region)) {
    // The stack's region is known only at deploy: a rule stops that deploy
    // before any resource is created if it is the replica's region.
    const ruleId = `OtherRegion${scope.node.addr.slice(0, 8)}${prop.replace(/[^A-Za-z0-9]/g, '')}`;
    if (!stack.node.tryFindChild(ruleId)) {
      new CfnRule(stack, ruleId, {
        assertions: [{
          assert: Fn.conditionNot(Fn.conditionEquals(Aws.REGION, region)),
          assertDescription: `${prop} (${scope.node.path}) is ${region}, the region this stack deploys to: a copy in the same region does not survive the loss of the region. Deploy the stack to another region or choose another ${prop}.`,
        }],
      });
    }
    return region;
  }
  if (region === stack.region) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be another region than the stack's own (${stack.region}): a copy in the same region does not survive the loss of the region, got: ${quote(region)}`);
  }
  const here = RegionInfo.get(stack.region).partition;
  const there = RegionInfo.get(region).partition;
  if (here && there && here !== there) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a region of the stack's partition ${here}: replication does not cross partitions, got: ${quote(region)} (partition ${there})`);
  }
  return region;
}
