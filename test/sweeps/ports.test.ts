/**
 * Class 8 of issue 18 (values AWS rejects pass through), for ports: every
 * prop that gives an Aurora PostgreSQL port, the cluster's own or the one a
 * function or probe connects on, accepts 1150-65535 (RDS CreateDBCluster's
 * range for Aurora) and refuses anything else by name, never with an error
 * from aws-cdk-lib. Sweeps one class of port inputs.
 */
import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { attempt, numberToken } from './harness';
import { AuroraGlobalSecondary, EncryptedAurora, HandlerRuntime, ProtectedResource, RegionHealthCheck, VpcLambda } from '../../src';
import { isolatedVpc, testApp } from '../util';

const ENV = { env: { account: '111111111111', region: 'us-east-1' } };

function importedCluster(stack: Stack, vpc: ec2.IVpc): rds.IDatabaseCluster {
  return rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Cluster', {
    clusterIdentifier: 'orders',
    clusterEndpointAddress: 'orders.cluster-abc.us-east-1.rds.amazonaws.com',
    readerEndpointAddress: 'orders.cluster-ro-abc.us-east-1.rds.amazonaws.com',
    port: 5432,
    securityGroups: [new ec2.SecurityGroup(stack, 'DbSg', { vpc })],
  });
}

interface PortProp {
  readonly name: string;
  readonly prop: string;
  readonly build: (stack: Stack, port: number) => void;
}

const PROPS: PortProp[] = [
  {
    name: 'EncryptedAurora port',
    prop: 'port',
    build: (stack, port) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), port }),
  },
  {
    name: 'AuroraGlobalSecondary port',
    prop: 'port',
    build: (stack, port) => new AuroraGlobalSecondary(stack, 'Secondary', {
      environmentSuffix: 'dev', vpc: isolatedVpc(stack), globalClusterIdentifier: 'dr-global-dev', port,
    }),
  },
  {
    name: 'VpcLambda.connectCluster port',
    prop: 'port',
    build: (stack, port) => {
      const vpc = isolatedVpc(stack);
      const fn = new VpcLambda(stack, 'Fn', {
        environmentSuffix: 'dev',
        vpc,
        handler: 'index.handler',
        runtime: HandlerRuntime.newestNodejs(testApp()),
        code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      });
      fn.connectCluster(importedCluster(stack, vpc), {
        secret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'orders-db'), port,
      });
    },
  },
  {
    name: 'RegionHealthCheck database.connection.port',
    prop: 'database.connection.port',
    build: (stack, port) => {
      const vpc = isolatedVpc(stack);
      new RegionHealthCheck(stack, 'Health', {
        environmentSuffix: 'dev',
        vpc,
        database: ProtectedResource.fromDatabaseCluster(importedCluster(stack, vpc), {
          connection: { secret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'orders-db'), port },
        }),
        table: ProtectedResource.fromTable(dynamodb.Table.fromTableName(stack, 'Table', 'orders')),
        bucket: ProtectedResource.fromBucket(s3.Bucket.fromBucketName(stack, 'Bucket', 'orders-data')),
        tablePartitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      });
    },
  },
];

const PORTS: Array<{ label: string; port: number | ((stack: Stack) => number); ok: boolean }> = [
  { label: 'the default 5432', port: 5432, ok: true },
  { label: 'the lowest, 1150', port: 1150, ok: true },
  { label: 'the highest, 65535', port: 65535, ok: true },
  { label: 'one under, 1149', port: 1149, ok: false },
  { label: 'a well-known port, 80', port: 80, ok: false },
  { label: 'zero', port: 0, ok: false },
  { label: 'negative', port: -5432, ok: false },
  { label: 'one over, 65536', port: 65536, ok: false },
  { label: 'a fraction', port: 5432.5, ok: false },
  { label: 'a token', port: (stack) => numberToken(stack), ok: true },
];

describe.each(PROPS)('$name', ({ prop, build }) => {
  test.each(PORTS)('$label', ({ port, ok }) => {
    const verdict = attempt((stack) => build(stack, typeof port === 'function' ? port(stack) : port), ENV);
    if (ok) {
      expect(verdict.accepted).toBe(true);
      return;
    }
    expect(verdict.accepted).toBe(false);
    expect(!verdict.accepted && verdict.message).toMatch(new RegExp(
      `^\`${prop.replace(/\./g, '\\.')}\` must be a whole number from 1150 to 65535, the ports an Aurora PostgreSQL cluster can listen on, got: ${String(port).replace('.', '\\.')} \\(in `));
  });
});
