import {
  BackupClient, DescribeBackupVaultCommand, ListBackupJobsCommand, ListCopyJobsCommand, ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand, ListRestoreJobsByProtectedResourceCommand, ListTagsCommand,
} from '@aws-sdk/client-backup';
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { DescribeContinuousBackupsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { run } from '../../src/cli/cdk-dr';

/**
 * A small AWS account for `cdk-dr status` tests: one stack (`Shop`) in
 * eu-west-1 whose resources answer with recovery points of a given age. Each
 * test builds one and changes what it needs.
 */

export const NOW = Date.parse('2026-06-01T12:00:00Z');
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const STACK_ARN = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Shop/0a1b2c3d-0000-0000-0000-000000000000`;

export const minutesAgo = (m: number) => new Date(NOW - m * 60_000);

export const cfn = mockClient(CloudFormationClient);
export const backup = mockClient(BackupClient);
export const rds = mockClient(RDSClient);
export const ddb = mockClient(DynamoDBClient);

/** Every stateful type the command reads, one each, plus a function it must skip. */
export const STACK_RESOURCES: StackResourceSummary[] = [
  { LogicalResourceId: 'Database', ResourceType: 'AWS::RDS::DBCluster', PhysicalResourceId: 'shop-db' },
  { LogicalResourceId: 'Legacy', ResourceType: 'AWS::RDS::DBInstance', PhysicalResourceId: 'shop-legacy' },
  { LogicalResourceId: 'Orders', ResourceType: 'AWS::DynamoDB::Table', PhysicalResourceId: 'shop-orders' },
  { LogicalResourceId: 'Carts', ResourceType: 'AWS::DynamoDB::GlobalTable', PhysicalResourceId: 'shop-carts' },
  { LogicalResourceId: 'Assets', ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: 'shop-assets' },
  { LogicalResourceId: 'Files', ResourceType: 'AWS::EFS::FileSystem', PhysicalResourceId: 'fs-0123456789abcdef0' },
  { LogicalResourceId: 'Disk', ResourceType: 'AWS::EC2::Volume', PhysicalResourceId: 'vol-0123456789abcdef0' },
  { LogicalResourceId: 'Api', ResourceType: 'AWS::Lambda::Function', PhysicalResourceId: 'shop-api' },
].map((r) => ({ ...r, ResourceStatus: 'CREATE_COMPLETE' as const, LastUpdatedTimestamp: minutesAgo(10_000) }));

export const ARNS: Record<string, string> = {
  Database: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:shop-db`,
  Legacy: `arn:aws:rds:${REGION}:${ACCOUNT}:db:shop-legacy`,
  Orders: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/shop-orders`,
  Carts: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/shop-carts`,
  Assets: 'arn:aws:s3:::shop-assets',
  Files: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
  Disk: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`,
};

export function awsError(name: string, message = name, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, $fault: 'client' });
}

/** A recovery point of a resource, `minutes` old. */
export function point(resourceArn: string, minutes: number, status = 'AVAILABLE', id = `p-${minutes}`) {
  return {
    RecoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:${id}`,
    CreationDate: minutesAgo(minutes),
    Status: status as any,
    BackupSizeBytes: 5 * 1024 ** 3,
    BackupVaultName: 'shop-vault',
    ResourceArn: resourceArn,
  };
}

/**
 * Resets the mocks to a healthy stack: every resource has a 30-minute-old
 * recovery point, Aurora and DynamoDB restore to 5 minutes ago, the last
 * backup and copy jobs completed, and no restore job ran.
 */
export interface WorldOptions {
  readonly outputs?: { OutputKey: string; OutputValue: string }[];
  readonly tags?: { Key: string; Value: string }[];
}

export function healthyWorld(options: WorldOptions = {}): void {
  for (const m of [cfn, backup, rds, ddb]) m.reset();
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [{ StackName: 'Shop', StackId: STACK_ARN, StackStatus: 'CREATE_COMPLETE', CreationTime: minutesAgo(20_000), Outputs: options.outputs, Tags: options.tags }],
  });
  cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: STACK_RESOURCES });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: 'shop-db', LatestRestorableTime: minutesAgo(5) }] });
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'shop-legacy', LatestRestorableTime: minutesAgo(5) }] });
  ddb.on(DescribeContinuousBackupsCommand).resolves({
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', LatestRestorableDateTime: minutesAgo(5) },
    },
  });
  backup.on(ListRecoveryPointsByResourceCommand).callsFake((input) => ({
    RecoveryPoints: [point(input.ResourceArn, 30), point(input.ResourceArn, 90)],
  }));
  backup.on(ListBackupJobsCommand).callsFake((input) => ({
    BackupJobs: [{ BackupJobId: 'b-new', State: 'COMPLETED', ResourceArn: input.ByResourceArn, CreationDate: minutesAgo(40), CompletionDate: minutesAgo(30) },
      { BackupJobId: 'b-old', State: 'FAILED', ResourceArn: input.ByResourceArn, CreationDate: minutesAgo(100) }],
  }));
  backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [{ CopyJobId: 'c-1', State: 'COMPLETED', CreationDate: minutesAgo(25) }] });
  backup.on(ListRestoreJobsByProtectedResourceCommand).resolves({ RestoreJobs: [] });
  backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: 'shop-vault', BackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:shop-vault` });
  backup.on(ListTagsCommand).resolves({ Tags: {} });
  backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [] });
}

export interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** What the progress writer got. */
  readonly progress: string;
  readonly json: () => any;
}

/** Runs `cdk-dr ...args` in-process with a fixed clock and retries without delay. */
export async function cdkDr(args: string[], options: { tty?: boolean } = {}): Promise<Ran> {
  let out = '';
  let err = '';
  let progress = '';
  const code = await run(args, {
    out: (t) => { out += `${t}\n`; },
    err: (t) => { err += `${t}\n`; },
    columns: 200,
    progress: options.tty ? (t) => { progress += t; } : undefined,
    status: { now: () => NOW, sleep: async () => undefined, backoff: { baseDelayMs: 1, maxDelayMs: 1 }, sdkMaxAttempts: 1 },
  });
  return { code, out, err, progress, json: () => JSON.parse(out) };
}

/** `status --stack Shop --region eu-west-1` plus `extra`. */
export const stackStatus = (extra: string[] = [], options: { tty?: boolean } = {}) =>
  cdkDr(['status', '--stack', 'Shop', '--region', REGION, ...extra], options);
