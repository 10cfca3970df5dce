import { StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { Command, Option } from 'commander';
import { asUsageError, backoffCall, chooseRecoveryPoint, createDrillClients, DrillClients, restoreMetadataOf } from './drill-aws';
import { cleanUp } from './drill-cleanup';
import { formatPlan, formatResult, Outcome, Plan, planJson, resultJson } from './drill-format';
import { DrillKind, parsePointInTime, parseResourceArn, restoreMetadataFor, scratchName, scratchResources } from './drill-model';
import { addInstance, checkBucket, checkTable, DrillStopped, Session, smokeQuery, waitForRestoreJob } from './drill-restore';
import { parseDurationOption } from './durations';
import { CliError, EXIT_OK, EXIT_TARGET_MISSED, EXIT_USAGE } from './errors';
import { restoreDrillNames } from '../names/drills';
import { Clock, describeError, systemClock } from '../private/aws-calls';

/**
 * `cdk-dr drill`: an on-demand restore drill of one resource (docs/cli.md).
 * Dry run by default; with --yes it restores the newest usable recovery
 * point into a scratch copy, makes it usable, measures the RTO and deletes
 * everything it created, also on failure, timeout and Ctrl-C.
 */

/** The exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;
/** RestoreDrill's default drill instance (RestoreDrillProps.drillInstanceType). */
export const DEFAULT_INSTANCE_CLASS = 'db.t4g.medium';
/** How long cleanup may wait (an instance's deletion), whatever --timeout. */
export const CLEANUP_WAIT_MS = 30 * 60_000;

export interface DrillIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Everything the drill takes from the world; the tests pass their own. */
export interface DrillDeps {
  readonly clients: (region: string | undefined) => DrillClients;
  readonly clock: Clock;
  readonly random: () => number;
  /** Registers the Ctrl-C handler; returns its removal. */
  readonly onInterrupt: (handler: () => void) => () => void;
  /** Ends the process at once (the second Ctrl-C). */
  readonly exit: (code: number) => void;
  /** Whether stderr is a terminal: progress lines only then. */
  readonly isTty: boolean;
  readonly newPassword?: () => string;
  readonly pollMs?: number;
  readonly maxPollMs?: number;
}

/**
 * Pauses of the real clock that Ctrl-C ends early: a pending timer would
 * otherwise keep the process alive for up to a minute after the drill ended.
 */
const pauses = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
function interruptibleSleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const pause = { timer: setTimeout(() => { pauses.delete(pause); resolve(); }, ms), resolve };
    pauses.add(pause);
  });
}

export const processDrillDeps: DrillDeps = {
  clients: createDrillClients,
  clock: { now: systemClock.now, sleep: interruptibleSleep },
  random: Math.random,
  onInterrupt: (handler) => {
    const onSigint = () => {
      for (const pause of pauses) {
        clearTimeout(pause.timer);
        pause.resolve();
      }
      pauses.clear();
      handler();
    };
    process.on('SIGINT', onSigint);
    return () => { process.off('SIGINT', onSigint); };
  },
  exit: (code) => process.exit(code),
  isTty: Boolean(process.stderr.isTTY),
};

interface DrillFlags {
  readonly resource: string;
  readonly pointInTime?: string;
  readonly rto?: string;
  readonly timeout: string;
  readonly role?: string;
  readonly instanceClass?: string;
  readonly smokeFunction?: string;
  readonly environment?: string;
  readonly region?: string;
  readonly yes?: boolean;
  readonly json?: boolean;
}

/** The `drill` command, for cdk-dr.ts to register. */
export function drillCommand(io: DrillIo, setExit: (code: number) => void, deps: DrillDeps = processDrillDeps): Command {
  return new Command('drill')
    .description('Restore drill of one resource: restore its newest usable AWS Backup recovery point (or the continuous point at --point-in-time) into a scratch copy in its own network with its own key, make it usable, measure the RTO, delete the copy. A dry run unless --yes. Exit 0 ok, 1 restore failed or RTO missed, 2 usage or access error, 130 interrupted.')
    .requiredOption('--resource <arn>', 'the resource to drill: an Aurora cluster, DynamoDB table or S3 bucket ARN')
    .option('--point-in-time <iso8601>', 'restore the continuous recovery point to this time, e.g. 2026-01-31T14:05:00Z')
    .option('--rto <duration>', 'RTO target, e.g. 1h: exit 1 when the copy takes longer to become usable')
    .option('--timeout <duration>', 'give up (and clean up) after this long', '3h')
    .option('--role <arn>', 'the IAM role AWS Backup restores with (RestoreDrill\'s restoreRole); needed with --yes')
    .option('--instance-class <class>', `Aurora: the drill instance's class (default: the restore metadata's, db.serverless for Serverless v2, else ${DEFAULT_INSTANCE_CLASS})`)
    .option('--smoke-function <name>', 'Aurora: the smoke query function RestoreDrill deployed, to run against the copy')
    .option('--environment <suffix>', 'Aurora: the environment suffix, naming the smoke function dr-drill-smoke-<suffix>')
    .option('--region <region>', 'the region of an S3 bucket (other ARNs carry theirs)')
    .option('--yes', 'restore and delete for real; without it, print the plan only')
    .addOption(new Option('--json', 'print the plan or the result as JSON'))
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) })
    .exitOverride()
    .action(async (flags: DrillFlags) => { setExit(await executeDrill(flags, io, deps)); });
}


function checkFlags(flags: DrillFlags) {
  const resource = parseResourceArn(flags.resource);
  const pointInTime = flags.pointInTime !== undefined ? parsePointInTime(flags.pointInTime) : undefined;
  if (pointInTime && resource.kind === 'dynamodb') {
    throw new CliError('--point-in-time is not available for a DynamoDB table: its point-in-time recovery is the table\'s own, not an AWS Backup continuous recovery point; drill it without --point-in-time');
  }
  const rtoSeconds = flags.rto !== undefined ? parseDurationOption('--rto', flags.rto) : undefined;
  const timeoutSeconds = parseDurationOption('--timeout', flags.timeout);
  if (flags.role !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(flags.role)) {
    throw new CliError(`--role must be an IAM role ARN such as arn:aws:iam::123456789012:role/NAME, got: ${JSON.stringify(flags.role)}`);
  }
  if (flags.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(flags.region)) {
    throw new CliError(`--region must be an AWS region such as us-east-1, got: ${JSON.stringify(flags.region)}`);
  }
  if (flags.instanceClass !== undefined && !/^db\.[a-z0-9-]+(\.[a-z0-9]+)?$/.test(flags.instanceClass)) {
    throw new CliError(`--instance-class must be an RDS instance class such as db.r6g.large or db.serverless, got: ${JSON.stringify(flags.instanceClass)}`);
  }
  const aurora = resource.kind === 'aurora';
  for (const [flag, value] of [['--instance-class', flags.instanceClass], ['--smoke-function', flags.smokeFunction], ['--environment', flags.environment]] as const) {
    if (value !== undefined && !aurora) throw new CliError(`${flag} applies to an Aurora cluster only; --resource is a ${resource.kind} resource`);
  }
  if (flags.smokeFunction !== undefined && flags.environment !== undefined) {
    throw new CliError('give --smoke-function or --environment, not both');
  }
  if (flags.environment !== undefined && !/^[a-z][a-z0-9-]*$/.test(flags.environment)) {
    throw new CliError(`--environment must match /^[a-z][a-z0-9-]*$/, got: ${JSON.stringify(flags.environment)}`);
  }
  return { resource, pointInTime, rtoSeconds, timeoutSeconds };
}

/** Runs the drill; resolves to the exit code. Usage errors are thrown as CliError. */
export async function executeDrill(flags: DrillFlags, io: DrillIo, deps: DrillDeps): Promise<number> {
  const { resource, pointInTime, rtoSeconds, timeoutSeconds } = checkFlags(flags);
  const startedAt = deps.clock.now();
  const deadline = startedAt + timeoutSeconds * 1000;
  const clients = deps.clients(resource.region || flags.region);
  const call = backoffCall(deps.clock, () => deadline);
  let plan: Plan;
  try {
    const point = await chooseRecoveryPoint(clients.backup, resource, call, startedAt, pointInTime);
    const original = await restoreMetadataOf(clients.backup, point, call);
    const name = scratchName(resource.kind, startedAt, deps.random);
    const { metadata, overrides, removed } = restoreMetadataFor(resource.kind, original, name, pointInTime);
    const smokeFunction = flags.smokeFunction ?? (flags.environment ? restoreDrillNames(flags.environment).smoke.function : undefined);
    plan = {
      resource,
      point,
      pointInTime,
      scratchName: name,
      metadata,
      overrides,
      removedKeys: removed,
      creates: scratchResources(resource, name),
      instanceClass: resource.kind === 'aurora' ? flags.instanceClass ?? instanceClassFrom(original) : undefined,
      smokeFunction,
      smokeNotRun: smokeNotRunReason(resource.kind, smokeFunction),
      role: flags.role,
      rtoSeconds,
      timeoutSeconds,
    };
  } catch (error) {
    throw asUsageError(error, resource, true) ?? error;
  }
  if (!flags.yes) {
    io.out(flags.json ? JSON.stringify({ dryRun: true, ...planJson(plan), exitCode: EXIT_OK }, null, 2) : formatPlan(plan));
    return EXIT_OK;
  }
  if (!plan.role) {
    throw new CliError('--yes needs --role ARN: the IAM role AWS Backup restores with (RestoreDrill\'s restoreRole, or one with the AWS Backup restore managed policies); the caller needs iam:PassRole on it');
  }
  return act(plan, clients, io, deps, deadline, !flags.json && deps.isTty, Boolean(flags.json));
}

/**
 * The drill instance's class from the restore metadata: an instance class it
 * names, db.serverless for a Serverless v2 source (its scaling configuration),
 * else RestoreDrill's default.
 */
function instanceClassFrom(metadata: Record<string, string>): string {
  const named = Object.entries(metadata).find(([k, v]) => /^db(cluster)?instanceclass$/i.test(k) && /^db\.[a-z0-9.-]+$/.test(v));
  if (named) return named[1];
  const serverless = Object.keys(metadata).some((k) => /^serverlessv2scalingconfiguration$/i.test(k));
  return serverless ? 'db.serverless' : DEFAULT_INSTANCE_CLASS;
}

function smokeNotRunReason(kind: DrillKind, fn: string | undefined): string | undefined {
  if (kind !== 'aurora') return `a ${kind === 's3' ? 'bucket is checked by listing it' : 'table is checked by reading it'}; the smoke query is for Aurora`;
  return fn ? undefined : 'no --smoke-function or --environment given: the query must run inside the VPC, through the function RestoreDrill deploys';
}


async function act(
  plan: Plan, clients: DrillClients, io: DrillIo, deps: DrillDeps, deadline: number, showProgress: boolean, json: boolean,
): Promise<number> {
  const progress = (text: string) => { if (showProgress) io.err(`cdk-dr drill: ${text}`); };
  const outcome: Outcome = { jobFinished: false, exitOnFailure: EXIT_TARGET_MISSED };
  let interrupted = false;
  let wakeUp = () => undefined as void;
  const wake = new Promise<void>((resolve) => { wakeUp = resolve; });
  const unregister = deps.onInterrupt(() => {
    if (!interrupted) {
      interrupted = true;
      wakeUp();
      io.err('cdk-dr drill: interrupted; deleting what the drill created (Ctrl-C again to stop now and delete by hand)');
      return;
    }
    io.err(`cdk-dr drill: stopped; left to delete by hand:\n${leftovers(plan, outcome).map((l) => `  ${l}`).join('\n')}`);
    deps.exit(EXIT_INTERRUPTED);
  });
  const session: Session = {
    clients,
    clock: deps.clock,
    deadline,
    interrupted: () => interrupted,
    wake,
    progress,
    call: backoffCall(deps.clock, () => deadline),
    pollMs: deps.pollMs ?? 10_000,
    maxPollMs: deps.maxPollMs ?? 60_000,
  };
  try {
    await restoreAndCheck(plan, session, outcome, deps);
  } catch (error) {
    if (error instanceof DrillStopped) {
      outcome.stopped = error.why;
      outcome.failure = error.message;
    } else {
      const usage = asUsageError(error, plan.resource, false);
      if (usage) outcome.exitOnFailure = EXIT_USAGE;
      outcome.failure = usage?.message ?? describeError(error);
    }
  }
  if (outcome.restoreJobId) {
    const cleanupDeadline = deps.clock.now() + CLEANUP_WAIT_MS;
    outcome.cleanup = { deleted: [], left: [] };
    await cleanUp(plan.creates, {
      clients,
      clock: deps.clock,
      deadline: cleanupDeadline,
      pollMs: session.pollMs,
      progress,
      call: backoffCall(deps.clock, () => cleanupDeadline),
    }, outcome.cleanup);
    if (!outcome.jobFinished) {
      outcome.cleanup.left.push({
        arn: `restore job ${outcome.restoreJobId}`,
        reason: `still ${outcome.jobStatus ?? 'starting'}: AWS Backup cannot stop a restore job; when it ends, delete ${plan.creates.map((c) => c.arn).join(' and ')}`,
      });
    }
  }
  unregister();
  // A Ctrl-C during cleanup lets cleanup finish; it still ends the run as interrupted.
  if (interrupted && !outcome.stopped) {
    outcome.stopped = 'interrupted';
    outcome.failure = 'interrupted (Ctrl-C) during cleanup, which was let finish';
  }
  const code = exitCode(plan, outcome);
  const report = { dryRun: false, ...planJson(plan), ...resultJson(plan, outcome), exitCode: code };
  io.out(json ? JSON.stringify(report, null, 2) : formatResult(plan, outcome));
  return code;
}

async function restoreAndCheck(plan: Plan, s: Session, outcome: Outcome, deps: DrillDeps): Promise<void> {
  if (s.interrupted()) throw new DrillStopped('interrupted', 'interrupted before the restore job started');
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartRestoreJob.html
  const started = await s.call(() => s.clients.backup.send(new StartRestoreJobCommand({
    RecoveryPointArn: plan.point.recoveryPointArn,
    Metadata: plan.metadata,
    IamRoleArn: plan.role,
    // The scratch name is unique per run: a retried call starts no second job.
    IdempotencyToken: plan.scratchName,
  })));
  outcome.restoreJobId = started.RestoreJobId;
  s.progress(`restore job ${started.RestoreJobId} started: ${plan.point.recoveryPointArn} -> ${plan.scratchName}`);
  const job = await waitForRestoreJob(s, started.RestoreJobId!, (j) => {
    outcome.jobStatus = j.Status;
    outcome.jobFinished = ['COMPLETED', 'FAILED', 'ABORTED'].includes(j.Status ?? '');
  });
  outcome.createdResourceArn = job.CreatedResourceArn;
  const createdAt = job.CreationDate?.getTime() ?? s.clock.now();
  let usableAt: number;
  switch (plan.resource.kind) {
    case 'aurora': {
      const { cluster, instanceClass } = await addInstance(s, plan.scratchName, plan.scratchName, plan.instanceClass!,
        () => s.progress(`drill instance ${plan.scratchName} requested`));
      usableAt = s.clock.now();
      outcome.validation = `cluster ${plan.scratchName} has an available instance (${instanceClass})`;
      if (plan.smokeFunction) {
        outcome.smoke = await smokeQuery(s, cluster, plan.smokeFunction, deps.newPassword);
        if (outcome.smoke.status === 'failed') outcome.failure = `smoke query failed: ${outcome.smoke.detail}`;
      }
      break;
    }
    case 'dynamodb':
      outcome.validation = await checkTable(s, plan.scratchName);
      usableAt = s.clock.now();
      break;
    case 's3':
      outcome.validation = await checkBucket(s, plan.scratchName);
      usableAt = s.clock.now();
      break;
  }
  outcome.rtoSeconds = Math.max(0, Math.round((usableAt - createdAt) / 1000));
}

function exitCode(plan: Plan, o: Outcome): number {
  if (o.stopped === 'interrupted') return EXIT_INTERRUPTED;
  if (o.failure) return o.exitOnFailure;
  if (o.cleanup?.left.length) return EXIT_TARGET_MISSED;
  if (plan.rtoSeconds !== undefined && (o.rtoSeconds ?? Infinity) > plan.rtoSeconds) return EXIT_TARGET_MISSED;
  return EXIT_OK;
}

/** What may still exist: every scratch resource not yet deleted, and a running job. */
function leftovers(plan: Plan, o: Outcome): string[] {
  if (!o.restoreJobId) return ['nothing: no restore job was started'];
  const deleted = new Set(o.cleanup?.deleted ?? []);
  const left = plan.creates.filter((c) => !deleted.has(c.arn)).map((c) => `${c.arn} (if it exists)`);
  return o.jobFinished ? left : [...left, `restore job ${o.restoreJobId} may still create ${plan.scratchName}`];
}
