import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraGlobalSecondary, AuroraGlobalSecondaryProps, EncryptedAurora } from '../../src';
import { acknowledgeNotInBackupPlan, complianceTest, isolatedVpc, nagFindings, synth, testStack } from '../util';

const ENV = { account: '111111111111', region: 'us-west-2' };

function make(props: Partial<AuroraGlobalSecondaryProps> = {}, stack: Stack = testStack({ env: ENV })) {
  const vpc = props.vpc ?? isolatedVpc(stack);
  const construct = new AuroraGlobalSecondary(stack, 'Secondary', {
    environmentSuffix: 'prod',
    vpc,
    globalClusterIdentifier: 'dr-aurora-global-prod',
    ...props,
  });
  return { stack, construct, vpc, get template() { return Template.fromStack(stack); } };
}

const onlyId = (template: Template, type: string) => {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
};
const keyRef = (template: Template) => ({ 'Fn::GetAtt': [onlyId(template, 'AWS::KMS::Key'), 'Arn'] });

describe('defaults', () => {
  test('joins the global cluster: same identifier as the primary, the default engine version, encrypted with its own key, protected, snapshot on delete', () => {
    const { template } = make();
    template.resourceCountIs('AWS::RDS::DBCluster', 1);
    template.hasResource('AWS::RDS::DBCluster', {
      Properties: {
        DBClusterIdentifier: 'dr-aurora-prod',
        GlobalClusterIdentifier: 'dr-aurora-global-prod',
        Engine: 'aurora-postgresql',
        EngineVersion: '17.9',
        StorageEncrypted: true,
        KmsKeyId: keyRef(template),
        DeletionProtection: true,
        EnableIAMDatabaseAuthentication: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        BackupRetentionPeriod: 7,
        CopyTagsToSnapshot: true,
        Port: 5432,
        ServerlessV2ScalingConfiguration: { MinCapacity: 2, MaxCapacity: 4 },
      },
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
    template.resourceCountIs('AWS::RDS::GlobalCluster', 0);
  });

  test('no master credentials, managed password, database name, secret or secret attachment', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      MasterUsername: Match.absent(),
      MasterUserPassword: Match.absent(),
      ManageMasterUserPassword: Match.absent(),
      MasterUserSecret: Match.absent(),
      DatabaseName: Match.absent(),
      SnapshotIdentifier: Match.absent(),
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 0);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/resolve:secretsmanager/);
  });

  test('TLS is forced by the cluster parameter group', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Family: 'aurora-postgresql17',
      Parameters: Match.objectLike({ 'rds.force_ssl': '1', 'ssl_min_protocol_version': 'TLSv1.2' }),
    });
    template.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterParameterGroupName: { Ref: onlyId(template, 'AWS::RDS::DBClusterParameterGroup') } });
  });

  test('one Serverless v2 instance: private, monitored, Performance Insights on the key, in the cluster', () => {
    const { template, construct } = make();
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    template.hasResource('AWS::RDS::DBInstance', {
      Properties: {
        DBInstanceIdentifier: 'dr-aurora-prod-instance-1',
        DBClusterIdentifier: { Ref: onlyId(template, 'AWS::RDS::DBCluster') },
        DBInstanceClass: 'db.serverless',
        Engine: 'aurora-postgresql',
        PubliclyAccessible: false,
        AutoMinorVersionUpgrade: Match.absent(),
        EnablePerformanceInsights: true,
        PerformanceInsightsKMSKeyId: keyRef(template),
        MonitoringInterval: 60,
        MonitoringRoleArn: { 'Fn::GetAtt': [onlyId(template, 'AWS::IAM::Role'), 'Arn'] },
        MasterUsername: Match.absent(),
      },
      // A cluster member's policy: the cluster decides about snapshots.
      DeletionPolicy: 'Delete',
    });
    expect(construct.instances).toHaveLength(1);
  });

  test('isolated subnets, and a security group that admits nothing', () => {
    const { template, vpc, stack } = make();
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId)) });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('dr-aurora-prod'),
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('its own key in this region, alias/dr-aurora-{suffix}, and the log group created first', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-aurora-prod' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/cluster/dr-aurora-prod/postgresql',
      RetentionInDays: 365,
      KmsKeyId: keyRef(template),
    });
    const cluster = Object.values(template.findResources('AWS::RDS::DBCluster'))[0];
    expect(cluster.DependsOn).toContain(onlyId(template, 'AWS::Logs::LogGroup'));
  });

  test('exposes the cluster as an rds.IDatabaseCluster with its endpoints, port and connections', () => {
    const { construct, stack } = make();
    const resolve = (v: unknown) => stack.resolve(v);
    const clusterId = stack.getLogicalId(construct.cfnCluster);
    expect(resolve(construct.cluster.clusterIdentifier)).toEqual({ Ref: clusterId });
    expect(resolve(construct.clusterEndpoint.hostname)).toEqual({ 'Fn::GetAtt': [clusterId, 'Endpoint.Address'] });
    expect(resolve(construct.clusterReadEndpoint.hostname)).toEqual({ 'Fn::GetAtt': [clusterId, 'ReadEndpoint.Address'] });
    expect(construct.cluster.clusterEndpoint.port).toBe(5432);
    expect(construct.port).toBe(5432);
    expect(construct.clusterIdentifier).toBe('dr-aurora-prod');
    expect(construct.globalClusterIdentifier).toBe('dr-aurora-global-prod');
    expect(construct.databaseName).toBe('app');
    expect(construct.serverlessV2MinCapacity).toBe(2);
    expect(construct.serverlessV2MaxCapacity).toBe(4);
    expect(construct.encryptionKey).toBeInstanceOf(kms.Key);
    expect(construct.securityGroup).toBeInstanceOf(ec2.SecurityGroup);
    expect(construct.parameterGroup).toBeInstanceOf(rds.ParameterGroup);
    expect(construct.cluster.connections.securityGroups).toEqual([construct.securityGroup]);
    expect(construct.cluster.engine?.engineType).toBe('aurora-postgresql');
  });
});

describe('lag metrics', () => {
  test.each([
    ['metricRpoLag', 'AuroraGlobalDBRPOLag'],
    ['metricReplicationLag', 'AuroraGlobalDBReplicationLag'],
  ] as const)('%s reads %s for the secondary cluster, maximum over a minute, in ms', (method, metricName) => {
    const { construct } = make();
    const metric = construct[method]();
    expect(metric.namespace).toBe('AWS/RDS');
    expect(metric.metricName).toBe(metricName);
    expect(metric.dimensions).toEqual({ DBClusterIdentifier: 'dr-aurora-prod' });
    expect(metric.statistic).toBe('Maximum');
    expect(metric.period.toSeconds()).toBe(60);
    expect(metric.unit).toBe('Milliseconds');
    expect(construct[method]({ statistic: 'Average' }).statistic).toBe('Average');
  });
});

describe('DESTROY', () => {
  test('deletion protection off; cluster, instance, logs, subnet group and key deleted; warning', () => {
    const { template, stack } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Delete', Properties: { DeletionProtection: false } });
    template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::RDS::DBSubnetGroup', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    Annotations.fromStack(stack).hasWarning('/TestStack/Secondary', Match.stringLikeRegexp('removalPolicy is DESTROY'));
  });

  test('RETAIN keeps cluster and instances, protected', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.RETAIN });
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Retain', Properties: { DeletionProtection: true } });
    template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Retain' });
  });
});

test.each([
  ['serverless', {}, 1],
  ['serverless, 4 instances', { instances: 4 }, 4],
  ['provisioned, 3 instances', { instances: 3, instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }, 3],
] as Array<[string, Partial<AuroraGlobalSecondaryProps>, number]>)('%s: no instance sets AutoMinorVersionUpgrade (no effect on a global database member)', (_, props, count) => {
  const instances = Object.values(make(props).template.findResources('AWS::RDS::DBInstance'));
  expect(instances).toHaveLength(count);
  expect(instances.map((r) => 'AutoMinorVersionUpgrade' in r.Properties)).toEqual(instances.map(() => false));
});

describe('overrides', () => {
  test('provisioned instances spread over the AZs, engine version, port and database name', () => {
    const { template, construct } = make({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
      instances: 3,
      engineVersion: rds.AuroraPostgresEngineVersion.VER_16_11,
      port: 6543,
      databaseName: 'ledger',
    });
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      EngineVersion: '16.11',
      Port: 6543,
      DatabaseName: Match.absent(),
      ServerlessV2ScalingConfiguration: Match.absent(),
    });
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Family: 'aurora-postgresql16' });
    const instances = Object.values(template.findResources('AWS::RDS::DBInstance')).map((i: any) => i.Properties);
    expect(instances.map((p) => p.DBInstanceIdentifier).sort()).toEqual(['dr-aurora-prod-instance-1', 'dr-aurora-prod-instance-2', 'dr-aurora-prod-instance-3']);
    expect(instances.every((p) => p.DBInstanceClass === 'db.r6g.large')).toBe(true);
    expect(new Set(instances.map((p) => JSON.stringify(p.AvailabilityZone))).size).toBe(3);
    expect(construct.databaseName).toBe('ledger');
    expect(construct.serverlessV2MinCapacity).toBeUndefined();
    expect(construct.cluster.clusterEndpoint.port).toBe(6543);
  });

  test('serverless capacity sized like the primary', () => {
    const { template } = make({ serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 32 });
    template.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: { MinCapacity: 8, MaxCapacity: 32 } });
  });
});

describe('bring your own', () => {
  test('a key of this region by alias ARN (the foundation key): used for storage, PI and logs; no key or alias created', () => {
    const stack = testStack({ env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'FoundationKey', 'arn:aws:kms:us-west-2:111111111111:alias/dr-aurora-prod');
    const { template, construct } = make({ encryptionKey: key }, stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::KMS::Alias', 0);
    const arn = 'arn:aws:kms:us-west-2:111111111111:alias/dr-aurora-prod';
    template.hasResourceProperties('AWS::RDS::DBCluster', { KmsKeyId: arn });
    template.hasResourceProperties('AWS::RDS::DBInstance', { PerformanceInsightsKMSKeyId: arn });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: arn });
    expect(construct.encryptionKey).toBe(key);
  });

  test('an imported VPC with two isolated AZs', () => {
    const stack = testStack({ env: ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-1234', availabilityZones: ['us-west-2a', 'us-west-2b'], isolatedSubnetIds: ['subnet-a', 'subnet-b'],
    });
    const { template } = make({ vpc, instances: 2 }, stack);
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: ['subnet-a', 'subnet-b'] });
    const zones = Object.values(template.findResources('AWS::RDS::DBInstance')).map((i: any) => i.Properties.AvailabilityZone).sort();
    expect(zones).toEqual(['us-west-2a', 'us-west-2b']);
  });
});

describe('grants', () => {
  test('allowDefaultPortFrom opens the port to that peer only', () => {
    const stack = testStack({ env: ENV });
    const { construct, vpc } = make({}, stack);
    const peer = new ec2.SecurityGroup(stack, 'App', { vpc });
    construct.allowDefaultPortFrom(peer);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(peer.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
    });
  });

  test('grantConnect grants rds-db:connect on this cluster for that user', () => {
    const stack = testStack({ env: ENV });
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
});

describe('validation', () => {
  test.each([
    ['0 instances', { instances: 0 }, /`instances` must be a whole number from 1 to 16, got: 0/],
    ['17 instances', { instances: 17 }, /`instances` must be a whole number from 1 to 16, got: 17/],
    ['1.5 instances', { instances: 1.5 }, /`instances` must be a whole number from 1 to 16, got: 1.5/],
    ['a token instance count', { instances: Token.asNumber({ Ref: 'N' }) }, /`instances` must be a concrete number from 1 to 16, not a token/],
    ['burstable db.t4g.medium', { instanceType: new ec2.InstanceType('t4g.medium') }, /`instanceType` must not be a burstable class \(db.t\*\).*got: db.t4g.medium/],
    ['burstable db.t3.large', { instanceType: new ec2.InstanceType('t3.large') }, /`instanceType` must not be a burstable class.*got: db.t3.large/],
    ['capacity with an instance type', { instanceType: new ec2.InstanceType('r6g.large'), serverlessV2MinCapacity: 8 },
      /`serverlessV2MinCapacity` applies only to Aurora Serverless v2 and would be ignored with `instanceType` \(r6g.large\)/],
    ['min capacity 0.3', { serverlessV2MinCapacity: 0.3 }, /`serverlessV2MinCapacity` must be 0 to 256 ACUs in steps of 0.5, got: 0.3/],
    ['min above max', { serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 4 }, /`serverlessV2MinCapacity` \(8\) must not exceed `serverlessV2MaxCapacity` \(4\)/],
    ['engine 13', { engineVersion: rds.AuroraPostgresEngineVersion.of('13.20', '13') }, /`engineVersion` must be Aurora PostgreSQL 14 or newer .*got: "13.20"/],
    ['port 80', { port: 80 }, /`port` must be a whole number from 1150 to 65535, the ports an Aurora PostgreSQL cluster can listen on, got: 80/],
    ['a reserved database name', { databaseName: 'select' }, /`databaseName` must not be a PostgreSQL reserved word, got: "select"/],
    ['an empty global cluster id', { globalClusterIdentifier: '' }, /`globalClusterIdentifier` must be 1 to 63 letters, digits or hyphens.*got: ""/],
    ['a global cluster id with underscores', { globalClusterIdentifier: 'dr_aurora' }, /`globalClusterIdentifier` must be .*got: "dr_aurora"/],
    ['a global cluster id ending in a hyphen', { globalClusterIdentifier: 'dr-aurora-' }, /`globalClusterIdentifier` must be .*got: "dr-aurora-"/],
    ['a global cluster id of 64 characters', { globalClusterIdentifier: 'a'.repeat(64) }, /`globalClusterIdentifier` must be 1 to 63/],
    ['a bad suffix', { environmentSuffix: 'Prod_1' }, /`environmentSuffix` must match/],
    ['a key of another region', { encryptionKey: kms.Key.fromKeyArn(testStack({ env: ENV }), 'K', 'arn:aws:kms:us-east-1:111111111111:key/abc') },
      /`encryptionKey` must be a KMS key in the stack's region us-west-2/],
  ] as const)('rejects %s', (_name, props, message) => {
    expect(() => make(props as Partial<AuroraGlobalSecondaryProps>)).toThrow(message);
  });

  test('a global cluster id given as a token is left to RDS', () => {
    expect(() => make({ globalClusterIdentifier: Token.asString({ Ref: 'Id' }) })).not.toThrow();
  });

  test('rejects subnets in a single AZ', () => {
    const stack = testStack({ env: ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'OneAz', { vpcId: 'vpc-1', availabilityZones: ['us-west-2a'], isolatedSubnetIds: ['subnet-a'] });
    expect(() => make({ vpc }, stack)).toThrow(/`vpcSubnets` must select subnets in at least 2 Availability Zones .*got: 1 \(us-west-2a\)/);
  });

  test('the suffix limit comes from the instance identifier', () => {
    // 'dr-aurora-' + suffix + '-instance-1' must fit 63: 42 characters.
    expect(() => make({ environmentSuffix: 'a'.repeat(42) })).not.toThrow();
    expect(() => make({ environmentSuffix: 'a'.repeat(43) })).toThrow(/`environmentSuffix` must be at most 42 characters here/);
    expect(() => make({ environmentSuffix: 'a'.repeat(42), instances: 10 })).toThrow(/at most 41 characters/);
  });

  test('the primary and a secondary of the same suffix cannot share a region', () => {
    const stack = testStack({ env: ENV });
    new EncryptedAurora(stack, 'Primary', { environmentSuffix: 'prod', vpc: isolatedVpc(stack, 'PrimaryVpc'), globalSecondaryRegions: ['us-east-1'] });
    expect(() => make({}, stack)).toThrow(/gives the Aurora cluster identifier name "dr-aurora-prod", which TestStack\/Primary already uses/);
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
