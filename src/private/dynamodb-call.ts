import { CallRequest, jsonOf, regionalEndpoint, signedCall, SignedCallOptions } from './signed-call';

/**
 * DynamoDB's DescribeTable and Scan, signed and sent without the SDK's
 * client (src/private/signed-call.ts says why and how errors surface). The
 * wire format is the service's `awsJson1_0` protocol: POST / with
 * `Content-Type: application/x-amz-json-1.0` and
 * `X-Amz-Target: DynamoDB_20120810.<Operation>`, the input as a JSON object,
 * SigV4 with the signing name `dynamodb`; an error answers 4xx or 5xx with
 * `__type` (`com.amazonaws.dynamodb.v20120810#<Name>`) and `message`
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html).
 * The regional endpoint is `dynamodb.{region}.amazonaws.com`
 * (`.amazonaws.com.cn` in China): https://docs.aws.amazon.com/general/latest/gr/ddb.html.
 * Throttling is ThrottlingException or ProvisionedThroughputExceededException
 * (HTTP 400), which the caller's `withBackoff` retries.
 */
export type DynamoDbOperation = 'DescribeTable' | 'Scan';

/** The part of DescribeTable's answer the handlers read. */
export interface DescribeTableOutput {
  readonly Table?: { readonly TableName?: string; readonly TableStatus?: string; readonly ItemCount?: number };
}
/** The part of Scan's answer the handlers read (items stay in DynamoDB's attribute-value JSON). */
export interface ScanOutput {
  readonly Count?: number;
  readonly ScannedCount?: number;
  readonly Items?: Array<Record<string, unknown>>;
}

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';

/** One DynamoDB call: its parsed answer, or the service's error thrown. */
export async function dynamoDbCall<T>(operation: DynamoDbOperation, input: Record<string, unknown>, options: SignedCallOptions): Promise<T> {
  const request: CallRequest = {
    service: 'dynamodb',
    contentType: 'application/x-amz-json-1.0',
    target: `${DYNAMODB_TARGET_PREFIX}.${operation}`,
    body: JSON.stringify(input),
  };
  const response = await signedCall(`${regionalEndpoint('dynamodb', options.region)}/`, request, options);
  return jsonOf<T>(response, `DynamoDB ${operation}`);
}

export const describeTable = (input: { TableName: string }, options: SignedCallOptions) =>
  dynamoDbCall<DescribeTableOutput>('DescribeTable', input, options);
export const scan = (input: { TableName: string; Limit?: number }, options: SignedCallOptions) =>
  dynamoDbCall<ScanOutput>('Scan', input, options);
