import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmDefinition, AlarmFactory, MonitoringSegment } from './alarm-factory';
import { pascalCase } from '../private/naming';
import { RecoveryPointMonitor } from '../recovery-point-monitor';

/**
 * The alarms on a RecoveryPointMonitor's measurements: one per measured
 * resource on its effective RPO, one on failed measurements; and the graph
 * of the measured RPOs.
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
    this.widgets = monitor.resources.length === 0 ? [] : [new cloudwatch.GraphWidget({
      title: 'Measured RPO (seconds): data a restore now would lose',
      width: 24,
      left: monitor.resources.map((r) => monitor.metricEffectiveRpo(r.name).with({ label: `${r.name} (${r.resourceType})` })),
      leftAnnotations: [...new Set(monitor.resources.map((r) => r.alarmThreshold.toSeconds()))]
        .map((value) => ({ value, label: `alarm at ${Duration.seconds(value).toHumanString()}` })),
    })];
  }
}
