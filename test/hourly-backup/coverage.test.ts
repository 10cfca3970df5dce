import { Duration } from 'aws-cdk-lib';
import { ProtectedResourceType } from '../../src';
import {
  AURORA_PITR_LAG, coverageOf, coverageSummary, CoveragePlan, CoverageSubject, DYNAMODB_PITR_LAG, rpoShortfall, S3_PITR_LAG, snapshotRpo,
} from '../../src/hourly-backup/coverage';

// The coverage model is plain values in, plain values out: no stack needed.
const plan = (overrides: Partial<CoveragePlan> = {}): CoveragePlan => ({
  retention: Duration.days(7), startWindow: Duration.hours(1), continuousBackup: true, ...overrides,
});
const subject = (resourceType: ProtectedResourceType, pointInTimeRecovery = false): CoverageSubject => ({
  name: 'R', resourceType, pointInTimeRecovery, versioned: true,
});

describe('coverageOf', () => {
  test.each([
    [ProtectedResourceType.AURORA, false, true, AURORA_PITR_LAG],
    [ProtectedResourceType.S3, false, true, S3_PITR_LAG],
    [ProtectedResourceType.DYNAMODB, true, true, DYNAMODB_PITR_LAG],
    [ProtectedResourceType.DYNAMODB, true, false, DYNAMODB_PITR_LAG],
  ])('%s (own PITR %s, continuous %s) loses at most its PITR lag', (type, pitr, continuousBackup, lag) => {
    const c = coverageOf(subject(type, pitr), plan({ continuousBackup }));
    expect(c.effectiveRpo?.toSeconds()).toBe(lag.toSeconds());
    expect(c.inBackupPlan).toBe(true);
    expect(c.mechanism).toMatch(/point-in-time/);
  });

  test.each([
    [ProtectedResourceType.AURORA, false],
    [ProtectedResourceType.S3, false],
    [ProtectedResourceType.DYNAMODB, true],
    [ProtectedResourceType.OTHER, true],
    [ProtectedResourceType.OTHER, false],
  ])('%s with continuous backup %s falls back to the snapshot cadence plus the start window', (type, continuousBackup) => {
    for (const hours of [1, 2, 5]) {
      const p = plan({ continuousBackup, startWindow: Duration.hours(hours) });
      const c = coverageOf(subject(type), p);
      expect(c.effectiveRpo?.toMinutes()).toBe(60 + hours * 60);
      expect(c.effectiveRpo?.toSeconds()).toBe(snapshotRpo(p).toSeconds());
      expect(c.mechanism).toMatch(/hourly snapshots kept 7 days/);
    }
  });

  test('a Lambda function is not in the plan and has no data to lose', () => {
    const c = coverageOf(subject(ProtectedResourceType.LAMBDA), plan());
    expect(c.inBackupPlan).toBe(false);
    expect(c.effectiveRpo).toBeUndefined();
    expect(coverageSummary([c])).toMatch(/^Lambda R: restored by redeploy.*\(no data to lose\)$/);
  });
});

describe('what cannot be known is never assumed', () => {
  test.each([
    [undefined, /versioning cannot be read/],
    [false, /not versioned/],
  ])('a bucket whose versioning is %s has an unknown coverage: no RPO, and no RPO check', (versioned, reason) => {
    for (const continuousBackup of [true, false]) {
      const s = { name: 'B', resourceType: ProtectedResourceType.S3, versioned };
      const c = coverageOf(s, plan({ continuousBackup }));
      expect(c.effectiveRpo).toBeUndefined();
      expect(c.unknownReason).toMatch(reason);
      expect(coverageSummary([c])).toMatch(/\(RPO unknown\)$/);
      expect(rpoShortfall(s, plan({ continuousBackup }), Duration.minutes(1))).toBeUndefined();
    }
  });

  test('a table whose point-in-time recovery is unknown is counted as off, and says so', () => {
    const c = coverageOf({ name: 'T', resourceType: ProtectedResourceType.DYNAMODB }, plan());
    expect(c.effectiveRpo?.toMinutes()).toBe(120);
    expect(c.mechanism).toMatch(/point-in-time recovery is unknown and counted as off/);
    expect(c.unknownReason).toBeUndefined();
  });
});

describe('rpoShortfall', () => {
  const types = Object.values(ProtectedResourceType);
  test.each(types)('%s: met exactly when the effective RPO is at most the RPO', (type) => {
    for (const continuousBackup of [true, false]) {
      for (const pitr of [true, false]) {
        const p = plan({ continuousBackup });
        const c = coverageOf(subject(type, pitr), p);
        for (const minutes of [5, 14, 15, 60, 119, 120, 180]) {
          const shortfall = rpoShortfall(subject(type, pitr), p, Duration.minutes(minutes));
          const met = !c.effectiveRpo || c.effectiveRpo.toMinutes() <= minutes;
          expect(shortfall === undefined).toBe(met);
          if (shortfall) {
            expect(shortfall).toMatch(new RegExp(`^\`rpo\` ${Duration.minutes(minutes).toHumanString()} cannot be met for ${type} R: .* loses up to .*\\. .*\`rpo\` to at least`));
          }
        }
      }
    }
  });

  test.each(types)('%s: the RPO a shortfall suggests is the effective RPO, which then is met', (type) => {
    for (const continuousBackup of [true, false]) {
      for (const pitr of [true, false]) {
        const p = plan({ continuousBackup });
        const effective = coverageOf(subject(type, pitr), p).effectiveRpo;
        const shortfall = rpoShortfall(subject(type, pitr), p, Duration.minutes(1));
        if (!effective) {
          expect(shortfall).toBeUndefined();
          continue;
        }
        const suggested = /`rpo` to at least (.+?)[.,]/.exec(shortfall!)?.[1];
        expect(suggested).toBe(effective.toHumanString());
        expect(rpoShortfall(subject(type, pitr), p, effective)).toBeUndefined();
      }
    }
  });
});
