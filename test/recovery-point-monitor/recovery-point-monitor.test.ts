import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EncryptedAurora, PitrTable, ProtectedResource, ProtectedResourceType, RecoveryPointMonitor, VersionedBucket } from '../../src';
import { acknowledgeNotInBackupPlan, complianceTest, isolatedVpc, nagFindings, synth, testStack } from '../util';

function resources(stack: Stack) {
  const vpc = isolatedVpc(stack);
  const database = new EncryptedAurora(stack, 'Database', { environmentSuffix: 'test', vpc });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'test' });
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'test' });
  acknowledgeNotInBackupPlan(stack);
  return [ProtectedResource.fromEncryptedAurora(database), ProtectedResource.fromPitrTable(table), ProtectedResource.fromVersionedBucket(bucket)];
}

const policyStatements = (t: Template) => Object.values(t.findResources('AWS::IAM::ManagedPolicy', {
  Properties: { Description: Match.stringLikeRegexp('Reads the recovery points') },
})).flatMap((p: any) => p.Properties.PolicyDocument.Statement);

describe('defaults', () => {
  const stack = testStack();
  const monitor = new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test', resources: resources(stack) });
  const t = Template.fromStack(stack);

  test('runs every 5 minutes, one at a time, outside the VPC', () => {
    t.hasResourceProperties('AWS::Events::Rule', { Name: 'dr-recovery-monitor-test', ScheduleExpression: 'rate(5 minutes)' });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-recovery-monitor-test',
      ReservedConcurrentExecutions: 1,
      VpcConfig: Match.absent(),
      Environment: { Variables: Match.objectLike({ ENVIRONMENT: 'test', RESOURCES: Match.anyValue() }) },
    });
  });

  test('each resource gets a name, a type and the threshold its measurement supports', () => {
    expect(monitor.resources.map((r) => [r.name, r.resourceType, r.measuresRestorableTime, r.alarmThreshold.toMinutes()])).toEqual([
      ['database', 'Aurora', true, 60],
      ['table', 'DynamoDB', true, 60],
      // S3 continuous backup reports no restorable time: measured by snapshots, alarmed at the snapshot bound.
      ['bucket', 'S3', false, 180],
    ]);
  });

  test('Aurora and DynamoDB, whose own PITR keeps the effective RPO low, also get an AWS Backup age threshold: the snapshot bound', () => {
    expect(monitor.resources.map((r) => [r.name, r.backupAgeAlarmThreshold?.toMinutes()])).toEqual([
      ['database', 180],
      ['table', 180],
      // A bucket's effective RPO is its recovery point age: its RPO alarm already watches it.
      ['bucket', undefined],
    ]);
  });

  test('the AWS Backup age metric is the one the handler publishes, per resource', () => {
    const metric = monitor.metricBackupRecoveryPointAge('table');
    expect([metric.namespace, metric.metricName, metric.statistic]).toEqual(['CdkDrPlatform/Recovery', 'BackupRecoveryPointAge', 'Maximum']);
    expect(metric.dimensions).toEqual({ service: 'recovery-point-monitor', Environment: 'test', Resource: 'table' });
  });

  test('the RESOURCES variable lists every resource with its ARN', () => {
    const fn = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-recovery-monitor-test' } }))[0] as any;
    const json = JSON.stringify(fn.Properties.Environment.Variables.RESOURCES);
    for (const name of ['database', 'table', 'bucket']) expect(json).toContain(`\\"name\\":\\"${name}\\"`);
  });

  test('least privilege: each describe action on its one resource; "*" only for the list actions IAM cannot scope', () => {
    const statements = policyStatements(t);
    const byAction = (action: string) => statements.filter((s: any) => [s.Action].flat().includes(action));
    // ListRecoveryPointsByResource defines no resource type: only "*" lets the call through.
    expect(byAction('backup:ListRecoveryPointsByResource')).toHaveLength(1);
    expect(byAction('backup:ListRecoveryPointsByResource')[0].Resource).toEqual('*');
    expect(byAction('rds:DescribeDBClusters')).toHaveLength(1);
    expect(JSON.stringify(byAction('rds:DescribeDBClusters')[0].Resource)).toContain('DatabaseCluster');
    expect(byAction('dynamodb:DescribeContinuousBackups')).toHaveLength(1);
    const unscoped = ['backup:ListRecoveryPointsByResource', 'backup:ListRestoreJobs'];
    for (const s of statements) {
      for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
      if (s.Resource === '*') expect([s.Action].flat().every((a: string) => unscoped.includes(a))).toBe(true);
    }
  });

  test('metrics name the service, environment and resource the handler publishes with', () => {
    const metric = monitor.metricEffectiveRpo('database');
    expect(metric.namespace).toBe('CdkDrPlatform/Recovery');
    expect(metric.dimensions).toEqual({ service: 'recovery-point-monitor', Environment: 'test', Resource: 'database' });
    expect(metric.period.toMinutes()).toBe(5);
  });

  test('zero unacknowledged cdk-nag findings', () => {
    expect(nagFindings(stack, monitor)).toEqual([]);
  });
});

describe('overrides', () => {
  test('interval, rpo, names and the drill plan', () => {
    const stack = testStack();
    const [db, table] = resources(stack);
    const monitor = new RecoveryPointMonitor(stack, 'Monitor', {
      environmentSuffix: 'test',
      interval: Duration.minutes(15),
      rpo: Duration.minutes(30),
      drillPlans: [{ name: 'weekly', restoreTestingPlanArn: 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:p-1' }],
    });
    monitor.addResource(db, 'orders-db');
    monitor.addResource(table);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-recovery-monitor-test',
      Environment: { Variables: Match.objectLike({ DRILL_PLANS: JSON.stringify([{ name: 'weekly', arn: 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:p-1', types: ['Aurora', 'DynamoDB'] }]) }) },
    });
    expect(monitor.resources.map((r) => [r.name, r.alarmThreshold.toMinutes()])).toEqual([['orders-db', 30], ['table', 30]]);
    expect(policyStatements(t).find((s: any) => [s.Action].flat().includes('backup:ListRestoreJobs')).Resource).toBe('*');
  });

  test('a table without PITR is measured by snapshots and alarmed at the snapshot bound', () => {
    const stack = testStack();
    const table = new dynamodb.Table(stack, 'Plain', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const monitor = new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test', snapshotAgeBound: Duration.hours(4) });
    const entry = monitor.addResource(ProtectedResource.fromTable(table), 'plain');
    expect([entry.measuresRestorableTime, entry.alarmThreshold.toHours()]).toEqual([false, 4]);
    // Its PITR is unknown here, but the handler reads it if it is on: AWS Backup's age is alarmed apart.
    expect(entry.backupAgeAlarmThreshold?.toHours()).toBe(4);
  });
});

describe('strict schema validation', () => {
  complianceTest('synthesizes in strict mode', () => {
    const stack = testStack({ validate: true, env: { account: '123456789012', region: 'eu-west-1' } });
    new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test', resources: resources(stack) });
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  test.each([Duration.minutes(4), Duration.minutes(16), Duration.seconds(330), Duration.hours(1)])('interval %s is refused', (interval) => {
    const stack = testStack();
    expect(() => new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test', interval }))
      .toThrow(/`interval` must be a whole number of minutes from 5 to 15, got: /);
  });

  test('no resource fails synthesis with what to do', () => {
    const stack = testStack();
    new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test' });
    expect(() => synth(stack)).toThrow('RecoveryPointMonitor measures no resource');
  });

  test('a Lambda function is refused: it has no recovery point', () => {
    const stack = testStack();
    const fn = new lambda.Function(stack, 'Fn', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
    const monitor = new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test' });
    expect(() => monitor.addResource(ProtectedResource.fromFunction(fn))).toThrow('holds no data and has no recovery point to measure');
  });

  test.each(['Bad', 'a_b', 'x-', '9lives', 'a'.repeat(65)])('name %s is refused', (name) => {
    const stack = testStack();
    const [db] = resources(stack);
    const monitor = new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test' });
    expect(() => monitor.addResource(db, name)).toThrow('`name` must match');
  });

  test('the same name twice is refused', () => {
    const stack = testStack();
    const [db, table] = resources(stack);
    const monitor = new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test' });
    monitor.addResource(db, 'data');
    expect(() => monitor.addResource(table, 'data')).toThrow('`name` "data" is already measured here');
  });

  const PLAN = 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:p-1';
  test.each([
    [[{ name: 'snapshot', restoreTestingPlanArn: PLAN, resourceTypes: ['EFS' as any] }], '`drillPlans[0].resourceTypes` may hold Aurora, DynamoDB, S3, got: "EFS"'],
    [[{ name: 'snapshot', restoreTestingPlanArn: PLAN, resourceTypes: [ProtectedResourceType.LAMBDA] }], '`drillPlans[0].resourceTypes` may hold Aurora, DynamoDB, S3, got: "Lambda"'],
    [[{ name: 'snapshot', restoreTestingPlanArn: PLAN, resourceTypes: [] }], '`drillPlans[0].resourceTypes` is empty'],
    [[{ name: 'Snapshot', restoreTestingPlanArn: PLAN }], '`drillPlans[0].name` must be lowercase letters, digits and hyphens'],
    [[{ name: '', restoreTestingPlanArn: PLAN }], '`drillPlans[0].name` must be lowercase letters, digits and hyphens'],
    [[{ name: 'a-', restoreTestingPlanArn: PLAN }], '`drillPlans[0].name` must be lowercase letters, digits and hyphens'],
    [[{ name: 'x'.repeat(33), restoreTestingPlanArn: PLAN }], '`drillPlans[0].name` must be lowercase letters, digits and hyphens'],
    [[{ name: 'a', restoreTestingPlanArn: PLAN }, { name: 'a', restoreTestingPlanArn: `${PLAN}2` }], '`drillPlans[1].name` "a" is already the name of another measured plan'],
    [[{ name: 'a', restoreTestingPlanArn: PLAN }, { name: 'b', restoreTestingPlanArn: PLAN }], `\`drillPlans\` lists the restore testing plan "${PLAN}" twice`],
    [[{ name: 'a', restoreTestingPlanArn: 'arn:aws:backup:us-east-1:123456789012:restore-testing-plan:p-1' }], '`drillPlans[0].restoreTestingPlanArn`'],
    [[{ name: 'a', restoreTestingPlanArn: 'arn:aws:backup:eu-west-1:123456789012:backup-plan:p-1' }], '`drillPlans[0].restoreTestingPlanArn`'],
  ])('bad drill plans %j are refused', (drillPlans, message) => {
    const stack = testStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    expect(() => new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test', drillPlans })).toThrow(message);
  });

  test('a drill-age metric names a measured plan', () => {
    const stack = testStack();
    const monitor = new RecoveryPointMonitor(stack, 'Monitor', { environmentSuffix: 'test', drillPlans: [{ name: 'weekly', restoreTestingPlanArn: PLAN }] });
    expect(monitor.metricLastValidatedDrillAge('weekly', ProtectedResourceType.S3).dimensions).toEqual(
      { service: 'recovery-point-monitor', Environment: 'test', ResourceType: 'S3', DrillPlan: 'weekly' });
    expect(() => monitor.metricLastValidatedDrillAge('monthly', ProtectedResourceType.S3)).toThrow('`drillPlan` must be the name of a measured plan ("weekly"), got: "monthly"');
  });
});
