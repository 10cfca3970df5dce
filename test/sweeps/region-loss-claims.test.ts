/**
 * Class 10 of issue 18 (reports that overstate), for the region-loss report:
 * a resource is reported as surviving the loss of the plan's region only when
 * at least one copy destination is known to be in another region. Sweeps
 * every mix of copy destinations (none, known regions, vault ARNs whose
 * region is a token, both) for every resource type; the rule is written out
 * here on its own.
 */
import { Duration } from 'aws-cdk-lib';
import { ProtectedResourceType } from '../../src';
import { regionLossOf, regionLossSummary } from '../../src/hourly-backup/region-loss';

const TYPES = [ProtectedResourceType.AURORA, ProtectedResourceType.DYNAMODB, ProtectedResourceType.S3, ProtectedResourceType.OTHER];
const KNOWN = [[], ['us-west-2'], ['us-west-2', 'eu-west-1']];
const UNKNOWN = [0, 1, 3];

const cases = TYPES.flatMap((type) => KNOWN.flatMap((known) => UNKNOWN.map((unknown) => [type, known, unknown] as const)));

test.each(cases)('%s with copies in %j and %d of unknown region', (type, known, unknown) => {
  const c = regionLossOf('r', type, {
    region: 'us-east-1', copyRegions: [...known], unknownCopyRegions: unknown, completionWindow: Duration.hours(2), versioned: true,
  });
  expect(c.survivesRegionLoss).toBe(known.length > 0);
  expect(c.copyRegions).toEqual(known);
  const summary = regionLossSummary([c]);
  if (known.length === 0) {
    expect(c.dataLossExcludingCopy).toBeUndefined();
    expect(summary).toMatch(unknown > 0 ? /not known to survive the region/ : /no copy, lost with the region/);
    if (unknown > 0) expect(c.unknownReason).toMatch(/regions are tokens/);
  } else {
    expect(summary).toContain(known.join(', '));
    expect(c.conditions.some((x) => /region is a token/.test(x))).toBe(unknown > 0);
  }
  expect(summary).not.toContain('an unknown region');
});
