/**
 * Inputs that used to crash inside aws-cdk-lib or be silently ignored. One
 * rule: each is refused by us with a message naming our prop, never an error
 * from aws-cdk-lib, and nothing the user gave is dropped.
 */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EncryptedAurora, PitrTable, VpcLambda } from '../../src';
import { isolatedVpc } from '../util';
import { attempt } from './harness';

const code = lambda.Code.fromInline('exports.handler = async () => {}');
const publicOnlyVpc = (stack: Stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
const privateVpc = (stack: Stack) => new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 1,
  subnetConfiguration: [
    { name: 'public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  ],
});

const CASES: Array<[string, string, (stack: Stack) => void]> = [
  ['readers as a token', 'readers', (stack) => new EncryptedAurora(stack, 'Db', {
    environmentSuffix: 'dev', vpc: isolatedVpc(stack), readers: new CfnParameter(stack, 'Readers', { type: 'Number' }).valueAsNumber,
  })],
  ['readers 2.5', 'readers', (stack) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), readers: 2.5 })],
  ['Aurora in a VPC with only public subnets', 'vpc', (stack) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: publicOnlyVpc(stack) })],
  ['Aurora in a VPC with only private subnets', 'vpc', (stack) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: privateVpc(stack) })],
  ['Aurora with a subnet group name the VPC lacks', 'vpcSubnets', (stack) => new EncryptedAurora(stack, 'Db', {
    environmentSuffix: 'dev', vpc: isolatedVpc(stack), vpcSubnets: { subnetGroupName: 'nope' },
  })],
  ['a function in a VPC with only public subnets', 'vpc', (stack) => new VpcLambda(stack, 'Fn', {
    environmentSuffix: 'dev', vpc: publicOnlyVpc(stack), code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X,
  })],
  ['container-image code', 'code', (stack) => new VpcLambda(stack, 'Fn', {
    environmentSuffix: 'dev',
    vpc: isolatedVpc(stack),
    code: lambda.Code.fromEcrImage({ repositoryName: 'r', repositoryArn: 'arn:aws:ecr:us-east-1:111111111111:repository/r' } as any),
    handler: lambda.Handler.FROM_IMAGE,
    runtime: lambda.Runtime.FROM_IMAGE,
  })],
  ['Runtime.FROM_IMAGE with zip code', 'code', (stack) => new VpcLambda(stack, 'Fn', {
    environmentSuffix: 'dev', vpc: isolatedVpc(stack), code, handler: 'index.handler', runtime: lambda.Runtime.FROM_IMAGE,
  })],
  ['serverlessV2MaxCapacity with instanceType', 'serverlessV2MaxCapacity', (stack) => new EncryptedAurora(stack, 'Db', {
    environmentSuffix: 'dev', vpc: isolatedVpc(stack), instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE), serverlessV2MaxCapacity: 8,
  })],
  ['serverlessV2MinCapacity with instanceType', 'serverlessV2MinCapacity', (stack) => new EncryptedAurora(stack, 'Db', {
    environmentSuffix: 'dev', vpc: isolatedVpc(stack), instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE), serverlessV2MinCapacity: 1,
  })],
  ['TABLE_NAME in environment, then grantTable', 'environmentVariable', (stack) => {
    const fn = new VpcLambda(stack, 'Fn', {
      environmentSuffix: 'dev', vpc: isolatedVpc(stack), code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X, environment: { TABLE_NAME: 'mine' },
    });
    fn.grantTable(new PitrTable(stack, 'Table', { environmentSuffix: 'dev' }));
  }],
  ['two tables wired to the same variable', 'environmentVariable', (stack) => {
    const fn = new VpcLambda(stack, 'Fn', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
    fn.grantTable(new PitrTable(stack, 'Table', { environmentSuffix: 'dev' }));
    fn.grantTable(new PitrTable(stack, 'Table2', { environmentSuffix: 'two' }));
  }],
];

test.each(CASES)('%s is refused naming `%s`', (_label, prop, build) => {
  const verdict = attempt(build);
  expect(verdict).toMatchObject({ accepted: false });
  expect((verdict as { message: string }).message).toMatch(new RegExp(`^\`${prop}\` `));
});

test('a Serverless v2 minimum below 2 ACUs is a warning naming the prop and AWS\'s guidance', () => {
  const verdict = attempt((stack) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), serverlessV2MinCapacity: 0.5 }));
  expect(verdict.accepted).toBe(true);
  const warnings = (verdict as { stack: Stack }).stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
  expect(warnings.some((w) => w.includes('`serverlessV2MinCapacity` is 0.5 ACUs') && w.includes('at least 2 ACUs'))).toBe(true);
});
