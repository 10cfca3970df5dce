import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ConditionedSnsTarget } from '../private/alarm-topic';

/** What the job notifications need to know. */
export interface JobNotificationOptions {
/** The environment suffix, for descriptions. */
  readonly environmentSuffix: string;
  /** The vault whose backup jobs are reported. */
  readonly vault: backup.IBackupVault;
  /** Where the messages go. */
  readonly topic: sns.ITopic;
  /** The role AWS Backup restores the platform's recovery points with. */
  readonly backupRole: iam.IRole;
  /** The ARNs of the protected resources, known once every resource is added. */
  readonly protectedResourceArns: string[];
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
      // Copies into or out of this vault only, not every vault of the account.
      detail: {
        state: ['FAILED'],
        $or: [{ sourceBackupVaultArn: [options.vault.backupVaultArn] }, { destinationBackupVaultArn: [options.vault.backupVaultArn] }],
      },
      message: `AWS Backup copy job ${field('$.detail.state')} for ${field('$.detail.resourceArn')}: ${field('$.detail.statusMessage')}. `
        + `Job ${field('$.detail.copyJobId')}, account ${field('$.account')}, region ${field('$.region')}, at ${field('$.time')}.`,
    },
    {
      id: 'RestoreJobFailedRule',
      name: options.ruleName('restore-job-failed'),
      detailType: 'Restore Job State Change',
      // Restore jobs report `status`, not `state`. A restore event names no
      // vault, so this platform's restores are those run with its backup role
      // or of a resource it protects.
      detail: {
        status: ['FAILED', 'ABORTED'],
        $or: [{ iamRoleArn: [options.backupRole.roleArn] }, { sourceResourceArn: options.protectedResourceArns }],
      },
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
    targets: [new ConditionedSnsTarget(options.topic, events.RuleTargetInput.fromText(rule.message))],
  }));
}
