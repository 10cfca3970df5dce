import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ProtectedResource } from '../stores/protected-resource';

/**
 * When and how drills run: what `RestoreDrills.enabled(options)` passes through from a platform.
 */
export interface RestoreDrillOptions {
  /**
   * An object key the restored bucket must hold; the validator reads it.
   *
   * @default - the first object listed is read; an empty bucket fails the drill
   */
  readonly bucketProbeKey?: string;

  /**
   * When drills run. A cron schedule (restore testing takes no rate).
   *
   * @default - weekly, Sundays at 03:00 UTC
   */
  readonly schedule?: events.Schedule;

  /**
   * The longest `schedule` leaves between two drills, from 1 hour to 31
   * days: how long without a validated drill counts as overdue. Required with
   * a `schedule` of your own, since the gaps of a cron expression are not
   * read from it.
   *
   * @default - Duration.days(7), the default weekly schedule's interval
   */
  readonly scheduleInterval?: Duration;

  /**
   * How long after its scheduled time a drill may start: 1 to 168 hours.
   *
   * @default Duration.hours(1)
   */
  readonly startWindow?: Duration;

  /**
   * How far back the latest recovery point is looked for: 1 to 365 days.
   *
   * @default Duration.days(7)
   */
  readonly selectionWindow?: Duration;

  /**
   * Whether the drills also restore continuous (point-in-time) recovery
   * points, the path the RPO credits: a second restore testing plan,
   * `dr_pitr_{environmentSuffix}`, on the same schedule, drills the Aurora
   * cluster and the bucket from their latest continuous point. DynamoDB has
   * no AWS Backup continuous point (its point-in-time recovery is the
   * table's own), so a table is drilled from snapshots only. Each drill
   * restores a second copy of the cluster and bucket, which costs a second
   * restore, a second validation and its drill instance hours: turn it off
   * when the backup plan keeps no continuous backup (no point would be
   * found) or that cost is not wanted; the RPO then rests on a path no drill
   * exercises.
   *
   * @default true; in a platform, whether its backup plan keeps continuous backup
   */
  readonly continuousRecoveryPoints?: boolean;

  /**
   * How long the restored copies are kept for validation before AWS Backup
   * deletes them: 1 to 168 hours. The Aurora validation must finish 15
   * minutes before its end.
   *
   * @default Duration.hours(4)
   */
  readonly validationWindow?: Duration;

  /**
   * The instance class added to a restored Aurora cluster that is not
   * Serverless v2 (a Serverless v2 cluster gets `db.serverless`).
   *
   * @default ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM)
   */
  readonly drillInstanceType?: ec2.InstanceType;

  /**
   * The port the drilled Aurora cluster listens on. Restored copies keep
   * their source's port, and the smoke query reaches them on it. Required
   * when the cluster's endpoint knows its port only at deploy, as a cluster
   * created in the app does.
   *
   * @default - the port of the cluster's endpoint (an imported cluster's `port`)
   */
  readonly databasePort?: number;
}

/**
 * Copies from another region, drilled where they are kept.
 */
export interface DrillCopies {
  /**
   * The key the copies are encrypted with: the copy vault's. The restore
   * role may use it to read them.
   */
  readonly encryptionKey: kms.IKey;

  /**
   * The region the copies come from, for the docs and messages.
   */
  readonly sourceRegion: string;
}

/**
 * Properties for RestoreDrill.
 */
export interface RestoreDrillProps extends RestoreDrillOptions {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   * The restore testing plans are `dr_drills_{environmentSuffix}` (snapshots) and
   * `dr_pitr_{environmentSuffix}` (continuous recovery points); hyphens become underscores.
   */
  readonly environmentSuffix: string;

  /** The VPC restored clusters are placed in, and the smoke query runs in. */
  readonly vpc: ec2.IVpc;

  /**
   * Where restored clusters and the smoke query function go.
   *
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /** The vault whose recovery points the drills restore. */
  readonly vault: backup.IBackupVault;

  /**
   * `vault` holds copies, made by another region's backup plan, of the
   * resources the handles stand for: the handles are their counterparts in
   * this region (for example a global database's secondary cluster, a
   * global table's replica, a replica bucket), which give the key, the
   * port and the smoke query's connection. A copy keeps its source's ARN,
   * of the other region, so each selection takes every protected resource
   * of its type that has a recovery point in `vault` (`ProtectedResourceArns`
   * `*`). A copy is a snapshot: only the snapshot plan runs, and
   * `continuousRecoveryPoints: true` is refused.
   *
   * @default - the vault holds this region's own recovery points of the handles' resources
   */
  readonly copies?: DrillCopies;

  /**
   * The Aurora cluster to drill, by its handle (`ProtectedResource.fromEncryptedAurora`
   * or `fromDatabaseCluster`). It is restored from its latest recovery
   * point into the VPC, a drill subnet group and security group, encrypted
   * with the handle's key; the smoke query reaches it on the handle's
   * connection port unless `databasePort` is given.
   *
   * @default - no Aurora drill
   */
  readonly database?: ProtectedResource;

  /**
   * The DynamoDB table to drill, by its handle (`ProtectedResource.fromPitrTable`
   * or `fromTable`). The restored table is encrypted with the handle's key.
   *
   * @default - no DynamoDB drill
   */
  readonly table?: ProtectedResource;

  /**
   * The S3 bucket to drill, by its handle (`ProtectedResource.fromVersionedBucket`
   * or `fromBucket`). The restored bucket is encrypted with the handle's key.
   *
   * @default - no S3 drill
   */
  readonly bucket?: ProtectedResource;

  /**
   * The key for the functions' logs, environment and dead-letter queue.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-drill-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to logs, queue and key when the stack deletes them.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
