/**
 * Sweep of S3 lifecycle transitions, current and noncurrent, over every
 * storage class and the days around S3's limits, alone and in pairs. One
 * rule, S3's as documented (written out here on its own): Standard-IA and
 * One Zone-IA need 30 days, classes move down S3's order only, an object
 * spends 30 days in an infrequent-access class before moving on, and a
 * noncurrent version moves before it expires. Accepted inputs are in the
 * template as given; refused ones name the prop.
 */
import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { attempt } from './harness';
import { VersionedBucket } from '../../src';

const CLASSES = [
  s3.StorageClass.INFREQUENT_ACCESS, s3.StorageClass.INTELLIGENT_TIERING, s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS,
  s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, s3.StorageClass.GLACIER, s3.StorageClass.DEEP_ARCHIVE,
];
const ORDER = CLASSES.map((c) => c.value);
const IA = ['STANDARD_IA', 'ONEZONE_IA'];

type Step = [s3.StorageClass, number];

function s3Accepts(steps: Step[], expirationDays?: number): boolean {
  const sorted = [...steps].sort((a, b) => a[1] - b[1]);
  for (let i = 0; i < sorted.length; i++) {
    const [cls, days] = sorted[i];
    if (IA.includes(cls.value) && days < 30) return false;
    if (expirationDays !== undefined && days >= expirationDays) return false;
    if (i > 0) {
      const [prevCls, prevDays] = sorted[i - 1];
      if (ORDER.indexOf(cls.value) <= ORDER.indexOf(prevCls.value) || days === prevDays) return false;
      if (IA.includes(prevCls.value) && days - prevDays < 30) return false;
    }
  }
  return true;
}

const singles: Step[][] = CLASSES.flatMap((c) => [0, 1, 29, 30, 60].map((d): Step[] => [[c, d]]));
const pairs: Step[][] = [
  [[s3.StorageClass.INFREQUENT_ACCESS, 30], [s3.StorageClass.GLACIER, 59]],
  [[s3.StorageClass.INFREQUENT_ACCESS, 30], [s3.StorageClass.GLACIER, 60]],
  [[s3.StorageClass.GLACIER, 30], [s3.StorageClass.INFREQUENT_ACCESS, 60]],
  [[s3.StorageClass.INFREQUENT_ACCESS, 30], [s3.StorageClass.INFREQUENT_ACCESS, 90]],
  [[s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, 30], [s3.StorageClass.GLACIER, 30]],
  [[s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, 0], [s3.StorageClass.DEEP_ARCHIVE, 1]],
  [[s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS, 45], [s3.StorageClass.DEEP_ARCHIVE, 74]],
];
const label = (steps: Step[]) => steps.map(([c, d]) => `${c.value}@${d}`).join(', ');
const rulesOf = (t: any) => Object.values(t.Resources).filter((r: any) => r.Type === 'AWS::S3::Bucket' && r.Properties.BucketName === undefined
  || (r as any).Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms')
  .map((r: any) => r.Properties.LifecycleConfiguration.Rules)[0];

describe('current-version transitions', () => {
  test.each([...singles, ...pairs].map((s) => [label(s), s]))('%s', (_label, steps) => {
    const verdict = attempt((stack) => new VersionedBucket(stack, 'Data', {
      environmentSuffix: 'dev',
      transitions: (steps as Step[]).map(([storageClass, days]) => ({ storageClass, transitionAfter: Duration.days(days) })),
    }));
    if (s3Accepts(steps as Step[])) {
      expect(verdict.accepted).toBe(true);
      const rule = rulesOf((verdict as { template: any }).template).find((r: any) => r.Id === 'transition-current-versions');
      expect(rule.Transitions).toEqual((steps as Step[]).map(([c, d]) => ({ StorageClass: c.value, TransitionInDays: d })));
    } else {
      expect(verdict).toMatchObject({ accepted: false });
      expect((verdict as { message: string }).message).toMatch(/^`transitions\[\d\]\.transitionAfter` must/);
    }
  });
});

describe('noncurrent-version transitions (expiring after 365 days, then after 45)', () => {
  const cases = [...singles, ...pairs].flatMap((s) => [[`${label(s)}, expiring at 365`, s, 365], [`${label(s)}, expiring at 45`, s, 45]]);
  test.each(cases)('%s', (_label, steps, expiration) => {
    const verdict = attempt((stack) => new VersionedBucket(stack, 'Data', {
      environmentSuffix: 'dev',
      noncurrentVersionExpiration: Duration.days(expiration as number),
      noncurrentVersionTransitions: (steps as Step[]).map(([storageClass, days]) => ({ storageClass, transitionAfter: Duration.days(days) })),
    }));
    if (s3Accepts(steps as Step[], expiration as number)) {
      expect(verdict.accepted).toBe(true);
      const rule = rulesOf((verdict as { template: any }).template).find((r: any) => r.Id === 'expire-noncurrent-versions');
      expect(rule.NoncurrentVersionTransitions).toEqual((steps as Step[]).map(([c, d]) => ({ StorageClass: c.value, TransitionInDays: d })));
    } else {
      expect(verdict).toMatchObject({ accepted: false });
      expect((verdict as { message: string }).message).toMatch(/^`noncurrentVersionTransitions\[\d\]\.transitionAfter` must/);
    }
  });
});
