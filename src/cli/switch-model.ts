import { short } from './format';
import { StateOutcome, StepTiming } from '../private/arc-executions';

// Moved to src/private/ to be shared with the rehearsal's handler; re-exported for the command's modules and tests.
export { EXECUTION_STATES, isKnownState, isoDurationSeconds, outcomeOf, stepTimings } from '../private/arc-executions';
export type { StateOutcome, StepTiming } from '../private/arc-executions';

/**
 * What `cdk-dr switch` makes of ARC Region switch executions: the outcome of
 * each execution state, step timings, the RTO verdict, and the report.
 */

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
