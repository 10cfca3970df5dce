import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmFactory, MonitoringSegment, validateSameRegion } from './alarm-factory';
import { RegionHealthCheck } from '../region-health-check';

/**
 * A RegionHealthCheck on the dashboard: its own alarm (the one Route 53
 * watches, not a copy), the alarm's graph, and each check's result.
 */
export class RegionHealthMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, healthCheck: RegionHealthCheck) {
    validateSameRegion(factory.scope, healthCheck, 'the region health check', 'monitorRegionHealthCheck');
    this.alarms = [factory.adopt(healthCheck.alarm, `the region health check ${healthCheck.node.path}`)];
    this.widgets = [
      new cloudwatch.AlarmWidget({
        title: `Region health: ${healthCheck.alarmName} (1 = every check passed)`,
        alarm: healthCheck.alarm,
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Region health: each check (1 = passed)',
        width: 12,
        left: healthCheck.checks.map((check) => healthCheck.metricCheckHealthy(check, { label: check })),
      }),
    ];
  }
}

