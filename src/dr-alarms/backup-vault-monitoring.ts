import { Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmFactory, MAX_ALARM_EVALUATION_MINUTES, MonitoringSegment, validateSameRegion } from './alarm-factory';
import { BACKUP_RESOURCE_TYPES } from '../hourly-backup/backup-resource-types';
import { vaultJobCount } from '../private/backup-metrics';
import { describeDuration } from '../private/duration';
import { DrValidationError } from '../private/validation';


/**
 * What the dead-man alarm of a backup vault needs to know.
 */
export interface BackupVaultMonitorOptions {
  /** The RPO the plan writing to the vault holds its resources to. */
  readonly rpo: Duration;

  /**
   * The completion window of the plan's backup rules: how late after its
   * scheduled time a job may complete. A vault does not tell it, so it is
   * asked for.
   */
  readonly completionWindow: Duration;
}

/**
 * A backup vault's alarms: failed and expired backup jobs, failed copy jobs,
 * and the dead man's switch on completed jobs; and its graph of job counts.
 */
export class BackupVaultMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[];
  public readonly widgets: cloudwatch.IWidget[];

  constructor(factory: AlarmFactory, vault: backup.IBackupVault, options: BackupVaultMonitorOptions) {
    validateSameRegion(factory.scope, vault, 'the backup vault', 'monitorBackupVault', vault.backupVaultArn);
    const scope = factory.scope;
    const vaultName = vault.backupVaultName;
    const rpo = options.rpo;
    const completionWindow = options.completionWindow;
    for (const [prop, d] of [['rpo', rpo], ['completionWindow', completionWindow]] as const) {
      if (d.isUnresolved()) {
        throw new DrValidationError(scope, `\`${prop}\` must be a concrete duration, not a token: the missed-backup alarm's window is computed from it at synth, got: ${describeDuration(d)}`);
      }
      if (d.toSeconds({ integral: false }) <= 0) {
        throw new DrValidationError(scope, `\`${prop}\` must be positive, got: ${d.toHumanString()}`);
      }
    }
    // Robust to whether AWS publishes a vault-only series: see vaultJobCount.
    const backupMetric = (metricName: string, period: Duration) =>
      vaultJobCount(metricName, vaultName, BACKUP_RESOURCE_TYPES, period);
    const failed = factory.thresholds.backupJobsFailed;
    // Dead man's switch: evaluated hourly over the RPO plus the completion
    // window, the longest a healthy plan goes without a completed job.
    const silentMinutes = rpo.toMinutes({ integral: false }) + completionWindow.toMinutes({ integral: false });
    const hours = Math.max(1, Math.ceil(silentMinutes / 60));
    if (hours * 60 > MAX_ALARM_EVALUATION_MINUTES) {
      throw new DrValidationError(scope,
        '`rpo` plus `completionWindow` of the backup plan must be at most 7 days for the missed-backup alarm, which CloudWatch evaluates over at most 7 days, '
        + `got: rpo ${describeDuration(rpo)} + completionWindow ${describeDuration(completionWindow)} = ${hours} hours`);
    }
    this.alarms = factory.addAlarms('', '', [
      {
        id: 'BackupJobsFailed',
        name: 'backup-jobs-failed',
        metric: backupMetric('NumberOfBackupJobsFailed', factory.period),
        threshold: failed,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Backup jobs failed in vault ${vaultName}: the resources they cover have no new recovery point.`,
      },
      {
        id: 'BackupJobsExpired',
        name: 'backup-jobs-expired',
        metric: backupMetric('NumberOfBackupJobsExpired', factory.period),
        threshold: failed,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'Backup jobs expired: they did not start within the start window.',
      },
      {
        id: 'CopyJobsFailed',
        name: 'copy-jobs-failed',
        metric: backupMetric('NumberOfCopyJobsFailed', factory.period),
        threshold: failed,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: 'Backup copy jobs failed: a recovery point was not copied.',
      },
      {
        id: 'NoCompletedBackup',
        name: 'backup-missing',
        metric: backupMetric('NumberOfBackupJobsCompleted', Duration.hours(1)),
        threshold: 1,
        fires: 'below',
        missingData: 'breaching',
        evaluationPeriods: hours,
        description: `No backup job completed in vault ${vaultName} for ${hours} hours (RPO ${rpo.toHumanString()} `
          + `+ completion window ${completionWindow.toHumanString()}): the RPO is no longer being met. Missing data counts as breaching.`,
      },
    ]);
    this.widgets = [new cloudwatch.GraphWidget({
      title: 'Backup jobs',
      width: 24,
      left: [
        backupMetric('NumberOfBackupJobsCompleted', Duration.hours(1)).with({ label: 'Completed' }),
        backupMetric('NumberOfBackupJobsFailed', Duration.hours(1)).with({ label: 'Failed' }),
        backupMetric('NumberOfBackupJobsExpired', Duration.hours(1)).with({ label: 'Expired' }),
        backupMetric('NumberOfCopyJobsFailed', Duration.hours(1)).with({ label: 'Copy failed' }),
      ],
    })];
  }
}
