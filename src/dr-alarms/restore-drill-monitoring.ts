import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmDefinition, AlarmFactory, MonitoringSegment } from './alarm-factory';
import { pascalCase } from '../private/naming';
import { DrValidationError } from '../private/validation';
import { RecoveryPointMonitor } from '../recovery-point-monitor';
import { RestoreDrill } from '../restore-drill';
import { ProtectedResourceType } from '../stores/protected-resource';

/**
 * Options for watching restore drills.
 */
export interface MonitorRestoreDrillsOptions {
  /**
   * The recovery time objective: a drill whose measured RTO (restore job
   * created to validated and queryable) exceeds it alarms.
   */
  readonly rto: Duration;

  /**
   * The monitor that measures the hours since each resource type's last
   * validated drill, per plan (give it the drill's `drillPlans`). Each plan
   * of the drill that it measures gets an overdue alarm per resource type;
   * a plan it does not measure gets none. Without it there is no
   * overdue-drill alarm.
   *
   * @default - no alarm for a drill that never happens
   */
  readonly recoveryPointMonitor?: RecoveryPointMonitor;

  /**
   * The longest the drill schedule leaves between two drills. A resource type
   * with no validated drill for this plus one day (for the start window, the
   * restore and the validation) alarms.
   *
   * @default - the drill's `scheduleInterval`
   */
  readonly drillInterval?: Duration;
}

/**
 * The alarms on a RestoreDrill, per resource type: RTO exceeded, drill
 * failed and, with a recovery point monitor, drill overdue; and the last
 * drills' numbers.
 */
export class RestoreDrillMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, drill: RestoreDrill, options: MonitorRestoreDrillsOptions) {
    const scope = factory.scope;
    const rto = options.rto;
    if (!rto.isUnresolved() && rto.toSeconds() < 60) {
      throw new DrValidationError(scope, `\`rto\` must be at least 1 minute, got: ${rto.toHumanString()}`);
    }
    const interval = options.drillInterval ?? drill.scheduleInterval;
    if (!interval.isUnresolved() && (interval.toHours({ integral: false }) < 1 || interval.toDays({ integral: false }) > 31)) {
      throw new DrValidationError(scope, `\`drillInterval\` must be from 1 hour to 31 days (a monthly schedule's longest gap), got: ${interval.toHumanString()}`);
    }
    const monitor = options.recoveryPointMonitor;
    // The drill's plans that the monitor measures, matched by ARN (the same token for the same plan).
    const drillArns = new Set(drill.drillPlans.map((p) => p.restoreTestingPlanArn));
    const measured = (monitor?.drillPlans ?? []).filter((p) => drillArns.has(p.restoreTestingPlanArn));
    if (monitor && !measured.length) {
      throw new DrValidationError(scope, '`recoveryPointMonitor` measures none of this drill\'s restore testing plans: give it the drill\'s `drillPlans` as its `drillPlans`');
    }
    const overdueHours = Math.ceil(interval.toHours({ integral: false })) + 24;
    const day = Duration.days(1);
    for (const type of drill.resourceTypes) {
      const part = type.toLowerCase();
      const rows: AlarmDefinition[] = [
        {
          id: 'Rto',
          name: 'rto',
          metric: drill.metricMeasuredRto(type, { period: day }),
          threshold: rto.toSeconds(),
          fires: 'above',
          missingData: 'ignore',
          // Snapshot and continuous (PITR) drills share the metric: the day's maximum is the slower of the two.
          description: `The slowest of the last ${type} restore drills (snapshot or continuous point) took longer than the RTO (${rto.toHumanString()}) `
            + 'from the restore job\'s creation to a validated, queryable copy.',
        },
        {
          id: 'Failed',
          name: 'failed',
          metric: drill.metricDrillFailed(type, { period: day }),
          threshold: 1,
          fires: 'atOrAbove',
          missingData: 'ignore',
          // Summed over the day: a failed drill of either kind (snapshot or continuous) fires it.
          description: `A ${type} restore drill (snapshot or continuous point) failed or timed out: the backups are not proven to restore. `
            + 'Its reason is in AWS Backup\'s restore testing jobs.',
        },
      ];
      for (const plan of measured.filter((p) => p.resourceTypes!.includes(type))) {
        rows.push({
          id: `${pascalCase(plan.name)}Overdue`,
          name: `${plan.name}-overdue`,
          metric: monitor!.metricLastValidatedDrillAge(plan.name, type),
          threshold: overdueHours,
          fires: 'above',
          missingData: 'breaching',
          evaluationPeriods: 3,
          description: `No ${type} restore drill of the ${plan.name} plan has validated in ${overdueHours} hours (the ${interval.toHumanString()} schedule plus a day), `
            + 'or none ever has: that recovery path is unproven. Missing data counts as breaching.',
        });
      }
      this.alarms.push(...factory.addAlarms(`Drill${pascalCase(part)}`, `drill-${part}`, rows));
    }
    const perType = (metric: (type: ProtectedResourceType) => cloudwatch.IMetric) => drill.resourceTypes.map(metric);
    this.widgets = [
      new cloudwatch.SingleValueWidget({
        title: `Last drill: measured RTO (seconds; RTO ${rto.toHumanString()})`,
        width: 12,
        metrics: perType((type) => drill.metricMeasuredRto(type, { period: Duration.days(30), label: type })),
      }),
    ];
    // Without the monitor nothing measures the age: CloudWatch rejects a widget without metrics.
    if (measured.length) {
      this.widgets.push(new cloudwatch.SingleValueWidget({
        title: 'Hours since the last validated drill',
        width: 12,
        metrics: measured.flatMap((plan) => plan.resourceTypes!.filter((type) => drill.resourceTypes.includes(type))
          .map((type) => monitor!.metricLastValidatedDrillAge(plan.name, type, { label: `${type} (${plan.name})` }))),
      }));
    }
  }
}
