import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { MultiRegionDrPlatform, VersionedBucketOptions } from '../../src';
import { testApp } from '../util';

const ACCOUNT = '123456789012';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const SECONDARY = { account: ACCOUNT, region: 'us-west-2' };

function make(bucket: (app: App) => VersionedBucketOptions) {
  const app = testApp();
  return new MultiRegionDrPlatform(app, 'Payments', { environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY, bucket: bucket(app) });
}

// A key or a log bucket belongs to one region; the options build a bucket in each.
const homes: Array<[string, (app: App) => Stack]> = [
  ['in a stack of the primary region', (app) => new Stack(app, 'Own', { env: PRIMARY })],
  ['in a stack of the secondary region', (app) => new Stack(app, 'Own', { env: SECONDARY })],
];
const options: Array<[string, (scope: Stack) => VersionedBucketOptions, RegExp]> = [
  ['bucket.encryptionKey (a new key)', (scope) => ({ encryptionKey: new kms.Key(scope, 'Key') }),
    /`bucket.encryptionKey` cannot encrypt both the primary's bucket and the replica in us-west-2: a KMS key belongs to one region\. Leave it out .*got: Own\/Key/],
  ['bucket.encryptionKey (imported)', (scope) => ({ encryptionKey: kms.Key.fromKeyArn(scope, 'Key', `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1`) }),
    /`bucket.encryptionKey` cannot encrypt both .*got: Own\/Key/],
  ['bucket.serverAccessLogsBucket (a new bucket)', (scope) => ({ serverAccessLogsBucket: new s3.Bucket(scope, 'Logs') }),
    /`bucket.serverAccessLogsBucket` cannot receive the logs of both the primary's bucket and the replica in us-west-2: S3 delivers access logs only to a bucket in the source bucket's region\. Leave it out .* or set `bucket.serverAccessLogs` to false, got: Own\/Logs/],
  ['bucket.serverAccessLogsBucket (imported)', (scope) => ({ serverAccessLogsBucket: s3.Bucket.fromBucketName(scope, 'Logs', 'my-logs') }),
    /`bucket.serverAccessLogsBucket` cannot receive the logs of both .*got: Own\/Logs/],
];

describe.each(homes)('a resource %s', (_, home) => {
  test.each(options)('%s is refused at synth, naming the prop and what to do', (_name, option, message) => {
    expect(() => make((app) => option(home(app)))).toThrow(message);
  });
});

test('the options that hold no regional resource still build both buckets alike', () => {
  const platform = make(() => ({ noncurrentVersionExpiration: Duration.days(45), serverAccessLogsPrefix: 'logs/' }));
  for (const stack of [platform.primaryStack, platform.secondaryFoundationStack]) {
    const buckets = Object.values<any>(Template.fromStack(stack).findResources('AWS::S3::Bucket'))
      .filter((b) => /^dr-data-/.test(b.Properties.BucketName));
    expect(buckets).toHaveLength(1);
    expect(buckets[0].Properties.LifecycleConfiguration.Rules.some((r: any) => r.NoncurrentVersionExpiration?.NoncurrentDays === 45)).toBe(true);
    expect(buckets[0].Properties.LoggingConfiguration.LogFilePrefix).toBe('logs/');
  }
});

test('serverAccessLogs off is accepted: neither bucket logs', () => {
  const platform = make(() => ({ serverAccessLogs: false }));
  for (const stack of [platform.primaryStack, platform.secondaryFoundationStack]) {
    const buckets = Object.values<any>(Template.fromStack(stack).findResources('AWS::S3::Bucket'));
    expect(buckets.map((b) => b.Properties.LoggingConfiguration)).toEqual(buckets.map(() => undefined));
  }
});
