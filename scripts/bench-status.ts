// Times `cdk-dr status` on a stack of 500 protected resources against
// mocked AWS APIs that each answer after 50 to 150 ms (a fixed pseudo-random
// sequence, so runs compare), at --concurrency 1, 8 and 16, and counts the
// API calls. Run with `npx projen bench:status`; it prints a Markdown table
// for docs/cli.md. The wall times are recorded there, never asserted.
import * as os from 'os';
import {
  BackupClient, ListBackupJobsCommand, ListCopyJobsCommand, ListRecoveryPointsByResourceCommand, ListRestoreJobsByProtectedResourceCommand,
} from '@aws-sdk/client-backup';
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeContinuousBackupsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { run } from '../src/cli/cdk-dr';

const RESOURCES = 500;
/** ListStackResources's page size is AWS's to choose; 100 a page is assumed here. */
const STACK_PAGE = 100;
const CONCURRENCIES = [1, 8, 16];
const now = Date.now();

// A linear congruential sequence: the same delays every run.
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
let calls = 0;
const answer = async <T>(value: T): Promise<T> => {
  calls++;
  await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(random() * 101)));
  return value;
};

const TYPES = ['AWS::RDS::DBCluster', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::EFS::FileSystem', 'AWS::EC2::Volume'];
const summaries = Array.from({ length: RESOURCES }, (_, i) => ({
  LogicalResourceId: `Store${i}`,
  ResourceType: TYPES[i % TYPES.length],
  PhysicalResourceId: TYPES[i % TYPES.length] === 'AWS::EFS::FileSystem' ? `fs-${i}` : TYPES[i % TYPES.length] === 'AWS::EC2::Volume' ? `vol-${i}` : `store-${i}`,
  ResourceStatus: 'CREATE_COMPLETE' as const,
  LastUpdatedTimestamp: new Date(now),
}));
const ago = (minutes: number) => new Date(now - minutes * 60_000);

const cfn = mockClient(CloudFormationClient);
const backup = mockClient(BackupClient);
const rds = mockClient(RDSClient);
const ddb = mockClient(DynamoDBClient);
cfn.on(DescribeStacksCommand).callsFake(() => answer({
  Stacks: [{ StackName: 'Bench', StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Bench/1', StackStatus: 'CREATE_COMPLETE', CreationTime: ago(1e4) }],
}));
cfn.on(ListStackResourcesCommand).callsFake((input) => {
  const from = Number(input.NextToken ?? 0);
  const next = from + STACK_PAGE < RESOURCES ? String(from + STACK_PAGE) : undefined;
  return answer({ StackResourceSummaries: summaries.slice(from, from + STACK_PAGE), NextToken: next });
});
rds.on(DescribeDBClustersCommand).callsFake(() => answer({ DBClusters: [{ LatestRestorableTime: ago(5) }] }));
ddb.on(DescribeContinuousBackupsCommand).callsFake(() => answer({
  ContinuousBackupsDescription: {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', LatestRestorableDateTime: ago(5) },
  },
}));
backup.on(ListRecoveryPointsByResourceCommand).callsFake(() => answer({
  RecoveryPoints: [{ RecoveryPointArn: 'arn:aws:backup:eu-west-1:123456789012:recovery-point:p', CreationDate: ago(30), Status: 'COMPLETED' as const, BackupSizeBytes: 1e9 }],
}));
backup.on(ListBackupJobsCommand).callsFake(() => answer({ BackupJobs: [{ BackupJobId: 'b', State: 'COMPLETED' as const, CreationDate: ago(40) }] }));
backup.on(ListCopyJobsCommand).callsFake(() => answer({ CopyJobs: [{ CopyJobId: 'c', State: 'COMPLETED' as const, CreationDate: ago(30) }] }));
backup.on(ListRestoreJobsByProtectedResourceCommand).callsFake(() => answer({ RestoreJobs: [] }));

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const concurrency of CONCURRENCIES) {
    calls = 0;
    seed = 42;
    let out = '';
    const started = process.hrtime.bigint();
    const code = await run(['status', '--stack', 'Bench', '--region', 'eu-west-1', '--rpo', '1h', '--json', '--concurrency', String(concurrency)], {
      out: (t) => { out += t; },
      err: (t) => process.stderr.write(`${t}\n`),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const report = JSON.parse(out);
    if (code !== 0 || report.resources.length !== RESOURCES) {
      throw new Error(`unexpected result at --concurrency ${concurrency}: exit ${code}, ${report.resources.length} resources`);
    }
    rows.push(`| ${concurrency} | ${seconds.toFixed(1)} s | ${calls} | ${(calls / seconds).toFixed(1)} |`);
    process.stderr.write(`--concurrency ${concurrency}: ${seconds.toFixed(1)} s, ${calls} calls\n`);
  }
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(`Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, Node.js ${process.version}, `
    + `${RESOURCES} resources (${TYPES.map((t) => t.replace(/^AWS::/, '')).join(', ')} in turn), every call answering after 50 to 150 ms:\n`);
  console.log('| `--concurrency` | Wall time | API calls | Calls per second |');
  console.log('|---:|---:|---:|---:|');
  rows.forEach((r) => console.log(r));
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
