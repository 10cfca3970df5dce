import { short } from './format';
import { timestampOf } from '../private/arc-region-switch-client';

/**
 * What `cdk-dr switch` makes of ARC Region switch executions: the outcome of
 * each execution state, step timings, the RTO verdict, and the report.
 */

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

/** One execution the command started or followed, and what came of it. */
export interface LegResult {
  readonly label: string;
  /** The Region whose data plane runs the execution (the activating one). */
  readonly region: string;
  action: string;
  targetRegion: string;
  mode: string;
  executionId?: string;
  state?: string;
  outcome?: StateOutcome | 'interrupted';
  steps: StepTiming[];
  startTime?: string;
  endTime?: string;
  /** From the execution's start to its end (or the last poll). */
  totalSeconds?: number;
  /** ARC's actualRecoveryTime: the run plus the time until the health alarms were healthy. */
  actualRecoveryTime?: string;
  actualRecoverySeconds?: number;
  failure?: string;
  /** Steps approved by this run (--approve). */
  approved: string[];
  /** The newest error an execution event carried. */
  lastError?: string;
  /** Set when following stopped on an error about the caller (access, credentials): exit 2. */
  usageError?: boolean;
}

/** The measured RTO of a leg: ARC's actual recovery time when it gave one, else the execution's duration. */
export function measuredRto(leg: LegResult): { seconds?: number; source: string } {
  if (leg.actualRecoverySeconds !== undefined) return { seconds: leg.actualRecoverySeconds, source: 'ARC actual recovery time' };
  return { seconds: leg.totalSeconds, source: 'execution start to end' };
}

export function rtoMet(leg: LegResult, rtoMinutes: number | undefined): boolean | undefined {
  const { seconds } = measuredRto(leg);
  if (rtoMinutes === undefined || seconds === undefined || leg.outcome !== 'succeeded') return undefined;
  return seconds <= rtoMinutes * 60;
}

export interface EvaluationSummary {
  readonly state?: string;
  readonly lastEvaluationTime?: string;
  readonly version?: string;
  readonly warnings: { step?: string; workflow?: string; resource?: string; message: string }[];
  /** Why the status could not be read, when it could not. */
  readonly unavailable?: string;
}

export interface SwitchReport {
  readonly planArn: string;
  readonly planName?: string;
  readonly recoveryApproach?: string;
  readonly regions?: string[];
  readonly rtoTargetMinutes?: number;
  readonly evaluation?: EvaluationSummary;
  readonly rehearsal: boolean;
  readonly legs: LegResult[];
  exitCode: number;
}

const dur = (s: number | undefined) => (s === undefined ? '?' : short(s) === '0' ? '0s' : short(s));

export function evaluationLines(e: EvaluationSummary): string[] {
  if (e.unavailable) return [`plan evaluation: unknown (${e.unavailable})`];
  const head = `plan evaluation: ${e.state ?? 'unknown'}${e.lastEvaluationTime ? ` (last evaluated ${e.lastEvaluationTime}${e.version ? `, plan version ${e.version}` : ''})` : ''}`;
  if (e.warnings.length === 0) return [`${head}; no active warnings`];
  return [`${head}; ${e.warnings.length} active warning${e.warnings.length === 1 ? '' : 's'}:`,
    ...e.warnings.map((w) => `  - ${[w.workflow && `workflow ${w.workflow}`, w.step && `step ${w.step}`, w.resource].filter(Boolean).join(', ')}${w.workflow || w.step || w.resource ? ': ' : ''}${w.message}`)];
}

export function formatSwitch(r: SwitchReport): string {
  const lines = [`Region switch plan ${r.planArn}${r.planName ? ` (${r.planName}, ${r.recoveryApproach ?? '?'}, regions ${r.regions?.join(', ') ?? '?'})` : ''}`];
  if (r.evaluation) lines.push(...evaluationLines(r.evaluation).map((l) => `  ${l[0].toUpperCase()}${l.slice(1)}`));
  for (const leg of r.legs) {
    lines.push('', `${leg.label}: ${leg.action} ${leg.targetRegion}, ${leg.mode}, run from ${leg.region}`);
    lines.push(`  Execution: ${leg.executionId ?? 'not started'}${leg.state ? ` (${leg.state})` : ''}`);
    if (leg.steps.length) {
      const width = Math.min(40, Math.max(4, ...leg.steps.map((s) => s.name.length)));
      lines.push(`  ${'Step'.padEnd(width)}  ${'Status'.padEnd(16)}  ${'Started'.padEnd(20)}  Took`);
      for (const s of leg.steps) {
        lines.push(`  ${s.name.padEnd(width)}  ${s.status.padEnd(16)}  ${(s.startTime?.replace(/\.\d{3}Z$/, 'Z') ?? '-').padEnd(20)}  ${s.seconds === undefined ? '-' : dur(s.seconds)}`);
      }
    }
    if (leg.approved.length) lines.push(`  Approved by this run: ${leg.approved.join(', ')}`);
    const rto = measuredRto(leg);
    const met = rtoMet(leg, r.rtoTargetMinutes);
    lines.push(`  Total: ${dur(leg.totalSeconds)}${leg.actualRecoveryTime ? ` (ARC actual recovery time ${leg.actualRecoveryTime})` : ''}`
      + `; RTO target ${r.rtoTargetMinutes === undefined ? 'none (the plan sets no RecoveryTimeObjectiveMinutes)' : `${r.rtoTargetMinutes}m: ${met === undefined ? 'not measured' : met ? 'met' : 'MISSED'}${met !== undefined ? ` (${dur(rto.seconds)}, ${rto.source})` : ''}`}`);
    if (leg.failure) lines.push(`  ${leg.outcome === 'interrupted' ? 'INTERRUPTED' : leg.outcome === 'paused' ? 'PAUSED' : 'FAILED'}: ${leg.failure}`);
  }
  if (r.rehearsal && r.legs.length === 2 && r.legs.every((l) => l.totalSeconds !== undefined)) {
    lines.push('', `Rehearsal total: ${dur(r.legs.reduce((t, l) => t + (l.totalSeconds ?? 0), 0))} for both switches`);
  }
  return lines.join('\n');
}
