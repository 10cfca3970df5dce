import { Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmFactory, MonitoringSegment } from './alarm-factory';
import { BACKUP_RESOURCE_TYPES } from '../hourly-backup/backup-resource-types';
import { vaultJobCount } from '../private/backup-metrics';
import { pascalCase } from '../private/naming';
import { DrValidationError } from '../private/validation';

/**
 * The alarms on copies from this region into vaults of other regions, one
 * per destination, and a graph each.
 */
export class BackupCopyMonitoring implements MonitoringSegment {
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly widgets: cloudwatch.IWidget[] = [];

  constructor(factory: AlarmFactory, destinations: backup.IBackupVault[]) {
    if (destinations.length === 0) {
      throw new DrValidationError(factory.scope, '`destinations` must name at least one vault to watch copies into');
    }
    const regions = destinations.map((v) => vaultRegionOf(v));
    destinations.forEach((vault, i) => {
      const region = regions[i];
      // A region names the alarm when it is known and names one destination only.
      const part = region && regions.filter((r) => r === region).length === 1 ? region : `destination${i + 1}`;
      if (factory.isWatched(`backup-copy-${part}`)) {
        throw new DrValidationError(factory.scope,
          `copies into ${region ?? `destination ${i + 1}`} are already watched here (alarm dr-backup-copy-${part}-failed): watch each destination once, got: ${vault.backupVaultName}`);
      }
      const subject = factory.subjectName(`backup-copy-${part}`);
      const failed = vaultJobCount('NumberOfCopyJobsFailed', vault.backupVaultName, BACKUP_RESOURCE_TYPES, factory.period);
      // A graph each: the math ids of two destinations' counts would clash in one.
      this.widgets.push(new cloudwatch.GraphWidget({
        title: `Backup copies into ${region ?? vault.backupVaultName}: failed copy jobs`,
        width: 12,
        left: [failed.with({ label: `Copy into ${part} failed` })],
      }));
      this.alarms.push(...factory.addAlarms(pascalCase(subject), subject, [{
        id: 'Failed',
        name: 'failed',
        metric: failed,
        threshold: factory.thresholds.backupJobsFailed,
        fires: 'atOrAbove',
        missingData: 'notBreaching',
        description: `Backup copy jobs into vault ${vault.backupVaultName}${region ? ` (${region})` : ''} failed: a recovery point was not copied out of this region, `
          + 'so a restore after losing the region would be older than the plan promises. The copy job\'s status message says why.',
      }]));
    });
  }
}

/** The region in a vault's ARN, or undefined when it is a token (a partition token alone does not hide it). */
function vaultRegionOf(vault: backup.IBackupVault): string | undefined {
  const parts = vault.backupVaultArn.split(':');
  return parts.length === 7 && parts[2] === 'backup' && !Token.isUnresolved(parts[3]) ? parts[3] : undefined;
}
