import { CfnResource, Duration, RemovalPolicy, Stack, TagManager } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  DataAccess, HandlerRuntime, PlatformBucket, PlatformDatabase, PlatformTable, ProtectedResourceType, RestoreDrills,
  SingleRegionDrPlatform, SingleRegionDrPlatformProps,
} from '../../src';
import { complianceTest, isolatedVpc, missingEndpoints, nagFindings, publishersWithoutKeyAccess, synth, testApp, testStack } from '../util';

/** The newest Node.js runtime this aws-cdk-lib declares: cdk-nag's AwsSolutions-L1 flags any other. */
const NEWEST_NODE = HandlerRuntime.newestNodejs(testApp());

const ENV = { account: '123456789012', region: 'eu-west-1' };
const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })');

function make(props: Partial<SingleRegionDrPlatformProps> = {}, stack: Stack = testStack({ env: ENV })) {
  const platform = new SingleRegionDrPlatform(stack, 'Platform', { environmentSuffix: 'dev', ...props });
  return { stack, platform, get template() { return Template.fromStack(stack); } };
}

function withFunction(props: Partial<SingleRegionDrPlatformProps> = {}, stack?: Stack) {
  const f = make(props, stack);
  const fn = f.platform.addFunction('Processor', { code, handler: 'index.handler', runtime: NEWEST_NODE });
  return { ...f, fn };
}

describe('defaults', () => {
  test('a VPC over 3 AZs: public and isolated subnets, no NAT, S3 and DynamoDB gateway endpoints, encrypted flow logs', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::EC2::VPC', { Tags: Match.arrayWith([{ Key: 'Name', Value: 'dr-vpc-dev' }]) });
    const subnets = Object.values<any>(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties);
    expect(subnets).toHaveLength(6);
    expect(new Set(subnets.map((s) => s.AvailabilityZone)).size).toBe(3);
    for (const s of subnets) expect(s.MapPublicIpOnLaunch).toBe(false);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    const gateways = Object.values<any>(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
    expect(gateways.map((g) => g.Properties.ServiceName['Fn::Join'][1][2]).sort()).toEqual(['.dynamodb', '.s3']);
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', LogDestinationType: 'cloud-watch-logs', TrafficType: 'ALL' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/dr/dev/vpc-flow-logs', KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
  });

  test('the database, table and bucket, all protected by one hourly backup plan by ARN', () => {
    const { template, platform, stack } = make();
    template.resourceCountIs('AWS::RDS::DBCluster', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::Backup::BackupPlan', 1);
    const selection = Object.values<any>(template.findResources('AWS::Backup::BackupSelection'))[0].Properties.BackupSelection;
    expect(selection.Resources).toHaveLength(3);
    const tableId = stack.getLogicalId(platform.table.table.node.defaultChild as dynamodb.CfnTable);
    expect(selection.Resources).toContainEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
    expect(platform.backup.coverage.map((c) => c.resourceType))
      .toEqual([ProtectedResourceType.AURORA, ProtectedResourceType.DYNAMODB, ProtectedResourceType.S3]);
  });

  test('the database sits in the platform VPC\'s isolated subnets, writer and reader in different AZs', () => {
    const { template, platform, stack } = make();
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: platform.vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId)) });
    const zones = Object.values<any>(template.findResources('AWS::RDS::DBInstance')).map((i) => JSON.stringify(i.Properties.AvailabilityZone));
    expect(new Set(zones).size).toBe(2);
  });

  test('the platform owns one alarm topic and hands it to the backup and the alarms', () => {
    const { template, platform, stack } = make({ alarmEmails: ['oncall@example.com'] });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'dr-alarms-dev' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'oncall@example.com' });
    expect(platform.alarms.alarmTopic).toBe(platform.alarmTopic);
    expect(platform.backup.alarmTopic).toBe(platform.alarmTopic);
    const topicRef = { Ref: stack.getLogicalId(platform.alarmTopic.node.defaultChild as any) };
    template.hasResourceProperties('AWS::Backup::BackupVault', { Notifications: { SNSTopicArn: topicRef } });
    // Every backup notification rule; the monitor's schedule and the drill validator's rule invoke their functions.
    const rules = Object.entries<any>(template.findResources('AWS::Events::Rule'));
    const notificationRules = rules.filter(([id]) => id.startsWith('PlatformBackup'));
    expect(notificationRules.length).toBeGreaterThanOrEqual(3);
    for (const [, rule] of notificationRules) {
      expect(rule.Properties.Targets.map((t: any) => t.Arn)).toEqual([topicRef]);
    }
    expect(rules.map(([id]) => id).filter((id) => !id.startsWith('PlatformBackup')).sort())
      .toEqual([expect.stringMatching(/^PlatformRecoveryPointsSchedule/), expect.stringMatching(/^PlatformRestoreDrillRestoreCompletedRule/)]);
    const alarms = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'));
    // Backup 4, Aurora 5, table 3, measured RPO 3 + 1, AWS Backup age of Aurora and table 2,
    // drills 3 types x (RTO, failed, snapshot overdue) and continuous overdue for Aurora and S3.
    expect(alarms).toHaveLength(4 + 5 + 3 + 4 + 2 + 9 + 2);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-backup-missing-dev', TreatMissingData: 'breaching' });
  });

  test('the RPO is measured per store and alarmed at the RPO, or at what snapshots allow for the bucket', () => {
    const { template, platform } = make();
    expect(platform.recoveryPoints.resources.map((r) => [r.name, r.alarmThreshold.toMinutes()]))
      .toEqual([['database', 60], ['table', 60], ['bucket', 180]]);
    for (const [name, seconds] of [['database', 3600], ['table', 3600], ['bucket', 10800]] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `dr-rpo-${name}-dev`,
        MetricName: 'EffectiveRpo',
        Namespace: 'CdkDrPlatform/Recovery',
        Dimensions: Match.arrayWith([{ Name: 'Environment', Value: 'dev' }, { Name: 'Resource', Value: name }, { Name: 'service', Value: 'recovery-point-monitor' }]),
        Threshold: seconds,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
      });
    }
    // AWS Backup's own points, apart from PITR: 1 hour plus the plan's completion window.
    for (const name of ['database', 'table']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `dr-backup-age-${name}-dev`, MetricName: 'BackupRecoveryPointAge', Threshold: 3600 + platform.backup.completionWindow.toSeconds(),
      });
    }
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmName: 'dr-backup-age-bucket-dev' }, 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-recovery-monitor-dev',
      Environment: { Variables: Match.objectLike({ DRILL_PLANS: Match.anyValue() }) },
    });
    // Both drill plans are measured, each with the types it drills.
    expect(platform.recoveryPoints.drillPlans.map((p) => [p.name, p.resourceTypes])).toEqual([
      ['snapshot', ['Aurora', 'DynamoDB', 'S3']], ['continuous', ['Aurora', 'S3']],
    ]);
  });

  test('weekly restore drills of all three stores, their RTO held to the platform rto', () => {
    const { template, platform } = make({ rto: Duration.hours(2) });
    expect(platform.restoreDrill?.resourceTypes).toEqual(['Aurora', 'DynamoDB', 'S3']);
    // Snapshots of all three, and continuous (PITR) points of the cluster and the bucket.
    template.resourceCountIs('AWS::Backup::RestoreTestingSelection', 5);
    for (const type of ['aurora', 'dynamodb', 's3']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `dr-drill-${type}-rto-dev`, Threshold: 7200, TreatMissingData: 'ignore' });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `dr-drill-${type}-failed-dev`, Threshold: 1, TreatMissingData: 'ignore' });
      for (const plan of type === 'dynamodb' ? ['snapshot'] : ['snapshot', 'continuous']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `dr-drill-${type}-${plan}-overdue-dev`,
          MetricName: 'LastValidatedDrillAge',
          Threshold: 7 * 24 + 24,
          TreatMissingData: 'breaching',
          Dimensions: Match.arrayWith([{ Name: 'DrillPlan', Value: plan }]),
        });
      }
    }
    // DynamoDB's PITR is the table's own: no continuous drill, so no continuous overdue alarm.
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmName: 'dr-drill-dynamodb-continuous-overdue-dev' }, 0);
  });

  test('restoreDrills: RestoreDrills.disabled() leaves the drills out, and the RPO is still measured', () => {
    const { template, platform } = make({ restoreDrills: RestoreDrills.disabled() });
    expect(platform.restoreDrill).toBeUndefined();
    template.resourceCountIs('AWS::Backup::RestoreTestingPlan', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-rpo-database-dev' });
    expect(platform.alarms.alarms.length).toBe(4 + 5 + 3 + 4 + 2);
  });

  test.each([
    ['default props', {}],
    ['DESTROY', { removalPolicy: RemovalPolicy.DESTROY }],
    ['an imported VPC', 'imported'],
  ] as const)('with %s, every taggable resource carries Environment, DR-Role and the objectives', (_label, props) => {
    const stack = testStack({ env: ENV });
    const vpc = props === 'imported' ? ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'], isolatedSubnetIds: ['subnet-1', 'subnet-2'],
    }) : undefined;
    const { template } = withFunction(props === 'imported' ? { vpc } : props, stack);
    template.toJSON();
    // Every L1 in the stack whose type takes tags, whether or not it has any:
    // the stack holds only what the platform made, so nothing may be left out.
    const taggable = stack.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && (TagManager.isTaggable(c) || TagManager.isTaggableV2(c)));
    expect(taggable.length).toBeGreaterThan(props === 'imported' ? 25 : 35);
    const untagged = taggable.filter((c) => {
      const tags = TagManager.of(c)!.tagValues();
      return tags.Environment !== 'dev' || tags['DR-Role'] !== 'primary' || tags['DR-RPO'] !== 'PT1H' || tags['DR-RTO'] !== 'PT4H';
    }).map((c) => `${c.node.path} (${c.cfnResourceType})`);
    expect(untagged).toEqual([]);
    // The shared endpoints and their security group are among them.
    const types = new Set(taggable.map((c) => c.cfnResourceType));
    expect([...types]).toEqual(expect.arrayContaining(['AWS::EC2::VPCEndpoint', 'AWS::EC2::SecurityGroup']));
    // In the template too, for the resources that render tags as a list.
    for (const r of Object.values<any>(template.toJSON().Resources).filter((x) => Array.isArray(x.Properties?.Tags))) {
      expect(r.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'Environment', Value: 'dev' }, { Key: 'DR-Role', Value: 'primary' }]));
    }
  });

  test('one DESTROY warning for the whole platform, none from its children', () => {
    const { stack } = withFunction({ removalPolicy: RemovalPolicy.DESTROY });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('removalPolicy is DESTROY'));
    expect(warnings.map((w) => w.id)).toEqual(['/TestStack/Platform']);
  });

  test('outputs for the operator', () => {
    const { template } = make();
    const outputs = Object.keys(template.findOutputs('*'));
    for (const name of ['VpcId', 'DatabaseEndpoint', 'DatabaseReaderEndpoint', 'DatabaseSecretArn', 'TableName', 'BucketName',
      'BackupVaultName', 'BackupPlanId', 'AlarmTopicArn', 'DashboardName', 'RecoveryObjectives', 'FunctionNames', 'BackupCoverage']) {
      expect(outputs.some((o) => o.includes(name))).toBe(true);
    }
    expect(Object.values<any>(template.findOutputs('*')).find((o) => o.Description === 'Recovery objectives of this deployment').Value).toBe('RPO 1 hour, RTO 4 hours');
  });

  test('data is retained: nothing of the data layer is deleted with the stack', () => {
    const { template } = make();
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', Properties: { DeletionProtection: true } });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: { DeletionProtectionEnabled: true } });
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Backup::BackupVault']) {
      for (const r of Object.values<any>(template.findResources(type))) expect(r.DeletionPolicy).toBe('Retain');
    }
    template.resourceCountIs('Custom::DrBackupVaultDrain', 0);
  });
  test('every service that publishes to the encrypted alarm topic may use its key', () => {
    const template = withFunction().template.toJSON();
    expect(publishersWithoutKeyAccess(template)).toEqual([]);
  });
});

describe('addFunction', () => {
  test('a VpcLambda wired to the database, table and bucket, watched by the alarms, in the coverage as restored by redeploy', () => {
    const { template, platform, fn } = withFunction();
    expect(platform.functions).toEqual([fn]);
    const env = Object.values<any>(template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-processor-dev' } }))[0].Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(['BUCKET_NAME', 'DB_HOST', 'DB_NAME', 'DB_PORT', 'DB_READER_HOST', 'DB_SECRET_ARN', 'TABLE_NAME']);
    for (const metric of ['errors', 'throttles', 'duration']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `dr-fn-processor-${metric}-dev` });
    }
    const lambdaCoverage = platform.backup.coverage.find((c) => c.resourceType === ProtectedResourceType.LAMBDA)!;
    expect(lambdaCoverage).toMatchObject({ name: 'TestStack/Platform/Processor/Function', inBackupPlan: false });
    expect(Object.values<any>(template.findOutputs('*')).find((o) => o.Description === 'Functions added to the platform').Value).toBe('dr-processor-dev');
  });

  test('every service a platform function may call is reachable without NAT', () => {
    const { template } = withFunction();
    expect(missingEndpoints(template.toJSON() as any)).toEqual([]);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('options narrow the wiring', () => {
    const { stack, platform } = make();
    platform.addFunction('Reader', { code, handler: 'index.handler', runtime: NEWEST_NODE, connectDatabase: false, tableAccess: DataAccess.READ, bucketAccess: DataAccess.READ });
    const template = Template.fromStack(stack);
    const env = Object.values<any>(template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-reader-dev' } }))[0].Properties.Environment.Variables;
    expect(env.DB_HOST).toBeUndefined();
    const statements = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('dr-reader-dev') } }))[0]
      .Properties.PolicyDocument.Statement;
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(actions).not.toContain('s3:PutObject');
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
  });
});

describe('options pass through to each child', () => {
  test('database, table, bucket, backup and alarms', () => {
    const { template } = make({
      database: PlatformDatabase.encryptedAurora({ readers: 2, backupRetention: Duration.days(14) }),
      table: PlatformTable.pitrTable({ partitionKey: { name: 'transactionId', type: dynamodb.AttributeType.STRING }, timeToLiveAttribute: 'expiresAt' }),
      bucket: PlatformBucket.versionedBucket({ noncurrentVersionExpiration: Duration.days(60) }),
      backup: { retention: Duration.days(30) },
      alarms: { thresholds: { databaseCpuPercent: 90 } },
      rpo: Duration.hours(2),
      rto: Duration.hours(8),
    });
    template.resourceCountIs('AWS::RDS::DBInstance', 3);
    template.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 14 });
    template.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'transactionId', KeyType: 'HASH' }], TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 60 } })] } });
    template.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanRule: Match.arrayWith([Match.objectLike({ RuleName: 'hourly-snapshots', Lifecycle: { DeleteAfterDays: 30 } })]) } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-aurora-cpu-dev', Threshold: 90 });
    expect(Object.values<any>(template.findOutputs('*')).find((o) => o.Description === 'Recovery objectives of this deployment').Value).toBe('RPO 2 hours, RTO 8 hours');
  });

  test('the backup warns when the bucket\'s noncurrent versions expire before its retention; the retention is written once', () => {
    const { stack, platform } = make({ backup: { retention: Duration.days(90) } });
    Annotations.fromStack(stack).hasWarning('/TestStack/Platform/Backup', Match.stringLikeRegexp('expire after 30 days, shorter than `retention` \\(90 days\\)'));
    expect(platform.backup.retention.toDays()).toBe(90);
    const quiet = make({
      bucket: PlatformBucket.versionedBucket({ noncurrentVersionExpiration: Duration.days(90) }), backup: { retention: Duration.days(90) },
    });
    Annotations.fromStack(quiet.stack).hasNoWarning('*', Match.stringLikeRegexp('noncurrent versions'));
  });

  test('the RPO is HourlyBackup\'s, defaulted in one place and read back for tags and outputs', () => {
    const { platform, template } = make({ rpo: Duration.hours(2) });
    expect(platform.backup.rpo.toHours()).toBe(2);
    template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: Match.arrayWith([{ Key: 'DR-RPO', Value: 'PT2H' }]) });
    expect(make().platform.backup.rpo.toHours()).toBe(1);
  });

  test('a VPC passed in holds the database and the functions in its own isolated subnets', () => {
    const stack = testStack({ env: ENV });
    const vpc = new ec2.Vpc(stack, 'Mine', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const { template } = withFunction({ vpc }, stack);
    const mine = vpc.isolatedSubnets.map((sn) => stack.resolve(sn.subnetId));
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: mine });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'dr-processor-dev', VpcConfig: { SubnetIds: mine } });
    template.resourceCountIs('AWS::EC2::VPC', 1);
  });

  test('bring your own VPC', () => {
    const stack = testStack({ env: ENV });
    const vpc = isolatedVpc(stack, 'Shared');
    const { template, platform } = make({ vpc }, stack);
    expect(platform.vpc).toBe(vpc);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
  });

  test('tags can be overridden', () => {
    const { template } = make({ environmentTag: 'production', drRoleTag: 'primary-eu' });
    template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: Match.arrayWith([{ Key: 'DR-Role', Value: 'primary-eu' }, { Key: 'Environment', Value: 'production' }]) });
  });
});

describe('DESTROY: the whole stack deletes with no manual step', () => {
  test('no Retain or Snapshot deletion policy anywhere', () => {
    const { template } = withFunction({ removalPolicy: RemovalPolicy.DESTROY });
    const kept = Object.entries<any>(template.toJSON().Resources)
      .filter(([, r]) => ['Retain', 'Snapshot', 'RetainExceptOnCreate'].includes(r.DeletionPolicy) || ['Retain', 'Snapshot'].includes(r.UpdateReplacePolicy))
      .map(([id, r]) => `${id} (${r.Type})`);
    expect(kept).toEqual([]);
  });

  test('deletion protection off, every bucket emptied, the vault drained first, keys on the shortest window', () => {
    const { template, stack, platform } = withFunction({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: false });
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
    const emptied = Object.values<any>(template.findResources('Custom::S3AutoDeleteObjects')).map((r) => r.Properties.BucketName.Ref);
    expect(emptied.sort()).toEqual(buckets.sort());
    const [drainId, drain] = Object.entries<any>(template.findResources('Custom::DrBackupVaultDrain'))[0];
    expect(drain.DependsOn).toContain(stack.getLogicalId(platform.backup.vault.node.defaultChild as any));
    expect(Object.values<any>(template.findResources('AWS::Backup::BackupPlan'))[0].DependsOn).toContain(drainId);
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: Match.absent(), AccessPolicy: Match.absent() });
    for (const key of Object.values<any>(template.findResources('AWS::KMS::Key'))) expect(key.Properties.PendingWindowInDays).toBe(7);
  });
});

describe('compliance', () => {
  test.each([
    ['default props', {}],
    ['DESTROY', { removalPolicy: RemovalPolicy.DESTROY }],
  ] as const)('with %s and a function: zero unacknowledged cdk-nag findings in the whole stack', (_label, props) => {
    const { stack } = withFunction(props);
    expect(nagFindings(stack)).toEqual([]);
  });

  complianceTest.each([
    ['an environment-agnostic stack', { validate: true }],
    ['an environment-specific stack', { validate: true, env: ENV }],
  ] as const)('CloudFormation schema validation passes (strict) in %s', (_label, options) => {
    const stack = testStack(options);
    expect(stack.node.root.node.tryGetContext('@aws-cdk/core:strictCfnValidateErrors')).toBe(true);
    withFunction({}, stack);
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  test.each([
    ['a 10-minute RTO', { rto: Duration.minutes(10) }, /`rto` must be a whole number of minutes from 15 to 4320, got: 10 minutes/],
    ['a 4-day RTO', { rto: Duration.days(4) }, /`rto` must be a whole number of minutes from 15 to 4320, got: 4 days/],
    ['a bad suffix', { environmentSuffix: 'Prod_1' }, /`environmentSuffix` must match .*got: "Prod_1"/],
  ] as const)('rejects %s', (_label, props, message) => {
    expect(() => make(props as Partial<SingleRegionDrPlatformProps>)).toThrow(message);
  });

  test('the suffix limit is the tightest of every child: 26 characters in an environment-agnostic stack (the bucket name)', () => {
    expect(() => make({ environmentSuffix: 'a'.repeat(26) }, testStack())).not.toThrow();
    expect(() => make({ environmentSuffix: 'a'.repeat(27) }, testStack())).toThrow(/S3 bucket name .* \(limit 63\)/);
  });

  test('an RPO the resources cannot meet is refused', () => {
    expect(() => make({ rpo: Duration.minutes(10) })).toThrow(/`rpo` 10 minutes cannot be met for S3/);
  });
});


describe('bring your own stores (PlatformTable.fromTable, PlatformBucket.fromBucket, PlatformDatabase.fromCluster)', () => {
  const pk = { name: 'pk', type: dynamodb.AttributeType.STRING };
  type Stores = Pick<SingleRegionDrPlatformProps, 'table' | 'bucket' | 'database'>;
  interface Adopted { table?: dynamodb.ITable; bucket?: s3.IBucket; cluster?: rds.IDatabaseCluster }

  const table = {
    imported: (st: Stack, into: Adopted): Stores => {
      const t = dynamodb.Table.fromTableName(st, 'Orders', 'orders');
      Object.assign(into, { table: t });
      return { table: PlatformTable.fromTable(t, { pointInTimeRecovery: true }) };
    },
    inApp: (st: Stack, into: Adopted): Stores => {
      const t = new dynamodb.Table(st, 'Orders', { partitionKey: pk, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
      Object.assign(into, { table: t });
      return { table: PlatformTable.fromTable(t) };
    },
  };
  const bucket = {
    imported: (st: Stack, into: Adopted): Stores => {
      const b = s3.Bucket.fromBucketName(st, 'Raw', 'legacy-data');
      Object.assign(into, { bucket: b });
      return { bucket: PlatformBucket.fromBucket(b, { versioned: true }) };
    },
    inApp: (st: Stack, into: Adopted): Stores => {
      const b = new s3.Bucket(st, 'Raw', { versioned: true });
      Object.assign(into, { bucket: b });
      return { bucket: PlatformBucket.fromBucket(b) };
    },
  };
  const cluster = {
    imported: (st: Stack, into: Adopted, vpc: ec2.IVpc): Stores => {
      const c = rds.DatabaseCluster.fromDatabaseClusterAttributes(st, 'Legacy', {
        clusterIdentifier: 'legacy',
        clusterEndpointAddress: 'legacy.cluster-x.eu-west-1.rds.amazonaws.com',
        port: 5432,
        securityGroups: [new ec2.SecurityGroup(st, 'LegacySg', { vpc })],
      });
      Object.assign(into, { cluster: c });
      return {
        database: PlatformDatabase.fromCluster(c, {
          connection: { secret: secretsmanager.Secret.fromSecretNameV2(st, 'LegacySecret', 'legacy-credentials'), databaseName: 'orders' },
        }),
      };
    },
    inApp: (st: Stack, into: Adopted, vpc: ec2.IVpc): Stores => {
      const c = new rds.DatabaseCluster(st, 'Legacy', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        writer: rds.ClusterInstance.serverlessV2('writer'),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        storageEncrypted: true,
      });
      Object.assign(into, { cluster: c });
      // A cluster made in the app reports its port only at deploy: the drill reads it from the connection.
      return { database: PlatformDatabase.fromCluster(c, { connection: { secret: c.secret!, databaseName: 'postgres', port: 5432 } }) };
    },
  };

  type Kind = 'imported' | 'inApp';
  const combos: Array<[string, Kind | undefined, Kind | undefined, Kind | undefined]> = [
    ['table imported', 'imported', undefined, undefined],
    ['table in app', 'inApp', undefined, undefined],
    ['bucket imported', undefined, 'imported', undefined],
    ['bucket in app', undefined, 'inApp', undefined],
    ['cluster imported', undefined, undefined, 'imported'],
    ['cluster in app', undefined, undefined, 'inApp'],
    ['all three imported', 'imported', 'imported', 'imported'],
    ['all three in app', 'inApp', 'inApp', 'inApp'],
  ];
  test.each(combos)('%s: protected, monitored and wired exactly like its own', (_label, t, b, c) => {
    const stack = testStack({ env: ENV });
    const vpc = isolatedVpc(stack, 'Shared');
    const adopted: Adopted = {};
    const stores: Stores = {
      ...(t ? table[t](stack, adopted) : {}), ...(b ? bucket[b](stack, adopted) : {}), ...(c ? cluster[c](stack, adopted, vpc) : {}),
    };
    const { platform, template } = withFunction({ vpc, ...stores }, stack);

    // Nothing is created for an adopted store; the adopted one is the store's construct.
    template.resourceCountIs('AWS::DynamoDB::Table', t === 'inApp' ? 1 : t ? 0 : 1);
    expect(platform.table.pitrTable === undefined).toBe(t !== undefined);
    expect(platform.bucket.versionedBucket === undefined).toBe(b !== undefined);
    expect(platform.database.encryptedAurora === undefined).toBe(c !== undefined);
    if (t) expect(platform.table.table).toBe(adopted.table);
    if (b) expect(platform.bucket.bucket).toBe(adopted.bucket);
    if (c) expect(platform.database.cluster).toBe(adopted.cluster);

    // Protected: in the selection by ARN, with a known coverage.
    const selection = Object.values<any>(template.findResources('AWS::Backup::BackupSelection'))[0].Properties.BackupSelection.Resources;
    const resolve = (v: string) => stack.resolve(v);
    expect(selection).toEqual(expect.arrayContaining([
      resolve(platform.database.cluster.clusterArn), resolve(platform.table.table.tableArn), resolve(platform.bucket.bucket.bucketArn),
    ]));
    expect(platform.backup.coverage.filter((cv) => cv.inBackupPlan).map((cv) => cv.effectiveRpo?.toMinutes())).toEqual([5, 5, 15]);

    // Monitored: the database and table alarms name the adopted stores.
    const alarms = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const dims = (name: string) => alarms.find((a) => a.AlarmName === name).Dimensions[0].Value;
    expect(dims('dr-aurora-cpu-dev')).toEqual(resolve(platform.database.cluster.clusterIdentifier));
    expect(dims('dr-table-read-throttles-dev')).toEqual(resolve(platform.table.table.tableName));

    // Wired: the function's environment points at the adopted stores, and everything is reachable.
    const env = Object.values<any>(template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-processor-dev' } }))[0]
      .Properties.Environment.Variables;
    expect(env.TABLE_NAME).toEqual(resolve(platform.table.table.tableName));
    expect(env.BUCKET_NAME).toEqual(resolve(platform.bucket.bucket.bucketName));
    expect(env.DB_HOST).toEqual(resolve(platform.database.cluster.clusterEndpoint.hostname));
    expect(missingEndpoints(template.toJSON() as any)).toEqual([]);
  });

  test.each([
    ['database', { database: { readers: 2 } }, /^`database` must be PlatformDatabase.encryptedAurora\(options\) or PlatformDatabase.fromCluster\(cluster, options\), got: an object with `readers`/],
    ['table', { table: { partitionKey: pk } }, /^`table` must be PlatformTable.pitrTable\(options\) or PlatformTable.fromTable\(table, options\), got: an object with `partitionKey`/],
    ['bucket', { bucket: true }, /^`bucket` must be PlatformBucket.versionedBucket\(options\) or PlatformBucket.fromBucket\(bucket, options\), got: true/],
  ] as const)('a %s that is not a store factory (a plain options object from JavaScript) is refused, naming the factories', (_label, props, message) => {
    expect(() => make(props as any)).toThrow(message);
  });

  test.each([
    ['neither', {}, 'neither'],
    ['both', { secret: 'S', iamAuthenticationUser: 'app' }, 'both'],
    ['no connection', undefined, 'no connection'],
  ] as const)('an adopted cluster needs exactly one way to connect (%s is refused)', (_label, connection, got) => {
    const stack = testStack({ env: ENV });
    const existing = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'C', { clusterIdentifier: 'legacy' });
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'legacy');
    const given = connection === undefined ? undefined : { ...connection, secret: 'secret' in connection ? secret : undefined };
    expect(() => make({ database: PlatformDatabase.fromCluster(existing, { connection: given } as any) }, stack))
      .toThrow(new RegExp(`^\`database\` \\(PlatformDatabase.fromCluster\\(TestStack/C\\)\\) needs exactly one of \`connection.secret\` and \`connection.iamAuthenticationUser\`, got: ${got} \\(in TestStack/Platform\\)$`));
  });

  test('an adopted unversioned bucket is refused; an adopted table without PITR cannot meet a 1 h RPO', () => {
    const stack = testStack({ env: ENV });
    expect(() => make({ bucket: PlatformBucket.fromBucket(new s3.Bucket(stack, 'Plain')) }, stack)).toThrow(/is not versioned in the app: AWS Backup can only back up versioned buckets/);
    const other = testStack({ env: ENV });
    expect(() => make({ table: PlatformTable.fromTable(new dynamodb.Table(other, 'Plain', { partitionKey: pk })) }, other)).toThrow(/`rpo` 1 hour cannot be met for DynamoDB/);
  });

  test('with all three adopted: zero unacknowledged cdk-nag findings on what the platform made', () => {
    const stack = testStack({ env: ENV });
    const vpc = isolatedVpc(stack, 'Shared');
    const adopted: Adopted = {};
    const stores = { ...table.imported(stack, adopted), ...bucket.imported(stack, adopted), ...cluster.imported(stack, adopted, vpc) };
    const { platform } = withFunction({ vpc, ...stores }, stack);
    expect(nagFindings(stack, platform)).toEqual([]);
  });
});

describe('the drills follow the backup plan\'s continuous backup', () => {
  test.each([
    [undefined, undefined, 2],
    [false, undefined, 1],
    [false, true, 2],
    [true, false, 1],
  ] as const)('continuousBackup %s, continuousRecoveryPoints %s: %d restore testing plan(s)', (continuousBackup, continuousRecoveryPoints, plans) => {
    const { template } = make({
      backup: continuousBackup === undefined ? undefined : { continuousBackup },
      // Without continuous backup an hourly schedule meets a 2 hour RPO, not the default 1 hour.
      rpo: continuousBackup === false ? Duration.hours(2) : undefined,
      restoreDrills: RestoreDrills.enabled({ continuousRecoveryPoints }),
    });
    template.resourceCountIs('AWS::Backup::RestoreTestingPlan', plans);
  });
});
