import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AuroraGlobalSecondary, DrAlarms } from '../../src';
import { lagOfCluster } from '../../src/dr-alarms/global-database-monitoring';
import { acknowledgeNotInBackupPlan, complianceTest, isolatedVpc, nagFindings, synth, testStack } from '../util';

const ENV = { account: '111111111111', region: 'us-west-2' };
const GLOBAL = 'dr-aurora-global-prod';

function setup(stack: Stack = testStack({ env: ENV })) {
  const secondary = new AuroraGlobalSecondary(stack, 'Secondary', {
    environmentSuffix: 'prod', vpc: isolatedVpc(stack), globalClusterIdentifier: GLOBAL,
  });
  const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'prod', alarmEmails: ['oncall@example.com'] });
  return { stack, secondary, alarms, cluster: secondary.cluster };
}

const alarmProps = (t: Template) => Object.values<any>(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
const alarmNamed = (t: Template, name: string) => {
  const found = alarmProps(t).filter((a) => a.AlarmName === name);
  expect(found).toHaveLength(1);
  return found[0];
};
const clusterRef = (stack: Stack, secondary: AuroraGlobalSecondary) => ({ Ref: stack.getLogicalId(secondary.cfnCluster) });

describe('monitorGlobalDatabase: role-aware alarms', () => {
  test('three notifying alarms: RPO lag (composite, follows the role), replication lag and role unknown', () => {
    const { stack, cluster, alarms } = setup();
    const created = alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL });
    expect(created).toHaveLength(3);
    const t = Template.fromStack(stack);
    const topic = { Ref: Object.keys(t.findResources('AWS::SNS::Topic'))[0] };
    const composite = Object.values<any>(t.findResources('AWS::CloudWatch::CompositeAlarm')).map((a) => a.Properties);
    expect(composite).toHaveLength(1);
    expect(composite[0]).toMatchObject({
      AlarmName: 'dr-aurora-global-rpo-lag-prod',
      AlarmActions: [topic],
      OKActions: [topic],
      AlarmDescription: expect.stringMatching(/half of the 5 minutes region RPO.*while the cluster is a secondary.*While the cluster is the writer this alarm is OK/),
    });
    // ALARM when both inputs are: the lag (whatever the role) and "not the writer".
    const logicalId = (name: string) => Object.entries<any>(t.findResources('AWS::CloudWatch::Alarm')).find(([, a]) => a.Properties.AlarmName === name)![0];
    expect(composite[0].AlarmRule).toEqual({
      'Fn::Join': ['', [
        '(ALARM("', { 'Fn::GetAtt': [logicalId('dr-aurora-global-rpo-lag-any-role-prod'), 'Arn'] },
        '") AND ALARM("', { 'Fn::GetAtt': [logicalId('dr-aurora-global-not-writer-prod'), 'Arn'] }, '"))',
      ]],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-aurora-global-replication-lag-prod',
      Threshold: 150_000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-aurora-global-role-unknown-prod',
      Namespace: 'CdkDrPlatform/AuroraGlobal',
      MetricName: 'ClusterIsWriter',
      Dimensions: Match.arrayWith([{ Name: 'GlobalCluster', Value: GLOBAL }, { Name: 'service', Value: 'aurora-global-role' }]),
      Statistic: 'SampleCount',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      EvaluationPeriods: 2,
      AlarmActions: [topic],
      OKActions: [topic],
    });
    expect(alarms.alarms).toEqual(expect.arrayContaining(created));
  });

  test('the composite\'s inputs: the RPO lag whatever the role (missing breaching) and "not the writer", three minutes each, notifying nobody', () => {
    const { stack, secondary, cluster, alarms } = setup();
    alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL });
    const t = Template.fromStack(stack);
    const lag = alarmNamed(t, 'dr-aurora-global-rpo-lag-any-role-prod');
    expect(lag).toMatchObject({ Threshold: 150_000, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'breaching', EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    const notWriter = alarmNamed(t, 'dr-aurora-global-not-writer-prod');
    expect(notWriter).toMatchObject({
      Namespace: 'CdkDrPlatform/AuroraGlobal',
      MetricName: 'ClusterIsWriter',
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
    for (const input of [lag, notWriter]) {
      expect(input.AlarmActions).toBeUndefined();
      expect(input.OKActions).toBeUndefined();
    }
    // The inputs are not among the watched alarms (they never notify); the composite is.
    expect(alarms.alarms.map((a) => stack.resolve(a.alarmName))).not.toContain('dr-aurora-global-not-writer-prod');
    // The lag input reads every dimension set RDS may publish the lag under: one Metrics Insights query, no SCHEMA, no SEARCH.
    for (const [name, metric] of [['dr-aurora-global-rpo-lag-any-role-prod', 'AuroraGlobalDBRPOLag'], ['dr-aurora-global-replication-lag-prod', 'AuroraGlobalDBReplicationLag']]) {
      const alarm = alarmNamed(t, name);
      expect(alarm.MetricName).toBeUndefined();
      expect(alarm.Dimensions).toBeUndefined();
      expect(alarm.Metrics).toHaveLength(1);
      expect(alarm.Metrics[0]).toMatchObject({ Period: 60, ReturnData: true });
      expect(alarm.Metrics[0].Expression).toEqual({
        'Fn::Join': ['', [`SELECT MAX(${metric}) FROM "AWS/RDS" WHERE DBClusterIdentifier = '`, clusterRef(stack, secondary), '\'']],
      });
    }
  });

  test('the role function: every minute, outside any VPC, DescribeGlobalClusters on the global cluster only, its own key and logs', () => {
    const { stack, secondary, cluster, alarms } = setup();
    alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL });
    const t = Template.fromStack(stack);
    const fn = Object.values<any>(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-aurora-global-role-prod' } }));
    expect(fn).toHaveLength(1);
    const props = fn[0].Properties;
    expect(props.VpcConfig).toBeUndefined();
    expect(props.ReservedConcurrentExecutions).toBe(1);
    expect(props.Handler).toBe('index.handler');
    expect(props.Environment.Variables.GLOBAL_CLUSTER_ID).toBe(GLOBAL);
    expect(props.Environment.Variables.CLUSTER_ARN).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-west-2:111111111111:cluster:', clusterRef(stack, secondary)]],
    });
    expect(props.DeadLetterConfig).toBeDefined();
    expect(props.KmsKeyArn).toBeDefined();
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'dr-aurora-global-role-prod',
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/dr-aurora-global-role-prod', RetentionInDays: 30 });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-aurora-global-role-prod' });
    // Least privilege: one RDS action, on the global cluster's ARN (which has no region).
    const statements = Object.values<any>(t.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('rds:')));
    expect(statements).toEqual([{
      Effect: 'Allow',
      Action: 'rds:DescribeGlobalClusters',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds::111111111111:global-cluster:${GLOBAL}`]] },
    }]);
    const actions = Object.values<any>(t.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement).flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a === '*' || a.endsWith(':*'))).toEqual([]);
  });

  test('a key given is used for the role function, and no key is created', () => {
    const { stack, cluster, alarms } = setup();
    const key = new kms.Key(stack, 'Given');
    alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL, encryptionKey: key });
    const t = Template.fromStack(stack);
    expect(Object.values<any>(t.findResources('AWS::KMS::Alias')).map((a) => a.Properties.AliasName)).not.toContain('alias/dr-aurora-global-role-prod');
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'dr-aurora-global-role-prod', KmsKeyArn: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
  });

  test('the role function\'s logs and queue are retained by default and deleted with DESTROY', () => {
    const kept = setup();
    kept.alarms.monitorGlobalDatabase(kept.cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL });
    Template.fromStack(kept.stack).hasResource('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/lambda/dr-aurora-global-role-prod' }, DeletionPolicy: 'Retain' });
    const stack = testStack({ env: ENV });
    const secondary = new AuroraGlobalSecondary(stack, 'Secondary', { environmentSuffix: 'prod', vpc: isolatedVpc(stack), globalClusterIdentifier: GLOBAL });
    new DrAlarms(stack, 'Alarms', { environmentSuffix: 'prod', removalPolicy: RemovalPolicy.DESTROY })
      .monitorGlobalDatabase(secondary.cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/lambda/dr-aurora-global-role-prod' }, DeletionPolicy: 'Delete' });
    t.hasResource('AWS::SQS::Queue', { Properties: { QueueName: 'dr-aurora-global-role-dlq-prod' }, DeletionPolicy: 'Delete' });
  });

  test.each(["dr-aurora-prod' OR '1'='1", 'a"b', 'x y'])('a cluster identifier %j cannot be spliced into the query', (identifier) => {
    expect(() => lagOfCluster('AuroraGlobalDBRPOLag', identifier, Duration.minutes(1), 'lag')).toThrow('not an Aurora cluster identifier');
  });

  test.each([
    [Duration.minutes(1), 30_000],
    [Duration.minutes(3), 90_000],
    [Duration.minutes(15), 450_000],
    [Duration.hours(1), 1_800_000],
  ])('a region RPO of %s alarms at %p ms', (regionRpo, threshold) => {
    const { stack, cluster, alarms } = setup();
    alarms.monitorGlobalDatabase(cluster, { regionRpo, globalClusterIdentifier: GLOBAL });
    const t = Template.fromStack(stack);
    expect(alarmNamed(t, 'dr-aurora-global-rpo-lag-any-role-prod').Threshold).toBe(threshold);
    expect(alarmNamed(t, 'dr-aurora-global-replication-lag-prod').Threshold).toBe(threshold);
  });

  test('the dashboard graphs each lag in a widget of its own (one query each) with the threshold, the RPO and the role', () => {
    const { stack, cluster, alarms } = setup();
    alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(1), globalClusterIdentifier: GLOBAL });
    const body = JSON.stringify(stack.resolve((Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardBody));
    expect(body).toContain('AuroraGlobalDBRPOLag');
    expect(body).toContain('AuroraGlobalDBReplicationLag');
    expect(body).toContain('ClusterIsWriter');
    expect(body).toContain('alarm (half the region RPO)');
    expect(body).toMatch(/\\"value\\":30000/);
    expect(body).toMatch(/\\"value\\":60000/);
  });

  test('a name of its own names the alarms and the role function', () => {
    const { stack, cluster, alarms } = setup();
    alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(1), globalClusterIdentifier: GLOBAL, name: 'ledger' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'dr-ledger-rpo-lag-prod' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-ledger-role-unknown-prod' });
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'dr-ledger-role-prod' });
  });

  test.each([
    ['1 second', Duration.seconds(1), /`regionRpo` must be a whole number of minutes from 1 to 1440.*got: 1 second/],
    ['zero', Duration.seconds(0), /`regionRpo` must be a whole number of minutes from 1 /],
    ['90 seconds', Duration.seconds(90), /`regionRpo` must be a whole number of minutes/],
    ['more than a day', Duration.days(2), /`regionRpo` must be a whole number of minutes from 1 to 1440.*got: 2 days/],
    ['a token', Duration.minutes(Token.asNumber({ Ref: 'Rpo' })), /`regionRpo` must be a concrete duration, not a token: the lag alarms' thresholds and the region-loss coverage are computed from it at synth/],
  ])('rejects a region RPO of %s', (_name, regionRpo, message) => {
    const { cluster, alarms } = setup();
    expect(() => alarms.monitorGlobalDatabase(cluster, { regionRpo, globalClusterIdentifier: GLOBAL })).toThrow(message);
  });

  test.each(['1global', 'dr--global', 'dr-global-', 'dr_global', 'x'.repeat(64)])('rejects a global cluster identifier %j', (id) => {
    const { cluster, alarms } = setup();
    expect(() => alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: id }))
      .toThrow(/`globalClusterIdentifier` must be 1 to 63 letters, digits or hyphens, starting with a letter, with no trailing or double hyphen, got: /);
  });

  test('rejects a name that makes the role function\'s name too long for Lambda, naming it', () => {
    const { cluster, alarms } = setup();
    expect(() => alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL, name: 'n'.repeat(60) }))
      .toThrow(/`name` "n{60}" makes the Lambda function name .* \(limit 64\) whatever the `environmentSuffix`/);
  });

  test('rejects a cluster of another region: its lag is published there', () => {
    const stack = testStack({ env: { account: '111111111111', region: 'us-east-1' } });
    const other = new Stack(stack.node.root as any, 'Other', { env: ENV });
    const secondary = new AuroraGlobalSecondary(other, 'Secondary', { environmentSuffix: 'prod', vpc: isolatedVpc(other), globalClusterIdentifier: GLOBAL });
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'prod' });
    expect(() => alarms.monitorGlobalDatabase(secondary.cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL }))
      .toThrow(/is in us-west-2 and this DrAlarms in us-east-1.*call monitorGlobalDatabase on the DrAlarms of us-west-2/);
  });

  test('rejects watching the same global database twice under one name', () => {
    const { cluster, alarms } = setup();
    alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(1), globalClusterIdentifier: GLOBAL });
    expect(() => alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(1), globalClusterIdentifier: GLOBAL }))
      .toThrow(/`name` "aurora-global" is already watched here/);
  });

  test('zero unacknowledged cdk-nag findings', () => {
    const { stack, cluster, alarms } = setup(testStack({ env: ENV }));
    alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL });
    acknowledgeNotInBackupPlan(stack);
    expect(nagFindings(stack).filter((f) => !f.includes(' @ TestStack/Vpc/'))).toEqual([]);
  });

  complianceTest('strict schema validation', () => {
    const { stack, cluster, alarms } = setup(testStack({ env: ENV, validate: true }));
    alarms.monitorGlobalDatabase(cluster, { regionRpo: Duration.minutes(5), globalClusterIdentifier: GLOBAL });
    expect(() => synth(stack)).not.toThrow();
  });
});
