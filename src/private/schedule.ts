import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/** The six fields of a cron expression as AWS Backup and EventBridge read them, each with the characters it may hold. */
const CRON_FIELDS: Array<[string, RegExp]> = [
  ['minutes', /^[0-9,\-*/]+$/],
  ['hours', /^[0-9,\-*/]+$/],
  ['day-of-month', /^[0-9,\-*/?LW]+$/],
  ['month', /^([0-9,\-*/]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i],
  ['day-of-week', /^([0-9,\-*/?L#]|SUN|MON|TUE|WED|THU|FRI|SAT)+$/i],
  ['year', /^[0-9,\-*/]+$/],
];

/**
 * Refuses a schedule AWS Backup restore testing would refuse: it takes a
 * cron expression only (no rate), `cron(minutes hours day-of-month month
 * day-of-week year)` with six fields, one of day-of-month and day-of-week
 * `?` (the EventBridge cron rule AWS Backup schedules follow:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html).
 * Unverified offline: finer rules restore testing may add (a minimum
 * interval between runs). Tokens are skipped.
 */
export function validateBackupCron(scope: IConstruct, prop: string, expression: string): void {
  if (Token.isUnresolved(expression)) return;
  const match = /^cron\((.*)\)$/.exec(expression);
  if (!match) {
    throw new DrValidationError(scope, `\`${prop}\` must be a cron expression (restore testing takes no rate), got: ${quote(expression)}`);
  }
  checkCronFields(scope, prop, expression, match[1]);
}

/** The six fields of an AWS cron expression (EventBridge rules, EventBridge Scheduler, AWS Backup), each checked. */
function checkCronFields(scope: IConstruct, prop: string, expression: string, inner: string): void {
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a cron expression of six fields (minutes hours day-of-month month day-of-week year), got: ${quote(expression)} (${fields.length} fields)`);
  }
  for (const [i, [name, allowed]] of CRON_FIELDS.entries()) {
    if (!allowed.test(fields[i])) {
      throw new DrValidationError(scope, `\`${prop}\` has a ${name} field AWS does not accept: ${quote(fields[i])}, got: ${quote(expression)}`);
    }
  }
  if ((fields[2] === '?') === (fields[4] === '?')) {
    throw new DrValidationError(scope,
      `\`${prop}\` must set exactly one of day-of-month and day-of-week to "?" (AWS cron), got: ${quote(expression)}`);
  }
}

const RATE_UNIT_HOURS: Record<string, number> = { minute: 1 / 60, minutes: 1 / 60, hour: 1, hours: 1, day: 24, days: 24 };

/**
 * Refuses a recurring EventBridge Scheduler expression Scheduler would refuse
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
 * `rate(value unit)`, the unit singular for 1 and plural otherwise, or a
 * six-field cron expression; a one-time `at(...)` is not a schedule. Returns
 * a rate's period in hours (undefined for cron and tokens), so the caller can
 * hold it to its own limits.
 */
export function validateSchedulerExpression(scope: IConstruct, prop: string, expression: string): number | undefined {
  if (Token.isUnresolved(expression)) return undefined;
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    checkCronFields(scope, prop, expression, cron[1]);
    return undefined;
  }
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (!rate) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a recurring EventBridge Scheduler expression, rate(value unit) or cron(minutes hours day-of-month month day-of-week year), got: ${quote(expression)}`);
  }
  const value = Number(rate[1]);
  const unit = rate[2];
  if (value < 1 || (value === 1) !== !unit.endsWith('s')) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a rate of at least 1, with a singular unit for 1 and a plural one otherwise (rate(1 day), rate(7 days)), got: ${quote(expression)}`);
  }
  return value * RATE_UNIT_HOURS[unit];
}
