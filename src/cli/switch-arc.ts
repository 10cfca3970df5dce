import { CliError, EXIT_USAGE } from './errors';
import { EvaluationSummary } from './switch-model';
import { ArcApi } from '../private/arc-executions';
import { Clock, describeError, withBackoff } from '../private/aws-calls';

// Moved to src/private/ to be shared with the rehearsal's handler; re-exported for the command's modules and tests.
export { getExecution, newEvents } from '../private/arc-executions';
export type { ArcApi, EventView, ExecutionView } from '../private/arc-executions';

/**
 * The ARC Region switch reads of `cdk-dr switch` (switch.ts): the plan, its
 * evaluation, an execution and its events, and the plan found in a stack;
 * and how their errors become one-line usage errors. Operations and shapes
 * from the SDK model (docs/cli.md).
 */

export interface StackResource {
  readonly logicalId?: string;
  readonly type?: string;
  readonly physicalId?: string;
}

/** The model's PlanArn pattern. */
export const PLAN_ARN = /^arn:aws[a-zA-Z-]*:arc-region-switch::[0-9]{12}:plan\/([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?):([a-z0-9]{6})$/;
export const PLAN_RESOURCE_TYPE = 'AWS::ARCRegionSwitch::Plan';
const ACCESS = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException', 'InvalidSignatureException', 'IncompleteSignature', 'MissingAuthenticationToken']);

/** An error as one line with exit 2 when it is about the caller: credentials, access, an unknown plan or stack, the network. */
export function asUsageError(error: unknown, what: string): CliError | undefined {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (error instanceof CliError) return error;
  if (e?.name === 'CredentialsProviderError' || /could not load credentials/i.test(e?.message ?? '')) {
    return new CliError(`no AWS credentials: set AWS_PROFILE or the AWS_ACCESS_KEY_ID variables, or run aws sso login (${e.message})`, EXIT_USAGE);
  }
  if (/region is missing/i.test(e?.message ?? '')) {
    return new CliError('no AWS region for the stack: pass --region or set AWS_REGION', EXIT_USAGE);
  }
  if (ACCESS.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 403) {
    return new CliError(`access denied (${what}): ${describeError(error)} (docs/cli.md lists the arc-region-switch actions the command needs)`, EXIT_USAGE);
  }
  if (e?.name === 'ResourceNotFoundException') {
    return new CliError(`not found (${what}): ${describeError(error)}`, EXIT_USAGE);
  }
  if (e?.name === 'ValidationError' && /does not exist/i.test(e.message ?? '')) {
    return new CliError(`${describeError(error)}`, EXIT_USAGE);
  }
  if (e?.name === 'NetworkError' || e?.name === 'UnsupportedRegion') {
    return new CliError(`${what}: ${e.message}`, EXIT_USAGE);
  }
  return undefined;
}

export interface PlanInfo {
  readonly arn: string;
  readonly name?: string;
  readonly regions: string[];
  readonly recoveryApproach?: string;
  readonly rtoMinutes?: number;
}

/** The plan's ARN: `--plan`, or the one Region switch plan among `--stack`'s resources. */
export async function resolvePlanArn(
  flags: { readonly plan?: string; readonly stack?: string; readonly region?: string },
  deps: { readonly stackResources: (stack: string, region: string | undefined) => Promise<StackResource[]>; readonly clock: Clock },
): Promise<string> {
  if (flags.plan) return flags.plan;
  let resources: StackResource[];
  try {
    resources = await withBackoff(() => deps.stackResources(flags.stack!, flags.region), { clock: deps.clock, deadline: deps.clock.now() + 60_000 });
  } catch (error) {
    throw asUsageError(error, `cloudformation:ListStackResources ${flags.stack}`) ?? error;
  }
  const plans = resources.filter((r) => r.type === PLAN_RESOURCE_TYPE);
  if (plans.length === 0) {
    throw new CliError(`stack ${flags.stack} has no ${PLAN_RESOURCE_TYPE} resource (nested stacks are not searched): pass --plan ARN`);
  }
  if (plans.length > 1) {
    throw new CliError(`stack ${flags.stack} has ${plans.length} Region switch plans (${plans.map((p) => `${p.logicalId}: ${p.physicalId}`).join(', ')}): pass one as --plan ARN`);
  }
  const arn = plans[0].physicalId ?? '';
  if (!PLAN_ARN.test(arn)) {
    throw new CliError(`the plan ${plans[0].logicalId} of stack ${flags.stack} has the physical ID ${JSON.stringify(arn)}, not a plan ARN (is it still being created?): pass --plan ARN`);
  }
  return arn;
}

export async function getPlan(arc: ArcApi, arn: string, region: string): Promise<PlanInfo> {
  let out: { plan?: { arn?: string; name?: string; regions?: string[]; recoveryApproach?: string; recoveryTimeObjectiveMinutes?: number } };
  try {
    // The data plane's copy, so the switch does not need the us-east-1 control plane.
    out = await arc.call('GetPlanInRegion', { arn }, region);
  } catch (error) {
    throw asUsageError(error, `arc-region-switch:GetPlanInRegion ${arn} in ${region}`) ?? error;
  }
  const plan = out.plan ?? {};
  return {
    arn, name: plan.name, regions: plan.regions ?? [], recoveryApproach: plan.recoveryApproach, rtoMinutes: plan.recoveryTimeObjectiveMinutes,
  };
}

interface EvaluationPage {
  evaluationState?: string;
  lastEvaluationTime?: unknown;
  lastEvaluatedVersion?: string;
  nextToken?: string;
  warnings?: {
    workflow?: { action?: string; name?: string }; stepName?: string; resourceArn?: string; warningStatus?: string; warningMessage?: string;
  }[];
}

export async function getEvaluation(arc: ArcApi, arn: string, region: string): Promise<EvaluationSummary> {
  const warnings: EvaluationSummary['warnings'] = [];
  let first: EvaluationPage | undefined;
  let nextToken: string | undefined;
  try {
    for (let page = 0; page < 20; page++) {
      const out = await arc.call<EvaluationPage>('GetPlanEvaluationStatus', { planArn: arn, ...(nextToken ? { nextToken } : {}) }, region);
      first ??= out;
      for (const w of out.warnings ?? []) {
        if (w.warningStatus === 'resolved') continue;
        warnings.push({ workflow: w.workflow?.name ?? w.workflow?.action, step: w.stepName, resource: w.resourceArn, message: w.warningMessage ?? '(no message)' });
      }
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
  } catch (error) {
    return { warnings, unavailable: `arc-region-switch:GetPlanEvaluationStatus: ${describeError(error)}` };
  }
  const last = first?.lastEvaluationTime;
  return {
    state: first?.evaluationState,
    lastEvaluationTime: typeof last === 'number' ? new Date(last * 1000).toISOString() : undefined,
    version: first?.lastEvaluatedVersion,
    warnings,
  };
}

