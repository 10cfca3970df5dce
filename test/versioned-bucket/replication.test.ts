import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketReplicationOptions, VersionedBucket, VersionedBucketProps } from '../../src';
import { versionedBucketName, versionedBucketNames } from '../../src/names';
import { acknowledgeNotInBackupPlan, complianceTest, nagFindings, synth, testStack } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };
const DESTINATION = 'dr-data-111111111111-us-west-2-dev';

function make(
  replication: Partial<BucketReplicationOptions> | null = {},
  props: Partial<VersionedBucketProps> = {},
  stack: Stack = testStack({ env: ENV }),
) {
  const construct = new VersionedBucket(stack, 'Data', {
    environmentSuffix: 'dev',
    replication: replication === null ? undefined : { destinationBucketName: DESTINATION, destinationRegion: 'us-west-2', ...replication },
    ...props,
  });
  return { stack, construct, get template() { return Template.fromStack(stack); } };
}

/** The data bucket's replication rule and role ARN. */
function replicationOf(stack: Stack, template: Template): { role: any; rule: any } {
  const [bucket] = Object.values(template.findResources('AWS::S3::Bucket')).filter((b: any) => b.Properties.ReplicationConfiguration);
  const config = stack.resolve((bucket as any).Properties.ReplicationConfiguration);
  expect(config.Rules).toHaveLength(1);
  return { role: config.Role, rule: config.Rules[0] };
}

function replicationStatements(stack: Stack, template: Template): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
  expect(policies).toHaveLength(1);
  return stack.resolve((policies[0] as any).Properties.PolicyDocument.Statement);
}

const aliasArn = (region: string, alias: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${region}:111111111111:${alias}`]] });

describe('defaults', () => {
  test('one rule to the destination: every SSE-KMS object, replica key = alias/dr-data-{suffix} there, RTC 15 min with metrics, delete markers', () => {
    const { stack, template } = make();
    const { rule } = replicationOf(stack, template);
    expect(rule).toEqual({
      Id: 'replicate-to-us-west-2',
      Status: 'Enabled',
      Filter: { Prefix: '' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      DeleteMarkerReplication: { Status: 'Enabled' },
      Destination: {
        Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${DESTINATION}`]] },
        EncryptionConfiguration: { ReplicaKmsKeyID: aliasArn('us-west-2', 'alias/dr-data-dev') },
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
        Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
      },
    });
  });

  test('the bucket stays versioned and encrypted with its own key', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'dr-data-111111111111-us-east-1-dev',
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  test('a role for S3 named with the region (IAM names are global), and only that role replicates', () => {
    const { stack, template, construct } = make();
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'dr-s3-replication-us-east-1-dev',
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' } }] },
    });
    const { role } = replicationOf(stack, template);
    expect(role).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(construct.replicationRole!.node.defaultChild as any), 'Arn'] });
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  test('least privilege: named actions only, each on its bucket or key, KMS only through S3 for that bucket', () => {
    const { stack, template, construct } = make();
    const statements = replicationStatements(stack, template);
    const bucketId = stack.getLogicalId(construct.bucket.node.defaultChild as s3.CfnBucket);
    const keyId = stack.getLogicalId(construct.encryptionKey.node.defaultChild as any);
    const sourceArn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
    const sourceObjects = { 'Fn::Join': ['', [sourceArn, '/*']] };
    const destinationArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${DESTINATION}`]] };
    const destinationObjects = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${DESTINATION}/*`]] };
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: sourceArn },
      { Effect: 'Allow', Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'], Resource: sourceObjects },
      { Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], Resource: destinationObjects },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: {
          StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.us-east-1.', { Ref: 'AWS::URLSuffix' }]] } },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [sourceArn, sourceObjects] },
        },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:111111111111:key/*']] },
        Condition: {
          'StringEquals': { 'kms:ViaService': { 'Fn::Join': ['', ['s3.us-west-2.', { Ref: 'AWS::URLSuffix' }]] } },
          'StringLike': { 'kms:EncryptionContext:aws:s3:arn': [destinationArn, destinationObjects] },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/dr-data-dev'] },
        },
      },
    ]);
  });

  test('exposes the role, the rule id, the destination and RTC', () => {
    const { construct } = make();
    expect(construct.replicationRole).toBeDefined();
    expect(construct.replicationRuleId).toBe('replicate-to-us-west-2');
    expect(construct.replicationDestinationBucketName).toBe(DESTINATION);
    expect(construct.replicationDestinationRegion).toBe('us-west-2');
    expect(construct.replicationTimeControl).toBe(true);
  });

  test('the shared name helper gives the data-bucket name a VersionedBucket deploys in that account and region', () => {
    const stack = testStack({ env: { account: '111111111111', region: 'us-west-2' } });
    const replica = new VersionedBucket(stack, 'Replica', { environmentSuffix: 'dev' });
    expect(stack.resolve(replica.bucketName)).toEqual({ Ref: expect.any(String) });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { BucketName: versionedBucketName('dev', '111111111111', 'us-west-2') });
    expect(versionedBucketName('dev', '111111111111', 'us-west-2')).toBe(DESTINATION);
    expect(versionedBucketNames('prod', '222222222222', 'eu-west-1')).toEqual({
      data: 'dr-data-222222222222-eu-west-1-prod',
      logs: 'dr-logs-222222222222-eu-west-1-prod',
      keyAlias: 'alias/dr-data-prod',
      replicationRole: 'dr-s3-replication-eu-west-1-prod',
    });
  });
});

describe('absences', () => {
  test('without replication: no rule, no role, no replication policy, and RTC reads false', () => {
    const { template, construct } = make(null);
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets.every((b: any) => b.Properties.ReplicationConfiguration === undefined)).toBe(true);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(construct.replicationRole).toBeUndefined();
    expect(construct.replicationTimeControl).toBe(false);
  });

  test.each(['metricReplicationLatency', 'metricOperationsPendingReplication', 'metricBytesPendingReplication', 'metricOperationsFailedReplication'] as const)(
    '%s without replication is refused: S3 publishes nothing', (method) => {
      const { construct } = make(null);
      expect(() => construct[method]()).toThrow(new RegExp(`\`${method}\\(\\)\` needs \`replication\``));
    });

  test('with replication the single-region acknowledgement of S3BucketReplicationEnabled is gone from the data bucket', () => {
    const { construct } = make();
    const acks = JSON.stringify(construct.bucket.node.metadata);
    expect(acks).not.toContain('S3BucketReplicationEnabled');
  });
});

describe('overrides', () => {
  test('RTC off: no ReplicationTime, metrics still on without an event threshold', () => {
    const { stack, template, construct } = make({ replicationTimeControl: false });
    const { rule } = replicationOf(stack, template);
    expect(rule.Destination.ReplicationTime).toBeUndefined();
    expect(rule.Destination.Metrics).toEqual({ Status: 'Enabled' });
    expect(construct.replicationTimeControl).toBe(false);
  });

  test('delete markers off and a storage class for the replicas', () => {
    const { stack, template } = make({ deleteMarkerReplication: false, storageClass: s3.StorageClass.INFREQUENT_ACCESS });
    const { rule } = replicationOf(stack, template);
    expect(rule.DeleteMarkerReplication).toEqual({ Status: 'Disabled' });
    expect(rule.Destination.StorageClass).toBe('STANDARD_IA');
  });

  test('a destination key given by key ARN is the replica key and the IAM resource, with no alias condition', () => {
    const keyArn = 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { stack, template } = make({ destinationKeyArn: keyArn });
    expect(replicationOf(stack, template).rule.Destination.EncryptionConfiguration).toEqual({ ReplicaKmsKeyID: keyArn });
    const encrypt = replicationStatements(stack, template).find((s) => [s.Action].flat().includes('kms:Encrypt'));
    expect(encrypt.Resource).toBe(keyArn);
    expect(encrypt.Condition['ForAnyValue:StringEquals']).toBeUndefined();
  });

  test('a destination key given by alias ARN narrows the key statement to that alias', () => {
    const { stack, template } = make({ destinationKeyArn: 'arn:aws:kms:us-west-2:111111111111:alias/team-replicas' });
    const encrypt = replicationStatements(stack, template).find((s) => [s.Action].flat().includes('kms:Encrypt'));
    expect(encrypt.Resource).toBe('arn:aws:kms:us-west-2:111111111111:key/*');
    expect(encrypt.Condition['ForAnyValue:StringEquals']).toEqual({ 'kms:ResourceAliases': ['alias/team-replicas'] });
  });

  test('in a stack without an account the ARNs name the account of the deploy', () => {
    const { stack, template } = make({}, {}, testStack({ env: { region: 'us-east-1' } }));
    const { rule } = replicationOf(stack, template);
    expect(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID).toEqual(
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:', { Ref: 'AWS::AccountId' }, ':alias/dr-data-dev']] });
  });
});

describe('metrics', () => {
  test.each([
    ['metricReplicationLatency', 'ReplicationLatency', 'us-west-2', 'Maximum'],
    ['metricOperationsPendingReplication', 'OperationsPendingReplication', 'us-west-2', 'Maximum'],
    ['metricBytesPendingReplication', 'BytesPendingReplication', 'us-west-2', 'Maximum'],
    ['metricOperationsFailedReplication', 'OperationsFailedReplication', undefined, 'Sum'],
  ] as const)('%s: AWS/S3 %s by SourceBucket, DestinationBucket and RuleId, in region %s, %s', (method, metricName, region, statistic) => {
    const { construct } = make();
    const metric = construct[method]();
    expect(metric.namespace).toBe('AWS/S3');
    expect(metric.metricName).toBe(metricName);
    expect(metric.dimensions).toEqual({ SourceBucket: 'dr-data-111111111111-us-east-1-dev', DestinationBucket: DESTINATION, RuleId: 'replicate-to-us-west-2' });
    expect(metric.region).toBe(region);
    expect(metric.statistic).toBe(statistic);
  });
});

describe('compliance', () => {
  test.each([
    ['RETAIN (default)', undefined],
    ['DESTROY', RemovalPolicy.DESTROY],
  ])('cdk-nag four packs: zero unacknowledged findings with %s, replication satisfying S3BucketReplicationEnabled', (_label, removalPolicy) => {
    const { stack, construct } = make({}, { removalPolicy });
    acknowledgeNotInBackupPlan(stack);
    expect(nagFindings(stack, construct)).toEqual([]);
  });

  test('cdk-nag with a destination key given by key ARN', () => {
    const { stack, construct } = make({ destinationKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    acknowledgeNotInBackupPlan(stack);
    expect(nagFindings(stack, construct)).toEqual([]);
  });

  complianceTest('strict CloudFormation schema validation passes', () => {
    const stack = testStack({ env: ENV, validate: true });
    make({}, {}, stack);
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  test.each<[string, Partial<BucketReplicationOptions>, RegExp]>([
    ['the stack region', { destinationRegion: 'us-east-1' }, /`replication.destinationRegion` must be another region than the stack's own \(us-east-1\)/],
    ['a token region', { destinationRegion: Lazy.string({ produce: () => 'us-west-2' }) }, /`replication.destinationRegion` must be a concrete region code/],
    ['a malformed region', { destinationRegion: 'uswest2' }, /`replication.destinationRegion` must be an AWS region code/],
    ['another partition', { destinationRegion: 'us-gov-west-1' }, /must be a region of the stack's partition aws/],
    ['a token bucket name', { destinationBucketName: Lazy.string({ produce: () => DESTINATION }) }, /`replication.destinationBucketName` must be a concrete bucket name, not a token/],
    ['a key of another region', { destinationKeyArn: 'arn:aws:kms:eu-west-1:111111111111:alias/dr-data-dev' }, /`replication.destinationKeyArn` must be a key of the destination region us-west-2/],
    ['a key of another account', { destinationKeyArn: 'arn:aws:kms:us-west-2:222222222222:alias/dr-data-dev' }, /must be a key of the stack's account 111111111111/],
    ['a key that is no KMS ARN', { destinationKeyArn: 'alias/dr-data-dev' }, /`replication.destinationKeyArn` must be a KMS key or alias ARN/],
    ['a token key', { destinationKeyArn: Lazy.string({ produce: () => 'arn:aws:kms:us-west-2:111111111111:alias/x' }) }, /`replication.destinationKeyArn` must be a concrete KMS key or alias ARN/],
  ])('%s is refused naming the prop', (_label, replication, message) => {
    expect(() => make(replication)).toThrow(message);
  });

  test.each([
    ['ab', '3 to 63 characters'],
    ['a'.repeat(64), '3 to 63 characters'],
    ['Upper-case', 'lowercase letters'],
    ['under_score', 'lowercase letters'],
    ['-leading-hyphen', 'lowercase letters'],
    ['trailing-hyphen-', 'lowercase letters'],
    ['two..dots', 'no two dots in a row'],
    ['192.168.5.4', 'not an IP address'],
    ['xn--bucket', 'no reserved prefix'],
    ['sthree-bucket', 'no reserved prefix'],
    ['bucket-s3alias', 'no reserved suffix'],
    ['bucket--ol-s3', 'no reserved suffix'],
  ])('destination bucket name %j is refused (%s)', (name, reason) => {
    expect(() => make({ destinationBucketName: name })).toThrow(new RegExp(`\`replication.destinationBucketName\` must be a valid S3 bucket name \\(${reason}`));
  });

  test.each(['abc', 'a'.repeat(63), 'dr-data-111111111111-us-west-2-dev', 'my.bucket.name', '9lives'])('destination bucket name %j is accepted', (name) => {
    expect(() => make({ destinationBucketName: name })).not.toThrow();
  });

  test('a suffix that makes the replication role name longer than 64 characters is refused naming the role', () => {
    const suffix = 'x'.repeat(40);
    expect(() => make({}, { environmentSuffix: suffix, serverAccessLogs: false })).toThrow(/`environmentSuffix` must be at most \d+ characters here/);
  });
});

describe('environment-agnostic stack', () => {
  test('a CloudFormation rule refuses a deploy to the destination region itself', () => {
    const { stack, template } = make({}, {}, testStack());
    const rules = stack.resolve(template.toJSON().Rules);
    const assertions = Object.values<any>(rules).flatMap((r) => r.Assertions);
    expect(assertions).toContainEqual({
      Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-west-2'] }] },
      AssertDescription: expect.stringMatching(/^replication.destinationRegion \(TestStack\/Data\) is us-west-2, the region this stack deploys to/),
    });
  });

  test('with a concrete region no rule is needed', () => {
    const { template } = make();
    expect(Object.keys(template.toJSON().Rules ?? {}).filter((id) => id.startsWith('OtherRegion'))).toEqual([]);
  });

  test('the replication role name carries the region of the deploy', () => {
    const { stack, template } = make({}, {}, testStack());
    const role = Object.values<any>(template.findResources('AWS::IAM::Role'))[0];
    expect(stack.resolve(role.Properties.RoleName)).toEqual({ 'Fn::Join': ['', ['dr-s3-replication-', { Ref: 'AWS::Region' }, '-dev']] });
  });
});
