import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { HANDLER_NODE_MAJOR_FLOOR, NODE_RUNTIME_CONTEXT, handlerNodeRuntime } from '../private/node-runtime';

/**
 * The Node.js runtime of the library's own functions (the vault drain, the
 * recovery-point monitor, the restore drill's validator and smoke query, the
 * region health probe).
 *
 * They run on the newest Node.js runtime that the app's aws-cdk-lib declares,
 * the same rule cdk-nag's AwsSolutions-L1 applies, so a newer aws-cdk-lib
 * moves them forward with no change to the library. Their bundles are built
 * for Node.js 22, so they run on any runtime from Node.js 22 on.
 *
 * Where the newest runtime is not offered yet (Lambda launches a runtime in
 * some partitions later than in others), pin one with the context key
 * `cdk-dr-platform:nodejsRuntime`, for example `"nodejs24.x"` in `cdk.json`.
 *
 * @example
 * declare const app: App;
 * declare const stack: Stack;
 * // Your own functions can follow the same rule:
 * const runtime = HandlerRuntime.newestNodejs(stack);
 * // Or pin the library's functions for the whole app:
 * app.node.setContext(HandlerRuntime.CONTEXT_KEY, 'nodejs24.x');
 */
export class HandlerRuntime {
  /** The context key that pins the runtime of the library's functions, for example to `nodejs24.x`. */
  public static readonly CONTEXT_KEY: string = NODE_RUNTIME_CONTEXT;

  /** The oldest Node.js major version the library's handler bundles run on. */
  public static readonly MINIMUM_NODEJS_MAJOR: number = HANDLER_NODE_MAJOR_FLOOR;

  /**
   * The runtime the library's functions get in `scope`: the runtime pinned by
   * the `cdk-dr-platform:nodejsRuntime` context key, or else the newest
   * Node.js runtime the app's aws-cdk-lib declares.
   *
   * @throws if the pinned value is not a Node.js 22 or newer runtime that aws-cdk-lib declares
   */
  public static newestNodejs(scope: IConstruct): lambda.Runtime {
    return handlerNodeRuntime(scope);
  }

  private constructor() {}
}
