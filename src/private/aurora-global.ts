import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/**
 * AWS advises a Serverless v2 minimum of at least 8 ACUs for the primary of
 * a global database: below that the primary may not keep up with the work of
 * shipping its changes, and the secondaries fall behind.
 */
export const GLOBAL_MIN_ACU_GUIDANCE = 8;

/** Secondary regions an Aurora global database can have (raised from 5 to 10 by AWS). */
export const MAX_GLOBAL_SECONDARY_REGIONS = 10;

/**
 * Checks the secondary regions of a global database: at least one, concrete
 * (the names of the secret replicas and the keys there are computed from
 * them at synth), regions aws-cdk-lib knows, in the stack's partition, not
 * the stack's own region, no duplicates. Returns them.
 */
export function validateGlobalRegions(scope: IConstruct, prop: string, regions: string[]): string[] {
  if (regions.length === 0 || regions.length > MAX_GLOBAL_SECONDARY_REGIONS) {
    throw new DrValidationError(scope,
      `\`${prop}\` must list 1 to ${MAX_GLOBAL_SECONDARY_REGIONS} regions (an Aurora global database has at most ${MAX_GLOBAL_SECONDARY_REGIONS} secondary regions), got: ${regions.length}`);
  }
  const known = new Set(RegionInfo.regions.map((r) => r.name));
  const stackRegion = Stack.of(scope).region;
  const stackPartition = Token.isUnresolved(stackRegion) ? undefined : RegionInfo.get(stackRegion).partition;
  const seen = new Set<string>();
  for (const region of regions) {
    if (Token.isUnresolved(region)) {
      throw new DrValidationError(scope,
        `\`${prop}\` must name concrete regions, not tokens: the secret replicas and the key aliases of each region are computed at synth, got: ${Token.asString(region)}`);
    }
    if (!known.has(region)) {
      throw new DrValidationError(scope, `\`${prop}\` must name AWS regions such as "us-west-2", got: ${quote(region)}`);
    }
    if (!Token.isUnresolved(stackRegion) && region === stackRegion) {
      throw new DrValidationError(scope,
        `\`${prop}\` must not include the stack's own region ${stackRegion}, where the primary cluster is, got: ${quote(region)}`);
    }
    const partition = RegionInfo.get(region).partition;
    if (stackPartition && partition && partition !== stackPartition) {
      throw new DrValidationError(scope,
        `\`${prop}\` must name regions of the stack's partition ${stackPartition}: a global database cannot span partitions, got: ${quote(region)} (partition ${partition})`);
    }
    if (seen.has(region)) {
      throw new DrValidationError(scope, `\`${prop}\` must not name a region twice, got: ${quote(region)} in ${JSON.stringify(regions)}`);
    }
    seen.add(region);
  }
  return regions;
}

/**
 * Refuses burstable instance classes (db.t*), which Aurora global databases
 * do not support.
 */
export function validateGlobalInstanceType(scope: IConstruct, prop: string, instanceType: ec2.InstanceType | undefined): void {
  if (!instanceType) {
    return;
  }
  const name = instanceType.toString();
  if (!Token.isUnresolved(name) && /^t\d/.test(name)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must not be a burstable class (db.t*): Aurora global databases need memory-optimized classes (db.r5 or newer) or Aurora Serverless v2, got: db.${name}`);
  }
}
