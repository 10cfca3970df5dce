import { Duration, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { ResolvedThresholds } from './thresholds';
import { AlarmNames, NAME_LIMITS } from '../names';
import { acknowledgeFinding } from '../private/nag';
import { validateNamePart } from '../private/naming';
import { validateRegionOf } from '../private/regions';
import { DrValidationError, quote } from '../private/validation';

/** CloudWatch evaluates an alarm over at most 7 days (period times evaluation periods). */
export const MAX_ALARM_EVALUATION_MINUTES = 7 * 24 * 60;

/**
 * Options for monitoring one resource.
 */
export interface MonitorOptions {
  /**
   * The name the alarms carry, `dr-{name}-{metric}-{environmentSuffix}`.
   * Lowercase letters, digits and hyphens.
   *
   * @default - 'aurora' for a database, 'table' for a table; for a function, `fn-` and the `name` of the
   * VpcLambda it belongs to, or else its construct id (lowercased)
   */
  readonly name?: string;
}

/** One row of an alarm table: what the alarm watches and when it fires. */
export interface AlarmDefinition {
  /** Appended to the subject's construct id. */
  readonly id: string;
  /** Appended to the subject's name in the alarm name. */
  readonly name: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** At or above the threshold, strictly above it, or below it. */
  readonly fires: 'atOrAbove' | 'above' | 'below';
  /** How a period with no data counts; `ignore` keeps the alarm's state (for metrics published once per event). */
  readonly missingData: 'breaching' | 'notBreaching' | 'ignore';
  readonly description: string;
  /** Periods that must all breach; 1 unless given. */
  readonly evaluationPeriods?: number;
  /**
   * An input of a composite alarm, which notifies in its stead: no actions
   * of its own, and not listed among the watched alarms.
   */
  readonly compositeInput?: boolean;
}

const COMPARISON: Record<AlarmDefinition['fires'], cloudwatch.ComparisonOperator> = {
  atOrAbove: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  above: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  below: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
};

const MISSING_DATA: Record<AlarmDefinition['missingData'], cloudwatch.TreatMissingData> = {
  breaching: cloudwatch.TreatMissingData.BREACHING,
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
  ignore: cloudwatch.TreatMissingData.IGNORE,
};

/** What one monitor made: its alarms, and the row of widgets it adds to the dashboard. */
export interface MonitoringSegment {
  readonly alarms: cloudwatch.IAlarm[];
  readonly widgets: cloudwatch.IWidget[];
}

/** What DrAlarms hands every monitor: the shared names, action, period and thresholds. */
export interface AlarmFactoryProps {
  readonly environmentSuffix: string;
  /** What happens to what monitors create besides alarms (a role function's logs and queue) when the stack deletes it. */
  readonly removalPolicy?: RemovalPolicy;
  readonly names: AlarmNames;
  readonly action: cloudwatch.IAlarmAction;
  readonly period: Duration;
  readonly thresholds: ResolvedThresholds;
}

/**
 * Creates the alarms of every monitor of one DrAlarms, in its scope (so the
 * construct ids do not depend on which monitor made them), named and wired
 * to the topic the same way, and keeps the subjects apart.
 */
export class AlarmFactory {
  /** Every alarm on the dashboard: created here or adopted, in that order of watching. */
  public readonly alarms: cloudwatch.IAlarm[] = [];
  /** The evaluation period of the resource alarms. */
  public readonly period: Duration;
  public readonly thresholds: ResolvedThresholds;
  public readonly environmentSuffix: string;
  public readonly removalPolicy?: RemovalPolicy;
  private readonly names: AlarmNames;
  /** The writer-role metric of each watched global database, by its subject name. */
  private readonly writerRoles = new Map<string, cloudwatch.IMetric>();
  private readonly action: cloudwatch.IAlarmAction;
  /** The name of every watched subject, and the path of the construct it watches. */
  private readonly subjects = new Map<string, string | undefined>();

  /** @param scope the DrAlarms: alarms are created in it and validation errors name it */
  constructor(public readonly scope: Construct, props: AlarmFactoryProps) {
    this.environmentSuffix = props.environmentSuffix;
    this.removalPolicy = props.removalPolicy;
    this.names = props.names;
    this.action = props.action;
    this.period = props.period;
    this.thresholds = props.thresholds;
  }

  /**
   * Creates one alarm per row: construct id `{idPrefix}{row.id}`, name
   * `dr-{namePrefix}-{row.name}-{environmentSuffix}`, notifying the topic on
   * ALARM and OK.
   */
  public addAlarms(idPrefix: string, namePrefix: string, rows: AlarmDefinition[]): cloudwatch.Alarm[] {
    return rows.map((row) => {
      const evaluationPeriods = row.evaluationPeriods ?? 1;
      const alarm = new cloudwatch.Alarm(this.scope, `${idPrefix}${row.id}`, {
        alarmName: this.names.alarm(namePrefix ? `${namePrefix}-${row.name}` : row.name),
        metric: row.metric,
        threshold: row.threshold,
        comparisonOperator: COMPARISON[row.fires],
        treatMissingData: MISSING_DATA[row.missingData],
        alarmDescription: row.description,
        evaluationPeriods,
        datapointsToAlarm: row.evaluationPeriods === undefined ? undefined : evaluationPeriods,
      });
      if (row.compositeInput) {
        acknowledgeFinding(alarm, 'CloudWatchAlarmAction', ['NIST.800.53.R5', 'HIPAA.Security'],
          'An input of a composite alarm, which notifies the alarm topic on ALARM and OK in its stead.');
        return alarm;
      }
      alarm.addAlarmAction(this.action);
      alarm.addOkAction(this.action);
      this.alarms.push(alarm);
      return alarm;
    });
  }

  /**
   * Creates a composite alarm, construct id `{id}`, named
   * `dr-{name}-{environmentSuffix}`, notifying the topic on ALARM and OK.
   */
  public addCompositeAlarm(id: string, name: string, rule: cloudwatch.IAlarmRule, description: string): cloudwatch.CompositeAlarm {
    const alarm = new cloudwatch.CompositeAlarm(this.scope, id, {
      compositeAlarmName: this.names.alarm(name),
      alarmRule: rule,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /**
   * Puts an alarm another construct created among the watched ones (the
   * alarm-status widget, `DrAlarms.alarms`), as it is: its actions are that
   * construct's. `what` names it in the error when it is already watched.
   */
  public adopt<T extends cloudwatch.IAlarm>(alarm: T, what: string): T {
    if (this.alarms.includes(alarm)) {
      throw new DrValidationError(this.scope, `${what} is already watched here (alarm ${alarm.node.path}): watch it once`);
    }
    this.alarms.push(alarm);
    return alarm;
  }

  /** Records the writer-role metric (1 writer, 0 secondary) of the global database watched as `name`. */
  public addWriterRole(name: string, metric: cloudwatch.IMetric): void {
    this.writerRoles.set(name, metric);
  }

  /** The writer-role metric of the global database watched as `name`, if one is. */
  public writerRole(name: string): cloudwatch.IMetric | undefined {
    return this.writerRoles.get(name);
  }

  /** Whether a subject of this name is already watched. */
  public isWatched(name: string): boolean {
    return this.subjects.has(name);
  }

  /** The path of the construct watched under this name, if it is known. */
  public watchedConstruct(name: string): string | undefined {
    return this.subjects.get(name);
  }

  /**
   * Checks and claims the name of a watched subject, the `{name}` of its
   * alarm names.
   *
   * @param watched the construct watched under this name, for later errors
   */
  public subjectName(name: string, watched?: IConstruct): string {
    validateNamePart(this.scope, 'name', name);
    const longest = this.names.alarm(`${name}-freeable-memory`);
    if (longest.length > NAME_LIMITS.cloudwatchAlarm) {
      throw new DrValidationError(this.scope, `\`name\` makes alarm names longer than ${NAME_LIMITS.cloudwatchAlarm} characters, got: ${quote(name)}`);
    }
    if (this.subjects.has(name)) {
      throw new DrValidationError(this.scope, `\`name\` ${quote(name)} is already watched here: give each database, table or function its own name`);
    }
    this.subjects.set(name, watched?.node.path);
    return name;
  }
}

/**
 * Refuses a construct whose alarms are in another region than this
 * DrAlarms: CloudWatch publishes a resource's metrics in its own region, and
 * an alarm reads its own region's only. The watched region is that of its
 * concrete ARN when given (a table imported from another region's ARN), else
 * of the resource's environment or stack. In an environment-agnostic stack
 * a deploy rule refuses any other region (src/private/regions.ts).
 */
export function validateSameRegion(scope: Construct, watched: IConstruct, what: string, method: string, arn?: string): void {
  const here = Stack.of(scope).region;
  const fromArn = arn !== undefined && !Token.isUnresolved(arn) ? arn.split(':')[3] : undefined;
  const there = fromArn || (Resource.isResource(watched) ? watched.env.region : Stack.of(watched).region);
  if (!Token.isUnresolved(here) && !Token.isUnresolved(there) && here !== there) {
    throw new DrValidationError(scope,
      `${what} ${watched.node.path} is in ${there} and this DrAlarms in ${here}; its metrics are published in its own region and its alarms go on a dashboard of that region: call ${method} on the DrAlarms of ${there}`);
  }
  validateRegionOf(scope, method, there, arn ?? watched.node.path, 'same', `${what}'s metrics are published in its own region only`);
}
