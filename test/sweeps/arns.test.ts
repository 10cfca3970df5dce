/**
 * Class 8 of issue 18 (values AWS rejects pass through), for ARN props: a
 * value that is not an ARN of the expected service and resource, or that is
 * in another partition or region where the resource must be in the stack's,
 * is refused by us naming the prop. Sweeps one class of ARN-like inputs
 * through every prop that takes an ARN string.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { attempt } from './harness';
import { HourlyBackup, PitrTable, ProtectedResource, RecoveryPointMonitor, VersionedBucket } from '../../src';

const ENV = { account: '111111111111', region: 'us-east-1' };

/** Transformations of a valid ARN into the inputs a hand-written prop is likely to get wrong. */
const BREAKS: Array<[string, (arn: string) => string]> = [
  ['as given', (a) => a],
  ['empty', () => ''],
  ['a bare name', (a) => a.split(/[:/]/).pop()!],
  ['without arn:', (a) => a.replace(/^arn:/, '')],
  ['another service', (a) => a.replace(/^(arn:[^:]+:)[^:]+/, '$1sqs')],
  ['without account', (a) => a.replace(/^((?:[^:]*:){4})\d{12}/, '$1')],
  ['a short account', (a) => a.replace(/^((?:[^:]*:){4})\d{12}/, '$11234')],
  ['another region', (a) => a.replace(/^((?:[^:]*:){3})[^:]+/, '$1eu-west-1')],
  ['another partition', (a) => a.replace(/^arn:aws:/, 'arn:aws-cn:').replace(/us-east-1/, 'cn-north-1')],
  ['with spaces', (a) => ` ${a} `],
  ['upper case', (a) => a.toUpperCase()],
];

interface ArnProp {
  readonly name: string;
  readonly valid: string;
  readonly build: (stack: Stack, arn: string) => void;
  readonly message: RegExp;
}

const PROPS: ArnProp[] = [
  {
    name: 'RecoveryPointMonitor.drillPlans[].restoreTestingPlanArn',
    valid: 'arn:aws:backup:us-east-1:111111111111:restore-testing-plan:dr_drills_dev-0a1b2c',
    build: (stack, restoreTestingPlanArn) => new RecoveryPointMonitor(stack, 'Monitor', {
      environmentSuffix: 'dev', drillPlans: [{ name: 'snapshot', restoreTestingPlanArn }], resources: [ProtectedResource.fromPitrTable(new PitrTable(stack, 'Table', { environmentSuffix: 'dev' }))],
    }),
    message: /^`drillPlans\[0\]\.restoreTestingPlanArn` (must be an ARN of the form|is in partition|must be in the stack's region)/,
  },
  {
    name: 'ProtectedResource.fromArn',
    valid: 'arn:aws:dynamodb:us-east-1:111111111111:table/orders',
    build: (stack, arn) => new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev', rpo: Duration.hours(3), resources: [ProtectedResource.fromArn(arn, 'orders')],
    }),
    message: /^`ProtectedResource.fromArn` \("orders"\) /,
  },
  {
    name: 'VersionedBucket replication.destinationKeyArn',
    valid: 'arn:aws:kms:us-west-2:111111111111:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f',
    build: (stack, destinationKeyArn) => new VersionedBucket(stack, 'Bucket', {
      environmentSuffix: 'dev', replication: { destinationBucketName: 'dr-data-111111111111-us-west-2-dev', destinationRegion: 'us-west-2', destinationKeyArn },
    }),
    message: /^`replication.destinationKeyArn` must be /,
  },
];

describe.each(PROPS)('$name', (spec) => {
  test.each(BREAKS)('%s', (label, breakIt) => {
    const arn = breakIt(spec.valid);
    const verdict = attempt((stack) => spec.build(stack, arn), { env: ENV });
    if (label === 'as given') {
      expect({ label, accepted: verdict.accepted, message: (verdict as any).message }).toEqual({ label, accepted: true, message: undefined });
    } else {
      expect(verdict.accepted).toBe(false);
      expect((verdict as { message: string }).message).toMatch(spec.message);
    }
  });
});

describe('VersionedBucket replication.destinationBucketName: never the bucket itself', () => {
  test.each([
    ['the source bucket\'s own name', 'dr-data-111111111111-us-east-1-dev', false],
    ['the same suffix in the destination region', 'dr-data-111111111111-us-west-2-dev', true],
    ['another suffix in this region', 'dr-data-111111111111-us-east-1-other', true],
  ])('%s', (_label, destinationBucketName, ok) => {
    const verdict = attempt((stack) => new VersionedBucket(stack, 'Bucket', {
      environmentSuffix: 'dev', replication: { destinationBucketName, destinationRegion: 'us-west-2' },
    }), { env: ENV });
    expect(verdict.accepted).toBe(ok);
    if (!verdict.accepted) expect(verdict.message).toMatch(/^`replication.destinationBucketName` must name another bucket than this one/);
  });
});
