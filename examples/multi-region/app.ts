// The multi-region reference deployment: the reference transaction workload
// of examples/reference, deployed identically in a primary and a secondary
// region by MultiRegionDrPlatform. In the primary region the handler records
// each transaction in the Aurora global database's writer, DynamoDB and S3;
// in the secondary region the same handler serves reads from the local
// secondary cluster, the table replica and the replica bucket, and writes
// once that cluster is promoted (see docs/failover.md). No cross-region
// network path is needed for either.
//
//   npx projen bundle:reference      # builds examples/reference/dist/transaction
//   npx cdk deploy --all --app "npx ts-node --project tsconfig.dev.json examples/multi-region/app.ts" \
//     -c environmentSuffix=dev -c account=111111111111
//
// Context (or environment): environmentSuffix (ENVIRONMENT_SUFFIX), default
// `dev`; account (CDK_DEFAULT_ACCOUNT), the one account of both regions;
// primaryRegion and secondaryRegion (PRIMARY_REGION, SECONDARY_REGION),
// default us-east-1 and us-west-2; destroy=true for test stacks that delete
// with no manual step; alarmEmail (ALARM_EMAIL). `cdk deploy --all` deploys
// the stacks in their dependency order: secondary foundation, primary,
// secondary.
import * as path from 'path';
import { App, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HandlerRuntime, MultiRegionDrPlatform, MultiRegionFunction } from '../../src';

export interface MultiRegionReferenceProps {
  readonly environmentSuffix: string;
  readonly account: string;
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly alarmEmails?: string[];
}

/** The multi-region platform and the reference workload in both regions. */
export interface MultiRegionReference {
  readonly platform: MultiRegionDrPlatform;
  readonly transactions: MultiRegionFunction;
}

/**
 * The platform, placed in the app with the id `DrMultiRegion`: its stacks
 * are `DrMultiRegion-{suffix}-secondary-foundation`, `-primary` and `-secondary`.
 */
export function multiRegionReference(scope: Construct, props: MultiRegionReferenceProps): MultiRegionReference {
  const platform = new MultiRegionDrPlatform(scope, 'DrMultiRegion', {
    environmentSuffix: props.environmentSuffix,
    primary: { account: props.account, region: props.primaryRegion },
    secondary: { account: props.account, region: props.secondaryRegion },
    removalPolicy: props.removalPolicy,
    alarmEmails: props.alarmEmails,
    // The handler keys metadata items by transaction id in `pk`.
    table: { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } },
    // AWS advises a Serverless v2 minimum of 8 ACUs in a global database's
    // primary, so the secondary keeps up with its writes.
    database: { serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 16 },
  });
  const transactions = platform.addFunction('Transactions', {
    description: 'Records transactions in Aurora, DynamoDB and S3, idempotently',
    code: lambda.Code.fromAsset(path.join(__dirname, '..', 'reference', 'dist', 'transaction')),
    handler: 'index.handler',
    // The newest Node.js runtime this aws-cdk-lib declares, as the library's own functions use.
    runtime: HandlerRuntime.newestNodejs(scope),
  });
  return { platform, transactions };
}

/** Adds the multi-region reference to an app, reading its settings from context or the environment. */
export function addMultiRegionReference(app: App): MultiRegionReference {
  const setting = (key: string, env: string, fallback?: string): string | undefined =>
    app.node.tryGetContext(key) ?? process.env[env] ?? fallback;
  const environmentSuffix = setting('environmentSuffix', 'ENVIRONMENT_SUFFIX', 'dev')!;
  const destroy = String(setting('destroy', 'DESTROY', 'false')) === 'true';
  const email = setting('alarmEmail', 'ALARM_EMAIL');
  return multiRegionReference(app, {
    environmentSuffix,
    // Both regions' stacks are synthesized for a concrete environment; the
    // placeholder account lets the app synthesize without credentials.
    account: setting('account', 'CDK_DEFAULT_ACCOUNT', '111111111111')!,
    primaryRegion: setting('primaryRegion', 'PRIMARY_REGION', 'us-east-1')!,
    secondaryRegion: setting('secondaryRegion', 'SECONDARY_REGION', 'us-west-2')!,
    removalPolicy: destroy ? RemovalPolicy.DESTROY : undefined,
    alarmEmails: email ? [email] : undefined,
  });
}

if (require.main === module) {
  const app = new App();
  addMultiRegionReference(app);
  app.synth();
}
