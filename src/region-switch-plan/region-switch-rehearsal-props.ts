import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionSwitchPlan } from './region-switch-plan';

/**
 * The DynamoDB global table a rehearsal writes its markers to: before each
 * switch in the region being left, read after it in the region activated.
 */
export interface RegionSwitchRehearsalMarkerTable {
  /** The global table's name, the same in both regions (a literal: the table lives in another stack). */
  readonly tableName: string;
  /** The partition key's attribute name. It must be of type string: the marker's key is a string. */
  readonly partitionKeyName: string;
  /**
   * The sort key's attribute name, when the table has one (of type string).
   *
   * @default - the table has no sort key
   */
  readonly sortKeyName?: string;
  /**
   * The alias of the customer-managed key that encrypts the table, the same
   * in both regions (GlobalPitrTable's `alias/dr-table-{environmentSuffix}`).
   * The function is allowed to use the keys with that alias, through DynamoDB only.
   *
   * @default - the table is encrypted with a key DynamoDB manages, no KMS permission is granted
   */
  readonly encryptionKeyAlias?: string;
}

/**
 * The functions that keep a rehearsal's marker in each region's database,
 * one in each region, inside the VPC that reaches the cluster.
 * MultiRegionDrPlatform passes its verify-writer functions
 * (`dr-verify-writer-{environmentSuffix}`); your own must answer the same way.
 *
 * Each is invoked synchronously with
 * `{ "rehearsalMarker": { "action": "write" | "read", "marker": "<text>" } }`
 * and must refuse (fail) unless its cluster is the writer. `write` keeps
 * the marker, idempotently; `read` looks it up. Both answer
 * `{ "marker": "<text>", "found": true | false, "writtenIn"?: "<region>", "writtenAt"?: "<ISO 8601>" }`.
 */
export interface RegionSwitchRehearsalMarkerDatabase {
  /** The function in the primary region. Its ARN must be known at synth (a literal, or a function in this stack's region). */
  readonly primaryFunction: lambda.IFunction;
  /** The function in the secondary region. */
  readonly secondaryFunction: lambda.IFunction;
}

/** When and how a rehearsal runs: what RegionSwitch.plan({ rehearsal }) takes. */
export interface RegionSwitchRehearsalOptions {
  /**
   * When a rehearsal starts: an EventBridge Scheduler expression, rate or
   * cron (UTC unless the expression names a time zone). A rehearsal moves
   * production traffic twice: choose a quiet hour with people at hand.
   *
   * @default - the second Tuesday of every month at 10:00 UTC, `cron(0 10 ? * TUE#2 *)`
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * The longest gap the schedule leaves between two rehearsals. With no
   * successful rehearsal for this long plus a day, the overdue alarm fires.
   * Required with `schedule`.
   *
   * @default Duration.days(35), the default schedule's longest gap
   */
  readonly scheduleInterval?: Duration;

  /**
   * How long each switch (failover, then failback) may run before the
   * rehearsal stops following it and fails. The execution itself goes on in
   * ARC: an operator finishes it.
   *
   * @default - twice the plan's RTO, at least 1 hour
   */
  readonly switchTimeout?: Duration;

  /**
   * Whether the schedule starts rehearsals. A disabled schedule still lets
   * you start the state machine yourself, and the overdue alarm still counts.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/** Properties for RegionSwitchRehearsal. */
export interface RegionSwitchRehearsalProps extends RegionSwitchRehearsalOptions {
  /** Suffix carried by every name this construct derives (the plan's). */
  readonly environmentSuffix: string;
  /** The plan a rehearsal runs: its ARN, regions and RTO. */
  readonly plan: RegionSwitchPlan;
  /** The global table that carries the markers. */
  readonly markerTable: RegionSwitchRehearsalMarkerTable;
  /**
   * Functions that also keep each marker in the region's database, through
   * its writer: the rehearsal then proves the database kept its writes
   * across each switch, not only the table.
   *
   * @default - the markers prove the global table only
   */
  readonly markerDatabase?: RegionSwitchRehearsalMarkerDatabase;
  /** Receives the three alarms. */
  readonly alarmTopic: sns.ITopic;
  /**
   * The key for the function's logs, environment and dead-letter queue and the state machine's logs.
   *
   * @default - a key `alias/dr-switch-rehearsal-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the logs, the dead-letter queue and the key when the stack deletes them.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
