import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DrValidationError, quote } from '../private/validation';

/*
 * What VpcLambda checks in its runtime, code and environment. Not exported
 * from the folder's barrel: internal to VpcLambda.
 */

/** Node.js 20 or newer, Python 3.11 or newer; zip code, not a container image. */
export function validateRuntime(scope: Construct, runtime: lambda.Runtime, code: lambda.Code): void {
  const image = code instanceof lambda.EcrImageCode || code instanceof lambda.AssetImageCode;
  if (image || runtime.name === lambda.Runtime.FROM_IMAGE.name) {
    throw new DrValidationError(scope,
      '`code` must be a .zip package (Code.fromAsset, Code.fromBucket, ...) with a Node.js 20+ or Python 3.11+ `runtime`: '
      + `container images are not supported, got: ${image ? code.constructor.name : 'Runtime.FROM_IMAGE'}`);
  }
  const node = /^nodejs(\d+)\.x$/.exec(runtime.name);
  const python = /^python3\.(\d+)$/.exec(runtime.name);
  const ok = (node && Number(node[1]) >= 20) || (python && Number(python[1]) >= 11);
  if (!ok) {
    throw new DrValidationError(scope,
      `\`runtime\` must be Node.js 20 or newer (nodejs20.x, nodejs22.x, ...) or Python 3.11 or newer (python3.11, ...); older and deprecated runtimes are refused, got: ${quote(runtime.name)}`);
  }
}

/** Variables Lambda sets itself and refuses in a function's configuration. */
const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

export function validateEnvironmentKey(scope: Construct, key: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key) || RESERVED_VARIABLES.has(key)) {
    throw new DrValidationError(scope,
      `\`environment\` keys must be letters, digits and underscores starting with a letter, and not a variable Lambda reserves (${[...RESERVED_VARIABLES].slice(0, 4).join(', ')}, ...), got: ${quote(key)}`);
  }
}

export function validateVariable(scope: Construct, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.startsWith('AWS_')) {
    throw new DrValidationError(scope, `\`environmentVariable\` must be a variable name not starting with AWS_, got: ${quote(name)}`);
  }
  return name;
}
