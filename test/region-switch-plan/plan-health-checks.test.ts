import { ArcRegionSwitchClient, HttpRequestLike } from '../../src/private/arc-region-switch-client';
import { handler, isComplete, onEvent, PlanHealthChecksEvent } from '../../src/region-switch-plan/plan-health-checks.lambda';
import { CREDENTIALS, NOW } from '../cli/switch-world';

/** The plan health-check lookup handler, on the real signed client with a fake transport: no network. */

const PLAN_ARN = 'arn:aws:arc-region-switch::123456789012:plan/dr-switch-test:a1b2c3';
const PROPS = {
  PlanArn: PLAN_ARN,
  HostedZoneId: 'Z0123456789ABCDEFGHIJ',
  RecordName: 'api.example.com',
  PrimaryRegion: 'us-east-1',
  SecondaryRegion: 'us-west-2',
  WaitMinutes: '25',
};

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

/** A client whose transport answers from `replies` in order (the last one repeats), and a clock the backoff advances. */
function world(replies: Reply[]) {
  const sent: Array<{ request: HttpRequestLike; input: any }> = [];
  let t = NOW;
  const clock = { now: () => t, sleep: async (ms: number) => { t += ms; } };
  const client = new ArcRegionSwitchClient({
    credentials: CREDENTIALS,
    clock,
    transport: async (request) => {
      sent.push({ request, input: JSON.parse(request.body) });
      const r = replies.length > 1 ? replies.shift()! : replies[0];
      return { status: r.status, body: typeof r.body === 'string' ? r.body : JSON.stringify(r.body), headers: r.headers ?? {} };
    },
  });
  const deps = { client, now: clock.now, region: 'us-west-2', advance: (ms: number) => { t += ms; } };
  return { deps, sent };
}

const ok = (healthChecks: unknown[], nextToken?: string): Reply => ({ status: 200, body: { healthChecks, ...(nextToken ? { nextToken } : {}) } });
const hc = (region: string, healthCheckId?: string) => ({ hostedZoneId: PROPS.HostedZoneId, recordName: PROPS.RecordName, region, healthCheckId, status: 'healthy' });
const pollEvent = (requestType: 'Create' | 'Update' | 'Delete' = 'Create', startedAt = NOW): PlanHealthChecksEvent => ({
  RequestType: requestType, PhysicalResourceId: PLAN_ARN, ResourceProperties: PROPS, WaitStartedAt: startedAt,
});

describe('onEvent', () => {
  test('Create and Update: the plan ARN is the physical id, and the wait starts now', () => {
    for (const type of ['Create', 'Update'] as const) {
      const result = onEvent({ RequestType: type, ResourceProperties: PROPS }, { now: () => 42 });
      expect(result).toEqual({ PhysicalResourceId: PLAN_ARN, WaitStartedAt: 42 });
    }
  });

  test('Delete is a no-op that keeps the physical id', () => {
    const result = onEvent({ RequestType: 'Delete', PhysicalResourceId: 'old', ResourceProperties: {} as any }, { now: () => 1 });
    expect(result.PhysicalResourceId).toBe('old');
  });

  test.each([
    [{ ...PROPS, PlanArn: 'not-an-arn' }, /PlanArn must be an ARC Region switch plan ARN/],
    [{ ...PROPS, RecordName: '' }, /missing properties RecordName/],
    [{ ...PROPS, SecondaryRegion: 'us-east-1' }, /must differ/],
    [{ ...PROPS, WaitMinutes: 'soon' }, /WaitMinutes must be a positive number/],
  ])('bad properties are refused clearly: %j', (props, message) => {
    expect(() => onEvent({ RequestType: 'Create', ResourceProperties: props as any }, { now: () => 1 })).toThrow(message);
  });
});

describe('isComplete', () => {
  test('not yet created (no entries, or entries without an id): not complete', async () => {
    for (const reply of [ok([]), ok([hc('us-east-1'), hc('us-west-2')])]) {
      const { deps } = world([reply]);
      await expect(isComplete(pollEvent(), deps)).resolves.toEqual({ IsComplete: false });
    }
  });

  test('one region only: not complete', async () => {
    const { deps } = world([ok([hc('us-east-1', 'hc-east')])]);
    await expect(isComplete(pollEvent(), deps)).resolves.toEqual({ IsComplete: false });
  });

  test.each([
    ['primary first', [hc('us-east-1', 'hc-east'), hc('us-west-2', 'hc-west')]],
    ['secondary first', [hc('us-west-2', 'hc-west'), hc('us-east-1', 'hc-east')]],
  ])('both present (%s): complete, each id mapped to its region whatever the order', async (_, entries) => {
    const { deps, sent } = world([ok(entries)]);
    await expect(isComplete(pollEvent(), deps)).resolves.toEqual({
      IsComplete: true, Data: { PrimaryHealthCheckId: 'hc-east', SecondaryHealthCheckId: 'hc-west' },
    });
    // One control-plane call, for this plan, zone and record.
    expect(sent).toHaveLength(1);
    expect(sent[0].request.url).toBe('https://arc-region-switch-control-plane.us-east-1.api.aws/');
    expect(sent[0].request.headers['x-amz-target']).toBe('ArcRegionSwitch.ListRoute53HealthChecks');
    expect(sent[0].input).toMatchObject({ arn: PLAN_ARN, hostedZoneId: PROPS.HostedZoneId, recordName: PROPS.RecordName });
  });

  test('pages are followed: the regions may be on different pages', async () => {
    const { deps, sent } = world([ok([hc('us-west-2', 'hc-west')], 'page-2'), ok([hc('eu-west-1', 'hc-other'), hc('us-east-1', 'hc-east')])]);
    await expect(isComplete(pollEvent(), deps)).resolves.toMatchObject({ IsComplete: true, Data: { PrimaryHealthCheckId: 'hc-east', SecondaryHealthCheckId: 'hc-west' } });
    expect(sent.map((s) => s.input.nextToken)).toEqual([undefined, 'page-2']);
  });

  test('a page token repeated is an error, not a loop', async () => {
    const { deps } = world([ok([], 'same')]);
    await expect(isComplete(pollEvent(), deps)).rejects.toThrow(/page token same twice/);
  });

  test('two ids for one region: refused (records need exactly one)', async () => {
    const { deps } = world([ok([hc('us-east-1', 'a'), hc('us-east-1', 'b'), hc('us-west-2', 'c')])]);
    await expect(isComplete(pollEvent(), deps)).rejects.toThrow(/2 health checks for us-east-1/);
  });

  test('throttling is retried with backoff within the poll', async () => {
    const throttled: Reply = { status: 400, body: { __type: 'ThrottlingException', message: 'slow down' } };
    const { deps, sent } = world([throttled, throttled, ok([hc('us-east-1', 'e'), hc('us-west-2', 'w')])]);
    await expect(isComplete(pollEvent(), deps)).resolves.toMatchObject({ IsComplete: true });
    expect(sent).toHaveLength(3);
  });

  test('throttling that outlasts the retries: not complete yet, the next poll tries again', async () => {
    const { deps } = world([{ status: 429, body: { __type: 'ThrottlingException', message: 'slow down' } }]);
    await expect(isComplete(pollEvent(), deps)).resolves.toEqual({ IsComplete: false });
  });

  test('access denied: a clear error naming the action and the plan', async () => {
    const { deps } = world([{ status: 403, body: { __type: 'AccessDeniedException', message: 'not authorized' } }]);
    await expect(isComplete(pollEvent(), deps)).rejects.toThrow(
      `access denied calling arc-region-switch:ListRoute53HealthChecks on ${PLAN_ARN}: the handler's role must allow that action on the plan`);
  });

  test('an unknown plan: a clear error naming the plan, zone and record', async () => {
    const { deps } = world([{ status: 404, body: { __type: 'ResourceNotFoundException', message: 'no such plan' } }]);
    await expect(isComplete(pollEvent(), deps)).rejects.toThrow(/refused ListRoute53HealthChecks for the plan .* hosted zone Z0123456789ABCDEFGHIJ and record api.example.com: check that the plan exists/);
  });

  test('a server error is retried by the next poll, not fatal', async () => {
    const { deps } = world([{ status: 500, body: { __type: 'InternalServerException', message: 'oops' } }]);
    await expect(isComplete(pollEvent(), deps)).resolves.toEqual({ IsComplete: false });
  });

  test('past WaitMinutes: a clear error with what ARC had listed', async () => {
    const { deps } = world([ok([hc('us-east-1', 'hc-east')])]);
    deps.advance(25 * 60_000);
    await expect(isComplete(pollEvent('Create', NOW), deps)).rejects.toThrow(
      /after 25 minutes ARC has no health check for us-west-2 on api.example.com .*listed: us-east-1=hc-east.*check the plan's evaluation status/);
  });

  test('Delete: complete at once, no call', async () => {
    const { deps, sent } = world([ok([])]);
    await expect(isComplete(pollEvent('Delete'), deps)).resolves.toEqual({ IsComplete: true });
    expect(sent).toHaveLength(0);
  });
});

describe('handler', () => {
  test('an event without WaitStartedAt is onEvent; with it, isComplete (Delete answers without a call)', async () => {
    const first = await handler({ RequestType: 'Delete', PhysicalResourceId: PLAN_ARN, ResourceProperties: PROPS });
    expect(first).toMatchObject({ PhysicalResourceId: PLAN_ARN });
    await expect(handler({ ...pollEvent('Delete'), ...first })).resolves.toEqual({ IsComplete: true });
  });
});
