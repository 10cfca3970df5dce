import { Duration, Lazy, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { GlobalPitrTable, GlobalPitrTableProps, HourlyBackup, PitrTable, ProtectedResource } from '../../src';
import { tablePointInTimeRecovery } from '../../src/hourly-backup/resource-facts';
import { tableKeyAlias, tableName } from '../../src/names';
import { acknowledgeNotInBackupPlan, complianceTest, nagFindings, synth, testStack } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };

function make(props: Partial<GlobalPitrTableProps> = {}, stack: Stack = testStack({ env: ENV })) {
  const construct = new GlobalPitrTable(stack, 'Table', { environmentSuffix: 'dev', replicaRegions: ['us-west-2'], ...props });
  return { stack, construct, get template() { return Template.fromStack(stack); } };
}

/** The replica of `region` in the synthesized global table. */
function replica(template: Template, region: string): any {
  const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
  expect(tables).toHaveLength(1);
  const found = (tables[0] as any).Properties.Replicas.find((r: any) => r.Region === region || (region === 'HERE' && typeof r.Region !== 'string'));
  expect(found).toBeDefined();
  return found;
}

describe('defaults', () => {
  test('a global table on demand named dr-table-{suffix}, streaming new and old images, with a replica here and in each replica region', () => {
    const { template } = make({ replicaRegions: ['us-west-2', 'eu-west-1'] });
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'dr-table-dev',
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    const replicas = (Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))[0] as any).Properties.Replicas;
    expect(replicas.map((r: any) => r.Region).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
  });

  test.each(['us-east-1', 'us-west-2', 'eu-west-1'])('the replica in %s has PITR for 35 days and deletion protection', (region) => {
    const { template } = make({ replicaRegions: ['us-west-2', 'eu-west-1'] });
    expect(replica(template, region)).toMatchObject({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
    });
  });

  test('a new rotating key aliased alias/dr-table-{suffix} encrypts the table here', () => {
    const { template, construct, stack } = make();
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-table-dev' });
    const keyId = stack.getLogicalId(construct.encryptionKey.node.defaultChild as kms.CfnKey);
    expect(replica(template, 'us-east-1').SSESpecification).toEqual({ KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  test.each(['us-west-2', 'eu-west-1', 'ap-southeast-2'])('the replica in %s is encrypted with the alias ARN of alias/dr-table-{suffix} of its region', (region) => {
    const { template, stack } = make({ replicaRegions: [region] });
    expect(stack.resolve(replica(template, region).SSESpecification)).toEqual({
      KMSMasterKeyId: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${region}:111111111111:alias/dr-table-dev`]] },
    });
  });

  test('retained on delete and replace', () => {
    const { template } = make();
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  test('exposes the table, a plain-string name, the key, the regions and their key ARNs', () => {
    const { construct, stack } = make();
    expect(construct.table).toBeInstanceOf(dynamodb.TableV2);
    expect(construct.tableName).toBe('dr-table-dev');
    expect(Token.isUnresolved(construct.tableName)).toBe(false);
    expect(stack.resolve(construct.tableArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] });
    expect(construct.replicaRegions).toEqual(['us-west-2']);
    expect(stack.resolve(construct.replicaKeyArns['us-west-2'])).toEqual(
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:111111111111:alias/dr-table-dev']] });
    expect(construct.pointInTimeRecoveryDays).toBe(35);
  });

  test('the shared name helpers give what the construct deploys', () => {
    expect(tableName('prod-a')).toBe('dr-table-prod-a');
    expect(tableKeyAlias('prod-a')).toBe('alias/dr-table-prod-a');
  });

  test('in a stack with a region but no account, the replica keys name the account of the deploy', () => {
    const { template, stack } = make({}, testStack({ env: { region: 'us-east-1' } }));
    expect(stack.resolve(replica(template, 'us-west-2').SSESpecification.KMSMasterKeyId)).toEqual(
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:', { Ref: 'AWS::AccountId' }, ':alias/dr-table-dev']] });
  });
});

describe('DESTROY', () => {
  test('turns deletion protection off on every replica, deletes the table and the key, and warns', () => {
    const { template, stack } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    for (const region of ['us-east-1', 'us-west-2']) {
      expect(replica(template, region).DeletionProtectionEnabled).toBe(false);
    }
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    Annotations.fromStack(stack).hasWarning('/TestStack/Table', Match.stringLikeRegexp('removalPolicy is DESTROY'));
  });

  test('SNAPSHOT, which DynamoDB cannot do, keeps the table protected', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.SNAPSHOT });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    expect(replica(template, 'us-west-2').DeletionProtectionEnabled).toBe(true);
  });
});

describe('overrides', () => {
  test('keys, TTL, index and recovery period, in every region', () => {
    const { template } = make({
      partitionKey: { name: 'tenant', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'createdAt', type: dynamodb.AttributeType.NUMBER },
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoveryPeriod: Duration.days(7),
      globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } }],
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'tenant', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
    for (const region of ['us-east-1', 'us-west-2']) {
      expect(replica(template, region).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 });
    }
  });

  test('a recovery period given as a token reaches every replica as a number of days', () => {
    const days = Token.asNumber(Lazy.number({ produce: () => 14 }));
    const { template, construct } = make({ pointInTimeRecoveryPeriod: Duration.days(days) });
    expect(construct.pointInTimeRecoveryDays).toBeUndefined();
    for (const region of ['us-east-1', 'us-west-2']) {
      expect(replica(template, region).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 14 });
    }
  });

  test('stream NEW_AND_OLD_IMAGES is accepted (it is the default anyway)', () => {
    const { template } = make({ stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
  });

  test('a replica key given by key ARN is used for that region; the others keep the default alias', () => {
    const keyArn = 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { template, stack } = make({ replicaRegions: ['us-west-2', 'eu-west-1'], replicaKeyArns: { 'us-west-2': keyArn } });
    expect(replica(template, 'us-west-2').SSESpecification).toEqual({ KMSMasterKeyId: keyArn });
    expect(stack.resolve(replica(template, 'eu-west-1').SSESpecification.KMSMasterKeyId)).toEqual(
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:111111111111:alias/dr-table-dev']] });
  });

  test('a PitrTableOptions object fits the options', () => {
    const options: import('../../src').PitrTableOptions = { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, timeToLiveAttribute: 'ttl' };
    const { template } = make({ ...options });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
  });
});

describe('bring your own', () => {
  test('an encryption key of the stack region is used and no key is created', () => {
    const stack = testStack({ env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const { template, construct } = make({ encryptionKey: key }, stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(construct.encryptionKey).toBe(key);
    expect(replica(template, 'us-east-1').SSESpecification).toEqual({ KMSMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
  });
});

describe('grants', () => {
  test('read and write name every action and index, on this region\'s table, with the key', () => {
    const { construct, stack } = make({
      globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } }],
    });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    construct.grantReadWriteData(role);
    const template = Template.fromStack(stack);
    const statements = (Object.values(template.findResources('AWS::IAM::Policy'))[0] as any).Properties.PolicyDocument.Statement;
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.every((a: string) => !a.includes('*'))).toBe(true);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query', 'kms:Decrypt', 'kms:GenerateDataKey']));
    const tableStatement = statements.find((s: any) => [s.Action].flat().includes('dynamodb:GetItem'));
    expect(JSON.stringify(stack.resolve(tableStatement.Resource))).toContain('/index/byStatus');
  });
});

describe('protected by HourlyBackup', () => {
  test('ProtectedResource.fromTable reads point-in-time recovery and the key from the TableV2', () => {
    const { construct, stack } = make();
    expect(tablePointInTimeRecovery(construct.table)).toBe(true);
    const resource = ProtectedResource.fromTable(construct.table);
    expect(resource.encryptionKey).toBe(construct.encryptionKey);
    const backup = new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', resources: [resource] });
    const coverage = backup.coverage.find((c) => c.name === construct.table.node.path)!;
    expect(coverage.effectiveRpo?.toMinutes()).toBe(5);
  });

  test('a statement that contradicts the TableV2 is refused', () => {
    const { construct, stack } = make();
    expect(() => new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev',
      resources: [ProtectedResource.fromTable(construct.table, { pointInTimeRecovery: false })],
    })).toThrow(/`pointInTimeRecovery` is stated false .* has point-in-time recovery on/);
  });

  test('in a stack without an account the replica of the stack region is found', () => {
    const { construct } = make({}, testStack({ env: { region: 'us-east-1' } }));
    expect(tablePointInTimeRecovery(construct.table)).toBe(true);
  });
});

describe('compliance', () => {
  test.each([
    ['RETAIN (default)', undefined],
    ['DESTROY', RemovalPolicy.DESTROY],
  ])('cdk-nag four packs: zero unacknowledged findings with %s', (_label, removalPolicy) => {
    const { stack, construct } = make({ removalPolicy });
    acknowledgeNotInBackupPlan(stack);
    expect(nagFindings(stack, construct)).toEqual([]);
  });

  complianceTest('strict CloudFormation schema validation passes', () => {
    const stack = testStack({ env: ENV, validate: true });
    make({ globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } }] }, stack);
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  test.each<[string, Partial<GlobalPitrTableProps>, RegExp]>([
    ['no replica region', { replicaRegions: [] }, /`replicaRegions` must name at least one region/],
    ['the stack region', { replicaRegions: ['us-east-1'] }, /`replicaRegions\[0\]` must be another region than the stack's own \(us-east-1\)/],
    ['a duplicate', { replicaRegions: ['us-west-2', 'us-west-2'] }, /must not name a region twice, got: "us-west-2"/],
    ['a token region', { replicaRegions: [Lazy.string({ produce: () => 'us-west-2' })] }, /`replicaRegions\[0\]` must be a concrete region code, not a token/],
    ['a malformed region', { replicaRegions: ['US-WEST-2'] }, /`replicaRegions\[0\]` must be an AWS region code/],
    ['a region name', { replicaRegions: ['oregon'] }, /`replicaRegions\[0\]` must be an AWS region code/],
    ['another partition', { replicaRegions: ['cn-north-1'] }, /must be a region of the stack's partition aws/],
    ['a key for a region without replica', { replicaKeyArns: { 'eu-west-1': 'arn:aws:kms:eu-west-1:111111111111:alias/x' } }, /`replicaKeyArns` names "eu-west-1", which is not one of `replicaRegions`/],
    ['a replica key of another region', { replicaKeyArns: { 'us-west-2': 'arn:aws:kms:us-east-1:111111111111:alias/x' } }, /`replicaKeyArns.us-west-2` must be a key of us-west-2/],
    ['a replica key of another account', { replicaKeyArns: { 'us-west-2': 'arn:aws:kms:us-west-2:222222222222:alias/x' } }, /must be a key of the stack's account 111111111111/],
    ['a replica key that is not a KMS ARN', { replicaKeyArns: { 'us-west-2': 'alias/dr-table-dev' } }, /`replicaKeyArns.us-west-2` must be a KMS key or alias ARN/],
    ['a PitrTableOptions encryption it cannot honour', { encryption: dynamodb.TableEncryption.AWS_MANAGED } as Partial<GlobalPitrTableProps>,
      /`encryption` cannot be set on a global table: .*got: "AWS_MANAGED"/],
    ['a stream without old images', { stream: dynamodb.StreamViewType.NEW_IMAGE }, /`stream` must be NEW_AND_OLD_IMAGES/],
    ['a provisioned index', { globalSecondaryIndexes: [{ indexName: 'i', partitionKey: { name: 's', type: dynamodb.AttributeType.STRING }, readCapacity: 5 }] },
      /`globalSecondaryIndexes\[0\]` \("i"\) must not set readCapacity or writeCapacity/],
    ['a recovery period over 35 days', { pointInTimeRecoveryPeriod: Duration.days(36) }, /`pointInTimeRecoveryPeriod`/],
    ['a recovery period of zero', { pointInTimeRecoveryPeriod: Duration.days(0) }, /`pointInTimeRecoveryPeriod`/],
    ['an empty partition key name', { partitionKey: { name: ' ', type: dynamodb.AttributeType.STRING } }, /`partitionKey.name` must be a non-empty/],
    ['a bad suffix', { environmentSuffix: 'Prod_1' }, /`environmentSuffix` must match/],
  ])('%s is refused naming the prop', (_label, props, message) => {
    expect(() => make(props)).toThrow(message);
  });

  test('a stack without a concrete region is refused: the replicas are fixed at synth', () => {
    expect(() => make({}, testStack())).toThrow(/GlobalPitrTable needs a stack with a concrete region/);
  });

  test('an encryption key of another region is refused', () => {
    const stack = testStack({ env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => make({ encryptionKey: key }, stack)).toThrow(/`encryptionKey` must be a KMS key in the stack's region us-east-1/);
  });

  test('a PitrTable with the same suffix in the same environment is refused: the table names collide', () => {
    const stack = testStack({ env: ENV });
    new PitrTable(stack, 'Old', { environmentSuffix: 'dev' });
    expect(() => make({}, stack)).toThrow(/DynamoDB table name "dr-table-dev", which TestStack\/Old already uses/);
  });

  test('metricReplicationLatency refuses a region without a replica', () => {
    const { construct } = make();
    expect(() => construct.metricReplicationLatency('eu-west-1')).toThrow(/`receivingRegion` must be one of the table's replica regions \(us-west-2\), got: "eu-west-1"/);
  });
});

describe('metrics', () => {
  test.each(['us-west-2', 'eu-west-1'])('replication latency towards %s: TableName and ReceivingRegion, maximum over a minute', (region) => {
    const { construct } = make({ replicaRegions: ['us-west-2', 'eu-west-1'] });
    const metric = construct.metricReplicationLatency(region);
    expect(metric.namespace).toBe('AWS/DynamoDB');
    expect(metric.metricName).toBe('ReplicationLatency');
    expect(metric.dimensions).toEqual({ TableName: 'dr-table-dev', ReceivingRegion: region });
    expect(metric.statistic).toBe('Maximum');
    expect(metric.period.toSeconds()).toBe(60);
    expect(construct.metricReplicationLatency(region, { period: Duration.minutes(5) }).period.toMinutes()).toBe(5);
  });

  test('no pending-replication metric is offered: DynamoDB publishes it for legacy global tables only', () => {
    const { construct } = make();
    expect((construct as any).metricPendingReplicationCount).toBeUndefined();
  });
});

describe('replicaTags', () => {
  const tagsOf = (r: any) => Object.fromEntries((r.Tags ?? []).map((t: any) => [t.Key, t.Value]));

  test.each([
    [{ 'DR-Role': 'secondary' }],
    [{ 'DR-Role': 'secondary', 'Environment': 'dev' }],
    [{ Team: 'payments' }],
  ])('%j go on every replica of replicaRegions over the stack\'s tags; the replica here keeps the stack\'s', (replicaTags) => {
    const stack = testStack({ env: ENV });
    Tags.of(stack).add('DR-Role', 'primary');
    Tags.of(stack).add('Owner', 'platform');
    const { template } = make({ replicaRegions: ['us-west-2', 'eu-west-1'], replicaTags }, stack);
    for (const region of ['us-west-2', 'eu-west-1']) {
      expect(tagsOf(replica(template, region))).toEqual({ 'DR-Role': 'primary', 'Owner': 'platform', ...replicaTags });
    }
    expect(tagsOf(replica(template, 'us-east-1'))).toEqual({ 'DR-Role': 'primary', 'Owner': 'platform' });
  });

  test('none given: every replica carries the stack\'s tags', () => {
    const stack = testStack({ env: ENV });
    Tags.of(stack).add('DR-Role', 'primary');
    const { template } = make({}, stack);
    for (const region of ['us-east-1', 'us-west-2']) expect(tagsOf(replica(template, region))).toEqual({ 'DR-Role': 'primary' });
  });
});
