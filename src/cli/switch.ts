import { CloudFormationClient, ListStackResourcesCommand, ListStackResourcesCommandOutput } from '@aws-sdk/client-cloudformation';
import { Command, Option } from 'commander';
import { EXIT_INTERRUPTED, processDrillDeps } from './drill';
import { CliError, EXIT_OK, EXIT_TARGET_MISSED, EXIT_USAGE } from './errors';
import {
  ArcApi, asUsageError, getEvaluation, getExecution, getPlan, newEvents, PLAN_ARN, PlanInfo, resolvePlanArn, StackResource,
} from './switch-arc';
import {
  evaluationLines, formatSwitch, isKnownState, isoDurationSeconds, LegResult, outcomeOf, rtoMet,
  stepTimings, SwitchReport,
} from './switch-model';
import { ArcRegionSwitchClient } from '../private/arc-region-switch-client';
import { Clock, describeError } from '../private/aws-calls';

/**
 * `cdk-dr switch`: starts (or, with --follow, attaches to) an ARC Region
 * switch plan execution and follows it step by step (docs/cli.md).
 * Execution APIs: https://docs.aws.amazon.com/arc-region-switch/latest/api/API_StartPlanExecution.html,
 * API_GetPlanExecution, API_ListPlanExecutionEvents, API_ApprovePlanExecutionStep,
 * API_CancelPlanExecution, API_GetPlanEvaluationStatus, API_GetPlanInRegion;
 * all on the activating Region's data plane
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/plan-execution-rs.html).
 */

export interface SwitchIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export { asUsageError, PLAN_ARN, PLAN_RESOURCE_TYPE } from './switch-arc';
export type { ArcApi, StackResource } from './switch-arc';

/** Everything the command takes from the world; the tests pass their own. */
export interface SwitchDeps {
  readonly arc: ArcApi;
  /** A stack's resources (CloudFormation ListStackResources, every page). */
  readonly stackResources: (stack: string, region: string | undefined) => Promise<StackResource[]>;
  readonly clock: Clock;
  readonly onInterrupt: (handler: () => void) => () => void;
  readonly exit: (code: number) => void;
  readonly isTty: boolean;
  readonly pollMs?: number;
  readonly maxPollMs?: number;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;


async function listStackResources(stack: string, region: string | undefined): Promise<StackResource[]> {
  const cfn = new CloudFormationClient({ region, retryMode: 'adaptive', maxAttempts: 5 });
  const resources: StackResource[] = [];
  let token: string | undefined;
  do {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackResources.html
    const page: ListStackResourcesCommandOutput = await cfn.send(new ListStackResourcesCommand({ StackName: stack, NextToken: token }));
    for (const r of page.StackResourceSummaries ?? []) {
      resources.push({ logicalId: r.LogicalResourceId, type: r.ResourceType, physicalId: r.PhysicalResourceId });
    }
    token = page.NextToken;
  } while (token);
  return resources;
}

export const processSwitchDeps: SwitchDeps = {
  arc: new ArcRegionSwitchClient({ clock: processDrillDeps.clock }),
  stackResources: listStackResources,
  clock: processDrillDeps.clock,
  onInterrupt: processDrillDeps.onInterrupt,
  exit: processDrillDeps.exit,
  isTty: processDrillDeps.isTty,
};

export interface SwitchFlags {
  readonly plan?: string;
  readonly stack?: string;
  readonly region?: string;
  readonly to?: string;
  readonly graceful?: boolean;
  readonly ungraceful?: boolean;
  readonly rehearse?: boolean;
  readonly approve?: boolean;
  readonly follow?: string;
  readonly yes?: boolean;
  readonly json?: boolean;
}

/** The `switch` command, for cdk-dr.ts to register. */
export function switchCommand(io: SwitchIo, setExit: (code: number) => void, deps: SwitchDeps = processSwitchDeps): Command {
  return new Command('switch')
    .description('Start (or --follow) an ARC Region switch plan execution and follow it step by step: the time of each step, manual approvals '
      + '(approved only with --approve), the measured RTO against the plan\'s RecoveryTimeObjectiveMinutes. Exit 0 ok, 1 execution failed, '
      + 'paused by a failed step or RTO missed, 2 usage or access error, 130 interrupted (the execution goes on; the resume and cancel commands are printed).')
    .option('--plan <arn>', 'the Region switch plan ARN')
    .option('--stack <name>', 'a deployed stack holding the plan (its AWS::ARCRegionSwitch::Plan resource), instead of --plan')
    .option('--region <region>', 'with --stack: the stack\'s region (default: the AWS SDK\'s, from AWS_REGION or the profile)')
    .option('--to <region>', 'the Region to switch to (activate); with --follow, the Region the execution runs in')
    .option('--graceful', 'a graceful switch (the default)')
    .option('--ungraceful', 'an ungraceful switch (the impaired Region is not waited for); needs --yes')
    .option('--rehearse', 'a graceful switch to --to and then back, measuring the RTO of each step and of both switches')
    .option('--approve', 'approve the manual approval steps of the execution when they wait (without it: print how to approve, and wait)')
    .option('--follow <executionId>', 'attach to a running execution instead of starting one')
    .option('--yes', 'confirm an ungraceful switch')
    .addOption(new Option('--json', 'print the report as JSON (progress off)'))
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) })
    .exitOverride()
    .action(async (flags: SwitchFlags) => { setExit(await executeSwitch(flags, io, deps)); });
}

interface Checked {
  readonly to: string;
  readonly mode: 'graceful' | 'ungraceful';
}

function checkFlags(flags: SwitchFlags): Checked {
  if ((flags.plan === undefined) === (flags.stack === undefined)) {
    throw new CliError('give the plan as --plan ARN or --stack NAME (one of them)');
  }
  if (flags.plan !== undefined && !PLAN_ARN.test(flags.plan)) {
    throw new CliError(`--plan must be a Region switch plan ARN such as arn:aws:arc-region-switch::123456789012:plan/NAME:abc123, got: ${JSON.stringify(flags.plan)}`);
  }
  if (flags.region !== undefined && flags.stack === undefined) {
    throw new CliError('--region is the region of --stack; the Region to switch to is --to');
  }
  if (flags.region !== undefined && !REGION.test(flags.region)) {
    throw new CliError(`--region must be an AWS region such as us-east-1, got: ${JSON.stringify(flags.region)}`);
  }
  if (flags.to === undefined) {
    throw new CliError('--to REGION is required: the Region to switch to (with --follow, the Region the execution runs in)');
  }
  if (!REGION.test(flags.to)) {
    throw new CliError(`--to must be an AWS region such as us-west-2, got: ${JSON.stringify(flags.to)}`);
  }
  if (flags.graceful && flags.ungraceful) {
    throw new CliError('give --graceful or --ungraceful, not both');
  }
  if (flags.follow !== undefined) {
    if (flags.rehearse || flags.graceful || flags.ungraceful) {
      throw new CliError('--follow attaches to a running execution; --rehearse, --graceful and --ungraceful apply when starting one');
    }
    if (!/^\S{1,256}$/.test(flags.follow)) {
      throw new CliError(`--follow must be an execution ID as StartPlanExecution returned it, got: ${JSON.stringify(flags.follow)}`);
    }
  }
  if (flags.rehearse && flags.ungraceful) {
    throw new CliError('--rehearse runs graceful switches only; an ungraceful switch is not rehearsed');
  }
  if (flags.ungraceful && !flags.yes) {
    throw new CliError('an ungraceful switch runs each step\'s ungraceful behaviour (an Aurora block set to fail over can lose the writes not yet replicated; Lambda steps are skipped); add --yes to confirm');
  }
  return { to: flags.to, mode: flags.ungraceful ? 'ungraceful' : 'graceful' };
}

/**
 * The commands to go on with an execution the command leaves (AWS CLI v2:
 * https://docs.aws.amazon.com/goto/cli2/arc-region-switch-2022-07-26/CancelPlanExecution).
 */
export function resumeCommands(planArn: string, region: string, executionId: string): string[] {
  return [
    `follow it again:  cdk-dr switch --plan ${planArn} --to ${region} --follow ${executionId}`,
    'approve waiting steps as it goes:  add --approve to the command above',
    `cancel it:  aws arc-region-switch cancel-plan-execution --plan-arn ${planArn} --execution-id ${executionId} --region ${region}`,
  ];
}

/** Runs the command; resolves to the exit code. Usage errors are thrown as CliError. */
export async function executeSwitch(flags: SwitchFlags, io: SwitchIo, deps: SwitchDeps): Promise<number> {
  const { to, mode } = checkFlags(flags);
  const showProgress = deps.isTty && !flags.json;
  const progress = (text: string) => { if (showProgress) io.err(`cdk-dr switch: ${text}`); };
  const say = (text: string) => io.err(`cdk-dr switch: ${text}`);

  const planArn = await resolvePlanArn(flags, deps);
  const plan = await getPlan(deps.arc, planArn, to);
  if (plan.regions.length > 0 && !plan.regions.includes(to)) {
    throw new CliError(`--to ${to} is not a Region of plan ${planArn}: its Regions are ${plan.regions.join(' and ')}`);
  }
  const other = plan.regions.find((r) => r !== to);
  if (flags.rehearse && !other) {
    throw new CliError(`plan ${planArn} names no second Region to switch back to (regions: ${plan.regions.join(', ') || 'none'})`);
  }

  const evaluation = await getEvaluation(deps.arc, planArn, to);
  for (const line of evaluationLines(evaluation)) say(line);

  const report: SwitchReport = {
    planArn,
    planName: plan.name,
    recoveryApproach: plan.recoveryApproach,
    regions: plan.regions,
    rtoTargetMinutes: plan.rtoMinutes,
    evaluation,
    rehearsal: Boolean(flags.rehearse),
    legs: [],
    exitCode: EXIT_OK,
  };

  // Ctrl-C: stop following (the execution goes on in AWS) and say how to go on.
  let interrupted = false;
  let current: LegResult | undefined;
  let wakeUp = () => undefined as void;
  const wake = new Promise<void>((resolve) => { wakeUp = resolve; });
  const unregister = deps.onInterrupt(() => {
    const leg = current;
    const hints = leg?.executionId ? resumeCommands(planArn, leg.region, leg.executionId).map((l) => `  ${l}`) : [];
    if (!interrupted) {
      interrupted = true;
      wakeUp();
      say(leg?.executionId
        ? `interrupted; execution ${leg.executionId} goes on in ${leg.region}. To go on:\n${hints.join('\n')}`
        : 'interrupted; stopping (an execution being started is reported when the start call returns)');
      return;
    }
    say(leg?.executionId ? `stopped; execution ${leg.executionId} goes on in ${leg.region}:\n${hints.join('\n')}` : 'stopped');
    deps.exit(EXIT_INTERRUPTED);
  });

  const legs: { label: string; activate: string; mode: 'graceful' | 'ungraceful' }[] = flags.follow !== undefined
    ? [{ label: 'Followed execution', activate: to, mode }]
    : flags.rehearse
      ? [{ label: `Rehearsal 1/2: switch to ${to}`, activate: to, mode: 'graceful' }, { label: `Rehearsal 2/2: switch back to ${other}`, activate: other!, mode: 'graceful' }]
      : [{ label: `Switch to ${to}`, activate: to, mode }];

  try {
    for (const spec of legs) {
      const leg = newLeg(spec.label, spec.activate, spec.mode, plan, other && spec.activate === to ? other : to);
      if (flags.follow !== undefined) leg.executionId = flags.follow;
      current = leg;
      report.legs.push(leg);
      if (interrupted) {
        leg.outcome = 'interrupted';
        leg.failure = 'interrupted (Ctrl-C) before it started';
        break;
      }
      await runLeg(leg, planArn, flags, deps, { progress, say, interrupted: () => interrupted, wake });
      if (leg.outcome !== 'succeeded') break;
    }
  } finally {
    unregister();
  }

  report.exitCode = exitCodeOf(report);
  io.out(flags.json ? JSON.stringify(report, null, 2) : formatSwitch(report));
  return report.exitCode;
}

function newLeg(label: string, activate: string, mode: string, plan: PlanInfo, deactivate: string): LegResult {
  // Active/active plans switch by deactivating the Region left, called from the healthy one
  // (https://docs.aws.amazon.com/r53recovery/latest/dg/plan-execution-rs.html).
  const activeActive = plan.recoveryApproach === 'activeActive';
  return {
    label,
    region: activate,
    action: activeActive ? 'deactivate' : 'activate',
    targetRegion: activeActive ? deactivate : activate,
    mode,
    steps: [],
    approved: [],
  };
}

interface LegContext {
  readonly progress: (text: string) => void;
  readonly say: (text: string) => void;
  readonly interrupted: () => boolean;
  readonly wake: Promise<void>;
}

async function runLeg(leg: LegResult, planArn: string, flags: SwitchFlags, deps: SwitchDeps, ctx: LegContext): Promise<void> {
  const arc = deps.arc;
  if (!leg.executionId) {
    let started: { executionId?: string };
    try {
      started = await arc.call('StartPlanExecution', {
        planArn, targetRegion: leg.targetRegion, action: leg.action, mode: leg.mode, comment: `cdk-dr switch: ${leg.label}`,
      }, leg.region);
    } catch (error) {
      throw asUsageError(error, `arc-region-switch:StartPlanExecution in ${leg.region}`) ?? error;
    }
    if (!started.executionId) throw new CliError(`StartPlanExecution in ${leg.region} returned no executionId`, EXIT_TARGET_MISSED);
    leg.executionId = started.executionId;
    // Always said, on stderr: whoever started a switch must know its id.
    ctx.say(`started execution ${leg.executionId} (${leg.action} ${leg.targetRegion}, ${leg.mode}) in ${leg.region}`);
    if (ctx.interrupted()) {
      ctx.say(`interrupted; execution ${leg.executionId} goes on in ${leg.region}. To go on:\n${resumeCommands(planArn, leg.region, leg.executionId).map((l) => `  ${l}`).join('\n')}`);
    }
  }
  try {
    await follow(leg, planArn, flags, deps, ctx);
  } catch (error) {
    const usage = asUsageError(error, `arc-region-switch execution ${leg.executionId} in ${leg.region}`);
    leg.outcome = 'failed';
    leg.failure = `${usage?.message ?? describeError(error)}; the execution may still be running:\n${resumeCommands(planArn, leg.region, leg.executionId!).map((l) => `    ${l}`).join('\n')}`;
    leg.usageError = usage !== undefined;
  }
}

async function follow(leg: LegResult, planArn: string, flags: SwitchFlags, deps: SwitchDeps, ctx: LegContext): Promise<void> {
  const arc = deps.arc;
  const id = leg.executionId!;
  const pollMs = deps.pollMs ?? 5_000;
  const maxPollMs = deps.maxPollMs ?? 30_000;
  const seenEvents = new Set<string>();
  const announced = new Set<string>();
  let delay = pollMs;
  let lastState: string | undefined;
  for (;;) {
    if (ctx.interrupted()) {
      leg.outcome = 'interrupted';
      leg.failure = `interrupted (Ctrl-C); execution ${id} goes on in ${leg.region}:\n${resumeCommands(planArn, leg.region, id).map((l) => `    ${l}`).join('\n')}`;
      return;
    }
    const execution = await getExecution(arc, planArn, id, leg.region);
    const fresh = await newEvents(arc, planArn, id, leg.region, seenEvents);
    for (const e of fresh) {
      if (e.error) leg.lastError = e.error;
      const at = typeof e.timestamp === 'number' ? new Date(e.timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : '?';
      ctx.progress(`${at} ${e.type ?? 'event'}${e.stepName ? ` ${e.stepName}` : ''}${e.error ? `: ${e.error}` : e.description ? `: ${e.description}` : ''}`);
    }
    const now = deps.clock.now();
    const state = execution.executionState;
    leg.state = state;
    if (execution.executionAction) leg.action = execution.executionAction;
    if (execution.mode) leg.mode = execution.mode;
    leg.steps = stepTimings(execution.stepStates, now);
    const start = typeof execution.startTime === 'number' ? execution.startTime * 1000 : undefined;
    const end = typeof execution.endTime === 'number' ? execution.endTime * 1000 : undefined;
    leg.startTime = start !== undefined ? new Date(start).toISOString() : undefined;
    leg.endTime = end !== undefined ? new Date(end).toISOString() : undefined;
    leg.totalSeconds = start !== undefined ? Math.max(0, Math.round(((end ?? now) - start) / 1000)) : undefined;
    leg.actualRecoveryTime = execution.actualRecoveryTime;
    leg.actualRecoverySeconds = isoDurationSeconds(execution.actualRecoveryTime);
    if (state !== lastState) {
      ctx.progress(`execution ${id}: ${state}`);
      if (!isKnownState(state) && !announced.has(`state:${state}`)) {
        announced.add(`state:${state}`);
        ctx.say(`execution state ${JSON.stringify(state)} is not one this version of cdk-dr knows; following it as running`);
      }
      if (state === 'pausedByOperator') {
        ctx.say(`execution ${id} is paused by an operator; following it until it is resumed or cancelled (Ctrl-C to stop following)`);
      }
    }
    const outcome = outcomeOf(state);
    if (outcome === 'succeeded') {
      leg.outcome = 'succeeded';
      if (state === 'completedWithExceptions') {
        const odd = leg.steps.filter((s) => s.status !== 'completed').map((s) => `${s.name} (${s.status})`);
        ctx.say(`execution ${id} completed with exceptions${odd.length ? `: ${odd.join(', ')}` : ''}`);
      }
      return;
    }
    if (outcome === 'failed') {
      leg.outcome = 'failed';
      const failedSteps = leg.steps.filter((s) => s.status === 'failed' || s.status === 'canceled').map((s) => `${s.name} (${s.status})`);
      leg.failure = `execution ${state}${failedSteps.length ? `; steps: ${failedSteps.join(', ')}` : ''}${leg.lastError ? `; last error: ${leg.lastError}` : ''}`;
      return;
    }
    if (outcome === 'paused') {
      leg.outcome = 'paused';
      const failedSteps = leg.steps.filter((s) => s.status === 'failed').map((s) => s.name);
      leg.failure = `a step failed${failedSteps.length ? ` (${failedSteps.join(', ')})` : ''}${leg.lastError ? `: ${leg.lastError}` : ''} and ARC waits for an operator to retry, skip or cancel it `
        + `(console, or aws arc-region-switch update-plan-execution-step / update-plan-execution). Execution ${id} is left paused:\n`
        + resumeCommands(planArn, leg.region, id).map((l) => `    ${l}`).join('\n');
      return;
    }
    if (outcome === 'approval') {
      const waiting = leg.steps.filter((s) => s.status === 'pendingApproval').map((s) => s.name);
      for (const step of waiting) {
        if (announced.has(`approval:${step}`)) continue;
        announced.add(`approval:${step}`);
        if (flags.approve) {
          // https://docs.aws.amazon.com/arc-region-switch/latest/api/API_ApprovePlanExecutionStep.html
          await arc.call('ApprovePlanExecutionStep', {
            planArn, executionId: id, stepName: step, approval: 'approve', comment: 'approved with cdk-dr switch --approve',
          }, leg.region);
          leg.approved.push(step);
          ctx.say(`approved step ${step} of execution ${id}`);
        } else {
          ctx.say(`execution ${id} waits for approval of step ${step}. Approve it with:\n`
            + `  cdk-dr switch --plan ${planArn} --to ${leg.region} --follow ${id} --approve\n`
            + `  or: aws arc-region-switch approve-plan-execution-step --plan-arn ${planArn} --execution-id ${id} --step-name ${step} --approval approve --region ${leg.region}\n`
            + '  (or in the ARC console); following it meanwhile');
        }
      }
    }
    const changed = fresh.length > 0 || state !== lastState;
    lastState = state;
    delay = changed ? pollMs : Math.min(maxPollMs, delay * 2);
    await Promise.race([deps.clock.sleep(delay), ctx.wake]);
  }
}

function exitCodeOf(report: SwitchReport): number {
  const legs = report.legs;
  if (legs.some((l) => l.outcome === 'interrupted')) return EXIT_INTERRUPTED;
  if (legs.some((l) => l.usageError)) return EXIT_USAGE;
  if (legs.some((l) => l.outcome !== 'succeeded')) return EXIT_TARGET_MISSED;
  if (legs.some((l) => rtoMet(l, report.rtoTargetMinutes) === false)) return EXIT_TARGET_MISSED;
  return EXIT_OK;
}
