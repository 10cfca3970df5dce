/**
 * Inputs that used to crash inside aws-cdk-lib or be silently ignored. One
 * rule: each is refused by us with a message naming our prop, never an error
 * from aws-cdk-lib, and nothing the user gave is dropped.
 */
import { CfnParameter, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AuroraGlobalSecondary, DrAlarms, EncryptedAurora, HourlyBackup, PitrTable, PlatformDatabase, ProtectedResource, SingleRegionDrPlatform, VpcLambda } from '../../src';
import { isolatedVpc, testApp } from '../util';
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
  ['a global secondary in a VPC with only public subnets', 'vpc', (stack) => new AuroraGlobalSecondary(stack, 'Secondary', {
    environmentSuffix: 'dev', vpc: publicOnlyVpc(stack), globalClusterIdentifier: 'dr-aurora-global-dev',
  })],
  ['a global secondary with a subnet group name the VPC lacks', 'vpcSubnets', (stack) => new AuroraGlobalSecondary(stack, 'Secondary', {
    environmentSuffix: 'dev', vpc: isolatedVpc(stack), vpcSubnets: { subnetGroupName: 'nope' }, globalClusterIdentifier: 'dr-aurora-global-dev',
  })],
  ['global secondary instances as a token', 'instances', (stack) => new AuroraGlobalSecondary(stack, 'Secondary', {
    environmentSuffix: 'dev',
    vpc: isolatedVpc(stack),
    globalClusterIdentifier: 'dr-aurora-global-dev',
    instances: new CfnParameter(stack, 'Instances', { type: 'Number' }).valueAsNumber,
  })],
  ['a global primary with secondary regions from a parameter', 'globalSecondaryRegions', (stack) => new EncryptedAurora(stack, 'Db', {
    environmentSuffix: 'dev', vpc: isolatedVpc(stack), globalSecondaryRegions: new CfnParameter(stack, 'Regions', { type: 'CommaDelimitedList' }).valueAsList,
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

describe('names that would collide at deploy', () => {
  const ENV = { account: '111111111111', region: 'eu-west-1' };

  test.each([
    ['two stacks, same account and region', ENV, ENV, false],
    ['two environment-agnostic stacks (both deploy to the CLI\'s account and region)', undefined, undefined, false],
    // A CloudWatch dashboard name is unique per account, not per region (issue 18, class 4).
    ['two stacks in different regions of one account (the dashboard name is account-wide)', ENV, { ...ENV, region: 'eu-central-1' }, false],
    ['two stacks in different accounts', ENV, { ...ENV, account: '222222222222' }, true],
  ])('two platforms with the same suffix in %s', (_label, env1, env2, deployable) => {
    const app = testApp();
    new SingleRegionDrPlatform(new Stack(app, 'One', { env: env1 }), 'Platform', { environmentSuffix: 'prod' });
    const second = () => new SingleRegionDrPlatform(new Stack(app, 'Two', { env: env2 }), 'Platform', { environmentSuffix: 'prod' });
    if (deployable) {
      expect(second).not.toThrow();
    } else {
      expect(second).toThrow(/^`environmentSuffix` "prod" gives the .* name ".*", which One\/Platform.* already uses in .*: the second could not deploy/);
    }
  });

  test('two platforms in one stack', () => {
    const stack = new Stack(testApp(), 'One');
    new SingleRegionDrPlatform(stack, 'Blue', { environmentSuffix: 'prod' });
    expect(() => new SingleRegionDrPlatform(stack, 'Green', { environmentSuffix: 'prod' })).toThrow(/^`environmentSuffix` "prod" gives the/);
  });

  test('nameQualifier runs two platforms side by side: every name differs, and tags keep the suffix', () => {
    const verdict = attempt((stack) => {
      new SingleRegionDrPlatform(stack, 'Blue', { environmentSuffix: 'prod', nameQualifier: 'blue' });
      new SingleRegionDrPlatform(stack, 'Green', { environmentSuffix: 'prod', nameQualifier: 'green' });
    });
    expect(verdict.accepted).toBe(true);
    const template = (verdict as { template: any }).template;
    const clusters = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::RDS::DBCluster');
    expect(clusters.map((c) => c.Properties.DBClusterIdentifier).sort()).toEqual(['dr-aurora-prod-blue', 'dr-aurora-prod-green']);
    for (const c of clusters) {
      expect(c.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'Environment', Value: 'prod' }]));
    }
  });

  test.each([['Proc_1', 'Proc-1'], ['Proc', 'proc'], ['A.B', 'a-b']])('addFunction(%j) then addFunction(%j) is refused naming `id`', (first, second) => {
    const verdict = attempt((stack) => {
      const platform = new SingleRegionDrPlatform(stack, 'Platform', { environmentSuffix: 'dev' });
      platform.addFunction(first, { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
      platform.addFunction(second, { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
    });
    expect(verdict).toMatchObject({ accepted: false });
    expect((verdict as { message: string }).message).toMatch(new RegExp(`^\`id\` "${second.replace('.', '\\.')}" gives the function name`));
  });
});

describe('alarm inputs', () => {
  const table = (stack: Stack) => new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });

  test.each([
    [['a@example.com', 'a@example.com']],
    [['a@example.com', 'A@Example.com']],
    [['a@example.com', 'b@example.com', 'a@example.com']],
  ])('the same address twice in alarmEmails %j is refused naming `alarmEmails`', (alarmEmails) => {
    const verdict = attempt((stack) => new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', alarmEmails }));
    expect(verdict).toMatchObject({ accepted: false });
    expect((verdict as { message: string }).message).toMatch(/^`alarmEmails` must list each address once/);
  });

  test.each([
    ['freeable memory 0', { databaseFreeableMemory: Size.bytes(0) }, 'thresholds.databaseFreeableMemory'],
    ['replica lag 0', { databaseReplicaLag: Duration.seconds(0) }, 'thresholds.databaseReplicaLag'],
    ['replica lag as a token', { databaseReplicaLag: Duration.seconds(Token.asNumber({ Ref: 'X' })) }, 'thresholds.databaseReplicaLag'],
  ])('a threshold that never or always fires (%s) is refused', (_label, thresholds, prop) => {
    const verdict = attempt((stack) => new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', thresholds, table: table(stack) }));
    expect(verdict).toMatchObject({ accepted: false });
    expect((verdict as { message: string }).message).toMatch(new RegExp(`^\`${prop.replace('.', '\\.')}\` must`));
  });

  test.each([
    [Duration.hours(83), true],
    [Duration.hours(84), false],
    [Duration.days(30), false],
  ])('an RPO of %s: the missed-backup alarm fits CloudWatch\'s 7 days, or `rpo` is refused', (rpo, fits) => {
    const verdict = attempt((stack) => {
      const backup = new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', rpo, resources: [ProtectedResource.fromTable(table(stack))] });
      new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', backup });
    });
    if (fits) {
      expect(verdict.accepted).toBe(true);
      const dead = Object.values<any>((verdict as { template: any }).template.Resources)
        .find((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmName === 'dr-backup-missing-dev').Properties;
      expect(dead.EvaluationPeriods * 3600).toBeLessThanOrEqual(7 * 24 * 3600);
    } else {
      expect(verdict).toMatchObject({ accepted: false });
      expect((verdict as { message: string }).message).toMatch(/^`rpo` plus `completionWindow` of the backup plan must be at most 7 days/);
    }
  });
});

test.each([
  [undefined, Size.mebibytes(256), true],
  [undefined, Size.gibibytes(4), false],
  [0.5, Size.mebibytes(1024), false],
  [0.5, Size.mebibytes(512), true],
  [8, Size.gibibytes(8), true],
])('Serverless v2 minimum %s ACUs with a freeable-memory threshold of %s: the alarm can clear, or the threshold is refused', (serverlessV2MinCapacity, databaseFreeableMemory, ok) => {
  const verdict = attempt((stack) => new SingleRegionDrPlatform(stack, 'Platform', {
    environmentSuffix: 'dev',
    database: PlatformDatabase.encryptedAurora({ serverlessV2MinCapacity, serverlessV2MaxCapacity: 16 }),
    alarms: { thresholds: { databaseFreeableMemory } },
  }));
  expect(verdict.accepted).toBe(ok);
  if (!ok) {
    expect((verdict as { message: string }).message).toMatch(/^`alarms\.thresholds\.databaseFreeableMemory` must be below the memory of the smallest Serverless v2 instance/);
  }
});

test('the platform refuses the same address twice in alarmEmails too', () => {
  const verdict = attempt((stack) => new SingleRegionDrPlatform(stack, 'Platform', { environmentSuffix: 'dev', alarmEmails: ['a@example.com', 'A@example.com'] }));
  expect(verdict).toMatchObject({ accepted: false });
  expect((verdict as { message: string }).message).toMatch(/^`alarmEmails` must list each address once/);
});
