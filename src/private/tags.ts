import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/**
 * The tag keys the library writes, in one style: `Environment` (the common
 * AWS convention) and `DR-` followed by a capitalized word for everything
 * disaster recovery adds. Resources and recovery points use the same keys.
 */
export const TAG_KEYS = {
  environment: 'Environment',
  role: 'DR-Role',
  rpo: 'DR-RPO',
  rto: 'DR-RTO',
  managedBy: 'DR-ManagedBy',
} as const;

/** The value of the `DR-ManagedBy` tag. */
export const MANAGED_BY = 'cdk-dr-platform';

/**
 * AWS's tag rules ("Tag naming limits and requirements", Tagging AWS
 * Resources user guide, https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html):
 * a key of 1 to 128 and a value of 0 to 256 Unicode characters (counted as
 * characters, not UTF-8 bytes), made of letters, numbers, spaces and
 * `_ . : / = + - @`; a key must not start with `aws:` in any case (reserved
 * for AWS). Unverified offline: whether every service (Backup Audit Manager's
 * control scope among them) accepts the whole Unicode range the general rule allows.
 */
const TAG_MAX_KEY = 128;
const TAG_MAX_VALUE = 256;
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Refuses a tag key AWS would refuse. Tokens are skipped. */
export function validateTagKey(scope: IConstruct, prop: string, key: string): void {
  if (Token.isUnresolved(key)) return;
  const length = [...key].length;
  if (length < 1 || length > TAG_MAX_KEY || !TAG_CHARACTERS.test(key)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a tag key of 1 to ${TAG_MAX_KEY} characters (letters, numbers, spaces and _ . : / = + - @), got: ${quote(key)} (${length} characters)`);
  }
  if (key.toLowerCase().startsWith('aws:')) {
    throw new DrValidationError(scope, `\`${prop}\` must not start with "aws:": AWS reserves that prefix for its own tags, got: ${quote(key)}`);
  }
}

/** Refuses a tag value AWS would refuse. Tokens are skipped. */
export function validateTagValue(scope: IConstruct, prop: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  const length = [...value].length;
  if (length > TAG_MAX_VALUE || !TAG_CHARACTERS.test(value)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a tag value of 0 to ${TAG_MAX_VALUE} characters (letters, numbers, spaces and _ . : / = + - @), got: ${quote(value)} (${length} characters)`);
  }
}
