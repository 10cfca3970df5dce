import { Duration } from 'aws-cdk-lib';
import { ProtectedResourceType } from '../../src';
import {
  backupCopyLine, functionLine, regionLossSummary, regionRpoShortfall, replicatedBucketLine, replicatedStoreLine, S3_RTC_BOUND,
} from '../../src/multi-region-dr-platform/region-loss';

describe('replicated stores (Aurora, DynamoDB)', () => {
  test('bounded by the alarm on their lag: the threshold is the worst case', () => {
    const line = replicatedStoreLine('Aurora', { name: 'dr-aurora-prod', lagMetric: 'AuroraGlobalDBRPOLag', alarmThreshold: Duration.minutes(5) });
    expect(line.worstCaseDataLoss!.toMinutes()).toBe(5);
    expect(line.heldToRegionRpo).toBe(true);
    expect(line.mechanism).toMatch(/AuroraGlobalDBRPOLag stays above 5 minutes/);
  });

  test('with no alarm, unknown: AWS bounds no lag', () => {
    const line = replicatedStoreLine('DynamoDB', { name: 'dr-table-prod', lagMetric: 'ReplicationLatency' });
    expect(line.worstCaseDataLoss).toBeUndefined();
    expect(line.unknownReason).toMatch(/nothing alarms on its replication lag/);
    expect(regionRpoShortfall(line, Duration.minutes(1))).toBeUndefined();
  });
});

describe('S3', () => {
  test('with Replication Time Control: 15 minutes', () => {
    expect(replicatedBucketLine('b', true).worstCaseDataLoss!.toMinutes()).toBe(S3_RTC_BOUND.toMinutes());
  });

  test('without it: unknown, never a number', () => {
    const line = replicatedBucketLine('b', false);
    expect(line.worstCaseDataLoss).toBeUndefined();
    expect(line.unknownReason).toMatch(/no time bound/);
  });
});

describe('regionRpoShortfall', () => {
  const bucket = replicatedBucketLine('dr-data-1-us-east-1-prod', true);
  test.each([1, 5, 14, 14.5].map((m) => [m]))('a regionRpo of %s minutes below S3\'s 15 is refused with the arithmetic', (minutes) => {
    const rpo = Duration.seconds(minutes * 60);
    const message = regionRpoShortfall(bucket, rpo);
    expect(message).toContain('`regionRpo`');
    expect(message).toContain('S3 dr-data-1-us-east-1-prod');
    expect(message).toMatch(/= 15 minutes > /);
    expect(message).toContain('at least 15 minutes');
  });

  test.each([15, 16, 60, 24 * 60].map((m) => [m]))('a regionRpo of %s minutes is met by S3', (minutes) => {
    expect(regionRpoShortfall(bucket, Duration.minutes(minutes))).toBeUndefined();
  });

  test('lines not held to it never fail it', () => {
    expect(regionRpoShortfall(functionLine('dr-fn-prod'), Duration.minutes(1))).toBeUndefined();
    expect(regionRpoShortfall({ ...bucket, heldToRegionRpo: false }, Duration.minutes(1))).toBeUndefined();
  });
});

describe('backup copies', () => {
  test('a snapshot copy: the known part said, the total unknown, not held to regionRpo, its conditions kept', () => {
    const line = backupCopyLine({
      name: 'table',
      resourceType: ProtectedResourceType.DYNAMODB,
      survivesRegionLoss: true,
      copyRegions: ['us-west-2'],
      mechanism: 'the hourly snapshot copied to us-west-2',
      dataLossExcludingCopy: Duration.hours(3),
      unknownReason: 'a copy job has no completion window',
      conditions: ['advanced backup must be on'],
    });
    expect(line).toEqual(expect.objectContaining({ resourceType: 'AWS Backup copy', heldToRegionRpo: false }));
    expect(line.worstCaseDataLoss).toBeUndefined();
    expect(line.unknownReason).toBe('a copy job has no completion window');
    expect(line.mechanism).toMatch(/at least 3 hours .* plus the copy's own duration; advanced backup must be on/);
  });

  test('no copy: lost with the region', () => {
    const line = backupCopyLine({
      name: 'x', resourceType: ProtectedResourceType.S3, survivesRegionLoss: false, copyRegions: [], mechanism: 'no copy', conditions: [],
    });
    expect(line.unknownReason).toBe('no copy survives the region');
  });
});

test('the summary says each line\'s loss in words', () => {
  const summary = regionLossSummary([
    replicatedBucketLine('b', true), replicatedBucketLine('c', false), functionLine('f'),
  ]);
  expect(summary).toMatch(/^S3 b: .*\(up to 15 minutes lost\); S3 c: .*\(loss unknown\); Lambda f: .*\(no data to lose\)$/);
});
