import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  DataAccess, EncryptedAurora, HandlerRuntime, PitrTable, ProtectedResource, VersionedBucket, VpcLambda,
} from '../../src';
import { isolatedVpc, testApp, testStack } from '../util';

const NEWEST_NODE = HandlerRuntime.newestNodejs(testApp());
const code = lambda.Code.fromInline('exports.handler = async () => ({})');

function setup(stack: Stack = testStack()) {
  const vpc = isolatedVpc(stack);
  const fn = new VpcLambda(stack, 'Processor', { environmentSuffix: 'dev', vpc, code, handler: 'index.handler', runtime: NEWEST_NODE });
  return { stack, vpc, fn };
}

/** The function's environment and policy statements, each connection made separately on a fresh stack. */
function connected(connect: (s: ReturnType<typeof setup>) => void) {
  const s = setup();
  connect(s);
  const template = Template.fromStack(s.stack);
  const fn = Object.values<any>(template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-processor-dev' } }))[0];
  const policy = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: Match.stringLikeRegexp('dr-processor-dev') },
  }))[0].Properties.PolicyDocument.Statement;
  return { env: fn.Properties.Environment?.Variables ?? {}, policy: s.stack.resolve(policy), stack: s.stack };
}

describe('connectResource wires a store by its handle exactly as the connect method of its kind', () => {
  test.each([
    ['an EncryptedAurora', (s: ReturnType<typeof setup>) => {
      const db = new EncryptedAurora(s.stack, 'Db', { environmentSuffix: 'dev', vpc: s.vpc });
      return [() => s.fn.connectResource(ProtectedResource.fromEncryptedAurora(db)), () => s.fn.connectDatabase(db)];
    }],
    ['a PitrTable', (s: ReturnType<typeof setup>) => {
      const table = new PitrTable(s.stack, 'Table', { environmentSuffix: 'dev', encryptionKey: new kms.Key(s.stack, 'TableKey') });
      return [() => s.fn.connectResource(ProtectedResource.fromPitrTable(table), { access: DataAccess.READ }),
        () => s.fn.connectTable(table.table, { access: DataAccess.READ, encryptionKey: table.encryptionKey })];
    }],
    ['a VersionedBucket', (s: ReturnType<typeof setup>) => {
      const bucket = new VersionedBucket(s.stack, 'Bucket', { environmentSuffix: 'dev' });
      return [() => s.fn.connectResource(ProtectedResource.fromVersionedBucket(bucket), { access: DataAccess.WRITE, environmentVariable: 'RAW' }),
        () => s.fn.connectBucket(bucket.bucket, { access: DataAccess.WRITE, environmentVariable: 'RAW' })];
    }],
    ['an imported table with its key', (s: ReturnType<typeof setup>) => {
      const table = dynamodb.Table.fromTableName(s.stack, 'Orders', 'orders');
      const key = kms.Key.fromKeyArn(s.stack, 'OrdersKey', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555');
      return [() => s.fn.connectResource(ProtectedResource.fromTable(table, { encryptionKey: key })),
        () => s.fn.connectTable(table, { encryptionKey: key })];
    }],
    ['an imported bucket with its key', (s: ReturnType<typeof setup>) => {
      const bucket = s3.Bucket.fromBucketName(s.stack, 'Raw', 'legacy-data');
      const key = kms.Key.fromKeyArn(s.stack, 'RawKey', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-666666666666');
      return [() => s.fn.connectResource(ProtectedResource.fromBucket(bucket, { encryptionKey: key })),
        () => s.fn.connectBucket(bucket, { encryptionKey: key })];
    }],
  ] as const)('%s: the same environment and statements', (_label, make) => {
    const byHandle = connected((s) => make(s)[0]());
    const direct = connected((s) => make(s)[1]());
    expect(byHandle.env).toEqual(direct.env);
    expect(byHandle.policy).toEqual(direct.policy);
    expect(Object.keys(byHandle.env).length).toBeGreaterThan(0);
  });

  test('an adopted cluster with its connection: DB_* set, the secret readable, the secret\'s key decryptable when the secret does not carry it', () => {
    const { env, policy } = connected((s) => {
      const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(s.stack, 'Legacy', {
        clusterIdentifier: 'legacy',
        clusterEndpointAddress: 'legacy.example.internal',
        port: 5432,
        securityGroups: [new ec2.SecurityGroup(s.stack, 'Sg', { vpc: s.vpc })],
      });
      const secretKey = new kms.Key(s.stack, 'SecretKey');
      const secret = secretsmanager.Secret.fromSecretNameV2(s.stack, 'Secret', 'legacy-credentials');
      s.fn.connectResource(ProtectedResource.fromDatabaseCluster(cluster, {
        connection: { secret, secretEncryptionKey: secretKey, databaseName: 'orders' },
      }));
    });
    expect(env).toMatchObject({ DB_HOST: 'legacy.example.internal', DB_PORT: '5432', DB_NAME: 'orders' });
    const decrypt = policy.find((st: any) => JSON.stringify(st.Action) === JSON.stringify('kms:Decrypt')
      && JSON.stringify(st.Resource).includes('SecretKey'));
    expect(decrypt).toBeDefined();
  });
});

describe('connectResource refuses what it cannot wire, naming the store', () => {
  test.each([
    ['a cluster handle without its connection', (s: ReturnType<typeof setup>) => ProtectedResource.fromDatabaseCluster(
      rds.DatabaseCluster.fromDatabaseClusterAttributes(s.stack, 'C', { clusterIdentifier: 'legacy' })),
    {}, /the database "TestStack\/C" cannot be connected to dr-processor-dev: .*got: a handle without `connection`/],
    ['access on a database', (s: ReturnType<typeof setup>) => ProtectedResource.fromEncryptedAurora(new EncryptedAurora(s.stack, 'Db', { environmentSuffix: 'dev', vpc: s.vpc })),
      { access: DataAccess.READ }, /^`access` applies to a table or bucket: a database connection is what its handle's `connection` says, got: "READ" for "TestStack\/Db"/],
    ['an environment variable on a database', (s: ReturnType<typeof setup>) => ProtectedResource.fromEncryptedAurora(new EncryptedAurora(s.stack, 'Db', { environmentSuffix: 'dev', vpc: s.vpc })),
      { environmentVariable: 'DB' }, /^`environmentVariable` applies to a table or bucket/],
    ['a resource given by its ARN', () => ProtectedResource.fromArn('arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1', 'shared-fs'),
      {}, /only a database, table or bucket handle made from its construct can be connected to dr-processor-dev, got: Other "shared-fs"/],
    ['a Lambda function', (s: ReturnType<typeof setup>) => ProtectedResource.fromFunction(
      lambda.Function.fromFunctionName(s.stack, 'Other', 'other')),
    {}, /only a database, table or bucket handle made from its construct can be connected to dr-processor-dev, got: Lambda "TestStack\/Other"/],
  ] as const)('%s', (_label, handle, options, message) => {
    const s = setup();
    expect(() => s.fn.connectResource(handle(s), options)).toThrow(message);
  });

  test('secretEncryptionKey with IAM authentication is refused: no secret is read', () => {
    const s = setup();
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(s.stack, 'C', {
      clusterIdentifier: 'legacy',
      clusterEndpointAddress: 'legacy.example.internal',
      port: 5432,
      clusterResourceIdentifier: 'cluster-ABC',
      securityGroups: [new ec2.SecurityGroup(s.stack, 'Sg', { vpc: s.vpc })],
    });
    expect(() => s.fn.connectCluster(cluster, { iamAuthenticationUser: 'app', secretEncryptionKey: new kms.Key(s.stack, 'K') }))
      .toThrow(/^`secretEncryptionKey` applies only with `secret`: dr-processor-dev connects to TestStack\/C with IAM authentication/);
  });
});
