/**
 * Class 8 of issue 18 (values AWS rejects pass through), for the Region
 * switch rehearsal's schedule: EventBridge Scheduler takes a recurring
 * `rate(value unit)` (minutes, hours or days; singular for 1) or a six-field
 * AWS cron expression with exactly one of day-of-month and day-of-week `?`;
 * the rehearsal also refuses one more often than daily (it moves production
 * traffic twice) or a rate longer than the interval the overdue alarm allows.
 * Sweeps shapes written with ScheduleExpression.expression, as a user would;
 * the rule is written out here on its own.
 */
import { Duration } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { attempt } from './harness';
import { RegionSwitchPlan, RegionSwitchRehearsal } from '../../src';

const ENV = { account: '123456789012', region: 'us-west-2' };
const INTERVAL_HOURS = 30 * 24;
const HOURS: Record<string, number> = { minute: 1 / 60, hour: 1, day: 24 };

function accepted(expression: string): boolean {
  const rate = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const hours = value * HOURS[rate[2]];
    return value >= 1 && (value === 1) === (rate[3] === '') && hours >= 24 && hours <= INTERVAL_HOURS;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return false;
  const f = cron[1].trim().split(/\s+/);
  return f.length === 6 && (f[2] === '?') !== (f[4] === '?') && !f.some((x) => /[^0-9A-Za-z,\-*/?#]/.test(x));
}

const EXPRESSIONS = [
  'cron(0 10 ? * TUE#2 *)', 'cron(0 10 1 * ? *)', 'cron(30 9 ? * MON *)', 'cron(0 10 ? * 3#1 *)',
  'cron(0 10 * * ? *)', 'cron(0 10 * * MON *)', 'cron(0 10 ? * ? *)', 'cron(0 10 ? * TUE)', 'cron(0 10 ? * TUE * *)', 'cron()',
  'rate(1 day)', 'rate(1 days)', 'rate(7 days)', 'rate(30 days)', 'rate(31 days)', 'rate(2 hours)', 'rate(24 hours)', 'rate(1440 minutes)',
  'rate(0 days)', 'rate(7 weeks)', 'rate(7days)', 'at(2027-01-01T10:00:00)', '0 10 ? * TUE#2 *',
];

test.each(EXPRESSIONS)('%s', (expression) => {
  const verdict = attempt((stack) => {
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-west-2:123456789012:t');
    const plan = new RegionSwitchPlan(stack, 'Switch', {
      environmentSuffix: 'dev', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2', recoveryTimeObjective: Duration.minutes(15), alarmTopic: topic,
    });
    new RegionSwitchRehearsal(stack, 'Rehearsal', {
      environmentSuffix: 'dev',
      plan,
      markerTable: { tableName: 'dr-table-dev', partitionKeyName: 'pk' },
      alarmTopic: topic,
      schedule: scheduler.ScheduleExpression.expression(expression),
      scheduleInterval: Duration.hours(INTERVAL_HOURS),
    });
  }, { env: ENV });
  expect(verdict.accepted).toBe(accepted(expression));
  if (verdict.accepted) {
    const schedule = Object.values<any>(verdict.template.Resources).find((r) => r.Properties?.Name === 'dr-switch-rehearsal-dev');
    expect(schedule.Properties.ScheduleExpression).toBe(expression);
  } else {
    expect(verdict.message).toMatch(/^`(schedule|scheduleInterval)` (must|has|\(\d+ hours\) must)/);
    expect(verdict.message).toContain(expression);
  }
});
