import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { EncryptedAurora, EncryptedAuroraProps } from '../../src';
import { isolatedVpc, testStack } from '../util';

function make(props: Partial<EncryptedAuroraProps> = {}, stack: Stack = testStack()) {
  const vpc = props.vpc ?? isolatedVpc(stack);
  const construct = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc, ...props });
  return { stack, construct, vpc, get template() { return Template.fromStack(stack); } };
}

const keyRef = (template: Template) => ({ 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] });

describe('defaults', () => {
  test('Aurora PostgreSQL 17, storage encrypted with the construct key, 7-day backups, IAM auth, logs, tags to snapshots', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'dr-aurora-dev',
      Engine: 'aurora-postgresql',
      EngineVersion: '17.9',
      StorageEncrypted: true,
      KmsKeyId: keyRef(template),
      BackupRetentionPeriod: 7,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      CopyTagsToSnapshot: true,
      DeletionProtection: true,
      DatabaseName: 'app',
      Port: 5432,
      ServerlessV2ScalingConfiguration: { MinCapacity: 2, MaxCapacity: 4 },
    });
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
  });

  test('credentials are generated and rotated by RDS in Secrets Manager, encrypted with the key', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      ManageMasterUserPassword: true,
      MasterUsername: 'dbadmin',
      MasterUserSecret: { KmsKeyId: keyRef(template) },
      MasterUserPassword: Match.absent(),
    });
    // No password ever appears in the template, and no rotation Lambda is needed.
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('the cluster parameter group enforces TLS 1.2 or newer', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Family: 'aurora-postgresql17',
      Parameters: Match.objectLike({ 'rds.force_ssl': '1', 'ssl_min_protocol_version': 'TLSv1.2' }),
    });
    const [pgId] = Object.keys(template.findResources('AWS::RDS::DBClusterParameterGroup'));
    template.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterParameterGroupName: { Ref: pgId } });
  });

  test('a writer and one reader, Serverless v2, in different AZs, with monitoring and Performance Insights on the key', () => {
    const { template } = make();
    const instances = template.findResources('AWS::RDS::DBInstance');
    const props = Object.values(instances).map((i: any) => i.Properties);
    expect(props.map((p) => p.DBInstanceIdentifier).sort()).toEqual(['dr-aurora-dev-reader-1', 'dr-aurora-dev-writer']);
    const zones = props.map((p) => JSON.stringify(p.AvailabilityZone));
    expect(new Set(zones).size).toBe(2);
    for (const p of props) {
      expect(p).toMatchObject({
        DBInstanceClass: 'db.serverless',
        PubliclyAccessible: false,
        MonitoringInterval: 60,
        EnablePerformanceInsights: true,
        PerformanceInsightsKMSKeyId: keyRef(template),
      });
    }
    const reader = props.find((p) => p.DBInstanceIdentifier.endsWith('reader-1'));
    expect(reader.PromotionTier).toBe(1);
  });

  test('instances sit in the isolated subnets', () => {
    const { template, vpc, stack } = make();
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId)),
    });
  });

  test('the PostgreSQL log group exists before the cluster, with a year of retention, encrypted with the key', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/cluster/dr-aurora-dev/postgresql',
      RetentionInDays: 365,
      KmsKeyId: keyRef(template),
    });
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    const cluster = Object.values(template.findResources('AWS::RDS::DBCluster'))[0];
    expect(cluster.DependsOn).toContain(logGroupId);
  });

  test('the key lets CloudWatch Logs use it for that log group only', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-aurora-dev' });
  });

  test('the security group admits nothing and sends nothing until granted', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('dr-aurora-dev'),
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('exposes cluster, secret, key, security group, parameter group, endpoints and log group', () => {
    const { construct, stack } = make();
    expect(stack.resolve((construct.cluster.node.defaultChild as rds.CfnDBCluster).dbClusterParameterGroupName))
      .toEqual({ Ref: stack.getLogicalId(construct.parameterGroup.node.defaultChild as rds.CfnDBClusterParameterGroup) });
    expect(construct.cluster).toBeInstanceOf(rds.DatabaseCluster);
    expect(construct.encryptionKey).toBeInstanceOf(kms.Key);
    expect(construct.secret).toBeDefined();
    expect(construct.securityGroup).toBeInstanceOf(ec2.SecurityGroup);
    expect(construct.clusterEndpoint.hostname).toBeDefined();
    expect(construct.clusterReadEndpoint.hostname).toBeDefined();
    expect(construct.logGroup).toBeInstanceOf(logs.LogGroup);
    expect(construct.databaseName).toBe('app');
    expect(construct.backupRetentionDays).toBe(7);
  });
});

describe('DESTROY', () => {
  test('deletion protection off, cluster, logs and key deleted, warning emitted', () => {
    const { template, stack } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Delete', Properties: { DeletionProtection: false } });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    Annotations.fromStack(stack).hasWarning('/TestStack/Db', Match.stringLikeRegexp('removalPolicy is DESTROY'));
  });

  test('RETAIN keeps the cluster without a snapshot', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.RETAIN });
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Retain', Properties: { DeletionProtection: true } });
  });
});

describe('overrides', () => {
  test('provisioned instances, more readers spread over the AZs, engine version, retention, port and names', () => {
    // An environment-specific stack sees three AZs (an environment-agnostic one sees two).
    const { template } = make({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
      readers: 2,
      engineVersion: rds.AuroraPostgresEngineVersion.VER_16_11,
      backupRetention: Duration.days(35),
      port: 6543,
      databaseName: 'ledger',
      masterUsername: 'owner',
      logRetention: logs.RetentionDays.THREE_MONTHS,
    }, testStack({ env: { account: '123456789012', region: 'eu-west-1' } }));
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      EngineVersion: '16.11',
      BackupRetentionPeriod: 35,
      Port: 6543,
      DatabaseName: 'ledger',
      MasterUsername: 'owner',
      ServerlessV2ScalingConfiguration: Match.absent(),
    });
    const instances = Object.values(template.findResources('AWS::RDS::DBInstance')).map((i: any) => i.Properties);
    expect(instances).toHaveLength(3);
    expect(instances.every((p) => p.DBInstanceClass === 'db.r6g.large')).toBe(true);
    expect(new Set(instances.map((p) => JSON.stringify(p.AvailabilityZone))).size).toBe(3);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('serverless capacity', () => {
    const { template } = make({ serverlessV2MinCapacity: 0, serverlessV2MaxCapacity: 16 });
    template.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 16 } });
  });
});

describe('bring your own', () => {
  test('key: used for storage, secret, PI and logs; no key created', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'MyKey');
    const { template, construct } = make({ encryptionKey: key }, stack);
    const ref = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::KMS::Alias', 0);
    template.hasResourceProperties('AWS::RDS::DBCluster', { KmsKeyId: ref, MasterUserSecret: { KmsKeyId: ref } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: ref });
    expect(construct.encryptionKey).toBe(key);
  });

  test('VPC and subnets: an imported VPC with two isolated AZs', () => {
    const stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-1234',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      isolatedSubnetIds: ['subnet-a', 'subnet-b'],
    });
    const { template } = make({ vpc }, stack);
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: ['subnet-a', 'subnet-b'] });
    const zones = Object.values(template.findResources('AWS::RDS::DBInstance')).map((i: any) => i.Properties.AvailabilityZone).sort();
    expect(zones).toEqual(['eu-west-1a', 'eu-west-1b']);
  });
});

describe('grants', () => {
  test('allowDefaultPortFrom opens the port to that peer only', () => {
    const stack = testStack();
    const { construct, vpc } = make({}, stack);
    const peer = new ec2.SecurityGroup(stack, 'App', { vpc });
    construct.allowDefaultPortFrom(peer);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      // A literal port, so the rule can be checked at synth (cdk-nag cannot rule out SSH on a token).
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(peer.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
      GroupId: { 'Fn::GetAtt': [stack.getLogicalId(construct.securityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
    });
  });

  test('grantConnect grants rds-db:connect for that database user', () => {
    const stack = testStack();
    const { construct } = make({}, stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    construct.grantConnect(role, 'app_user');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: 'rds-db:connect',
          Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':dbuser:'), '/app_user'])] },
        })],
      },
    });
  });

  test('grantSecretRead grants reading the secret and decrypting with the key', () => {
    const stack = testStack();
    const { construct } = make({}, stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    construct.grantSecretRead(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbCluster'), 'MasterUserSecret.SecretArn'] },
        }],
      },
    });
    // Decrypt is granted in the key policy, only through Secrets Manager.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'kms:Decrypt',
          Principal: { AWS: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'] } },
          Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
        })]),
      },
    });
  });
});

describe('validation', () => {
  test.each([
    ['6 days of backups', { backupRetention: Duration.days(6) }, /`backupRetention` must be a whole number of days from 7 to 35, got: 6 days/],
    ['36 days of backups', { backupRetention: Duration.days(36) }, /`backupRetention` must be a whole number of days from 7 to 35, got: 36 days/],
    ['0 readers', { readers: 0 }, /`readers` must be a whole number from 1 to 15, got: 0/],
    ['16 readers', { readers: 16 }, /`readers` must be a whole number from 1 to 15, got: 16/],
    ['1.5 readers', { readers: 1.5 }, /`readers` must be a whole number from 1 to 15, got: 1.5/],
    ['engine 13', { engineVersion: rds.AuroraPostgresEngineVersion.of('13.20', '13') }, /`engineVersion` must be Aurora PostgreSQL 14 or newer .*got: "13.20"/],
    ['port 80', { port: 80 }, /`port` must be a whole number from 1150 to 65535, the ports an Aurora PostgreSQL cluster can listen on, got: 80/],
    ['monitoring every 2 s', { monitoringInterval: Duration.seconds(2) }, /`monitoringInterval` must be one of 1, 5, 10, 15, 30, 60 seconds, got: 2 seconds/],
    ['min capacity 0.3', { serverlessV2MinCapacity: 0.3 }, /`serverlessV2MinCapacity` must be 0 to 256 ACUs in steps of 0.5, got: 0.3/],
    ['max capacity 0.5', { serverlessV2MaxCapacity: 0.5 }, /`serverlessV2MaxCapacity` must be 1 to 256 ACUs/],
    ['min above max', { serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 4 }, /`serverlessV2MinCapacity` \(8\) must not exceed `serverlessV2MaxCapacity` \(4\)/],
  ] as const)('rejects %s', (_name, props, message) => {
    expect(() => make(props as Partial<EncryptedAuroraProps>)).toThrow(message);
  });

  test('rejects subnets in a single AZ', () => {
    const stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'OneAz', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-a'] });
    expect(() => make({ vpc }, stack)).toThrow(/`vpcSubnets` must select subnets in at least 2 Availability Zones .*got: 1 \(eu-west-1a\)/);
  });

  test('the suffix limit comes from the longest instance identifier', () => {
    // 'dr-aurora-' + suffix + '-reader-1' must fit 63: 44 characters.
    expect(() => make({ environmentSuffix: 'a'.repeat(44) })).not.toThrow();
    expect(() => make({ environmentSuffix: 'a'.repeat(45) })).toThrow(
      /`environmentSuffix` must be at most 44 characters here, got: "a{45}" \(45 characters\), which makes the Aurora reader instance identifier name "dr-aurora-a{45}-reader-1" 64 characters long \(limit 63\)/,
    );
    // Ten or more readers take a digit more.
    expect(() => make({ environmentSuffix: 'a'.repeat(44), readers: 10 })).toThrow(/at most 43 characters/);
  });
});
