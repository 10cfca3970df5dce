/**
 * Class 10 of issue 18 (reports that overstate), for the audit controls:
 * a control counts whole hours (RPO) or minutes (RTO), and must never accept
 * more than the target it stands for. Sweeps each target across its unit's
 * boundaries: the control is the target rounded down, and a target under
 * the smallest control is refused rather than widened. The rule is written
 * out here on its own.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { attempt } from './harness';
import { BackupAuditEvidence, VersionedBucket } from '../../src';
import { acknowledgeNotInBackupPlan } from '../util';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function audit(stack: Stack, rpo: Duration, rto: Duration): void {
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'test' });
  acknowledgeNotInBackupPlan(stack);
  new BackupAuditEvidence(stack, 'Audit', {
    environmentSuffix: 'test',
    scopeTagKey: 'Environment',
    scopeTagValue: 'test',
    rpo,
    rto,
    backupFrequency: Duration.hours(1),
    retention: Duration.days(7),
    reportBucket: bucket.bucket,
  });
}

/** The value of one control parameter in the synthesized framework. */
function parameter(template: any, controlName: string, name: string): number {
  const framework = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Backup::Framework');
  const control = framework.Properties.FrameworkControls.find((c: any) => c.ControlName === controlName);
  return Number(control.ControlInputParameters.find((p: any) => p.ParameterName === name).ParameterValue);
}

const RPO_MINUTES = [1, 30, 59, 60, 61, 89, 90, 119, 120, 121, 24 * 60 + 30, 744 * 60, 744 * 60 + 59, 745 * 60];
const RTO_SECONDS = [1, 59, 60, 61, 89, 90, 30 * 60, 30 * 60 + 30, 43200 * 60, 43200 * 60 + 59, 43201 * 60];

describe('rpo: the control asks for a recovery point within the RPO rounded down to whole hours', () => {
  test.each(RPO_MINUTES)('%d minutes', (minutes) => {
    const verdict = attempt((stack) => audit(stack, Duration.minutes(minutes), Duration.hours(4)), { env: ENV });
    const hours = Math.floor(minutes / 60);
    const ok = minutes >= 60 && hours <= 744;
    expect(verdict.accepted).toBe(ok);
    if (verdict.accepted) {
      const control = parameter(verdict.template, 'BACKUP_LAST_RECOVERY_POINT_CREATED', 'recoveryPointAgeValue');
      expect(control).toBe(hours);
      expect(control * 60).toBeLessThanOrEqual(minutes);
    } else {
      expect(verdict.message).toMatch(/^`rpo` must be (at least 1 hour|from 1 to 744 hours) for the audit controls/);
    }
  });
});

describe('rto: the control asks for restores within the RTO rounded down to whole minutes', () => {
  test.each(RTO_SECONDS)('%d seconds', (seconds) => {
    const verdict = attempt((stack) => audit(stack, Duration.hours(1), Duration.seconds(seconds)), { env: ENV });
    const minutes = Math.floor(seconds / 60);
    const ok = seconds >= 60 && minutes <= 43200;
    expect(verdict.accepted).toBe(ok);
    if (verdict.accepted) {
      const control = parameter(verdict.template, 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET', 'maxRestoreTime');
      expect(control).toBe(minutes);
      expect(control * 60).toBeLessThanOrEqual(seconds);
    } else {
      expect(verdict.message).toMatch(/^`rto` must be (at least 1 minute|from 1 to 43200 minutes) for the audit controls/);
    }
  });
});
