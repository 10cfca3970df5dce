import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionSwitchPlan, RegionSwitchRehearsal, RegionSwitchRehearsalMarkerDatabase, RegionSwitchRehearsalProps } from '../../src';
import { DrValidationError } from '../../src/private/validation';
import { complianceTest, nagFindings, synth, testStack } from '../util';

const ACCOUNT = '123456789012';
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';

interface Built {
  readonly stack: Stack;
  readonly rehearsal: RegionSwitchRehearsal;
  readonly plan: RegionSwitchPlan;
  readonly t: Template;
}

interface BuildOptions {
  readonly validate?: boolean;
  readonly rtoMinutes?: number;
  /** Database marker functions, made in the rehearsal's stack. */
  readonly markerDatabase?: (stack: Stack) => RegionSwitchRehearsalMarkerDatabase;
}

function build(props: Partial<RegionSwitchRehearsalProps> = {}, options: BuildOptions = {}): Built {
  const stack = testStack({ env: { account: ACCOUNT, region: SECONDARY }, validate: options.validate });
  const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true, masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }) });
  const plan = new RegionSwitchPlan(stack, 'Switch', {
    environmentSuffix: 'test',
    primaryRegion: PRIMARY,
    secondaryRegion: SECONDARY,
    recoveryTimeObjective: Duration.minutes(options.rtoMinutes ?? 15),
    alarmTopic: topic,
  });
  const rehearsal = new RegionSwitchRehearsal(stack, 'Rehearsal', {
    environmentSuffix: 'test',
    plan,
    markerTable: { tableName: 'dr-table-test', partitionKeyName: 'pk', encryptionKeyAlias: 'alias/dr-table-test' },
    alarmTopic: topic,
    markerDatabase: options.markerDatabase?.(stack),
    ...props,
  });
  return { stack, rehearsal, plan, t: Template.fromStack(stack) };
}

/** The state machine's definition with every token (function ARNs) as a placeholder. */
function definition(t: Template): { StartAt: string; States: Record<string, any>; TimeoutSeconds?: number } {
  const machines = Object.values(t.findResources('AWS::StepFunctions::StateMachine'));
  expect(machines).toHaveLength(1);
  const body = machines[0].Properties.DefinitionString;
  const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
}

describe('defaults', () => {
  test('a monthly schedule (second Tuesday, 10:00 UTC) starts the state machine, not retried', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'dr-switch-rehearsal-test',
      ScheduleExpression: 'cron(0 10 ? * TUE#2 *)',
      State: 'ENABLED',
      Target: {
        Arn: { Ref: Match.stringLikeRegexp('^RehearsalStateMachine') },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    });
  });

  test('an hourly schedule publishes the age', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'dr-switch-rehearsal-age-test',
      ScheduleExpression: 'rate(1 hour)',
      Target: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RehearsalFunction'), 'Arn'] }, Input: '{"action":"publishAge"}' },
    });
  });

  test('the state machine: preflight, then each switch as marker, start, a Wait/poll loop and the marker read, then the success record', () => {
    const { t } = build();
    const d = definition(t);
    expect(d.StartAt).toBe('Preflight');
    const next = (s: string) => d.States[s].Next;
    const chain = ['Preflight', 'WriteFailoverMarker', 'StartFailover', 'WaitFailover', 'PollFailover', 'FailoverDone'];
    for (let i = 0; i < chain.length - 1; i++) expect(next(chain[i])).toBe(chain[i + 1]);
    for (const [title, then] of [['Failover', 'WriteFailbackMarker'], ['Failback', 'RecordSuccess']]) {
      expect(d.States[`Wait${title}`]).toEqual({ Type: 'Wait', Seconds: 30, Next: `Poll${title}` });
      expect(d.States[`${title}Done`]).toMatchObject({
        Type: 'Choice',
        Choices: [{ Variable: `$.${title.toLowerCase()}.status`, StringEquals: 'succeeded', Next: `Verify${title}Marker` }],
        Default: `Wait${title}`,
      });
      expect(next(`Verify${title}Marker`)).toBe(then);
    }
    expect(next('RecordSuccess')).toBe('RehearsalSucceeded');
    expect(d.States.RehearsalSucceeded.Type).toBe('Succeed');
    // Each marker is the run's own: its name and its start time.
    for (const leg of ['failover', 'failback']) {
      expect(d.States[`Write${leg[0].toUpperCase()}${leg.slice(1)}Marker`].Parameters).toEqual({
        'action': 'writeMarker', 'rehearsalId.$': '$$.Execution.Name', 'startedAt.$': '$$.Execution.StartTime', leg,
      });
    }
    // The poll reads the leg's execution and replaces it; the start is never retried, the others only on Lambda's own errors.
    // payloadResponseOnly: the task's parameters are the payload itself.
    expect(d.States.PollFailover.Parameters).toEqual({ 'action': 'pollSwitch', 'execution.$': '$.failover' });
    expect(d.States.PollFailover.ResultPath).toBe('$.failover');
    // A throttled invocation did not run: the start is retried on that alone, the idempotent tasks on Lambda's other transient errors too.
    for (const start of ['StartFailover', 'StartFailback']) {
      expect(d.States[start].Retry).toEqual([{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }]);
    }
    expect(d.States.PollFailover.Retry[0].ErrorEquals).toEqual(
      ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException']);
    expect(d.States.StartFailover.Parameters).toEqual({ 'action': 'startSwitch', 'rehearsalId.$': '$$.Execution.Name', 'leg': 'failover' });
  });

  test('every task catches everything into the failure record, which fails the execution with its message', () => {
    const { t } = build();
    const d = definition(t);
    const taskNames = Object.keys(d.States).filter((s) => d.States[s].Type === 'Task' && s !== 'RecordFailure');
    expect(taskNames.sort()).toEqual(['PollFailback', 'PollFailover', 'Preflight', 'RecordSuccess', 'StartFailback', 'StartFailover',
      'VerifyFailbackMarker', 'VerifyFailoverMarker', 'WriteFailbackMarker', 'WriteFailoverMarker']);
    for (const s of taskNames) {
      expect(d.States[s].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
    }
    expect(d.States.RecordFailure.Parameters).toEqual({ 'action': 'recordFailure', 'state.$': '$' });
    expect(d.States.RecordFailure.Next).toBe('RehearsalFailed');
    // Even when the failure record itself fails, the execution fails.
    expect(d.States.RecordFailure.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordError', Next: 'RehearsalFailedUnrecorded' }]);
    expect(d.States.RehearsalFailedUnrecorded).toEqual({ Type: 'Fail', Error: 'RehearsalFailed', CausePath: '$.error.Cause' });
    expect(d.States.RehearsalFailed).toEqual({ Type: 'Fail', Error: 'RehearsalFailed', CausePath: '$.failure.message' });
  });

  test('the execution times out after both switches\' timeouts plus an hour; the switch timeout defaults to twice the RTO, at least an hour', () => {
    expect(definition(build().t).TimeoutSeconds).toBe((2 * 60 + 60) * 60);
    const long = build({}, { rtoMinutes: 90 });
    expect(definition(long.t).TimeoutSeconds).toBe((2 * 180 + 60) * 60);
    expect(long.rehearsal.switchTimeout.toMinutes()).toBe(180);
    long.t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ LEG_TIMEOUT_MINUTES: '180', RTO_MINUTES: '90' }) } });
  });

  test('three alarms to the topic: failed and RTO keep their state between runs, overdue breaches when the hourly age stops', () => {
    const { t } = build();
    const topic = [{ Ref: Match.stringLikeRegexp('^Topic') }];
    const dims = [{ Name: 'Environment', Value: 'test' }, { Name: 'service', Value: 'region-switch-rehearsal' }];
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-rehearsal-failed-test',
      MetricName: 'RehearsalFailed',
      Namespace: 'CdkDrPlatform/Recovery',
      Dimensions: dims,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
      AlarmActions: topic,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-rehearsal-overdue-test',
      MetricName: 'HoursSinceLastRehearsal',
      Dimensions: dims,
      Threshold: 35 * 24 + 24,
      Period: 3600,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
      AlarmActions: topic,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-rehearsal-rto-test',
      MetricName: 'RehearsalMeasuredRto',
      Dimensions: dims,
      Statistic: 'Maximum',
      Threshold: 15 * 60,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'ignore',
      AlarmActions: topic,
    });
  });

  test('the function\'s policy, statement by statement', () => {
    const { t } = build();
    const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Runs the Region switch rehearsals') } });
    const statements = Object.values(policies)[0].Properties.PolicyDocument.Statement;
    const resolved = JSON.stringify(statements);
    expect(statements.map((st: any) => st.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['kms:Decrypt', 'kms:GenerateDataKey'],
      ['arc-region-switch:StartPlanExecution', 'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutionEvents',
        'arc-region-switch:ListPlanExecutions'],
      'ssm:GetParameter',
      ['ssm:GetParameter', 'ssm:PutParameter'],
      ['dynamodb:PutItem', 'dynamodb:GetItem'],
      ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      'sqs:SendMessage',
    ]);
    expect(statements).toContainEqual({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RehearsalEncryptionKey/), 'Arn'] },
    });
    expect(statements).toContainEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RehearsalDeadLetterQueue/), 'Arn'] } });
    expect(statements).toContainEqual({
      Action: ['arc-region-switch:StartPlanExecution', 'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutionEvents',
        'arc-region-switch:ListPlanExecutions'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SwitchPlan/), 'Arn'] },
    });
    expect(resolved).toContain(`:ssm:${SECONDARY}:${ACCOUNT}:parameter/test/region/writer`);
    expect(statements).toContainEqual(expect.objectContaining({ Action: ['ssm:GetParameter', 'ssm:PutParameter'] }));
    const dynamo = statements.find((s: any) => JSON.stringify(s.Action) === '["dynamodb:PutItem","dynamodb:GetItem"]');
    expect(dynamo.Resource).toHaveLength(2);
    expect(JSON.stringify(dynamo.Resource)).toContain(`:dynamodb:${PRIMARY}:${ACCOUNT}:table/dr-table-test`);
    expect(JSON.stringify(dynamo.Resource)).toContain(`:dynamodb:${SECONDARY}:${ACCOUNT}:table/dr-table-test`);
    const kmsStatement = statements.find((s: any) => s.Condition !== undefined);
    expect(kmsStatement.Action).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']);
    expect(kmsStatement.Condition).toEqual({
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/dr-table-test'] },
      'StringEquals': { 'kms:ViaService': [`dynamodb.${PRIMARY}.amazonaws.com`, `dynamodb.${SECONDARY}.amazonaws.com`] },
    });
    // No action wildcard anywhere.
    for (const s of statements) {
      for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
    }
  });

  test('the state machine may invoke the function only; the schedules may start it and invoke the function only', () => {
    const { t } = build();
    const policy = (description: RegExp) => Object.values(t.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.stringLikeRegexp(description.source) },
    }))[0].Properties.PolicyDocument.Statement as any[];
    const machine = policy(/^Runs the Region switch rehearsal state machine/);
    expect(machine.map((s) => s.Action).flat().sort()).toEqual([
      'lambda:InvokeFunction',
      'logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:GetLogDelivery',
      'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:UpdateLogDelivery',
      'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments',
    ].sort());
    const schedules = policy(/^Starts the Region switch rehearsals/);
    expect(schedules.map((s) => s.Action).flat().sort()).toEqual(['lambda:InvokeFunction', 'states:StartExecution']);
  });

  test('logs and queue are kept by default, deleted with DESTROY', () => {
    const policies = (t: Template) => ['AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::KMS::Key']
      .flatMap((type) => Object.entries(t.findResources(type)).filter(([id]) => id.startsWith('Rehearsal')).map(([, r]) => r.DeletionPolicy));
    expect(policies(build().t)).toEqual(['Retain', 'Retain', 'Retain', 'Retain']);
    expect(policies(build({ removalPolicy: RemovalPolicy.DESTROY }).t)).toEqual(['Delete', 'Delete', 'Delete', 'Delete']);
  });

  test('the last-success parameter starts at "never"', () => {
    build().t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/test/region/rehearsal/last-success', Value: 'never' });
  });
});

describe('overrides', () => {
  test('a schedule, its interval, a switch timeout and a disabled schedule', () => {
    const { t, rehearsal } = build({
      schedule: scheduler.ScheduleExpression.rate(Duration.days(7)),
      scheduleInterval: Duration.days(7),
      switchTimeout: Duration.minutes(45),
      enabled: false,
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { Name: 'dr-switch-rehearsal-test', ScheduleExpression: 'rate(7 days)', State: 'DISABLED' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-rehearsal-overdue-test', Threshold: 7 * 24 + 24 });
    expect(rehearsal.switchTimeout.toMinutes()).toBe(45);
  });

  test('a table without a customer-managed key gets no KMS permission; a sort key reaches the function', () => {
    const { t } = build({ markerTable: { tableName: 'orders', partitionKeyName: 'id', sortKeyName: 'sk' } });
    expect(JSON.stringify(t.findResources('AWS::IAM::ManagedPolicy'))).not.toContain('kms:ResourceAliases');
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ MARKER_TABLE: 'orders', MARKER_PARTITION_KEY: 'id', MARKER_SORT_KEY: 'sk' }) } });
  });

  test('widgets: one row of three graphs', () => {
    const { rehearsal } = build();
    expect(rehearsal.widgets()).toHaveLength(3);
  });
});

describe('database markers', () => {
  const PRIMARY_FN = `arn:aws:lambda:${PRIMARY}:${ACCOUNT}:function:dr-verify-writer-test`;
  /** The platform's shape: the primary's function named by ARN, the secondary's a function of this stack. */
  const platformLike = (stack: Stack): RegionSwitchRehearsalMarkerDatabase => ({
    primaryFunction: lambda.Function.fromFunctionArn(stack, 'PrimaryVerify', PRIMARY_FN),
    secondaryFunction: new lambda.Function(stack, 'SecondaryVerify', {
      runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromInline('def handler(e, c): return e'),
    }),
  });

  test('the function may invoke the two functions, unqualified, and nothing else; both reach its environment', () => {
    const { t } = build({}, { markerDatabase: platformLike });
    const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Runs the Region switch rehearsals') } });
    const statements = Object.values(policies)[0].Properties.PolicyDocument.Statement;
    const invoke = statements.filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('lambda:')));
    expect(invoke).toEqual([{
      Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: [PRIMARY_FN, { 'Fn::GetAtt': [expect.stringMatching(/^SecondaryVerify/), 'Arn'] }],
    }]);
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-switch-rehearsal-test',
      Environment: { Variables: Match.objectLike({ MARKER_FUNCTION_PRIMARY: PRIMARY_FN, MARKER_FUNCTION_SECONDARY: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecondaryVerify'), 'Arn'] } }) },
    });
  });

  test('without them, no invoke permission and no variables', () => {
    const { t } = build();
    const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Runs the Region switch rehearsals') } });
    expect(JSON.stringify(policies)).not.toContain('lambda:');
    expect(JSON.stringify(t.toJSON())).not.toContain('MARKER_FUNCTION_');
  });

  test('cdk-nag finds nothing of the rehearsal\'s', () => {
    const { stack } = build({}, { markerDatabase: platformLike });
    // The test's own stand-in function is no concern here.
    expect(nagFindings(stack).filter((f) => !f.includes('/SecondaryVerify/'))).toEqual([]);
  });

  complianceTest('the template passes strict schema validation', () => {
    const { stack } = build({}, { markerDatabase: platformLike, validate: true });
    expect(() => synth(stack)).not.toThrow();
  });

  test.each<[string, (stack: Stack) => RegionSwitchRehearsalMarkerDatabase, RegExp]>([
    ['the primary\'s function in the secondary region', (stack) => ({ ...platformLike(stack), primaryFunction: lambda.Function.fromFunctionArn(stack, 'P', `arn:aws:lambda:${SECONDARY}:${ACCOUNT}:function:f`) }),
      /`markerDatabase.primaryFunction` must be a function in us-east-1, got one in "us-west-2"/],
    ['a function of another stack of the secondary region as the primary\'s', (stack) => ({ ...platformLike(stack), primaryFunction: platformLike(new Stack(stack.node.scope!, 'Other', { env: { account: ACCOUNT, region: SECONDARY } })).secondaryFunction }),
      /`markerDatabase.primaryFunction` must be a function in us-east-1, got one in "us-west-2"/],
    ['a function of a stack in the primary region, by reference', (stack) => ({ ...platformLike(stack), primaryFunction: platformLike(new Stack(stack.node.scope!, 'Primary', { env: { account: ACCOUNT, region: PRIMARY } })).secondaryFunction }),
      /`markerDatabase.primaryFunction` must be named by its ARN \(lambda.Function.fromFunctionArn\) when it lives in another region/],
    ['an alias of a function of this stack', (stack) => {
      const fn = new lambda.Function(stack, 'Aliased', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromInline('def handler(e, c): return e') });
      return { ...platformLike(stack), secondaryFunction: new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion }) };
    }, /`markerDatabase.secondaryFunction` must be the function itself, not a version or alias/],
    ['an alias of the function', (stack) => ({ ...platformLike(stack), primaryFunction: lambda.Function.fromFunctionArn(stack, 'P', `${PRIMARY_FN}:live`) }),
      /`markerDatabase.primaryFunction` must be an unqualified function ARN/],
    ['something that is not a function', (stack) => ({ ...platformLike(stack), secondaryFunction: 'dr-verify-writer-test' as unknown as lambda.IFunction }),
      /`markerDatabase.secondaryFunction` must be a Lambda function \(lambda.IFunction\), got: "dr-verify-writer-test"/],
  ])('%s is refused', (_, markerDatabase, message) => {
    expect(() => build({}, { markerDatabase })).toThrow(message);
  });
});

describe('validation', () => {
  test.each([
    ['at(2027-01-01T10:00:00)', /`schedule` must be a recurring EventBridge Scheduler expression/],
    ['cron(0 10 * * ?)', /six fields/],
    ['cron(0 10 * * MON *)', /exactly one of day-of-month and day-of-week/],
    ['rate(1 days)', /singular unit for 1/],
    ['rate(2 hours)', /more than once a day/],
    ['rate(0 days)', /rate of at least 1/],
  ])('schedule %s is refused', (expression, message) => {
    expect(() => build({ schedule: scheduler.ScheduleExpression.expression(expression), scheduleInterval: Duration.days(30) })).toThrow(message);
  });

  test('a schedule needs its interval', () => {
    expect(() => build({ schedule: scheduler.ScheduleExpression.rate(Duration.days(7)) })).toThrow(/`scheduleInterval` must be given with `schedule`/);
  });

  test('an interval shorter than the rate is refused', () => {
    expect(() => build({ schedule: scheduler.ScheduleExpression.rate(Duration.days(30)), scheduleInterval: Duration.days(7) }))
      .toThrow(/`scheduleInterval` \(168 hours\) must be at least the schedule's rate/);
  });

  test.each([Duration.hours(12), Duration.days(93), Duration.minutes(90)])('scheduleInterval %s is refused', (interval) => {
    expect(() => build({ scheduleInterval: interval })).toThrow(DrValidationError);
  });

  test.each([Duration.minutes(4), Duration.days(8), Duration.seconds(90)])('switchTimeout %s is refused', (timeout) => {
    expect(() => build({ switchTimeout: timeout })).toThrow(/`switchTimeout` must be a whole number of minutes from 5 to 10080/);
  });

  test.each([
    [{ tableName: 'ab', partitionKeyName: 'pk' }, /`markerTable.tableName` must be a DynamoDB table name/],
    [{ tableName: 'has space', partitionKeyName: 'pk' }, /`markerTable.tableName`/],
    [{ tableName: 'orders', partitionKeyName: '' }, /`markerTable.partitionKeyName` must be an attribute name/],
    [{ tableName: 'orders', partitionKeyName: 'x'.repeat(256) }, /`markerTable.partitionKeyName`/],
    [{ tableName: 'orders', partitionKeyName: 'pk', sortKeyName: 'pk' }, /must differ from `partitionKeyName`/],
    [{ tableName: 'orders', partitionKeyName: 'pk', encryptionKeyAlias: 'dr-table-test' }, /`markerTable.encryptionKeyAlias` must be a KMS alias name/],
    [{ tableName: 'orders', partitionKeyName: 'pk', encryptionKeyAlias: 'alias/aws/dynamodb' }, /customer-managed key's alias/],
  ])('markerTable %j is refused', (markerTable, message) => {
    expect(() => build({ markerTable })).toThrow(message);
  });
});

describe('compliance', () => {
  test('cdk-nag: zero unacknowledged findings in the whole stack', () => {
    const { stack } = build();
    expect(nagFindings(stack)).toEqual([]);
  });

  complianceTest('the template passes strict CloudFormation schema validation', () => {
    const { stack } = build({}, { validate: true });
    expect(() => synth(stack)).not.toThrow();
  });
});
