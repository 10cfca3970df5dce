import * as http from 'http';
import { AddressInfo } from 'net';
import {
  BackupClient,
  DeleteRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
  RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { drainVault, DrainOptions, handler, isThrottling } from '../../src/dr-backup-vault/drain-vault.lambda';

const backupMock = mockClient(BackupClient);
const VAULT = 'dr-vault-test';

const rp = (id: string, extra: Partial<RecoveryPointByBackupVault> = {}): RecoveryPointByBackupVault => ({
  RecoveryPointArn: `arn:aws:backup:eu-west-1:123456789012:recovery-point:${id}`,
  Status: 'COMPLETED',
  ...extra,
});

function throttle(): Error {
  const e = new Error('Rate exceeded');
  e.name = 'ThrottlingException';
  return e;
}

/** A fake clock: sleeping advances it, so tests never wait. */
function fakeTime(deadlineMs = 60_000) {
  let t = 0;
  const slept: number[] = [];
  const options: DrainOptions = {
    deadline: deadlineMs,
    now: () => t,
    sleep: async (ms: number) => { slept.push(ms); t += ms; },
    pollIntervalMs: 1_000,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
  };
  return { options, slept, elapsed: () => t };
}

beforeEach(() => backupMock.reset());

describe('drainVault', () => {
  test('an already-empty vault: one listing, nothing deleted, no waiting', async () => {
    backupMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [] });
    const { options, slept } = fakeTime();
    const result = await drainVault(new BackupClient({}), VAULT, options);
    expect(result).toEqual({ deleteRequests: 0, listings: 1 });
    expect(backupMock.commandCalls(DeleteRecoveryPointCommand)).toHaveLength(0);
    expect(slept).toEqual([]);
  });

  test('several pages: every recovery point on every page is deleted, continuous ones included', async () => {
    const page1 = [rp('a'), rp('b', { IsParent: false }), rp('continuous:cluster-x', { ResourceType: 'Aurora' })];
    const page2 = [rp('d'), rp('e')];
    backupMock.on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: page1, NextToken: 'p2' })
      .resolvesOnce({ RecoveryPoints: page2 })
      .resolves({ RecoveryPoints: [] });
    backupMock.on(DeleteRecoveryPointCommand).resolves({});
    const { options } = fakeTime();
    const result = await drainVault(new BackupClient({}), VAULT, options);

    const listCalls = backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input);
    expect(listCalls[0]).toEqual({ BackupVaultName: VAULT, NextToken: undefined, MaxResults: 100 });
    expect(listCalls[1]).toEqual({ BackupVaultName: VAULT, NextToken: 'p2', MaxResults: 100 });
    const deleted = backupMock.commandCalls(DeleteRecoveryPointCommand).map((c) => c.args[0].input);
    expect(deleted).toEqual([...page1, ...page2].map((p) => ({ BackupVaultName: VAULT, RecoveryPointArn: p.RecoveryPointArn })));
    expect(result).toEqual({ deleteRequests: 5, listings: 2 });
  });

  test('throttling, then success: retried with growing backoff, nothing lost', async () => {
    backupMock.on(ListRecoveryPointsByBackupVaultCommand)
      .rejectsOnce(throttle())
      .resolvesOnce({ RecoveryPoints: [rp('a')] })
      .resolves({ RecoveryPoints: [] });
    backupMock.on(DeleteRecoveryPointCommand)
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .resolves({});
    const { options, slept } = fakeTime();
    const result = await drainVault(new BackupClient({}), VAULT, options);
    expect(result.deleteRequests).toBe(1);
    expect(backupMock.commandCalls(DeleteRecoveryPointCommand)).toHaveLength(3);
    // One backoff for the listing, two growing ones for the delete, then one poll.
    const backoffs = slept.filter((ms) => ms !== options.pollIntervalMs);
    expect(backoffs).toHaveLength(3);
    // Jittered exponential: attempt n waits base * 2^n * [0.5, 1], so each retry waits at least as long as the one before.
    expect(backoffs[2]).toBeGreaterThanOrEqual(backoffs[1]);
    for (const ms of backoffs) expect(ms).toBeLessThanOrEqual(options.maxDelayMs!);
  });

  test('deletion is asynchronous: points still DELETING are waited for, not deleted twice', async () => {
    backupMock.on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [rp('a')] })
      .resolvesOnce({ RecoveryPoints: [rp('a', { Status: 'DELETING' })] })
      .resolvesOnce({ RecoveryPoints: [rp('a', { Status: 'DELETING' })] })
      .resolves({ RecoveryPoints: [] });
    backupMock.on(DeleteRecoveryPointCommand).resolves({});
    const { options } = fakeTime();
    const result = await drainVault(new BackupClient({}), VAULT, options);
    expect(backupMock.commandCalls(DeleteRecoveryPointCommand)).toHaveLength(1);
    expect(result).toEqual({ deleteRequests: 1, listings: 4 });
  });

  test('a recovery point that will not delete: fails before the deadline, naming it and why', async () => {
    const stuck = rp('stuck');
    backupMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('ok'), stuck] });
    const invalid = new Error('Recovery point is being used by an in-progress job');
    invalid.name = 'InvalidRequestException';
    backupMock.on(DeleteRecoveryPointCommand, { RecoveryPointArn: stuck.RecoveryPointArn }).rejects(invalid);
    backupMock.on(DeleteRecoveryPointCommand, { RecoveryPointArn: rp('ok').RecoveryPointArn }).resolves({});
    const { options, elapsed } = fakeTime(10_000);
    await expect(drainVault(new BackupClient({}), VAULT, options)).rejects.toThrow(
      new RegExp(`Backup vault ${VAULT} still holds 2 recovery point\\(s\\) and the handler ran out of time: .*`
        + 'recovery-point:stuck \\(InvalidRequestException: Recovery point is being used by an in-progress job\\)'),
    );
    expect(elapsed()).toBeLessThan(10_000);
    // Not retried like throttling: one attempt per listing round.
    const rounds = backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand).length;
    expect(backupMock.commandCalls(DeleteRecoveryPointCommand, { RecoveryPointArn: stuck.RecoveryPointArn })).toHaveLength(rounds);
  });

  test('a non-throttling listing error is not retried', async () => {
    const denied = new Error('not authorized');
    denied.name = 'AccessDeniedException';
    backupMock.on(ListRecoveryPointsByBackupVaultCommand).rejects(denied);
    await expect(drainVault(new BackupClient({}), VAULT, fakeTime().options)).rejects.toThrow('not authorized');
    expect(backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand)).toHaveLength(1);
  });

  test.each([
    [{ name: 'ThrottlingException' }, true],
    [{ name: 'TooManyRequestsException' }, true],
    [{ name: 'Other', $metadata: { httpStatusCode: 429 } }, true],
    [{ name: 'Other', $retryable: { throttling: true } }, true],
    [{ name: 'InvalidRequestException' }, false],
    [undefined, false],
  ])('isThrottling(%j) is %s', (error, expected) => {
    expect(isThrottling(error)).toBe(expected);
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

  const event = (RequestType: 'Create' | 'Update' | 'Delete', props: Record<string, unknown> = { BackupVaultName: VAULT }) => ({
    RequestType,
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1',
    RequestId: 'req-1',
    LogicalResourceId: 'DrainVault',
    PhysicalResourceId: RequestType === 'Create' ? undefined : `drain-${VAULT}`,
    ResourceProperties: props,
  });
  const context = { getRemainingTimeInMillis: () => 600_000 };

  test.each(['Create', 'Update'] as const)('%s does nothing to the vault and reports success', async (type) => {
    await handler(event(type), context);
    expect(backupMock.calls()).toHaveLength(0);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      method: 'PUT',
      body: { Status: 'SUCCESS', PhysicalResourceId: `drain-${VAULT}`, RequestId: 'req-1', LogicalResourceId: 'DrainVault' },
    });
  });

  test('Delete drains the vault and reports what it did', async () => {
    backupMock.on(ListRecoveryPointsByBackupVaultCommand).resolvesOnce({ RecoveryPoints: [] });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await handler(event('Delete'), context);
    expect(log).toHaveBeenCalledWith(`vault ${VAULT} is empty after 0 delete request(s)`);
    log.mockRestore();
    expect(backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand)).toHaveLength(1);
    expect(responses[0].body).toMatchObject({ Status: 'SUCCESS', Data: { deleteRequests: 0, listings: 1 } });
  });

  test('a failed drain is reported as FAILED with the reason, never left hanging', async () => {
    const denied = new Error('User is not authorized to perform backup:ListRecoveryPointsByBackupVault');
    denied.name = 'AccessDeniedException';
    backupMock.on(ListRecoveryPointsByBackupVaultCommand).rejects(denied);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await handler(event('Delete'), context);
    error.mockRestore();
    expect(responses[0].body).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('not authorized') });
  });

  test('bad input gets a clear error', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await handler(event('Delete', {}), context);
    error.mockRestore();
    expect(responses[0].body).toMatchObject({ Status: 'FAILED', Reason: 'BackupVaultName must be a non-empty string, got: undefined' });
    expect(backupMock.calls()).toHaveLength(0);
  });
});
