import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as awsbackup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DrAlarms, DrAlarmsProps, EncryptedAurora, HourlyBackup, PitrTable, ProtectedResource } from '../../src';
import { isolatedVpc, testStack } from '../util';

function fixture(stack: Stack = testStack()) {
  const db = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack) });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev' });
  const backup = new HourlyBackup(stack, 'Backup', {
    environmentSuffix: 'dev',
    resources: [ProtectedResource.fromEncryptedAurora(db), ProtectedResource.fromPitrTable(table)],
  });
  const fn = new lambda.Function(stack, 'Processor', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    timeout: Duration.seconds(30),
  });
  return { stack, db, table, backup, fn };
}

function make(props: Partial<DrAlarmsProps> = {}) {
  const f = fixture();
  const alarms = new DrAlarms(f.stack, 'Alarms', {
    environmentSuffix: 'dev',
    backup: f.backup,
    database: f.db.cluster,
    table: f.table.table,
    functions: [f.fn],
    ...props,
  });
  return { ...f, alarms, get template() { return Template.fromStack(f.stack); } };
}

const alarm = (template: Template, name: string) => {
  const found = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } }));
  expect(found).toHaveLength(1);
  return found[0].Properties;
};
const ref = (stack: Stack, c: { node: { defaultChild?: any } }) => ({ Ref: stack.getLogicalId(c.node.defaultChild) });

describe('topic', () => {
  test('one KMS-encrypted topic that enforces TLS, with email subscriptions', () => {
    const { template } = make({ alarmEmails: ['oncall@example.com', 'dr@example.com'] });
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'dr-alarms-dev',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('the topic key lets CloudWatch alarms publish encrypted messages', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        })]),
      },
    });
  });

  test('bring your own topic: every alarm notifies it and no topic is created', () => {
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Ops', { masterKey: new kms.Key(stack, 'K') });
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', alarmTopic: topic, table: new PitrTable(stack, 'T', { environmentSuffix: 'dev' }).table });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(alarms.alarmTopic).toBe(topic);
    for (const a of Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(a.Properties.AlarmActions).toEqual([ref(stack, topic)]);
    }
  });

  test('DESTROY deletes the created topic', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::SNS::Topic', { DeletionPolicy: 'Delete' });
  });
});

describe('every alarm', () => {
  test('is named with the suffix, notifies the topic on ALARM and OK, and states its missing-data treatment', () => {
    const { template, stack, alarms } = make();
    const all = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(all).toHaveLength(alarms.alarms.length);
    expect(all.map((a) => a.AlarmName).sort()).toEqual([
      'dr-aurora-connections-dev', 'dr-aurora-cpu-dev', 'dr-aurora-deadlocks-dev', 'dr-aurora-freeable-memory-dev', 'dr-aurora-replica-lag-dev',
      'dr-backup-jobs-expired-dev', 'dr-backup-jobs-failed-dev', 'dr-backup-missing-dev', 'dr-copy-jobs-failed-dev',
      'dr-fn-processor-duration-dev', 'dr-fn-processor-errors-dev', 'dr-fn-processor-throttles-dev',
      'dr-table-read-throttles-dev', 'dr-table-system-errors-dev', 'dr-table-write-throttles-dev',
    ]);
    const topic = ref(stack, alarms.alarmTopic as sns.Topic);
    for (const a of all) {
      expect(a.AlarmActions).toEqual([topic]);
      expect(a.OKActions).toEqual([topic]);
      expect(['breaching', 'notBreaching']).toContain(a.TreatMissingData);
      expect(a.AlarmDescription).toBeDefined();
    }
  });
});

describe('backup alarms', () => {
  test.each([
    ['dr-backup-jobs-failed-dev', 'NumberOfBackupJobsFailed'],
    ['dr-backup-jobs-expired-dev', 'NumberOfBackupJobsExpired'],
    ['dr-copy-jobs-failed-dev', 'NumberOfCopyJobsFailed'],
  ])('%s: AWS/Backup %s by vault, sum >= 1 in 5 minutes, missing data is not breaching', (name, metricName) => {
    const { template, stack, backup } = make();
    expect(alarm(template, name)).toMatchObject({
      Namespace: 'AWS/Backup',
      MetricName: metricName,
      Dimensions: [{ Name: 'BackupVaultName', Value: { 'Fn::GetAtt': [stack.getLogicalId(backup.vault.node.defaultChild as any), 'BackupVaultName'] } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('dead man: no completed job within RPO + completion window (3 hourly periods), missing data breaching', () => {
    const { template } = make();
    expect(alarm(template, 'dr-backup-missing-dev')).toMatchObject({
      Namespace: 'AWS/Backup',
      MetricName: 'NumberOfBackupJobsCompleted',
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('the dead-man window follows the plan', () => {
    const stack = testStack();
    const table = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const backup = new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev',
      rpo: Duration.hours(4),
      startWindow: Duration.hours(2),
      resources: [ProtectedResource.fromTable(table)],
    });
    new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', backup });
    // RPO 4 h + completion window (2 h start + 4 h) = 10 hours.
    expect(alarm(Template.fromStack(stack), 'dr-backup-missing-dev').EvaluationPeriods).toBe(10);
  });
});

describe('database alarms', () => {
  test.each([
    ['dr-aurora-cpu-dev', 'CPUUtilization', 'Maximum', 80, 'GreaterThanOrEqualToThreshold', 'breaching'],
    ['dr-aurora-freeable-memory-dev', 'FreeableMemory', 'Minimum', 256 * 1024 * 1024, 'LessThanThreshold', 'notBreaching'],
    ['dr-aurora-connections-dev', 'DatabaseConnections', 'Maximum', 200, 'GreaterThanOrEqualToThreshold', 'notBreaching'],
    ['dr-aurora-replica-lag-dev', 'AuroraReplicaLagMaximum', 'Maximum', 2000, 'GreaterThanOrEqualToThreshold', 'breaching'],
    ['dr-aurora-deadlocks-dev', 'Deadlocks', 'Average', 0.1, 'GreaterThanOrEqualToThreshold', 'notBreaching'],
  ])('%s: AWS/RDS %s (%s) vs %d, %s, missing data %s', (name, metricName, statistic, threshold, comparison, missing) => {
    const { template, stack, db } = make();
    expect(alarm(template, name)).toMatchObject({
      Namespace: 'AWS/RDS',
      MetricName: metricName,
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: ref(stack, db.cluster) }],
      Statistic: statistic,
      Period: 300,
      Threshold: threshold,
      ComparisonOperator: comparison,
      TreatMissingData: missing,
    });
  });

  test('thresholds are props', () => {
    const { template } = make({
      thresholds: {
        databaseCpuPercent: 90,
        databaseFreeableMemory: Size.gibibytes(1),
        databaseReplicaLag: Duration.millis(500),
        databaseConnections: 1000,
      },
      period: Duration.minutes(1),
    });
    expect(alarm(template, 'dr-aurora-cpu-dev')).toMatchObject({ Threshold: 90, Period: 60 });
    expect(alarm(template, 'dr-aurora-freeable-memory-dev').Threshold).toBe(1024 ** 3);
    expect(alarm(template, 'dr-aurora-replica-lag-dev').Threshold).toBe(500);
    expect(alarm(template, 'dr-aurora-connections-dev').Threshold).toBe(1000);
  });
});

describe('table alarms', () => {
  test.each([
    ['dr-table-read-throttles-dev', 'ReadThrottleEvents'],
    ['dr-table-write-throttles-dev', 'WriteThrottleEvents'],
  ])('%s: AWS/DynamoDB %s by table, sum >= 1, missing data not breaching', (name, metricName) => {
    const { template, stack, table } = make();
    expect(alarm(template, name)).toMatchObject({
      Namespace: 'AWS/DynamoDB',
      MetricName: metricName,
      Dimensions: [{ Name: 'TableName', Value: ref(stack, table.table) }],
      Statistic: 'Sum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  test('system errors sum the data-plane operations (10, the most an alarm expression takes)', () => {
    const { template } = make();
    const a = alarm(template, 'dr-table-system-errors-dev');
    const ops = a.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric);
    expect(ops).toHaveLength(10);
    for (const m of ops) {
      expect(m.MetricName).toBe('SystemErrors');
      expect(m.Dimensions.map((d: any) => d.Name).sort()).toEqual(['Operation', 'TableName']);
    }
    const operations = ops.map((m: any) => m.Dimensions.find((d: any) => d.Name === 'Operation').Value);
    expect(operations).toEqual(expect.arrayContaining(['GetItem', 'PutItem', 'Query', 'TransactWriteItems']));
    expect(a.Metrics.find((m: any) => m.Expression).ReturnData).toBe(true);
  });
});

describe('function alarms', () => {
  test('errors, throttles, and duration at 80% of the timeout', () => {
    const { template, stack, fn } = make();
    for (const [name, metricName, statistic, threshold] of [
      ['dr-fn-processor-errors-dev', 'Errors', 'Sum', 1],
      ['dr-fn-processor-throttles-dev', 'Throttles', 'Sum', 1],
      ['dr-fn-processor-duration-dev', 'Duration', 'Maximum', 24_000],
    ] as const) {
      expect(alarm(template, name)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: ref(stack, fn) }],
        Statistic: statistic,
        Threshold: threshold,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  test('an imported function needs its timeout, and a name of its own', () => {
    const stack = testStack();
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    const imported = lambda.Function.fromFunctionName(stack, 'Imported', 'legacy');
    expect(() => alarms.monitorFunction(imported)).toThrow(/`timeout` is required to watch TestStack\/Imported/);
    alarms.monitorFunction(imported, { timeout: Duration.seconds(10), name: 'legacy' });
    expect(alarm(Template.fromStack(stack), 'dr-legacy-duration-dev').Threshold).toBe(8000);
  });
});

describe('dashboard', () => {
  test('named with the suffix, with backup, Aurora, DynamoDB and Lambda widgets and every alarm\'s state', () => {
    const { template, stack, alarms } = make();
    const dashboards = Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].Properties.DashboardName).toBe('dr-dashboard-dev');
    const body = JSON.stringify(stack.resolve(dashboards[0].Properties.DashboardBody));
    for (const title of ['Backup jobs', 'Aurora aurora: CPU and connections', 'Aurora aurora: replica lag', 'DynamoDB table: throttles', 'DynamoDB table: latency', 'Lambda fn-processor: errors', 'Lambda fn-processor: duration']) {
      expect(body).toContain(title);
    }
    expect(body).toContain('SuccessfulRequestLatency');
    const alarmWidget = body.match(/\\"type\\":\\"alarm\\".*?\\"sortBy/)![0];
    expect((alarmWidget.match(/Arn/g) ?? []).length).toBe(alarms.alarms.length);
  });

  test('alarms added later appear in the alarm widget too', () => {
    const f = fixture();
    const alarms = new DrAlarms(f.stack, 'Alarms', { environmentSuffix: 'dev' });
    alarms.monitorTable(f.table.table);
    const dashboard = Object.values<any>(Template.fromStack(f.stack).findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    expect(body).toContain('TableReadThrottles');
    expect(alarms.alarms).toHaveLength(3);
  });
});

describe('every input is optional', () => {
  test('no inputs: a topic and a dashboard, no alarms', () => {
    const stack = testStack();
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(alarms.alarms).toEqual([]);
  });

  test('just a table', () => {
    const stack = testStack();
    new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', table: new PitrTable(stack, 'T', { environmentSuffix: 'dev' }).table });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });
});

describe('validation', () => {
  test.each([
    ['CPU over 100%', { thresholds: { databaseCpuPercent: 120 } }, /`thresholds.databaseCpuPercent` must be from 1 to 100, got: 120/],
    ['zero errors', { thresholds: { functionErrors: 0 } }, /`thresholds.functionErrors` must be at least 1, got: 0/],
    ['duration 0%', { thresholds: { functionDurationPercentOfTimeout: 0 } }, /`thresholds.functionDurationPercentOfTimeout` must be from 1 to 100, got: 0/],
    ['a 30-second period', { period: Duration.seconds(30) }, /`period` must be a whole number of minutes, at least 1, got: 30 seconds/],
    ['a bad email', { alarmEmails: ['not-an-email'] }, /`alarmEmails` must hold email addresses, got: "not-an-email"/],
  ] as const)('rejects %s', (_name, props, message) => {
    expect(() => make(props as Partial<DrAlarmsProps>)).toThrow(message);
  });

  test('emails with your own topic are refused', () => {
    const stack = testStack();
    expect(() => new DrAlarms(stack, 'A', { environmentSuffix: 'dev', alarmTopic: new sns.Topic(stack, 'T'), alarmEmails: ['a@example.com'] }))
      .toThrow(/`alarmEmails` cannot be combined with `alarmTopic`/);
  });

  test('the same name twice is refused', () => {
    const { alarms, table } = make();
    expect(() => alarms.monitorTable(table.table)).toThrow(/`name` "table" is already watched here/);
    expect(() => alarms.monitorTable(table.table, { name: 'Bad_Name' })).toThrow(/`name` must match .*got: "Bad_Name"/);
  });
});

describe('bring your own', () => {
  test('any backup vault, imported by name: the same four backup alarms, the dead man sized from the stated RPO and window', () => {
    const stack = testStack();
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    const vault = awsbackup.BackupVault.fromBackupVaultName(stack, 'Vault', 'legacy-vault');
    const created = alarms.monitorBackupVault(vault, { rpo: Duration.hours(4), completionWindow: Duration.hours(3) });
    expect(created).toHaveLength(4);
    const template = Template.fromStack(stack);
    for (const a of Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(a.Properties.Dimensions).toEqual([{ Name: 'BackupVaultName', Value: 'legacy-vault' }]);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-backup-missing-dev', EvaluationPeriods: 7, DatapointsToAlarm: 7 });
  });

  test.each([
    ['rpo', { rpo: Duration.hours(0), completionWindow: Duration.hours(2) }],
    ['completionWindow', { rpo: Duration.hours(1), completionWindow: Duration.seconds(0) }],
  ])('a vault watched with a zero %s is refused', (prop, options) => {
    const stack = testStack();
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });
    const vault = awsbackup.BackupVault.fromBackupVaultName(stack, 'Vault', 'legacy-vault');
    expect(() => alarms.monitorBackupVault(vault, options)).toThrow(new RegExp(`^\`${prop}\` must be positive`));
  });
});
