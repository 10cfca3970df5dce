import { createHash, createHmac } from 'crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';
import { Clock, systemClock, withBackoff } from './aws-calls';

/**
 * A minimal client for the ARC Region switch API, for `cdk-dr switch`, the
 * plan's health-check lookup handler
 * (src/region-switch-plan/plan-health-checks.lambda.ts) and the rehearsal's
 * (src/region-switch-plan/rehearsal.lambda.ts). All bundle it
 * (the command line with the full credential chain, the handler with the
 * environment's credentials only, src/private/lambda-credentials.ts).
 *
 * The AWS SDK's @aws-sdk/client-arc-region-switch is not on the registry this
 * package builds from, so this client speaks the protocol itself. Everything
 * below follows the service's Smithy model, aws/aws-sdk-js-v3
 * codegen/sdk-codegen/aws-models/arc-region-switch.json (service shape
 * com.amazonaws.arcregionswitch#ArcRegionSwitch, version 2022-07-26):
 * - protocol `aws.protocols#awsJson1_0`: POST / with
 *   `Content-Type: application/x-amz-json-1.0` and
 *   `X-Amz-Target: ArcRegionSwitch.<Operation>`, JSON members named as in the
 *   model (camelCase), timestamps as epoch seconds; errors carry `__type`
 *   (and the `X-Amzn-ErrorType` header) and `message`. The model also lists
 *   `smithy.protocols#rpcv2Cbor`; JSON is the one used here.
 * - SigV4 signing name `arc-region-switch` (`aws.auth#sigv4`).
 * - endpoint rules (`smithy.rules#endpointRuleSet`): operations marked with the
 *   static context parameter `UseControlPlaneEndpoint` (CreatePlan, GetPlan,
 *   UpdatePlan, DeletePlan, ListPlans, ListRoute53HealthChecks and the tag
 *   operations) go to `arc-region-switch-control-plane.<partition's global
 *   region>.<dual-stack suffix>` signed for that region (us-east-1 in the aws
 *   partition, cn-north-1 in aws-cn, us-gov-west-1 in aws-us-gov); all others
 *   (executions, approvals, evaluation status, GetPlanInRegion) go to the
 *   Region's data plane `arc-region-switch.<region>.<dual-stack suffix>`.
 *   The service is dual-stack only (`aws.endpoints#dualStackOnlyEndpoints`).
 * API reference: https://docs.aws.amazon.com/arc-region-switch/latest/api/Welcome.html
 * Placement: https://docs.aws.amazon.com/r53recovery/latest/dg/aws-regions-rs.html
 * What could not be checked offline is listed in docs/cli.md.
 */

/** The service shape's name: the prefix of X-Amz-Target in awsJson1_0. */
export const TARGET_PREFIX = 'ArcRegionSwitch';
export const SIGNING_NAME = 'arc-region-switch';
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** The operations `cdk-dr switch` and the handlers call (ListPlanExecutions: the rehearsal's only), and which plane serves each (model: staticContextParams). */
export const OPERATION_PLANE = {
  GetPlan: 'control',
  ListRoute53HealthChecks: 'control',
  GetPlanInRegion: 'data',
  GetPlanEvaluationStatus: 'data',
  StartPlanExecution: 'data',
  GetPlanExecution: 'data',
  ListPlanExecutionEvents: 'data',
  ListPlanExecutions: 'data',
  ApprovePlanExecutionStep: 'data',
  CancelPlanExecution: 'data',
} as const;
export type ArcOperation = keyof typeof OPERATION_PLANE;

export interface HttpRequestLike {
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly headers: Record<string, string>;
  readonly body: string;
}
export interface HttpResponseLike {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
/** Sends one request; the tests pass a fake. */
export type Transport = (request: HttpRequestLike) => Promise<HttpResponseLike>;

export const fetchTransport: Transport = async (request) => {
  // fetch refuses a body on GET, even an empty one.
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.method === 'GET' ? undefined : request.body });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => { headers[key.toLowerCase()] = value; });
  return { status: response.status, headers, body: await response.text() };
};

/** An error the service (or the way to it) returned, shaped like an SDK error for isThrottlingError and the CLI. */
export class ArcServiceError extends Error {
  readonly $metadata: { httpStatusCode?: number };
  constructor(name: string, message: string, status?: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

interface Partition {
  readonly dnsSuffix: string;
  readonly controlRegion: string;
}

/**
 * The partition of a region, as far as the endpoint rules need it: its
 * dual-stack DNS suffix and the control plane's region (`implicitGlobalRegion`,
 * and cn-north-1 for aws-cn, as the rules say). Other partitions are refused:
 * their suffixes are not checked here.
 */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return { dnsSuffix: 'api.amazonwebservices.com.cn', controlRegion: 'cn-north-1' };
  if (region.startsWith('us-gov-')) return { dnsSuffix: 'api.aws', controlRegion: 'us-gov-west-1' };
  if (/^(us-iso|eu-isoe|us-isob|us-isof)/.test(region)) {
    throw new ArcServiceError('UnsupportedRegion', `cdk-dr switch does not know the ARC Region switch endpoints of ${region}`);
  }
  return { dnsSuffix: 'api.aws', controlRegion: 'us-east-1' };
}

/** The URL and signing region of an operation; `region` is the Region whose data plane to use. */
export function endpointFor(operation: ArcOperation, region: string): { url: string; signingRegion: string } {
  const partition = partitionOf(region);
  if (OPERATION_PLANE[operation] === 'control') {
    return { url: `https://arc-region-switch-control-plane.${partition.controlRegion}.${partition.dnsSuffix}/`, signingRegion: partition.controlRegion };
  }
  return { url: `https://arc-region-switch.${region}.${partition.dnsSuffix}/`, signingRegion: region };
}

/** SHA-256 and HMAC-SHA-256 from node's crypto, in the shape SignatureV4 takes. */
class NodeSha256 implements Checksum {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh() {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret
      : ArrayBuffer.isView(this.secret) ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
        : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
}

export interface ArcClientOptions {
  readonly transport?: Transport;
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly clock?: Clock;
  /** Epoch ms; throttling is retried until then. */
  readonly deadline?: () => number;
  /**
   * A URL every request goes to instead of the service's endpoint (still
   * signed for the endpoint's region), as the SDK's `AWS_ENDPOINT_URL`: for
   * tests against a local stand-in.
   */
  readonly endpointUrl?: string;
}

/**
 * What one signed request is made of: by default POST / with a body, and a
 * target header in the awsJson protocols (none in awsQuery). The REST
 * protocols name the operation by method and path instead: `path` (its
 * labels already URI-encoded, as the SDK sends them) is appended to the path
 * of `url`, and `headers` carries the operation's header-bound members.
 */
export interface SignedJsonRequest {
  readonly url: string;
  readonly service: string;
  readonly region: string;
  /** Left out of a request without a body. */
  readonly contentType?: string;
  readonly target?: string;
  readonly body: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly signingDate: Date;
  /** POST unless given. */
  readonly method?: 'GET' | 'POST' | 'PUT';
  /** The operation's path; without it the request goes to `url` as given. */
  readonly path?: string;
  /** More headers to send and sign, lower-case names. */
  readonly headers?: Record<string, string>;
}

/** Signs `request` with SigV4 and sends it with `transport`; a network failure becomes a NetworkError. */
export async function sendSignedJson(request: SignedJsonRequest, transport: Transport): Promise<HttpResponseLike> {
  const base = new URL(request.url);
  const { hostname } = base;
  const method = request.method ?? 'POST';
  const path = request.path === undefined ? base.pathname : `${base.pathname.replace(/\/+$/, '')}${request.path}`;
  const url = request.path === undefined ? request.url : `${base.origin}${path}`;
  const signer = new SignatureV4({ service: request.service, region: request.region, credentials: request.credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method,
    protocol: 'https:',
    hostname,
    path,
    query: {},
    headers: {
      // With the port, as the request carries it (a stand-in's endpoint URL has one).
      host: base.host,
      ...(request.contentType ? { 'content-type': request.contentType } : {}),
      ...(request.target ? { 'x-amz-target': request.target } : {}),
      ...request.headers,
    },
    body: request.body,
  }, { signingDate: request.signingDate });
  try {
    return await transport({ url, method, headers: signed.headers as Record<string, string>, body: request.body });
  } catch (e) {
    throw new ArcServiceError('NetworkError', `cannot reach ${hostname}: ${(e as Error).message ?? String(e)}`);
  }
}

/** The client: `call(operation, input, region)` signs, sends, retries throttling and parses. */
export class ArcRegionSwitchClient {
  private readonly transport: Transport;
  private readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  private readonly clock: Clock;
  private readonly deadline: () => number;
  private readonly endpointUrl?: string;

  constructor(options: ArcClientOptions = {}) {
    this.transport = options.transport ?? fetchTransport;
    this.credentials = options.credentials ?? defaultProvider();
    this.clock = options.clock ?? systemClock;
    this.deadline = options.deadline ?? (() => this.clock.now() + 60_000);
    this.endpointUrl = options.endpointUrl;
  }

  /** Calls `operation` on `region`'s data plane, or on the partition's control plane for control-plane operations. */
  async call<T = Record<string, unknown>>(operation: ArcOperation, input: Record<string, unknown>, region: string): Promise<T> {
    return withBackoff(() => this.once<T>(operation, input, region), { clock: this.clock, deadline: this.deadline(), maxAttempts: 6 });
  }

  private async once<T>(operation: ArcOperation, input: Record<string, unknown>, region: string): Promise<T> {
    const endpoint = endpointFor(operation, region);
    const response = await sendSignedJson({
      url: this.endpointUrl ?? endpoint.url,
      service: SIGNING_NAME,
      region: endpoint.signingRegion,
      contentType: JSON_CONTENT_TYPE,
      target: `${TARGET_PREFIX}.${operation}`,
      body: JSON.stringify(input),
      credentials: this.credentials,
      signingDate: new Date(this.clock.now()),
    }, this.transport);
    if (response.status >= 200 && response.status < 300) {
      return (response.body.trim() ? JSON.parse(response.body) : {}) as T;
    }
    throw errorOf(response);
  }
}

/** The error of a non-2xx awsJson or REST-JSON response: X-Amzn-ErrorType, `__type` or `code`, namespace and suffix cut off. */
export function errorOf(response: HttpResponseLike): ArcServiceError {
  let parsed: { __type?: string; code?: string; message?: string; Message?: string } = {};
  try {
    parsed = JSON.parse(response.body || '{}');
  } catch {
    parsed = { message: response.body.slice(0, 200) };
  }
  const header = Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1];
  // REST-JSON services may name the error in a `code` member only.
  const raw = header ?? parsed.__type ?? (typeof parsed.code === 'string' ? parsed.code : undefined) ?? (response.status === 429 ? 'ThrottlingException' : `HTTP${response.status}`);
  const name = raw.split(':')[0].split('#').pop()!;
  return new ArcServiceError(name, parsed.message ?? parsed.Message ?? `${name} (HTTP ${response.status})`, response.status);
}

/** An awsJson timestamp (epoch seconds) as a Date. */
export function timestampOf(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string' && value) {
    const d = new Date(/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}
