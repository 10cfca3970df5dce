import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { errorOf, fetchTransport, sendSignedJson, Transport } from './arc-region-switch-client';
import { Clock, systemClock, withBackoff } from './aws-calls';

/**
 * Secrets Manager's GetSecretValue, signed and sent without the SDK's
 * client: a handler that reads one secret needs one call, and the client
 * (its schemas, endpoint rules and error classes) would add about 170 KiB to
 * the bundle. The wire format is the service's `awsJson1_1` protocol:
 * POST / with `Content-Type: application/x-amz-json-1.1` and
 * `X-Amz-Target: secretsmanager.GetSecretValue`, SigV4 with the signing
 * name `secretsmanager`
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html,
 * and the "Common parameters" page of that reference). The regional endpoint
 * is `secretsmanager.{region}.amazonaws.com` (`.amazonaws.com.cn` in China),
 * which a VPC interface endpoint with private DNS answers from inside the VPC.
 */
export interface SecretsManagerCallOptions {
  readonly transport?: Transport;
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly clock?: Clock;
  /** A URL every request goes to instead of the endpoint (still signed for the region), as the SDK's `AWS_ENDPOINT_URL`. */
  readonly endpointUrl?: string;
  /** How long throttling is retried, in ms. */
  readonly retryForMs?: number;
}

export function secretsManagerEndpoint(region: string): string {
  return `https://secretsmanager.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}/`;
}

/** The secret's `SecretString` (undefined for a binary secret); throttling is retried, anything else thrown with the service's reason. */
export async function getSecretString(secretId: string, region: string, options: SecretsManagerCallOptions = {}): Promise<string | undefined> {
  const clock = options.clock ?? systemClock;
  const transport = options.transport ?? fetchTransport;
  const credentials = options.credentials ?? defaultProvider();
  const url = options.endpointUrl ?? secretsManagerEndpoint(region);
  const once = async () => {
    const response = await sendSignedJson({
      url,
      service: 'secretsmanager',
      region,
      contentType: 'application/x-amz-json-1.1',
      target: 'secretsmanager.GetSecretValue',
      body: JSON.stringify({ SecretId: secretId }),
      credentials,
      signingDate: new Date(clock.now()),
    }, transport);
    if (response.status >= 200 && response.status < 300) {
      return (JSON.parse(response.body || '{}') as { SecretString?: string }).SecretString;
    }
    throw errorOf(response);
  };
  return withBackoff(once, { clock, deadline: clock.now() + (options.retryForMs ?? 20_000) });
}
