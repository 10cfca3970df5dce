import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { ARN } from '../private/arn';
import { deployRegionRule } from '../private/regions';
import { DrValidationError, quote } from '../private/validation';

/**
 * The services whose resources AWS Backup protects when selected by ARN,
 * with the resource part each accepts. Anything else (Lambda, SQS, IAM...)
 * is refused rather than put in a selection that backs up nothing.
 */
const SUPPORTED: Record<string, RegExp> = {
  'rds': /^(cluster|db):/,
  'dynamodb': /^table\//,
  's3': /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  'elasticfilesystem': /^file-system\//,
  'ec2': /^(instance|volume)\//,
  'fsx': /^(file-system|volume)\//,
  'storagegateway': /^gateway\/[^/]+\/volume\//,
  'redshift': /^cluster:/,
  'timestream': /^database\/[^/]+\/table\//,
  'cloudformation': /^stack\//,
  'ssm-sap': /^HANA\//,
  'backup-gateway': /^vm\//,
};

/**
 * Checks an ARN given to `ProtectedResource.fromArn`: well formed, of a
 * service AWS Backup protects, and in the stack's partition and region
 * (an ARN elsewhere belongs in a plan of that region). Tokens are skipped.
 */
export function validateProtectedArn(scope: IConstruct, arn: string, name: string): void {
  if (Token.isUnresolved(arn)) {
    return;
  }
  const what = `\`ProtectedResource.fromArn\` (${quote(name)})`;
  const match = ARN.exec(arn);
  if (!match) {
    throw new DrValidationError(scope, `${what} needs an ARN of the form arn:partition:service:region:account:resource, got: ${quote(arn)}`);
  }
  const [, partition, service, region, account, resource] = match;
  const pattern = SUPPORTED[service];
  if (!pattern) {
    throw new DrValidationError(scope,
      `${what} must name a resource AWS Backup protects (${Object.keys(SUPPORTED).join(', ')}); ${service} is not one, got: ${quote(arn)}`
      + (service === 'lambda' ? '. Use ProtectedResource.fromFunction to list a function as restored by redeploy' : ''));
  }
  if (!pattern.test(resource)) {
    throw new DrValidationError(scope, `${what} names no ${service} resource AWS Backup protects (the resource part must match ${pattern}), got: ${quote(arn)}`);
  }
  // S3 ARNs carry neither region nor account; every other supported one carries both.
  if (service !== 's3' && (!region || !account)) {
    throw new DrValidationError(scope, `${what} must carry the region and account of the ${service} resource, got: ${quote(arn)}`);
  }
  if (region && !RegionInfo.regions.some((r) => r.name === region)) {
    throw new DrValidationError(scope, `${what} names region ${quote(region)}, which is not an AWS region code such as "us-west-2", got: ${quote(arn)}`);
  }
  const stack = Stack.of(scope);
  // The stack's partition is a token even when its region is known: derive it from the region.
  const stackPartition = !Token.isUnresolved(stack.partition) ? stack.partition
    : !Token.isUnresolved(stack.region) ? RegionInfo.get(stack.region).partition : undefined;
  if (stackPartition && partition !== stackPartition) {
    throw new DrValidationError(scope, `${what} is in partition ${partition}, but this plan is in ${stackPartition}: AWS Backup protects resources of its own partition, got: ${quote(arn)}`);
  }
  // In an environment-agnostic stack the one deploy rule refuses another region.
  if (region) {
    deployRegionRule(scope, `ProtectedResource.fromArn(${name})`, region, 'same',
      `ProtectedResource.fromArn (${name}, ${scope.node.path}) is in ${region}: a backup plan protects resources of its own region. Deploy this stack to ${region}.`);
  }
  if (region && !Token.isUnresolved(stack.region) && region !== stack.region) {
    throw new DrValidationError(scope,
      `${what} is in region ${region}, but this plan is in ${stack.region}: a backup plan protects resources of its own region; back it up in a stack of ${region}, got: ${quote(arn)}`);
  }
}
