import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { validateDuration } from './duration';
import { DrValidationError, validateIntegerRange } from './validation';

/**
 * S3's transition waterfall: an object moves only down this list, never up.
 * Standard-IA and One Zone-IA need objects that are at least 30 days old, and
 * keep them at least 30 days before the next transition.
 */
const WATERFALL = ['STANDARD_IA', 'INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'];
const INFREQUENT_ACCESS = new Set(['STANDARD_IA', 'ONEZONE_IA']);
const INFREQUENT_ACCESS_MIN_DAYS = 30;
/** CloudFormation's day counts are 32-bit integers. */
const MAX_DAYS = 2147483647;

interface Step {
  readonly prop: string;
  readonly storageClass: string;
  /** Days, or epoch milliseconds of a date; undefined when a token. */
  readonly at?: number;
}

/**
 * Checks the transitions of current object versions the way S3 checks a
 * lifecycle configuration: whole days (or dates at midnight UTC, not both),
 * Standard-IA and One Zone-IA no earlier than 30 days, classes in waterfall
 * order, and 30 days in an infrequent-access class before the next move.
 */
export function validateTransitions(scope: IConstruct, prop: string, transitions: s3.Transition[] | undefined): void {
  if (!transitions || transitions.length === 0) {
    return;
  }
  const withDate = transitions.filter((t) => t.transitionDate !== undefined).length;
  const steps: Step[] = transitions.map((t, i) => {
    const p = `${prop}[${i}]`;
    const storageClass = t.storageClass.value;
    if ((t.transitionDate === undefined) === (t.transitionAfter === undefined)) {
      throw new DrValidationError(scope, `\`${p}\` must have exactly one of \`transitionAfter\` and \`transitionDate\`, got: ${t.transitionDate ? 'both' : 'neither'}`);
    }
    if (withDate !== 0 && withDate !== transitions.length) {
      throw new DrValidationError(scope, `\`${prop}\` must use either \`transitionAfter\` in every transition or \`transitionDate\` in every one (S3 does not mix them in one rule), got: ${withDate} of ${transitions.length} with a date`);
    }
    if (t.transitionDate) {
      const d = t.transitionDate;
      if (Number.isNaN(d.getTime()) || d.getUTCHours() !== 0 || d.getUTCMinutes() !== 0 || d.getUTCSeconds() !== 0 || d.getUTCMilliseconds() !== 0) {
        throw new DrValidationError(scope, `\`${p}.transitionDate\` must be a date at midnight UTC, as S3 requires, got: ${Number.isNaN(d.getTime()) ? 'an invalid date' : d.toISOString()}`);
      }
      return { prop: `${p}.transitionDate`, storageClass, at: d.getTime() };
    }
    return { prop: `${p}.transitionAfter`, storageClass, at: transitionDays(scope, `${p}.transitionAfter`, storageClass, t.transitionAfter!) };
  });
  checkOrder(scope, steps, withDate === 0 ? 'days' : 'date');
}

/**
 * Checks the transitions of noncurrent versions like `validateTransitions`,
 * and that each happens before the noncurrent versions expire: S3 refuses a
 * transition at or after the expiration.
 */
export function validateNoncurrentTransitions(
  scope: IConstruct,
  prop: string,
  transitions: s3.NoncurrentVersionTransition[] | undefined,
  expirationProp: string,
  expirationDays: number | undefined,
): void {
  if (!transitions || transitions.length === 0) {
    return;
  }
  const steps = transitions.map((t, i) => {
    const p = `${prop}[${i}]`;
    validateIntegerRange(scope, `${p}.noncurrentVersionsToRetain`, t.noncurrentVersionsToRetain, 1, 100);
    return { prop: `${p}.transitionAfter`, storageClass: t.storageClass.value, at: transitionDays(scope, `${p}.transitionAfter`, t.storageClass.value, t.transitionAfter) };
  });
  checkOrder(scope, steps, 'days');
  for (const step of steps) {
    if (step.at !== undefined && expirationDays !== undefined && step.at >= expirationDays) {
      throw new DrValidationError(scope,
        `\`${step.prop}\` must be earlier than \`${expirationProp}\` (${expirationDays} days): noncurrent versions expire before they would move to ${step.storageClass}, got: ${step.at} days`);
    }
  }
}

function transitionDays(scope: IConstruct, prop: string, storageClass: string, after: Duration): number | undefined {
  const min = INFREQUENT_ACCESS.has(storageClass) ? INFREQUENT_ACCESS_MIN_DAYS : 0;
  return validateDuration(scope, prop, after, {
    unit: 'days',
    min,
    max: MAX_DAYS,
    tokens: true,
  });
}

function checkOrder(scope: IConstruct, steps: Step[], kind: 'days' | 'date'): void {
  const known = steps.filter((s) => s.at !== undefined).sort((a, b) => a.at! - b.at!);
  const show = (s: Step) => (kind === 'days' ? `${s.at} days` : new Date(s.at!).toISOString().slice(0, 10));
  for (const s of steps) {
    if (!WATERFALL.includes(s.storageClass)) {
      throw new DrValidationError(scope, `\`${s.prop}\` must move to one of ${WATERFALL.join(', ')}, got: ${s.storageClass}`);
    }
  }
  for (let i = 1; i < known.length; i++) {
    const prev = known[i - 1];
    const cur = known[i];
    if (WATERFALL.indexOf(cur.storageClass) <= WATERFALL.indexOf(prev.storageClass) || cur.at === prev.at) {
      throw new DrValidationError(scope,
        `\`${cur.prop}\` must move to a class after the one of \`${prev.prop}\` in S3's order ${WATERFALL.join(' > ')}, each class once and at a later time, `
        + `got: ${cur.storageClass} at ${show(cur)} after ${prev.storageClass} at ${show(prev)}`);
    }
    const gapDays = kind === 'days' ? cur.at! - prev.at! : (cur.at! - prev.at!) / 86_400_000;
    if (INFREQUENT_ACCESS.has(prev.storageClass) && gapDays < INFREQUENT_ACCESS_MIN_DAYS) {
      throw new DrValidationError(scope,
        `\`${cur.prop}\` must be at least ${INFREQUENT_ACCESS_MIN_DAYS} days after the move to ${prev.storageClass} (\`${prev.prop}\`), as S3 requires, got: ${gapDays} days later`);
    }
  }
}
