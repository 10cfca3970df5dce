import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RegionSwitchPlan } from './region-switch-plan';
import { RegionSwitchRehearsalMarkerDatabase, RegionSwitchRehearsalMarkerTable } from './region-switch-rehearsal-props';
import { regionSwitchRehearsalNames } from '../names';
import { UNQUALIFIED_FUNCTION_ARN } from '../private/function-arn';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding } from '../private/nag';
import { retainUnlessDestroy } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';

/**
 * The parts of RegionSwitchRehearsal: its state machine and the check of its
 * marker table. Internal: not exported from the package.
 */

/** How often the state machine reads a running execution. */
const POLL_INTERVAL = Duration.seconds(30);
/** DynamoDB attribute names: 1 to 255 bytes (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html). */
const ATTRIBUTE_NAME_MAX = 255;

export interface RehearsalStateMachineOptions {
  /** The function that runs every task. */
  readonly fn: lambda.IFunction;
  readonly names: ReturnType<typeof regionSwitchRehearsalNames>;
  /** The key of the state machine's log group. */
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
  /** Each switch's timeout: the execution's is twice it plus an hour. */
  readonly timeoutMinutes: number;
}

/**
 * preflight -> failover (marker, start, wait/poll loop, verify) -> failback
 * (the same) -> record success. Every task's error goes to one Catch:
 * record the failure (metric and where the platform is), then fail.
 */
export function rehearsalStateMachine(scope: Construct, options: RehearsalStateMachineOptions): sfn.StateMachine {
  const { fn, names, encryptionKey, removalPolicy, timeoutMinutes } = options;
  // Retries Lambda's own transient errors (the invocation did not run, or its answer was lost): every task is idempotent except a start.
  const task = (id: string, payload: Record<string, unknown>, resultPath: string, idempotent = true) => {
    const t = new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath,
    });
    // Lambda's throttling means the invocation did not run: every task, a start included, is retried on it.
    // Its other errors may come after the function ran: retried for the idempotent tasks only.
    t.addRetry({
      errors: idempotent
        ? ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException']
        : ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
    });
    return t;
  };
  const rehearsalId = sfn.JsonPath.stringAt('$$.Execution.Name');
  // With the name, it makes each run's markers its own (a name may be reused after 90 days).
  const startedAt = sfn.JsonPath.stringAt('$$.Execution.StartTime');

  const failure = task('RecordFailure', { action: 'recordFailure', state: sfn.JsonPath.entirePayload }, '$.failure');
  const failed = new sfn.Fail(scope, 'RehearsalFailed', { error: 'RehearsalFailed', causePath: '$.failure.message' });
  // Should the record itself fail, the execution still fails, with the original error as its cause
  // (no failure metric then: the overdue alarm is what notices).
  failure.addCatch(new sfn.Fail(scope, 'RehearsalFailedUnrecorded', { error: 'RehearsalFailed', causePath: '$.error.Cause' }), { resultPath: '$.recordError' });
  failure.next(failed);

  const leg = (name: 'failover' | 'failback', title: string) => {
    const write = task(`Write${title}Marker`, { action: 'writeMarker', rehearsalId, startedAt, leg: name }, `$.${name}Marker`);
    // Not idempotent: a start whose answer was lost may have started the execution; a second start is not made blind.
    const start = task(`Start${title}`, { action: 'startSwitch', rehearsalId, leg: name }, `$.${name}`, false);
    const wait = new sfn.Wait(scope, `Wait${title}`, { time: sfn.WaitTime.duration(POLL_INTERVAL) });
    const poll = task(`Poll${title}`, { action: 'pollSwitch', execution: sfn.JsonPath.objectAt(`$.${name}`) }, `$.${name}`);
    const verify = task(`Verify${title}Marker`, { action: 'verifyMarker', marker: sfn.JsonPath.objectAt(`$.${name}Marker`) }, `$.${name}Verified`);
    const done = new sfn.Choice(scope, `${title}Done`)
      .when(sfn.Condition.stringEquals(`$.${name}.status`, 'succeeded'), verify)
      .otherwise(wait);
    for (const t of [write, start, poll, verify]) t.addCatch(failure, { resultPath: '$.error' });
    write.next(start).next(wait).next(poll).next(done);
    return { first: write, last: verify };
  };
  const preflight = task('Preflight', { action: 'preflight' }, '$.preflight');
  preflight.addCatch(failure, { resultPath: '$.error' });
  const failover = leg('failover', 'Failover');
  const failback = leg('failback', 'Failback');
  const record = task('RecordSuccess', {
    action: 'recordSuccess', failover: sfn.JsonPath.objectAt('$.failover'), failback: sfn.JsonPath.objectAt('$.failback'),
  }, '$.result');
  record.addCatch(failure, { resultPath: '$.error' });
  preflight.next(failover.first);
  failover.last.next(failback.first);
  failback.last.next(record);
  record.next(new sfn.Succeed(scope, 'RehearsalSucceeded'));

  const logGroup = createEncryptedLogGroup(scope, 'StateMachineLogs', {
    logGroupName: names.stateMachineLogGroup,
    retention: logs.RetentionDays.ONE_YEAR,
    encryptionKey,
    removalPolicy: retainUnlessDestroy(removalPolicy),
  });
  const role = new ManagedPolicyRole(scope, 'StateMachineRole', {
    assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
    description: `Runs the Region switch rehearsal state machine ${names.stateMachine}`,
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: names.stateMachine,
    role,
    definitionBody: sfn.DefinitionBody.fromChainable(preflight),
    // Two switches, each bounded by the function's own timeout check, plus an hour for the rest.
    timeout: Duration.minutes(2 * timeoutMinutes + 60),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    comment: 'Region switch rehearsal: a graceful switch to the secondary and back, measured, with markers proving the writes made before each switch survived it',
  });
  const ack = (finding: string) => acknowledgeFinding(role.policy!, finding, ['AwsSolutions'],
    'Region switch rehearsal: X-Ray and CloudWatch Logs delivery have no resource-level permissions, and Lambda:InvokeFunction on the function\'s versions and aliases is how aws-cdk-lib grants an invoke.');
  ack('IAM5[Resource::*]');
  ack(`IAM5[Resource::<${Stack.of(scope).getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`);
  return stateMachine;
}

/** The marker table, checked: names AWS accepts. */
export function checkMarkerTable(scope: Construct, table: RegionSwitchRehearsalMarkerTable): RegionSwitchRehearsalMarkerTable {
  if (!table || typeof table !== 'object') {
    throw new DrValidationError(scope, `\`markerTable\` must name the global table the markers go to, got: ${quote(String(table))}`);
  }
  const literal = (prop: string, value: string | undefined, pattern: RegExp, what: string) => {
    if (value === undefined) return;
    if (typeof value !== 'string' || Token.isUnresolved(value) || !pattern.test(value)) {
      throw new DrValidationError(scope, `\`markerTable.${prop}\` must be ${what} (a literal: the table lives in another stack and region), got: ${quote(String(value))}`);
    }
  };
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
  literal('tableName', table.tableName, /^[a-zA-Z0-9_.-]{3,255}$/, 'a DynamoDB table name, 3 to 255 of [a-zA-Z0-9_.-]');
  if (table.tableName === undefined) throw new DrValidationError(scope, '`markerTable.tableName` is required');
  for (const prop of ['partitionKeyName', 'sortKeyName'] as const) {
    const value = table[prop];
    if (prop === 'partitionKeyName' && value === undefined) throw new DrValidationError(scope, '`markerTable.partitionKeyName` is required');
    if (value !== undefined && (typeof value !== 'string' || Token.isUnresolved(value) || value.length < 1 || Buffer.byteLength(value) > ATTRIBUTE_NAME_MAX)) {
      throw new DrValidationError(scope, `\`markerTable.${prop}\` must be an attribute name of 1 to ${ATTRIBUTE_NAME_MAX} bytes, got: ${quote(String(value))}`);
    }
  }
  if (table.sortKeyName !== undefined && table.sortKeyName === table.partitionKeyName) {
    throw new DrValidationError(scope, `\`markerTable.sortKeyName\` must differ from \`partitionKeyName\`, got: ${quote(table.sortKeyName)} for both`);
  }
  literal('encryptionKeyAlias', table.encryptionKeyAlias, /^alias\/[a-zA-Z0-9:/_-]{1,250}$/, 'a KMS alias name, alias/ and 1 to 250 of [a-zA-Z0-9:/_-]');
  if (table.encryptionKeyAlias?.startsWith('alias/aws/')) {
    throw new DrValidationError(scope, `\`markerTable.encryptionKeyAlias\` must be a customer-managed key's alias, got the AWS managed ${quote(table.encryptionKeyAlias)}: leave it unset for a table encrypted with an AWS key`);
  }
  return table;
}

/**
 * The database marker functions, checked: each in its region, its ARN
 * known here (a literal, or a function in a stack of this region: no
 * reference crosses regions). Their ARNs, or undefined without them.
 */
export function checkMarkerDatabase(scope: Construct, database: RegionSwitchRehearsalMarkerDatabase | undefined, plan: RegionSwitchPlan):
{ primary: string; secondary: string } | undefined {
  if (database === undefined) return undefined;
  const here = Stack.of(scope);
  const arnOf = (prop: 'primaryFunction' | 'secondaryFunction', region: string): string => {
    const fn = database[prop];
    if (!fn || typeof fn !== 'object' || typeof (fn as lambda.IFunction).functionArn !== 'string') {
      throw new DrValidationError(scope, `\`markerDatabase.${prop}\` must be a Lambda function (lambda.IFunction), got: ${quote(String(fn))}`);
    }
    if (fn instanceof lambda.QualifiedFunctionBase) {
      throw new DrValidationError(scope,
        `\`markerDatabase.${prop}\` must be the function itself, not a version or alias (the rehearsal invokes and is granted the unqualified function), got: ${quote(fn.node.path)}`);
    }
    const arn = fn.functionArn;
    const fnRegion = Token.isUnresolved(fn.env.region) ? Stack.of(fn).region : fn.env.region;
    if (Token.isUnresolved(arn) && (Stack.of(fn).region !== here.region || Token.isUnresolved(here.region))) {
      throw new DrValidationError(scope,
        `\`markerDatabase.${prop}\` must be named by its ARN (lambda.Function.fromFunctionArn) when it lives in another region: its ARN cannot cross regions, got a function of ${quote(fn.node.path)}`);
    }
    if (!Token.isUnresolved(arn) && !UNQUALIFIED_FUNCTION_ARN.test(arn)) {
      throw new DrValidationError(scope, `\`markerDatabase.${prop}\` must be an unqualified function ARN (no version or alias: the function's own permissions are granted), got: ${quote(arn)}`);
    }
    if (!Token.isUnresolved(fnRegion) && fnRegion !== region) {
      throw new DrValidationError(scope, `\`markerDatabase.${prop}\` must be a function in ${region}, got one in ${quote(fnRegion)}: ${quote(fn.node.path)}`);
    }
    return arn;
  };
  return { primary: arnOf('primaryFunction', plan.primaryRegion), secondary: arnOf('secondaryFunction', plan.secondaryRegion) };
}
