import { Duration, Environment, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DrAlarmsOptions } from '../dr-alarms';
import { AuroraClusterOptions } from '../encrypted-aurora';
import { RoutingPolicy } from '../failover-routing';
import { GlobalPitrTableOptions } from '../global-pitr-table';
import { HourlyBackup, HourlyBackupOptions } from '../hourly-backup';
import { RecoveryPointMonitor } from '../recovery-point-monitor';
import { RoutingControl } from './routing-control';
import { RegionSwitch } from '../region-switch-plan/region-switch';
import { RestoreDrill, RestoreDrills } from '../restore-drill';
import { VersionedBucketBaseOptions } from '../versioned-bucket';
import { PlatformFunctionOptions, VpcLambda } from '../vpc-lambda';

/**
 * How much data one resource can lose if the primary region is lost, and
 * whether that is held to `regionRpo`.
 */
export interface ResourceRegionLoss {
  /** The resource, by name. */
  readonly name: string;
  /** Its kind: Aurora, DynamoDB, S3, AWS Backup copy, AWS Backup plan or Lambda. */
  readonly resourceType: string;
  /** How its data reaches the secondary region, in words. */
  readonly mechanism: string;
  /**
   * The most data, in time, it can lose with the primary region.
   *
   * @default - none: it holds no data, or the loss is unknown (see `unknownReason`)
   */
  readonly worstCaseDataLoss?: Duration;
  /**
   * Why the loss cannot be known from the app.
   *
   * @default - the loss is known
   */
  readonly unknownReason?: string;
  /**
   * Whether `regionRpo` is checked against a bound over all its data. Aurora
   * has one with `enforceAuroraRegionRpo` (`rds.global_db_rpo`); without it
   * Aurora, and always DynamoDB and S3, have none (lag alarmed; RTC bounds
   * 99.99 % of objects, see `unknownReason`); a backup copy is the path for
   * corruption, not region loss.
   */
  readonly heldToRegionRpo: boolean;
}

/**
 * The secondary region's own protection. It runs in either role, so a
 * promoted region is protected from its first hour with no step to run.
 */
export interface SecondaryProtection {
  /** The hourly backup plan over the region's own stores, copying back to `dr-copy-vault-{s}` in the primary region. */
  readonly backup: HourlyBackup;
  /** Watches the age of the region's recovery points and of its copy drills. */
  readonly recoveryPoints: RecoveryPointMonitor;
  /** Restore drills of the primary's copies in the copy vault, unless `restoreDrills` is `RestoreDrills.disabled()`. */
  readonly copyDrill?: RestoreDrill;
}

/**
 * The secondary region's Aurora cluster: a warm standby that joins the
 * primary's global database.
 */
export interface SecondaryDatabaseOptions {
  /**
   * The engine version, stated for review: it must be the primary's
   * (`database.engineVersion`). Aurora switches over and fails over only
   * between clusters of the same major and minor version.
   *
   * @default - the primary's
   */
  readonly engineVersion?: rds.AuroraPostgresEngineVersion;

  /**
   * How many instances the secondary cluster runs (at least 1: a secondary
   * with none cannot be promoted quickly).
   *
   * @default 1
   */
  readonly instances?: number;

  /**
   * The instance class of the secondary's instances: memory-optimized
   * (db.r5 and newer); burstable classes cannot join a global database.
   *
   * @default - Aurora Serverless v2, like the primary
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Serverless v2 minimum capacity in ACUs.
   *
   * @default - the primary's
   */
  readonly serverlessV2MinCapacity?: number;

  /**
   * Serverless v2 maximum capacity in ACUs.
   *
   * @default - the primary's
   */
  readonly serverlessV2MaxCapacity?: number;
}

/**
 * Route 53 routing of the workload's name between the two regions: failover
 * (or weighted) records that follow the Region switch plan's health checks
 * (the default with a plan) or, chosen explicitly, each region's health alarm.
 */
export interface MultiRegionRoutingOptions {
  /**
   * Who moves the records: the Region switch plan when it runs
   * (`RoutingControl.regionSwitchPlan()`), or Route 53 health checks on each
   * region's health alarm on their own (`RoutingControl.healthAlarms()`,
   * whose hazard its documentation states: missing data moves traffic).
   *
   * @default - RoutingControl.regionSwitchPlan() with `RegionSwitch.plan()`; required with `RegionSwitch.none()`, where only RoutingControl.healthAlarms() is allowed
   */
  readonly control?: RoutingControl;

  /**
   * The hosted zone the records go in. Import it by id and name
   * (`HostedZone.fromHostedZoneAttributes`): a zone defined in a stack of
   * the app would be a reference into the routing stack, which the platform
   * does not make.
   */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The workload's name in the zone, for example `payments`. A literal: with
   * the plan, it is part of the plan's DNS step.
   */
  readonly recordName: string;

  /** The primary region's endpoint of the workload (the CNAME target there). */
  readonly primaryDomainName: string;

  /** The secondary region's endpoint of the workload. */
  readonly secondaryDomainName: string;

  /**
   * Failover records, or weighted records.
   *
   * @default RoutingPolicy.FAILOVER
   */
  readonly routingPolicy?: RoutingPolicy;

  /**
   * The primary record's weight, with `RoutingPolicy.WEIGHTED` only.
   *
   * @default 100
   */
  readonly primaryWeight?: number;

  /**
   * The secondary record's weight, with `RoutingPolicy.WEIGHTED` only.
   *
   * @default 0
   */
  readonly secondaryWeight?: number;

  /**
   * The records' TTL.
   *
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;

  /**
   * How many one-minute probes in a row must fail before a region's health
   * alarm fires (RegionHealthCheck's `evaluationPeriods`). The alarms move
   * the records only with `RoutingControl.healthAlarms()`; with the plan they
   * notify.
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;
}

/**
 * Properties for MultiRegionDrPlatform.
 */
export interface MultiRegionDrPlatformProps {
  /**
   * Suffix carried by every name the platform derives, in both regions, for
   * example `prod`. Lowercase letters, digits and hyphens, starting with a letter.
   */
  readonly environmentSuffix: string;

  /**
   * A qualifier added to every physical name, as on SingleRegionDrPlatform:
   * names become `{type}-{environmentSuffix}-{nameQualifier}`.
   *
   * @default - names carry the environment suffix alone
   */
  readonly nameQualifier?: string;

  /**
   * The primary region's account and region, both concrete: the stacks of
   * each region are synthesized for their environment.
   */
  readonly primary: Environment;

  /**
   * The secondary region's account and region: the same account as
   * `primary`, another region of the same partition.
   */
  readonly secondary: Environment;

  /**
   * Email addresses subscribed to the alarm topic of each region.
   *
   * @default - none
   */
  readonly alarmEmails?: string[];

  /**
   * What happens to every store, key, vault and log in both regions when the
   * stacks are deleted. `DESTROY` deletes both regions with no manual step.
   *
   * @default - data is kept: RETAIN (Aurora: SNAPSHOT), deletion protection on
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The recovery point objective within the primary region (AZ loss, logical
   * corruption), which its HourlyBackup holds every resource to.
   *
   * @default - HourlyBackup's default, 1 hour
   */
  readonly rpo?: Duration;

  /**
   * The most data, in time, the workload may lose if the primary region is
   * lost. Every resource's region-loss coverage is checked against it at
   * synth, and the replication alarms' thresholds are derived from it.
   *
   * @default Duration.minutes(15)
   */
  readonly regionRpo?: Duration;

  /**
   * Bounds the Aurora region-loss RPO at `regionRpo` with Aurora
   * PostgreSQL's managed RPO: `rds.global_db_rpo`, in seconds, in the
   * cluster parameter groups of the primary and the secondary (so the bound
   * holds after a switch). Commits on the primary's writer then wait while
   * every secondary lags more than that: write availability is traded for
   * the bound, and a synth warning
   * (`cdk-dr-platform:auroraRegionRpoBlocksCommits`) says so. The region-loss
   * coverage then reports Aurora as bounded at `regionRpo` instead of
   * unknown.
   *
   * @default false - the Aurora lag is alarmed at half of `regionRpo`, not bounded
   */
  readonly enforceAuroraRegionRpo?: boolean;

  /**
   * The recovery time objective, as on SingleRegionDrPlatform.
   *
   * @default Duration.hours(4)
   */
  readonly rto?: Duration;

  /**
   * The region recovery time objective: how long moving the workload to the
   * other region may take. It is the region switch plan's
   * RecoveryTimeObjectiveMinutes (1 minute to 7 days), which ARC measures
   * each run against.
   *
   * @default Duration.minutes(15)
   */
  readonly regionRto?: Duration;

  /**
   * The region switch: an ARC Region switch plan (RegionSwitchPlan) in the
   * secondary region with a fence in each, whose failover and failback
   * workflows switch the Aurora global database over (graceful) or fail it
   * over (ungraceful), with the writes fenced around it. Functions added with
   * `addFunction` read the writer region (WRITER_REGION_PARAMETER). With
   * `routing`, the plan also moves the DNS records (its Route 53 health-check
   * step), unless `routing.control` says otherwise.
   *
   * @default RegionSwitch.plan(): no approval, no custom steps
   */
  readonly regionSwitch?: RegionSwitch;

  /**
   * The restore drills in the primary region, passed through to SingleRegionDrPlatform.
   * @default RestoreDrills.enabled(): RestoreDrill's defaults
   */
  readonly restoreDrills?: RestoreDrills;

  /**
   * The primary's Aurora cluster, passed through to EncryptedAurora. The
   * global database is the platform's: `globalSecondaryRegions` is refused here.
   *
   * @default - EncryptedAurora's defaults
   */
  readonly database?: AuroraClusterOptions;

  /**
   * The secondary region's Aurora cluster.
   *
   * @default - one instance, sized like the primary's
   */
  readonly secondaryDatabase?: SecondaryDatabaseOptions;

  /**
   * The table, passed through to GlobalPitrTable (a replica in the
   * secondary region).
   *
   * @default - GlobalPitrTable's defaults
   */
  readonly table?: GlobalPitrTableOptions;

  /**
   * The primary's bucket and the replica bucket in the secondary region,
   * built with the same options. Replication, the key and the access-log
   * bucket belong to one region, so they are not options here: the platform
   * sets the replication, and each bucket gets its own region's key and log
   * bucket.
   *
   * @default - VersionedBucket's defaults
   */
  readonly bucket?: VersionedBucketBaseOptions;

  /**
   * The primary's backup plan, passed through to HourlyBackup. The platform
   * adds a copy of every snapshot to the copy vault in the secondary region
   * (its retention: `copyRetention`); `copyTo` adds more destinations.
   *
   * @default - HourlyBackup's defaults
   */
  readonly backup?: HourlyBackupOptions;

  /**
   * How long snapshot copies are kept in the secondary region's copy vault.
   *
   * @default - the snapshot retention of `backup`
   */
  readonly copyRetention?: Duration;

  /**
   * The alarms of both regions, passed through to DrAlarms.
   *
   * @default - DrAlarms's defaults
   */
  readonly alarms?: DrAlarmsOptions;

  /**
   * Failover (or weighted) records for the workload's name, in a fourth
   * stack, moved by the Region switch plan when it runs (default) or by
   * Route 53 health checks on each region's health alarm (`routing.control`).
   * Each region gets a RegionHealthCheck probing its database, table and
   * bucket, whose alarm notifies in either mode.
   *
   * @default - no routing: clients are moved some other way
   */
  readonly routing?: MultiRegionRoutingOptions;

  /**
   * Whether to peer the two VPCs (inter-region VPC peering, with routes for
   * the other VPC's block in the isolated subnets of both), for workloads
   * that must call across regions privately. Security groups must still
   * admit the other block. The warm standby does not need it.
   *
   * @default false
   */
  readonly peering?: boolean;

  /**
   * Whether to give each region an event bus `dr-events-{suffix}` that
   * forwards the workload's events to the other region's, so an event
   * written during a failover is not lost. Functions get `EVENT_BUS_NAME`
   * and may put events on their region's bus.
   *
   * @default false
   */
  readonly eventForwarding?: boolean;

  /**
   * The primary VPC's IPv4 block (/16 to /20).
   *
   * @default '10.0.0.0/16'
   */
  readonly primaryVpcCidr?: string;

  /**
   * The secondary VPC's IPv4 block (/16 to /20).
   *
   * @default '10.1.0.0/16'
   */
  readonly secondaryVpcCidr?: string;
}

/**
 * A function for `addFunction`: SingleRegionDrPlatform's options, and the
 * code for the secondary region when `code` cannot serve both.
 */
export interface MultiRegionFunctionOptions extends PlatformFunctionOptions {
  /**
   * The code of the secondary region's function.
   *
   * @default - `code`: inline code as it is, an asset staged again for the secondary stack; required for code that lives in one region (an S3 object, an ECR image)
   */
  readonly secondaryCode?: lambda.Code;
}

/**
 * The functions `addFunction` deployed, one in each region.
 */
export interface MultiRegionFunction {
  /** The function in the primary region. */
  readonly primary: VpcLambda;
  /** The same function in the secondary region. */
  readonly secondary: VpcLambda;
}
