/**
 * Custom resource handler (Provider framework, one function for both
 * roles) that reads the Route 53 health checks ARC created for a Region
 * switch plan's DNS step, one per plan region, and returns the id of each
 * region's as the attributes `PrimaryHealthCheckId` and
 * `SecondaryHealthCheckId`.
 *
 * ARC creates the health checks a few minutes after the plan, and the plan's
 * `PlanHealthChecks` attribute does not say which region each id belongs
 * to, so the handler asks ARC's control plane (`ListRoute53HealthChecks`,
 * which returns each health check with its region) until both regions have
 * one. https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html
 *
 * - onEvent (Create, Update): checks the properties and starts the wait; its
 *   answer carries `WaitStartedAt`, which the framework passes on to every
 *   isComplete call (that is how one function tells its two roles apart).
 * - isComplete: lists every page; complete when each plan region has exactly
 *   one health check id. Throttling is retried inside the call and, if it
 *   outlasts that, by the next poll. Access denied, an unknown plan or bad
 *   input fail at once with what to do. Past `WaitMinutes` it fails with
 *   what ARC had created by then, before the framework's own timeout (which
 *   only says "Operation timed out").
 * - Delete: nothing; the health checks are ARC's and go with the plan.
 */
import { ArcRegionSwitchClient, ArcServiceError } from '../private/arc-region-switch-client';
import { isThrottlingError } from '../private/aws-calls';

/** The custom resource's properties (all strings, as CloudFormation passes them). */
export interface PlanHealthChecksProperties {
  readonly PlanArn: string;
  readonly HostedZoneId: string;
  readonly RecordName: string;
  readonly PrimaryRegion: string;
  readonly SecondaryRegion: string;
  /** Minutes to wait for ARC before failing with a clear message. */
  readonly WaitMinutes: string;
}

export interface PlanHealthChecksEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: PlanHealthChecksProperties & { ServiceToken?: string };
  /** Set by onEvent's answer: present only in isComplete calls. */
  readonly WaitStartedAt?: number;
}

export interface OnEventResult {
  readonly PhysicalResourceId: string;
  readonly WaitStartedAt: number;
}

export interface IsCompleteResult {
  readonly IsComplete: boolean;
  readonly Data?: { PrimaryHealthCheckId: string; SecondaryHealthCheckId: string };
}

/** What the handler calls; the tests pass fakes. */
export interface HandlerDeps {
  readonly client: Pick<ArcRegionSwitchClient, 'call'>;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** The Lambda's region: the control plane is found from its partition. */
  readonly region: string;
  readonly log?: (message: string) => void;
}

interface HealthCheckEntry {
  readonly hostedZoneId?: string;
  readonly recordName?: string;
  readonly healthCheckId?: string;
  readonly status?: string;
  readonly region?: string;
}

const PLAN_ARN = /^arn:aws[a-z-]*:arc-region-switch::\d{12}:plan\/.+/;

function checkProperties(p: Partial<PlanHealthChecksProperties> | undefined): PlanHealthChecksProperties {
  const missing = ['PlanArn', 'HostedZoneId', 'RecordName', 'PrimaryRegion', 'SecondaryRegion', 'WaitMinutes']
    .filter((k) => typeof (p as Record<string, unknown> | undefined)?.[k] !== 'string' || !(p as Record<string, string>)[k]);
  if (missing.length > 0) {
    throw new Error(`plan health checks: missing properties ${missing.join(', ')} (the construct sets them all)`);
  }
  if (!PLAN_ARN.test(p!.PlanArn!)) {
    throw new Error(`plan health checks: PlanArn must be an ARC Region switch plan ARN (arn:aws:arc-region-switch::{account}:plan/{name}...), got: ${JSON.stringify(p!.PlanArn)}`);
  }
  if (p!.PrimaryRegion === p!.SecondaryRegion) {
    throw new Error(`plan health checks: PrimaryRegion and SecondaryRegion must differ, got: ${p!.PrimaryRegion} for both`);
  }
  if (!(Number(p!.WaitMinutes) > 0)) {
    throw new Error(`plan health checks: WaitMinutes must be a positive number, got: ${JSON.stringify(p!.WaitMinutes)}`);
  }
  return p as PlanHealthChecksProperties;
}

/** Create and Update start the wait; Delete does nothing (the health checks are ARC's). */
export function onEvent(event: PlanHealthChecksEvent, deps: Pick<HandlerDeps, 'now'>): OnEventResult {
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId ?? 'none', WaitStartedAt: deps.now() };
  }
  const props = checkProperties(event.ResourceProperties);
  // The plan's ARN: a new plan (replaced) is a new resource, and CloudFormation deletes the old one (a no-op).
  return { PhysicalResourceId: props.PlanArn, WaitStartedAt: deps.now() };
}

/** Every health check ARC lists for the plan's record, all pages. */
async function listHealthChecks(props: PlanHealthChecksProperties, deps: HandlerDeps): Promise<HealthCheckEntry[]> {
  const entries: HealthCheckEntry[] = [];
  let nextToken: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await deps.client.call<{ healthChecks?: HealthCheckEntry[]; nextToken?: string }>('ListRoute53HealthChecks', {
      arn: props.PlanArn,
      hostedZoneId: props.HostedZoneId,
      recordName: props.RecordName,
      maxResults: 100,
      ...(nextToken ? { nextToken } : {}),
    }, deps.region);
    entries.push(...(page.healthChecks ?? []));
    nextToken = page.nextToken || undefined;
    if (nextToken && seen.has(nextToken)) {
      throw new Error(`plan health checks: ListRoute53HealthChecks returned the page token ${nextToken} twice for ${props.PlanArn}`);
    }
    if (nextToken) seen.add(nextToken);
  } while (nextToken);
  return entries;
}

/** Why a call failed, in words that say what to do; undefined for errors worth another poll. */
function fatalReason(error: unknown, props: PlanHealthChecksProperties): string | undefined {
  if (isThrottlingError(error)) return undefined;
  const e = error as ArcServiceError;
  const status = e.$metadata?.httpStatusCode;
  const what = `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
  if (e.name === 'AccessDeniedException' || status === 403) {
    return `access denied calling arc-region-switch:ListRoute53HealthChecks on ${props.PlanArn}: the handler's role must allow that action on the plan (${what})`;
  }
  if (e.name === 'ResourceNotFoundException' || e.name === 'ValidationException' || e.name === 'IllegalArgumentException' || status === 404) {
    return `ARC refused ListRoute53HealthChecks for the plan ${props.PlanArn}, hosted zone ${props.HostedZoneId} and record ${props.RecordName}: `
      + `check that the plan exists and its Route 53 health-check step names this zone and record (${what})`;
  }
  if (e.name === 'NetworkError' || e.name === 'InternalServerException' || (status !== undefined && status >= 500)) {
    return undefined;
  }
  return `ListRoute53HealthChecks failed for ${props.PlanArn}: ${what}`;
}

/** Complete when each plan region has exactly one health check id; fails with a clear message past WaitMinutes. */
export async function isComplete(event: PlanHealthChecksEvent, deps: HandlerDeps): Promise<IsCompleteResult> {
  if (event.RequestType === 'Delete') {
    return { IsComplete: true };
  }
  const props = checkProperties(event.ResourceProperties);
  const log = deps.log ?? (() => undefined);
  const waitMs = Number(props.WaitMinutes) * 60_000;
  const startedAt = event.WaitStartedAt ?? deps.now();
  const regions = [props.PrimaryRegion, props.SecondaryRegion];
  let found: HealthCheckEntry[] = [];
  let lastProblem = 'ARC listed no health check yet';
  try {
    found = await listHealthChecks(props, deps);
  } catch (error) {
    const fatal = fatalReason(error, props);
    if (fatal) throw new Error(`plan health checks: ${fatal}`);
    lastProblem = `the last call failed and will be retried: ${(error as Error).name}: ${(error as Error).message}`;
    log(lastProblem);
  }
  const ids = new Map<string, Set<string>>(regions.map((r) => [r, new Set<string>()]));
  for (const entry of found) {
    if (entry.healthCheckId && entry.region && ids.has(entry.region)) {
      ids.get(entry.region)!.add(entry.healthCheckId);
    }
  }
  for (const [region, set] of ids) {
    if (set.size > 1) {
      throw new Error(`plan health checks: ARC lists ${set.size} health checks for ${region} on ${props.RecordName} in plan ${props.PlanArn} `
        + `(${[...set].join(', ')}); records need exactly one per region: check the plan's Route 53 health-check steps`);
    }
  }
  const missing = regions.filter((r) => ids.get(r)!.size === 0);
  if (missing.length === 0) {
    const [primary, secondary] = regions.map((r) => [...ids.get(r)!][0]);
    log(`health checks of ${props.PlanArn}: ${props.PrimaryRegion} ${primary}, ${props.SecondaryRegion} ${secondary}`);
    return { IsComplete: true, Data: { PrimaryHealthCheckId: primary, SecondaryHealthCheckId: secondary } };
  }
  const seen = found.map((e) => `${e.region ?? '?'}=${e.healthCheckId ?? '(no id yet)'}`).join(', ') || 'none';
  if (deps.now() - startedAt >= waitMs) {
    throw new Error(`plan health checks: after ${props.WaitMinutes} minutes ARC has no health check for ${missing.join(' and ')} `
      + `on ${props.RecordName} (zone ${props.HostedZoneId}) in plan ${props.PlanArn} (listed: ${seen}; ${lastProblem}). `
      + 'ARC creates them a few minutes after the plan; check the plan\'s evaluation status and its Route 53 health-check step, then deploy again.');
  }
  log(`waiting for ARC's health checks of ${missing.join(' and ')} (listed: ${seen})`);
  return { IsComplete: false };
}

/** The Lambda entry point: isComplete when the event carries onEvent's WaitStartedAt, onEvent otherwise. */
export async function handler(event: PlanHealthChecksEvent): Promise<OnEventResult | IsCompleteResult> {
  const deps: HandlerDeps = {
    // AWS_ENDPOINT_URL as the SDK honours it: the bundle's tests point it at a local stand-in.
    client: new ArcRegionSwitchClient({ endpointUrl: process.env.AWS_ENDPOINT_URL || undefined }),
    now: Date.now,
    region: process.env.AWS_REGION ?? 'us-east-1',
    log: (message) => console.log(message),
  };
  return event.WaitStartedAt === undefined ? onEvent(event, deps) : isComplete(event, deps);
}
