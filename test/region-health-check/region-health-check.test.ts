import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EncryptedAurora, HandlerRuntime, PitrTable, ProtectedResource, RegionHealthCheck, RegionHealthCheckProps, VersionedBucket } from '../../src';
import { regionHealthNames } from '../../src/names';
import { acknowledgeNotInBackupPlan, complianceTest, isolatedVpc, missingEndpoints, nagFindings, synth, testStack } from '../util';

const ENV = { account: '123456789012', region: 'us-east-1' };

function workload(stack: Stack) {
  const vpc = isolatedVpc(stack);
  const database = new EncryptedAurora(stack, 'Database', { environmentSuffix: 'test', vpc });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'test' });
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'test' });
  acknowledgeNotInBackupPlan(stack);
  return { vpc, database, table, bucket };
}

const probeStatements = (t: Template) => Object.values(t.findResources('AWS::IAM::ManagedPolicy', {
  Properties: { Description: Match.stringLikeRegexp('dr-region-health-') },
})).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
const probeFunction = (t: Template) => Object.values(t.findResources('AWS::Lambda::Function', {
  Properties: { FunctionName: Match.stringLikeRegexp('^dr-region-health-') },
}))[0] as any;
const alarmOf = (t: Template) => Object.values(t.findResources('AWS::CloudWatch::Alarm', {
  Properties: { AlarmName: Match.stringLikeRegexp('^dr-region-health-') },
}))[0] as any;

/** The rules Route 53 sets for an alarm a CLOUDWATCH_METRIC health check watches. */
function route53AcceptsAlarm(alarm: any): string[] {
  const p = alarm.Properties;
  const problems: string[] = [];
  if (p.Metrics) problems.push('metric math or several metrics');
  if (p.ExtendedStatistic) problems.push('an extended statistic');
  if (!['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'].includes(p.Statistic)) problems.push(`statistic ${p.Statistic}`);
  if (!(p.Period >= 60 && p.Period % 60 === 0)) problems.push(`period ${p.Period} (high resolution)`);
  return problems;
}

describe('defaults', () => {
  const stack = testStack({ env: ENV });
  const { vpc, database, table, bucket } = workload(stack);
  const health = new RegionHealthCheck(stack, 'Health', {
    environmentSuffix: 'test', vpc, database: ProtectedResource.fromEncryptedAurora(database), table: ProtectedResource.fromPitrTable(table), bucket: ProtectedResource.fromVersionedBucket(bucket),
  });
  const t = Template.fromStack(stack);

  test('a probe in the isolated subnets, one run at a time, every minute', () => {
    const fn = probeFunction(t);
    expect(fn.Properties).toMatchObject({ FunctionName: 'dr-region-health-test', ReservedConcurrentExecutions: 1, Runtime: HandlerRuntime.newestNodejs(new Stack()).name, Timeout: 30 });
    expect(JSON.stringify(fn.Properties.VpcConfig.SubnetIds)).toContain('isolated');
    t.hasResourceProperties('AWS::Events::Rule', { Name: 'dr-region-health-test', ScheduleExpression: 'rate(1 minute)' });
    expect(health.checks).toEqual(['database', 'table', 'bucket']);
  });

  test('the probe is told the reader endpoint and port, the table and probe key, and the bucket', () => {
    const vars = probeFunction(t).Properties.Environment.Variables;
    expect(vars.ENVIRONMENT).toBe('test');
    expect(vars.DB_HOST).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DatabaseCluster/), 'ReadEndpoint.Address'] });
    // The handle's connection port, known at synth: the rule admitting the probe names it.
    expect(vars.DB_PORT).toBe('5432');
    expect(vars.TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^Table/) });
    expect(JSON.parse(vars.TABLE_KEY)).toEqual({ pk: { S: '__dr-region-health-probe__' } });
    expect(vars.BUCKET_NAME).toEqual({ Ref: expect.stringMatching(/^Bucket/) });
  });

  test('the alarm: dr-region-health-{suffix}, RegionHealthy below 1 for 3 minutes, missing data unhealthy', () => {
    const alarm = alarmOf(t);
    expect(health.alarmName).toBe('dr-region-health-test');
    expect(regionHealthNames('test').alarm).toBe(health.alarmName);
    expect(alarm.Properties).toMatchObject({
      AlarmName: 'dr-region-health-test',
      Namespace: 'CdkDrPlatform/Region',
      MetricName: 'RegionHealthy',
      Dimensions: expect.arrayContaining([{ Name: 'Environment', Value: 'test' }, { Name: 'service', Value: 'region-health-check' }]),
      Statistic: 'Minimum',
      Period: 60,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
    });
    expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  test('Route 53 accepts the alarm: one standard-resolution metric, a plain statistic', () => {
    expect(route53AcceptsAlarm(alarmOf(t))).toEqual([]);
  });

  test('least privilege: GetItem on the one table, ListBucket on the one bucket, no wildcard action', () => {
    const statements = probeStatements(t);
    const byAction = (action: string) => statements.filter((s: any) => [s.Action].flat().includes(action));
    expect(byAction('dynamodb:GetItem')).toHaveLength(1);
    expect([byAction('dynamodb:GetItem')[0].Action].flat()).toEqual(['dynamodb:GetItem']);
    expect(JSON.stringify(byAction('dynamodb:GetItem')[0].Resource)).toContain('Table');
    expect(byAction('s3:ListBucket')).toHaveLength(1);
    expect(byAction('s3:ListBucket')[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Bucket/), 'Arn'] });
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    for (const a of actions) expect(a).not.toMatch(/\*/);
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:PutItem', 's3:GetObject', 's3:PutObject', 'cloudwatch:PutMetricData']) {
      expect(actions).not.toContain(forbidden);
    }
  });

  test('network: the cluster admits the probe on its port; gateway endpoints for DynamoDB and S3; nothing missing', () => {
    const probeSg = Object.keys(t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('dr-region-health-test') } }))[0];
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: { 'Fn::GetAtt': [probeSg, 'GroupId'] },
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseSecurityGroup'), 'GroupId'] },
      FromPort: 5432,
    });
    for (const service of ['dynamodb', 's3']) {
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([`.${service}`])]) }),
      });
    }
    expect(missingEndpoints(t.toJSON() as { Resources: Record<string, any> })).toEqual([]);
  });

  test('metrics name what the handler publishes', () => {
    const metric = health.metricCheckHealthy('table');
    expect(metric.namespace).toBe('CdkDrPlatform/Region');
    expect(metric.dimensions).toEqual({ service: 'region-health-check', Environment: 'test', Check: 'table' });
    expect(health.metricRegionHealthy().statistic).toBe('Minimum');
    expect(() => health.metricCheckHealthy('queue')).toThrow('`check` must be one of the checks this probe runs (database, table, bucket), got: "queue"');
  });

  test('logs and dead-letter queue are kept by default', () => {
    t.hasResource('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/lambda/dr-region-health-test' }, DeletionPolicy: 'Retain' });
    t.hasResource('AWS::SQS::Queue', { Properties: { QueueName: 'dr-region-health-dlq-test' }, DeletionPolicy: 'Retain' });
  });

  test('zero unacknowledged cdk-nag findings (four packs)', () => {
    expect(nagFindings(stack, health)).toEqual([]);
  });
});

describe('overrides', () => {
  test('evaluation periods, alarm topic and removal policy', () => {
    const stack = testStack({ env: ENV });
    const { vpc, bucket } = workload(stack);
    const topic = new sns.Topic(stack, 'Topic');
    const health = new RegionHealthCheck(stack, 'Health', {
      environmentSuffix: 'test', vpc, bucket: ProtectedResource.fromVersionedBucket(bucket), evaluationPeriods: 5, alarmTopic: topic, removalPolicy: RemovalPolicy.DESTROY,
    });
    const t = Template.fromStack(stack);
    const alarm = alarmOf(t);
    expect(alarm.Properties.EvaluationPeriods).toBe(5);
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Topic/) }]);
    expect(alarm.Properties.OKActions).toEqual([{ Ref: expect.stringMatching(/^Topic/) }]);
    t.hasResource('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/lambda/dr-region-health-test' }, DeletionPolicy: 'Delete' });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('removalPolicy is DESTROY'))).not.toHaveLength(0);
    // With a topic the alarm has an action of its own: nothing left to acknowledge.
    expect(nagFindings(stack, health)).toEqual([]);
  });

  test('a bucket alone: no database variables, no DynamoDB endpoint, no database ingress', () => {
    const stack = testStack({ env: ENV });
    const { vpc, bucket } = workload(stack);
    const health = new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'test', vpc, bucket: ProtectedResource.fromVersionedBucket(bucket) });
    const t = Template.fromStack(stack);
    const vars = probeFunction(t).Properties.Environment.Variables;
    expect(Object.keys(vars).sort()).toEqual(['BUCKET_NAME', 'ENVIRONMENT']);
    expect(health.checks).toEqual(['bucket']);
    expect(JSON.stringify(t.findResources('AWS::EC2::VPCEndpoint'))).not.toContain('.dynamodb');
    expect(probeStatements(t).some((s: any) => [s.Action].flat().includes('dynamodb:GetItem'))).toBe(false);
  });

  test.each([1, 2, 3, 5, 10])('with %i evaluation periods Route 53 still accepts the alarm', (evaluationPeriods) => {
    const stack = testStack({ env: ENV });
    const { vpc, bucket } = workload(stack);
    new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'test', vpc, bucket: ProtectedResource.fromVersionedBucket(bucket), evaluationPeriods });
    const alarm = alarmOf(Template.fromStack(stack));
    expect(route53AcceptsAlarm(alarm)).toEqual([]);
    expect(alarm.Properties.EvaluationPeriods).toBe(evaluationPeriods);
  });
});

describe('bring your own', () => {
  test('an imported cluster (reader endpoint, security group), a replica table with its key given, an imported bucket and key', () => {
    const stack = testStack({ env: ENV });
    const vpc = isolatedVpc(stack);
    const sg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'DbSg', 'sg-0123456789abcdef0', { mutable: true });
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Cluster', {
      clusterIdentifier: 'dr-aurora-test',
      readerEndpointAddress: 'dr-aurora-test.cluster-ro-abc.us-east-1.rds.amazonaws.com',
      clusterEndpointAddress: 'dr-aurora-test.cluster-abc.us-east-1.rds.amazonaws.com',
      port: 5432,
      securityGroups: [sg],
    });
    const table = dynamodb.Table.fromTableName(stack, 'Replica', 'dr-table-test');
    const bucket = s3.Bucket.fromBucketName(stack, 'Replicas', 'dr-data-123456789012-us-east-1-test');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const health = new RegionHealthCheck(stack, 'Health', {
      environmentSuffix: 'test',
      vpc,
      database: ProtectedResource.fromDatabaseCluster(cluster),
      table: ProtectedResource.fromTable(table),
      bucket: ProtectedResource.fromBucket(bucket),
      encryptionKey: key,
      tablePartitionKey: { name: 'id', type: dynamodb.AttributeType.NUMBER },
      tableSortKey: { name: 'version', type: dynamodb.AttributeType.BINARY },
    });
    const t = Template.fromStack(stack);
    const vars = probeFunction(t).Properties.Environment.Variables;
    expect(vars.DB_HOST).toBe('dr-aurora-test.cluster-ro-abc.us-east-1.rds.amazonaws.com');
    expect(vars.DB_PORT).toBe('5432');
    expect(JSON.parse(vars.TABLE_KEY)).toEqual({ id: { N: '0' }, version: { B: Buffer.from('__dr-region-health-probe__').toString('base64') } });
    expect(vars.BUCKET_NAME).toBe('dr-data-123456789012-us-east-1-test');
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: 'sg-0123456789abcdef0', FromPort: 5432, ToPort: 5432 });
    expect(health.encryptionKey).toBe(key);
    expect(probeFunction(t).Properties.KmsKeyArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    // The imported VPC's gateway endpoints are the app's own here: none is missing.
    expect(missingEndpoints(t.toJSON() as { Resources: Record<string, any> })).toEqual([]);
  });

  test('a TableV2 with a composite key: the probe key names both attributes', () => {
    const stack = testStack({ env: ENV });
    const vpc = isolatedVpc(stack);
    const table = new dynamodb.TableV2(stack, 'Global', {
      partitionKey: { name: 'tenant', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'seq', type: dynamodb.AttributeType.NUMBER },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'test', vpc, table: ProtectedResource.fromTable(table) });
    const vars = probeFunction(Template.fromStack(stack)).Properties.Environment.Variables;
    expect(JSON.parse(vars.TABLE_KEY)).toEqual({ tenant: { S: '__dr-region-health-probe__' }, seq: { N: '0' } });
  });
});

describe('strict schema validation', () => {
  complianceTest('synthesizes in strict mode', () => {
    const stack = testStack({ validate: true, env: ENV });
    const { vpc, database, table, bucket } = workload(stack);
    new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'test', vpc, database: ProtectedResource.fromEncryptedAurora(database), table: ProtectedResource.fromPitrTable(table), bucket: ProtectedResource.fromVersionedBucket(bucket) });
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  type Case = [string, (stack: Stack, vpc: ec2.Vpc) => Partial<RegionHealthCheckProps>, string];
  const importedTable = (stack: Stack) => ProtectedResource.fromTable(dynamodb.Table.fromTableName(stack, 'T', 'dr-table-test'));
  const bucket = (stack: Stack) => ProtectedResource.fromBucket(s3.Bucket.fromBucketName(stack, 'B', 'dr-data-test'));
  const cases: Case[] = [
    ['nothing to check', () => ({}), 'at least one of `database`, `table` and `bucket` must be given'],
    ['evaluationPeriods 0', (s) => ({ bucket: bucket(s), evaluationPeriods: 0 }), '`evaluationPeriods` must be a whole number from 1 to 10, got: 0'],
    ['evaluationPeriods 11', (s) => ({ bucket: bucket(s), evaluationPeriods: 11 }), '`evaluationPeriods` must be a whole number from 1 to 10, got: 11'],
    ['evaluationPeriods 2.5', (s) => ({ bucket: bucket(s), evaluationPeriods: 2.5 }), '`evaluationPeriods` must be a whole number from 1 to 10, got: 2.5'],
    ['a key without a table', (s) => ({ bucket: bucket(s), tablePartitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }),
      '`tablePartitionKey` and `tableSortKey` describe `table`, which is not given'],
    ['an imported table without its key', (s) => ({ table: importedTable(s) }), '`tablePartitionKey` must be given: the table TestStack/T does not carry its key schema'],
    ['a sort key alone', (s) => ({ table: importedTable(s), tableSortKey: { name: 'sk', type: dynamodb.AttributeType.STRING } }),
      '`tableSortKey` needs `tablePartitionKey` too'],
    ['the same attribute twice', (s) => ({
      table: importedTable(s),
      tablePartitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      tableSortKey: { name: 'pk', type: dynamodb.AttributeType.NUMBER },
    }), '`tableSortKey` must differ from `tablePartitionKey`, got: "pk" for both'],
    ['an empty key name', (s) => ({ table: importedTable(s), tablePartitionKey: { name: '', type: dynamodb.AttributeType.STRING } }),
      '`tablePartitionKey` must have a concrete name of 1 to 255 characters, got: ""'],
    ['an imported cluster without security groups', (s) => ({
      database: ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(s, 'C', { clusterIdentifier: 'c', clusterEndpointAddress: 'c.example', port: 5432 })),
    }), '`database` TestStack/C has no security group to admit the probe'],
    ['an imported cluster without endpoints', (s) => ({
      database: ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(s, 'C', {
        clusterIdentifier: 'c', securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-1')],
      })),
    }), '`database` TestStack/C has no endpoint to probe'],
    ['a bad environment suffix', (s) => ({ bucket: bucket(s), environmentSuffix: 'Prod_1' }), '`environmentSuffix` must match'],
    ['a suffix too long for the rule name', (s) => ({ bucket: bucket(s), environmentSuffix: 'a'.repeat(48) }), '`environmentSuffix` must be at most'],
  ];
  test.each(cases)('%s is refused', (_name, props, message) => {
    const stack = testStack({ env: ENV });
    const vpc = isolatedVpc(stack);
    expect(() => new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'test', vpc, ...props(stack, vpc) })).toThrow(message);
  });

  test('a VPC without isolated subnets is refused, naming `vpc`', () => {
    const stack = testStack({ env: ENV });
    const vpc = new ec2.Vpc(stack, 'Public', { natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'test', vpc, bucket: bucket(stack) }))
      .toThrow('`vpc` must have isolated subnets');
  });

  test('the timeout stays within the schedule: a run ends before the next starts', () => {
    const stack = testStack({ env: ENV });
    const health = new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'test', vpc: isolatedVpc(stack), bucket: bucket(stack) });
    expect(Duration.seconds(probeFunction(Template.fromStack(stack)).Properties.Timeout).toSeconds()).toBeLessThan(60);
    expect(health.rule.node.id).toBe('Schedule');
  });
});

describe('stores by their handles', () => {
  test('an imported table given with its key: the probe may decrypt with that key, and only decrypt', () => {
    const stack = testStack({ env: ENV });
    const key = new kms.Key(stack, 'TableKey', { enableKeyRotation: true });
    const table = dynamodb.Table.fromTableName(stack, 'Replica', 'dr-table-test');
    new RegionHealthCheck(stack, 'Health', {
      environmentSuffix: 'test',
      vpc: isolatedVpc(stack),
      table: ProtectedResource.fromTable(table, { encryptionKey: key }),
      tablePartitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const onKey = statements.filter((st) => JSON.stringify(st.Resource).includes('TableKey'));
    expect(onKey.map((st) => st.Action)).toEqual(['kms:Decrypt']);
  });

  test.each([
    ['database', () => ProtectedResource.fromArn('arn:aws:rds:us-east-1:123456789012:cluster:legacy', 'legacy'), /^`database` must be a Aurora handle made from its construct/],
    ['table', (s: Stack) => ProtectedResource.fromVersionedBucket(new VersionedBucket(s, 'B', { environmentSuffix: 'test' })), /^`table` must be a DynamoDB handle made from its construct \(ProtectedResource.fromPitrTable or fromTable\), got: S3/],
    ['bucket', (s: Stack) => ProtectedResource.fromPitrTable(new PitrTable(s, 'T', { environmentSuffix: 'test' })), /^`bucket` must be a S3 handle made from its construct .*got: DynamoDB/],
  ] as const)('a %s handle of another kind is refused, naming the prop', (prop, handle, message) => {
    const stack = testStack({ env: ENV });
    expect(() => new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'test', vpc: isolatedVpc(stack), [prop]: handle(stack) })).toThrow(message);
  });
});
