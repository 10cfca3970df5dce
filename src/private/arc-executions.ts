import { ArcOperation, timestampOf } from './arc-region-switch-client';

/**
 * ARC Region switch executions as `cdk-dr switch` (src/cli/) and the
 * rehearsal's handler (src/region-switch-plan/rehearsal.lambda.ts) read
 * them: what each execution state means, step timings, and the paginated
 * reads of an execution and its events. Shapes from the SDK model
 * (aws-sdk-js-v3 codegen/sdk-codegen/aws-models/arc-region-switch.json).
 */

/** The ARC calls a caller makes; ArcRegionSwitchClient, or a fake in tests. */
export interface ArcApi {
  call<T = Record<string, unknown>>(operation: ArcOperation, input: Record<string, unknown>, region: string): Promise<T>;
}

/**
 * Every ExecutionState of the model (aws-sdk-js-v3 arc-region-switch.json,
 * com.amazonaws.arcregionswitch#ExecutionState). The model's
 * PlanExecutionCompleted waiter counts completed and completedWithExceptions
 * as success and failed, canceled and planExecutionTimedOut as failure.
 */
export const EXECUTION_STATES = [
  'inProgress', 'pausedByFailedStep', 'pausedByOperator', 'completed', 'completedWithExceptions', 'canceled',
  'planExecutionTimedOut', 'pendingManualApproval', 'failed', 'pending', 'completedMonitoringApplicationHealth',
] as const;

/**
 * What the command does in each state:
 * - running: keep following (pending, inProgress; completedMonitoringApplicationHealth:
 *   the steps are done and ARC waits for the application health alarms, which
 *   ends the actual recovery time; pausedByOperator: someone paused it, it can be resumed);
 * - approval: a manual approval step waits (approved with --approve, else announced);
 * - succeeded / failed: the end;
 * - paused: a step failed and ARC waits for an operator (retry, skip, ungraceful or
 *   cancel): the command stops following, says how to go on, and exits 1.
 */
export type StateOutcome = 'running' | 'approval' | 'succeeded' | 'failed' | 'paused';

const OUTCOMES: Record<string, StateOutcome> = {
  pending: 'running',
  inProgress: 'running',
  completedMonitoringApplicationHealth: 'running',
  pausedByOperator: 'running',
  pendingManualApproval: 'approval',
  completed: 'succeeded',
  completedWithExceptions: 'succeeded',
  failed: 'failed',
  canceled: 'failed',
  planExecutionTimedOut: 'failed',
  pausedByFailedStep: 'paused',
};

/** The outcome of a state; a state the model does not name is followed as running (and warned about by the caller). */
export function outcomeOf(state: string | undefined): StateOutcome {
  return OUTCOMES[state ?? ''] ?? 'running';
}

export function isKnownState(state: string | undefined): boolean {
  return (state ?? '') in OUTCOMES;
}

export interface StepTiming {
  readonly name: string;
  readonly status: string;
  readonly startTime?: string;
  readonly endTime?: string;
  /** endTime - startTime; for a step still running, until the last poll. */
  readonly seconds?: number;
}

/** StepState[] of GetPlanExecution (epoch-second timestamps) as timings. */
export function stepTimings(stepStates: unknown[], now: number): StepTiming[] {
  return stepStates.map((raw) => {
    const s = raw as { name?: string; status?: string; startTime?: unknown; endTime?: unknown };
    const start = timestampOf(s.startTime);
    const end = timestampOf(s.endTime);
    const seconds = start ? Math.max(0, Math.round(((end?.getTime() ?? now) - start.getTime()) / 1000)) : undefined;
    return { name: s.name ?? '?', status: s.status ?? '?', startTime: start?.toISOString(), endTime: end?.toISOString(), seconds };
  });
}

/** An ISO 8601 duration (the model's Duration pattern, e.g. PT12M30S) in seconds; undefined when it does not parse. */
export function isoDurationSeconds(text: string | undefined): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text ?? '');
  if (!m || text === 'P') return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0));
  return Math.round(y * 365 * 86400 + mo * 30 * 86400 + d * 86400 + h * 3600 + mi * 60 + s);
}

export interface ExecutionView {
  executionState?: string;
  executionAction?: string;
  mode?: string;
  startTime?: number;
  endTime?: number;
  actualRecoveryTime?: string;
  stepStates: unknown[];
}

export async function getExecution(arc: ArcApi, planArn: string, executionId: string, region: string): Promise<ExecutionView> {
  const view: ExecutionView = { stepStates: [] };
  let nextToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const out = await arc.call<ExecutionView & { nextToken?: string }>('GetPlanExecution', { planArn, executionId, ...(nextToken ? { nextToken } : {}) }, region);
    if (page === 0) Object.assign(view, { ...out, stepStates: [] });
    view.stepStates.push(...(out.stepStates ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return view;
}

export interface EventView {
  eventId?: string;
  timestamp?: number;
  type?: string;
  stepName?: string;
  error?: string;
  description?: string;
}

export async function newEvents(arc: ArcApi, planArn: string, executionId: string, region: string, seen: Set<string>): Promise<EventView[]> {
  const fresh: EventView[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const out = await arc.call<{ items?: EventView[]; nextToken?: string }>('ListPlanExecutionEvents', { planArn, executionId, ...(nextToken ? { nextToken } : {}) }, region);
    for (const e of out.items ?? []) {
      const key = e.eventId ?? `${e.timestamp}:${e.type}:${e.stepName}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(e);
    }
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return fresh.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}
