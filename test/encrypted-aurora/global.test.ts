import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { EncryptedAurora, EncryptedAuroraProps } from '../../src';
import { WARNING_IDS } from '../../src/private/warnings';
import { acknowledgeNotInBackupPlan, complianceTest, isolatedVpc, nagFindings, synth, testStack } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };

function make(props: Partial<EncryptedAuroraProps> = {}, stack: Stack = testStack({ env: ENV })) {
  const vpc = props.vpc ?? isolatedVpc(stack);
  const construct = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'prod', vpc, globalSecondaryRegions: ['us-west-2'], ...props });
  return { stack, construct, get template() { return Template.fromStack(stack); } };
}

const logicalId = (template: Template, type: string) => {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
};

describe('defaults', () => {
  test('an encrypted global cluster of the same engine version, deletion protection on, kept with the stack', () => {
    const { template, construct } = make();
    template.resourceCountIs('AWS::RDS::GlobalCluster', 1);
    template.hasResource('AWS::RDS::GlobalCluster', {
      Properties: {
        GlobalClusterIdentifier: 'dr-aurora-global-prod',
        Engine: 'aurora-postgresql',
        EngineVersion: '17.9',
        StorageEncrypted: true,
        DeletionProtection: true,
        SourceDBClusterIdentifier: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(construct.globalClusterIdentifier).toBe('dr-aurora-global-prod');
    expect(construct.globalCluster).toBeInstanceOf(rds.CfnGlobalCluster);
    expect(construct.globalSecondaryRegions).toEqual(['us-west-2']);
  });

  test('the primary joins the global cluster by reference, so it is created after it and deleted before it', () => {
    const { template } = make();
    const globalId = logicalId(template, 'AWS::RDS::GlobalCluster');
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      GlobalClusterIdentifier: { Ref: globalId },
      EngineVersion: '17.9',
      StorageEncrypted: true,
      DeletionProtection: true,
    });
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot' });
  });

  test('credentials: a generated secret with a deterministic name, replicated under the alias of the key in each secondary region; no RDS-managed password', () => {
    const { template, construct } = make({ globalSecondaryRegions: ['us-west-2', 'eu-west-1'] });
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      ManageMasterUserPassword: Match.absent(),
      MasterUserSecret: Match.absent(),
      MasterUsername: Match.anyValue(),
      MasterUserPassword: Match.anyValue(),
    });
    const keyId = logicalId(template, 'AWS::KMS::Key');
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'dr-aurora-prod-credentials',
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"dbadmin"}', GenerateStringKey: 'password' }),
      ReplicaRegions: [
        { Region: 'us-west-2', KmsKeyId: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:111111111111:alias/dr-aurora-prod']] } },
        { Region: 'eu-west-1', KmsKeyId: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:111111111111:alias/dr-aurora-prod']] } },
      ],
    });
    // The password goes into the cluster only through the secret, never in plain text.
    const cluster = Object.values(template.findResources('AWS::RDS::DBCluster'))[0] as any;
    expect(JSON.stringify(cluster.Properties.MasterUserPassword)).toMatch(/resolve:secretsmanager/);
    template.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 1);
    expect(construct.secretName).toBe('dr-aurora-prod-credentials');
    expect(Token.isUnresolved(construct.secretName)).toBe(false);
  });

  test('rotation stays possible on the generated secret; without it the rotation findings are acknowledged on the secret alone, saying so', () => {
    const { construct, stack } = make();
    const meta = JSON.stringify(construct.cluster.node.findChild('Secret').node.findAll().flatMap((c) => c.node.metadata));
    expect(meta).toMatch(/AwsSolutions-SMG4/);
    expect(meta).toMatch(/Until then the master password does not rotate/);
    construct.cluster.addRotationSingleUser();
    Template.fromStack(stack).resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
  });

  test('grantSecretRead grants the generated secret', () => {
    const { construct, stack } = make();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    construct.grantSecretRead(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          // The attachment's ARN is the secret's, once it is attached to the cluster.
          Resource: { Ref: logicalId(template, 'AWS::SecretsManager::SecretTargetAttachment') },
        })]),
      },
    });
  });

  test('an environment-agnostic stack computes the replica key ARN from its own account', () => {
    const { template } = make({}, testStack());
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      ReplicaRegions: [{
        Region: 'us-west-2',
        KmsKeyId: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:', { Ref: 'AWS::AccountId' }, ':alias/dr-aurora-prod']] },
      }],
    });
  });
});

describe('AutoMinorVersionUpgrade: set on a standalone cluster\'s instances, never on a global database member\'s (it has no effect there)', () => {
  const autoMinor = (template: Template) => Object.values(template.findResources('AWS::RDS::DBInstance')).map((r) => r.Properties.AutoMinorVersionUpgrade);
  test.each([
    ['serverless, one reader', {}],
    ['serverless, three readers', { readers: 3 }],
    ['provisioned', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }],
  ] as Array<[string, Partial<EncryptedAuroraProps>]>)('%s', (_, props) => {
    const global = autoMinor(make(props).template);
    expect(global.length).toBe((props.readers ?? 1) + 1);
    expect(global.every((v) => v === undefined)).toBe(true);
    const stack = testStack({ env: ENV });
    new EncryptedAurora(stack, 'Db', { environmentSuffix: 'prod', vpc: isolatedVpc(stack), ...props });
    const standalone = autoMinor(Template.fromStack(stack));
    expect(standalone.length).toBe((props.readers ?? 1) + 1);
    expect(standalone.every((v) => v === true)).toBe(true);
  });
});

describe('without globalSecondaryRegions nothing changes', () => {
  test('no global cluster, no generated secret, the RDS-managed password; secretName is a token', () => {
    const stack = testStack({ env: ENV });
    const construct = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'prod', vpc: isolatedVpc(stack) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::RDS::GlobalCluster', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::RDS::DBCluster', { ManageMasterUserPassword: true, GlobalClusterIdentifier: Match.absent() });
    expect(construct.globalCluster).toBeUndefined();
    expect(construct.globalClusterIdentifier).toBeUndefined();
    expect(construct.globalSecondaryRegions).toEqual([]);
    expect(Token.isUnresolved(construct.secretName)).toBe(true);
  });
});

describe('the credentials secret name never ends in a hyphen and six characters', () => {
  // Secrets Manager can take such a tail for the six random characters of a
  // secret's ARN, so lookups by name (Secret.fromSecretNameV2) are unreliable.
  test.each(['prod01', 'abcdef', 'team-abcdef', 'eu-west-stage1', 'a-123456', 'x-y-z-qwerty', 'prod'])(
    'suffix %p', (environmentSuffix) => {
      const { template, construct } = make({ environmentSuffix });
      expect(construct.secretName).toBe(`dr-aurora-${environmentSuffix}-credentials`);
      expect(construct.secretName).not.toMatch(/-[^-]{6}$/);
      template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: construct.secretName });
    });
});

describe('the credentials secret outlives the stack unless DESTROY', () => {
  test.each([
    ['default (SNAPSHOT)', undefined, 'Retain'],
    ['SNAPSHOT', RemovalPolicy.SNAPSHOT, 'Retain'],
    ['RETAIN', RemovalPolicy.RETAIN, 'Retain'],
    ['RETAIN_ON_UPDATE_OR_DELETE', RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, 'RetainExceptOnCreate'],
    ['DESTROY', RemovalPolicy.DESTROY, 'Delete'],
  ] as const)('removalPolicy %s: the secret\'s DeletionPolicy and UpdateReplacePolicy are %s', (_label, removalPolicy, policy) => {
    const { template } = make({ removalPolicy });
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: { Name: Match.stringLikeRegexp('^dr-aurora-') },
      DeletionPolicy: policy,
      UpdateReplacePolicy: policy === 'RetainExceptOnCreate' ? 'Retain' : policy,
    });
  });
});

describe('DESTROY', () => {
  test('the global cluster loses its deletion protection and is deleted after the primary', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::RDS::GlobalCluster', { DeletionPolicy: 'Delete', Properties: { DeletionProtection: false } });
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Delete', Properties: { DeletionProtection: false } });
  });
});

describe('DESTROY with the replicated secret: its replicas are removed before it is deleted', () => {
  test.each([
    ['default (SNAPSHOT)', undefined, 0],
    ['SNAPSHOT', RemovalPolicy.SNAPSHOT, 0],
    ['RETAIN', RemovalPolicy.RETAIN, 0],
    ['RETAIN_ON_UPDATE_OR_DELETE', RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, 0],
    ['DESTROY', RemovalPolicy.DESTROY, 1],
  ] as const)('removalPolicy %s: %d replica removal', (_label, removalPolicy, count) => {
    make({ removalPolicy }).template.resourceCountIs('Custom::DrSecretReplicaRemoval', count);
  });

  test('without secondary regions there is no replicated secret and nothing to remove', () => {
    make({ globalSecondaryRegions: undefined, removalPolicy: RemovalPolicy.DESTROY }).template.resourceCountIs('Custom::DrSecretReplicaRemoval', 0);
  });

  test('it refers to the secret, so CloudFormation deletes it first; its handler may describe and un-replicate that secret only', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.DESTROY, globalSecondaryRegions: ['us-west-2', 'eu-west-1'] });
    const secretId = logicalId(template, 'AWS::SecretsManager::Secret');
    const [removal] = Object.values<any>(template.findResources('Custom::DrSecretReplicaRemoval'));
    expect(removal.Properties.SecretArn).toEqual({ Ref: secretId });
    const statements = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.anyValue() },
    })).flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('secretsmanager:RemoveRegions')));
    expect(statements).toEqual([expect.objectContaining({
      Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:RemoveRegionsFromReplication'], Resource: { Ref: secretId },
    })]);
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/dr/prod/aurora-secret-replica-removal', KmsKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Removes the replicas of the secret dr-aurora-prod-credentials'),
      Timeout: 300,
    });
  });
});

describe('warnings', () => {
  test.each([
    [undefined, undefined, false],
    [undefined, 4, true],
    [2, undefined, true],
    [2, 8, true],
    [7.5, 16, true],
    [8, 16, false],
    [16, 32, false],
  ])('Serverless v2 minimum %p (max %p): warns below 8 ACUs = %p', (min, max, warns) => {
    const { stack } = make({ serverlessV2MinCapacity: min, serverlessV2MaxCapacity: max });
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Db', Match.stringLikeRegexp('AWS advises at least 8 ACUs'));
    expect(warnings.length > 0).toBe(warns);
    if (warns) {
      expect(JSON.stringify(warnings[0].entry.data)).toContain(WARNING_IDS.globalDatabaseMinCapacityBelowGuidance);
    }
  });

  test('the primary defaults to 8 ACUs minimum and 16 maximum; an explicit 2 is kept and warns; a smaller maximum lowers the default minimum', () => {
    const byDefault = make();
    byDefault.template.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: { MinCapacity: 8, MaxCapacity: 16 } });
    expect(byDefault.construct.serverlessV2MinCapacity).toBe(8);
    Annotations.fromStack(byDefault.stack).hasNoWarning('*', Match.stringLikeRegexp('AWS advises at least 8 ACUs'));

    const explicit = make({ serverlessV2MinCapacity: 2 });
    explicit.template.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: { MinCapacity: 2, MaxCapacity: 16 } });
    expect(explicit.construct.serverlessV2MinCapacity).toBe(2);
    Annotations.fromStack(explicit.stack).hasWarning('/TestStack/Db', Match.stringLikeRegexp('is 2 ACUs on the primary of an Aurora global database: AWS advises at least 8 ACUs'));

    const capped = make({ serverlessV2MaxCapacity: 4 });
    capped.template.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: { MinCapacity: 4, MaxCapacity: 4 } });
  });

  test('provisioned instances in global mode get no Serverless v2 capacity', () => {
    const { template, construct } = make({ instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) });
    template.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: Match.absent() });
    expect(construct.serverlessV2MinCapacity).toBeUndefined();
  });

  test('no 8-ACU warning outside global mode or with provisioned instances', () => {
    const regional = testStack({ env: ENV });
    new EncryptedAurora(regional, 'Db', { environmentSuffix: 'prod', vpc: isolatedVpc(regional), serverlessV2MinCapacity: 2 });
    Annotations.fromStack(regional).hasNoWarning('*', Match.stringLikeRegexp('AWS advises at least 8 ACUs'));
    const { stack } = make({ instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('AWS advises at least 8 ACUs'));
  });
});

describe('validation', () => {
  test.each([
    ['no regions', [], /`globalSecondaryRegions` must list 1 to 10 regions .*got: 0/],
    ['eleven regions', ['us-west-1', 'us-west-2', 'us-east-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-southeast-2'],
      /`globalSecondaryRegions` must list 1 to 10 regions .*got: 11/],
    ['the stack region', ['us-east-1'], /`globalSecondaryRegions\[0\]` must be another region than the stack's own \(us-east-1\): .*got: "us-east-1"/],
    ['a duplicate', ['us-west-2', 'us-west-2'], /`globalSecondaryRegions` must not name a region twice, got: "us-west-2"/],
    ['an unknown region', ['us-west-9'], /`globalSecondaryRegions\[0\]` must be an AWS region code such as "us-west-2", got: "us-west-9"/],
    ['a misspelt region', ['US-WEST-2'], /`globalSecondaryRegions\[0\]` must be an AWS region code .*got: "US-WEST-2"/],
    ['another partition', ['cn-north-1'], /`globalSecondaryRegions\[0\]` must be a region of the stack's partition aws: .*got: "cn-north-1" \(partition aws-cn\)/],
    ['a token', [Token.asString({ Ref: 'Region' })], /`globalSecondaryRegions\[0\]` must be a concrete region code, not a token/],
  ])('rejects %s', (_name, regions, message) => {
    expect(() => make({ globalSecondaryRegions: regions as string[] })).toThrow(message);
  });

  test.each(['t3.medium', 't4g.large', 't4g.medium'])('rejects the burstable class db.%s', (type) => {
    expect(() => make({ instanceType: new ec2.InstanceType(type) })).toThrow(
      new RegExp(`\`instanceType\` must not be a burstable class \\(db.t\\*\\): Aurora global databases need memory-optimized classes .*got: db.${type.replace('.', '\\.')}`));
  });

  test.each(['r6g.large', 'r7g.xlarge', 'r5.large', 'x2g.large'])('accepts db.%s', (type) => {
    expect(() => make({ instanceType: new ec2.InstanceType(type) })).not.toThrow();
  });

  test('a burstable class stays allowed outside global mode', () => {
    const stack = testStack({ env: ENV });
    expect(() => new EncryptedAurora(stack, 'Db', {
      environmentSuffix: 'prod', vpc: isolatedVpc(stack), instanceType: new ec2.InstanceType('t4g.medium'),
    })).not.toThrow();
  });

  test('the stack region cannot be checked when it is a token: any known region is accepted', () => {
    expect(() => make({ globalSecondaryRegions: ['us-east-1'] }, testStack())).not.toThrow();
  });

  test('the suffix limit counts the global cluster identifier', () => {
    // 'dr-aurora-global-' + suffix must fit 63: 46 characters; the reader identifier allows 44.
    expect(() => make({ environmentSuffix: 'a'.repeat(44) })).not.toThrow();
    expect(() => make({ environmentSuffix: 'a'.repeat(45) })).toThrow(/`environmentSuffix` must be at most 44 characters here/);
  });
});

describe('compliance', () => {
  test.each([['SNAPSHOT (default)', undefined], ['DESTROY', RemovalPolicy.DESTROY]] as const)(
    'with %s: zero unacknowledged cdk-nag findings (four packs)', (_label, removalPolicy) => {
      const { stack, construct } = make({ removalPolicy });
      acknowledgeNotInBackupPlan(stack);
      expect(nagFindings(stack, construct)).toEqual([]);
    });

  complianceTest.each([['SNAPSHOT (default)', undefined], ['DESTROY', RemovalPolicy.DESTROY]] as const)(
    'with %s: strict schema validation passes', (_label, removalPolicy) => {
      const { stack } = make({ removalPolicy }, testStack({ env: ENV, validate: true }));
      expect(() => synth(stack)).not.toThrow();
    });
});
