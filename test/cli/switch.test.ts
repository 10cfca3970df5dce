import {
  at, errorResponse, harness, newWorld, PLAN, PRIMARY, SECONDARY, Snapshot, successScript, text,
} from './switch-world';
import { EXECUTION_STATES, isoDurationSeconds, outcomeOf } from '../../src/cli/switch-model';

/** `cdk-dr switch` against a fake ARC Region switch (the real client over a fake transport). */

const TO = ['--plan', PLAN, '--to', SECONDARY];

describe('cdk-dr switch: a graceful switch', () => {
  test('starts on the activating Region\'s data plane, follows each step with its time, meets the RTO: exit 0', async () => {
    const h = harness();
    h.world.scripts.push(successScript());
    const code = await h.run(...TO);
    expect(code).toBe(0);
    // Plan and evaluation read first, from the Region switched to; then the start; then polling.
    expect(h.ops().slice(0, 3)).toEqual(['GetPlanInRegion', 'GetPlanEvaluationStatus', 'StartPlanExecution']);
    expect(new Set(h.world.sent.map((s) => s.region))).toEqual(new Set([SECONDARY]));
    const start = h.world.sent.find((s) => s.operation === 'StartPlanExecution')!;
    expect(start.input).toMatchObject({ planArn: PLAN, targetRegion: SECONDARY, action: 'activate', mode: 'graceful' });
    const out = text(h.out);
    expect(out).toMatch(/scale-up\s+completed\s+2026-11-30T12:00:10Z\s+2m/);
    expect(out).toMatch(/aurora\s+completed\s+2026-11-30T12:02:11Z\s+10m/);
    expect(out).toContain('Total: 12m 11s (ARC actual recovery time PT12M30S); RTO target 30m: met (12m 30s, ARC actual recovery time)');
    // Progress on the terminal: events with their times.
    expect(text(h.err)).toContain('2026-11-30T12:02:10Z stepSucceeded scale-up');
    expect(text(h.err)).toContain(`started execution ${SECONDARY}/0000000000000001`);
  });

  test('--json: the report as JSON, no progress lines', async () => {
    const h = harness();
    h.world.scripts.push(successScript());
    expect(await h.run(...TO, '--json')).toBe(0);
    const report = JSON.parse(text(h.out));
    expect(report).toMatchObject({ planArn: PLAN, rtoTargetMinutes: 30, exitCode: 0, legs: [{ state: 'completed', outcome: 'succeeded', totalSeconds: 731, actualRecoverySeconds: 750 }] });
    expect(report.legs[0].steps.map((s: any) => [s.name, s.seconds])).toEqual([['scale-up', 120], ['aurora', 600]]);
    expect(text(h.err)).not.toMatch(/stepSucceeded/);
  });

  test('no progress when stderr is not a terminal, but the execution id is always said', async () => {
    const h = harness(newWorld(), false);
    h.world.scripts.push(successScript());
    expect(await h.run(...TO)).toBe(0);
    expect(text(h.err)).not.toMatch(/stepStarted/);
    expect(text(h.err)).toContain('started execution');
  });

  test('the RTO missed: exit 1', async () => {
    const h = harness();
    h.world.plan.recoveryTimeObjectiveMinutes = 10;
    h.world.scripts.push(successScript());
    expect(await h.run(...TO)).toBe(1);
    expect(text(h.out)).toContain('RTO target 10m: MISSED (12m 30s, ARC actual recovery time)');
  });

  test('no RTO in the plan: said, not judged', async () => {
    const h = harness();
    delete h.world.plan.recoveryTimeObjectiveMinutes;
    h.world.scripts.push(successScript());
    expect(await h.run(...TO)).toBe(0);
    expect(text(h.out)).toContain('RTO target none');
  });

  test('polling backs off while nothing changes and speeds up again on a change', async () => {
    const h = harness();
    const sleeps: number[] = [];
    const sleep = h.deps.clock.sleep;
    (h.deps.clock as any).sleep = async (ms: number) => { sleeps.push(ms); await sleep(ms); };
    const quiet: Snapshot = { state: 'inProgress', steps: [{ name: 'aurora', status: 'running', start: 1 }] };
    h.world.scripts.push([quiet, quiet, quiet, quiet, quiet, { ...quiet, state: 'completed', end: 100 }]);
    expect(await h.run(...TO)).toBe(0);
    expect(sleeps).toEqual([5_000, 10_000, 20_000, 30_000, 30_000]);
  });
});

describe('cdk-dr switch: evaluation warnings', () => {
  test('printed before the switch starts', async () => {
    const h = harness();
    h.world.evaluation = {
      planArn: PLAN,
      evaluationState: 'actionRequired',
      lastEvaluationTime: at(-60),
      lastEvaluatedVersion: '4',
      warnings: [
        { workflow: { action: 'activate', name: 'to-eu-central-1' }, stepName: 'aurora', resourceArn: 'arn:aws:rds:eu-central-1:123456789012:cluster:db', warningStatus: 'active', warningMessage: 'role cannot call rds:SwitchoverGlobalCluster', version: '4', warningUpdatedTime: at(-60) },
        { stepName: 'old', warningStatus: 'resolved', warningMessage: 'fixed', version: '3', warningUpdatedTime: at(-600) },
      ],
    };
    h.world.scripts.push(successScript());
    await h.run(...TO);
    const err = text(h.err);
    expect(err).toContain('plan evaluation: actionRequired (last evaluated 2026-11-30T11:59:00.000Z, plan version 4); 1 active warning:');
    expect(err).toContain('workflow to-eu-central-1, step aurora, arn:aws:rds:eu-central-1:123456789012:cluster:db: role cannot call rds:SwitchoverGlobalCluster');
    expect(err).not.toContain('fixed');
    expect(err.indexOf('actionRequired')).toBeLessThan(err.indexOf('started execution'));
  });

  test('an unreadable evaluation status is said to be unknown; the switch goes on', async () => {
    const h = harness();
    h.world.failures.GetPlanEvaluationStatus = [errorResponse(500, 'InternalServerException', 'boom')];
    h.world.scripts.push(successScript());
    expect(await h.run(...TO)).toBe(0);
    expect(text(h.err)).toContain('plan evaluation: unknown (arc-region-switch:GetPlanEvaluationStatus: InternalServerException: boom)');
  });
});

describe('cdk-dr switch: failures', () => {
  test('a failed step: exit 1, the step and its error reported', async () => {
    const h = harness();
    h.world.scripts.push([
      { state: 'inProgress', steps: [{ name: 'aurora', status: 'running', start: 5 }] },
      { state: 'failed', end: 300, steps: [{ name: 'aurora', status: 'failed', start: 5, end: 300 }], events: [{ type: 'stepFailed', step: 'aurora', at: 300, error: 'SwitchoverGlobalCluster: InvalidDBClusterStateFault' }] },
    ]);
    expect(await h.run(...TO)).toBe(1);
    expect(text(h.out)).toContain('FAILED: execution failed; steps: aurora (failed); last error: SwitchoverGlobalCluster: InvalidDBClusterStateFault');
    expect(text(h.out)).toMatch(/aurora\s+failed\s+2026-11-30T12:00:05Z\s+4m 55s/);
  });

  test.each(['canceled', 'planExecutionTimedOut'])('%s: exit 1', async (state) => {
    const h = harness();
    h.world.scripts.push([{ state: 'inProgress' }, { state, end: 60, steps: [{ name: 'lambda', status: 'canceled', start: 1, end: 60 }] }]);
    expect(await h.run(...TO)).toBe(1);
    expect(text(h.out)).toContain(`FAILED: execution ${state}; steps: lambda (canceled)`);
  });

  test('a step failed and ARC waits for an operator (pausedByFailedStep): exit 1, left paused, how to go on printed, nothing cancelled', async () => {
    const h = harness();
    h.world.scripts.push([{ state: 'pausedByFailedStep', steps: [{ name: 'lambda', status: 'failed', start: 1, end: 50 }] }]);
    expect(await h.run(...TO)).toBe(1);
    const out = text(h.out);
    expect(out).toContain('PAUSED: a step failed (lambda)');
    expect(out).toContain(`cdk-dr switch --plan ${PLAN} --to ${SECONDARY} --follow ${SECONDARY}/0000000000000001`);
    expect(out).toContain(`aws arc-region-switch cancel-plan-execution --plan-arn ${PLAN} --execution-id ${SECONDARY}/0000000000000001 --region ${SECONDARY}`);
    expect(h.ops()).not.toContain('CancelPlanExecution');
  });

  test('access denied on the plan: one line, exit 2, nothing started', async () => {
    const h = harness();
    h.world.failures.GetPlanInRegion = [errorResponse(403, 'AccessDeniedException', 'User is not authorized to perform arc-region-switch:GetPlanInRegion')];
    expect(await h.run(...TO)).toBe(2);
    expect(h.err.at(-1)).toMatch(/^cdk-dr: access denied \(arc-region-switch:GetPlanInRegion .* in eu-central-1\): AccessDeniedException: User is not authorized.*docs\/cli.md/);
    expect(h.ops()).not.toContain('StartPlanExecution');
  });

  test('an unknown plan: exit 2', async () => {
    const h = harness();
    h.world.failures.GetPlanInRegion = [errorResponse(404, 'ResourceNotFoundException', 'plan not found')];
    expect(await h.run(...TO)).toBe(2);
    expect(h.err.at(-1)).toMatch(/^cdk-dr: not found \(arc-region-switch:GetPlanInRegion/);
  });

  test('missing credentials: exit 2 with what to do', async () => {
    const h = harness();
    (h.deps as any).arc = { call: async () => { throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }); } };
    expect(await h.run(...TO)).toBe(2);
    expect(h.err.at(-1)).toMatch(/^cdk-dr: no AWS credentials: set AWS_PROFILE/);
  });

  test('access lost while following: exit 2, and the execution id with the resume and cancel commands', async () => {
    const h = harness();
    h.world.scripts.push(successScript());
    h.world.failures.GetPlanExecution = [errorResponse(403, 'AccessDeniedException', 'denied')];
    expect(await h.run(...TO)).toBe(2);
    expect(text(h.out)).toContain('the execution may still be running');
    expect(text(h.out)).toContain(`--follow ${SECONDARY}/0000000000000001`);
  });

  test('throttling while following is retried', async () => {
    const h = harness();
    h.world.scripts.push(successScript());
    h.world.failures.GetPlanExecution = [errorResponse(400, 'ThrottlingException', 'Rate exceeded'), errorResponse(429, 'ThrottlingException', 'Rate exceeded')];
    expect(await h.run(...TO)).toBe(0);
  });
});

describe('cdk-dr switch: manual approval', () => {
  const approvalScript = (): Snapshot[] => [
    { state: 'inProgress', steps: [{ name: 'approve-switch', status: 'running', start: 1 }] },
    { state: 'pendingManualApproval', waitForApproval: 'approve-switch', steps: [{ name: 'approve-switch', status: 'pendingApproval', start: 1 }], events: [{ type: 'stepPendingApproval', step: 'approve-switch', at: 2 }] },
    { state: 'completed', end: 400, steps: [{ name: 'approve-switch', status: 'completed', start: 1, end: 390 }] },
  ];

  test('--approve approves the waiting step (ApprovePlanExecutionStep on the data plane) and goes on', async () => {
    const h = harness();
    h.world.scripts.push(approvalScript());
    expect(await h.run(...TO, '--approve')).toBe(0);
    const approve = h.world.sent.filter((s) => s.operation === 'ApprovePlanExecutionStep');
    expect(approve).toHaveLength(1);
    expect(approve[0].region).toBe(SECONDARY);
    expect(approve[0].input).toMatchObject({ planArn: PLAN, executionId: `${SECONDARY}/0000000000000001`, stepName: 'approve-switch', approval: 'approve' });
    expect(text(h.out)).toContain('Approved by this run: approve-switch');
  });

  test('without --approve: says it waits and how to approve, approves nothing, follows until someone approves', async () => {
    const h = harness();
    h.world.scripts.push(approvalScript());
    h.onSleep = (n) => { if (n === 4) h.world.approved.add('approve-switch'); };
    expect(await h.run(...TO)).toBe(0);
    expect(h.ops()).not.toContain('ApprovePlanExecutionStep');
    const err = text(h.err);
    expect(err).toContain('waits for approval of step approve-switch');
    expect(err).toContain(`cdk-dr switch --plan ${PLAN} --to ${SECONDARY} --follow ${SECONDARY}/0000000000000001 --approve`);
    expect(err).toContain('aws arc-region-switch approve-plan-execution-step');
    // Announced once, not on every poll.
    expect(err.split('waits for approval').length).toBe(2);
  });
});

describe('cdk-dr switch: Ctrl-C', () => {
  test('while following: prints the execution id and the resume and cancel commands, cancels nothing, exit 130', async () => {
    const h = harness();
    const quiet: Snapshot = { state: 'inProgress', steps: [{ name: 'aurora', status: 'running', start: 1 }] };
    h.world.scripts.push([quiet, quiet, quiet, quiet, quiet, quiet]);
    h.onSleep = (n) => { if (n === 2) h.interrupt(); };
    expect(await h.run(...TO)).toBe(130);
    const err = text(h.err);
    const id = `${SECONDARY}/0000000000000001`;
    expect(err).toContain(`interrupted; execution ${id} goes on in ${SECONDARY}`);
    expect(err).toContain(`cdk-dr switch --plan ${PLAN} --to ${SECONDARY} --follow ${id}`);
    expect(err).toContain(`aws arc-region-switch cancel-plan-execution --plan-arn ${PLAN} --execution-id ${id} --region ${SECONDARY}`);
    expect(text(h.out)).toContain('INTERRUPTED');
    expect(h.ops()).not.toContain('CancelPlanExecution');
    expect(h.exit).not.toHaveBeenCalled();
  });

  test('a second Ctrl-C ends the process at once with 130, after printing the commands again', async () => {
    const h = harness();
    const quiet: Snapshot = { state: 'inProgress' };
    h.world.scripts.push([quiet, quiet, quiet]);
    h.onSleep = (n) => { if (n === 1) { h.interrupt(); h.interrupt(); } };
    await h.run(...TO);
    expect(h.exit).toHaveBeenCalledWith(130);
    expect(text(h.err)).toMatch(/stopped; execution .* goes on[\s\S]*--follow/);
  });

  test('during the start call: the id is printed when the call returns, with the commands; exit 130', async () => {
    const h = harness();
    h.world.scripts.push(successScript());
    const call = h.deps.arc.call.bind(h.deps.arc);
    (h.deps as any).arc = { call: async (op: any, input: any, region: string) => { if (op === 'StartPlanExecution') h.interrupt(); return call(op, input, region); } };
    expect(await h.run(...TO)).toBe(130);
    expect(text(h.err)).toContain('an execution being started is reported when the start call returns');
    expect(text(h.err)).toMatch(/started execution eu-central-1\/0000000000000001[\s\S]*--follow eu-central-1\/0000000000000001/);
  });
});

describe('cdk-dr switch: --rehearse', () => {
  test('a graceful switch to --to and back, each from its activating Region, with per-step and total times against the RTO', async () => {
    const h = harness();
    h.world.scripts.push(successScript(), [
      { state: 'inProgress', start: 0 },
      { state: 'completed', start: 0, end: 300, steps: [{ name: 'scale-up', status: 'completed', start: 0, end: 60 }, { name: 'aurora', status: 'completed', start: 61, end: 300 }] },
    ]);
    expect(await h.run(...TO, '--rehearse')).toBe(0);
    const starts = h.world.sent.filter((s) => s.operation === 'StartPlanExecution');
    expect(starts.map((s) => [s.region, s.input.targetRegion, s.input.action, s.input.mode])).toEqual([
      [SECONDARY, SECONDARY, 'activate', 'graceful'], [PRIMARY, PRIMARY, 'activate', 'graceful'],
    ]);
    const out = text(h.out);
    expect(out).toContain(`Rehearsal 1/2: switch to ${SECONDARY}`);
    expect(out).toContain(`Rehearsal 2/2: switch back to ${PRIMARY}`);
    expect(out).toMatch(/aurora\s+completed\s+2026-11-30T12:01:01Z\s+3m 59s/);
    expect(out).toContain('Total: 5m; RTO target 30m: met (5m, execution start to end)');
    expect(out).toContain('Rehearsal total: 17m 11s for both switches');
  });

  test('the way there fails: no switch back, exit 1', async () => {
    const h = harness();
    h.world.scripts.push([{ state: 'failed', end: 10 }], successScript());
    expect(await h.run(...TO, '--rehearse')).toBe(1);
    expect(h.world.sent.filter((s) => s.operation === 'StartPlanExecution')).toHaveLength(1);
  });

  test('the way back misses the RTO: exit 1', async () => {
    const h = harness();
    h.world.plan.recoveryTimeObjectiveMinutes = 5;
    h.world.scripts.push([{ state: 'completed', end: 200 }], [{ state: 'completed', end: 400 }]);
    expect(await h.run(...TO, '--rehearse')).toBe(1);
    expect(text(h.out)).toContain('RTO target 5m: MISSED (6m 40s, execution start to end)');
  });
});

describe('cdk-dr switch: ungraceful, active/active, --follow, --stack', () => {
  test('ungraceful without --yes is refused before any call', async () => {
    const h = harness();
    expect(await h.run(...TO, '--ungraceful')).toBe(2);
    expect(h.err.at(-1)).toMatch(/^cdk-dr: an ungraceful switch .* add --yes to confirm$/);
    expect(h.world.sent).toHaveLength(0);
  });

  test('ungraceful with --yes starts in ungraceful mode', async () => {
    const h = harness();
    h.world.scripts.push(successScript());
    expect(await h.run(...TO, '--ungraceful', '--yes')).toBe(0);
    expect(h.world.sent.find((s) => s.operation === 'StartPlanExecution')!.input.mode).toBe('ungraceful');
  });

  test('an active/active plan switches by deactivating the other Region, called from --to', async () => {
    const h = harness();
    h.world.plan.recoveryApproach = 'activeActive';
    h.world.scripts.push(successScript());
    expect(await h.run(...TO)).toBe(0);
    const start = h.world.sent.find((s) => s.operation === 'StartPlanExecution')!;
    expect([start.region, start.input.action, start.input.targetRegion]).toEqual([SECONDARY, 'deactivate', PRIMARY]);
  });

  test('--follow attaches to a running execution: no start', async () => {
    const h = harness();
    h.world.running.set('eu-central-1/00000000000000ff', { script: successScript(), index: -1 });
    expect(await h.run(...TO, '--follow', 'eu-central-1/00000000000000ff')).toBe(0);
    expect(h.ops()).not.toContain('StartPlanExecution');
    expect(text(h.out)).toContain('Execution: eu-central-1/00000000000000ff (completed)');
  });

  test('--stack finds the plan ARN among the stack\'s resources', async () => {
    const h = harness();
    h.world.stackResources = [
      { logicalId: 'Role', type: 'AWS::IAM::Role', physicalId: 'r' },
      { logicalId: 'Plan', type: 'AWS::ARCRegionSwitch::Plan', physicalId: PLAN },
    ];
    h.world.scripts.push(successScript());
    expect(await h.run('--stack', 'shop-dr', '--to', SECONDARY)).toBe(0);
    expect(h.world.sent[0].input).toEqual({ arn: PLAN });
  });

  test.each([
    [[], 'has no AWS::ARCRegionSwitch::Plan resource'],
    [[{ logicalId: 'A', type: 'AWS::ARCRegionSwitch::Plan', physicalId: PLAN }, { logicalId: 'B', type: 'AWS::ARCRegionSwitch::Plan', physicalId: PLAN }], 'has 2 Region switch plans'],
    [[{ logicalId: 'A', type: 'AWS::ARCRegionSwitch::Plan', physicalId: 'pending' }], 'not a plan ARN'],
  ])('--stack with a stack that does not name one plan: exit 2', async (resources, message) => {
    const h = harness();
    h.world.stackResources = resources;
    expect(await h.run('--stack', 'shop-dr', '--to', SECONDARY)).toBe(2);
    expect(h.err.at(-1)).toContain(message);
  });

  test('--stack of a stack that does not exist: exit 2', async () => {
    const h = harness();
    h.world.stackError = Object.assign(new Error('Stack with id nope does not exist'), { name: 'ValidationError' });
    expect(await h.run('--stack', 'nope', '--to', SECONDARY)).toBe(2);
    expect(h.err.at(-1)).toContain('does not exist');
  });
});

describe('cdk-dr switch: usage errors (exit 2, nothing called)', () => {
  test.each([
    [['--to', SECONDARY], '--plan ARN or --stack NAME'],
    [['--plan', PLAN, '--stack', 's', '--to', SECONDARY], '--plan ARN or --stack NAME'],
    [['--plan', 'arn:aws:arc-region-switch::123:plan/x', '--to', SECONDARY], '--plan must be a Region switch plan ARN'],
    [['--plan', PLAN], '--to REGION is required'],
    [['--plan', PLAN, '--to', 'Frankfurt'], '--to must be an AWS region'],
    [['--plan', PLAN, '--to', SECONDARY, '--region', PRIMARY], '--region is the region of --stack'],
    [['--plan', PLAN, '--to', SECONDARY, '--graceful', '--ungraceful', '--yes'], 'not both'],
    [['--plan', PLAN, '--to', SECONDARY, '--follow', 'x', '--rehearse'], '--follow attaches to a running execution'],
    [['--plan', PLAN, '--to', SECONDARY, '--rehearse', '--ungraceful', '--yes'], '--rehearse runs graceful switches only'],
  ])('%j', async (args, message) => {
    const h = harness();
    expect(await h.run(...args)).toBe(2);
    expect(h.err.at(-1)).toContain(message);
    expect(h.world.sent).toHaveLength(0);
  });

  test('--to a Region the plan does not have: exit 2 before starting', async () => {
    const h = harness();
    expect(await h.run('--plan', PLAN, '--to', 'us-east-2')).toBe(2);
    expect(h.err.at(-1)).toContain(`its Regions are ${PRIMARY} and ${SECONDARY}`);
    expect(h.ops()).toEqual(['GetPlanInRegion']);
  });
});

describe('cdk-dr switch: every execution state of the model has a defined outcome', () => {
  const expected: Record<string, [ReturnType<typeof outcomeOf>, number]> = {
    pending: ['running', 0],
    inProgress: ['running', 0],
    completedMonitoringApplicationHealth: ['running', 0],
    pausedByOperator: ['running', 0],
    pendingManualApproval: ['approval', 0],
    completed: ['succeeded', 0],
    completedWithExceptions: ['succeeded', 0],
    failed: ['failed', 1],
    canceled: ['failed', 1],
    planExecutionTimedOut: ['failed', 1],
    pausedByFailedStep: ['paused', 1],
  };

  test('the sweep covers the model\'s list exactly', () => {
    expect(Object.keys(expected).sort()).toEqual([...EXECUTION_STATES].sort());
  });

  test.each([...EXECUTION_STATES])('%s', async (state) => {
    const [outcome, code] = expected[state];
    expect(outcomeOf(state)).toBe(outcome);
    const h = harness();
    // Non-terminal states are followed (approval with --approve) until the execution completes.
    const steps = state === 'pendingManualApproval' ? [{ name: 'ok', status: 'pendingApproval', start: 1 }] : [];
    h.world.scripts.push([{ state, steps, end: outcome === 'running' || outcome === 'approval' ? undefined : 60 }, { state: 'completed', end: 120 }]);
    expect(await h.run(...TO, '--approve')).toBe(code);
    const polls = h.ops().filter((o) => o === 'GetPlanExecution').length;
    expect(polls).toBe(outcome === 'running' || outcome === 'approval' ? 2 : 1);
  });

  test('a state the model does not name is followed as running, with a warning', async () => {
    const h = harness();
    h.world.scripts.push([{ state: 'somethingNew' }, { state: 'completed', end: 10 }]);
    expect(await h.run(...TO)).toBe(0);
    expect(text(h.err)).toContain('execution state "somethingNew" is not one this version of cdk-dr knows');
  });
});

test('ISO 8601 durations of actualRecoveryTime', () => {
  expect(isoDurationSeconds('PT12M30S')).toBe(750);
  expect(isoDurationSeconds('PT1H')).toBe(3600);
  expect(isoDurationSeconds('P1DT2S')).toBe(86402);
  expect(isoDurationSeconds('12 minutes')).toBeUndefined();
  expect(isoDurationSeconds(undefined)).toBeUndefined();
});
