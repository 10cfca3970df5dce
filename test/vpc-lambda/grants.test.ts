/**
 * Every connect* method of VpcLambda returns the iam.Grant it made, as
 * aws-cdk-lib's grant* methods do: successful, on the function's role, naming
 * the actions the access level allows and the resource connected.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DataAccess, EncryptedAurora, HandlerRuntime, PitrTable, VersionedBucket, VpcLambda } from '../../src';
import { BUCKET_READ_ACTIONS, BUCKET_WRITE_ACTIONS } from '../../src/private/data-access';
import { isolatedVpc, testApp, testStack } from '../util';

const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })');
const ALL_ACCESS = Object.values(DataAccess);

function make(stack: Stack = testStack()) {
  const vpc = isolatedVpc(stack);
  const fn = new VpcLambda(stack, 'Processor', {
    environmentSuffix: 'dev', vpc, code, handler: 'index.handler', runtime: HandlerRuntime.newestNodejs(testApp()),
  });
  return { stack, vpc, fn };
}

/** What a grant names, resolved: its actions and resources, across its principal statements. */
function named(stack: Stack, grant: iam.Grant) {
  expect(grant.success).toBe(true);
  expect(grant.principalStatements.length).toBeGreaterThan(0);
  const statements = grant.principalStatements.map((s) => s.toStatementJson());
  return {
    actions: new Set(statements.flatMap((s) => [s.Action].flat())),
    resources: statements.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(stack.resolve(r))),
  };
}

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const reads = (access: DataAccess) => access !== DataAccess.WRITE;
const writes = (access: DataAccess) => access !== DataAccess.READ;

describe('connectTable and grantTable return the grant on the table', () => {
  test.each(ALL_ACCESS)('connectTable with %s: its actions only, on the table', (access) => {
    const { stack, fn } = make();
    const table = new dynamodb.TableV2(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const { actions, resources } = named(stack, fn.connectTable(table, { access }));
    for (const a of TABLE_READ) expect(actions.has(a)).toBe(reads(access));
    for (const a of TABLE_WRITE) expect(actions.has(a)).toBe(writes(access));
    expect(resources).toContain(JSON.stringify(stack.resolve(table.tableArn)));
  });

  test.each(ALL_ACCESS)('grantTable (deprecated) with %s: the same grant', (access) => {
    const { stack, fn } = make();
    const table = new PitrTable(stack, 'T', { environmentSuffix: 'dev' });
    const { actions, resources } = named(stack, fn.grantTable(table, access));
    for (const a of TABLE_READ) expect(actions.has(a)).toBe(reads(access));
    for (const a of TABLE_WRITE) expect(actions.has(a)).toBe(writes(access));
    expect(resources).toContain(JSON.stringify(stack.resolve(table.table.tableArn)));
  });
});

describe('connectTable grants the use of the table\'s key with named KMS actions', () => {
  /** The KMS actions the function's policy names on one key. */
  function keyActions(stack: Stack, key: { keyArn: string }): string[] {
    const keyArn = JSON.stringify(stack.resolve(key.keyArn));
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st) => JSON.stringify([st.Resource].flat()).includes(keyArn));
    return [...new Set(statements.flatMap((st) => [st.Action].flat()))].sort() as string[];
  }

  test.each([
    ['the key a PitrTable creates', (stack: Stack) => { const t = new PitrTable(stack, 'T', { environmentSuffix: 'dev' }); return { table: t.table as dynamodb.ITable, key: t.encryptionKey!, options: {} }; }],
    ['a key given as options.encryptionKey for an imported table', (stack: Stack) => {
      const key = new kms.Key(stack, 'K');
      return { table: dynamodb.Table.fromTableName(stack, 'T', 'dr-table-dev'), key: key as kms.IKey, options: { encryptionKey: key } };
    }],
  ])('%s: decrypt to read; encrypt and data keys to write; never a wildcard', (_name, build) => {
    for (const access of ALL_ACCESS) {
      const { stack, fn } = make();
      const { table, key, options } = build(stack);
      fn.connectTable(table, { ...options, access });
      expect({ access, actions: keyActions(stack, key) }).toEqual({
        access,
        actions: writes(access)
          ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
          : ['kms:Decrypt', 'kms:DescribeKey'],
      });
    }
  });
});

describe('connectBucket and grantBucket return the grant on the bucket and its objects', () => {
  test.each(ALL_ACCESS)('connectBucket with %s: the named actions of that access, on the bucket and its objects', (access) => {
    const { stack, fn } = make();
    const bucket = new s3.Bucket(stack, 'B', { versioned: true });
    const { actions, resources } = named(stack, fn.connectBucket(bucket, { access }));
    expect([...actions].sort()).toEqual([...(reads(access) ? BUCKET_READ_ACTIONS : []), ...(writes(access) ? BUCKET_WRITE_ACTIONS : [])].sort());
    expect(resources).toContain(JSON.stringify(stack.resolve(bucket.arnForObjects('*'))));
    expect(resources.includes(JSON.stringify(stack.resolve(bucket.bucketArn)))).toBe(reads(access));
  });

  test.each(ALL_ACCESS)('grantBucket (deprecated) with %s: the same grant', (access) => {
    const { stack, fn } = make();
    const bucket = new VersionedBucket(stack, 'B', { environmentSuffix: 'dev' });
    const { actions } = named(stack, fn.grantBucket(bucket, access));
    expect([...actions].sort()).toEqual([...(reads(access) ? BUCKET_READ_ACTIONS : []), ...(writes(access) ? BUCKET_WRITE_ACTIONS : [])].sort());
  });
});

describe('connectCluster and connectDatabase return their one IAM grant', () => {
  const importCluster = (stack: Stack, vpc: ec2.IVpc) => rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', {
    clusterIdentifier: 'legacy',
    clusterResourceIdentifier: 'cluster-ABC',
    clusterEndpointAddress: 'legacy.example',
    port: 5432,
    securityGroups: [new ec2.SecurityGroup(stack, 'DbSg', { vpc })],
  });

  test('connectCluster with a secret: the grant to read that secret, nothing else', () => {
    const { stack, fn, vpc } = make();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'legacy-credentials');
    const { actions, resources } = named(stack, fn.connectCluster(importCluster(stack, vpc), { secret }));
    expect([...actions].sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(resources.every((r) => r.includes('legacy-credentials'))).toBe(true);
  });

  test('connectCluster with IAM authentication: rds-db:connect for that user of that cluster, nothing else', () => {
    const { stack, fn, vpc } = make();
    const { actions, resources } = named(stack, fn.connectCluster(importCluster(stack, vpc), { iamAuthenticationUser: 'app' }));
    expect([...actions]).toEqual(['rds-db:connect']);
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatch(/dbuser:cluster-ABC\/app/);
  });

  test('connectDatabase: the grant to read the EncryptedAurora\'s secret', () => {
    const { stack, fn, vpc } = make();
    const db = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc });
    const { actions, resources } = named(stack, fn.connectDatabase(db));
    expect([...actions].sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(resources).toEqual([JSON.stringify(stack.resolve(db.secret.secretArn))]);
  });
});
