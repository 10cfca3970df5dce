import { DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { HttpRequestLike } from '../../src/private/arc-region-switch-client';
import {
  FailoverWatchConfig, isUnreachable, primaryImpaired, publish, queryAlarmState, readConfig, secondaryReady,
} from '../../src/region-switch-plan/failover-watch.lambda';

const config: FailoverWatchConfig = {
  environment: 'prod',
  primaryRegion: 'us-east-1',
  primaryClusterId: 'dr-aurora-prod',
  primaryHealthAlarm: 'dr-region-health-prod',
  secondaryClusterId: 'dr-aurora-prod',
  globalClusterId: 'dr-aurora-global-prod',
};
const SECONDARY_ARN = 'arn:aws:rds:us-west-2:123456789012:cluster:dr-aurora-prod';
const err = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened`), { name, ...extra });

test('the configuration names what is missing', () => {
  expect(() => readConfig({ ENVIRONMENT: 'prod' })).toThrow('failover-watch is misconfigured: PRIMARY_REGION, PRIMARY_CLUSTER_ID, SECONDARY_CLUSTER_ID, GLOBAL_CLUSTER_ID not set');
  expect(readConfig({ ENVIRONMENT: 'prod', PRIMARY_REGION: 'us-east-1', PRIMARY_CLUSTER_ID: 'a', SECONDARY_CLUSTER_ID: 'a', GLOBAL_CLUSTER_ID: 'g' }).primaryHealthAlarm).toBeUndefined();
});

describe('what counts as the region not answering, and what as this function being refused', () => {
  test.each([
    [err('TimeoutError'), true],
    [err('NetworkError'), true],
    [err('Error', { code: 'ECONNREFUSED' }), true],
    [err('Error', { code: 'ENOTFOUND' }), true],
    [err('InternalFailure', { $metadata: { httpStatusCode: 500 } }), true],
    [err('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }), true],
    [err('AccessDenied', { $metadata: { httpStatusCode: 403 } }), false],
    [err('Throttling', { $metadata: { httpStatusCode: 400 } }), false],
    [err('DBClusterNotFoundFault', { $metadata: { httpStatusCode: 404 } }), false],
    [err('ValidationError'), false],
  ])('%s: %s', (error, expected) => {
    expect(isUnreachable(error)).toBe(expected);
  });
});

describe('the primary region, seen from the secondary', () => {
  const rds = new RDSClient({ region: 'us-east-1' });
  const primary = mockClient(rds);
  beforeEach(() => primary.reset());
  const alarm = (state: string | Error) => async () => { if (state instanceof Error) throw state; return state; };

  test.each([
    ['the RDS API answers and the health alarm is OK', undefined, 'OK', 0],
    ['the RDS API answers but the health alarm is in ALARM', undefined, 'ALARM', 1],
    ['the RDS API does not answer (timeout)', err('TimeoutError'), 'OK', 1],
    ['the RDS API fails on its side (503)', err('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }), 'OK', 1],
    ['the RDS API refuses this function (access denied): no evidence', err('AccessDenied', { $metadata: { httpStatusCode: 403 } }), 'ALARM', undefined],
    ['the RDS API throttles this function: no evidence', err('ThrottlingException'), 'OK', undefined],
    ['the health alarm has insufficient data: no evidence', undefined, 'INSUFFICIENT_DATA', undefined],
    ['the CloudWatch API does not answer', undefined, err('NetworkError'), 1],
    ['the CloudWatch API refuses this function', undefined, err('AccessDenied', { $metadata: { httpStatusCode: 403 } }), undefined],
  ] as Array<[string, Error | undefined, string | Error, 0 | 1 | undefined]>)('%s', async (_name, rdsError, state, expected) => {
    if (rdsError) primary.on(DescribeDBClustersCommand).rejects(rdsError);
    else primary.on(DescribeDBClustersCommand, { DBClusterIdentifier: 'dr-aurora-prod' }).resolves({ DBClusters: [{ Status: 'available' }] });
    const evidence = await primaryImpaired(rds, alarm(state), config);
    expect(evidence.value).toBe(expected);
    expect(evidence.reason).toContain('us-east-1');
  });

  test('without a region health alarm, an answering RDS API is health', async () => {
    primary.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'available' }] });
    const reader = jest.fn();
    await expect(primaryImpaired(rds, reader, { ...config, primaryHealthAlarm: undefined })).resolves.toMatchObject({ value: 0 });
    expect(reader).not.toHaveBeenCalled();
  });
});

describe('the secondary, ready to take writes after a promotion', () => {
  const rds = new RDSClient({ region: 'us-west-2' });
  const local = mockClient(rds);
  beforeEach(() => local.reset());
  const world = (status: string, members: string[], instances: string[]) => {
    local.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: status, DBClusterArn: SECONDARY_ARN }] });
    const GlobalClusterMembers = members.map((DBClusterArn) => ({ DBClusterArn }));
    local.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [{ GlobalClusterMembers }] });
    local.on(DescribeDBInstancesCommand).resolves({ DBInstances: instances.map((DBInstanceStatus) => ({ DBInstanceStatus })) });
  };

  test.each([
    ['available, a member, an available instance', 'available', [SECONDARY_ARN], ['available'], 1],
    ['available, a member, one of two instances available', 'available', ['arn:x', SECONDARY_ARN], ['rebooting', 'available'], 1],
    ['not available', 'modifying', [SECONDARY_ARN], ['available'], 0],
    ['not a member of the global cluster', 'available', ['arn:aws:rds:us-east-1:123456789012:cluster:dr-aurora-prod'], ['available'], 0],
    ['no available instance', 'available', [SECONDARY_ARN], ['creating'], 0],
    ['no instance at all', 'available', [SECONDARY_ARN], [], 0],
  ] as Array<[string, string, string[], string[], 0 | 1]>)('%s', async (_name, status, members, instances, expected) => {
    world(status, members, instances);
    await expect(secondaryReady(rds, config)).resolves.toMatchObject({ value: expected });
  });

  test('the instance lookup filters by the cluster ARN', async () => {
    world('available', [SECONDARY_ARN], ['available']);
    await secondaryReady(rds, config);
    expect(local.commandCalls(DescribeDBInstancesCommand)[0].args[0].input).toEqual({ Filters: [{ Name: 'db-cluster-id', Values: [SECONDARY_ARN] }] });
  });

  test('a local RDS API that cannot be read leaves readiness unknown (the alarm reads that as not ready)', async () => {
    local.on(DescribeDBClustersCommand).rejects(err('ThrottlingException'));
    await expect(secondaryReady(rds, config)).resolves.toMatchObject({ value: undefined });
  });
});

describe('publishing: only what is known', () => {
  function captured(fn: () => void): any[] {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => { out.push(String(c)); return true; });
    try {
      fn();
    } finally {
      write.mockRestore();
    }
    return out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }

  test.each([
    [1, 1, ['PrimaryImpaired', 'SecondaryReady']],
    [0, undefined, ['PrimaryImpaired']],
    [undefined, 0, ['SecondaryReady']],
  ] as Array<[0 | 1 | undefined, 0 | 1 | undefined, string[]]>)('impaired %s, ready %s', (impaired, ready, metrics) => {
    const lines = captured(() => publish('prod', { value: impaired, reason: '' }, { value: ready, reason: '' }, 1_000));
    expect(lines).toHaveLength(1);
    expect(lines[0]._aws.CloudWatchMetrics[0].Namespace).toBe('CdkDrPlatform/Recovery');
    expect(lines[0]._aws.CloudWatchMetrics[0].Metrics.map((m: any) => m.Name).sort()).toEqual(metrics);
    expect(lines[0]).toMatchObject({ service: 'failover-watch', Environment: 'prod' });
  });

  test('nothing known, nothing published: silence, which no alarm reads as an outage', () => {
    expect(captured(() => publish('prod', { value: undefined, reason: '' }, { value: undefined, reason: '' }, 1_000))).toEqual([]);
  });
});

describe('the primary\'s alarm state through CloudWatch\'s Query API, signed for monitoring', () => {
  const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = creds.sessionToken;
  });
  afterAll(() => {
    delete process.env.AWS_ACCESS_KEY_ID; delete process.env.AWS_SECRET_ACCESS_KEY; delete process.env.AWS_SESSION_TOKEN;
  });
  const xml = (state: string) => `<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms><member><AlarmName>a</AlarmName><StateValue>${state}</StateValue></member></MetricAlarms></DescribeAlarmsResult></DescribeAlarmsResponse>`;

  test('the request: the region\'s monitoring endpoint, a form body naming the alarm, SigV4 for monitoring', async () => {
    const requests: HttpRequestLike[] = [];
    const read = queryAlarmState(async (r) => { requests.push(r); return { status: 200, headers: {}, body: xml('ALARM') }; });
    await expect(read('dr-region-health-prod', 'us-east-1')).resolves.toBe('ALARM');
    expect(requests[0].url).toBe('https://monitoring.us-east-1.amazonaws.com/');
    expect(Object.fromEntries(new URLSearchParams(requests[0].body))).toEqual({
      'Action': 'DescribeAlarms', 'Version': '2010-08-01', 'AlarmNames.member.1': 'dr-region-health-prod', 'AlarmTypes.member.1': 'MetricAlarm',
    });
    const headers = Object.fromEntries(Object.entries(requests[0].headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/monitoring\/aws4_request/);
    expect(headers['x-amz-target']).toBeUndefined();
  });

  test.each([['OK'], ['ALARM'], ['INSUFFICIENT_DATA']])('reads the state %s', async (state) => {
    await expect(queryAlarmState(async () => ({ status: 200, headers: {}, body: xml(state) }))('a', 'us-east-1')).resolves.toBe(state);
  });

  test('an alarm that does not exist reads as no state', async () => {
    await expect(queryAlarmState(async () => ({ status: 200, headers: {}, body: '<DescribeAlarmsResponse><MetricAlarms/></DescribeAlarmsResponse>' }))('a', 'us-east-1')).resolves.toBeUndefined();
  });

  test('an error answer carries its code and status: a refusal is not an outage, a 503 is', async () => {
    const refused = queryAlarmState(async () => ({ status: 403, headers: {}, body: '<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>' }));
    await expect(refused('a', 'us-east-1')).rejects.toMatchObject({ name: 'AccessDenied' });
    const down = queryAlarmState(async () => ({ status: 503, headers: {}, body: '' }));
    const error = await down('a', 'us-east-1').catch((e) => e);
    expect(isUnreachable(error)).toBe(true);
  });

  test('a transport that fails (the region does not answer) is unreachable', async () => {
    const error = await queryAlarmState(async () => { throw new Error('The operation was aborted due to timeout'); })('a', 'us-east-1').catch((e) => e);
    expect(error.name).toBe('NetworkError');
    expect(isUnreachable(error)).toBe(true);
  });
});
