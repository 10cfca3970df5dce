import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { AlarmFactory, MonitoringSegment, MonitorOptions, validateSameRegion } from './alarm-factory';
import { pascalCase } from '../private/naming';

/**
 * A DynamoDB table's alarms (read and write throttles, system errors) and
 * the graphs of those and of its latency.
 */
export class TableMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, table: dynamodb.ITable, options: MonitorOptions) {
    validateSameRegion(factory.scope, table, 'the table', 'monitorTable', table.tableArn);
    const name = factory.subjectName(options.name ?? 'table');
    const period = factory.period;
    const metric = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB',
      metricName,
      dimensionsMap: { TableName: table.tableName },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
    const reads = metric('ReadThrottleEvents');
    const writes = metric('WriteThrottleEvents');
    // An alarm's math expression takes at most 10 metrics: the data-plane operations an application calls.
    const systemErrors = table.metricSystemErrorsForOperations({
      period,
      statistic: cloudwatch.Stats.SUM,
      operations: [
        dynamodb.Operation.GET_ITEM, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.DELETE_ITEM,
        dynamodb.Operation.QUERY, dynamodb.Operation.SCAN, dynamodb.Operation.BATCH_GET_ITEM, dynamodb.Operation.BATCH_WRITE_ITEM,
        dynamodb.Operation.TRANSACT_GET_ITEMS, dynamodb.Operation.TRANSACT_WRITE_ITEMS,
      ],
    });
    const t = factory.thresholds;
    this.alarms = factory.addAlarms(pascalCase(name), name, [
      {
        id: 'ReadThrottles',
        name: 'read-throttles',
        metric: reads,
        threshold: t.tableThrottleEvents,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'DynamoDB read requests are being throttled.',
      },
      {
        id: 'WriteThrottles',
        name: 'write-throttles',
        metric: writes,
        threshold: t.tableThrottleEvents,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'DynamoDB write requests are being throttled: writes may be lost if the caller does not retry.',
      },
      {
        id: 'SystemErrors',
        name: 'system-errors',
        metric: systemErrors,
        threshold: t.tableSystemErrors,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'DynamoDB returned server errors (HTTP 500).',
      },
    ]);
    const latency = ['GetItem', 'PutItem', 'Query'].map((operation) => new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB',
      metricName: 'SuccessfulRequestLatency',
      dimensionsMap: { TableName: table.tableName, Operation: operation },
      statistic: cloudwatch.Stats.p(99),
      period,
      label: `${operation} p99`,
    }));
    this.widgets = [
      new cloudwatch.GraphWidget({ title: `DynamoDB ${name}: throttles and system errors`, width: 12, left: [reads, writes], right: [systemErrors] }),
      new cloudwatch.GraphWidget({ title: `DynamoDB ${name}: latency (ms)`, width: 12, left: latency }),
    ];
  }
}
