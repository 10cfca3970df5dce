import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AlarmFactory, MonitoringSegment, MonitorOptions, validateSameRegion } from './alarm-factory';
import { namePartFromId, pascalCase } from '../private/naming';
import { DrValidationError, quote } from '../private/validation';
import { VpcLambda } from '../vpc-lambda';

/**
 * Options for monitoring a Lambda function.
 */
export interface MonitorFunctionOptions extends MonitorOptions {
  /**
   * The function's timeout, for the duration alarm.
   *
   * @default - the timeout of a `lambda.Function`; required for other `IFunction`s
   */
  readonly timeout?: Duration;
}

/**
 * A Lambda function's alarms (errors, throttles, duration near its timeout)
 * and their graphs.
 */
export class FunctionMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, fn: lambda.IFunction, options: MonitorFunctionOptions) {
    validateSameRegion(factory.scope, fn, 'the function', 'monitorFunction', fn.functionArn);
    if (options.name === undefined) {
      const taken = defaultName(fn);
      if (factory.isWatched(taken)) {
        const other = factory.watchedConstruct(taken);
        throw new DrValidationError(factory.scope,
          `the function ${fn.node.path} would be watched as ${quote(taken)}, the default name of its alarms, which ${other ? `the function ${other}` : 'another subject'} `
          + 'already has here: watch it with monitorFunction and a `name` of its own, or give it another construct id');
      }
    }
    const name = factory.subjectName(options.name ?? defaultName(fn), fn);
    // A lambda.Function without a timeout runs with Lambda's default of 3 seconds.
    const timeout = options.timeout ?? (fn instanceof lambda.Function ? (fn.timeout ?? Duration.seconds(3)) : undefined);
    if (!timeout) {
      throw new DrValidationError(factory.scope, `\`timeout\` is required to watch ${fn.node.path}: only a lambda.Function carries its timeout`);
    }
    const period = factory.period;
    const errors = fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM });
    const throttles = fn.metricThrottles({ period, statistic: cloudwatch.Stats.SUM });
    const duration = fn.metricDuration({ period, statistic: cloudwatch.Stats.MAXIMUM });
    const t = factory.thresholds;
    const percent = t.functionDurationPercentOfTimeout;
    this.alarms = factory.addAlarms(pascalCase(name), name, [
      {
        id: 'Errors',
        name: 'errors',
        metric: errors,
        threshold: t.functionErrors,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Lambda ${name} invocations failed.`,
      },
      {
        id: 'Throttles',
        name: 'throttles',
        metric: throttles,
        threshold: t.functionThrottles,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Lambda ${name} invocations were throttled.`,
      },
      {
        id: 'Duration',
        name: 'duration',
        metric: duration,
        threshold: Math.round(timeout.toMilliseconds() * percent / 100),
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Lambda ${name} ran for ${percent}% of its ${timeout.toHumanString()} timeout: it is about to time out.`,
      },
    ]);
    this.widgets = [
      new cloudwatch.GraphWidget({ title: `Lambda ${name}: errors and throttles`, width: 12, left: [errors, throttles] }),
      new cloudwatch.GraphWidget({ title: `Lambda ${name}: duration (ms)`, width: 12, left: [duration] }),
    ];
  }
}

/**
 * The name a function's alarms carry by default: `fn-{name}` for the
 * function of a VpcLambda, whose own construct id is always `Function`, and
 * `fn-{construct id}` for any other.
 */
function defaultName(fn: lambda.IFunction): string {
  const owner = fn.node.scope;
  return owner instanceof VpcLambda && owner.function === fn ? `fn-${owner.name}` : `fn-${namePartFromId(fn.node.id)}`;
}
