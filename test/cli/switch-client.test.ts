import { CREDENTIALS, NOW } from './switch-world';
import {
  ArcOperation, ArcRegionSwitchClient, endpointFor, errorOf, HttpRequestLike, OPERATION_PLANE, timestampOf,
} from '../../src/private/arc-region-switch-client';
import { isThrottlingError } from '../../src/private/aws-calls';
import { expectedSignature } from '../util/sigv4';

/** The hand-written ARC Region switch client: request shape, signing, endpoints, errors. No network. */

function client(responses: Array<{ status: number; body: string; headers?: Record<string, string> }> = []) {
  const sent: HttpRequestLike[] = [];
  let t = NOW;
  const c = new ArcRegionSwitchClient({
    credentials: CREDENTIALS,
    clock: { now: () => t, sleep: async (ms) => { t += ms; } },
    transport: async (request) => {
      sent.push(request);
      const r = responses.shift() ?? { status: 200, body: '{}' };
      return { status: r.status, body: r.body, headers: r.headers ?? {} };
    },
  });
  return { c, sent };
}

describe('ArcRegionSwitchClient', () => {
  test('a data-plane call: POST / to the Region\'s dual-stack endpoint, awsJson1_0 target, SigV4 for arc-region-switch in that Region', async () => {
    const { c, sent } = client([{ status: 200, body: JSON.stringify({ executionId: 'eu-central-1/00000000000000aa' }) }]);
    const out = await c.call('StartPlanExecution', { planArn: 'arn:aws:arc-region-switch::123456789012:plan/p:abcdef', targetRegion: 'eu-central-1', action: 'activate' }, 'eu-central-1');
    expect(out).toEqual({ executionId: 'eu-central-1/00000000000000aa' });
    expect(sent).toHaveLength(1);
    const r = sent[0];
    expect(r.method).toBe('POST');
    expect(r.url).toBe('https://arc-region-switch.eu-central-1.api.aws/');
    expect(r.headers['x-amz-target']).toBe('ArcRegionSwitch.StartPlanExecution');
    expect(r.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(r.headers.host).toBe('arc-region-switch.eu-central-1.api.aws');
    expect(JSON.parse(r.body)).toEqual({ planArn: 'arn:aws:arc-region-switch::123456789012:plan/p:abcdef', targetRegion: 'eu-central-1', action: 'activate' });
    expect(r.headers['x-amz-date']).toBe('20261130T120000Z');
    expect(r.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261130\/eu-central-1\/arc-region-switch\/aws4_request, SignedHeaders=[a-z0-9;-]*content-type;host;[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    const signature = /Signature=([0-9a-f]{64})/.exec(r.headers.authorization)![1];
    expect(signature).toBe(expectedSignature(r, 'eu-central-1', 'arc-region-switch', CREDENTIALS.secretAccessKey));
  });

  test('a control-plane call (GetPlan) from any Region goes to us-east-1\'s control plane and is signed for us-east-1', async () => {
    const { c, sent } = client();
    await c.call('GetPlan', { arn: 'x' }, 'ap-southeast-2');
    expect(sent[0].url).toBe('https://arc-region-switch-control-plane.us-east-1.api.aws/');
    expect(sent[0].headers.authorization).toContain('/us-east-1/arc-region-switch/aws4_request');
    expect(/Signature=([0-9a-f]{64})/.exec(sent[0].headers.authorization)![1]).toBe(expectedSignature(sent[0], 'us-east-1', 'arc-region-switch', CREDENTIALS.secretAccessKey));
  });

  test.each([
    // The model's endpoint tests (smithy.rules#endpointTests).
    ['us-west-2', 'GetPlan', 'https://arc-region-switch-control-plane.us-east-1.api.aws/', 'us-east-1'],
    ['cn-northwest-1', 'GetPlan', 'https://arc-region-switch-control-plane.cn-north-1.api.amazonwebservices.com.cn/', 'cn-north-1'],
    ['us-gov-east-1', 'GetPlan', 'https://arc-region-switch-control-plane.us-gov-west-1.api.aws/', 'us-gov-west-1'],
    ['us-east-1', 'GetPlanExecution', 'https://arc-region-switch.us-east-1.api.aws/', 'us-east-1'],
    ['cn-northwest-1', 'GetPlanExecution', 'https://arc-region-switch.cn-northwest-1.api.amazonwebservices.com.cn/', 'cn-northwest-1'],
    ['us-gov-west-1', 'ApprovePlanExecutionStep', 'https://arc-region-switch.us-gov-west-1.api.aws/', 'us-gov-west-1'],
  ] as const)('endpoint in %s for %s: %s signed for %s', (region, op, url, signingRegion) => {
    expect(endpointFor(op, region)).toEqual({ url, signingRegion });
  });

  test('every operation used but GetPlan and ListRoute53HealthChecks is on the data plane (the model marks those two with UseControlPlaneEndpoint)', () => {
    const control = (Object.keys(OPERATION_PLANE) as ArcOperation[]).filter((op) => OPERATION_PLANE[op] === 'control');
    expect(control).toEqual(['GetPlan', 'ListRoute53HealthChecks']);
    expect(endpointFor('ListRoute53HealthChecks', 'us-west-2')).toEqual({ url: 'https://arc-region-switch-control-plane.us-east-1.api.aws/', signingRegion: 'us-east-1' });
  });

  test('errors: __type without namespace, message, HTTP status; the X-Amzn-ErrorType header wins', () => {
    const e = errorOf({ status: 403, headers: {}, body: JSON.stringify({ __type: 'com.amazonaws.arcregionswitch#AccessDeniedException', message: 'no' }) });
    expect([e.name, e.message, e.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 'no', 403]);
    const h = errorOf({ status: 400, headers: { 'X-Amzn-ErrorType': 'ThrottlingException:http://internal' }, body: '{}' });
    expect(h.name).toBe('ThrottlingException');
    expect(isThrottlingError(h)).toBe(true);
    expect(errorOf({ status: 502, headers: {}, body: '<html>bad gateway</html>' }).name).toBe('HTTP502');
  });

  test('throttling is retried with backoff; other errors are not', async () => {
    const throttled = { status: 400, body: JSON.stringify({ __type: 'ThrottlingException', message: 'slow down' }) };
    const { c, sent } = client([throttled, throttled, { status: 200, body: '{"ok":true}' }]);
    await expect(c.call('GetPlanExecution', {}, 'eu-west-1')).resolves.toEqual({ ok: true });
    expect(sent).toHaveLength(3);
    const denied = client([{ status: 403, body: JSON.stringify({ __type: 'AccessDeniedException', message: 'denied' }) }]);
    await expect(denied.c.call('GetPlanExecution', {}, 'eu-west-1')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(denied.sent).toHaveLength(1);
  });

  test('a transport failure is a NetworkError naming the host', async () => {
    const c = new ArcRegionSwitchClient({ credentials: CREDENTIALS, transport: async () => { throw new Error('getaddrinfo ENOTFOUND'); } });
    await expect(c.call('GetPlanInRegion', {}, 'eu-west-1')).rejects.toMatchObject({ name: 'NetworkError', message: expect.stringContaining('arc-region-switch.eu-west-1.api.aws') });
  });

  test('timestamps: awsJson epoch seconds', () => {
    expect(timestampOf(1_700_000_000.5)?.toISOString()).toBe('2023-11-14T22:13:20.500Z');
    expect(timestampOf(undefined)).toBeUndefined();
  });
});
