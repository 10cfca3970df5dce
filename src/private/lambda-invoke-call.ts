import { CallRequest, pathLabel, regionalEndpoint, signedCall, SignedCallOptions } from './signed-call';

/**
 * Lambda's Invoke, signed and sent without the SDK's client
 * (src/private/signed-call.ts says why and how errors surface). The wire
 * format is the service's REST-JSON protocol
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html):
 * POST /2015-03-31/functions/{FunctionName}/invocations, the function name
 * (or ARN) percent-encoded in the path, `X-Amz-Invocation-Type`
 * (RequestResponse or Event) as a header and the event as the raw body;
 * SigV4 with the signing name `lambda`. The answer is HTTP 200 with the
 * function's response as the body (202 with none for Event), and
 * `X-Amz-Function-Error` set when the function itself failed, the body then
 * being its error (`errorType`, `errorMessage`). A service error names itself in
 * `X-Amzn-ErrorType` (TooManyRequestsException, HTTP 429, is throttling).
 * The regional endpoint is `lambda.{region}.amazonaws.com`
 * (`.amazonaws.com.cn` in China): https://docs.aws.amazon.com/general/latest/gr/lambda-service.html.
 */
export type InvocationType = 'RequestResponse' | 'Event';

export interface InvokeResult {
  readonly statusCode: number;
  /** Set when the function failed (`Unhandled`, or `Handled` for older runtimes): the payload is then its error. */
  readonly functionError?: string;
  /** The function's response as text ('' for an Event invocation). */
  readonly payload: string;
}

/** Invokes `functionName` with `payload` (JSON text): what it answered, or the service's error thrown. */
export async function invokeFunction(
  functionName: string,
  payload: string,
  invocationType: InvocationType,
  options: SignedCallOptions,
): Promise<InvokeResult> {
  const request: CallRequest = {
    service: 'lambda',
    method: 'POST',
    path: `/2015-03-31/functions/${pathLabel(functionName)}/invocations`,
    contentType: 'application/octet-stream',
    headers: { 'x-amz-invocation-type': invocationType },
    body: payload,
  };
  const response = await signedCall(regionalEndpoint('lambda', options.region), request, options);
  const functionError = Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'x-amz-function-error')?.[1];
  return { statusCode: response.status, functionError: functionError || undefined, payload: response.body };
}
