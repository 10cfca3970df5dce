/**
 * AWS Backup schedule expressions, read for their worst case: the longest gap
 * between two scheduled backups. Cron fields follow the EventBridge syntax
 * that AWS Backup uses (six fields: minutes hours day-of-month month
 * day-of-week year; day-of-week 1-7 is SUN-SAT):
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html#plan-options-and-configuration
 */

/** What a schedule expression means for the RPO. */
export interface ScheduleFacts {
  /** The expression as written. */
  readonly expression: string;
  /** The longest gap between two scheduled runs, in seconds; undefined when it cannot be read. */
  readonly intervalSeconds?: number;
  /** Why the interval cannot be read. */
  readonly unknownReason?: string;
  /** Whether the expression is `rate(...)`, which AWS Backup does not document for backup rules. */
  readonly isRate: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const RATE_UNITS: Record<string, number> = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 };

/** Reads a schedule expression; never throws (an unreadable one has an unknownReason). */
export function parseSchedule(expression: string): ScheduleFacts {
  const text = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/i.exec(text);
  if (rate) {
    const unit = RATE_UNITS[rate[2].toLowerCase()];
    const amount = Number(rate[1]);
    if (!unit || amount < 1) {
      return { expression, isRate: true, unknownReason: `\`${expression}\` is not a rate expression (rate(N minutes|hours|days), N at least 1)` };
    }
    return { expression, isRate: true, intervalSeconds: amount * unit };
  }
  const cron = /^cron\((.*)\)$/i.exec(text);
  if (!cron) {
    return { expression, isRate: false, unknownReason: `\`${expression}\` is neither cron(...) nor rate(...)` };
  }
  try {
    return { expression, isRate: false, intervalSeconds: cronInterval(cron[1]) };
  } catch (e) {
    return { expression, isRate: false, unknownReason: `\`${expression}\`: ${(e as Error).message}` };
  }
}

/** The values a cron field allows. */
function expandField(field: string, min: number, max: number, names: string[] = [], nameBase = min): number[] {
  const values = new Set<number>();
  const value = (token: string): number => {
    const upper = token.toUpperCase();
    const named = names.indexOf(upper);
    if (named >= 0) {
      return named + nameBase;
    }
    if (!/^\d+$/.test(token)) {
      throw new Error(`\`${token}\` is not a value between ${min} and ${max}`);
    }
    const n = Number(token);
    if (n < min || n > max) {
      throw new Error(`${n} is outside ${min}-${max}`);
    }
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new Error(`bad step in \`${part}\``);
    }
    let from: number;
    let to: number;
    if (range === '*' || range === '?') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    if (from > to) {
      throw new Error(`range \`${range}\` runs backwards`);
    }
    for (let n = from; n <= to; n += step) {
      values.add(n);
    }
  }
  return [...values].sort((a, b) => a - b);
}

/** A day-of-month or day-of-week test, with the L and # forms. */
type DayTest = (date: Date) => boolean;

function dayOfMonthTest(field: string): DayTest | undefined {
  if (field === '?') {
    return undefined;
  }
  if (field === '*') {
    return () => true;
  }
  if (field.toUpperCase() === 'L') {
    return (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate() === d.getUTCDate();
  }
  const w = /^(\d+)W$/i.exec(field);
  if (w) {
    // The weekday nearest the given day of the month, within the month.
    const day = Number(w[1]);
    return (d) => isNearestWeekday(d, day);
  }
  const days = new Set(expandField(field, 1, 31));
  return (d) => days.has(d.getUTCDate());
}

function isNearestWeekday(d: Date, day: number): boolean {
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  const target = Math.min(day, last);
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), target));
  let nearest = target;
  if (t.getUTCDay() === 6) {
    nearest = target === 1 ? 3 : target - 1;
  } else if (t.getUTCDay() === 0) {
    nearest = target === last ? target - 2 : target + 1;
  }
  return d.getUTCDate() === nearest;
}

function dayOfWeekTest(field: string): DayTest | undefined {
  if (field === '?') {
    return undefined;
  }
  if (field === '*') {
    return () => true;
  }
  const nth = /^([A-Z]{3}|\d)#([1-5])$/i.exec(field);
  if (nth) {
    const dow = expandField(nth[1], 1, 7, DAYS, 1)[0] - 1;
    const n = Number(nth[2]);
    return (d) => d.getUTCDay() === dow && Math.ceil(d.getUTCDate() / 7) === n;
  }
  const last = /^([A-Z]{3}|\d)L$/i.exec(field);
  if (last) {
    const dow = expandField(last[1], 1, 7, DAYS, 1)[0] - 1;
    return (d) => d.getUTCDay() === dow && d.getUTCDate() + 7 > new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  }
  const days = new Set(expandField(field, 1, 7, DAYS, 1).map((n) => n - 1));
  return (d) => days.has(d.getUTCDay());
}

/**
 * The longest gap between two runs of a cron expression, in seconds, found by
 * listing every run over four years (a leap year and three others, so monthly
 * and yearly schedules show their longest gap). Time zones are not applied:
 * the caller adds a daylight-saving hour when the rule names a zone.
 */
export function cronInterval(body: string): number {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(`a cron expression has six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  }
  const [minF, hourF, domF, monF, dowF, yearF] = fields;
  if (yearF !== '*') {
    throw new Error('a schedule limited to some years ends: its worst case is unbounded');
  }
  const minutes = expandField(minF, 0, 59);
  const hours = expandField(hourF, 0, 23);
  const months = new Set(expandField(monF, 1, 12, MONTHS, 1));
  const dom = dayOfMonthTest(domF);
  const dow = dayOfWeekTest(dowF);
  if (domF !== '?' && dowF !== '?') {
    throw new Error('one of day-of-month and day-of-week must be ?');
  }
  const dayMatches = (d: Date) => (dom ? dom(d) : true) && (dow ? dow(d) : true);
  const runs: number[] = [];
  // A fixed span of four years from a Monday, 1 January 2024 (a leap year):
  // the gaps repeat, so the span's start changes nothing.
  const start = Date.UTC(2024, 0, 1);
  const DAY = 86_400_000;
  for (let day = 0; day < 4 * 366; day++) {
    const date = new Date(start + day * DAY);
    if (!months.has(date.getUTCMonth() + 1) || !dayMatches(date)) {
      continue;
    }
    for (const h of hours) {
      for (const m of minutes) {
        runs.push(start + day * DAY + h * 3_600_000 + m * 60_000);
      }
    }
  }
  if (runs.length < 2) {
    throw new Error('the schedule runs fewer than twice in four years');
  }
  let longest = 0;
  for (let i = 1; i < runs.length; i++) {
    longest = Math.max(longest, runs[i] - runs[i - 1]);
  }
  return longest / 1000;
}
