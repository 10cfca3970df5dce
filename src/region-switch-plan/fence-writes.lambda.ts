/**
 * The writer-region step of a Region switch plan: sets the platform's
 * "writer region" parameter of the region it runs in to the region named in
 * its payload. The plan runs it twice per switch:
 * - as the write fence, in the region being left, graceful runs only: the
 *   payload names the region being activated, so functions there stop
 *   writing before the database moves;
 * - as the announcement, in the region being activated, after the database
 *   step, in every run: the payload names that region, so functions there
 *   start writing.
 * Each run writes its own region's parameter only, so neither needs the
 * other region to be reachable.
 *
 * Idempotent: a parameter that already names the writer region is left
 * alone, so ARC's reruns (it retries the step each retry interval until it
 * succeeds) and a second run of the same step change nothing. Throttling is
 * retried with backoff; any other failure fails the invocation, and ARC runs
 * the step again. The return contract of a custom-action Lambda is not
 * documented beyond success or failure of the invocation (docs/region-switch-plan.md).
 *
 * The payload, set in the plan, is `{"writerRegion": "<region>"}`; ARC merges
 * `InvokedBy`, `PlanArn`, `ExecutionId` and `StepName` into it
 * (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Lambdas.html).
 */
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { isThrottlingError, systemClock, withBackoff } from '../private/aws-calls';

/** The handler's configuration, from its environment. */
export interface FenceConfig {
  /** The writer-region parameter's name (the same in both regions). */
  readonly parameterName: string;
  /** The plan's two regions. */
  readonly regions: readonly string[];
  /** The region the function runs in. */
  readonly ownRegion: string;
}

export interface FenceOptions {
  /** First backoff delay after throttling; doubles each attempt. */
  readonly baseDelayMs?: number;
  /** Largest backoff delay. */
  readonly maxDelayMs?: number;
  /** Attempts per call before throttling is given up on (ARC retries the step later). */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (message: string) => void;
}

export interface FenceResult {
  /** The region the parameter now names. */
  readonly writerRegion: string;
  /** The region whose parameter was set (the function's own). */
  readonly region: string;
  /** What the parameter named before, when this run changed it. */
  readonly previous?: string;
  /** Whether this run changed the parameter (false: it already named the writer region). */
  readonly changed: boolean;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** The library's one throttling check, under the name the fence's tests know. */
export const isThrottling = isThrottlingError;

/** Reads the configuration from the environment; a missing or malformed value is an error naming it. */
export function readConfig(env: Record<string, string | undefined>): FenceConfig {
  const parameterName = env.WRITER_REGION_PARAMETER;
  if (!parameterName || !parameterName.startsWith('/')) {
    throw new Error(`WRITER_REGION_PARAMETER must be a parameter name starting with "/", got: ${JSON.stringify(parameterName)}`);
  }
  const regions = (env.PLAN_REGIONS ?? '').split(',').filter((r) => r !== '');
  if (regions.length !== 2 || regions.some((r) => !REGION_PATTERN.test(r)) || regions[0] === regions[1]) {
    throw new Error(`PLAN_REGIONS must be two different region codes separated by a comma, got: ${JSON.stringify(env.PLAN_REGIONS)}`);
  }
  const ownRegion = env.AWS_REGION ?? '';
  if (!regions.includes(ownRegion)) {
    throw new Error(`the function runs in ${JSON.stringify(ownRegion)}, which is not one of the plan's regions ${regions.join(', ')}`);
  }
  return { parameterName, regions, ownRegion };
}

/** The writer region the plan asks for, from the invocation payload. */
export function parseWriterRegion(event: unknown, config: FenceConfig): string {
  const payload = typeof event === 'string' ? safeParse(event) : event;
  const writerRegion = (payload as any)?.writerRegion;
  if (typeof writerRegion !== 'string' || !config.regions.includes(writerRegion)) {
    throw new Error(`the payload's writerRegion must be one of the plan's regions ${config.regions.join(', ')}, got: ${JSON.stringify(writerRegion)}`);
  }
  return writerRegion;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sets the parameter of the function's own region to `writerRegion`, unless it already names it. */
export async function fenceWrites(
  client: SSMClient,
  config: FenceConfig,
  writerRegion: string,
  options: FenceOptions = {},
): Promise<FenceResult> {
  const log = options.log ?? (() => undefined);
  // The library's backoff (jittered, doubling); no deadline of its own: the function's timeout and ARC's step retry bound it.
  const clock = { now: () => Date.now(), sleep: options.sleep ?? systemClock.sleep };
  const backoff = {
    clock,
    deadline: Number.POSITIVE_INFINITY,
    maxAttempts: options.maxAttempts ?? 6,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
  };
  const withRetry = <T>(call: () => Promise<T>): Promise<T> => withBackoff(call, backoff);

  const region = config.ownRegion;
  const current = await withRetry(() => client.send(new GetParameterCommand({ Name: config.parameterName })));
  const previous = current.Parameter?.Value;
  if (previous === writerRegion) {
    log(`${config.parameterName} in ${region} already names ${writerRegion}`);
    return { writerRegion, region, changed: false };
  }
  await withRetry(() => client.send(new PutParameterCommand({ Name: config.parameterName, Value: writerRegion, Type: 'String', Overwrite: true })));
  log(`${config.parameterName} in ${region}: ${previous} -> ${writerRegion}`);
  return { writerRegion, region, previous, changed: true };
}

let client: SSMClient | undefined;

export async function handler(event: unknown): Promise<FenceResult> {
  const config = readConfig(process.env);
  const writerRegion = parseWriterRegion(event, config);
  client ??= new SSMClient({ region: config.ownRegion });
  const result = await fenceWrites(client, config, writerRegion, { log: (m) => console.log(m) });
  console.log(JSON.stringify({ event: 'fenceWrites', ...result }));
  return result;
}
