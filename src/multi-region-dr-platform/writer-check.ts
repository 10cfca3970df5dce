import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { functionNames } from '../names';
import { bundledCode } from '../private/bundled-function';
import { handlerNodeRuntime } from '../private/node-runtime';
import { RegionSwitchCustomStep } from '../region-switch-plan';
import { ProtectedResource } from '../stores/protected-resource';
import { VpcLambda } from '../vpc-lambda';

/** The plan's verify step: its name, and the name part of its function in each region. */
export const VERIFY_WRITER_STEP = 'verify-writer';

/** What one region's writer check is made from. */
export interface WriterCheckOptions {
  readonly suffix: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly database: ProtectedResource;
  readonly vpc: ec2.IVpc;
  readonly encryptionKey: kms.IKey;
}

/**
 * The function of the plan's verify step in one region,
 * `dr-verify-writer-{suffix}`: in the region's VPC, connected to its cluster
 * with the platform's credentials (src/region-switch-plan/verify-writer.lambda.ts).
 * The plan's step writes its marker to a temporary table; with a rehearsal,
 * the rehearsal's marker rows go to `dr_platform.rehearsal_markers`.
 */
export function createWriterCheck(scope: Construct, options: WriterCheckOptions): VpcLambda {
  const fn = new VpcLambda(scope, 'VerifyWriter', {
    name: VERIFY_WRITER_STEP,
    description: 'Region switch plan: proves that the region being activated takes writes, and times it',
    code: bundledCode('region-switch-plan/verify-writer'),
    handler: 'index.handler',
    runtime: handlerNodeRuntime(scope),
    timeout: Duration.minutes(1),
    // ARC runs one step at a time, and a rehearsal invokes it between steps,
    // never during one; one more for an operator's manual run.
    reservedConcurrentExecutions: 2,
    environmentSuffix: options.suffix,
    vpc: options.vpc,
    encryptionKey: options.encryptionKey,
    removalPolicy: options.removalPolicy,
  });
  fn.connectResource(options.database);
  return fn;
}

/**
 * The verify step: after the Aurora and DNS steps, the function of the
 * region being activated writes and reads a marker through that region's
 * cluster, which must now be the writer. It runs in ungraceful runs too (a
 * failover is when the proof matters most). The plan is in the secondary's
 * stack; the primary's function is named by its ARN, written out: no value
 * crosses regions.
 */
export function verifyWriterStep(
  planStack: Stack, secondary: VpcLambda, primary: { region: string; account: string; suffix: string },
): RegionSwitchCustomStep {
  const partition = RegionInfo.get(primary.region).partition ?? 'aws';
  const primaryArn = `arn:${partition}:lambda:${primary.region}:${primary.account}:function:${functionNames(VERIFY_WRITER_STEP, primary.suffix).function}`;
  const primaryFunction = lambda.Function.fromFunctionAttributes(planStack, 'VerifyWriterPrimary', { functionArn: primaryArn, sameEnvironment: false });
  return {
    name: VERIFY_WRITER_STEP,
    description: 'Writes and reads a marker through the cluster of the region being activated: it must now be the writer',
    primaryFunction,
    secondaryFunction: secondary.function,
    // The new writer may need a moment after the Aurora step: rerun each minute, for up to 10 minutes.
    retryInterval: Duration.minutes(1),
    timeout: Duration.minutes(10),
  };
}
