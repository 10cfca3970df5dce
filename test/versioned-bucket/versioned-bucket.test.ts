import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { VersionedBucket, VersionedBucketProps } from '../../src';
import { testStack } from '../util';

function make(props: Partial<VersionedBucketProps> = {}, stack: Stack = testStack()) {
  const construct = new VersionedBucket(stack, 'Data', { environmentSuffix: 'dev', ...props });
  return { stack, construct, get template() { return Template.fromStack(stack); } };
}

const dataBucket = (template: Template) => {
  const buckets = template.findResources('AWS::S3::Bucket', {
    Properties: { BucketName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['dr-data-'])]) }) },
  });
  const entries = Object.entries(buckets);
  expect(entries).toHaveLength(1);
  return entries[0];
};

describe('defaults', () => {
  test('versioned, SSE-KMS with a bucket key and the construct\'s own rotating key', () => {
    const { template } = make();
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    }]);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-data-dev' });
  });

  test('name carries account, region and suffix', () => {
    const { template } = make();
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.BucketName).toEqual({
      'Fn::Join': ['', ['dr-data-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '-dev']],
    });
  });

  test('blocks public access and enforces object ownership', () => {
    const { template } = make();
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  test('bucket policy denies plain HTTP and TLS older than 1.2', () => {
    const { template } = make();
    const [logicalId] = dataBucket(template);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('lifecycle expires noncurrent versions after 30 days and aborts incomplete uploads after 7', () => {
    const { template } = make();
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([{
      Id: 'expire-noncurrent-versions',
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    }]);
  });

  test('server access logs go to an SSE-S3 log bucket through a bucket policy, not ACLs', () => {
    const { template } = make();
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: expect.stringMatching(/^DataAccessLogsBucket/) },
      LogFilePrefix: 'access-logs/',
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['dr-logs-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '-dev']] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      AccessControl: Match.absent(),
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'logging.s3.amazonaws.com' },
        })]),
      },
    });
  });

  test('retains bucket, log bucket and key; no auto-delete', () => {
    const { template } = make();
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const b of Object.values(buckets)) {
      expect(b.DeletionPolicy).toBe('Retain');
      expect(b.UpdateReplacePolicy).toBe('Retain');
    }
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('exposes the bucket, key and log bucket', () => {
    const { construct, stack } = make();
    expect(construct.bucket).toBeInstanceOf(s3.Bucket);
    expect(construct.encryptionKey).toBeInstanceOf(kms.Key);
    expect(construct.serverAccessLogsBucket).toBeInstanceOf(s3.Bucket);
    expect(stack.resolve(construct.bucketName)).toEqual(stack.resolve(construct.bucket.bucketName));
  });
});

describe('DESTROY', () => {
  test('empties both buckets of every version and schedules the key for deletion after 7 days', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.DESTROY });
    for (const b of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(b.DeletionPolicy).toBe('Delete');
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
  });

  test('warns that data is deleted with the stack', () => {
    const { stack } = make({ removalPolicy: RemovalPolicy.DESTROY });
    Annotations.fromStack(stack).hasWarning('/TestStack/Data', Match.stringLikeRegexp('removalPolicy is DESTROY.*every version'));
  });

  test('SNAPSHOT, which S3 cannot do, keeps the data', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.SNAPSHOT });
    for (const b of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(b.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('overrides', () => {
  test('noncurrent expiration, abort window and transitions', () => {
    const { template } = make({
      noncurrentVersionExpiration: Duration.days(90),
      abortIncompleteMultipartUploadAfter: Duration.days(3),
      transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(0) }],
      noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(30) }],
    });
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'expire-noncurrent-versions',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
        NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }],
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
      },
      { Id: 'transition-current-versions', Status: 'Enabled', Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 0 }] },
    ]);
  });

  test('no warning with a noncurrent expiration: the backup retention is HourlyBackup\'s to compare', () => {
    const { stack } = make({ noncurrentVersionExpiration: Duration.days(1) });
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Data', Match.anyValue());
  });

  test('server access logging can be turned off', () => {
    const { template, construct } = make({ serverAccessLogs: false });
    template.resourceCountIs('AWS::S3::Bucket', 1);
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.LoggingConfiguration).toBeUndefined();
    expect(construct.serverAccessLogsBucket).toBeUndefined();
  });

  test('custom log prefix', () => {
    const { template } = make({ serverAccessLogsPrefix: 'logs/data/' });
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.LoggingConfiguration.LogFilePrefix).toBe('logs/data/');
  });
});

describe('bring your own', () => {
  test('key: used for SSE-KMS, no key or alias created', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'MyKey');
    const { template, construct } = make({ encryptionKey: key }, stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::KMS::Alias', 0);
    expect(construct.encryptionKey).toBe(key);
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID)
      .toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] });
  });

  test('log bucket: logs go there and no log bucket is created', () => {
    const stack = testStack();
    const logs = s3.Bucket.fromBucketName(stack, 'Logs', 'my-central-logs');
    const { template, construct } = make({ serverAccessLogsBucket: logs }, stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    expect(construct.serverAccessLogsBucket).toBe(logs);
    const [, bucket] = dataBucket(template);
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toBe('my-central-logs');
  });
});

describe('grants', () => {
  const READ = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'];
  const WRITE = ['s3:PutObject', 's3:PutObjectTagging', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
  test.each([
    ['grantRead', [READ], [['kms:Decrypt']]],
    ['grantWrite', [WRITE], [['kms:GenerateDataKey', 'kms:Decrypt']]],
    ['grantReadWrite', [READ, WRITE], [['kms:Decrypt'], ['kms:GenerateDataKey', 'kms:Decrypt']]],
  ] as const)('%s grants named S3 actions and the key actions SSE-KMS needs, no wildcard actions', (method, s3Actions, kmsActions) => {
    const stack = testStack();
    const { construct } = make({}, stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    construct[method](role);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const actions = statements.map((st) => [st.Action].flat());
    for (const group of [...s3Actions, ...kmsActions]) {
      expect(actions).toContainEqual(expect.arrayContaining([...group]));
    }
    expect(actions.flat().filter((a: string) => a.includes('*'))).toEqual([]);
    const bucketId = stack.getLogicalId(construct.bucket.node.defaultChild as s3.CfnBucket);
    const keyId = stack.getLogicalId(construct.encryptionKey.node.defaultChild as kms.CfnKey);
    for (const st of statements) {
      const resources = JSON.stringify(st.Resource);
      expect(resources.includes(bucketId) || resources.includes(keyId)).toBe(true);
    }
  });

  test('write is limited to objects; listing is on the bucket', () => {
    const stack = testStack();
    const { construct } = make({}, stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    construct.grantWrite(role);
    const bucketId = stack.getLogicalId(construct.bucket.node.defaultChild as s3.CfnBucket);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['s3:PutObject']),
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        })]),
      },
    });
  });
});

describe('validation', () => {
  test.each([
    ['12 hours of noncurrent expiration', { noncurrentVersionExpiration: Duration.hours(12) }, /`noncurrentVersionExpiration` must be a whole number of days from 1 to 36500, got: 12 hours/],
    ['0 days of noncurrent expiration', { noncurrentVersionExpiration: Duration.days(0) }, /`noncurrentVersionExpiration` must be a whole number of days from 1 to 36500, got: 0 days/],
    ['aborting uploads after 0 days', { abortIncompleteMultipartUploadAfter: Duration.days(0) }, /`abortIncompleteMultipartUploadAfter` must be a whole number of days/],
  ] as const)('rejects %s', (_name, props, message) => {
    expect(() => make(props as Partial<VersionedBucketProps>)).toThrow(message);
  });

  test('a suffix that makes the bucket name exceed 63 characters names the limit and the name', () => {
    // dr-data- (8) + account (12) + - + longest region (15) + - = 37 fixed characters.
    expect(() => make({ environmentSuffix: 'a'.repeat(27) })).toThrow(
      /`environmentSuffix` must be at most 26 characters here, got: "a{27}" \(27 characters\), which makes the S3 bucket name "dr-data-0{12}-x{15}-a{27}" 64 characters long \(limit 63\)/,
    );
    expect(() => make({ environmentSuffix: 'a'.repeat(26) })).not.toThrow();
  });

  test('with a concrete account and region the limit follows the real names', () => {
    const stack = testStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    // 'dr-data-123456789012-eu-west-1-' is 31 characters: 32 are left.
    expect(() => make({ environmentSuffix: 'a'.repeat(32) }, stack)).not.toThrow();
    expect(() => make({ environmentSuffix: 'a'.repeat(33) }, testStack({ env: { account: '123456789012', region: 'eu-west-1' } })))
      .toThrow(/at most 32 characters/);
  });

  test('a bring-your-own log bucket frees the log bucket name from the limit but not the data bucket', () => {
    const stack = testStack();
    expect(() => make({ environmentSuffix: 'a'.repeat(26), serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'L', 'logs') }, stack)).not.toThrow();
  });
});
