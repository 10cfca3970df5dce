import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PitrTable, PitrTableProps } from '../../src';
import { testStack } from '../util';

function make(props: Partial<PitrTableProps> = {}, stack: Stack = testStack()) {
  const construct = new PitrTable(stack, 'Table', { environmentSuffix: 'dev', ...props });
  return { stack, construct, get template() { return Template.fromStack(stack); } };
}

describe('defaults', () => {
  test('on demand, PITR for 35 days via the specification (not the deprecated flag), a customer-managed key of its own', () => {
    const { template, stack, construct } = make();
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'dr-table-dev',
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(construct.encryptionKey!.node.defaultChild as kms.CfnKey), 'Arn'] },
      },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      DeletionProtectionEnabled: true,
      ProvisionedThroughput: Match.absent(),
      Replicas: Match.absent(),
      TimeToLiveSpecification: Match.absent(),
    });
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-table-dev' });
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  test('retained on delete and replace', () => {
    const { template } = make();
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('exposes the table, its name and ARN', () => {
    const { construct, stack } = make();
    expect(construct.table).toBeInstanceOf(dynamodb.Table);
    expect(stack.resolve(construct.tableName)).toEqual({ Ref: expect.stringMatching(/^Table/) });
    expect(construct.pointInTimeRecoveryDays).toBe(35);
    expect(construct.encryptionKey).toBeInstanceOf(kms.Key);
  });
});

describe('DESTROY', () => {
  test('schedules the key it created for deletion after 7 days', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
  });

  test('turns deletion protection off, deletes the table and warns', () => {
    const { template, stack } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: false } });
    Annotations.fromStack(stack).hasWarning('/TestStack/Table', Match.stringLikeRegexp('removalPolicy is DESTROY'));
  });

  test('SNAPSHOT, which DynamoDB cannot do, keeps the table', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.SNAPSHOT });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: { DeletionProtectionEnabled: true } });
  });
});

describe('overrides', () => {
  test('keys, TTL, stream, GSI and recovery period', () => {
    const { template } = make({
      partitionKey: { name: 'tenant', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'createdAt', type: dynamodb.AttributeType.NUMBER },
      timeToLiveAttribute: 'expiresAt',
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoveryPeriod: Duration.days(7),
      globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } }],
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'tenant', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
      GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
  });
});

describe('bring your own', () => {
  test('key: customer-managed encryption with that key', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'MyKey');
    const { template, construct } = make({ encryptionKey: key }, stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } },
    });
    expect(construct.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::KMS::Alias', 0);
  });

  test.each([
    [dynamodb.TableEncryption.AWS_MANAGED, { SSEEnabled: true, SSEType: Match.absent(), KMSMasterKeyId: Match.absent() }],
    [dynamodb.TableEncryption.DEFAULT, { SSEEnabled: false }],
  ])('encryption %s, asked for, uses no key of the app', (encryption, sse) => {
    const { template, construct } = make({ encryption });
    template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: sse });
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(construct.encryptionKey).toBeUndefined();
  });
});

describe('grants', () => {
  test.each([
    ['grantReadData', 'dynamodb:GetItem', 'dynamodb:PutItem'],
    ['grantWriteData', 'dynamodb:PutItem', 'dynamodb:GetItem'],
    ['grantReadWriteData', 'dynamodb:PutItem', undefined],
  ] as const)('%s grants %s on the table only', (method, granted, notGranted) => {
    const stack = testStack();
    const { construct } = make({}, stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    construct[method](role);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions).toContain(granted);
    if (notGranted) expect(actions).not.toContain(notGranted);
    const keyId = stack.getLogicalId(construct.encryptionKey!.node.defaultChild as kms.CfnKey);
    for (const s of statements) {
      const on = [s.Action].flat().every((a: string) => a.startsWith('kms:')) ? keyId : stack.getLogicalId(construct.table.node.defaultChild as dynamodb.CfnTable);
      expect(JSON.stringify(s.Resource)).toContain(on);
    }
    expect(actions.filter((a: string) => a.startsWith('kms:')).sort()).toEqual(method === 'grantReadData'
      ? ['kms:Decrypt', 'kms:DescribeKey']
      : expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
  });

  test('no wildcard actions, and indexes are named one by one', () => {
    const stack = testStack();
    const { construct } = make({
      globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } }],
    }, stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    construct.grantReadWriteData(role);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.flatMap((st) => [st.Action].flat()).filter((a: string) => a.includes('*'))).toEqual([]);
    const tableId = stack.getLogicalId(construct.table.node.defaultChild as dynamodb.CfnTable);
    expect(statements.find((st) => [st.Action].flat().includes('dynamodb:GetItem')).Resource).toEqual([
      { 'Fn::GetAtt': [tableId, 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/byStatus']] },
    ]);
  });

  test('with a customer-managed key, grants include the key', () => {
    const stack = testStack();
    const { construct } = make({ encryptionKey: new kms.Key(stack, 'K') }, stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    construct.grantReadData(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['kms:Decrypt']) })]) },
    });
  });
});

describe('validation', () => {
  test.each([
    ['0 days', Duration.days(0)],
    ['36 days', Duration.days(36)],
    ['36 hours', Duration.hours(36)],
  ])('rejects a recovery period of %s', (_name, period) => {
    expect(() => make({ pointInTimeRecoveryPeriod: period })).toThrow(
      /`pointInTimeRecoveryPeriod` must be a whole number of days from 1 to 35, got: /,
    );
  });

  test.each([1, 35])('accepts a recovery period of %d days', (days) => {
    expect(() => make({ pointInTimeRecoveryPeriod: Duration.days(days) })).not.toThrow();
  });

  test.each([dynamodb.TableEncryption.AWS_MANAGED, dynamodb.TableEncryption.DEFAULT])('refuses encryptionKey with encryption %s, naming both', (encryption) => {
    const stack = testStack();
    expect(() => make({ encryption, encryptionKey: new kms.Key(stack, 'K') }, stack)).toThrow(
      /`encryptionKey` needs `encryption` CUSTOMER_MANAGED \(the default\).*got: encryption (AWS_MANAGED|DEFAULT) with an encryptionKey/);
  });

  test('refuses an encryption that is not a TableEncryption', () => {
    expect(() => make({ encryption: 'KMS' as dynamodb.TableEncryption })).toThrow(
      /`encryption` must be TableEncryption.CUSTOMER_MANAGED, AWS_MANAGED or DEFAULT, got: "KMS"/);
  });

  test('rejects an empty key name', () => {
    expect(() => make({ partitionKey: { name: ' ', type: dynamodb.AttributeType.STRING } })).toThrow(/`partitionKey.name` must be a non-empty attribute name/);
  });

  test('a token suffix is refused: the names derived from it could not be checked', () => {
    const token = Lazy.string({ produce: () => 'dev' });
    expect(() => make({ environmentSuffix: token })).toThrow(/`environmentSuffix` must be a concrete string, not a token/);
  });
});
