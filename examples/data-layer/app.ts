// The data layer of cdk-dr-platform built from its parts: an Aurora
// PostgreSQL cluster, a DynamoDB table and an S3 bucket, each encrypted and
// point-in-time recoverable, in a VPC with no NAT, under hourly AWS Backup
// and DR alarms.
//
//   npx cdk synth --app "npx ts-node --project tsconfig.dev.json examples/data-layer/app.ts"
//
// Environment: ENVIRONMENT_SUFFIX (or context `environmentSuffix`), default `dev`.
import { App, ArnFormat, Aws, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DrAlarms, EncryptedAurora, HourlyBackup, PitrTable, ProtectedResource, VersionedBucket } from '../../src';

export interface DataLayerStackProps extends StackProps {
  readonly environmentSuffix: string;
  readonly removalPolicy?: RemovalPolicy;
}

export class DataLayerStack extends Stack {
  public readonly database: EncryptedAurora;
  public readonly table: PitrTable;
  public readonly bucket: VersionedBucket;
  public readonly backup: HourlyBackup;
  public readonly alarms: DrAlarms;

  constructor(scope: Construct, id: string, props: DataLayerStackProps) {
    super(scope, id, props);

    // Isolated subnets only: nothing here reaches or is reached from the internet.
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 3,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    const flowLogKey = new kms.Key(this, 'FlowLogKey', { enableKeyRotation: true, removalPolicy: props.removalPolicy });
    // CloudWatch Logs uses the key for this account's log groups only: the
    // condition AWS documents for a log group key ("ArnLike
    // kms:EncryptionContext:aws:logs:arn"), at
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html.
    // (The group's own ARN would be a cycle: the group names the key.)
    flowLogKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
    }));
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: flowLogKey,
      removalPolicy: props.removalPolicy,
    });
    const flowLog = vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup) });
    Validations.of(flowLog).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({
      id: `${pack}-IAMNoInlinePolicy`,
      reason: 'aws-cdk-lib writes the flow-log role\'s one policy inline: it only allows writing this log group and has no other user to share it with.',
    })));
    Validations.of(vpc).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({
      id: `${pack}-VPCDefaultSecurityGroupClosed`,
      reason: 'Nothing in this stack uses the default security group: every construct creates its own.',
    })));

    this.database = new EncryptedAurora(this, 'Database', {
      environmentSuffix: props.environmentSuffix,
      vpc,
      removalPolicy: props.removalPolicy,
    });
    this.table = new PitrTable(this, 'Transactions', {
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      timeToLiveAttribute: 'expiresAt',
    });
    this.bucket = new VersionedBucket(this, 'Receipts', {
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      noncurrentVersionExpiration: Duration.days(30),
    });

    // Hourly AWS Backup of all three, checked against a 1 hour RPO at synth.
    this.backup = new HourlyBackup(this, 'Backup', {
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      resources: [
        ProtectedResource.fromEncryptedAurora(this.database),
        ProtectedResource.fromPitrTable(this.table),
        ProtectedResource.fromVersionedBucket(this.bucket),
      ],
    });
    this.alarms = new DrAlarms(this, 'Alarms', {
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      alarmTopic: this.backup.alarmTopic,
      backup: this.backup,
      database: this.database.cluster,
      table: this.table.table,
    });
  }
}

/** Adds the example stack to an app, reading the suffix from context or the environment. */
export function addDataLayer(app: App): DataLayerStack {
  const environmentSuffix = app.node.tryGetContext('environmentSuffix') ?? process.env.ENVIRONMENT_SUFFIX ?? 'dev';
  return new DataLayerStack(app, `DrDataLayer-${environmentSuffix}`, {
    environmentSuffix,
    removalPolicy: app.node.tryGetContext('destroy') === 'true' ? RemovalPolicy.DESTROY : undefined,
  });
}

if (require.main === module) {
  const app = new App();
  addDataLayer(app);
  app.synth();
}
