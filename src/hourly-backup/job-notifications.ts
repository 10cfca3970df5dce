import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** What the job notifications need to know. */
export interface JobNotificationOptions {
/** The environment suffix, for descriptions. */
  readonly environmentSuffix: string;
  /** The vault whose backup jobs are reported. */
  readonly vault: backup.IBackupVault;
  /** Where the messages go. */
  readonly topic: sns.ITopic;
  /** Also report completed backup jobs. */
  readonly notifyOnCompleted: boolean;
  /** The physical name of the rule for one event, `backup-job-failed` and the like. */
  ruleName(event: string): string;
}

/** EventBridge rules that turn job state changes into readable messages on the topic. */
export function addJobEventRules(scope: Construct, options: JobNotificationOptions): events.Rule[] {
  const suffix = options.environmentSuffix;
  const notifyOnCompleted = options.notifyOnCompleted;
  const field = (p: string) => events.EventField.fromPath(p);
  const backupStates = ['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL'];
  const rules: Array<{ id: string; name: string; detailType: string; detail: Record<string, unknown>; message: string }> = [
    {
      id: 'BackupJobFailedRule',
      name: options.ruleName('backup-job-failed'),
      detailType: 'Backup Job State Change',
      detail: { state: backupStates, backupVaultName: [options.vault.backupVaultName] },
      message: `AWS Backup job ${field('$.detail.state')} for ${field('$.detail.resourceArn')} `
        + `(${field('$.detail.resourceType')}) in vault ${field('$.detail.backupVaultName')}: ${field('$.detail.statusMessage')}. `
        + `Job ${field('$.detail.backupJobId')}, account ${field('$.account')}, region ${field('$.region')}, at ${field('$.time')}.`,
    },
    {
      id: 'CopyJobFailedRule',
      name: options.ruleName('copy-job-failed'),
      detailType: 'Copy Job State Change',
      detail: { state: ['FAILED'] },
      message: `AWS Backup copy job ${field('$.detail.state')} for ${field('$.detail.resourceArn')}: ${field('$.detail.statusMessage')}. `
        + `Job ${field('$.detail.copyJobId')}, account ${field('$.account')}, region ${field('$.region')}, at ${field('$.time')}.`,
    },
    {
      id: 'RestoreJobFailedRule',
      name: options.ruleName('restore-job-failed'),
      detailType: 'Restore Job State Change',
      // Restore jobs report `status`, not `state`.
      detail: { status: ['FAILED', 'ABORTED'] },
      message: `AWS Backup restore job ${field('$.detail.status')} for ${field('$.detail.resourceType')} from ${field('$.detail.recoveryPointArn')}: `
        + `${field('$.detail.statusMessage')}. Job ${field('$.detail.restoreJobId')}, account ${field('$.account')}, region ${field('$.region')}, at ${field('$.time')}.`,
    },
  ];
  if (notifyOnCompleted) {
    rules.push({
      id: 'BackupJobCompletedRule',
      name: options.ruleName('backup-job-completed'),
      detailType: 'Backup Job State Change',
      detail: { state: ['COMPLETED'], backupVaultName: [options.vault.backupVaultName] },
      message: `AWS Backup job COMPLETED for ${field('$.detail.resourceArn')} (${field('$.detail.resourceType')}) in vault `
        + `${field('$.detail.backupVaultName')}: ${field('$.detail.statusMessage')}. Job ${field('$.detail.backupJobId')}, at ${field('$.time')}.`,
    });
  }
  return rules.map((rule) => new events.Rule(scope, rule.id, {
    ruleName: rule.name,
    description: `Notifies ${suffix} DR alarms of AWS Backup events: ${rule.detailType}`,
    eventPattern: { source: ['aws.backup'], detailType: [rule.detailType], detail: rule.detail },
    targets: [new targets.SnsTopic(options.topic, { message: events.RuleTargetInput.fromText(rule.message) })],
  }));
}
