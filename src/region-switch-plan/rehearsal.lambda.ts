/**
 * The tasks of RegionSwitchRehearsal's state machine: a graceful switch to
 * the secondary region and back, measured, with a marker written before each
 * switch and read after it. The state machine (region-switch-rehearsal.ts)
 * does the waiting with Wait states; each invocation here is one short call:
 *
 * - `preflight`: refuses to start unless the writer-region parameter names
 *   the primary (a rehearsal from a switched platform would move it further)
 *   and no execution of the plan is under way (ListPlanExecutions);
 * - `writeMarker`: puts the marker item in the region being left, and when
 *   database marker functions are configured, has the one of that region
 *   keep a marker row through its cluster's writer;
 * - `startSwitch`: StartPlanExecution (activate, graceful) on the data plane
 *   of the region being activated;
 * - `pollSwitch`: GetPlanExecution once; running, done, or an error (failed,
 *   canceled, timed out, paused by a failed step, past the leg's timeout);
 * - `verifyMarker`: reads the marker in the region just activated (the item,
 *   and the row through that region's new writer); a missing or different
 *   marker is data loss, and fails the rehearsal;
 * - `recordSuccess` / `recordFailure`: the metrics and the verdict;
 * - `publishAge`: hours since the last successful rehearsal (the overdue alarm's metric).
 *
 * Every AWS call retries throttling with the library's backoff; any other
 * error fails the task and the state machine's Catch records the failure.
 * ARC Region switch API: https://docs.aws.amazon.com/arc-region-switch/latest/api/Welcome.html
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { ArcApi, getExecution, isoDurationSeconds, newEvents, outcomeOf, stepTimings } from '../private/arc-executions';
import { ArcRegionSwitchClient } from '../private/arc-region-switch-client';
import { Clock, describeError, systemClock, withBackoff } from '../private/aws-calls';
import { UNQUALIFIED_FUNCTION_ARN } from '../private/function-arn';
import { invokeFunction, InvokeResult } from '../private/lambda-invoke-call';
import {
  DIMENSION_ENVIRONMENT,
  DIMENSION_REHEARSAL_LEG,
  DIMENSION_REHEARSAL_STEP,
  METRIC_REHEARSAL_AGE,
  METRIC_REHEARSAL_FAILED,
  METRIC_REHEARSAL_LEG_RTO,
  METRIC_REHEARSAL_MEASURED_RTO,
  METRIC_REHEARSAL_STEP_DURATION,
  METRIC_REHEARSAL_SUCCEEDED,
  RECOVERY_NAMESPACE,
  REHEARSAL_NEVER,
  REHEARSAL_SERVICE,
} from '../private/recovery-metrics';
import { configuredEndpointUrl } from '../private/signed-call';

/** The two switches of a rehearsal. */
export type Leg = 'failover' | 'failback';
const LEGS: readonly Leg[] = ['failover', 'failback'];

/** The marker item's attribute that holds its value (the state machine execution's name and the leg); its key is the same with a prefix. */
export const MARKER_ATTRIBUTE = 'drRehearsalMarker';
/** Every marker's partition key starts with this, so it cannot be mistaken for (or overwrite) an application item. */
export const MARKER_KEY_PREFIX = 'dr-rehearsal#';

export interface RehearsalConfig {
  readonly planArn: string;
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
  readonly environment: string;
  readonly rtoMinutes: number;
  readonly legTimeoutMinutes: number;
  /** The writer-region parameter (the same name in both regions), read in the secondary. */
  readonly writerRegionParameter: string;
  /** The parameter that holds the time of the last successful rehearsal, in the function's region. */
  readonly lastSuccessParameter: string;
  readonly ownRegion: string;
  readonly markerTable: string;
  readonly markerPartitionKey: string;
  readonly markerSortKey?: string;
  /**
   * The functions that keep a marker row in each region's database
   * (the platform's verify-writer functions), by ARN; both or neither.
   */
  readonly markerFunctions?: { readonly primary: string; readonly secondary: string };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Reads the configuration from the environment; a missing or malformed value is an error naming it. */
export function readConfig(env: Record<string, string | undefined>): RehearsalConfig {
  const required = ['PLAN_ARN', 'PRIMARY_REGION', 'SECONDARY_REGION', 'ENVIRONMENT', 'RTO_MINUTES', 'LEG_TIMEOUT_MINUTES',
    'WRITER_REGION_PARAMETER', 'LAST_SUCCESS_PARAMETER', 'AWS_REGION', 'MARKER_TABLE', 'MARKER_PARTITION_KEY'];
  const missing = required.filter((k) => !env[k]);
  if (missing.length) throw new Error(`missing configuration: ${missing.join(', ')}`);
  for (const k of ['PRIMARY_REGION', 'SECONDARY_REGION']) {
    if (!REGION.test(env[k]!)) throw new Error(`${k} must be a region code, got: ${JSON.stringify(env[k])}`);
  }
  if (env.PRIMARY_REGION === env.SECONDARY_REGION) throw new Error(`PRIMARY_REGION and SECONDARY_REGION must differ, got: ${env.PRIMARY_REGION} for both`);
  const whole = (k: string) => {
    const n = Number(env[k]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${k} must be a whole number of minutes of at least 1, got: ${JSON.stringify(env[k])}`);
    return n;
  };
  return {
    planArn: env.PLAN_ARN!,
    primaryRegion: env.PRIMARY_REGION!,
    secondaryRegion: env.SECONDARY_REGION!,
    environment: env.ENVIRONMENT!,
    rtoMinutes: whole('RTO_MINUTES'),
    legTimeoutMinutes: whole('LEG_TIMEOUT_MINUTES'),
    writerRegionParameter: env.WRITER_REGION_PARAMETER!,
    lastSuccessParameter: env.LAST_SUCCESS_PARAMETER!,
    ownRegion: env.AWS_REGION!,
    markerTable: env.MARKER_TABLE!,
    markerPartitionKey: env.MARKER_PARTITION_KEY!,
    markerSortKey: env.MARKER_SORT_KEY || undefined,
    markerFunctions: markerFunctions(env),
  };
}

/** The region of a function ARN (unqualified, as the construct writes it), or an error naming the variable. */
export function functionRegion(arn: string, variable: string): string {
  const match = UNQUALIFIED_FUNCTION_ARN.exec(arn);
  if (!match) throw new Error(`${variable} must be an unqualified Lambda function ARN, got: ${JSON.stringify(arn)}`);
  return match[1];
}

function markerFunctions(env: Record<string, string | undefined>): RehearsalConfig['markerFunctions'] {
  const primary = env.MARKER_FUNCTION_PRIMARY;
  const secondary = env.MARKER_FUNCTION_SECONDARY;
  if (!primary && !secondary) return undefined;
  if (!primary || !secondary) {
    throw new Error(`MARKER_FUNCTION_PRIMARY and MARKER_FUNCTION_SECONDARY must be set together, got only ${primary ? 'MARKER_FUNCTION_PRIMARY' : 'MARKER_FUNCTION_SECONDARY'}`);
  }
  for (const [variable, arn, region] of [
    ['MARKER_FUNCTION_PRIMARY', primary, env.PRIMARY_REGION], ['MARKER_FUNCTION_SECONDARY', secondary, env.SECONDARY_REGION],
  ] as const) {
    const inRegion = functionRegion(arn, variable);
    if (inRegion !== region) throw new Error(`${variable} must be a function in ${region}, got one in ${inRegion}: ${arn}`);
  }
  return { primary, secondary };
}

/** One metric value, before it is published. */
export interface MetricRecord {
  readonly name: string;
  readonly unit: 'Seconds' | 'Count' | 'NoUnit';
  readonly value: number;
  /** Dimensions beyond service and Environment. */
  readonly dimensions?: Record<string, string>;
}

/** Everything the handler takes from the world; the tests pass their own. */
export interface RehearsalDeps {
  readonly arc: ArcApi;
  readonly dynamodb: (region: string) => DynamoDBClient;
  readonly ssm: (region: string) => SSMClient;
  /** Invokes a function synchronously in its own region (a signed call: src/private/lambda-invoke-call.ts). */
  readonly invoke: (functionArn: string, region: string, payload: string) => Promise<InvokeResult>;
  readonly publish: (records: MetricRecord[]) => void;
  readonly clock: Clock;
}

/** The leg's regions: the one being left (marker written) and the one activated (marker read, plan run from). */
export function legRegions(config: RehearsalConfig, leg: Leg): { from: string; to: string } {
  return leg === 'failover'
    ? { from: config.primaryRegion, to: config.secondaryRegion }
    : { from: config.secondaryRegion, to: config.primaryRegion };
}

export interface Marker {
  readonly leg: Leg;
  readonly key: string;
  readonly value: string;
  /** The region it was written in (the one being left). */
  readonly writtenIn: string;
  readonly writtenAt: string;
  /** The database marker: the function that wrote it (in the region being left), when markers go to the databases too. */
  readonly database?: { readonly function: string; readonly writtenAt?: string };
}

export interface LegExecution {
  readonly leg: Leg;
  readonly executionId: string;
  /** The data plane the execution runs on: the activated region. */
  readonly region: string;
  readonly targetRegion: string;
  /** Epoch ms when the task started it: the leg's timeout counts from here. */
  readonly startedAt: number;
  readonly state?: string;
  /** `running` until the execution ends; `succeeded` then. Failures throw. */
  readonly status: 'running' | 'succeeded';
  readonly steps?: { name: string; status: string; seconds?: number }[];
  /** Execution start to end, or ARC's actual recovery time when it gives one. */
  readonly rtoSeconds?: number;
  readonly rtoSource?: string;
}

/** The failures a task reports; the state machine's Catch records them. */
export class RehearsalError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function backoff(deps: RehearsalDeps) {
  return <T>(call: () => Promise<T>) => withBackoff(call, { clock: deps.clock, deadline: deps.clock.now() + 60_000, maxAttempts: 6 });
}

const asString = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v === '') throw new RehearsalError('RehearsalInputError', `${what} must be a non-empty string, got: ${JSON.stringify(v)}`);
  return v;
};
const startedAtOf = (v: unknown): string | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)) || /\s/.test(v)) {
    throw new RehearsalError('RehearsalInputError', `startedAt must be the execution's start time (ISO 8601), got: ${JSON.stringify(v)}`);
  }
  return v;
};
const asLeg = (v: unknown): Leg => {
  if (!LEGS.includes(v as Leg)) throw new RehearsalError('RehearsalInputError', `leg must be one of ${LEGS.join(', ')}, got: ${JSON.stringify(v)}`);
  return v as Leg;
};

/**
 * Refuses a rehearsal that would not start from the primary, or that would
 * run beside another execution of the plan: one started while the platform
 * runs in the secondary (a real failover, or a rehearsal still under way past
 * its fence) would move it, and one started during a switch would race it.
 */
export async function preflight(config: RehearsalConfig, deps: RehearsalDeps): Promise<{ writerRegion: string; otherExecutions: number }> {
  const out = await backoff(deps)(() => deps.ssm(config.secondaryRegion).send(new GetParameterCommand({ Name: config.writerRegionParameter })));
  const writerRegion = out.Parameter?.Value;
  if (writerRegion !== config.primaryRegion) {
    throw new RehearsalError('RehearsalNotOnPrimary',
      `${config.writerRegionParameter} in ${config.secondaryRegion} names ${JSON.stringify(writerRegion)}, not the primary ${config.primaryRegion}: `
      + 'a rehearsal starts from the primary and ends there, so it did not start (switch back first)');
  }
  // Each region's data plane, as the executions run on the activated region's.
  let seen = 0;
  for (const region of [config.secondaryRegion, config.primaryRegion]) {
    const open = await openExecutions(config, deps, region);
    seen += open.count;
    if (open.running.length) {
      throw new RehearsalError('RehearsalPlanBusy',
        `the plan has an execution that has not ended (${open.running.join(', ')}, listed in ${region}): a rehearsal does not run beside it, so it did not start`);
    }
  }
  return { writerRegion, otherExecutions: seen };
}

/** Pages of ListPlanExecutions read at most; with 100 a page, 5,000 executions. */
const MAX_EXECUTION_PAGES = 50;

/** The plan's executions listed on a region's data plane, and those among them that have not ended. */
async function openExecutions(config: RehearsalConfig, deps: RehearsalDeps, region: string): Promise<{ count: number; running: string[] }> {
  const running: string[] = [];
  let count = 0;
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_EXECUTION_PAGES; page++) {
    const out = await backoff(deps)(() => deps.arc.call<{ items?: { executionId?: string; executionState?: string }[]; nextToken?: string }>(
      'ListPlanExecutions', { planArn: config.planArn, maxResults: 100, ...(nextToken ? { nextToken } : {}) }, region));
    for (const e of out.items ?? []) {
      count++;
      const outcome = outcomeOf(e.executionState);
      if (outcome !== 'succeeded' && outcome !== 'failed') running.push(`${e.executionId ?? '?'} ${e.executionState ?? 'unknown'}`);
    }
    nextToken = out.nextToken;
    if (!nextToken) return { count, running };
  }
  throw new RehearsalError('RehearsalPlanBusy',
    `the plan has more than ${MAX_EXECUTION_PAGES} pages of executions in ${region}: whether one is still running is unknown, so the rehearsal did not start`);
}

function markerKey(config: RehearsalConfig, key: string): Record<string, { S: string }> {
  return {
    [config.markerPartitionKey]: { S: key },
    ...(config.markerSortKey ? { [config.markerSortKey]: { S: key } } : {}),
  };
}

/**
 * Puts the leg's marker in the region being left. Idempotent: the key and
 * value derive from the rehearsal and leg, and an item that exists with
 * another value (an application's) is never overwritten.
 */
export async function writeMarker(config: RehearsalConfig, deps: RehearsalDeps, rehearsalId: string, leg: Leg, startedAt?: string): Promise<Marker> {
  const { from } = legRegions(config, leg);
  const key = `${MARKER_KEY_PREFIX}${rehearsalId}#${leg}`;
  // The execution's start time makes the value this run's own: a later run
  // that reuses the name (Step Functions allows it after 90 days) meets the
  // old item as a conflict, and writes a row of its own, instead of finding
  // the earlier run's marker and proving nothing.
  const value = startedAt ? `${rehearsalId}@${startedAt}#${leg}` : `${rehearsalId}#${leg}`;
  const writtenAt = new Date(deps.clock.now()).toISOString();
  try {
    await backoff(deps)(() => deps.dynamodb(from).send(new PutItemCommand({
      TableName: config.markerTable,
      Item: { ...markerKey(config, key), [MARKER_ATTRIBUTE]: { S: value }, writtenAt: { S: writtenAt }, writtenIn: { S: from } },
      ConditionExpression: 'attribute_not_exists(#m) OR #m = :m',
      ExpressionAttributeNames: { '#m': MARKER_ATTRIBUTE },
      ExpressionAttributeValues: { ':m': { S: value } },
    })));
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      throw new RehearsalError('RehearsalMarkerConflict', `the table ${config.markerTable} in ${from} holds an item under ${key} that is not this rehearsal's marker: left alone`);
    }
    throw error;
  }
  if (!config.markerFunctions) return { leg, key, value, writtenIn: from, writtenAt };
  const fn = markerFunction(config, from);
  const written = await invokeMarker(deps, fn, { action: 'write', marker: value });
  if (!written.found) {
    throw new RehearsalError('RehearsalDatabaseMarkerFailed', `${fn} wrote the marker ${value} but did not find it after: ${JSON.stringify(written)}`);
  }
  return { leg, key, value, writtenIn: from, writtenAt, database: { function: fn, writtenAt: written.writtenAt } };
}

function markerFunction(config: RehearsalConfig, region: string): string {
  return region === config.primaryRegion ? config.markerFunctions!.primary : config.markerFunctions!.secondary;
}

/** What a marker function answers (the verify-writer function's RehearsalMarkerResult). */
interface DatabaseMarker {
  readonly found: boolean;
  readonly marker?: string;
  readonly writtenIn?: string;
  readonly writtenAt?: string;
}

/**
 * Invokes a database marker function, synchronously, in its own region.
 * Lambda's throttling is retried; the function's own error (it could not
 * reach its cluster, or the cluster is not the writer) fails the task with
 * the function's message.
 */
async function invokeMarker(deps: RehearsalDeps, functionArn: string, request: { action: 'write' | 'read'; marker: string }): Promise<DatabaseMarker> {
  const region = functionRegion(functionArn, 'the marker function');
  const out = await backoff(deps)(() => deps.invoke(functionArn, region, JSON.stringify({ rehearsalMarker: request })));
  const text = out.payload;
  let answer: unknown;
  try {
    answer = text ? JSON.parse(text) : undefined;
  } catch {
    answer = undefined;
  }
  if (out.functionError) {
    const message = (answer as { errorMessage?: unknown } | undefined)?.errorMessage;
    throw new RehearsalError('RehearsalDatabaseMarkerFailed',
      `the marker ${request.action} by ${functionArn} failed (${out.functionError}): ${typeof message === 'string' ? message : text || 'no message'}`);
  }
  const marker = answer as DatabaseMarker | undefined;
  if (typeof marker?.found !== 'boolean' || marker.marker !== request.marker) {
    throw new RehearsalError('RehearsalDatabaseMarkerFailed',
      `the marker ${request.action} by ${functionArn} answered ${JSON.stringify(text.slice(0, 500))}, not a marker result for ${request.marker}`);
  }
  return marker;
}

/** Reads the marker in the region just activated, strongly consistent there; missing or different is data loss. */
export async function verifyMarker(
  config: RehearsalConfig, deps: RehearsalDeps, marker: Marker,
): Promise<{ verifiedIn: string; writtenIn: string; databaseVerifiedBy?: string }> {
  const { to } = legRegions(config, marker.leg);
  const out = await backoff(deps)(() => deps.dynamodb(to).send(new GetItemCommand({
    TableName: config.markerTable, Key: markerKey(config, marker.key), ConsistentRead: true,
  })));
  const found = out.Item?.[MARKER_ATTRIBUTE]?.S;
  if (found !== marker.value) {
    throw new RehearsalError('RehearsalDataLoss',
      `the marker ${marker.key} written in ${marker.writtenIn} at ${marker.writtenAt}, before the ${marker.leg}, is ${found === undefined ? 'missing' : `different (${JSON.stringify(found)})`} `
      + `in ${config.markerTable} in ${to} after it: the write did not survive the switch`);
  }
  if (!config.markerFunctions) return { verifiedIn: to, writtenIn: marker.writtenIn };
  if (!marker.database) {
    throw new RehearsalError('RehearsalInputError',
      `the marker ${marker.key} was written without a database marker, but database marker functions are configured: the rehearsal cannot prove the database kept its writes`);
  }
  const fn = markerFunction(config, to);
  const read = await invokeMarker(deps, fn, { action: 'read', marker: marker.value });
  if (!read.found) {
    throw new RehearsalError('RehearsalDataLoss',
      `the database marker ${marker.value} written through ${marker.database.function} in ${marker.writtenIn}${marker.database.writtenAt ? ` at ${marker.database.writtenAt}` : ''}, `
      + `before the ${marker.leg}, is missing from the writer in ${to} after it (read by ${fn}): the write did not survive the switch`);
  }
  return { verifiedIn: to, writtenIn: marker.writtenIn, databaseVerifiedBy: fn };
}

/** Starts the leg: activate the region, graceful, on that region's data plane. Not retried by the state machine (no second start). */
export async function startSwitch(config: RehearsalConfig, deps: RehearsalDeps, rehearsalId: string, leg: Leg): Promise<LegExecution> {
  const { to } = legRegions(config, leg);
  // A throttled start did not start anything: retried. Any other error is not (it may have started).
  const started = await backoff(deps)(() => deps.arc.call<{ executionId?: string }>('StartPlanExecution', {
    planArn: config.planArn, targetRegion: to, action: 'activate', mode: 'graceful', comment: `DR rehearsal ${rehearsalId}: ${leg}`.slice(0, 256),
  }, to));
  if (!started.executionId) throw new RehearsalError('RehearsalStartFailed', `StartPlanExecution for the ${leg} to ${to} returned no executionId`);
  return { leg, executionId: started.executionId, region: to, targetRegion: to, startedAt: deps.clock.now(), status: 'running' };
}

/** Reads the execution once: running, succeeded (with its timings), or an error saying how it ended. */
export async function pollSwitch(config: RehearsalConfig, deps: RehearsalDeps, execution: LegExecution): Promise<LegExecution> {
  const now = deps.clock.now();
  const view = await getExecution({ call: (op, input, region) => backoff(deps)(() => deps.arc.call(op, input, region)) },
    config.planArn, execution.executionId, execution.region);
  const outcome = outcomeOf(view.executionState);
  const steps = stepTimings(view.stepStates, now).map((s) => ({ name: s.name, status: s.status, seconds: s.seconds }));
  if (outcome === 'succeeded') {
    const actual = isoDurationSeconds(view.actualRecoveryTime);
    const total = view.startTime !== undefined && view.endTime !== undefined ? Math.max(0, Math.round(view.endTime - view.startTime)) : undefined;
    const rtoSeconds = actual ?? total ?? Math.round((now - execution.startedAt) / 1000);
    const rtoSource = actual !== undefined ? 'ARC actual recovery time' : total !== undefined ? 'execution start to end' : 'rehearsal start to poll';
    return { ...execution, state: view.executionState, status: 'succeeded', steps, rtoSeconds, rtoSource };
  }
  if (outcome === 'failed' || outcome === 'paused') {
    const lastError = await lastEventError(config, deps, execution);
    throw new RehearsalError(outcome === 'paused' ? 'RehearsalSwitchPaused' : 'RehearsalSwitchFailed',
      `the ${execution.leg} to ${execution.targetRegion} (execution ${execution.executionId}) ended ${view.executionState}`
      + `${outcome === 'paused' ? ' and waits for an operator (retry, skip or cancel the step in the ARC console)' : ''}${lastError ? `: ${lastError}` : ''}`);
  }
  const minutes = (now - execution.startedAt) / 60_000;
  if (minutes > config.legTimeoutMinutes) {
    throw new RehearsalError('RehearsalSwitchTimedOut',
      `the ${execution.leg} to ${execution.targetRegion} (execution ${execution.executionId}) is still ${view.executionState ?? 'unknown'} after ${Math.floor(minutes)} minutes `
      + `(leg timeout ${config.legTimeoutMinutes}): the execution goes on in ARC, the rehearsal stops following it`);
  }
  return { ...execution, state: view.executionState, status: 'running', steps };
}

async function lastEventError(config: RehearsalConfig, deps: RehearsalDeps, execution: LegExecution): Promise<string | undefined> {
  try {
    const events = await newEvents(deps.arc, config.planArn, execution.executionId, execution.region, new Set());
    const withError = events.filter((e) => e.error);
    const last = withError[withError.length - 1];
    return last ? `${last.stepName ? `step ${last.stepName}: ` : ''}${last.error}` : undefined;
  } catch (error) {
    return `(its events could not be read: ${describeError(error)})`;
  }
}

export interface RehearsalResult {
  readonly outcome: 'succeeded';
  /** The longer leg's measured RTO: what the RTO alarm compares with the plan's. */
  readonly measuredRtoSeconds: number;
  readonly totalSeconds: number;
  readonly rtoTargetSeconds: number;
  readonly rtoMet: boolean;
  readonly legs: { leg: Leg; executionId: string; rtoSeconds: number; rtoSource?: string; steps: { name: string; seconds?: number }[] }[];
}

/** The metrics of a successful rehearsal: the verdict, the RTO of each leg and the longer one, and each step's duration. */
export function successMetrics(legs: RehearsalResult['legs']): MetricRecord[] {
  const records: MetricRecord[] = [
    { name: METRIC_REHEARSAL_SUCCEEDED, unit: 'Count', value: 1 },
    { name: METRIC_REHEARSAL_FAILED, unit: 'Count', value: 0 },
    { name: METRIC_REHEARSAL_MEASURED_RTO, unit: 'Seconds', value: Math.max(...legs.map((l) => l.rtoSeconds)) },
  ];
  for (const l of legs) {
    records.push({ name: METRIC_REHEARSAL_LEG_RTO, unit: 'Seconds', value: l.rtoSeconds, dimensions: { [DIMENSION_REHEARSAL_LEG]: l.leg } });
    for (const s of l.steps) {
      if (s.seconds === undefined) continue;
      records.push({
        name: METRIC_REHEARSAL_STEP_DURATION,
        unit: 'Seconds',
        value: s.seconds,
        dimensions: { [DIMENSION_REHEARSAL_LEG]: l.leg, [DIMENSION_REHEARSAL_STEP]: s.name },
      });
    }
  }
  return records;
}

function asLegExecution(v: unknown, leg: Leg): LegExecution {
  const e = v as LegExecution | undefined;
  if (!e || e.leg !== leg || e.status !== 'succeeded' || typeof e.rtoSeconds !== 'number') {
    throw new RehearsalError('RehearsalInputError', `the ${leg} must have succeeded with a measured RTO to record a success, got: ${JSON.stringify(v)}`);
  }
  return e;
}

/** Publishes the success metrics and stores the time of this success (the overdue alarm's reference). */
export async function recordSuccess(config: RehearsalConfig, deps: RehearsalDeps, failover: unknown, failback: unknown): Promise<RehearsalResult> {
  const legs = [asLegExecution(failover, 'failover'), asLegExecution(failback, 'failback')].map((e) => ({
    leg: e.leg,
    executionId: e.executionId,
    rtoSeconds: e.rtoSeconds!,
    rtoSource: e.rtoSource,
    steps: (e.steps ?? []).map((s) => ({ name: s.name, seconds: s.seconds })),
  }));
  const measured = Math.max(...legs.map((l) => l.rtoSeconds));
  deps.publish(successMetrics(legs));
  await backoff(deps)(() => deps.ssm(config.ownRegion).send(new PutParameterCommand({
    Name: config.lastSuccessParameter, Value: new Date(deps.clock.now()).toISOString(), Type: 'String', Overwrite: true,
  })));
  return {
    outcome: 'succeeded',
    measuredRtoSeconds: measured,
    totalSeconds: legs.reduce((t, l) => t + l.rtoSeconds, 0),
    rtoTargetSeconds: config.rtoMinutes * 60,
    rtoMet: measured <= config.rtoMinutes * 60,
    legs,
  };
}

export interface FailureResult {
  readonly outcome: 'failed';
  /** Where the platform is as far as the rehearsal knows: `primary`, `secondary`, or `unknown` (a switch ended part-way). */
  readonly platformIn: 'primary' | 'secondary' | 'unknown';
  readonly error: string;
  readonly message: string;
}

/**
 * What a failure leaves behind, from the state the Catch saw: the error and
 * how far the legs got. A failback that did not succeed after a failover that
 * did leaves the platform on the secondary, and the message says so first.
 */
export function describeFailure(config: RehearsalConfig, state: Record<string, unknown>): FailureResult {
  const err = (state.error ?? {}) as { Error?: string; Cause?: string };
  const cause = (() => {
    try {
      const parsed = JSON.parse(err.Cause ?? '');
      return typeof parsed?.errorMessage === 'string' ? parsed.errorMessage : err.Cause;
    } catch {
      return err.Cause;
    }
  })();
  const error = `${err.Error ?? 'Error'}: ${cause ?? '(no cause)'}`;
  const failover = state.failover as LegExecution | undefined;
  const failback = state.failback as LegExecution | undefined;
  let platformIn: FailureResult['platformIn'];
  let message: string;
  if (failover?.status === 'succeeded' && failback?.status !== 'succeeded') {
    platformIn = failback ? 'unknown' : 'secondary';
    message = failback
      ? `REHEARSAL LEFT THE PLATFORM SWITCHED: the switch back to ${config.primaryRegion} (execution ${failback.executionId}) did not complete; `
        + `the platform may be part-way between the regions: finish or retry it in the ARC console or with cdk-dr switch --to ${config.primaryRegion}`
      : `REHEARSAL LEFT THE PLATFORM SWITCHED: it runs in ${config.secondaryRegion}; switch back with cdk-dr switch --to ${config.primaryRegion}`;
  } else if (failover && failover.status !== 'succeeded') {
    platformIn = 'unknown';
    message = `the switch to ${config.secondaryRegion} (execution ${failover.executionId}) did not complete: the platform may be part-way between the regions; `
      + 'check the execution in the ARC console';
  } else if (failback?.status === 'succeeded') {
    platformIn = 'primary';
    message = `both switches completed and the platform is back in ${config.primaryRegion}, but the rehearsal failed after them`;
  } else {
    platformIn = 'primary';
    message = `no switch started: the platform is unchanged in ${config.primaryRegion}`;
  }
  return { outcome: 'failed', platformIn, error, message: `${message} (${error})` };
}

/** Publishes the failure metric; the alarm on it fires, and the state machine then fails with the message. */
export function recordFailure(config: RehearsalConfig, deps: RehearsalDeps, state: Record<string, unknown>): FailureResult {
  const result = describeFailure(config, state);
  deps.publish([
    { name: METRIC_REHEARSAL_FAILED, unit: 'Count', value: 1 },
    { name: METRIC_REHEARSAL_SUCCEEDED, unit: 'Count', value: 0 },
  ]);
  return result;
}

/**
 * Hours since the last successful rehearsal; before the first one, since the
 * parameter was created (the deploy that enabled rehearsals), so a new
 * schedule has its whole interval before it counts as overdue.
 */
export async function publishAge(config: RehearsalConfig, deps: RehearsalDeps): Promise<{ ageHours: number; since: string }> {
  const out = await backoff(deps)(() => deps.ssm(config.ownRegion).send(new GetParameterCommand({ Name: config.lastSuccessParameter })));
  const value = out.Parameter?.Value;
  const parsed = value && value !== REHEARSAL_NEVER ? Date.parse(value) : NaN;
  const since = Number.isNaN(parsed) ? out.Parameter?.LastModifiedDate?.getTime() : parsed;
  if (since === undefined) {
    throw new RehearsalError('RehearsalAgeUnknown', `${config.lastSuccessParameter} holds ${JSON.stringify(value)} and no modification date: the age is unknown (the overdue alarm treats the missing metric as breaching)`);
  }
  const ageHours = Math.max(0, (deps.clock.now() - since) / 3_600_000);
  deps.publish([{ name: METRIC_REHEARSAL_AGE, unit: 'NoUnit', value: Math.round(ageHours * 100) / 100 }]);
  return { ageHours, since: new Date(since).toISOString() };
}

/** Dispatches one state machine task. */
export async function run(event: Record<string, unknown>, config: RehearsalConfig, deps: RehearsalDeps): Promise<unknown> {
  switch (event.action) {
    case 'preflight': return preflight(config, deps);
    case 'writeMarker': return writeMarker(config, deps, asString(event.rehearsalId, 'rehearsalId'), asLeg(event.leg), startedAtOf(event.startedAt));
    case 'verifyMarker': {
      const marker = event.marker as Marker | undefined;
      if (!marker || typeof marker.key !== 'string' || typeof marker.value !== 'string') {
        throw new RehearsalError('RehearsalInputError', `marker must be what writeMarker returned, got: ${JSON.stringify(marker)}`);
      }
      return verifyMarker(config, deps, { ...marker, leg: asLeg(marker.leg) });
    }
    case 'startSwitch': return startSwitch(config, deps, asString(event.rehearsalId, 'rehearsalId'), asLeg(event.leg));
    case 'pollSwitch': {
      const execution = event.execution as LegExecution | undefined;
      if (!execution || typeof execution.executionId !== 'string' || typeof execution.startedAt !== 'number') {
        throw new RehearsalError('RehearsalInputError', `execution must be what startSwitch returned, got: ${JSON.stringify(execution)}`);
      }
      return pollSwitch(config, deps, { ...execution, leg: asLeg(execution.leg) });
    }
    case 'recordSuccess': return recordSuccess(config, deps, event.failover, event.failback);
    case 'recordFailure': return recordFailure(config, deps, (event.state ?? {}) as Record<string, unknown>);
    case 'publishAge': return publishAge(config, deps);
    default:
      throw new RehearsalError('RehearsalInputError', `action must be one of preflight, writeMarker, startSwitch, pollSwitch, verifyMarker, recordSuccess, recordFailure, publishAge, got: ${JSON.stringify(event.action)}`);
  }
}

/** Publishes records as CloudWatch embedded metric format, one document per dimension set. */
export function emfPublisher(environment: string): (records: MetricRecord[]) => void {
  return (records) => {
    const groups = new Map<string, MetricRecord[]>();
    for (const r of records) {
      const key = JSON.stringify(r.dimensions ?? {});
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const [key, group] of groups) {
      const metrics = new Metrics({ namespace: RECOVERY_NAMESPACE, serviceName: REHEARSAL_SERVICE });
      metrics.addDimensions({ [DIMENSION_ENVIRONMENT]: environment, ...JSON.parse(key) });
      for (const r of group) metrics.addMetric(r.name, MetricUnit[r.unit], r.value);
      metrics.publishStoredMetrics();
    }
  };
}

const dynamodbClients = new Map<string, DynamoDBClient>();
const ssmClients = new Map<string, SSMClient>();
let arc: ArcRegionSwitchClient | undefined;
let credentials: ReturnType<typeof defaultProvider> | undefined;

export async function handler(event: Record<string, unknown>): Promise<unknown> {
  const config = readConfig(process.env);
  arc ??= new ArcRegionSwitchClient({ endpointUrl: process.env.AWS_ENDPOINT_URL || undefined });
  const deps: RehearsalDeps = {
    arc,
    dynamodb: (region) => dynamodbClients.get(region) ?? dynamodbClients.set(region, new DynamoDBClient({ region })).get(region)!,
    ssm: (region) => ssmClients.get(region) ?? ssmClients.set(region, new SSMClient({ region })).get(region)!,
    invoke: (functionArn, region, payload) => invokeFunction(functionArn, payload, 'RequestResponse', {
      region, credentials: (credentials ??= defaultProvider()), endpointUrl: configuredEndpointUrl(process.env, 'LAMBDA'),
    }),
    publish: emfPublisher(config.environment),
    clock: systemClock,
  };
  const result = await run(event ?? {}, config, deps);
  console.log(JSON.stringify({ event: `rehearsal:${String(event?.action)}`, result }));
  return result;
}
