import { ChosenPoint } from './drill-aws';
import { CleanupResult } from './drill-cleanup';
import { DrillResource, ScratchResource } from './drill-model';
import { SmokeOutcome } from './drill-restore';
import { short } from './format';

/** What `cdk-dr drill` plans and what came of it, as text and as JSON. */

/** What a drill will do: printed by the dry run, and the head of the result. */
export interface Plan {
  readonly resource: DrillResource;
  readonly point: ChosenPoint;
  readonly pointInTime?: Date;
  readonly scratchName: string;
  readonly metadata: Record<string, string>;
  readonly overrides: Record<string, string>;
  readonly removedKeys: string[];
  readonly creates: ScratchResource[];
  readonly instanceClass?: string;
  readonly smokeFunction?: string;
  readonly smokeNotRun?: string;
  readonly role?: string;
  readonly rtoSeconds?: number;
  readonly timeoutSeconds: number;
}

/** What came of a drill with --yes, filled in as it goes (a second Ctrl-C reads it). */
export interface Outcome {
  restoreJobId?: string;
  jobStatus?: string;
  jobFinished: boolean;
  createdResourceArn?: string;
  rtoSeconds?: number;
  validation?: string;
  smoke?: SmokeOutcome;
  failure?: string;
  stopped?: 'interrupted' | 'timeout';
  exitOnFailure: number;
  cleanup?: CleanupResult;
}

export function planJson(plan: Plan) {
  return {
    resource: plan.resource.arn,
    resourceType: plan.resource.kind,
    recoveryPoint: {
      arn: plan.point.recoveryPointArn,
      vault: plan.point.vaultName,
      created: plan.point.creationDate.toISOString(),
      continuous: plan.point.continuous,
      window: plan.point.window,
    },
    pointInTime: plan.pointInTime?.toISOString(),
    scratchName: plan.scratchName,
    overrides: plan.overrides,
    removedMetadataKeys: plan.removedKeys,
    keptMetadata: Object.fromEntries(Object.entries(plan.metadata).filter(([k]) => !(k in plan.overrides))),
    creates: plan.creates.map((c) => c.arn),
    instanceClass: plan.instanceClass,
    smokeFunction: plan.smokeFunction,
    role: plan.role,
    rtoTargetSeconds: plan.rtoSeconds,
    timeoutSeconds: plan.timeoutSeconds,
  };
}

export function resultJson(plan: Plan, o: Outcome) {
  return {
    restoreJobId: o.restoreJobId,
    restoreJobStatus: o.jobStatus,
    createdResourceArn: o.createdResourceArn,
    rtoSeconds: o.rtoSeconds,
    rtoMet: plan.rtoSeconds === undefined || o.rtoSeconds === undefined ? undefined : o.rtoSeconds <= plan.rtoSeconds,
    validation: o.validation,
    smokeQuery: o.smoke ?? { status: 'not run', detail: plan.smokeNotRun ?? (o.failure ? 'the drill stopped before it' : '') },
    failure: o.failure,
    stopped: o.stopped,
    cleanup: o.cleanup ?? { deleted: [], left: [] },
  };
}

export function formatPlan(plan: Plan): string {
  const p = plan.point;
  const lines = [
    'DRY RUN: nothing is created or deleted. Add --yes to run the drill.',
    '',
    `Resource:        ${plan.resource.arn}`,
    `Recovery point:  ${p.recoveryPointArn}`,
    `                 vault ${p.vaultName}, created ${p.creationDate.toISOString()}${p.continuous ? ', continuous' : ''}`,
    ...(plan.pointInTime ? [`Restore to:      ${plan.pointInTime.toISOString()} (window ${p.window!.earliest.toISOString()} to ${p.window!.latest.toISOString()})`] : []),
    `Scratch copy:    ${plan.scratchName}`,
    `Overrides:       ${Object.entries(plan.overrides).map(([k, v]) => `${k}=${v}`).join(', ')}${plan.removedKeys.length ? `; removed ${plan.removedKeys.join(', ')}` : ''}`,
    'Kept from the restore metadata (network, key, settings of the source):',
    ...Object.entries(plan.metadata).filter(([k]) => !(k in plan.overrides)).map(([k, v]) => `  ${k}=${v}`),
    `Role:            ${plan.role ?? 'not given (--yes needs --role)'}`,
    `Will create:     ${plan.creates.map((c) => `${c.type} ${c.arn}`).join('\n                 ')}`,
    ...(plan.instanceClass ? [`Instance class:  ${plan.instanceClass}`] : []),
    `Smoke query:     ${plan.smokeFunction ? `through ${plan.smokeFunction} (the copy gets a throwaway master password first)` : `not run: ${plan.smokeNotRun}`}`,
    `Will delete:     all of the above, also on failure, timeout or Ctrl-C${plan.resource.kind === 's3' ? ' (every object version and delete marker first)' : ''}`,
    `RTO target:      ${plan.rtoSeconds !== undefined ? short(plan.rtoSeconds) : 'none (--rto)'}; timeout ${short(plan.timeoutSeconds)}`,
  ];
  return lines.join('\n');
}

export function formatResult(plan: Plan, o: Outcome): string {
  const rto = o.rtoSeconds === undefined ? 'not measured'
    : `${short(o.rtoSeconds) || '0s'} from restore job creation to a usable copy${plan.rtoSeconds === undefined ? '' : ` (target ${short(plan.rtoSeconds)}: ${o.rtoSeconds <= plan.rtoSeconds ? 'met' : 'MISSED'})`}`;
  const smoke = o.smoke ?? { status: 'not run', detail: plan.smokeNotRun ?? 'the drill stopped before it' };
  const lines = [
    `Drill of ${plan.resource.arn}`,
    `  Recovery point: ${plan.point.recoveryPointArn}${plan.pointInTime ? ` at ${plan.pointInTime.toISOString()}` : ''}`,
    `  Restore job:    ${o.restoreJobId ?? 'not started'}${o.jobStatus ? ` (${o.jobStatus})` : ''} -> ${plan.scratchName}`,
    `  RTO:            ${rto}`,
    ...(o.validation ? [`  Validation:     ${o.validation}`] : []),
    `  Smoke query:    ${smoke.status}: ${smoke.detail}`,
    ...(o.failure ? [`  ${`${o.stopped === 'interrupted' ? 'INTERRUPTED' : o.stopped === 'timeout' ? 'TIMED OUT' : 'FAILED'}:`.padEnd(16)}${o.failure}`] : []),
    `  Cleanup:        ${o.cleanup?.deleted.length ? `deleted ${o.cleanup.deleted.join(', ')}` : o.cleanup?.left.length ? 'nothing deleted' : 'nothing to delete'}`,
  ];
  if (o.cleanup?.left.length) {
    lines.push('  LEFT TO DELETE BY HAND:', ...o.cleanup.left.map((l) => `    ${l.arn}: ${l.reason}`));
  }
  return lines.join('\n');
}
