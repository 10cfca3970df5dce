import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmDefinition, AlarmFactory, MonitoringSegment } from './alarm-factory';
import { pascalCase } from '../private/naming';
import { RecoveryPointMonitor } from '../recovery-point-monitor';

/**
 * The alarms on a RecoveryPointMonitor's measurements: one per measured
 * resource on its effective RPO; one per Aurora cluster and DynamoDB table on
 * the age of its newest AWS Backup recovery point (their effective RPO comes
 * from their own point-in-time recovery and stays green when AWS Backup
 * stops); one on failed measurements; and the graphs of both ages.
 */
export class RecoveryPointMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, monitor: RecoveryPointMonitor) {
    const grace = 3;
    const rows: AlarmDefinition[] = monitor.resources.map((r) => ({
      id: `Rpo${pascalCase(r.name)}`,
      name: `rpo-${r.name}`,
      metric: monitor.metricEffectiveRpo(r.name),
      threshold: r.alarmThreshold.toSeconds(),
      fires: 'above',
      missingData: 'breaching',
      evaluationPeriods: grace,
      description: `The measured RPO of ${r.resourceType} ${r.name} is over ${r.alarmThreshold.toHumanString()}`
        + (r.measuresRestorableTime ? ' (the RPO)' : ' (the RPO, or what hourly snapshots allow, whichever is longer: no API reports its continuous backup\'s latest restorable time)')
        + `: a restore now would lose more data than that. Missing data counts as breaching after ${grace} runs: the resource is gone, has no recovery point or cannot be measured.`,
    }));
    for (const r of monitor.resources) {
      const threshold = r.backupAgeAlarmThreshold;
      if (!threshold) continue;
      rows.push({
        id: `BackupAge${pascalCase(r.name)}`,
        name: `backup-age-${r.name}`,
        metric: monitor.metricBackupRecoveryPointAge(r.name),
        threshold: threshold.toSeconds(),
        fires: 'above',
        missingData: 'breaching',
        evaluationPeriods: grace,
        description: `The newest recovery point AWS Backup created for ${r.resourceType} ${r.name} is older than ${threshold.toHumanString()}`
          + ' (what hourly snapshots allow): AWS Backup has stopped backing it up, although its own point-in-time recovery may keep the measured RPO low.'
          + ` RDS's automated snapshots do not count. Missing data counts as breaching after ${grace} runs: AWS Backup never backed it up, or it cannot be measured.`,
      });
    }
    rows.push({
      id: 'RpoMeasurementFailures',
      name: 'rpo-measurement-failed',
      metric: monitor.metricMeasurementFailures(),
      threshold: 1,
      fires: 'atOrAbove',
      missingData: 'breaching',
      evaluationPeriods: grace,
      description: `The recovery point monitor could not measure a resource, or did not run, ${grace} times in a row: see its log group ${monitor.logGroup.logGroupName}.`,
    });
    this.alarms = factory.addAlarms('', '', rows);
    // A monitor given no resource yet has nothing to graph: CloudWatch rejects a graph without metrics.
    const annotations = (thresholds: (Duration | undefined)[]) => [...new Set(thresholds.flatMap((d) => d ? [d.toSeconds()] : []))]
      .map((value) => ({ value, label: `alarm at ${Duration.seconds(value).toHumanString()}` }));
    this.widgets = monitor.resources.length === 0 ? [] : [
      new cloudwatch.GraphWidget({
        title: 'Measured RPO (seconds): data a restore now would lose',
        width: 12,
        left: monitor.resources.map((r) => monitor.metricEffectiveRpo(r.name).with({ label: `${r.name} (${r.resourceType})` })),
        leftAnnotations: annotations(monitor.resources.map((r) => r.alarmThreshold)),
      }),
      new cloudwatch.GraphWidget({
        title: 'Newest AWS Backup recovery point (age, seconds)',
        width: 12,
        left: monitor.resources.map((r) => monitor.metricBackupRecoveryPointAge(r.name).with({ label: `${r.name} (${r.resourceType})` })),
        leftAnnotations: annotations(monitor.resources.map((r) => r.backupAgeAlarmThreshold)),
      }),
    ];
  }
}
