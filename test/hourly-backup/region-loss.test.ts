import { Duration } from 'aws-cdk-lib';
import { ProtectedResourceType } from '../../src';
import { COPY_DURATION_UNKNOWN, regionLossOf, regionLossSummary } from '../../src/hourly-backup/region-loss';

const DATA_TYPES = [ProtectedResourceType.AURORA, ProtectedResourceType.DYNAMODB, ProtectedResourceType.S3, ProtectedResourceType.OTHER];
const plan = (copyRegions: string[], completionWindowHours = 2) => ({
  region: 'us-east-1', copyRegions, completionWindow: Duration.minutes(completionWindowHours * 60), versioned: true,
});

describe('with copies', () => {
  const windows = [1.5, 2, 5, 24, 168];
  test.each(DATA_TYPES.flatMap((type) => windows.map((w) => [type, w] as const)))(
    '%s, completion window %d h: bounded loss is the hour plus the window, the rest is the copy\'s own unknown time', (type, window) => {
      const c = regionLossOf('r', type, plan(['us-west-2'], window));
      expect(c.survivesRegionLoss).toBe(true);
      expect(c.dataLossExcludingCopy?.toMinutes()).toBe(60 + window * 60);
      expect(c.unknownReason).toBe(COPY_DURATION_UNKNOWN);
      expect(c.mechanism).toMatch(/a snapshot, restorable only to the moment it was taken/);
    });

  test.each([
    [ProtectedResourceType.AURORA, /continuous backup \(point-in-time restore\) is not copied/, [/option group is not copied/]],
    [ProtectedResourceType.DYNAMODB, /point-in-time recovery stays in us-east-1/, [/advanced features for DynamoDB must be on/]],
    [ProtectedResourceType.S3, /continuous backup \(point-in-time restore\) is not copied/, []],
    [ProtectedResourceType.OTHER, /^the hourly snapshot copied to us-west-2, eu-west-1: a snapshot, restorable only to the moment it was taken$/, [/must support cross-region copies/]],
  ] as const)('%s says what the copy is and what it depends on', (type, mechanism, conditions) => {
    const c = regionLossOf('r', type, plan(['us-west-2', 'eu-west-1']));
    expect(c.mechanism).toMatch(mechanism);
    expect(c.copyRegions).toEqual(['us-west-2', 'eu-west-1']);
    expect(c.conditions).toEqual(conditions.map((p) => expect.stringMatching(p)));
  });

  test('a bucket whose versioning is unknown has no bounded loss, and says why', () => {
    const c = regionLossOf('b', ProtectedResourceType.S3, { ...plan(['us-west-2']), versioned: undefined });
    expect(c.dataLossExcludingCopy).toBeUndefined();
    expect(c.unknownReason).toMatch(/versioning cannot be read/);
  });
});

describe('without copies', () => {
  test.each(DATA_TYPES)('%s is lost with the region', (type) => {
    const c = regionLossOf('r', type, plan([]));
    expect(c).toEqual({
      name: 'r',
      resourceType: type,
      copyRegions: [],
      survivesRegionLoss: false,
      mechanism: 'no copy outside us-east-1: every recovery point is in that region\'s vault and is lost with it',
      conditions: [],
    });
  });
});

test.each([[[]], [['us-west-2']]])('a function is redeployed whatever the copies (%j): nothing to lose', (regions) => {
  const c = regionLossOf('fn', ProtectedResourceType.LAMBDA, plan(regions));
  expect(c.survivesRegionLoss).toBe(true);
  expect(c.copyRegions).toEqual([]);
  expect(c.dataLossExcludingCopy).toBeUndefined();
  expect(c.unknownReason).toBeUndefined();
});

test('the summary says the copy\'s time is unknown, never a bare RPO', () => {
  const summary = regionLossSummary([
    regionLossOf('db', ProtectedResourceType.AURORA, plan(['us-west-2'])),
    regionLossOf('fn', ProtectedResourceType.LAMBDA, plan(['us-west-2'])),
    regionLossOf('t', ProtectedResourceType.DYNAMODB, plan([])),
  ]);
  expect(summary).toBe('Aurora db: snapshot copies in us-west-2, RPO 3 hours plus the copy\'s duration (unknown); '
    + 'Lambda fn: redeployed, no data to lose; DynamoDB t: no copy, lost with the region');
});
