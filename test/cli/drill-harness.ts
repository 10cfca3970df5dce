import {
  BackupClient, DescribeRecoveryPointCommand, GetRecoveryPointRestoreMetadataCommand, ListRecoveryPointsByResourceCommand, RecoveryPointByResource,
} from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { runSubcommand } from './run-subcommand';
import { drillCommand, DrillDeps } from '../../src/cli/drill';

/** Mocked AWS, a fake clock, captured output and an injected Ctrl-C for `cdk-dr drill`. */

export const mocks = {
  backup: mockClient(BackupClient),
  rds: mockClient(RDSClient),
  dynamodb: mockClient(DynamoDBClient),
  s3: mockClient(S3Client),
  lambda: mockClient(LambdaClient),
};

export const NOW = Date.parse('2026-11-30T12:00:00Z');
export const AURORA = 'arn:aws:rds:eu-west-1:123456789012:cluster:live-db';
export const TABLE = 'arn:aws:dynamodb:eu-west-1:123456789012:table/live-table';
export const BUCKET = 'arn:aws:s3:::live-bucket';
export const ROLE = 'arn:aws:iam::123456789012:role/dr-drill-restore';
/** scratchName at NOW with random() = 0.5. */
export const SCRATCH = 'drill-20261130-120000-8000';

export function named(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

export const point = (minutesAgo: number, extra: Partial<RecoveryPointByResource> = {}): RecoveryPointByResource => ({
  RecoveryPointArn: `arn:aws:backup:eu-west-1:123456789012:recovery-point:p-${minutesAgo}`,
  BackupVaultName: 'dr-vault-test',
  CreationDate: new Date(NOW - minutesAgo * 60_000),
  Status: 'COMPLETED',
  ...extra,
});

export function resetMocks(): void {
  Object.values(mocks).forEach((m) => m.reset());
}

/** One usable point and its restore metadata. */
export function givenPoint(metadata: Record<string, string>, points: RecoveryPointByResource[] = [point(30)]): void {
  mocks.backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: points });
  mocks.backup.on(GetRecoveryPointRestoreMetadataCommand).resolves({ RestoreMetadata: metadata });
  mocks.backup.on(DescribeRecoveryPointCommand).resolves({ CreationDate: new Date(NOW - 3 * 86_400_000), Lifecycle: { DeleteAfterDays: 7 } });
}

export interface Harness {
  readonly out: string[];
  readonly err: string[];
  readonly deps: DrillDeps;
  readonly exit: jest.Mock;
  /** Runs on every fake sleep, with the number of sleeps so far. */
  onSleep?: (count: number) => void;
  /** Sends the injected Ctrl-C. */
  interrupt(): void;
  now(): number;
  drill(...args: string[]): Promise<number>;
}

export function harness(): Harness {
  let t = NOW;
  let sleeps = 0;
  let handler: (() => void) | undefined;
  const exit = jest.fn();
  const h: Harness = {
    out: [],
    err: [],
    exit,
    interrupt: () => handler?.(),
    now: () => t,
    deps: {
      clients: () => ({
        backup: new BackupClient({ region: 'eu-west-1' }),
        rds: new RDSClient({ region: 'eu-west-1' }),
        dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
        s3: new S3Client({ region: 'eu-west-1' }),
        lambda: new LambdaClient({ region: 'eu-west-1' }),
      }),
      clock: { now: () => t, sleep: async (ms) => { t += ms; h.onSleep?.(++sleeps); } },
      random: () => 0.5,
      onInterrupt: (fn) => { handler = fn; return () => { handler = undefined; }; },
      exit,
      isTty: true,
      newPassword: () => 'throwaway-pw',
      pollMs: 60_000,
      maxPollMs: 120_000,
    },
    drill: (...args) => runSubcommand((io, setExit) => drillCommand(io, setExit, h.deps), args, h),
  };
  return h;
}

/** Every command sent to a mocked client, by name. */
export function sent(mock: { calls(): Array<{ args: any[] }> }): string[] {
  return mock.calls().map((c) => c.args[0].constructor.name);
}

export function inputsOf<T>(mock: { commandCalls(c: any): Array<{ args: any[] }> }, command: new (input: T) => any): T[] {
  return mock.commandCalls(command).map((c) => c.args[0].input as T);
}
