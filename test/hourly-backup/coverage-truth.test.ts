import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { HourlyBackup, PitrTable, ProtectedResource, VersionedBucket } from '../../src';
import { testStack } from '../util';

// One rule for every case: a coverage line states only what the app says.
// Known on: the PITR-based RPO. Known off or unknown-and-counted-off: the
// snapshot RPO. Unknowable: "RPO unknown" with a warning. Contradicted or
// unprotectable: refused with a message that says why.

const ENV = { account: '123456789012', region: 'eu-west-1' };
const pk = { name: 'pk', type: dynamodb.AttributeType.STRING };

function plan(stack: Stack): HourlyBackup {
  // A 2 h RPO lets snapshot-only resources in, so every verdict is visible in the coverage.
  return new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', rpo: Duration.hours(2) });
}

describe('buckets', () => {
  type Verdict = 'continuous' | 'unknown' | 'refused';
  const cases: Array<[string, (stack: Stack) => ProtectedResource, Verdict]> = [
    ['a VersionedBucket', (st) => ProtectedResource.fromVersionedBucket(new VersionedBucket(st, 'B', { environmentSuffix: 'dev' })), 'continuous'],
    ['an s3.Bucket with versioning', (st) => ProtectedResource.fromBucket(new s3.Bucket(st, 'B', { versioned: true })), 'continuous'],
    ['an s3.Bucket without versioning', (st) => ProtectedResource.fromBucket(new s3.Bucket(st, 'B')), 'refused'],
    ['an s3.Bucket with versioning off, stated on', (st) => ProtectedResource.fromBucket(new s3.Bucket(st, 'B', { versioned: false }), { versioned: true }), 'refused'],
    ['an imported bucket, nothing stated', (st) => ProtectedResource.fromBucket(s3.Bucket.fromBucketName(st, 'B', 'legacy-data')), 'unknown'],
    ['an imported bucket by ARN, nothing stated', (st) => ProtectedResource.fromBucket(s3.Bucket.fromBucketArn(st, 'B', 'arn:aws:s3:::legacy-data')), 'unknown'],
    ['an imported bucket stated versioned', (st) => ProtectedResource.fromBucket(s3.Bucket.fromBucketName(st, 'B', 'legacy-data'), { versioned: true }), 'continuous'],
    ['an imported bucket stated unversioned', (st) => ProtectedResource.fromBucket(s3.Bucket.fromBucketName(st, 'B', 'legacy-data'), { versioned: false }), 'refused'],
  ];
  test.each(cases)('%s: %s', (_label, make, verdict) => {
    const stack = testStack({ env: ENV });
    const backup = plan(stack);
    const add = () => backup.addResource(make(stack));
    if (verdict === 'refused') {
      expect(add).toThrow(/bucket .* is not versioned.*: AWS Backup can only back up versioned buckets/);
      return;
    }
    add();
    const [c] = backup.coverage;
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Backup', Match.stringLikeRegexp('coverage of S3 .* is unknown'));
    if (verdict === 'unknown') {
      expect(c.effectiveRpo).toBeUndefined();
      expect(backup.coverageSummary).toMatch(/\(RPO unknown\)$/);
      expect(warnings).toHaveLength(1);
    } else {
      expect(c.effectiveRpo?.toMinutes()).toBe(15);
      expect(c.unknownReason).toBeUndefined();
      expect(warnings).toHaveLength(0);
    }
  });
});

describe('tables', () => {
  type Verdict = 'pitr' | 'snapshots' | 'unknown-as-off' | 'refused';
  const table = (st: Stack, pointInTimeRecovery: boolean) => new dynamodb.Table(st, 'T', {
    partitionKey: pk, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: pointInTimeRecovery },
  });
  const tableV2 = (st: Stack, pointInTimeRecovery: boolean) => new dynamodb.TableV2(st, 'T', {
    partitionKey: pk, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: pointInTimeRecovery },
  });
  const imported = (st: Stack) => dynamodb.Table.fromTableName(st, 'T', 'orders');
  const cases: Array<[string, (stack: Stack) => ProtectedResource, Verdict]> = [
    ['a PitrTable', (st) => ProtectedResource.fromPitrTable(new PitrTable(st, 'T', { environmentSuffix: 'dev' })), 'pitr'],
    ['a Table with PITR', (st) => ProtectedResource.fromTable(table(st, true)), 'pitr'],
    ['a Table without PITR', (st) => ProtectedResource.fromTable(table(st, false)), 'snapshots'],
    ['a Table with PITR unset', (st) => ProtectedResource.fromTable(new dynamodb.Table(st, 'T', { partitionKey: pk })), 'snapshots'],
    ['a Table without PITR, stated on', (st) => ProtectedResource.fromTable(table(st, false), { pointInTimeRecovery: true }), 'refused'],
    ['a Table with PITR, stated off', (st) => ProtectedResource.fromTable(table(st, true), { pointInTimeRecovery: false }), 'refused'],
    ['a Table with PITR, stated on', (st) => ProtectedResource.fromTable(table(st, true), { pointInTimeRecovery: true }), 'pitr'],
    ['a TableV2 with PITR', (st) => ProtectedResource.fromTable(tableV2(st, true)), 'pitr'],
    ['a TableV2 without PITR', (st) => ProtectedResource.fromTable(tableV2(st, false)), 'snapshots'],
    ['a TableV2 without PITR, stated on', (st) => ProtectedResource.fromTable(tableV2(st, false), { pointInTimeRecovery: true }), 'refused'],
    ['an imported table, nothing stated', (st) => ProtectedResource.fromTable(imported(st)), 'unknown-as-off'],
    ['an imported table stated on', (st) => ProtectedResource.fromTable(imported(st), { pointInTimeRecovery: true }), 'pitr'],
    ['an imported table stated off', (st) => ProtectedResource.fromTable(imported(st), { pointInTimeRecovery: false }), 'snapshots'],
  ];
  test.each(cases)('%s: %s', (_label, make, verdict) => {
    for (const env of [ENV, undefined]) {
      const stack = testStack({ env });
      const backup = plan(stack);
      const add = () => backup.addResource(make(stack));
      if (verdict === 'refused') {
        expect(add).toThrow(/`pointInTimeRecovery` is stated (true|false) for table .*, but the table in the app has point-in-time recovery (on|off)/);
        continue;
      }
      add();
      const [c] = backup.coverage;
      expect(c.effectiveRpo?.toMinutes()).toBe(verdict === 'pitr' ? 5 : 120);
      expect(/unknown and counted as off/.test(c.mechanism)).toBe(verdict === 'unknown-as-off');
    }
  });
});

describe('ProtectedResource.fromArn', () => {
  const refused: Array<[string, string, RegExp]> = [
    ['empty', '', /needs an ARN of the form/],
    ['garbage', 'garbage', /needs an ARN of the form/],
    ['a bucket name', 'my-bucket', /needs an ARN of the form/],
    ['a Lambda function', 'arn:aws:lambda:eu-west-1:123456789012:function:app', /lambda is not one.*ProtectedResource\.fromFunction/],
    ['an SQS queue', 'arn:aws:sqs:eu-west-1:123456789012:jobs', /sqs is not one/],
    ['an IAM role', 'arn:aws:iam::123456789012:role/app', /iam is not one/],
    ['an EC2 security group', 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1', /names no ec2 resource AWS Backup protects/],
    ['a volume of another region', 'arn:aws:ec2:us-east-1:123456789012:volume/vol-1', /is in region us-east-1, but this plan is in eu-west-1/],
    ['a volume of another partition', 'arn:aws-cn:ec2:eu-west-1:123456789012:volume/vol-1', /is in partition aws-cn, but this plan is in aws/],
    ['a volume without region', 'arn:aws:ec2::123456789012:volume/vol-1', /must carry the region and account/],
    ['a file system without account', 'arn:aws:elasticfilesystem:eu-west-1::file-system/fs-1', /must carry the region and account/],
  ];
  test.each(refused)('refuses %s, naming the input and why', (_label, arn, reason) => {
    const backup = plan(testStack({ env: ENV }));
    expect(() => backup.addResource(ProtectedResource.fromArn(arn, 'thing')))
      .toThrow(new RegExp(`^\`ProtectedResource\\.fromArn\` \\("thing"\\) .*${reason.source}`));
  });

  test.each([
    'arn:aws:ec2:eu-west-1:123456789012:volume/vol-1',
    'arn:aws:ec2:eu-west-1:123456789012:instance/i-1',
    'arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1',
    'arn:aws:rds:eu-west-1:123456789012:cluster:legacy',
    'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
    'arn:aws:s3:::legacy-data',
    'arn:aws:fsx:eu-west-1:123456789012:file-system/fs-1',
  ])('accepts %s in the plan\'s own region', (arn) => {
    const backup = plan(testStack({ env: ENV }));
    expect(() => backup.addResource(ProtectedResource.fromArn(arn, 'thing'))).not.toThrow();
    expect(backup.coverage).toHaveLength(1);
  });

  test('in an environment-agnostic stack the region cannot be compared, the rest still is', () => {
    const backup = plan(testStack());
    expect(() => backup.addResource(ProtectedResource.fromArn('arn:aws:ec2:us-east-1:123456789012:volume/vol-1', 'v'))).not.toThrow();
    expect(() => backup.addResource(ProtectedResource.fromArn('arn:aws:lambda:us-east-1:123456789012:function:f', 'f'))).toThrow(/lambda is not one/);
  });
});
