/**
 * Helpers for runtime handlers that call AWS APIs many times: recognising
 * throttling, retrying it with jittered exponential backoff on an injectable
 * clock, and running work with bounded concurrency. Used on top of the SDK's
 * own adaptive retry, which absorbs short bursts; these catch what outlasts it.
 */

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  // SSM's answer to concurrent updates of one parameter.
  'TooManyUpdates',
  // S3's "reduce your request rate" (HTTP 503).
  'SlowDown',
]);

/** Whether an SDK error means "slow down" rather than "this is wrong". */
export function isThrottlingError(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } } | undefined;
  return THROTTLING.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429 || e?.$retryable?.throttling === true;
}

export interface Clock {
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export interface BackoffOptions {
  readonly clock: Clock;
  /** Epoch milliseconds after which no retry is started. */
  readonly deadline: number;
  /** How many attempts in all. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
}

/**
 * Calls `call`, retrying throttling errors with jittered exponential backoff
 * until `maxAttempts` or the deadline; any other error is thrown at once.
 */
export async function withBackoff<T>(call: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 5_000;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delay = Math.min(max, base * 2 ** (attempt - 1)) * (0.5 + random() / 2);
      if (!isThrottlingError(error) || attempt >= maxAttempts || options.clock.now() + delay >= options.deadline) {
        throw error;
      }
      await options.clock.sleep(delay);
    }
  }
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the
 * order of `items` in the result. `fn` should not throw: each item's failure
 * belongs in its own result, so one failure hides no other.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`concurrency limit must be a whole number of at least 1, got: ${limit}`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** An error's name and message, for reports. */
export function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}
