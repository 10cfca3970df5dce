import { Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { IConstruct } from 'constructs';
import { DrValidationError } from './validation';

/**
 * DynamoDB limits key attribute names (partition and sort keys, and so the
 * TTL attribute the table names) to 1 to 255 bytes of UTF-8, not characters
 * ("Service, account, and table quotas in Amazon DynamoDB", Attributes:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
 */
const MAX_KEY_ATTRIBUTE_BYTES = 255;

/** The partition key of the library's tables when none is given: a string `pk`. */
export const DEFAULT_PARTITION_KEY: dynamodb.Attribute = { name: 'pk', type: dynamodb.AttributeType.STRING };

/** Refuses an attribute name DynamoDB would refuse: blank, or over 255 UTF-8 bytes. Tokens are skipped. */
export function validateAttributeName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const bytes = Buffer.byteLength(name, 'utf8');
  if (name.trim() === '' || bytes > MAX_KEY_ATTRIBUTE_BYTES) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a non-empty attribute name of at most ${MAX_KEY_ATTRIBUTE_BYTES} bytes of UTF-8, got: ${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}...` : name)} (${[...name].length} characters, ${bytes} bytes)`);
  }
}

/** The key attributes and the TTL attribute of a table's props, each checked. */
export function validateTableAttributes(
  scope: IConstruct, props: { partitionKey?: dynamodb.Attribute; sortKey?: dynamodb.Attribute; timeToLiveAttribute?: string },
): void {
  validateAttributeName(scope, 'partitionKey.name', props.partitionKey?.name);
  validateAttributeName(scope, 'sortKey.name', props.sortKey?.name);
  validateAttributeName(scope, 'timeToLiveAttribute', props.timeToLiveAttribute);
}
