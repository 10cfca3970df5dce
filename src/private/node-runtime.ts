import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/**
 * The oldest Node.js major version the library's handler bundles are built
 * for: .projenrc.ts bundles them with esbuild's `node22` target, so they run
 * on this runtime and on every newer one.
 */
export const HANDLER_NODE_MAJOR_FLOOR = 22;

/** The context key that pins the runtime of the library's own functions. */
export const NODE_RUNTIME_CONTEXT = 'cdk-dr-platform:nodejsRuntime';

const NODE_RUNTIME_NAME = /^nodejs(\d+)\.x$/;

/** The major version of a `nodejsNN.x` runtime name, or undefined for any other name. */
export function nodeMajor(name: string): number | undefined {
  const match = NODE_RUNTIME_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * The Node.js runtimes the aws-cdk-lib in use declares as `lambda.Runtime`
 * constants, oldest first. `NODEJS_LATEST` is left out: it is a moving alias
 * that lags the newest constant. Runtimes that other code creates with
 * `new lambda.Runtime(...)` are left out too, so the choice does not depend
 * on what else the app constructed first.
 */
export function declaredNodeRuntimes(): lambda.Runtime[] {
  return Object.values(lambda.Runtime)
    .filter((value): value is lambda.Runtime => value instanceof lambda.Runtime)
    .filter((runtime) => runtime.family === lambda.RuntimeFamily.NODEJS && !runtime.isVariable && nodeMajor(runtime.name) !== undefined)
    .sort((a, b) => nodeMajor(a.name)! - nodeMajor(b.name)!);
}

/**
 * Picks the runtime of the library's own functions from `runtimes` (in any
 * order): the one pinned by `pinned` (the context value) when given,
 * otherwise the newest.
 * Only runtimes the handler bundles run on (Node.js 22 or newer) qualify.
 */
export function pickNodeRuntime(scope: IConstruct, runtimes: lambda.Runtime[], pinned: unknown): lambda.Runtime {
  const usable = runtimes
    .filter((runtime) => (nodeMajor(runtime.name) ?? 0) >= HANDLER_NODE_MAJOR_FLOOR)
    .sort((a, b) => nodeMajor(a.name)! - nodeMajor(b.name)!);
  const allowed = usable.map((runtime) => runtime.name).join(', ');
  if (pinned !== undefined) {
    const match = typeof pinned === 'string' ? usable.find((runtime) => runtime.name === pinned) : undefined;
    if (!match) {
      throw new DrValidationError(scope, `context \`${NODE_RUNTIME_CONTEXT}\` must name a Node.js runtime of Node.js ${HANDLER_NODE_MAJOR_FLOOR} or newer `
        + `that this aws-cdk-lib declares (${allowed || 'none'}), got: ${quote(pinned)}`);
    }
    return match;
  }
  const newest = usable[usable.length - 1];
  if (!newest) {
    throw new DrValidationError(scope, `this aws-cdk-lib declares no Node.js Lambda runtime of Node.js ${HANDLER_NODE_MAJOR_FLOOR} or newer `
      + `(it declares: ${runtimes.map((runtime) => runtime.name).join(', ') || 'none'}); upgrade aws-cdk-lib`);
  }
  return newest;
}

/**
 * The runtime of the library's own functions in `scope`: the newest Node.js
 * runtime the app's aws-cdk-lib declares (the same rule cdk-nag's
 * AwsSolutions-L1 checks), unless the app pins one with the
 * `cdk-dr-platform:nodejsRuntime` context key.
 */
export function handlerNodeRuntime(scope: IConstruct): lambda.Runtime {
  return pickNodeRuntime(scope, declaredNodeRuntimes(), scope.node.tryGetContext(NODE_RUNTIME_CONTEXT));
}
