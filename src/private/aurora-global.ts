import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { SAME_REGION_REASON, validateOtherRegion } from './regions';
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
 * Checks the secondary regions of a global database: 1 to 10, each another
 * region than the stack's by the library's one rule (`validateOtherRegion`:
 * concrete, known to aws-cdk-lib, in the stack's partition, not the stack's
 * own region), no duplicates. Returns them.
 */
export function validateGlobalRegions(scope: IConstruct, prop: string, regions: string[]): string[] {
  if (Token.isUnresolved(regions)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must name concrete regions, not tokens: the secret replicas and the key aliases of each region are computed at synth, got: ${Token.asString(regions)}`);
  }
  if (regions.length === 0 || regions.length > MAX_GLOBAL_SECONDARY_REGIONS) {
    throw new DrValidationError(scope,
      `\`${prop}\` must list 1 to ${MAX_GLOBAL_SECONDARY_REGIONS} regions (an Aurora global database has at most ${MAX_GLOBAL_SECONDARY_REGIONS} secondary regions), got: ${regions.length}`);
  }
  regions.forEach((region, i) => validateOtherRegion(scope, `${prop}[${i}]`, region, SAME_REGION_REASON.copy));
  const duplicate = regions.find((region, i) => regions.indexOf(region) !== i);
  if (duplicate !== undefined) {
    throw new DrValidationError(scope, `\`${prop}\` must not name a region twice, got: ${quote(duplicate)} in ${JSON.stringify(regions)}`);
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
