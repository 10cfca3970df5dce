import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ArcServiceError, errorOf, fetchTransport, HttpResponseLike, sendSignedJson, SignedJsonRequest, Transport } from './arc-region-switch-client';
import { Clock, systemClock } from './aws-calls';

/**
 * What the handlers' hand-written AWS calls share (src/private/dynamodb-call.ts,
 * lambda-invoke-call.ts, backup-restore-job-call.ts): a handler that needs a
 * few operations of a service signs and sends them itself rather than
 * bundling the SDK's client for it (its configuration, endpoint rules and
 * error classes; docs/sizes.md).
 *
 * A call made here is one attempt as far as throttling goes: a throttled
 * answer is thrown as an error named as the service names it (or
 * ThrottlingException for a bare HTTP 429) with the HTTP status, which is
 * what `isThrottlingError` (src/private/aws-calls.ts) recognises, so the
 * caller's `withBackoff` retries it. What the SDK's standard retry would
 * also have retried at once (HTTP 500, 502, 503, 504 and a network failure)
 * is tried up to TRANSIENT_ATTEMPTS times here, with a short pause. That
 * repeats a request that may have been carried out (an Invoke whose answer
 * was lost): every caller's operations are idempotent, and a caller whose
 * operation is not must not use this as it is.
 *
 * Each operation's method, path, headers and status follow the AWS API
 * reference page its module cites and the SDK's model of it (the
 * `@aws-sdk/client-*` schemas the tests ran against). Unverified offline:
 * that AWS accepts these requests as it accepts the SDK's. The tests check
 * every signature by recomputing it, and the built validator against a
 * local stand-in (test/bundle-credentials.test.ts), never against AWS.
 */
export interface SignedCallOptions {
  /** The Region to call and sign for. */
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly transport?: Transport;
  readonly clock?: Clock;
  /**
   * A URL every request goes to instead of the service's endpoint (still
   * signed for `region`), as the SDK's `AWS_ENDPOINT_URL`: see
   * `configuredEndpointUrl`.
   */
  readonly endpointUrl?: string;
}

/** How many times a transient failure (HTTP 5xx, network) is tried in all. */
export const TRANSIENT_ATTEMPTS = 3;
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

/**
 * A service's regional endpoint: `https://{prefix}.{region}.amazonaws.com`,
 * `.amazonaws.com.cn` in the China Regions (aws-cn partition). Other
 * partitions' suffixes are not checked here and are refused rather than
 * guessed.
 */
export function regionalEndpoint(prefix: string, region: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) || /^(us-iso|eu-isoe|us-isob|us-isof)/.test(region)) {
    throw new ArcServiceError('UnsupportedRegion', `no known ${prefix} endpoint for the Region ${JSON.stringify(region)}`);
  }
  return `https://${prefix}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

/**
 * The endpoint URL the environment configures for a service, as the SDK reads
 * it: `AWS_ENDPOINT_URL_<SERVICE>` (the service's SDK id, upper case, spaces
 * as underscores), else `AWS_ENDPOINT_URL`, neither when
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 * The bundle tests point these at a local stand-in.
 */
export function configuredEndpointUrl(env: NodeJS.ProcessEnv, serviceEnvName: string): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  return env[`AWS_ENDPOINT_URL_${serviceEnvName}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** One call: the request as `sendSignedJson` takes it, less what the options give (where, who, when). */
export type CallRequest = Omit<SignedJsonRequest, 'url' | 'region' | 'credentials' | 'signingDate'>;

/**
 * Signs and sends `request` to `endpoint` (or the configured endpoint URL),
 * trying transient failures again; a 2xx answer is returned, anything else
 * thrown as the service's error.
 */
export async function signedCall(endpoint: string, request: CallRequest, options: SignedCallOptions): Promise<HttpResponseLike> {
  const clock = options.clock ?? systemClock;
  for (let attempt = 1; ; attempt++) {
    let response: HttpResponseLike | undefined;
    let failure: ArcServiceError;
    try {
      response = await sendSignedJson({
        ...request,
        url: options.endpointUrl ?? endpoint,
        region: options.region,
        credentials: options.credentials,
        signingDate: new Date(clock.now()),
      }, options.transport ?? fetchTransport);
      if (response.status >= 200 && response.status < 300) return response;
      failure = errorOf(response);
    } catch (error) {
      // sendSignedJson throws a NetworkError only; a credentials failure is thrown as it is.
      if ((error as Error).name !== 'NetworkError') throw error;
      failure = error as ArcServiceError;
    }
    const transient = response === undefined || TRANSIENT_STATUS.has(response.status);
    if (!transient || attempt >= TRANSIENT_ATTEMPTS) throw failure;
    await clock.sleep(100 * 2 ** attempt);
  }
}

/** The JSON object of a 2xx answer (`{}` for an empty one); anything else is a MalformedResponse error, never retried. */
export function jsonOf<T>(response: HttpResponseLike, what: string): T {
  if (!response.body.trim()) return {} as T;
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ArcServiceError('MalformedResponse', `${what} answered HTTP ${response.status} with a body that is not a JSON object: ${JSON.stringify(response.body.slice(0, 200))}`, response.status);
  }
  return parsed as T;
}

/** A path label as the SDK encodes it: every character but unreserved ones percent-encoded. */
export function pathLabel(value: string): string {
  if (!value) throw new ArcServiceError('ValidationError', 'a path label cannot be empty');
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
