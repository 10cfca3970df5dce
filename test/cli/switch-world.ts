import { runSubcommand } from './run-subcommand';
import { StackResource, switchCommand, SwitchDeps } from '../../src/cli/switch';
import { ArcRegionSwitchClient, HttpRequestLike, HttpResponseLike } from '../../src/private/arc-region-switch-client';

/**
 * A fake ARC Region switch behind the real client (signing, endpoints, JSON
 * protocol) through an injected transport: no network. Executions follow a
 * script of snapshots, one per GetPlanExecution call.
 */

export const NOW = Date.parse('2026-11-30T12:00:00Z');
export const PLAN = 'arn:aws:arc-region-switch::123456789012:plan/shop-dr:a1b2c3';
export const PRIMARY = 'eu-west-1';
export const SECONDARY = 'eu-central-1';
export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** Seconds since NOW as an awsJson timestamp. */
export const at = (seconds: number) => NOW / 1000 + seconds;

export interface Snapshot {
  readonly state: string;
  readonly steps?: { name: string; status: string; start?: number; end?: number }[];
  readonly events?: { type: string; step?: string; at: number; error?: string }[];
  readonly start?: number;
  readonly end?: number;
  readonly actualRecoveryTime?: string;
  /** Stays on this snapshot until the step is approved. */
  readonly waitForApproval?: string;
}

export interface Sent {
  readonly operation: string;
  readonly region: string;
  readonly request: HttpRequestLike;
  readonly input: Record<string, any>;
}

export interface World {
  plan: Record<string, unknown>;
  evaluation: Record<string, unknown>;
  /** Scripts for the executions StartPlanExecution starts, in order. */
  scripts: Snapshot[][];
  /** Scripts of executions started elsewhere, by id (for --follow). */
  running: Map<string, { script: Snapshot[]; index: number }>;
  approved: Set<string>;
  /** Errors to answer, per operation: the responses in order (then success). */
  failures: Record<string, HttpResponseLike[]>;
  stackResources: StackResource[];
  stackError?: Error;
  sent: Sent[];
}

export function newWorld(): World {
  return {
    plan: {
      arn: PLAN,
      name: 'shop-dr',
      regions: [PRIMARY, SECONDARY],
      primaryRegion: PRIMARY,
      recoveryApproach: 'activePassive',
      recoveryTimeObjectiveMinutes: 30,
      owner: '123456789012',
      executionRole: 'arn:aws:iam::123456789012:role/x',
      workflows: [],
    },
    evaluation: { planArn: PLAN, evaluationState: 'passed', lastEvaluationTime: at(-600), lastEvaluatedVersion: '3', warnings: [] },
    scripts: [],
    running: new Map(),
    approved: new Set(),
    failures: {},
    stackResources: [],
    sent: [],
  };
}

export function errorResponse(status: number, type: string, message: string): HttpResponseLike {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ __type: `com.amazonaws.arcregionswitch#${type}`, message }) };
}

function ok(body: unknown): HttpResponseLike {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) };
}

export function transportFor(world: World) {
  let started = 0;
  return async (request: HttpRequestLike): Promise<HttpResponseLike> => {
    const operation = request.headers['x-amz-target'].replace(/^ArcRegionSwitch\./, '');
    const host = new URL(request.url).hostname;
    const region = /^arc-region-switch(?:-control-plane)?\.([a-z0-9-]+)\./.exec(host)![1];
    const input = JSON.parse(request.body);
    world.sent.push({ operation, region, request, input });
    const failure = world.failures[operation]?.shift();
    if (failure) return failure;
    switch (operation) {
      case 'GetPlanInRegion':
      case 'GetPlan':
        return ok({ plan: world.plan });
      case 'GetPlanEvaluationStatus':
        return ok(world.evaluation);
      case 'StartPlanExecution': {
        const script = world.scripts.shift();
        if (!script) return errorResponse(400, 'IllegalStateException', 'no script left');
        const id = `${region}/${(++started).toString(16).padStart(16, '0')}`;
        world.running.set(id, { script, index: -1 });
        return ok({ executionId: id, plan: input.planArn, planVersion: '3' });
      }
      case 'GetPlanExecution':
      case 'ListPlanExecutionEvents': {
        const run = world.running.get(input.executionId);
        if (!run) return errorResponse(404, 'ResourceNotFoundException', `no execution ${input.executionId}`);
        if (operation === 'GetPlanExecution') {
          const current = run.script[Math.max(0, run.index)];
          const held = run.index >= 0 && current.waitForApproval !== undefined && !world.approved.has(current.waitForApproval);
          if (!held) run.index = Math.min(run.index + 1, run.script.length - 1);
          const s = run.script[run.index];
          return ok({
            planArn: input.planArn,
            executionId: input.executionId,
            executionState: s.state,
            executionAction: 'activate',
            executionRegion: region,
            mode: 'graceful',
            startTime: at(s.start ?? 0),
            ...(s.end !== undefined ? { endTime: at(s.end) } : {}),
            ...(s.actualRecoveryTime ? { actualRecoveryTime: s.actualRecoveryTime } : {}),
            stepStates: (s.steps ?? []).map((st) => ({
              name: st.name,
              status: st.status,
              ...(st.start !== undefined ? { startTime: at(st.start) } : {}),
              ...(st.end !== undefined ? { endTime: at(st.end) } : {}),
            })),
          });
        }
        const events = run.script.slice(0, Math.max(0, run.index) + 1).flatMap((s) => s.events ?? []);
        return ok({
          items: events.map((e, i) => ({ eventId: `${input.executionId}-${e.type}-${e.step ?? ''}-${e.at}-${i}`, timestamp: at(e.at), type: e.type, stepName: e.step, error: e.error })),
        });
      }
      case 'ApprovePlanExecutionStep':
        world.approved.add(input.stepName);
        return ok({});
      case 'CancelPlanExecution':
        return ok({});
      default:
        return errorResponse(400, 'UnknownOperationException', operation);
    }
  };
}

export interface Harness {
  readonly world: World;
  readonly out: string[];
  readonly err: string[];
  readonly deps: SwitchDeps;
  readonly exit: jest.Mock;
  onSleep?: (count: number) => void;
  interrupt(): void;
  ops(): string[];
  run(...args: string[]): Promise<number>;
}

export function harness(world: World = newWorld(), isTty = true): Harness {
  let t = NOW;
  let sleeps = 0;
  let handler: (() => void) | undefined;
  const exit = jest.fn();
  const clock = { now: () => t, sleep: async (ms: number) => { t += ms; h.onSleep?.(++sleeps); } };
  const h: Harness = {
    world,
    out: [],
    err: [],
    exit,
    interrupt: () => handler?.(),
    ops: () => world.sent.map((s) => s.operation),
    deps: {
      arc: new ArcRegionSwitchClient({ transport: transportFor(world), credentials: CREDENTIALS, clock }),
      stackResources: async () => {
        if (world.stackError) throw world.stackError;
        return world.stackResources;
      },
      clock,
      onInterrupt: (fn) => { handler = fn; return () => { handler = undefined; }; },
      exit,
      isTty,
      pollMs: 5_000,
      maxPollMs: 30_000,
    },
    run: (...args) => runSubcommand((io, setExit) => switchCommand(io, setExit, h.deps), args, h),
  };
  return h;
}

/** A plain graceful switch: two steps, then completed. */
export function successScript(): Snapshot[] {
  return [
    { state: 'pending' },
    { state: 'inProgress', steps: [{ name: 'scale-up', status: 'running', start: 10 }, { name: 'aurora', status: 'notStarted' }], events: [{ type: 'executionStarted', at: 5 }, { type: 'stepStarted', step: 'scale-up', at: 10 }] },
    { state: 'inProgress', steps: [{ name: 'scale-up', status: 'completed', start: 10, end: 130 }, { name: 'aurora', status: 'running', start: 131 }], events: [{ type: 'stepSucceeded', step: 'scale-up', at: 130 }] },
    {
      state: 'completed',
      end: 731,
      actualRecoveryTime: 'PT12M30S',
      steps: [{ name: 'scale-up', status: 'completed', start: 10, end: 130 }, { name: 'aurora', status: 'completed', start: 131, end: 731 }],
      events: [{ type: 'stepSucceeded', step: 'aurora', at: 731 }, { type: 'executionSucceeded', at: 731 }],
    },
  ];
}

export const text = (lines: string[]) => lines.join('\n');
