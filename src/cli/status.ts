import { parseDurationOption } from './durations';
import { CliError, EXIT_OK, EXIT_TARGET_MISSED, EXIT_USAGE } from './errors';
import { createCaller, createStatusClients, SDK_MAX_ATTEMPTS, StatusClients } from './status-aws';
import { inspect } from './status-inspect';
import { RpoTarget, StatusReport } from './status-model';
import { discoverStack, discoverVault } from './status-sources';
import { BackoffOptions, Clock, mapWithConcurrency, systemClock } from '../private/aws-calls';

/** `cdk-dr status`: the live recovery status of a deployed stack's or a vault's resources (docs/cli.md). */

export interface StatusFlags {
  readonly stack?: string;
  readonly vault?: string;
  readonly region?: string;
  readonly rpo?: string;
  readonly concurrency?: string;
}

export interface StatusOptions {
  readonly stack?: string;
  readonly vault?: string;
  readonly region?: string;
  readonly rpoSeconds?: number;
  readonly concurrency: number;
}

/** What the command needs from outside; the tests pass their own clock and fast retries. */
export interface StatusEnvironment {
  /** Epoch milliseconds, for the ages. */
  readonly now: () => number;
  /** The sleep between throttled retries. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Retries of throttling after the SDK's own (the library's withBackoff). */
  readonly backoff?: Partial<Omit<BackoffOptions, 'clock' | 'deadline'>>;
  /** Attempts per call in the SDK's adaptive retry. */
  readonly sdkMaxAttempts?: number;
  /** Writes progress as is (no newline); set only when stderr is a terminal and the output is not JSON. */
  readonly progress?: (text: string) => void;
  /** A warning line on stderr. */
  readonly warn: (text: string) => void;
}

export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 64;

/**
 * CloudFormation stack names: a letter, then letters, digits and hyphens, at
 * most 128 characters; a stack ARN is accepted too
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html).
 * Backup vault names: 2 to 50 letters, digits, hyphens and underscores
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html).
 */
const STACK_NAME = /^(?:[A-Za-z][A-Za-z0-9-]{0,127}|arn:[a-z-]+:cloudformation:[a-z0-9-]+:\d{12}:stack\/[A-Za-z][A-Za-z0-9-]{0,127}\/[A-Za-z0-9-]+)$/;
const VAULT_NAME = /^[A-Za-z0-9_-]{2,50}$/;
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Checks the flags; a CliError (exit 2) names the flag, the value and what is allowed. */
export function parseStatusFlags(flags: StatusFlags): StatusOptions {
  if ((flags.stack === undefined) === (flags.vault === undefined)) {
    throw new CliError(`status needs exactly one of --stack NAME or --vault NAME, got ${flags.stack === undefined ? 'neither' : 'both'}`);
  }
  if (flags.stack !== undefined && !STACK_NAME.test(flags.stack)) {
    throw new CliError(`--stack must be a CloudFormation stack name (a letter, then letters, digits and hyphens, at most 128) or a stack ARN, got: ${JSON.stringify(flags.stack)}`);
  }
  if (flags.vault !== undefined && !VAULT_NAME.test(flags.vault)) {
    throw new CliError(`--vault must be a backup vault name (2 to 50 letters, digits, hyphens and underscores), got: ${JSON.stringify(flags.vault)}`);
  }
  if (flags.region !== undefined && !REGION.test(flags.region)) {
    throw new CliError(`--region must be an AWS region such as us-east-1, got: ${JSON.stringify(flags.region)}`);
  }
  let concurrency = DEFAULT_CONCURRENCY;
  if (flags.concurrency !== undefined) {
    concurrency = /^\d+$/.test(flags.concurrency.trim()) ? Number(flags.concurrency) : NaN;
    if (!(concurrency >= 1 && concurrency <= MAX_CONCURRENCY)) {
      throw new CliError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got: ${JSON.stringify(flags.concurrency)}`);
    }
  }
  return {
    stack: flags.stack,
    vault: flags.vault,
    region: flags.region,
    rpoSeconds: flags.rpo === undefined ? undefined : parseDurationOption('--rpo', flags.rpo),
    concurrency,
  };
}

export interface StatusResult {
  readonly report: StatusReport;
  /** AWS API calls made, retries included. */
  readonly apiCalls: number;
}

/** Reads the status of every resource; throws a CliError only when the stack or vault itself cannot be read. */
export async function collectStatus(options: StatusOptions, env: StatusEnvironment, clients?: StatusClients): Promise<StatusResult> {
  const aws = clients ?? createStatusClients(options.region, env.sdkMaxAttempts ?? SDK_MAX_ATTEMPTS);
  const region = await resolveRegion(aws, options.region);
  const clock: Clock = { now: env.now, sleep: env.sleep ?? systemClock.sleep };
  const call = createCaller(options.concurrency, clock, env.backoff);
  const found = options.stack !== undefined
    ? await discoverStack(aws, call, options.stack, region)
    : await discoverVault(aws, call, options.vault!, region);
  found.warnings.forEach((w) => env.warn(w));
  const target: RpoTarget = options.rpoSeconds !== undefined ? { seconds: options.rpoSeconds, source: '--rpo' } : found.declaredTarget;

  const now = env.now();
  let done = 0;
  const progress = (text: string) => env.progress?.(`\r\x1b[K${text}`);
  progress(`cdk-dr status: 0/${found.targets.length} resources`);
  const resources = await mapWithConcurrency(found.targets, options.concurrency, async (t) => {
    const status = await inspect(t, { clients: aws, call, now, targetSeconds: target.seconds });
    progress(`cdk-dr status: ${++done}/${found.targets.length} resources`);
    return status;
  });
  env.progress?.('\r\x1b[K');

  const withErrors = resources.filter((r) => r.errors.length > 0).length;
  const withProblems = resources.filter((r) => r.problems.length > 0).length;
  const ok = resources.filter((r) => r.errors.length === 0 && r.problems.length === 0).length;
  // An unread resource (exit 2) outranks a breach (exit 1): its state is unknown.
  const exitCode = withErrors > 0 ? EXIT_USAGE : withProblems > 0 ? EXIT_TARGET_MISSED : EXIT_OK;
  return {
    report: {
      source: { stack: options.stack, vault: options.vault, region },
      generatedAt: new Date(now).toISOString(),
      target,
      resources,
      summary: { resources: resources.length, ok, withProblems, withErrors },
      exitCode,
    },
    apiCalls: call.count(),
  };
}

async function resolveRegion(clients: StatusClients, given: string | undefined): Promise<string> {
  if (given) return given;
  try {
    return await clients.cloudformation.config.region();
  } catch {
    throw new CliError('no AWS region: pass --region or set AWS_REGION (or a region in your AWS profile)');
  }
}
