import { Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/**
 * What the synthesized resource says about itself, read from its L1 when the
 * resource is defined in the app. `undefined` means unknown: the resource is
 * imported, or the setting is a token. These are read, never assumed.
 */

/** What a bucket's L1 says. */
export interface BucketFacts {
  /** Whether versioning is enabled; undefined when unknown. */
  readonly versioned?: boolean;
  /** The shortest noncurrent-version expiration of the enabled lifecycle rules, in days; undefined when none or unknown. */
  readonly noncurrentVersionExpirationDays?: number;
}

/** Reads a bucket's versioning and noncurrent-version expiration from its CfnBucket. */
export function bucketFacts(bucket: s3.IBucket): BucketFacts {
  const cfn = l1Of(bucket, s3.CfnBucket);
  if (!cfn) {
    return {};
  }
  const resolve = (v: unknown) => Stack.of(cfn).resolve(v);
  const versioning = resolve(cfn.versioningConfiguration);
  const status = versioning?.status ?? versioning?.Status;
  const versioned = versioning === undefined ? false
    : typeof status === 'string' && !Token.isUnresolved(status) ? status === 'Enabled' : undefined;
  const rules: any[] = resolve(cfn.lifecycleConfiguration)?.rules ?? [];
  const days = rules
    .filter((r) => r?.status === 'Enabled')
    .map((r) => r.noncurrentVersionExpiration?.noncurrentDays ?? r.noncurrentVersionExpirationInDays)
    .filter((d): d is number => typeof d === 'number' && !Token.isUnresolved(d));
  return { versioned, noncurrentVersionExpirationDays: days.length ? Math.min(...days) : undefined };
}

/**
 * Whether a table's point-in-time recovery is on, from its CfnTable or, for a
 * TableV2, the CfnGlobalTable replica in the stack's region; undefined when
 * unknown.
 */
export function tablePointInTimeRecovery(table: IConstruct): boolean | undefined {
  const cfnTable = l1Of(table, dynamodb.CfnTable);
  if (cfnTable) {
    return enabled(Stack.of(cfnTable).resolve(cfnTable.pointInTimeRecoverySpecification));
  }
  const global = l1Of(table, dynamodb.CfnGlobalTable);
  if (global) {
    const stack = Stack.of(global);
    const replicas: any[] = stack.resolve(global.replicas) ?? [];
    const here = replicas.find((r) => r?.region === stack.resolve(stack.region))
      // An environment-agnostic stack's own replica is the one whose region is the stack's (a token).
      ?? replicas.find((r) => typeof r?.region !== 'string' || Token.isUnresolved(r.region));
    return here ? enabled(here.pointInTimeRecoverySpecification) : undefined;
  }
  return undefined;
}

function enabled(spec: any): boolean | undefined {
  if (spec === undefined) {
    return false;
  }
  const on = spec.pointInTimeRecoveryEnabled;
  if (on === undefined) {
    return false;
  }
  return typeof on === 'boolean' ? on : undefined;
}

/** The resource's own L1 of the given type, when it is defined in the app. */
function l1Of<T>(resource: IConstruct, type: new (...args: any[]) => T): T | undefined {
  const child = resource.node.defaultChild;
  if (child instanceof type) {
    return child;
  }
  return resource instanceof type ? resource : undefined;
}
