import * as http from 'http';
import { AddressInfo } from 'net';
import {
  DescribeSecretCommand,
  RemoveRegionsFromReplicationCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, removeReplicas, RemoveReplicasOptions } from '../../src/encrypted-aurora/remove-secret-replicas.lambda';
import { Clock } from '../../src/private/aws-calls';

const sm = mockClient(SecretsManagerClient);
const SECRET = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:dr-aurora-prod-credentials-AbCdEf';
const NOW = Date.parse('2026-12-01T10:00:00Z');

function named(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}
const throttle = () => named('ThrottlingException', 'Rate exceeded');
const replicas = (...regions: string[]) => ({ ReplicationStatus: regions.map((Region) => ({ Region, Status: 'InSync' as const })) });

function fakeClock(start = NOW) {
  let t = start;
  const slept: number[] = [];
  const clock: Clock = { now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; } };
  return { clock, slept };
}
const opts = (clock: Clock, extra: Partial<RemoveReplicasOptions> = {}): RemoveReplicasOptions => ({
  clock, deadline: NOW + 120_000, pollIntervalMs: 1_000, backoff: { baseDelayMs: 100, maxDelayMs: 1_000 }, ...extra,
});

beforeEach(() => sm.reset());

describe('removeReplicas', () => {
  test('removes every replica region, then reads again until none is left', async () => {
    sm.on(DescribeSecretCommand)
      .resolvesOnce(replicas('us-west-2', 'eu-west-1'))
      .resolvesOnce(replicas());
    sm.on(RemoveRegionsFromReplicationCommand).resolves({ ARN: SECRET, ReplicationStatus: [] });
    const result = await removeReplicas(new SecretsManagerClient({}), SECRET, opts(fakeClock().clock));
    expect(result).toEqual({ removedRegions: ['us-west-2', 'eu-west-1'], secretGone: false });
    expect(sm.commandCalls(RemoveRegionsFromReplicationCommand).map((c) => c.args[0].input))
      .toEqual([{ SecretId: SECRET, RemoveReplicaRegions: ['us-west-2', 'eu-west-1'] }]);
  });

  test('a secret without replicas needs nothing', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN: SECRET });
    expect(await removeReplicas(new SecretsManagerClient({}), SECRET, opts(fakeClock().clock))).toEqual({ removedRegions: [], secretGone: false });
    expect(sm.commandCalls(RemoveRegionsFromReplicationCommand)).toHaveLength(0);
  });

  test('a secret already gone is success: nothing is left to block the deletion', async () => {
    sm.on(DescribeSecretCommand).rejects(named('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.'));
    expect(await removeReplicas(new SecretsManagerClient({}), SECRET, opts(fakeClock().clock))).toEqual({ removedRegions: [], secretGone: true });
  });

  test('a removal still in progress is waited for', async () => {
    sm.on(DescribeSecretCommand)
      .resolvesOnce(replicas('us-west-2'))
      .resolvesOnce({ ReplicationStatus: [{ Region: 'us-west-2', Status: 'InProgress' }] })
      .resolvesOnce(replicas());
    sm.on(RemoveRegionsFromReplicationCommand).resolves({ ARN: SECRET });
    const { clock, slept } = fakeClock();
    const result = await removeReplicas(new SecretsManagerClient({}), SECRET, opts(clock));
    expect(result.removedRegions).toEqual(['us-west-2']);
    // Asked once, then polled while it was in progress.
    expect(sm.commandCalls(RemoveRegionsFromReplicationCommand)).toHaveLength(1);
    expect(slept).toEqual([1_000]);
  });

  test('throttling is retried with growing backoff, and the removal completes', async () => {
    sm.on(DescribeSecretCommand).rejectsOnce(throttle()).resolvesOnce(replicas('us-west-2')).resolvesOnce(replicas());
    sm.on(RemoveRegionsFromReplicationCommand).rejectsOnce(throttle()).rejectsOnce(throttle()).resolves({ ARN: SECRET });
    const { clock, slept } = fakeClock();
    const result = await removeReplicas(new SecretsManagerClient({}), SECRET, opts(clock));
    expect(result.removedRegions).toEqual(['us-west-2']);
    expect(sm.commandCalls(RemoveRegionsFromReplicationCommand)).toHaveLength(3);
    // One backoff for the read, two growing ones for the removal.
    expect(slept).toHaveLength(3);
    expect(slept[2]).toBeGreaterThan(slept[1] * 0.9);
  });

  test('a replica Secrets Manager reports as failed fails the deletion, naming the region, the reason and the way out', async () => {
    sm.on(DescribeSecretCommand).resolves(replicas('us-west-2'));
    sm.on(RemoveRegionsFromReplicationCommand).resolves({
      ARN: SECRET, ReplicationStatus: [{ Region: 'us-west-2', Status: 'Failed', StatusMessage: 'Access denied to the replica key' }],
    });
    await expect(removeReplicas(new SecretsManagerClient({}), SECRET, opts(fakeClock().clock)))
      .rejects.toThrow(/still has replicas .*us-west-2 \(Access denied to the replica key\).*remove-regions-from-replication --secret-id .*credentials-AbCdEf --remove-replica-regions us-west-2/);
  });

  test('an access error is not retried, and is reported with the regions left', async () => {
    sm.on(DescribeSecretCommand).resolves(replicas('us-west-2'));
    sm.on(RemoveRegionsFromReplicationCommand).rejects(named('AccessDeniedException', 'not authorized to perform secretsmanager:RemoveRegionsFromReplication'));
    await expect(removeReplicas(new SecretsManagerClient({}), SECRET, opts(fakeClock().clock)))
      .rejects.toThrow(/us-west-2 \(AccessDeniedException: not authorized/);
    expect(sm.commandCalls(RemoveRegionsFromReplicationCommand)).toHaveLength(1);
  });

  test('replicas still there at the deadline fail the deletion instead of letting CloudFormation time out', async () => {
    sm.on(DescribeSecretCommand).resolves(replicas('us-west-2'));
    sm.on(RemoveRegionsFromReplicationCommand).resolves({ ARN: SECRET });
    await expect(removeReplicas(new SecretsManagerClient({}), SECRET, opts(fakeClock().clock, { deadline: NOW + 3_500 })))
      .rejects.toThrow(/us-west-2 \(removal still in progress\)/);
  });

  test('the secret deleted between the read and the removal is success', async () => {
    sm.on(DescribeSecretCommand).resolves(replicas('us-west-2'));
    sm.on(RemoveRegionsFromReplicationCommand).rejects(named('ResourceNotFoundException'));
    expect(await removeReplicas(new SecretsManagerClient({}), SECRET, opts(fakeClock().clock))).toMatchObject({ secretGone: true });
  });
});

describe('handler (CloudFormation custom resource)', () => {
  let server: http.Server;
  let responses: any[];
  let responseUrl: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        responses.push({ method: req.method, body: JSON.parse(body) });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => { responses = []; });

  const event = (RequestType: 'Create' | 'Update' | 'Delete', props: Record<string, unknown> = { SecretArn: SECRET }) => ({
    RequestType,
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/s/1',
    RequestId: 'req-1',
    LogicalResourceId: 'SecretReplicaRemoval',
    PhysicalResourceId: RequestType === 'Create' ? undefined : 'replicas-of-dr-aurora-prod-credentials-AbCdEf',
    ResourceProperties: props,
  });
  const context = { getRemainingTimeInMillis: () => 300_000 };

  test.each(['Create', 'Update'] as const)('%s touches nothing and reports success', async (type) => {
    await handler(event(type), context);
    expect(sm.calls()).toHaveLength(0);
    expect(responses).toEqual([{ method: 'PUT', body: expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'replicas-of-dr-aurora-prod-credentials-AbCdEf' }) }]);
  });

  test('Delete removes the replicas and reports them', async () => {
    sm.on(DescribeSecretCommand).resolvesOnce(replicas('us-west-2')).resolvesOnce(replicas());
    sm.on(RemoveRegionsFromReplicationCommand).resolves({ ARN: SECRET });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await handler(event('Delete'), context);
    } finally {
      log.mockRestore();
    }
    expect(responses[0].body).toMatchObject({ Status: 'SUCCESS', Data: { RemovedRegions: 'us-west-2', SecretGone: 'false' } });
  });

  test('a failed removal is reported as FAILED with the reason, never left hanging', async () => {
    sm.on(DescribeSecretCommand).rejects(named('AccessDeniedException', 'not authorized to perform secretsmanager:DescribeSecret'));
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await handler(event('Delete'), context);
    } finally {
      error.mockRestore();
    }
    expect(responses[0].body).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('not authorized') });
  });

  test.each([{}, { SecretArn: 'dr-aurora-prod-credentials' }, { SecretArn: 42 }])('bad input %j gets a clear error and no call', async (props) => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await handler(event('Delete', props), context);
    } finally {
      error.mockRestore();
    }
    expect(responses[0].body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^SecretArn must be the ARN of a Secrets Manager secret, got: /) });
    expect(sm.calls()).toHaveLength(0);
  });
});
