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

/**
 * One client per region, and the parameter's value in each: GetParameter
 * reads it, PutParameter writes it, so a second run sees the first's writes.
 */
function regions(values: Record<string, string>) {
  const clients = new Map<string, SSMClient>();
  const byClient = new Map<SSMClient, string>();
  const clientFor = (region: string) => {
    if (!clients.has(region)) {
      const c = new SSMClient({ region });
      clients.set(region, c);
      byClient.set(c, region);
    }
    return clients.get(region)!;
  };
  ssmMock.on(GetParameterCommand).callsFake((_input, getClient) => ({ Parameter: { Name: PARAM, Value: values[byClient.get(getClient())!] } }));
  ssmMock.on(PutParameterCommand).callsFake((input, getClient) => {
    values[byClient.get(getClient())!] = input.Value;
    return { Version: 2 };
  });
  /** The writes in order, as [region, value]. */
  const writes = () => ssmMock.commandCalls(PutParameterCommand).map((c) => [byClient.get(c.thisValue as SSMClient), c.args[0].input.Value]);
  return { clientFor, values, writes };
}

const noSleep = { sleep: async () => undefined };

beforeEach(() => ssmMock.reset());

describe('fenceWrites', () => {
  test('success: the region being left is fenced first, then the writer region is told', async () => {
    const r = regions({ [PRIMARY]: PRIMARY, [SECONDARY]: PRIMARY });
    const result = await fenceWrites(r.clientFor, CONFIG, SECONDARY, noSleep);
    expect(result).toEqual({ writerRegion: SECONDARY, updated: [PRIMARY, SECONDARY], unchanged: [] });
    expect(r.writes()).toEqual([[PRIMARY, SECONDARY], [SECONDARY, SECONDARY]]);
    const input = ssmMock.commandCalls(PutParameterCommand)[0].args[0].input;
    expect(input).toEqual({ Name: PARAM, Value: SECONDARY, Type: 'String', Overwrite: true });
  });

  test('a re-run of the same step changes nothing (idempotent)', async () => {
    const r = regions({ [PRIMARY]: PRIMARY, [SECONDARY]: PRIMARY });
    await fenceWrites(r.clientFor, CONFIG, SECONDARY, noSleep);
    ssmMock.resetHistory();
    const again = await fenceWrites(r.clientFor, CONFIG, SECONDARY, noSleep);
    expect(again).toEqual({ writerRegion: SECONDARY, updated: [], unchanged: [PRIMARY, SECONDARY] });
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(r.values).toEqual({ [PRIMARY]: SECONDARY, [SECONDARY]: SECONDARY });
  });

  test('a failure after the fence: the rerun ARC makes finishes the job without writing the fence again', async () => {
    const r = regions({ [PRIMARY]: PRIMARY, [SECONDARY]: PRIMARY });
    const denied = Object.assign(new Error('not authorized to perform ssm:PutParameter'), { name: 'AccessDeniedException' });
    ssmMock.on(PutParameterCommand).callsFakeOnce((input) => {
      r.values[PRIMARY] = input.Value;
      return { Version: 2 };
    }).rejectsOnce(denied);
    await expect(fenceWrites(r.clientFor, CONFIG, SECONDARY, noSleep)).rejects.toThrow('not authorized');
    // The fence held: the region being left no longer names itself.
    expect(r.values[PRIMARY]).toBe(SECONDARY);
    expect(r.values[SECONDARY]).toBe(PRIMARY);

    ssmMock.resetHistory();
    ssmMock.on(PutParameterCommand).callsFake((input) => {
      r.values[SECONDARY] = input.Value;
      return { Version: 2 };
    });
    const rerun = await fenceWrites(r.clientFor, CONFIG, SECONDARY, noSleep);
    expect(rerun).toEqual({ writerRegion: SECONDARY, updated: [SECONDARY], unchanged: [PRIMARY] });
    expect(r.values).toEqual({ [PRIMARY]: SECONDARY, [SECONDARY]: SECONDARY });
  });

  test('a failure of the fence itself fails the step and writes nothing in the writer region', async () => {
    const r = regions({ [PRIMARY]: PRIMARY, [SECONDARY]: PRIMARY });
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    await expect(fenceWrites(r.clientFor, CONFIG, SECONDARY, noSleep)).rejects.toThrow('not found');
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  test('throttling is retried with growing backoff, then succeeds', async () => {
    const r = regions({ [PRIMARY]: PRIMARY, [SECONDARY]: PRIMARY });
    const write = (input: any) => {
      r.values[PRIMARY] = input.Value;
      return { Version: 2 };
    };
    ssmMock.on(PutParameterCommand).rejectsOnce(throttle()).rejectsOnce(throttle()).callsFakeOnce(write).callsFake((input) => {
      r.values[SECONDARY] = input.Value;
      return { Version: 2 };
    });
    const slept: number[] = [];
    const sleep = async (ms: number) => { slept.push(ms); };
    const result = await fenceWrites(r.clientFor, CONFIG, SECONDARY, { sleep, baseDelayMs: 100, maxDelayMs: 1_000 });
    expect(result.updated).toEqual([PRIMARY, SECONDARY]);
    expect(slept).toHaveLength(2);
    // Jittered between half and all of 100 ms, then of 200 ms.
    expect(slept[0]).toBeGreaterThanOrEqual(50);
    expect(slept[0]).toBeLessThanOrEqual(100);
    expect(slept[1]).toBeGreaterThanOrEqual(100);
    expect(slept[1]).toBeLessThanOrEqual(200);
  });

  test('throttling that does not stop fails the step after the last attempt, for ARC to retry later', async () => {
    const r = regions({ [PRIMARY]: PRIMARY, [SECONDARY]: PRIMARY });
    ssmMock.on(GetParameterCommand).rejects(throttle());
    await expect(fenceWrites(r.clientFor, CONFIG, SECONDARY, { ...noSleep, maxAttempts: 4 })).rejects.toThrow('Rate exceeded');
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(4);
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

  test('a payload naming the fence\'s own region is refused: it would fence nothing', () => {
    expect(() => parseWriterRegion({ writerRegion: PRIMARY }, CONFIG))
      .toThrow(`the payload's writerRegion must be the other region than the one the fence runs in (${PRIMARY}), got: "${PRIMARY}"`);
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
      expect(result).toEqual({ writerRegion: PRIMARY, updated: [SECONDARY, PRIMARY], unchanged: [] });
      expect(ssmMock.commandCalls(PutParameterCommand).map((c) => c.args[0].input.Value)).toEqual([PRIMARY, PRIMARY]);
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
