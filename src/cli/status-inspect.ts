import {
  BackupJob,
  CopyJob,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByResourceCommand,
  ListRestoreJobsByProtectedResourceCommand,
  RecoveryPointByResource,
  RestoreJobsListMember,
} from '@aws-sdk/client-backup';
import { DescribeContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { short } from './format';
import { allPages, Caller, StatusClients } from './status-aws';
import {
  DrillSummary, FAILED_BACKUP_JOB_STATES, FAILED_COPY_JOB_STATES, JobSummary, RECOVERY_POINTS_CALL, RecoveryPointSummary, ResourceStatus,
  RESTORABLE_TIME_CALL, RpoVerdict, StatusTarget,
} from './status-model';
import { describeError } from '../private/aws-calls';
import { isUsableRecoveryPoint } from '../recovery-point-monitor/recovery-point-age.lambda';

/** One resource's live recovery status: its newest recovery point, restorable time, last jobs and last drill. */

export interface InspectContext {
  readonly clients: StatusClients;
  readonly call: Caller;
  /** Epoch milliseconds. */
  readonly now: number;
  readonly targetSeconds?: number;
}

interface Restorable {
  readonly time?: Date;
  readonly notes: string[];
  /** An RDS instance inside an Aurora cluster: the cluster's row covers it. */
  readonly clusterMember?: string;
}

/** Never throws: a call that fails is written in the row's `errors`, and the other calls still report. */
export async function inspect(target: StatusTarget, ctx: InspectContext): Promise<ResourceStatus> {
  const errors: string[] = [];
  const notes: string[] = [];
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      errors.push(`${what}: ${describeError(error)}`);
      return undefined;
    }
  };
  const restorableCall = attempt(RESTORABLE_TIME_CALL, () => restorableTime(target, ctx));
  // An instance of an Aurora cluster is backed up through its cluster: asking
  // AWS Backup about it would spend calls on what the cluster's row shows.
  const member = target.kind === 'RDS' ? (await restorableCall)?.clusterMember : undefined;
  if (member) {
    notes.push(`instance of Aurora cluster ${member}: AWS Backup and point-in-time recovery work on the cluster (its own row)`);
    return { name: target.name, kind: target.kind, arn: target.arn, rpo: 'NOT_APPLICABLE', problems: [], errors, notes };
  }
  const [restorable, points, backupJob, copyJob, drill] = await Promise.all([
    restorableCall,
    attempt(RECOVERY_POINTS_CALL, () => recoveryPoints(target, ctx)),
    attempt('backup:ListBackupJobs', () => newestJob<BackupJob>(ctx, async (token) => {
      const o = await ctx.clients.backup.send(new ListBackupJobsCommand({ ByResourceArn: target.arn, MaxResults: 1000, NextToken: token }));
      return { items: o.BackupJobs, next: o.NextToken };
    })),
    attempt('backup:ListCopyJobs', () => newestJob<CopyJob>(ctx, async (token) => {
      const o = await ctx.clients.backup.send(new ListCopyJobsCommand({ ByResourceArn: target.arn, MaxResults: 1000, NextToken: token }));
      return { items: o.CopyJobs, next: o.NextToken };
    })),
    attempt('backup:ListRestoreJobsByProtectedResource', () => newestJob<RestoreJobsListMember>(ctx, async (token) => {
      const o = await ctx.clients.backup.send(new ListRestoreJobsByProtectedResourceCommand({
        ResourceArn: target.arn, MaxResults: 1000, NextToken: token,
      }));
      return { items: o.RestoreJobs, next: o.NextToken };
    })),
  ]);
  notes.push(...restorable?.notes ?? []);

  const age = (time: Date | undefined, what: string): number | undefined => {
    if (!time) return undefined;
    const seconds = Math.round((ctx.now - time.getTime()) / 1000);
    if (seconds < 0) {
      notes.push(`${what} is ${-seconds} s ahead of this machine's clock; counted as 0`);
      return 0;
    }
    return seconds;
  };
  const newest = points?.newest;
  const recoveryPointAgeSeconds = age(newest?.CreationDate, 'the newest recovery point');
  const restorableTimeAgeSeconds = age(restorable?.time, 'the latest restorable time');
  if (points?.newerUnusable) {
    notes.push(`a newer recovery point (${points.newerUnusable.CreationDate?.toISOString()}) is ${points.newerUnusable.Status}, not usable`);
  }
  const ages = [recoveryPointAgeSeconds, restorableTimeAgeSeconds].filter((a): a is number => a !== undefined);
  const effectiveRpoSeconds = ages.length ? Math.min(...ages) : undefined;

  const problems: string[] = [];
  // With a call failed, the age read is only an upper bound: it proves a
  // target met, never breached. No verdict is made up.
  const partial = points === undefined || restorable === undefined;
  let rpo: RpoVerdict;
  if (effectiveRpoSeconds === undefined) {
    rpo = partial ? 'UNKNOWN' : ctx.targetSeconds === undefined ? 'NO_TARGET' : 'BREACHED';
    if (!partial) {
      (rpo === 'BREACHED' ? problems : notes).push('nothing to restore from: no usable recovery point and no restorable time');
    }
  } else if (ctx.targetSeconds === undefined) {
    rpo = 'NO_TARGET';
  } else if (effectiveRpoSeconds <= ctx.targetSeconds) {
    rpo = 'MET';
  } else if (partial) {
    rpo = 'UNKNOWN';
  } else {
    rpo = 'BREACHED';
    problems.push(`effective RPO ${short(effectiveRpoSeconds)} exceeds the target ${short(ctx.targetSeconds)}`);
  }
  const lastBackupJob = backupJob && jobSummary(backupJob.BackupJobId, backupJob.State, backupJob);
  const lastCopyJob = copyJob && jobSummary(copyJob.CopyJobId, copyJob.State, copyJob);
  if (lastBackupJob && FAILED_BACKUP_JOB_STATES.has(lastBackupJob.state)) {
    problems.push(`last backup job ${lastBackupJob.state}${lastBackupJob.message ? `: ${lastBackupJob.message}` : ''}`);
  }
  if (lastCopyJob && FAILED_COPY_JOB_STATES.has(lastCopyJob.state)) {
    problems.push(`last copy job ${lastCopyJob.state}${lastCopyJob.message ? `: ${lastCopyJob.message}` : ''}`);
  }
  return {
    name: target.name,
    kind: target.kind,
    arn: target.arn,
    newestRecoveryPoint: newest && pointSummary(newest),
    recoveryPointAgeSeconds,
    latestRestorableTime: restorable?.time?.toISOString(),
    restorableTimeAgeSeconds,
    effectiveRpoSeconds,
    rpo,
    lastBackupJob,
    lastCopyJob,
    lastDrill: drill && drillSummary(drill),
    problems,
    errors,
    notes,
  };
}

/**
 * The resource's own point-in-time recovery, where its service reports a
 * latest restorable time: RDS (DescribeDBClusters, DescribeDBInstances
 * LatestRestorableTime) and DynamoDB (DescribeContinuousBackups
 * LatestRestorableDateTime). AWS Backup reports none for continuous recovery
 * points (S3's among them), so S3, EFS and EBS rest on their recovery points.
 */
async function restorableTime(target: StatusTarget, ctx: InspectContext): Promise<Restorable> {
  const { clients, call } = ctx;
  const gone = (what: string) => ({ notes: [`the ${what} no longer exists in this region`] });
  switch (target.kind) {
    case 'Aurora':
      try {
        const out = await call(() => clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: target.identifier })));
        return { time: out.DBClusters?.[0]?.LatestRestorableTime, notes: [] };
      } catch (error) {
        if ((error as Error).name === 'DBClusterNotFoundFault') return gone('cluster');
        throw error;
      }
    case 'RDS':
      try {
        const out = await call(() => clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: target.identifier })));
        const instance = out.DBInstances?.[0];
        return { time: instance?.LatestRestorableTime, notes: [], clusterMember: instance?.DBClusterIdentifier };
      } catch (error) {
        if ((error as Error).name === 'DBInstanceNotFoundFault') return gone('instance');
        throw error;
      }
    case 'DynamoDB':
      try {
        const out = await call(() => clients.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: target.identifier })));
        const pitr = out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
        return pitr?.PointInTimeRecoveryStatus === 'ENABLED'
          ? { time: pitr.LatestRestorableDateTime, notes: [] }
          : { notes: [`point-in-time recovery is ${pitr?.PointInTimeRecoveryStatus ?? 'not reported'}`] };
      } catch (error) {
        if ((error as Error).name === 'TableNotFoundException') return gone('table');
        throw error;
      }
    default:
      return { notes: [] };
  }
}

/** Every page of the resource's recovery points, counted by the RecoveryPointMonitor's rule (isUsableRecoveryPoint). */
async function recoveryPoints(target: StatusTarget, ctx: InspectContext) {
  const all = await allPages(async (token) => {
    // As the monitor asks: only AWS Backup's own points, 100 a page (RDS needs at least 20).
    const out = await ctx.call(() => ctx.clients.backup.send(new ListRecoveryPointsByResourceCommand({
      ResourceArn: target.arn, MaxResults: 100, NextToken: token, ManagedByAWSBackupOnly: true,
    })));
    return { items: out.RecoveryPoints, next: out.NextToken };
  });
  const newestOf = (points: RecoveryPointByResource[]) => points.filter((p) => p.CreationDate)
    .reduce<RecoveryPointByResource | undefined>((best, p) => (!best || p.CreationDate! > best.CreationDate! ? p : best), undefined);
  const newest = newestOf(all.filter(isUsableRecoveryPoint));
  const newestAny = newestOf(all);
  const newerUnusable = newestAny && newestAny !== newest && (!newest || newestAny.CreationDate! > newest.CreationDate!) ? newestAny : undefined;
  return { newest, newerUnusable };
}

/** The newest job of every page, by creation time. */
async function newestJob<T extends { CreationDate?: Date }>(ctx: InspectContext,
  page: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>): Promise<T | undefined> {
  const jobs = await allPages((token) => ctx.call(() => page(token)));
  return jobs.filter((j) => j.CreationDate).reduce<T | undefined>((best, j) => (!best || j.CreationDate! > best.CreationDate! ? j : best), undefined);
}

function jobSummary(id: string | undefined, state: string | undefined,
  job: { CreationDate?: Date; CompletionDate?: Date; StatusMessage?: string }): JobSummary {
  return {
    id: id ?? '?',
    state: state ?? 'UNKNOWN',
    createdAt: job.CreationDate!.toISOString(),
    completedAt: job.CompletionDate?.toISOString(),
    message: job.StatusMessage || undefined,
  };
}

function drillSummary(job: RestoreJobsListMember): DrillSummary {
  const done = job.Status === 'COMPLETED' && job.CompletionDate && job.CreationDate;
  return {
    ...jobSummary(job.RestoreJobId, job.Status, job),
    validationStatus: job.ValidationStatus,
    measuredRtoSeconds: done ? Math.max(0, Math.round((job.CompletionDate!.getTime() - job.CreationDate!.getTime()) / 1000)) : undefined,
  };
}

function pointSummary(p: RecoveryPointByResource): RecoveryPointSummary {
  return {
    arn: p.RecoveryPointArn ?? '?',
    createdAt: p.CreationDate!.toISOString(),
    status: p.Status ?? 'UNKNOWN',
    sizeBytes: p.BackupSizeBytes,
    vault: p.BackupVaultName,
  };
}
