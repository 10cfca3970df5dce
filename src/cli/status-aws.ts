import { BackupClient } from '@aws-sdk/client-backup';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RDSClient } from '@aws-sdk/client-rds';
import { CliError } from './errors';
import { BackoffOptions, Clock, describeError, withBackoff } from '../private/aws-calls';

/** The AWS side of `cdk-dr status`: clients, retries, the call limit and errors that stop the command. */

export interface StatusClients {
  readonly cloudformation: CloudFormationClient;
  readonly backup: BackupClient;
  readonly rds: RDSClient;
  readonly dynamodb: DynamoDBClient;
}

/** Attempts per call in the SDK's adaptive retry (client-side rate limiting on throttling). */
export const SDK_MAX_ATTEMPTS = 5;

/**
 * The SDK's adaptive retry absorbs bursts of throttling and slows the client
 * down; `withBackoff` (the library's handlers use it too) retries what
 * outlasts it. https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export function createStatusClients(region: string | undefined, maxAttempts = SDK_MAX_ATTEMPTS): StatusClients {
  const config = { region, retryMode: 'adaptive', maxAttempts };
  return {
    cloudformation: new CloudFormationClient(config),
    backup: new BackupClient(config),
    rds: new RDSClient(config),
    dynamodb: new DynamoDBClient(config),
  };
}

/** How each call is made: at most `limit` in flight, throttling retried, every call counted. */
export interface Caller {
  <T>(fn: () => Promise<T>): Promise<T>;
  /** Calls started so far, retries included. */
  readonly count: () => number;
}

export function createCaller(limit: number, clock: Clock, backoff: Partial<Omit<BackoffOptions, 'clock' | 'deadline'>> = {}): Caller {
  let active = 0;
  let calls = 0;
  const waiting: Array<() => void> = [];
  const acquire = async () => {
    if (active < limit) {
      active++;
      return;
    }
    // The releasing call hands its slot over: `active` stays the same.
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next(); else active--;
  };
  const caller = async <T>(fn: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      return await withBackoff(() => {
        calls++;
        return fn();
      }, { clock, deadline: Number.POSITIVE_INFINITY, ...backoff });
    } finally {
      release();
    }
  };
  return Object.assign(caller, { count: () => calls });
}

const ACCESS_ERRORS = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnrecognizedClientException',
  'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException', 'InvalidSignatureException', 'SignatureDoesNotMatch',
]);

/** Missing credentials or region: the SDK's errors before any request is sent. */
function setupProblem(error: unknown): string | undefined {
  const e = error as { name?: string; message?: string };
  const message = e?.message ?? '';
  if (e?.name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE (and run `aws sso login` for SSO) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
      + ` (the SDK said: ${message || e?.name})`;
  }
  if (/Region is missing/i.test(message)) {
    return 'no AWS region: pass --region or set AWS_REGION (or a region in your AWS profile)';
  }
  return undefined;
}

/** Whether an error means the caller lacks credentials or permission, rather than a fault of one resource. */
export function isAccessError(error: unknown): boolean {
  return setupProblem(error) !== undefined || ACCESS_ERRORS.has((error as { name?: string })?.name ?? '');
}

/**
 * Turns an error of the command's first calls (the stack or vault) into one
 * line the user can act on. `what` names the call (`DescribeStacks`) and
 * `notFound` the message when the error says the stack or vault is unknown.
 */
export function fatalError(error: unknown, what: string, notFound: (e: { name?: string; message?: string }) => string | undefined): CliError {
  const setup = setupProblem(error);
  if (setup) return withCause(new CliError(setup), error);
  const e = error as { name?: string; message?: string };
  if (ACCESS_ERRORS.has(e?.name ?? '')) {
    return withCause(new CliError(`access denied calling ${what}: ${e.message ?? e.name} (docs/cli.md lists the permissions status needs)`), error);
  }
  const missing = notFound(e);
  if (missing) return withCause(new CliError(missing), error);
  return withCause(new CliError(`${what} failed: ${describeError(error)}`), error);
}

function withCause(cliError: CliError, cause: unknown): CliError {
  // --debug prints the stack of the SDK's error, which says where it came from.
  const stack = (cause as Error)?.stack;
  if (stack) cliError.stack = `${cliError.stack}\nCaused by: ${stack}`;
  return cliError;
}

/** Reads every page of a paginated list: `page(token)` returns the items and the next token. */
export async function allPages<T>(page: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const out = await page(token);
    items.push(...(out.items ?? []));
    token = out.next;
  } while (token);
  return items;
}
