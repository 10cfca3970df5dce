import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { addDrWarning } from './warnings';

/** Constructs that have warned about DESTROY: their descendants do not warn again. */
const warnedAboutDestroy = new WeakSet<IConstruct>();

/**
 * True when the stack is meant to delete this construct's data. Emits an
 * acknowledgeable warning, so a DESTROY that was not meant stands out at
 * synth; once per composite: a construct inside one that already warned
 * (the platform warns for all its children) does not warn again.
 */
export function isDestroy(scope: IConstruct, removalPolicy: RemovalPolicy | undefined, what: string): boolean {
  if (removalPolicy !== RemovalPolicy.DESTROY) {
    return false;
  }
  if (!scope.node.scopes.some((s) => warnedAboutDestroy.has(s))) {
    warnedAboutDestroy.add(scope);
    addDrWarning(
      scope,
      'removalPolicyDestroy',
      `removalPolicy is DESTROY: ${what} will be deleted with the stack, with no way to recover it. Use this for test stacks only.`,
    );
  }
  return true;
}

/**
 * The removal policy for a resource CloudFormation cannot snapshot (tables,
 * buckets, keys, log groups): SNAPSHOT falls back to RETAIN, so data is kept.
 */
export function retainUnlessDestroy(removalPolicy: RemovalPolicy | undefined): RemovalPolicy {
  if (removalPolicy === RemovalPolicy.DESTROY || removalPolicy === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE) {
    return removalPolicy;
  }
  return RemovalPolicy.RETAIN;
}

export interface DrKeyOptions {
  readonly alias: string;
  readonly description: string;
  readonly destroy: boolean;
}

/**
 * A customer-managed key with rotation on. Kept by default; with DESTROY it is
 * scheduled for deletion after the shortest pending window AWS allows (7 days).
 */
export function createDrKey(scope: Construct, id: string, options: DrKeyOptions): kms.Key {
  return new kms.Key(scope, id, {
    alias: options.alias,
    description: options.description,
    enableKeyRotation: true,
    removalPolicy: options.destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    pendingWindow: options.destroy ? Duration.days(7) : undefined,
  });
}
