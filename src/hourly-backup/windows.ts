/**
 * HourlyBackup's durations: the RPO, the snapshot windows and the
 * retentions, defaulted and checked against AWS Backup's limits and
 * against each other.
 */
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SCHEDULE_INTERVAL } from './coverage';
import { HourlyBackupOptions } from './options';
import { validateDays, validateDuration } from '../private/duration';
import { DrValidationError } from '../private/validation';

/** AWS Backup's maximum start and completion window: 100 years, in minutes. */
const MAX_WINDOW_MINUTES = 52_560_000;

/** The durations of a backup plan, with their defaults. */
export interface BackupWindows {
  readonly rpo: Duration;
  readonly retention: Duration;
  readonly continuousBackup: boolean;
  readonly continuousRetention: Duration;
  readonly startWindow: Duration;
  readonly completionWindow: Duration;
  readonly minimumRetention: Duration;
}

/** Defaults and checks HourlyBackup's durations; errors are reported on `scope`. */
export function resolveWindows(scope: Construct, props: HourlyBackupOptions & { readonly rpo?: Duration }): BackupWindows {
  const rpo = props.rpo ?? Duration.hours(1);
  const retention = props.retention ?? Duration.days(7);
  const continuousBackup = props.continuousBackup ?? true;
  const startWindow = props.startWindow ?? Duration.hours(1);
  const synthTime = 'it sets the backup windows and the alarms, and is checked against every resource\'s worst-case data loss at synth';
  validateDuration(scope, 'rpo', rpo, {
    unit: 'minutes',
    min: 1,
    max: MAX_WINDOW_MINUTES - 60,
    maxReason: 'the completion window it implies must fit AWS Backup\'s 100-year maximum',
    tokens: false,
    tokenReason: synthTime,
  });
  validateDuration(scope, 'startWindow', startWindow, {
    unit: 'minutes',
    min: 60,
    max: MAX_WINDOW_MINUTES,
    minReason: 'the AWS Backup minimum',
    maxReason: 'AWS Backup\'s maximum',
    tokens: false,
    tokenReason: synthTime,
  });
  if (props.completionWindow) {
    validateDuration(scope, 'completionWindow', props.completionWindow, {
      unit: 'minutes', min: 1, max: MAX_WINDOW_MINUTES, maxReason: 'AWS Backup\'s maximum', tokens: false, tokenReason: synthTime,
    });
  }
  const rpoFloor = maxDuration(rpo, SCHEDULE_INTERVAL);
  const completionWindow = props.completionWindow ?? startWindow.plus(rpoFloor);
  const retentionDays = validateDuration(scope, 'retention', retention, {
    unit: 'days',
    min: 7,
    max: 36500,
    tokens: false,
    tokenReason: 'it sets the vault lock\'s minimum retention and the continuous-backup default at synth',
  });
  const continuousRetention = props.continuousBackupRetention
    ?? (retentionDays !== undefined && retentionDays > 35 ? Duration.days(35) : retention);
  if (continuousBackup) {
    validateDays(scope, 'continuousBackupRetention', continuousRetention, 7, 35);
  }
  const minimumRetention = continuousBackup ? minDuration(retention, continuousRetention) : retention;
  validateWindows(scope, { rpo, startWindow, completionWindow, continuousBackup }, rpoFloor);
  return { rpo, retention, continuousBackup, continuousRetention, startWindow, completionWindow, minimumRetention };
}

function validateWindows(scope: Construct, w: Pick<BackupWindows, 'rpo' | 'startWindow' | 'completionWindow' | 'continuousBackup'>, rpoFloor: Duration): void {
  const unresolved = [w.rpo, w.startWindow, w.completionWindow].some((d) => d.isUnresolved());
  if (unresolved) {
    return;
  }
  const minutes = (d: Duration) => d.toMinutes({ integral: false });
  if (minutes(w.rpo) <= 0) {
    throw new DrValidationError(scope, `\`rpo\` must be positive, got: ${w.rpo.toHumanString()}`);
  }
  if (minutes(w.rpo) < 60 && !w.continuousBackup) {
    throw new DrValidationError(scope,
      `\`rpo\` under 1 hour needs \`continuousBackup\`: the shortest AWS Backup schedule is hourly, got: rpo ${w.rpo.toHumanString()} with continuousBackup false`);
  }
  if (minutes(w.startWindow) < 60) {
    throw new DrValidationError(scope, `\`startWindow\` must be at least 1 hour (the AWS Backup minimum), got: ${w.startWindow.toHumanString()}`);
  }
  if (minutes(w.startWindow) > minutes(rpoFloor)) {
    throw new DrValidationError(scope,
      `\`startWindow\` must not be longer than the RPO (${rpoFloor.toHumanString()}): a job could start after the next one is due, got: ${w.startWindow.toHumanString()}`);
  }
  if (minutes(w.completionWindow) <= minutes(w.startWindow)) {
    throw new DrValidationError(scope,
      `\`completionWindow\` must be longer than \`startWindow\` (${w.startWindow.toHumanString()}): both count from the scheduled time, got: ${w.completionWindow.toHumanString()}`);
  }
  const latest = w.startWindow.plus(rpoFloor);
  if (minutes(w.completionWindow) > minutes(latest)) {
    throw new DrValidationError(scope,
      `\`completionWindow\` must be at most \`startWindow\` plus the RPO (${latest.toHumanString()}), so a job that runs late fails instead of being silently late, got: ${w.completionWindow.toHumanString()}`);
  }
}

function maxDuration(a: Duration, b: Duration): Duration {
  if (a.isUnresolved() || b.isUnresolved()) {
    return a;
  }
  return a.toSeconds() >= b.toSeconds() ? a : b;
}

function minDuration(a: Duration, b: Duration): Duration {
  if (a.isUnresolved() || b.isUnresolved()) {
    return a;
  }
  return a.toSeconds() <= b.toSeconds() ? a : b;
}
