import { createHash, createHmac } from 'crypto';
import { HttpRequestLike } from '../../src/private/arc-region-switch-client';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

/**
 * Recomputes a request's SigV4 signature from the request as sent, with the
 * secret the test signed it with
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
 * for services other than S3 the canonical URI is the path with each segment
 * URI-encoded once more. Independent of the library's signer, so a test can
 * catch a request the library signs wrongly.
 */
export function expectedSignature(request: HttpRequestLike, region: string, service: string, secretAccessKey: string): string {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const signed = /SignedHeaders=([^,]+)/.exec(headers.authorization)![1].split(';');
  const amzDate = headers['x-amz-date'];
  const path = new URL(request.url).pathname.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  const canonical = [request.method, path, '', ...signed.map((h) => `${h}:${headers[h].trim()}`), '', signed.join(';'), sha(request.body)].join('\n');
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha(canonical)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, amzDate.slice(0, 8));
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}
