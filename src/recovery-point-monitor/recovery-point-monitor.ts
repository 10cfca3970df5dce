import { Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { validateDrillPlans } from './drill-plan-checks';
import { PROTECTED_BACKUP_RESOURCE_TYPES } from '../hourly-backup/backup-resource-types';
import { tablePointInTimeRecovery } from '../hourly-backup/resource-facts';
import { recoveryMonitorDerivedNames, recoveryMonitorNames, validateEnvironmentSuffix } from '../names';
import { DrillPlanMeasurement } from './drill-plans';
import { BundledFunction } from '../private/bundled-function';
import { encryptedDeadLetterQueue } from '../private/dead-letter-queue';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import {
  DIMENSION_DRILL_PLAN,
  DIMENSION_ENVIRONMENT,
  DIMENSION_RESOURCE,
  DIMENSION_RESOURCE_TYPE,
  METRIC_BACKUP_RECOVERY_POINT_AGE,
  METRIC_EFFECTIVE_RPO,
  METRIC_LAST_DRILL_AGE,
  METRIC_MEASUREMENT_FAILURES,
  RECOVERY_NAMESPACE,
  RPO_SERVICE,
} from '../private/recovery-metrics';
import { validateRegionOf } from '../private/regions';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';
import { ProtectedResource, ProtectedResourceType } from '../stores/protected-resource';

/**
 * How the measurement runs: everything SingleRegionDrPlatform passes through as `recoveryPointMonitor`.
 */
export interface RecoveryPointMonitorOptions {
  /**
   * How often the measurement runs: 5 to 15 minutes, whole minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
}

/**
 * Properties for RecoveryPointMonitor.
 */
export interface RecoveryPointMonitorProps extends RecoveryPointMonitorOptions {
  /**
   * Suffix carried by every name this construct derives, for example `dev`.
   * The function is `dr-recovery-monitor-{environmentSuffix}`.
   */
  readonly environmentSuffix: string;

  /**
   * The RPO each resource is held to: its alarm fires when the measured
   * effective RPO exceeds it.
   *
   * @default Duration.hours(1)
   */
  readonly rpo?: Duration;

  /**
   * The longest a healthy hourly snapshot schedule lets a recovery point age:
   * the schedule interval plus the completion window. A resource measured by
   * snapshots alone (a bucket: S3 continuous backup reports no latest
   * restorable time) is alarmed at the larger of this and the RPO; an Aurora
   * cluster or a DynamoDB table, whose effective RPO its own point-in-time
   * recovery keeps low, also gets an alarm when its newest AWS Backup
   * recovery point is older than this (`backupAgeAlarmThreshold`).
   *
   * @default - 1 hour plus 2 hours (HourlyBackup's default completion window)
   */
  readonly snapshotAgeBound?: Duration;

  /**
   * The resources to measure. More can be added with `addResource`.
   *
   * @default - none yet; at least one must be added before synthesis
   */
  readonly resources?: ProtectedResource[];

  /**
   * The restore testing plans whose validated drills are also measured: per
   * plan and resource type, the hours since the last restore job that
   * validated. A RestoreDrill's `drillPlans` lists both of its plans
   * (snapshot and continuous), so a plan that stops drilling alarms on its
   * own even while the other still runs.
   *
   * @default - drills are not measured
   */
  readonly drillPlans?: DrillPlanMeasurement[];

  /**
   * The key for the function's logs, environment and dead-letter queue.
   *
   * @default - a customer-managed key with rotation on, aliased `alias/dr-recovery-monitor-{environmentSuffix}`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the logs, queue and key when the stack deletes them.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One measured resource and the alarm threshold its measurement supports.
 */
export interface MonitoredRecoveryPoint {
  /** The `Resource` dimension and the alarm name part. */
  readonly name: string;
  /** The resource's ARN. */
  readonly resourceArn: string;
  /** Its kind. */
  readonly resourceType: ProtectedResourceType;
  /** Whether a latest restorable time is measured (Aurora, DynamoDB with PITR). */
  readonly measuresRestorableTime: boolean;
  /** The measured effective RPO above which its alarm fires. */
  readonly alarmThreshold: Duration;
  /**
   * The age of its newest AWS Backup recovery point above which a separate
   * alarm fires: the monitor's `snapshotAgeBound`. Set for Aurora and
   * DynamoDB, whose effective RPO comes from their own point-in-time
   * recovery while it runs, so it stays low when AWS Backup stops. Unset for
   * the others: their effective RPO is that age, and its alarm watches it.
   *
   * @default - no separate alarm: the effective RPO is the recovery point age
   */
  readonly backupAgeAlarmThreshold?: Duration;
}

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * Measures, every few minutes, how much data a restore of each protected
 * resource would lose right now: the age of its newest usable (AVAILABLE or
 * COMPLETED) recovery point that AWS Backup created and, where the service
 * has point-in-time recovery, of its latest restorable time. It publishes
 * both and the smaller (the effective RPO) as CloudWatch metrics in
 * `CdkDrPlatform/Recovery`, for DrAlarms to alarm on per resource.
 *
 * The function runs outside the VPC: it only calls AWS Backup, RDS and
 * DynamoDB read APIs, which an isolated subnet would reach only through
 * paid interface endpoints.
 *
 * @example
 * declare const table: PitrTable;
 * const monitor = new RecoveryPointMonitor(this, 'RecoveryPoints', {
 *   environmentSuffix: 'dev',
 *   resources: [ProtectedResource.fromPitrTable(table)],
 * });
 */
export class RecoveryPointMonitor extends Construct {
  /** The measuring function. */
  public readonly function: lambda.Function;
  /** Its role, with read access to exactly the monitored resources. */
  public readonly role: iam.IRole;
  /** The schedule rule that runs it. */
  public readonly rule: events.Rule;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The key for logs, environment and dead-letter queue. */
  public readonly encryptionKey: kms.IKey;
  /** The RPO the alarms hold each resource to. */
  public readonly rpo: Duration;
  /** How often the measurement runs. */
  public readonly interval: Duration;
  /** The environment suffix, the `Environment` dimension of every metric. */
  public readonly environmentSuffix: string;

  private readonly snapshotAgeBound: Duration;
  private readonly monitored: MonitoredRecoveryPoint[] = [];
  private readonly managedRole: ManagedPolicyRole;
  private readonly plans: DrillPlanMeasurement[];

  constructor(scope: Construct, id: string, props: RecoveryPointMonitorProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, recoveryMonitorDerivedNames);
    this.environmentSuffix = props.environmentSuffix;
    this.rpo = props.rpo ?? Duration.hours(1);
    this.interval = props.interval ?? Duration.minutes(5);
    this.snapshotAgeBound = props.snapshotAgeBound ?? Duration.hours(3);
    if (!this.interval.isUnresolved()) {
      const minutes = this.interval.toSeconds() / 60;
      if (!Number.isInteger(minutes) || minutes < 5 || minutes > 15) {
        throw new DrValidationError(this, `\`interval\` must be a whole number of minutes from 5 to 15, got: ${this.interval.toHumanString()}`);
      }
    }
    for (const [prop, value] of [['rpo', this.rpo], ['snapshotAgeBound', this.snapshotAgeBound]] as const) {
      if (!value.isUnresolved() && value.toSeconds() < 60) {
        throw new DrValidationError(this, `\`${prop}\` must be at least 1 minute, got: ${value.toHumanString()}`);
      }
    }
    this.plans = validateDrillPlans(this, props.drillPlans ?? []);
    const measuresDrills = this.plans.length > 0;

    const suffix = props.environmentSuffix;
    const names = recoveryMonitorNames(suffix);
    const name = names.function;
    const destroy = isDestroy(this, props.removalPolicy, `the logs and dead-letter queue of ${name}`);
    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: names.keyAlias,
      description: `Encrypts the logs, environment and dead-letter queue of ${name}`,
      destroy,
    });
    this.logGroup = createEncryptedLogGroup(this, 'LogGroup', {
      logGroupName: names.logGroup,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    });
    const deadLetterQueue = encryptedDeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: names.deadLetterQueue,
      encryptionKey: this.encryptionKey,
      removalPolicy: props.removalPolicy,
    });

    this.managedRole = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Reads the recovery points and restorable times of the DR resources (${suffix})`,
    });
    this.role = this.managedRole;
    const policy = this.managedRole.addStatements(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.encryptionKey.keyArn] }),
    );
    // ListRecoveryPointsByResource and ListRestoreJobs define no resource type
    // in IAM: a statement naming a resource ARN matches no request and every
    // call is denied. They can only be granted on "*"; the handler asks only
    // about the resources in its RESOURCES variable and this plan's jobs.
    const listActions = ['backup:ListRecoveryPointsByResource', ...(measuresDrills ? ['backup:ListRestoreJobs'] : [])];
    this.managedRole.addStatements(new iam.PolicyStatement({ actions: listActions, resources: ['*'] }));
    acknowledgeFinding(policy, 'IAM5[Resource::*]', ['AwsSolutions'],
      `${listActions.join(' and ')} have no resource-level permissions; the handler lists only the resources it is configured with${measuresDrills ? ' and filters restore jobs by its restore testing plans' : ''}.`);

    this.function = new BundledFunction(this, 'Function', {
      bundle: 'recovery-point-monitor/recovery-point-age',
      functionName: name,
      description: `Measures the recovery point age and effective RPO of each DR resource (${suffix})`,
      role: this.managedRole,
      timeout: Duration.minutes(2),
      memorySize: 256,
      // One measurement at a time: a slow run never overlaps the next.
      reservedConcurrentExecutions: 1,
      logGroup: this.logGroup,
      environmentEncryption: this.encryptionKey,
      deadLetterQueue,
      tracing: lambda.Tracing.DISABLED,
      environment: {
        ENVIRONMENT: suffix,
        RESOURCES: Lazy.string({
          produce: () => Stack.of(this).toJsonString(this.monitored.map((m) => ({ name: m.name, arn: m.resourceArn, type: m.resourceType }))),
        }),
        ...(measuresDrills ? {
          DRILL_PLANS: Lazy.string({
            produce: () => Stack.of(this).toJsonString(
              this.drillPlans.map((p) => ({ name: p.name, arn: p.restoreTestingPlanArn, types: p.resourceTypes }))),
          }),
        } : {}),
      },
    });
    this.function.node.addDependency(policy);
    this.rule = new events.Rule(this, 'Schedule', {
      ruleName: names.rule,
      description: `Measures the DR resources' recovery point age every ${this.interval.toHumanString()} (${suffix})`,
      schedule: events.Schedule.rate(this.interval),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });

    this.node.addValidation({
      validate: () => this.monitored.length ? [] : ['RecoveryPointMonitor measures no resource: pass `resources` or call `addResource`'],
    });
    for (const resource of props.resources ?? []) {
      this.addResource(resource);
    }

    const why = (finding: string) => `Recovery point monitor: ${finding}`;
    acknowledgeFinding(this.function, 'LambdaInsideVPC', COMPLIANCE_PACKS,
      why('it calls only AWS Backup, RDS and DynamoDB read APIs and reaches no network resource; in isolated subnets it would need paid interface endpoints for each.'));
    acknowledgeFinding(policy, `IAM5[Resource::<${Stack.of(this).getLogicalId(this.logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      why('Lambda names its log streams at run time, inside this one log group.'));
  }

  /** Every resource measured so far. */
  public get resources(): MonitoredRecoveryPoint[] {
    return [...this.monitored];
  }

  /**
   * The restore testing plans whose drills are measured, each with the
   * resource types it drills (the monitored types when not given).
   */
  public get drillPlans(): DrillPlanMeasurement[] {
    const monitoredTypes = PROTECTED_BACKUP_RESOURCE_TYPES.filter((t) => this.monitored.some((m) => m.resourceType === t));
    return this.plans.map((p) => ({ ...p, resourceTypes: [...(p.resourceTypes ?? monitoredTypes)] }));
  }

  /**
   * Measures a resource and grants the function the read calls it needs on
   * that resource alone. Lambda functions hold no data and are refused.
   *
   * @param name the `Resource` dimension and alarm name part: lowercase letters, digits and hyphens
   * @default - name: the last part of the resource's construct path, lowercased
   */
  public addResource(resource: ProtectedResource, name?: string): MonitoredRecoveryPoint {
    if (resource.resourceType === ProtectedResourceType.LAMBDA) {
      throw new DrValidationError(this, `\`resources\` cannot include the Lambda function ${resource.name}: it holds no data and has no recovery point to measure`);
    }
    const resourceName = name ?? defaultName(resource.name);
    // The handler reads recovery points and restorable times through its own region's APIs (S3 ARNs name no region).
    const arnRegion = Token.isUnresolved(resource.resourceArn) ? undefined : resource.resourceArn.split(':')[3];
    validateRegionOf(this, 'resources', arnRegion || undefined, resource.resourceArn, 'same', 'the monitor reads recovery points through the AWS APIs of its own region');
    if (!NAME_PATTERN.test(resourceName) || resourceName.endsWith('-') || resourceName.length > 64) {
      throw new DrValidationError(this, `\`name\` must match ${NAME_PATTERN}, end with a letter or digit and be at most 64 characters, got: ${quote(resourceName)}`);
    }
    if (this.monitored.some((m) => m.name === resourceName)) {
      throw new DrValidationError(this, `\`name\` ${quote(resourceName)} is already measured here: give each resource its own name`);
    }
    // A table's PITR is read from the table in the app, else what the caller stated; unknown counts as off.
    const tablePitr = resource.resourceType === ProtectedResourceType.DYNAMODB
      && ((resource._construct ? tablePointInTimeRecovery(resource._construct) : undefined) ?? resource._statedPointInTimeRecovery) === true;
    const measuresRestorableTime = resource.resourceType === ProtectedResourceType.AURORA || tablePitr;
    const alarmThreshold = measuresRestorableTime ? this.rpo : maxDuration(this.rpo, this.snapshotAgeBound);
    // The handler reads a restorable time for every Aurora cluster and
    // DynamoDB table (a table's PITR may be on although unknown here), so
    // their effective RPO can stay low while AWS Backup has stopped.
    const readsRestorableTime = resource.resourceType === ProtectedResourceType.AURORA || resource.resourceType === ProtectedResourceType.DYNAMODB;
    const entry: MonitoredRecoveryPoint = {
      name: resourceName,
      resourceArn: resource.resourceArn,
      resourceType: resource.resourceType,
      measuresRestorableTime,
      alarmThreshold,
      backupAgeAlarmThreshold: readsRestorableTime ? this.snapshotAgeBound : undefined,
    };
    this.monitored.push(entry);

    const statements: iam.PolicyStatement[] = [];
    if (resource.resourceType === ProtectedResourceType.AURORA) {
      statements.push(new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [resource.resourceArn] }));
    } else if (resource.resourceType === ProtectedResourceType.DYNAMODB) {
      statements.push(new iam.PolicyStatement({ actions: ['dynamodb:DescribeContinuousBackups'], resources: [resource.resourceArn] }));
    }
    if (statements.length) {
      this.managedRole.addStatements(...statements);
    }
    return entry;
  }

  /** The measured effective RPO of a resource, in seconds (maximum over one interval). */
  public metricEffectiveRpo(name: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_EFFECTIVE_RPO, { [DIMENSION_RESOURCE]: name }, props);
  }

  /**
   * The age of a resource's newest usable recovery point that AWS Backup
   * created, in seconds (maximum over one interval). RDS's automated
   * snapshots and the resource's own point-in-time recovery do not count.
   */
  public metricBackupRecoveryPointAge(name: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_BACKUP_RECOVERY_POINT_AGE, { [DIMENSION_RESOURCE]: name }, props);
  }

  /** How many resources could not be measured in a run (maximum over one interval). */
  public metricMeasurementFailures(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_MEASUREMENT_FAILURES, {}, props);
  }

  /**
   * Hours since a resource type's last validated restore drill in one of
   * the measured plans (maximum over one interval).
   *
   * @param drillPlan the plan's `name` in `drillPlans`
   */
  public metricLastValidatedDrillAge(drillPlan: string, resourceType: ProtectedResourceType,
    props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!this.plans.some((p) => p.name === drillPlan)) {
      throw new DrValidationError(this, `\`drillPlan\` must be the name of a measured plan (${this.plans.map((p) => quote(p.name)).join(', ') || 'none is measured'}), got: ${quote(drillPlan)}`);
    }
    return this.metric(METRIC_LAST_DRILL_AGE, { [DIMENSION_RESOURCE_TYPE]: resourceType, [DIMENSION_DRILL_PLAN]: drillPlan }, props);
  }

  private metric(metricName: string, dimensions: Record<string, string>, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: RECOVERY_NAMESPACE,
      metricName,
      dimensionsMap: { service: RPO_SERVICE, [DIMENSION_ENVIRONMENT]: this.environmentSuffix, ...dimensions },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: this.interval,
      ...props,
    });
  }

}

function defaultName(path: string): string {
  const last = path.split('/').pop() ?? path;
  return last.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

function maxDuration(a: Duration, b: Duration): Duration {
  if (a.isUnresolved() || b.isUnresolved()) return a;
  return a.toSeconds() >= b.toSeconds() ? a : b;
}

