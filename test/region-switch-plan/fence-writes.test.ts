import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { FenceConfig, fenceWrites, handler, isThrottling, parseWriterRegion, readConfig } from '../../src/region-switch-plan/fence-writes.lambda';

const ssmMock = mockClient(SSMClient);
const PARAM = '/dr/test/writer-region';
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';
/** The fence of the primary, as a failover to the secondary runs it. */
const CONFIG: FenceConfig = { parameterName: PARAM, regions: [PRIMARY, SECONDARY], ownRegion: PRIMARY };

function throttle(): Error {
  const e = new Error('Rate exceeded');
  e.name = 'ThrottlingException';
  return e;
}

/** The parameter's value: GetParameter reads it, PutParameter writes it, so a second run sees the first's write. */
function parameter(initial: string) {
  const state = { value: initial };
  ssmMock.on(GetParameterCommand).callsFake(() => ({ Parameter: { Name: PARAM, Value: state.value } }));
  ssmMock.on(PutParameterCommand).callsFake((input) => {
    state.value = input.Value;
    return { Version: 2 };
  });
  return state;
}

const noSleep = { sleep: async () => undefined };
const client = new SSMClient({ region: PRIMARY });

beforeEach(() => ssmMock.reset());

describe('fenceWrites', () => {
  test('the fence: the region being left names the region being activated', async () => {
    const state = parameter(PRIMARY);
    const result = await fenceWrites(client, CONFIG, SECONDARY, noSleep);
    expect(result).toEqual({ writerRegion: SECONDARY, region: PRIMARY, previous: PRIMARY, changed: true });
    expect(state.value).toBe(SECONDARY);
    expect(ssmMock.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([{ Name: PARAM }]);
    expect(ssmMock.commandCalls(PutParameterCommand).map((c) => c.args[0].input)).toEqual([{ Name: PARAM, Value: SECONDARY, Type: 'String', Overwrite: true }]);
  });

  test('the announcement: the region being activated names itself', async () => {
    const state = parameter(PRIMARY);
    const announce: FenceConfig = { ...CONFIG, ownRegion: SECONDARY };
    expect(await fenceWrites(client, announce, SECONDARY, noSleep))
      .toEqual({ writerRegion: SECONDARY, region: SECONDARY, previous: PRIMARY, changed: true });
    expect(state.value).toBe(SECONDARY);
  });

  test('a re-run of the same step changes nothing (idempotent)', async () => {
    const state = parameter(PRIMARY);
    await fenceWrites(client, CONFIG, SECONDARY, noSleep);
    ssmMock.resetHistory();
    const again = await fenceWrites(client, CONFIG, SECONDARY, noSleep);
    expect(again).toEqual({ writerRegion: SECONDARY, region: PRIMARY, changed: false });
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(state.value).toBe(SECONDARY);
  });

  test('a failed write fails the step and leaves the parameter as it was; ARC\'s rerun completes it', async () => {
    const state = parameter(PRIMARY);
    const denied = Object.assign(new Error('not authorized to perform ssm:PutParameter'), { name: 'AccessDeniedException' });
    ssmMock.on(PutParameterCommand).rejectsOnce(denied).callsFake((input) => {
      state.value = input.Value;
      return { Version: 3 };
    });
    await expect(fenceWrites(client, CONFIG, SECONDARY, noSleep)).rejects.toThrow('not authorized');
    expect(state.value).toBe(PRIMARY);
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(1);
    expect(await fenceWrites(client, CONFIG, SECONDARY, noSleep)).toMatchObject({ changed: true, previous: PRIMARY });
    expect(state.value).toBe(SECONDARY);
  });

  test('a missing parameter fails the step without writing one', async () => {
    parameter(PRIMARY);
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    await expect(fenceWrites(client, CONFIG, SECONDARY, noSleep)).rejects.toThrow('not found');
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  test('throttling is retried with growing backoff, then succeeds', async () => {
    const state = parameter(PRIMARY);
    ssmMock.on(PutParameterCommand).rejectsOnce(throttle()).rejectsOnce(throttle()).callsFake((input) => {
      state.value = input.Value;
      return { Version: 2 };
    });
    const slept: number[] = [];
    const sleep = async (ms: number) => { slept.push(ms); };
    const result = await fenceWrites(client, CONFIG, SECONDARY, { sleep, baseDelayMs: 100, maxDelayMs: 1_000 });
    expect(result.changed).toBe(true);
    expect(state.value).toBe(SECONDARY);
    expect(slept).toHaveLength(2);
    // Jittered between half and all of 100 ms, then of 200 ms.
    expect(slept[0]).toBeGreaterThanOrEqual(50);
    expect(slept[0]).toBeLessThanOrEqual(100);
    expect(slept[1]).toBeGreaterThanOrEqual(100);
    expect(slept[1]).toBeLessThanOrEqual(200);
  });

  test('throttling that does not stop fails the step after the last attempt, for ARC to retry later', async () => {
    parameter(PRIMARY);
    ssmMock.on(GetParameterCommand).rejects(throttle());
    await expect(fenceWrites(client, CONFIG, SECONDARY, { ...noSleep, maxAttempts: 4 })).rejects.toThrow('Rate exceeded');
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(4);
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  test('isThrottling knows the throttling errors and no other', () => {
    expect(isThrottling(throttle())).toBe(true);
    expect(isThrottling({ name: 'TooManyUpdates' })).toBe(true);
    expect(isThrottling({ $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling({ name: 'AccessDeniedException' })).toBe(false);
    expect(isThrottling(undefined)).toBe(false);
  });
});

describe('bad input', () => {
  const env = { WRITER_REGION_PARAMETER: PARAM, PLAN_REGIONS: `${PRIMARY},${SECONDARY}`, AWS_REGION: PRIMARY };

  test.each([
    [{ ...env, WRITER_REGION_PARAMETER: undefined }, 'WRITER_REGION_PARAMETER must be a parameter name starting with "/", got: undefined'],
    [{ ...env, WRITER_REGION_PARAMETER: 'writer' }, 'WRITER_REGION_PARAMETER must be a parameter name starting with "/", got: "writer"'],
    [{ ...env, PLAN_REGIONS: PRIMARY }, `PLAN_REGIONS must be two different region codes separated by a comma, got: "${PRIMARY}"`],
    [{ ...env, PLAN_REGIONS: `${PRIMARY},${PRIMARY}` }, `PLAN_REGIONS must be two different region codes separated by a comma, got: "${PRIMARY},${PRIMARY}"`],
    [{ ...env, PLAN_REGIONS: 'us-east-1,mars' }, 'PLAN_REGIONS must be two different region codes separated by a comma, got: "us-east-1,mars"'],
    [{ ...env, AWS_REGION: 'eu-west-1' }, `the function runs in "eu-west-1", which is not one of the plan's regions ${PRIMARY}, ${SECONDARY}`],
  ])('configuration %#', (bad, message) => {
    expect(() => readConfig(bad)).toThrow(message);
  });

  test('a good configuration is read', () => {
    expect(readConfig(env)).toEqual(CONFIG);
  });

  test.each([
    [undefined, 'undefined'],
    [{}, 'undefined'],
    [{ writerRegion: 'eu-west-1' }, '"eu-west-1"'],
    [{ writerRegion: 42 }, '42'],
    ['not json', 'undefined'],
  ])('payload %j is refused', (event, shown) => {
    expect(() => parseWriterRegion(event, CONFIG)).toThrow(`the payload's writerRegion must be one of the plan's regions ${PRIMARY}, ${SECONDARY}, got: ${shown}`);
  });

  test('the payload as ARC sends it: the plan\'s object with ARC\'s fields merged in, or the JSON string', () => {
    const merged = { writerRegion: SECONDARY, InvokedBy: 'arc-region-switch', PlanArn: 'arn:aws:arc-region-switch::123456789012:plan/p', ExecutionId: 'x', StepName: 'fence-writes' };
    expect(parseWriterRegion(merged, CONFIG)).toBe(SECONDARY);
    expect(parseWriterRegion(JSON.stringify({ writerRegion: SECONDARY }), CONFIG)).toBe(SECONDARY);
  });
});

describe('handler', () => {
  const saved = { ...process.env };
  afterEach(() => { process.env = { ...saved }; });

  test('reads its environment, fences and reports what it changed', async () => {
    process.env.WRITER_REGION_PARAMETER = PARAM;
    process.env.PLAN_REGIONS = `${PRIMARY},${SECONDARY}`;
    process.env.AWS_REGION = SECONDARY;
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAM, Value: SECONDARY } });
    ssmMock.on(PutParameterCommand).resolves({ Version: 2 });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const result = await handler({ writerRegion: PRIMARY });
      expect(result).toEqual({ writerRegion: PRIMARY, region: SECONDARY, previous: SECONDARY, changed: true });
      expect(ssmMock.commandCalls(PutParameterCommand).map((c) => c.args[0].input.Value)).toEqual([PRIMARY]);
      expect(await (ssmMock.commandCalls(PutParameterCommand)[0].thisValue as SSMClient).config.region()).toBe(SECONDARY);
    } finally {
      log.mockRestore();
    }
  });

  test('bad input fails before any call', async () => {
    process.env.WRITER_REGION_PARAMETER = PARAM;
    process.env.PLAN_REGIONS = `${PRIMARY},${SECONDARY}`;
    process.env.AWS_REGION = PRIMARY;
    await expect(handler({ writerRegion: 'eu-west-1' })).rejects.toThrow('writerRegion must be one of');
    expect(ssmMock.calls()).toHaveLength(0);
  });
});
