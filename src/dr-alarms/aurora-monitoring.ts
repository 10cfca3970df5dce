import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AlarmFactory, MonitoringSegment, MonitorOptions, validateSameRegion } from './alarm-factory';
import { pascalCase } from '../private/naming';

/**
 * An Aurora cluster's alarms (CPU, freeable memory, connections, replica lag,
 * deadlocks) and their graphs.
 */
export class AuroraMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, cluster: rds.IDatabaseCluster, options: MonitorOptions) {
    validateSameRegion(factory.scope, cluster, 'the cluster', 'monitorDatabase', cluster.clusterArn);
    const name = factory.subjectName(options.name ?? 'aurora');
    const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName,
      dimensionsMap: { DBClusterIdentifier: cluster.clusterIdentifier },
      statistic,
      period: factory.period,
    });
    const cpu = metric('CPUUtilization', cloudwatch.Stats.MAXIMUM);
    const memory = metric('FreeableMemory', cloudwatch.Stats.MINIMUM);
    const connections = metric('DatabaseConnections', cloudwatch.Stats.MAXIMUM);
    const lag = metric('AuroraReplicaLagMaximum', cloudwatch.Stats.MAXIMUM);
    const deadlocks = metric('Deadlocks', cloudwatch.Stats.AVERAGE);
    const t = factory.thresholds;
    this.alarms = factory.addAlarms(pascalCase(name), name, [
      {
        id: 'Cpu',
        name: 'cpu',
        metric: cpu,
        threshold: t.databaseCpuPercent,
        fires: 'atOrAbove',
        missingData: 'breaching',
        description: 'Aurora CPU is high. Missing data counts as breaching: a cluster that reports no CPU is not serving.',
      },
      {
        id: 'FreeableMemory',
        name: 'freeable-memory',
        metric: memory,
        threshold: t.databaseFreeableMemory,
        fires: 'below',
        missingData: 'notBreaching',
        description: 'Aurora freeable memory is low.',
      },
      {
        id: 'Connections',
        name: 'connections',
        metric: connections,
        threshold: t.databaseConnections,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'Aurora connections are near the limit the application was sized for.',
      },
      {
        id: 'ReplicaLag',
        name: 'replica-lag',
        metric: lag,
        threshold: t.databaseReplicaLag,
        fires: 'atOrAbove',
        missingData: 'breaching',
        description: 'Aurora replica lag is high: a failover now would lose that much data. Missing data counts as breaching: no reader, no failover target.',
      },
      {
        id: 'Deadlocks',
        name: 'deadlocks',
        metric: deadlocks,
        threshold: t.databaseDeadlocksPerSecond,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'Aurora deadlocks: transactions are being rolled back.',
      },
    ]);
    this.widgets = [
      new cloudwatch.GraphWidget({ title: `Aurora ${name}: CPU and connections`, width: 8, left: [cpu], right: [connections] }),
      new cloudwatch.GraphWidget({ title: `Aurora ${name}: freeable memory`, width: 8, left: [memory] }),
      new cloudwatch.GraphWidget({ title: `Aurora ${name}: replica lag (ms) and deadlocks`, width: 8, left: [lag], right: [deadlocks] }),
    ];
  }
}
