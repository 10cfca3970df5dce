import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { handlerNodeRuntime } from './node-runtime';

/**
 * The library's handlers, each pre-bundled by the `bundle` task from
 * `src/<name>.lambda.ts` into `assets/<name>.lambda/index.js` (see
 * .projenrc.ts), so a consumer's synth needs neither esbuild nor Docker.
 */
export const BUNDLED_HANDLERS = [
  'dr-alarms/global-cluster-role',
  'dr-backup-vault/drain-vault',
  'encrypted-aurora/remove-secret-replicas',
  'recovery-point-monitor/recovery-point-age',
  'region-health-check/probe',
  'region-switch-plan/failover-watch',
  'region-switch-plan/fence-writes',
  'region-switch-plan/plan-health-checks',
  'region-switch-plan/rehearsal',
  'region-switch-plan/verify-writer',
  'restore-drill/smoke-query',
  'restore-drill/validate-restore',
] as const;

export type BundledHandler = typeof BUNDLED_HANDLERS[number];

/** The folder that holds a handler's bundle (`index.js`). */
export function bundleDirectory(handler: BundledHandler): string {
  return path.join(__dirname, '..', '..', 'assets', `${handler}.lambda`);
}

/** The asset code of a handler's bundle. */
export function bundledCode(handler: BundledHandler): lambda.Code {
  return lambda.Code.fromAsset(bundleDirectory(handler));
}

export interface BundledFunctionProps extends lambda.FunctionOptions {
  /** Which of the library's handlers the function runs. */
  readonly bundle: BundledHandler;
}

/**
 * A function that runs one of the library's pre-bundled handlers, on the
 * runtime `handlerNodeRuntime` picks.
 */
export class BundledFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    const { bundle, ...options } = props;
    super(scope, id, {
      description: `src/${bundle}.lambda.ts`,
      ...options,
      runtime: handlerNodeRuntime(scope),
      handler: 'index.handler',
      code: bundledCode(bundle),
    });
    this.addEnvironment('AWS_NODEJS_CONNECTION_REUSE_ENABLED', '1', { removeInEdge: true });
  }
}
