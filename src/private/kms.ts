import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { deployRegionRule } from './regions';
import { DrValidationError, quote } from './validation';

/**
 * Checks that a key the user brings can encrypt resources of this stack: KMS
 * keys are regional, and every AWS service that encrypts with one (RDS, S3,
 * DynamoDB, CloudWatch Logs, SQS, Lambda, AWS Backup) refuses a key of another
 * region or partition at deploy.
 *
 * With a concrete key ARN and a concrete stack region the check is made here.
 * With a concrete key ARN in an environment-agnostic stack it cannot be, so a
 * CloudFormation rule makes the deploy stop before any resource is created,
 * with a message naming the prop. A key whose ARN is a token (a key of this
 * stack, an imported value) cannot be checked and is left alone.
 */
export function validateKeyRegion(scope: IConstruct, prop: string, key: kms.IKey | undefined): void {
  if (!key || Token.isUnresolved(key.keyArn)) {
    return;
  }
  let keyRegion: string | undefined;
  let keyPartition: string | undefined;
  try {
    const arn = Arn.split(key.keyArn, ArnFormat.SLASH_RESOURCE_NAME);
    keyRegion = arn.region;
    keyPartition = arn.partition;
    if (arn.service !== 'kms' || !keyRegion || !keyPartition || !['key', 'alias'].includes(arn.resource)) {
      throw new Error('not a KMS key or alias ARN');
    }
  } catch {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a KMS key with an ARN like arn:aws:kms:{region}:{account}:key/{id}, got: ${quote(key.keyArn)}`);
  }
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region)) {
    const stackPartition = RegionInfo.get(stack.region).partition;
    if (keyRegion !== stack.region || (stackPartition !== undefined && keyPartition !== stackPartition)) {
      throw new DrValidationError(scope,
        `\`${prop}\` must be a KMS key in the stack's region ${stack.region}${stackPartition ? ` (partition ${stackPartition})` : ''}: `
        + `KMS keys are regional and a key of another region cannot encrypt these resources, got: ${quote(key.keyArn)}`);
    }
    return;
  }
  deployRegionRule(scope, prop, keyRegion, 'same',
    `${prop} (${scope.node.path}) is the KMS key ${key.keyArn} of region ${keyRegion}: deploy this stack in ${keyRegion} or give a key of the stack's region.`,
    'KeyRegion');
}

/**
 * The ARN of a KMS alias in another region of this stack's account and
 * partition. Regional keys have ids nobody in this region can know, so a
 * stack names the other region's key by its alias; services that accept an
 * alias ARN (DynamoDB replica SSE, S3 ReplicaKmsKeyID) resolve it there.
 */
export function aliasArnInRegion(scope: IConstruct, region: string, aliasName: string): string {
  return Stack.of(scope).formatArn({
    service: 'kms',
    region,
    resource: 'alias',
    resourceName: aliasName.replace(/^alias\//, ''),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** What a KMS key or alias ARN says: its region, and the alias name when it is an alias. */
export interface ParsedKeyArn {
  readonly region: string;
  readonly partition: string;
  readonly account: string;
  /** `alias/name` for an alias ARN; undefined for a key ARN. */
  readonly aliasName?: string;
}

/** Parses a concrete KMS key or alias ARN; undefined when it is not one. */
export function parseKeyArn(arn: string): ParsedKeyArn | undefined {
  const match = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/.exec(arn);
  if (!match) {
    return undefined;
  }
  const [, partition, region, account, resource] = match;
  return { partition, region, account, aliasName: resource.startsWith('alias/') ? resource : undefined };
}
