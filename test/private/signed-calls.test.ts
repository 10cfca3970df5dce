import { HttpRequestLike } from '../../src/private/arc-region-switch-client';
import { Clock, isThrottlingError, withBackoff } from '../../src/private/aws-calls';
import { describeRestoreJob, putRestoreValidationResult } from '../../src/private/backup-restore-job-call';
import { describeTable, scan } from '../../src/private/dynamodb-call';
import { invokeFunction } from '../../src/private/lambda-invoke-call';
import { configuredEndpointUrl, pathLabel, regionalEndpoint, SignedCallOptions, TRANSIENT_ATTEMPTS } from '../../src/private/signed-call';
import { expectedSignature } from '../util/sigv4';

/**
 * The hand-written signed calls the restore validator makes instead of
 * bundling three SDK clients: request shape, signing, endpoints, errors,
 * throttling and transient failures. No network: a fake transport answers.
 */

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'token' };
const NOW = Date.parse('2026-12-05T03:00:00Z');

interface Answer { status: number; body?: string | object; headers?: Record<string, string> }

/** Options with a fake clock and a transport answering `answers` in turn (then 200 {}); records each request and pause. */
function world(answers: Array<Answer | Error>, region = 'eu-west-1', endpointUrl?: string) {
  let t = NOW;
  const sent: HttpRequestLike[] = [];
  const sleeps: number[] = [];
  const clock: Clock = { now: () => t, sleep: async (ms) => { sleeps.push(ms); t += ms; } };
  const options: SignedCallOptions = {
    region,
    credentials: CREDENTIALS,
    clock,
    endpointUrl,
    transport: async (request) => {
      sent.push(request);
      const a: Answer | Error = answers.shift() ?? { status: 200, body: {} };
      if (a instanceof Error) throw a;
      return { status: a.status, headers: a.headers ?? {}, body: typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {}) };
    },
  };
  return { options, sent, sleeps, clock };
}

function expectSigned(request: HttpRequestLike, region: string, service: string) {
  expect(request.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/${region}/${service}/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`));
  expect(/Signature=([0-9a-f]{64})/.exec(request.headers.authorization)![1]).toBe(expectedSignature(request, region, service, CREDENTIALS.secretAccessKey));
  expect(request.headers['x-amz-security-token']).toBe('token');
}

/** What a caller does with one attempt: `withBackoff` on the same clock. */
const withRetries = <T>(clock: Clock, fn: () => Promise<T>) => withBackoff(fn, { clock, deadline: clock.now() + 60_000 });

describe('endpoints', () => {
  test.each([
    ['dynamodb', 'us-east-1', 'https://dynamodb.us-east-1.amazonaws.com'],
    ['lambda', 'eu-central-2', 'https://lambda.eu-central-2.amazonaws.com'],
    ['backup', 'ap-southeast-4', 'https://backup.ap-southeast-4.amazonaws.com'],
    ['backup', 'us-gov-west-1', 'https://backup.us-gov-west-1.amazonaws.com'],
    ['dynamodb', 'cn-north-1', 'https://dynamodb.cn-north-1.amazonaws.com.cn'],
    ['lambda', 'cn-northwest-1', 'https://lambda.cn-northwest-1.amazonaws.com.cn'],
  ])('%s in %s: %s', (prefix, region, url) => {
    expect(regionalEndpoint(prefix, region)).toBe(url);
  });

  test.each(['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', '', 'not a region', 'evil.com/x-1'])('the Region %j is refused rather than guessed', (region) => {
    expect(() => regionalEndpoint('backup', region)).toThrow(expect.objectContaining({ name: 'UnsupportedRegion' }));
  });

  test.each([
    [{ AWS_ENDPOINT_URL: 'http://a' }, 'http://a'],
    [{ AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_DYNAMODB: 'http://d' }, 'http://d'],
    [{ AWS_ENDPOINT_URL_LAMBDA: 'http://l' }, undefined],
    [{ AWS_ENDPOINT_URL: 'http://a', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, undefined],
    [{ AWS_ENDPOINT_URL: '' }, undefined],
    [{}, undefined],
  ])('configured endpoint for DynamoDB in %j: %s', (env, url) => {
    expect(configuredEndpointUrl(env, 'DYNAMODB')).toBe(url);
  });

  test.each([
    ['dr-drill-smoke', 'dr-drill-smoke'],
    ['arn:aws:lambda:eu-west-1:123456789012:function:f', 'arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Af'],
    ["a b/c!'()*", 'a%20b%2Fc%21%27%28%29%2A'],
  ])('the path label of %j is %s', (value, label) => {
    expect(pathLabel(value)).toBe(label);
  });
});

describe('DynamoDB (awsJson1_0)', () => {
  test('DescribeTable: POST / to the Region\'s endpoint with the target header, signed for dynamodb there; the answer parsed', async () => {
    const { options, sent } = world([{ status: 200, body: { Table: { TableName: 't', TableStatus: 'ACTIVE', ItemCount: 42 } } }]);
    await expect(describeTable({ TableName: 't' }, options)).resolves.toEqual({ Table: { TableName: 't', TableStatus: 'ACTIVE', ItemCount: 42 } });
    const [r] = sent;
    expect(r).toMatchObject({ method: 'POST', url: 'https://dynamodb.eu-west-1.amazonaws.com/' });
    expect(r.headers).toMatchObject({ 'x-amz-target': 'DynamoDB_20120810.DescribeTable', 'content-type': 'application/x-amz-json-1.0', 'host': 'dynamodb.eu-west-1.amazonaws.com' });
    expect(JSON.parse(r.body)).toEqual({ TableName: 't' });
    expectSigned(r, 'eu-west-1', 'dynamodb');
  });

  test('Scan sends its input as given', async () => {
    const { options, sent } = world([{ status: 200, body: { Count: 1, Items: [{ pk: { S: 'a' } }] } }]);
    await expect(scan({ TableName: 't', Limit: 1 }, options)).resolves.toMatchObject({ Count: 1 });
    expect(sent[0].headers['x-amz-target']).toBe('DynamoDB_20120810.Scan');
    expect(JSON.parse(sent[0].body)).toEqual({ TableName: 't', Limit: 1 });
  });

  test('a service error is thrown with the service\'s name and message, not retried', async () => {
    const { options, sent } = world([{ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found: Table: t not found' } }]);
    const error = await describeTable({ TableName: 't' }, options).catch((e) => e);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found: Table: t not found' });
    expect(isThrottlingError(error)).toBe(false);
    expect(sent).toHaveLength(1);
  });

  test('a malformed answer is an error naming the operation, not retried', async () => {
    const { options, clock, sent } = world([{ status: 200, body: '<html>proxy</html>' }]);
    await expect(withRetries(clock, () => describeTable({ TableName: 't' }, options)))
      .rejects.toThrow(expect.objectContaining({ name: 'MalformedResponse', message: expect.stringContaining('DynamoDB DescribeTable answered HTTP 200') }));
    expect(sent).toHaveLength(1);
  });
});

describe('Lambda Invoke (REST-JSON)', () => {
  test('RequestResponse: POST to the function\'s invocations path with the invocation type header, signed for lambda', async () => {
    const { options, sent } = world([{ status: 200, body: { tls: true } }]);
    const out = await invokeFunction('dr-drill-smoke', '{"host":"h"}', 'RequestResponse', options);
    expect(out).toEqual({ statusCode: 200, functionError: undefined, payload: '{"tls":true}' });
    const [r] = sent;
    expect(r).toMatchObject({ method: 'POST', url: 'https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/dr-drill-smoke/invocations', body: '{"host":"h"}' });
    expect(r.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(r.headers['x-amz-target']).toBeUndefined();
    expect(/SignedHeaders=([^,]+)/.exec(r.headers.authorization)![1].split(';')).toContain('x-amz-invocation-type');
    expectSigned(r, 'eu-west-1', 'lambda');
  });

  test('a function named by ARN is percent-encoded in the path and signed as sent', async () => {
    const { options, sent } = world([{ status: 202, body: '' }], 'cn-north-1');
    const arn = 'arn:aws-cn:lambda:cn-north-1:123456789012:function:validator';
    await expect(invokeFunction(arn, '{}', 'Event', options)).resolves.toEqual({ statusCode: 202, functionError: undefined, payload: '' });
    expect(sent[0].url).toBe(`https://lambda.cn-north-1.amazonaws.com.cn/2015-03-31/functions/${encodeURIComponent(arn)}/invocations`);
    expect(sent[0].headers['x-amz-invocation-type']).toBe('Event');
    expectSigned(sent[0], 'cn-north-1', 'lambda');
  });

  test('a function that failed is an answer with its error, not a service error', async () => {
    const { options } = world([{ status: 200, headers: { 'X-Amz-Function-Error': 'Unhandled' }, body: { errorType: 'Error', errorMessage: 'connection timeout' } }]);
    await expect(invokeFunction('f', '{}', 'RequestResponse', options)).resolves.toEqual({
      statusCode: 200, functionError: 'Unhandled', payload: JSON.stringify({ errorType: 'Error', errorMessage: 'connection timeout' }),
    });
  });

  test('a service error is named by its X-Amzn-ErrorType header', async () => {
    const { options } = world([{ status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.awslambda/' }, body: { Type: 'User', Message: 'Function not found: f' } }]);
    await expect(invokeFunction('f', '{}', 'RequestResponse', options)).rejects.toThrow(expect.objectContaining({ name: 'ResourceNotFoundException', message: 'Function not found: f' }));
  });

  test('an error page that is not JSON is still an error with the status', async () => {
    const { options } = world([{ status: 403, body: '<html>Forbidden</html>' }]);
    await expect(invokeFunction('f', '{}', 'RequestResponse', options)).rejects.toThrow(expect.objectContaining({ name: 'HTTP403', message: expect.stringContaining('Forbidden') }));
  });
});

describe('AWS Backup restore jobs (REST-JSON)', () => {
  const JOB = {
    RestoreJobId: 'job-1',
    Status: 'COMPLETED',
    ResourceType: 'DynamoDB',
    CreatedResourceArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/t',
    CreationDate: 1_764_900_000.5,
    CompletionDate: 1_764_901_800,
    CreatedBy: { RestoreTestingPlanArn: 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:p' },
    ValidationStatus: 'VALIDATING',
  };

  test('DescribeRestoreJob: GET /restore-jobs/{id} without a body, signed for backup; epoch-second timestamps become dates', async () => {
    const { options, sent } = world([{ status: 200, body: JOB }]);
    const job = await describeRestoreJob('job-1', options);
    expect(job).toEqual({
      RestoreJobId: 'job-1',
      Status: 'COMPLETED',
      StatusMessage: undefined,
      ResourceType: 'DynamoDB',
      CreatedResourceArn: JOB.CreatedResourceArn,
      CreationDate: new Date(1_764_900_000_500),
      CompletionDate: new Date(1_764_901_800_000),
      CreatedBy: { RestoreTestingPlanArn: JOB.CreatedBy.RestoreTestingPlanArn },
    });
    const [r] = sent;
    expect(r).toMatchObject({ method: 'GET', url: 'https://backup.eu-west-1.amazonaws.com/restore-jobs/job-1', body: '' });
    expect(r.headers['content-type']).toBeUndefined();
    expectSigned(r, 'eu-west-1', 'backup');
  });

  test('a job without creator or dates has none', async () => {
    const { options } = world([{ status: 200, body: { RestoreJobId: 'job-1', Status: 'FAILED', StatusMessage: 'Access denied' } }]);
    await expect(describeRestoreJob('job-1', options)).resolves.toMatchObject({ Status: 'FAILED', StatusMessage: 'Access denied', CreatedBy: undefined, CreationDate: undefined });
  });

  test('PutRestoreValidationResult: PUT /restore-jobs/{id}/validations with the verdict as JSON; 204 is success', async () => {
    const { options, sent } = world([{ status: 204, body: '' }]);
    await putRestoreValidationResult({ RestoreJobId: 'job/1', ValidationStatus: 'FAILED', ValidationStatusMessage: 'table t is CREATING' }, options);
    const [r] = sent;
    expect(r).toMatchObject({ method: 'PUT', url: 'https://backup.eu-west-1.amazonaws.com/restore-jobs/job%2F1/validations' });
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({ ValidationStatus: 'FAILED', ValidationStatusMessage: 'table t is CREATING' });
    expectSigned(r, 'eu-west-1', 'backup');
  });

  test('a service error is thrown with the service\'s name and message', async () => {
    const { options } = world([{ status: 400, headers: { 'x-amzn-errortype': 'InvalidRequestException' }, body: { Code: 'ERROR_3012', Message: 'validation window closed', Type: 'User' } }]);
    await expect(putRestoreValidationResult({ RestoreJobId: 'job-1', ValidationStatus: 'SUCCESSFUL' }, options))
      .rejects.toThrow(expect.objectContaining({ name: 'InvalidRequestException', message: 'validation window closed' }));
  });

  test('an error named only by the body\'s code member', async () => {
    const { options } = world([{ status: 400, body: { code: 'ResourceNotFoundException', message: 'no such job' } }]);
    await expect(describeRestoreJob('job-9', options)).rejects.toThrow(expect.objectContaining({ name: 'ResourceNotFoundException', message: 'no such job' }));
  });

  test.each(['[1,2]', 'null', '"job"', '{"RestoreJobId":'])('a malformed answer (%s) is an error, not retried', async (body) => {
    const { options, clock, sent } = world([{ status: 200, body }]);
    await expect(withRetries(clock, () => describeRestoreJob('job-1', options)))
      .rejects.toThrow(expect.objectContaining({ name: 'MalformedResponse', message: expect.stringContaining('AWS Backup DescribeRestoreJob') }));
    expect(sent).toHaveLength(1);
  });
});

describe('throttling and transient failures, for every call', () => {
  const calls: Array<[string, (o: SignedCallOptions) => Promise<unknown>]> = [
    ['DynamoDB DescribeTable', (o) => describeTable({ TableName: 't' }, o)],
    ['DynamoDB Scan', (o) => scan({ TableName: 't', Limit: 1 }, o)],
    ['Lambda Invoke', (o) => invokeFunction('f', '{}', 'RequestResponse', o)],
    ['Backup DescribeRestoreJob', (o) => describeRestoreJob('job-1', o)],
    ['Backup PutRestoreValidationResult', (o) => putRestoreValidationResult({ RestoreJobId: 'job-1', ValidationStatus: 'SUCCESSFUL' }, o).then(() => 'reported')],
  ];
  const throttles: Array<[string, Answer]> = [
    ['ThrottlingException', { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } }],
    ['ProvisionedThroughputExceededException', { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' } }],
    ['TooManyRequestsException', { status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsException' }, body: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', message: 'Rate exceeded' } }],
    ['a bare HTTP 429', { status: 429, body: '' }],
  ];
  const cases = calls.flatMap(([name, call]) => throttles.map(([kind, answer]) => [name, kind, call, answer] as const));

  test.each(cases)('%s: %s is one attempt surfaced as throttling, then withBackoff succeeds', async (_name, _kind, call, answer) => {
    const once = world([answer]);
    const error = await call(once.options).catch((e) => e);
    expect(isThrottlingError(error)).toBe(true);
    expect(once.sent).toHaveLength(1);
    const retried = world([answer, answer, { status: 200, body: {} }]);
    await expect(withRetries(retried.clock, () => call(retried.options))).resolves.toBeDefined();
    expect(retried.sent).toHaveLength(3);
  });

  test.each(calls)('%s: HTTP 500/503 and a network failure are tried again at once, then the answer returned', async (_name, call) => {
    const w = world([{ status: 503, body: '' }, new Error('socket hang up'), { status: 200, body: {} }]);
    await expect(call(w.options)).resolves.toBeDefined();
    expect(w.sent).toHaveLength(TRANSIENT_ATTEMPTS);
    expect(w.sleeps).toHaveLength(TRANSIENT_ATTEMPTS - 1);
    // Short pauses: anything longer is throttling's, left to the caller's backoff.
    expect(w.sleeps.every((ms) => ms > 0 && ms <= 1_000)).toBe(true);
  });

  test.each(calls)(`%s: a transient failure that lasts is thrown after ${TRANSIENT_ATTEMPTS} attempts`, async (_name, call) => {
    const w = world([{ status: 500, body: { __type: 'InternalServerError', message: 'oops' } }, { status: 502, body: '' }, { status: 500, body: { __type: 'InternalServerError', message: 'oops again' } }, { status: 200 }]);
    await expect(call(w.options)).rejects.toThrow(expect.objectContaining({ name: 'InternalServerError', message: 'oops again' }));
    expect(w.sent).toHaveLength(TRANSIENT_ATTEMPTS);
  });

  test('a network failure that lasts is a NetworkError naming the host', async () => {
    const w = world([new Error('getaddrinfo ENOTFOUND'), new Error('getaddrinfo ENOTFOUND'), new Error('getaddrinfo ENOTFOUND')]);
    await expect(describeTable({ TableName: 't' }, w.options)).rejects.toThrow(expect.objectContaining({ name: 'NetworkError', message: expect.stringContaining('dynamodb.eu-west-1.amazonaws.com') }));
  });

  test('missing credentials are thrown at once, nothing sent', async () => {
    const w = world([]);
    const credentials = async () => { throw Object.assign(new Error('Unable to find environment variable credentials.'), { name: 'CredentialsProviderError' }); };
    await expect(describeRestoreJob('job-1', { ...w.options, credentials })).rejects.toThrow('Unable to find environment variable credentials');
    expect(w.sent).toHaveLength(0);
  });
});

describe('a configured endpoint URL', () => {
  test('takes every request, with the operation\'s path after its own, signed for the Region', async () => {
    const w = world([{ status: 200, body: {} }, { status: 200, body: {} }], 'us-west-2', 'http://127.0.0.1:4566/base/');
    await describeRestoreJob('job-1', w.options);
    await describeTable({ TableName: 't' }, w.options);
    expect(w.sent.map((r) => r.url)).toEqual(['http://127.0.0.1:4566/base/restore-jobs/job-1', 'http://127.0.0.1:4566/base/']);
    // The Host header as the request carries it, port included, so the signature holds there.
    expect(w.sent[0].headers.host).toBe('127.0.0.1:4566');
    expectSigned(w.sent[0], 'us-west-2', 'backup');
    expectSigned(w.sent[1], 'us-west-2', 'dynamodb');
  });
});
