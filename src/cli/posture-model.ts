import { ProtectedResourceType } from '../stores/protected-resource';

/** What the posture command reports, and the stateful resource types it knows. */

/** The AWS Backup defaults a rule without windows gets (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html). */
export const DEFAULT_START_WINDOW_MINUTES = 480;
export const DEFAULT_COMPLETION_WINDOW_MINUTES = 10080;
/** Retention under this many days is reported as a gap. */
export const MIN_RETENTION_DAYS = 7;

/** A worst-case data loss: known, bounded below, unknown, or total. */
export interface Rpo {
  /** The worst case in seconds, when it is known. */
  readonly seconds?: number;
  /** When unknown: what the worst case is at least, in seconds (a target below it cannot be met). */
  readonly atLeastSeconds?: number;
  /** Why the worst case is unknown. */
  readonly unknownReason?: string;
  /** Nothing recovers the data in this scenario. */
  readonly lost?: boolean;
  /** How the data is recovered, in words. */
  readonly mechanism: string;
}

/** One backup rule that covers a resource, and how the selection reaches it. */
export interface RuleCoverage {
  readonly plan: string;
  readonly rule: string;
  readonly selection: string;
  /** How the selection names the resource. */
  readonly how: 'reference' | 'arn' | 'wildcard' | 'tags';
  /** The selection's words: the tags, the ARN pattern. */
  readonly detail: string;
  /** False when the selection may or may not reach the resource (tag values or names unknown). */
  readonly certain: boolean;
  readonly schedule: string;
  readonly intervalSeconds?: number;
  readonly startWindowSeconds: number;
  readonly completionWindowSeconds: number;
  /** Undefined when kept forever. */
  readonly retentionDays?: number;
  readonly continuousBackup: boolean;
  readonly vault?: string;
  /** Regions the rule copies to; `unknown` when a destination's region cannot be read. */
  readonly copyRegions: string[];
}

export interface ResourcePosture {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** The literal physical name, when the template gives one. */
  readonly physicalName?: string;
  readonly coverage: RuleCoverage[];
  /** The resource's own point-in-time recovery, in words; undefined when it has none. */
  readonly ownPitr?: string;
  readonly encryption: string;
  readonly deletionPolicy: string;
  /** true, false, or undefined when the type has no such setting. */
  readonly deletionProtection?: boolean;
  /** Copies and replicas outside the region, in words. */
  readonly outOfRegion: string[];
  readonly rpo: { readonly azLoss: Rpo; readonly regionLoss: Rpo; readonly logicalCorruption: Rpo };
}

export interface Gap {
  readonly code: 'UNCOVERED' | 'COVERAGE_UNCERTAIN' | 'START_WINDOW' | 'SHORT_RETENTION' | 'VAULT_WITHOUT_CMK'
  | 'UNVERSIONED_BUCKET' | 'NO_COPY_OUT_OF_REGION' | 'RATE_SCHEDULE' | 'SCHEDULE_UNREADABLE' | 'DELETED_WITH_STACK';
  readonly stack: string;
  /** The resource, vault or plan the gap is about. */
  readonly subject: string;
  readonly message: string;
}

export interface TargetCheck {
  readonly target: 'rpo' | 'regionRpo';
  readonly seconds: number;
  readonly stack: string;
  readonly logicalId: string;
  readonly verdict: 'met' | 'missed' | 'unproven';
  readonly reason: string;
}

export interface PostureReport {
  readonly resources: ResourcePosture[];
  readonly gaps: Gap[];
  readonly targets: TargetCheck[];
}

export interface PostureOptions {
  /** The in-region RPO target (AZ loss and logical corruption), in seconds. */
  readonly rpoSeconds?: number;
  /** The region-loss RPO target, in seconds. */
  readonly regionRpoSeconds?: number;
}

export interface StatefulKind {
  readonly model: ProtectedResourceType;
  /** The ARN's service and resource prefix (before the name). */
  readonly arn?: { readonly service: string; readonly regional: boolean; readonly prefix: string; readonly nameProp?: string };
  /** Whether its data is stored in several AZs (an AZ loss loses nothing). */
  readonly multiAz: (props: Record<string, any>) => boolean | undefined;
}

export const STATEFUL: Record<string, StatefulKind> = {
  'AWS::RDS::DBCluster': { model: ProtectedResourceType.AURORA, arn: { service: 'rds', regional: true, prefix: 'cluster:', nameProp: 'DBClusterIdentifier' }, multiAz: () => true },
  'AWS::RDS::DBInstance': {
    model: ProtectedResourceType.AURORA,
    arn: { service: 'rds', regional: true, prefix: 'db:', nameProp: 'DBInstanceIdentifier' },
    multiAz: (p) => (p.MultiAZ === undefined ? false : typeof p.MultiAZ === 'boolean' ? p.MultiAZ : p.MultiAZ === 'true' ? true : p.MultiAZ === 'false' ? false : undefined),
  },
  'AWS::DynamoDB::Table': { model: ProtectedResourceType.DYNAMODB, arn: { service: 'dynamodb', regional: true, prefix: 'table/', nameProp: 'TableName' }, multiAz: () => true },
  'AWS::DynamoDB::GlobalTable': { model: ProtectedResourceType.DYNAMODB, arn: { service: 'dynamodb', regional: true, prefix: 'table/', nameProp: 'TableName' }, multiAz: () => true },
  'AWS::S3::Bucket': { model: ProtectedResourceType.S3, arn: { service: 's3', regional: false, prefix: '', nameProp: 'BucketName' }, multiAz: () => true },
  'AWS::EFS::FileSystem': { model: ProtectedResourceType.OTHER, arn: { service: 'elasticfilesystem', regional: true, prefix: 'file-system/' }, multiAz: (p) => p.AvailabilityZoneName === undefined },
  'AWS::EC2::Volume': { model: ProtectedResourceType.OTHER, arn: { service: 'ec2', regional: true, prefix: 'volume/' }, multiAz: () => false },
  'AWS::Lambda::Function': { model: ProtectedResourceType.LAMBDA, multiAz: () => true },
};

/** The resource types the command reports. */
export const STATEFUL_TYPES = Object.keys(STATEFUL);
