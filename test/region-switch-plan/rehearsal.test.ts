import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import {
  describeFailure,
  emfPublisher,
  LegExecution,
  MARKER_ATTRIBUTE,
  Marker,
  MetricRecord,
  readConfig,
  RehearsalConfig,
  RehearsalDeps,
  run,
} from '../../src/region-switch-plan/rehearsal.lambda';

const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';
const PLAN = 'arn:aws:arc-region-switch::123456789012:plan/dr-switch-test:abc123';
const ENV = {
  PLAN_ARN: PLAN,
  PRIMARY_REGION: PRIMARY,
  SECONDARY_REGION: SECONDARY,
  ENVIRONMENT: 'test',
  RTO_MINUTES: '15',
  LEG_TIMEOUT_MINUTES: '60',
  WRITER_REGION_PARAMETER: '/test/region/writer',
  LAST_SUCCESS_PARAMETER: '/test/region/rehearsal/last-success',
  AWS_REGION: SECONDARY,
  MARKER_TABLE: 'dr-table-test',
  MARKER_PARTITION_KEY: 'pk',
};
const CONFIG: RehearsalConfig = readConfig(ENV);
const ID = 'rehearsal-0001';
const T0 = Date.parse('2026-06-09T10:00:00Z');

function throttle(): Error {
  const e = new Error('Rate exceeded');
  e.name = 'ThrottlingException';
  return e;
}

/** A global table of two replicas; `replicate` false drops what the primary wrote (a lost write). */
function globalTable(options: { replicate?: boolean; throttleFirst?: boolean } = {}) {
  const items: Record<string, Map<string, Record<string, any>>> = { [PRIMARY]: new Map(), [SECONDARY]: new Map() };
  const clients: Record<string, DynamoDBClient> = {};
  const mocks: Record<string, ReturnType<typeof mockClient>> = {};
  for (const region of [PRIMARY, SECONDARY]) {
    const client = new DynamoDBClient({ region });
    clients[region] = client;
    const mock = mockClient(client);
    mocks[region] = mock;
    const throttled = new Set<string>();
    const maybeThrottle = (op: string) => {
      if (options.throttleFirst && !throttled.has(op)) {
        throttled.add(op);
        throw throttle();
      }
    };
    mock.on(PutItemCommand).callsFake((input) => {
      maybeThrottle('put');
      const key = input.Item.pk.S;
      const existing = items[region].get(key);
      if (existing && existing[MARKER_ATTRIBUTE]?.S !== input.ExpressionAttributeValues[':m'].S) {
        const e = new Error('The conditional request failed');
        e.name = 'ConditionalCheckFailedException';
        throw e;
      }
      for (const r of [PRIMARY, SECONDARY]) {
        if (r === region || options.replicate !== false) items[r].set(key, input.Item);
      }
      return {};
    });
    mock.on(GetItemCommand).callsFake((input) => {
      maybeThrottle('get');
      return { Item: items[region].get(input.Key.pk.S) };
    });
  }
  return { items, clients, mocks };
}

/** The SSM parameters of both regions. */
function parameters(writer: string, lastSuccess = 'never', options: { throttleFirst?: boolean } = {}) {
  const values: Record<string, Record<string, string>> = {
    [PRIMARY]: { [ENV.WRITER_REGION_PARAMETER]: writer },
    [SECONDARY]: { [ENV.WRITER_REGION_PARAMETER]: writer, [ENV.LAST_SUCCESS_PARAMETER]: lastSuccess },
  };
  const clients: Record<string, SSMClient> = {};
  const calls: Record<string, ReturnType<typeof mockClient>> = {};
  for (const region of [PRIMARY, SECONDARY]) {
    const client = new SSMClient({ region });
    clients[region] = client;
    const mock = mockClient(client);
    const throttled = new Set<string>();
    const maybeThrottle = (op: string) => {
      if (options.throttleFirst && !throttled.has(op)) {
        throttled.add(op);
        throw throttle();
      }
    };
    calls[region] = mock;
    mock.on(GetParameterCommand).callsFake((input) => (maybeThrottle('get'), {
      Parameter: { Name: input.Name, Value: values[region][input.Name], LastModifiedDate: new Date(T0 - 10 * 86_400_000) },
    }));
    mock.on(PutParameterCommand).callsFake((input) => {
      maybeThrottle('put');
      values[region][input.Name] = input.Value;
      return { Version: 2 };
    });
  }
  return { values, clients, calls };
}

/** ARC: each started execution runs for `pollsUntilDone` polls, then ends in `final` (per leg in order). */
function fakeArc(options: {
  finals?: string[];
  pollsUntilDone?: number;
  throttleFirst?: boolean;
  startError?: Error;
  /** ListPlanExecutions pages per region. */
  listed?: Record<string, { executionId: string; executionState: string }[][]>;
} = {}) {
  const calls: { op: string; input: any; region: string }[] = [];
  const executions = new Map<string, { polls: number; final: string; start: number }>();
  let throttled = !options.throttleFirst;
  let started = 0;
  const arc = {
    call: async (op: string, input: any, region: string): Promise<any> => {
      calls.push({ op, input, region });
      if (!throttled) {
        throttled = true;
        throw throttle();
      }
      if (op === 'StartPlanExecution') {
        if (options.startError) throw options.startError;
        const id = `${region}/${String(++started).padStart(16, '0')}`;
        executions.set(id, { polls: 0, final: options.finals?.[started - 1] ?? 'completed', start: T0 / 1000 + started * 1000 });
        return { executionId: id };
      }
      if (op === 'GetPlanExecution') {
        const e = executions.get(input.executionId)!;
        e.polls++;
        const done = e.polls > (options.pollsUntilDone ?? 1);
        return {
          executionState: done ? e.final : 'inProgress',
          startTime: e.start,
          endTime: done ? e.start + 600 : undefined,
          stepStates: [
            { name: 'fence', status: 'completed', startTime: e.start, endTime: e.start + 20 },
            { name: 'aurora', status: done ? 'completed' : 'running', startTime: e.start + 20, endTime: done ? e.start + 500 : undefined },
          ],
        };
      }
      if (op === 'ListPlanExecutions') {
        const pages = options.listed?.[region] ?? [[]];
        const index = input.nextToken ? Number(input.nextToken) : 0;
        return { items: pages[index], ...(index + 1 < pages.length ? { nextToken: String(index + 1) } : {}) };
      }
      if (op === 'ListPlanExecutionEvents') {
        return { items: [{ eventId: '1', timestamp: 1, type: 'stepFailed', stepName: 'aurora', error: 'SwitchoverGlobalCluster: InvalidDBClusterStateFault' }] };
      }
      throw new Error(`unexpected ${op}`);
    },
  };
  return { arc, calls };
}

const FN = (region: string) => `arn:aws:lambda:${region}:123456789012:function:dr-verify-writer-test`;
const DB_CONFIG: RehearsalConfig = readConfig({ ...ENV, MARKER_FUNCTION_PRIMARY: FN(PRIMARY), MARKER_FUNCTION_SECONDARY: FN(SECONDARY) });

/**
 * The verify-writer functions of both regions over one global database:
 * `replicate` false loses what the region being left wrote; `writer` is the
 * region whose cluster takes writes (the other function fails, as the real
 * one does on a replica); `throttleFirst` throttles each region's first invoke.
 */
interface DatabaseOptions {
  readonly replicate?: boolean;
  readonly throttleFirst?: boolean;
  /** A scripted answer instead of the fake cluster's. */
  readonly answer?: (request: any, region: string) => { payload?: string; functionError?: string } | undefined;
}

function databases(options: DatabaseOptions = {}) {
  const rows: Record<string, Map<string, { writtenIn: string; writtenAt: string }>> = { [PRIMARY]: new Map(), [SECONDARY]: new Map() };
  /** Every invocation, in order: the function, the region asked, and the request. */
  const calls: { functionArn: string; region: string; request: any }[] = [];
  const throttled = new Set<string>();
  const invoke = async (functionArn: string, region: string, payload: string) => {
    if (options.throttleFirst && !throttled.has(region)) {
      throttled.add(region);
      throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    }
    if (functionArn !== FN(region)) throw new Error(`${functionArn} invoked in ${region}`);
    const request = JSON.parse(payload).rehearsalMarker;
    calls.push({ functionArn, region, request });
    const scripted = options.answer?.(request, region);
    if (scripted) return { statusCode: 200, functionError: scripted.functionError, payload: scripted.payload ?? '' };
    if (request.action === 'write') {
      const row = rows[region].get(request.marker) ?? { writtenIn: region, writtenAt: '2026-06-09T10:00:00.000Z' };
      for (const r of [PRIMARY, SECONDARY]) {
        if (r === region || options.replicate !== false) rows[r].set(request.marker, row);
      }
    }
    const row = rows[region].get(request.marker);
    const answer = { action: request.action, marker: request.marker, found: !!row, ...row, region };
    return { statusCode: 200, payload: JSON.stringify(answer) };
  };
  return { rows, calls, invoke, throttled };
}

function deps(table = globalTable(), ssm = parameters(PRIMARY), arc = fakeArc().arc, published: MetricRecord[] = [], db = databases()) {
  let now = T0;
  const d: RehearsalDeps = {
    arc,
    dynamodb: (region) => table.clients[region],
    ssm: (region) => ssm.clients[region],
    invoke: db.invoke,
    publish: (records) => published.push(...records),
    clock: { now: () => now, sleep: async (ms) => { now += ms; } },
  };
  return { deps: d, advance: (ms: number) => { now += ms; }, published, table, ssm };
}

/** Runs the state machine's happy path as Step Functions would, with state carried between tasks. */
async function rehearse(d: RehearsalDeps, advance: (ms: number) => void, config = CONFIG): Promise<Record<string, any>> {
  const state: Record<string, any> = {};
  state.preflight = await run({ action: 'preflight' }, config, d);
  for (const leg of ['failover', 'failback']) {
    state[`${leg}Marker`] = await run({ action: 'writeMarker', rehearsalId: ID, leg }, config, d);
    state[leg] = await run({ action: 'startSwitch', rehearsalId: ID, leg }, config, d);
    for (let i = 0; state[leg].status !== 'succeeded'; i++) {
      if (i > 100) throw new Error('the loop never ended');
      advance(30_000);
      state[leg] = await run({ action: 'pollSwitch', execution: state[leg] }, config, d);
    }
    state[`${leg}Verified`] = await run({ action: 'verifyMarker', marker: state[`${leg}Marker`] }, config, d);
  }
  state.result = await run({ action: 'recordSuccess', failover: state.failover, failback: state.failback }, config, d);
  return state;
}

describe('a successful rehearsal', () => {
  test('switches to the secondary and back on each activated region\'s data plane, graceful, and proves both markers', async () => {
    const fake = fakeArc({ pollsUntilDone: 2 });
    const { deps: d, advance, published, ssm } = deps(undefined, undefined, fake.arc);
    const state = await rehearse(d, advance);
    const starts = fake.calls.filter((c) => c.op === 'StartPlanExecution');
    expect(starts.map((c) => [c.region, c.input.targetRegion, c.input.action, c.input.mode])).toEqual([
      [SECONDARY, SECONDARY, 'activate', 'graceful'],
      [PRIMARY, PRIMARY, 'activate', 'graceful'],
    ]);
    expect(fake.calls.filter((c) => c.op === 'GetPlanExecution').map((c) => c.region)).toEqual([SECONDARY, SECONDARY, SECONDARY, PRIMARY, PRIMARY, PRIMARY]);
    expect(state.failoverVerified).toEqual({ verifiedIn: SECONDARY, writtenIn: PRIMARY });
    expect(state.failbackVerified).toEqual({ verifiedIn: PRIMARY, writtenIn: SECONDARY });
    expect(state.result).toMatchObject({ outcome: 'succeeded', measuredRtoSeconds: 600, totalSeconds: 1200, rtoTargetSeconds: 900, rtoMet: true });
    expect(state.result.legs[0].steps).toEqual([{ name: 'fence', seconds: 20 }, { name: 'aurora', seconds: 480 }]);
    expect(ssm.values[SECONDARY][ENV.LAST_SUCCESS_PARAMETER]).toBe(new Date(T0 + 6 * 30_000).toISOString());
    expect(published).toEqual(expect.arrayContaining([
      { name: 'RehearsalSucceeded', unit: 'Count', value: 1 },
      { name: 'RehearsalFailed', unit: 'Count', value: 0 },
      { name: 'RehearsalMeasuredRto', unit: 'Seconds', value: 600 },
      { name: 'RehearsalLegRto', unit: 'Seconds', value: 600, dimensions: { Leg: 'failback' } },
      { name: 'RehearsalStepDuration', unit: 'Seconds', value: 480, dimensions: { Leg: 'failover', Step: 'aurora' } },
    ]));
  });

  test('ARC\'s actual recovery time, when given, is the measured RTO', async () => {
    const fake = fakeArc();
    const original = fake.arc.call;
    fake.arc.call = async (op, input, region) => {
      const out = await original(op, input, region);
      return op === 'GetPlanExecution' && out.executionState === 'completed' ? { ...out, actualRecoveryTime: 'PT12M30S' } : out;
    };
    const { deps: d, advance } = deps(undefined, undefined, fake.arc);
    const state = await rehearse(d, advance);
    expect(state.failover).toMatchObject({ rtoSeconds: 750, rtoSource: 'ARC actual recovery time' });
  });

  test('throttling of ARC, DynamoDB and SSM is retried, and the rehearsal still succeeds', async () => {
    const table = globalTable({ throttleFirst: true });
    const ssm = parameters(PRIMARY, 'never', { throttleFirst: true });
    const fake = fakeArc({ throttleFirst: true });
    const { deps: d, advance } = deps(table, ssm, fake.arc);
    const state = await rehearse(d, advance);
    expect(state.result.outcome).toBe('succeeded');
    // Each first call was throttled and made again.
    expect(table.mocks[PRIMARY].commandCalls(PutItemCommand)).toHaveLength(2);
    expect(table.mocks[SECONDARY].commandCalls(GetItemCommand)).toHaveLength(2);
    expect(ssm.calls[SECONDARY].commandCalls(PutParameterCommand)).toHaveLength(2);
    expect(fake.calls[0].op).toBe(fake.calls[1].op);
  });
});

describe('failures', () => {
  test('a failed switch throws with the execution\'s state and its last error; the failure says the platform may be part-way', async () => {
    const fake = fakeArc({ finals: ['failed'] });
    const { deps: d, advance, published } = deps(undefined, undefined, fake.arc);
    const state: Record<string, any> = {};
    state.failover = await run({ action: 'startSwitch', rehearsalId: ID, leg: 'failover' }, CONFIG, d);
    advance(30_000);
    state.failover = await run({ action: 'pollSwitch', execution: state.failover }, CONFIG, d);
    advance(30_000);
    const error = await run({ action: 'pollSwitch', execution: state.failover }, CONFIG, d).then(() => new Error('resolved'), (e: Error) => e);
    expect(error.name).toBe('RehearsalSwitchFailed');
    expect(error.message).toMatch(/ended failed: step aurora: SwitchoverGlobalCluster: InvalidDBClusterStateFault/);
    const failure: any = await run({ action: 'recordFailure', state: { ...state, error: { Error: error.name, Cause: JSON.stringify({ errorMessage: error.message }) } } }, CONFIG, d);
    expect(failure.platformIn).toBe('unknown');
    expect(failure.message).toMatch(/^the switch to us-west-2 \(execution us-west-2\/0+1\) did not complete/);
    expect(failure.message).toContain('InvalidDBClusterStateFault');
    expect(published).toEqual([{ name: 'RehearsalFailed', unit: 'Count', value: 1 }, { name: 'RehearsalSucceeded', unit: 'Count', value: 0 }]);
  });

  test.each([
    ['pausedByFailedStep', 'RehearsalSwitchPaused', /waits for an operator/],
    ['canceled', 'RehearsalSwitchFailed', /ended canceled/],
    ['planExecutionTimedOut', 'RehearsalSwitchFailed', /ended planExecutionTimedOut/],
  ])('an execution that ends %s fails the rehearsal (%s)', async (final, name, message) => {
    const fake = fakeArc({ finals: [final], pollsUntilDone: 0 });
    const { deps: d } = deps(undefined, undefined, fake.arc);
    const started = await run({ action: 'startSwitch', rehearsalId: ID, leg: 'failover' }, CONFIG, d);
    const error = await run({ action: 'pollSwitch', execution: started }, CONFIG, d).then(() => new Error('resolved'), (e: Error) => e);
    expect(error.name).toBe(name);
    expect(error.message).toMatch(message);
  });

  test('a switch still running past the switch timeout fails the rehearsal, saying ARC goes on', async () => {
    const fake = fakeArc({ pollsUntilDone: 1000 });
    const { deps: d, advance } = deps(undefined, undefined, fake.arc);
    const started = await run({ action: 'startSwitch', rehearsalId: ID, leg: 'failover' }, CONFIG, d) as LegExecution;
    advance(59 * 60_000);
    await expect(run({ action: 'pollSwitch', execution: started }, CONFIG, d)).resolves.toMatchObject({ status: 'running', state: 'inProgress' });
    advance(2 * 60_000);
    await expect(run({ action: 'pollSwitch', execution: started }, CONFIG, d)).rejects.toMatchObject({
      name: 'RehearsalSwitchTimedOut', message: expect.stringMatching(/still inProgress after 61 minutes .*goes on in ARC/),
    });
  });

  test('a failed switch back says loudly that the platform was left switched', () => {
    const failover = { leg: 'failover', executionId: 'us-west-2/1', status: 'succeeded' } as LegExecution;
    const leftSwitched = describeFailure(CONFIG, { failover, error: { Error: 'RehearsalDataLoss', Cause: 'x' } });
    expect(leftSwitched.platformIn).toBe('secondary');
    expect(leftSwitched.message).toMatch(/^REHEARSAL LEFT THE PLATFORM SWITCHED: it runs in us-west-2; switch back with cdk-dr switch --to us-east-1/);
    const failback = { leg: 'failback', executionId: 'us-east-1/2', status: 'running' } as LegExecution;
    const partWay = describeFailure(CONFIG, { failover, failback, error: { Error: 'RehearsalSwitchFailed', Cause: '{"errorMessage":"ended failed"}' } });
    expect(partWay.platformIn).toBe('unknown');
    expect(partWay.message).toMatch(/^REHEARSAL LEFT THE PLATFORM SWITCHED: the switch back to us-east-1 \(execution us-east-1\/2\) did not complete/);
    expect(partWay.error).toBe('RehearsalSwitchFailed: ended failed');
    expect(describeFailure(CONFIG, { error: { Error: 'RehearsalNotOnPrimary' } })).toMatchObject({ platformIn: 'primary', message: expect.stringMatching(/^no switch started/) });
    expect(describeFailure(CONFIG, { failover, failback: { ...failback, status: 'succeeded' } }).platformIn).toBe('primary');
  });

  test('a marker missing after the switch is data loss and fails the rehearsal', async () => {
    const table = globalTable({ replicate: false });
    const { deps: d } = deps(table);
    const marker = await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, CONFIG, d) as Marker;
    expect(marker.writtenIn).toBe(PRIMARY);
    await expect(run({ action: 'verifyMarker', marker }, CONFIG, d)).rejects.toMatchObject({
      name: 'RehearsalDataLoss', message: expect.stringMatching(/written in us-east-1 .* before the failover, is missing in dr-table-test in us-west-2 after it/),
    });
    expect(table.mocks[SECONDARY].commandCalls(GetItemCommand)[0].args[0].input).toMatchObject({ ConsistentRead: true });
  });

  test('a marker with another value is data loss too', async () => {
    const table = globalTable();
    const { deps: d } = deps(table);
    const marker = await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, CONFIG, d) as Marker;
    table.items[SECONDARY].set(marker.key, { ...table.items[SECONDARY].get(marker.key), [MARKER_ATTRIBUTE]: { S: 'older' } });
    await expect(run({ action: 'verifyMarker', marker }, CONFIG, d)).rejects.toMatchObject({ name: 'RehearsalDataLoss', message: expect.stringMatching(/different \("older"\)/) });
  });

  test('the preflight refuses a platform that is not on the primary, and nothing starts', async () => {
    const fake = fakeArc();
    const { deps: d } = deps(undefined, parameters(SECONDARY), fake.arc);
    await expect(run({ action: 'preflight' }, CONFIG, d)).rejects.toMatchObject({
      name: 'RehearsalNotOnPrimary', message: expect.stringMatching(/names "us-west-2", not the primary us-east-1/),
    });
    expect(fake.calls).toEqual([]);
  });

  test.each(['inProgress', 'pendingManualApproval', 'pausedByFailedStep', 'pausedByOperator', 'pending', 'completedMonitoringApplicationHealth', 'someNewState'])(
    'the preflight refuses while an execution of the plan is %s, on any page of either region, and nothing starts', async (state) => {
      const fake = fakeArc({
        listed: {
          [SECONDARY]: [[{ executionId: 'us-west-2/1', executionState: 'completed' }]],
          [PRIMARY]: [[{ executionId: 'us-east-1/2', executionState: 'failed' }], [{ executionId: 'us-east-1/3', executionState: state }]],
        },
      });
      const { deps: d } = deps(undefined, undefined, fake.arc);
      await expect(run({ action: 'preflight' }, CONFIG, d)).rejects.toMatchObject({
        name: 'RehearsalPlanBusy', message: expect.stringContaining(`us-east-1/3 ${state}, listed in us-east-1`),
      });
      expect(fake.calls.map((c) => [c.op, c.region, c.input.nextToken])).toEqual([
        ['ListPlanExecutions', SECONDARY, undefined], ['ListPlanExecutions', PRIMARY, undefined], ['ListPlanExecutions', PRIMARY, '1'],
      ]);
    });

  test('a listing longer than the preflight reads is unknown, and refused', async () => {
    const fake = fakeArc({ listed: { [SECONDARY]: Array.from({ length: 60 }, () => [{ executionId: 'a', executionState: 'completed' }]) } });
    const { deps: d } = deps(undefined, undefined, fake.arc);
    await expect(run({ action: 'preflight' }, CONFIG, d)).rejects.toMatchObject({ name: 'RehearsalPlanBusy', message: expect.stringMatching(/more than 50 pages .* unknown/) });
  });

  test('the preflight passes over executions that ended', async () => {
    const fake = fakeArc({ listed: { [SECONDARY]: [[{ executionId: 'a', executionState: 'completed' }, { executionId: 'b', executionState: 'canceled' }]] } });
    const { deps: d } = deps(undefined, undefined, fake.arc);
    await expect(run({ action: 'preflight' }, CONFIG, d)).resolves.toEqual({ writerRegion: PRIMARY, otherExecutions: 2 });
  });

  test('an access error from ARC is not retried and fails the start', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const fake = fakeArc({ startError: denied });
    const { deps: d } = deps(undefined, undefined, fake.arc);
    await expect(run({ action: 'startSwitch', rehearsalId: ID, leg: 'failover' }, CONFIG, d)).rejects.toBe(denied);
    expect(fake.calls).toHaveLength(1);
  });
});

describe('idempotence', () => {
  test('writing the same marker twice (a retried task) leaves one item and succeeds', async () => {
    const table = globalTable();
    const { deps: d } = deps(table);
    const first = await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, CONFIG, d) as Marker;
    const second = await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, CONFIG, d) as Marker;
    expect(second.key).toBe(first.key);
    expect(second.value).toBe(first.value);
    expect([...table.items[PRIMARY].keys()]).toEqual([`dr-rehearsal#${ID}#failover`]);
    // Verifying twice reads twice and changes nothing.
    await run({ action: 'verifyMarker', marker: first }, CONFIG, d);
    await run({ action: 'verifyMarker', marker: first }, CONFIG, d);
    expect(table.items[SECONDARY].size).toBe(1);
  });

  test('an application item under the marker\'s key is never overwritten', async () => {
    const table = globalTable();
    table.items[PRIMARY].set(`dr-rehearsal#${ID}#failover`, { pk: { S: `dr-rehearsal#${ID}#failover` }, [MARKER_ATTRIBUTE]: { S: 'app' } });
    const { deps: d } = deps(table);
    await expect(run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, CONFIG, d)).rejects.toMatchObject({ name: 'RehearsalMarkerConflict' });
    expect(table.items[PRIMARY].get(`dr-rehearsal#${ID}#failover`)![MARKER_ATTRIBUTE].S).toBe('app');
  });

  test('polling a finished execution again gives the same result', async () => {
    const fake = fakeArc({ pollsUntilDone: 0 });
    const { deps: d } = deps(undefined, undefined, fake.arc);
    const started = await run({ action: 'startSwitch', rehearsalId: ID, leg: 'failover' }, CONFIG, d);
    const once = await run({ action: 'pollSwitch', execution: started }, CONFIG, d);
    const twice = await run({ action: 'pollSwitch', execution: started }, CONFIG, d);
    expect(twice).toEqual(once);
  });

  test('a sort key gets the marker key too', async () => {
    const table = globalTable();
    const { deps: d } = deps(table);
    await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failback' }, { ...CONFIG, markerSortKey: 'sk' }, d);
    expect(table.mocks[SECONDARY].commandCalls(PutItemCommand)[0].args[0].input.Item).toMatchObject({
      pk: { S: `dr-rehearsal#${ID}#failback` }, sk: { S: `dr-rehearsal#${ID}#failback` },
    });
  });
});

describe('database markers: through each region\'s writer, by its verify-writer function', () => {
  test('each leg writes the row through the region being left and reads it through the region activated; the table markers still go', async () => {
    const db = databases();
    const table = globalTable();
    const { deps: d, advance } = deps(table, undefined, fakeArc().arc, [], db);
    const state = await rehearse(d, advance, DB_CONFIG);
    const invoked = (region: string) => db.calls.filter((c) => c.region === region).map((c) => [c.functionArn, c.request]);
    expect(invoked(PRIMARY)).toEqual([
      [FN(PRIMARY), { action: 'write', marker: `${ID}#failover` }],
      [FN(PRIMARY), { action: 'read', marker: `${ID}#failback` }],
    ]);
    expect(invoked(SECONDARY)).toEqual([
      [FN(SECONDARY), { action: 'read', marker: `${ID}#failover` }],
      [FN(SECONDARY), { action: 'write', marker: `${ID}#failback` }],
    ]);
    expect(state.failoverMarker.database).toEqual({ function: FN(PRIMARY), writtenAt: '2026-06-09T10:00:00.000Z' });
    expect(state.failoverVerified).toEqual({ verifiedIn: SECONDARY, writtenIn: PRIMARY, databaseVerifiedBy: FN(SECONDARY) });
    expect(state.failbackVerified).toEqual({ verifiedIn: PRIMARY, writtenIn: SECONDARY, databaseVerifiedBy: FN(PRIMARY) });
    expect(table.mocks[PRIMARY].commandCalls(PutItemCommand)).toHaveLength(1);
    expect(state.result.outcome).toBe('succeeded');
  });

  test('a row missing from the new writer is data loss, even with the table marker there', async () => {
    const { deps: d } = deps(undefined, undefined, undefined, [], databases({ replicate: false }));
    const marker = await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, DB_CONFIG, d) as Marker;
    await expect(run({ action: 'verifyMarker', marker }, DB_CONFIG, d)).rejects.toMatchObject({
      name: 'RehearsalDataLoss',
      message: `the database marker ${ID}#failover written through ${FN(PRIMARY)} in ${PRIMARY} at 2026-06-09T10:00:00.000Z, before the failover, `
        + `is missing from the writer in ${SECONDARY} after it (read by ${FN(SECONDARY)}): the write did not survive the switch`,
    });
  });

  test.each([
    ['the function failed (a replica, not the writer)', { functionError: 'Unhandled', payload: JSON.stringify({ errorType: 'Error', errorMessage: 'the cluster at db in us-east-1 is a replica in recovery' }) },
      /the marker write by .* failed \(Unhandled\): the cluster at db in us-east-1 is a replica in recovery/],
    ['the function failed with no payload', { functionError: 'Unhandled' }, /failed \(Unhandled\): no message/],
    ['an answer that is not JSON', { payload: 'not json' }, /answered "not json", not a marker result/],
    ['an answer for another marker', { payload: JSON.stringify({ marker: 'other', found: true }) }, /not a marker result for rehearsal-0001#failover/],
    ['an answer without found', { payload: JSON.stringify({ marker: `${ID}#failover` }) }, /not a marker result/],
    ['a write the function did not find after', { payload: JSON.stringify({ marker: `${ID}#failover`, found: false }) }, /wrote the marker .* but did not find it after/],
  ])('the write fails the task when %s, and no switch starts', async (_, answer, message) => {
    const fake = fakeArc();
    const { deps: d } = deps(undefined, undefined, fake.arc, [], databases({ answer: () => answer }));
    await expect(run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, DB_CONFIG, d))
      .rejects.toMatchObject({ name: 'RehearsalDatabaseMarkerFailed', message: expect.stringMatching(message) });
    expect(fake.calls).toHaveLength(0);
    expect(describeFailure(DB_CONFIG, { error: { Error: 'RehearsalDatabaseMarkerFailed' } }).platformIn).toBe('primary');
  });

  test('the read fails the task with the function\'s message when the new writer cannot be reached', async () => {
    const db = databases({ answer: (request) => request.action === 'read' ? { functionError: 'Unhandled', payload: JSON.stringify({ errorMessage: 'connect ETIMEDOUT' }) } : undefined });
    const { deps: d } = deps(undefined, undefined, undefined, [], db);
    const marker = await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, DB_CONFIG, d) as Marker;
    await expect(run({ action: 'verifyMarker', marker }, DB_CONFIG, d)).rejects.toMatchObject({
      name: 'RehearsalDatabaseMarkerFailed', message: expect.stringMatching(/the marker read by .*us-west-2.* failed \(Unhandled\): connect ETIMEDOUT/),
    });
  });

  test('Lambda\'s throttling is retried, and a retried write task leaves one row', async () => {
    const db = databases({ throttleFirst: true });
    const { deps: d } = deps(undefined, undefined, undefined, [], db);
    const first = await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, DB_CONFIG, d) as Marker;
    const again = await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, DB_CONFIG, d) as Marker;
    expect(again.database).toEqual(first.database);
    // The first call was throttled and made again; each write was answered.
    expect([...db.throttled]).toEqual([PRIMARY]);
    expect(db.calls.filter((c) => c.region === PRIMARY).map((c) => c.request.action)).toEqual(['write', 'write']);
    expect(db.rows[PRIMARY].size).toBe(1);
    await expect(run({ action: 'verifyMarker', marker: again }, DB_CONFIG, d)).resolves.toMatchObject({ databaseVerifiedBy: FN(SECONDARY) });
  });

  test('a marker written without the database part is refused when the functions are configured: nothing is claimed unproven', async () => {
    const { deps: d } = deps();
    const marker = await run({ action: 'writeMarker', rehearsalId: ID, leg: 'failover' }, CONFIG, d) as Marker;
    expect(marker.database).toBeUndefined();
    await expect(run({ action: 'verifyMarker', marker }, DB_CONFIG, d)).rejects.toMatchObject({
      name: 'RehearsalInputError', message: expect.stringMatching(/written without a database marker/),
    });
  });

  test.each([
    [{ MARKER_FUNCTION_SECONDARY: undefined }, /must be set together, got only MARKER_FUNCTION_PRIMARY/],
    [{ MARKER_FUNCTION_PRIMARY: undefined }, /must be set together, got only MARKER_FUNCTION_SECONDARY/],
    [{ MARKER_FUNCTION_PRIMARY: FN(SECONDARY) }, /MARKER_FUNCTION_PRIMARY must be a function in us-east-1, got one in us-west-2/],
    [{ MARKER_FUNCTION_SECONDARY: `${FN(SECONDARY)}:live` }, /MARKER_FUNCTION_SECONDARY must be an unqualified Lambda function ARN/],
    [{ MARKER_FUNCTION_PRIMARY: 'dr-verify-writer-test' }, /MARKER_FUNCTION_PRIMARY must be an unqualified Lambda function ARN/],
  ])('configuration %j is refused', (change, message) => {
    expect(() => readConfig({ ...ENV, MARKER_FUNCTION_PRIMARY: FN(PRIMARY), MARKER_FUNCTION_SECONDARY: FN(SECONDARY), ...change })).toThrow(message);
  });
});

describe('each run\'s markers are its own', () => {
  const STARTED = '2026-06-09T10:00:00.123Z';

  test('the execution\'s start time is in the marker\'s value, in the table and in the database row', async () => {
    const db = databases();
    const { deps: d } = deps(undefined, undefined, undefined, [], db);
    const marker = await run({ action: 'writeMarker', rehearsalId: ID, startedAt: STARTED, leg: 'failover' }, DB_CONFIG, d) as Marker;
    expect(marker).toMatchObject({ key: `dr-rehearsal#${ID}#failover`, value: `${ID}@${STARTED}#failover` });
    expect(db.calls[0].request).toEqual({ action: 'write', marker: `${ID}@${STARTED}#failover` });
    await expect(run({ action: 'verifyMarker', marker }, DB_CONFIG, d)).resolves.toMatchObject({ databaseVerifiedBy: FN(SECONDARY) });
  });

  test('a later run that reuses the name meets the earlier marker as a conflict, not as proof', async () => {
    const table = globalTable();
    const { deps: d } = deps(table);
    await run({ action: 'writeMarker', rehearsalId: ID, startedAt: STARTED, leg: 'failover' }, CONFIG, d);
    await expect(run({ action: 'writeMarker', rehearsalId: ID, startedAt: '2026-09-09T10:00:00.000Z', leg: 'failover' }, CONFIG, d))
      .rejects.toMatchObject({ name: 'RehearsalMarkerConflict' });
    // The same run's task, retried, is the same marker.
    await expect(run({ action: 'writeMarker', rehearsalId: ID, startedAt: STARTED, leg: 'failover' }, CONFIG, d)).resolves.toMatchObject({ value: `${ID}@${STARTED}#failover` });
  });

  test.each([42, 'yesterday', '2026-06-09 10:00'])('a start time that is not ISO 8601 (%j) is refused', async (startedAt) => {
    const { deps: d } = deps();
    await expect(run({ action: 'writeMarker', rehearsalId: ID, startedAt, leg: 'failover' }, CONFIG, d))
      .rejects.toMatchObject({ name: 'RehearsalInputError', message: expect.stringMatching(/startedAt must be the execution's start time/) });
  });
});

describe('the overdue age', () => {
  test('hours since the last success', async () => {
    const { deps: d, published } = deps(undefined, parameters(PRIMARY, new Date(T0 - 36 * 3_600_000).toISOString()));
    await expect(run({ action: 'publishAge' }, CONFIG, d)).resolves.toMatchObject({ ageHours: 36 });
    expect(published).toEqual([{ name: 'HoursSinceLastRehearsal', unit: 'NoUnit', value: 36 }]);
  });

  test('before the first success, hours since the parameter was created', async () => {
    const { deps: d, published } = deps(undefined, parameters(PRIMARY, 'never'));
    await run({ action: 'publishAge' }, CONFIG, d);
    expect(published).toEqual([{ name: 'HoursSinceLastRehearsal', unit: 'NoUnit', value: 240 }]);
  });
});

describe('input and configuration', () => {
  test.each([
    [{ action: 'launch' }, /action must be one of/],
    [{ action: 'writeMarker', rehearsalId: ID, leg: 'sideways' }, /leg must be one of failover, failback/],
    [{ action: 'writeMarker', leg: 'failover' }, /rehearsalId must be a non-empty string/],
    [{ action: 'pollSwitch', execution: { executionId: 'x' } }, /execution must be what startSwitch returned/],
    [{ action: 'verifyMarker' }, /marker must be what writeMarker returned/],
    [{ action: 'recordSuccess', failover: { leg: 'failover', status: 'running' } }, /the failover must have succeeded/],
  ])('%j is refused', async (event, message) => {
    const { deps: d } = deps();
    await expect(run(event, CONFIG, d)).rejects.toMatchObject({ name: 'RehearsalInputError', message: expect.stringMatching(message) });
  });

  test.each([
    [{ PLAN_ARN: undefined }, /missing configuration: PLAN_ARN/],
    [{ PRIMARY_REGION: 'Virginia' }, /PRIMARY_REGION must be a region code/],
    [{ SECONDARY_REGION: PRIMARY }, /must differ/],
    [{ RTO_MINUTES: '1.5' }, /RTO_MINUTES must be a whole number/],
    [{ LEG_TIMEOUT_MINUTES: '0' }, /LEG_TIMEOUT_MINUTES must be a whole number/],
  ])('configuration %j is refused', (change, message) => {
    expect(() => readConfig({ ...ENV, ...change })).toThrow(message);
  });
});

test('the metrics go out as embedded metric format, one document per dimension set', () => {
  const lines: any[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => { lines.push(JSON.parse(String(chunk))); return true; });
  try {
    emfPublisher('test')([
      { name: 'RehearsalSucceeded', unit: 'Count', value: 1 },
      { name: 'RehearsalLegRto', unit: 'Seconds', value: 600, dimensions: { Leg: 'failover' } },
    ]);
  } finally {
    write.mockRestore();
  }
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatchObject({ service: 'region-switch-rehearsal', Environment: 'test', RehearsalSucceeded: 1 });
  expect(lines[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'CdkDrPlatform/Recovery', Dimensions: [['service', 'Environment']] });
  expect(lines[1]).toMatchObject({ Leg: 'failover', RehearsalLegRto: 600 });
  expect(lines[1]._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'Environment', 'Leg']]);
});
