import { Duration } from 'aws-cdk-lib';
import { ProtectedResourceType } from '../../src';
import {
  backupCopyLine, functionLine, promotedRegionBackupLine, regionLossSummary, regionRpoShortfall, replicatedBucketLine, replicatedStoreLine,
  s3RegionRpoShortfall,
} from '../../src/multi-region-dr-platform/region-loss';

describe('replicated stores (Aurora, DynamoDB)', () => {
  const stores = [
    ['Aurora', 'AuroraGlobalDBRPOLag', Duration.minutes(1), 'alarmed when AuroraGlobalDBRPOLag stays above 5 minutes for 1 minute'],
    ['DynamoDB', 'ReplicationLatency', Duration.minutes(2), 'alarmed when ReplicationLatency stays above 5 minutes for 2 minutes'],
    ['DynamoDB', 'ReplicationLatency', undefined, 'alarmed when ReplicationLatency stays above 5 minutes'],
  ] as const;
  test.each(stores)('%s with an alarm on %s: the alarm is said, the loss unknown, not held to regionRpo', (type, metric, evaluation, said) => {
    const line = replicatedStoreLine(type, { name: 'dr-x-prod', lagMetric: metric, alarmThreshold: Duration.minutes(5), alarmEvaluation: evaluation });
    expect(line.worstCaseDataLoss).toBeUndefined();
    // Aurora PostgreSQL could be bounded (rds.global_db_rpo) and is not; DynamoDB cannot be.
    expect(line.unknownReason).toMatch(type === 'Aurora'
      ? /^the replication lag has no bound: rds.global_db_rpo \(Aurora PostgreSQL\) is not set; an alarm/
      : /^DynamoDB gives global table replication lag no bound; an alarm/);
    expect(line.heldToRegionRpo).toBe(false);
    expect(line.mechanism).toContain('usually under a second');
    expect(line.mechanism).toContain(said);
  });

  test.each([0.5, 1, 5, 60].map((m) => [m]))('a regionRpo of %s minutes is never claimed met (nor refused) for them', (minutes) => {
    for (const alarmThreshold of [Duration.seconds(15), Duration.minutes(5), undefined]) {
      const line = replicatedStoreLine('Aurora', { name: 'a', lagMetric: 'AuroraGlobalDBRPOLag', alarmThreshold });
      expect(regionRpoShortfall(line, Duration.seconds(minutes * 60))).toBeUndefined();
      expect(line.worstCaseDataLoss).toBeUndefined();
    }
  });

  test('with no alarm, said so', () => {
    const line = replicatedStoreLine('DynamoDB', { name: 'dr-table-prod', lagMetric: 'ReplicationLatency' });
    expect(line.mechanism).toMatch(/nothing alarms on its replication lag \(ReplicationLatency\)/);
    expect(line.unknownReason).toBeDefined();
  });
});

describe('S3', () => {
  test.each([[true], [false]])('Replication Time Control %s: no bound claimed for the bucket, not held to regionRpo', (rtc) => {
    const line = replicatedBucketLine('b', rtc);
    expect(line.worstCaseDataLoss).toBeUndefined();
    expect(line.heldToRegionRpo).toBe(false);
    expect(line.unknownReason).toBeDefined();
    for (const minutes of [1, 14, 15, 60]) {
      expect(regionRpoShortfall(line, Duration.minutes(minutes))).toBeUndefined();
    }
  });

  test('with Replication Time Control: 15 minutes for 99.99 % of objects, the rest unbounded, in the reason and the mechanism', () => {
    const line = replicatedBucketLine('b', true);
    expect(line.unknownReason).toBe('Replication Time Control replicates 99.99 % of objects within 15 minutes; S3 gives the other 0.01 % no bound');
    expect(line.mechanism).toBe('cross-region replication with Replication Time Control (99.99 % of objects within 15 minutes; the rest unbounded, alarmed)');
    expect(`${line.mechanism} ${line.unknownReason}`).not.toMatch(/bounded at|up to 15 minutes/);
  });

  test('without it: unknown, never a number', () => {
    const line = replicatedBucketLine('b', false);
    expect(line.unknownReason).toMatch(/no time bound/);
    expect(line.mechanism).not.toMatch(/99\.99/);
  });
});

describe('s3RegionRpoShortfall', () => {
  test.each([1, 5, 14, 14.5].map((m) => [m]))('a regionRpo of %s minutes, below what even 99.99 %% of objects get, is refused', (minutes) => {
    const message = s3RegionRpoShortfall('dr-data-1-us-east-1-prod', Duration.seconds(minutes * 60));
    expect(message!.startsWith(`\`regionRpo\` ${Duration.seconds(minutes * 60).toHumanString()}`)).toBe(true);
    expect(message).toContain('cannot be met for S3 dr-data-1-us-east-1-prod if the primary region is lost');
    expect(message).toContain('replicates 99.99 % of objects within 15 minutes and promises nothing shorter (and no bound at all for the rest)');
    expect(message).toContain('Set `regionRpo` to at least 15 minutes.');
  });

  test.each([15, 16, 60, 24 * 60].map((m) => [m]))('a regionRpo of %s minutes is not refused (and not claimed met)', (minutes) => {
    expect(s3RegionRpoShortfall('b', Duration.minutes(minutes))).toBeUndefined();
  });
});

describe('regionRpoShortfall', () => {
  const held = { name: 'x', resourceType: 'Test', mechanism: 'm', worstCaseDataLoss: Duration.minutes(15), arithmetic: 'a bound', remedy: 'do y', heldToRegionRpo: true };
  test.each([1, 5, 14, 14.5].map((m) => [m]))('a regionRpo of %s minutes below a held 15-minute bound is refused with the arithmetic', (minutes) => {
    const message = regionRpoShortfall(held, Duration.seconds(minutes * 60));
    expect(message).toContain('`regionRpo`');
    expect(message).toContain('Test x');
    expect(message).toMatch(/a bound = 15 minutes > /);
    expect(message).toContain('To meet it, do y.');
  });

  test.each([15, 16, 60, 24 * 60].map((m) => [m]))('a regionRpo of %s minutes is met by a held 15-minute bound', (minutes) => {
    expect(regionRpoShortfall(held, Duration.minutes(minutes))).toBeUndefined();
  });

  test('lines not held to it never fail it', () => {
    expect(regionRpoShortfall(functionLine('dr-fn-prod'), Duration.minutes(1))).toBeUndefined();
    expect(regionRpoShortfall({ ...held, heldToRegionRpo: false }, Duration.minutes(1))).toBeUndefined();
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
    replicatedStoreLine('Aurora', { name: 'a', lagMetric: 'AuroraGlobalDBRPOLag', alarmThreshold: Duration.minutes(5) }),
  ]);
  expect(summary).toMatch(/^S3 b: .*99\.99 % of objects within 15 minutes; the rest unbounded, alarmed\) \(loss unknown\); S3 c: .*\(loss unknown\); Lambda f: .*\(no data to lose\); Aurora a: .*stays above 5 minutes \(loss unknown\)$/);
});

test.each([['us-west-2', 'us-east-1'], ['eu-central-1', 'eu-west-1']])('after a failover %s is backed up by its own plan: said, a second loss unknown, never held to regionRpo', (region, primaryRegion) => {
  const line = promotedRegionBackupLine(region, primaryRegion);
  expect(line.mechanism).toMatch(new RegExp(`^${region} runs its own hourly backup plan .* copied back to the copy vault in ${primaryRegion}\\): after a promotion`));
  expect(line.unknownReason).toContain(`if ${region} is lost in turn, the copies in ${primaryRegion} lag`);
  expect(line.heldToRegionRpo).toBe(false);
  expect(regionRpoShortfall(line, Duration.minutes(1))).toBeUndefined();
  expect(regionLossSummary([line])).toMatch(/\(loss unknown\)$/);
});
