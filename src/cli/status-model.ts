import { Duration } from 'aws-cdk-lib';

/** What `cdk-dr status` reports (docs/cli.md, "status"). */

/**
 * A resource AWS Backup can protect, named the way AWS Backup names its type
 * (the `ResourceType` of recovery points and jobs).
 */
export type StatusKind = 'Aurora' | 'RDS' | 'DynamoDB' | 'S3' | 'EFS' | 'EBS' | 'Other';

/** CloudFormation types the command reads from a stack, by AWS Backup's name for them. */
export const STACK_KINDS: Readonly<Record<string, StatusKind>> = {
  'AWS::RDS::DBCluster': 'Aurora',
  'AWS::RDS::DBInstance': 'RDS',
  'AWS::DynamoDB::Table': 'DynamoDB',
  'AWS::DynamoDB::GlobalTable': 'DynamoDB',
  'AWS::S3::Bucket': 'S3',
  'AWS::EFS::FileSystem': 'EFS',
  'AWS::EC2::Volume': 'EBS',
};

/** AWS Backup's resource types the command knows how to read more about. */
export function kindOfBackupType(resourceType: string | undefined): StatusKind {
  const known: StatusKind[] = ['Aurora', 'RDS', 'DynamoDB', 'S3', 'EFS', 'EBS'];
  return known.find((k) => k === resourceType) ?? 'Other';
}

/**
 * The last job states that count as failed (exit 1). EXPIRED means the job
 * never started inside its start window; PARTIAL means some of the resource
 * was not backed up or copied. AWS Backup's job states:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupJob.html
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CopyJob.html
 */
export const FAILED_BACKUP_JOB_STATES: ReadonlySet<string> = new Set(['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL']);
export const FAILED_COPY_JOB_STATES: ReadonlySet<string> = new Set(['FAILED', 'PARTIAL']);

/** How a row's errors name the calls they come from. */
export const RESTORABLE_TIME_CALL = 'latest restorable time';
export const RECOVERY_POINTS_CALL = 'backup:ListRecoveryPointsByResource';

/** One resource to report on. */
export interface StatusTarget {
  /** The logical id (with its nested stack's, if any) or AWS Backup's resource name. */
  readonly name: string;
  readonly kind: StatusKind;
  readonly arn: string;
  /** The name or id the resource's own service knows it by. */
  readonly identifier: string;
}

export interface RecoveryPointSummary {
  readonly arn: string;
  readonly createdAt: string;
  readonly status: string;
  readonly sizeBytes?: number;
  readonly vault?: string;
}

export interface JobSummary {
  readonly id: string;
  readonly state: string;
  readonly createdAt: string;
  readonly completedAt?: string;
  readonly message?: string;
}

export interface DrillSummary extends JobSummary {
  readonly validationStatus?: string;
  /** Completion minus creation of a COMPLETED restore job: the restore part of the RTO. */
  readonly measuredRtoSeconds?: number;
}

/** MET or BREACHED against the target; NO_TARGET without one; UNKNOWN when a failed call leaves it open; NOT_APPLICABLE for an instance of an Aurora cluster. */
export type RpoVerdict = 'MET' | 'BREACHED' | 'NO_TARGET' | 'UNKNOWN' | 'NOT_APPLICABLE';

export interface ResourceStatus {
  readonly name: string;
  readonly kind: StatusKind;
  readonly arn: string;
  /** The newest usable recovery point AWS Backup created (the RecoveryPointMonitor's rule). */
  readonly newestRecoveryPoint?: RecoveryPointSummary;
  readonly recoveryPointAgeSeconds?: number;
  /** The resource's own point-in-time recovery, where its service reports one. */
  readonly latestRestorableTime?: string;
  readonly restorableTimeAgeSeconds?: number;
  /** The smaller of the two ages: the data a restore now would lose. */
  readonly effectiveRpoSeconds?: number;
  readonly rpo: RpoVerdict;
  readonly lastBackupJob?: JobSummary;
  readonly lastCopyJob?: JobSummary;
  readonly lastDrill?: DrillSummary;
  /** What makes the exit 1: a breach, a failed last job. */
  readonly problems: string[];
  /** Calls that failed: the row is incomplete, and the exit 2. */
  readonly errors: string[];
  /** Remarks: PITR off, resource gone, a newer unusable point, clock skew. */
  readonly notes: string[];
}

export interface RpoTarget {
  readonly seconds?: number;
  /** Where it came from: `--rpo`, a tag, an output, or `none`. */
  readonly source: string;
}

export interface StatusReport {
  readonly source: { readonly stack?: string; readonly vault?: string; readonly region: string };
  readonly generatedAt: string;
  readonly target: RpoTarget;
  readonly resources: ResourceStatus[];
  readonly summary: { readonly resources: number; readonly ok: number; readonly withProblems: number; readonly withErrors: number };
  readonly exitCode: number;
}

/** An ISO 8601 duration as the library tags it (`Duration.toIsoString()`, e.g. PT1H), in seconds. */
export function parseIsoDuration(text: string): number | undefined {
  try {
    const seconds = Duration.parse(text.trim()).toSeconds();
    return seconds > 0 ? seconds : undefined;
  } catch {
    return undefined;
  }
}

const HUMAN_UNITS: Record<string, number> = { day: 86400, hour: 3600, minute: 60, second: 1 };

/** A duration as `Duration.toHumanString()` writes it (`1 hour 30 minutes`), in seconds. */
export function parseHumanDuration(text: string): number | undefined {
  const re = /\s*(\d+(?:\.\d+)?) (day|hour|minute|second)s?/y;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * HUMAN_UNITS[m[2]];
    consumed = re.lastIndex;
  }
  return consumed > 0 && consumed === text.length && total > 0 ? Math.round(total) : undefined;
}

/**
 * The RPO of a SingleRegionDrPlatform from its `RecoveryObjectives` output
 * ("RPO 1 hour, RTO 4 hours"). Undefined when the value is not in that form.
 */
export function rpoFromObjectivesOutput(value: string): number | undefined {
  const m = /^RPO (.+?), RTO /.exec(value);
  return m ? parseHumanDuration(m[1]) : undefined;
}
