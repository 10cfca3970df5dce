/**
 * Class 2 of issue 18 (a prop silently ignored or replaced): a prop the
 * construct cannot honour is refused, naming it, instead of being dropped.
 * Sweeps two such classes: `RecoveryPointMonitor` `drillResourceTypes`
 * without the plan they belong to, and every duration of
 * `BackupAuditEvidence` given as a token of any kind (the control would be
 * written without its parameter, checking nothing).
 */
import { CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { attempt } from './harness';
import { BackupAuditEvidence, BackupAuditEvidenceProps, PitrTable, ProtectedResource, ProtectedResourceType, RecoveryPointMonitor, VersionedBucket } from '../../src';
import { acknowledgeNotInBackupPlan } from '../util';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const PLAN = 'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:dr_drills_dev-0a1b';

describe('RecoveryPointMonitor drillPlans resource types', () => {
  // The types belong to their plan, so types without a plan cannot be written;
  // every subset given is the one measured, and an empty list is refused rather than read as "none".
  const TYPES = [[], ['Aurora'], ['DynamoDB', 'S3'], ['Aurora', 'DynamoDB', 'S3'], undefined];
  test.each(TYPES.map((types) => [types]))('%j', (types) => {
    let monitor: RecoveryPointMonitor | undefined;
    const verdict = attempt((stack) => {
      monitor = new RecoveryPointMonitor(stack, 'Monitor', {
        environmentSuffix: 'dev',
        drillPlans: [{ name: 'snapshot', restoreTestingPlanArn: PLAN, resourceTypes: types as ProtectedResourceType[] | undefined }],
        resources: [ProtectedResource.fromPitrTable(new PitrTable(stack, 'Table', { environmentSuffix: 'dev' }))],
      });
    }, { env: ENV });
    expect(verdict.accepted).toBe(types === undefined || types.length > 0);
    if (!verdict.accepted) expect(verdict.message).toMatch(/^`drillPlans\[0\]\.resourceTypes` is empty/);
    else expect(monitor!.drillPlans[0].resourceTypes).toEqual(types ?? ['DynamoDB']);
  });
});

describe('BackupAuditEvidence durations as tokens', () => {
  const TOKENS: Array<[string, (stack: Stack) => Duration]> = [
    ['hours from a parameter', (stack) => Duration.hours(new CfnParameter(stack, 'P', { type: 'Number' }).valueAsNumber)],
    ['days from a parameter', (stack) => Duration.days(new CfnParameter(stack, 'P', { type: 'Number' }).valueAsNumber)],
    ['minutes from Lazy', () => Duration.minutes(Lazy.number({ produce: () => 60 }))],
  ];
  const PROPS: Array<keyof BackupAuditEvidenceProps> = ['rpo', 'rto', 'backupFrequency', 'retention'];
  test.each(PROPS.flatMap((prop) => TOKENS.map(([kind, make]) => [prop, kind, make] as const)))('%s as %s is refused, naming it', (prop, _kind, make) => {
    const verdict = attempt((stack) => {
      const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'test' });
      acknowledgeNotInBackupPlan(stack);
      new BackupAuditEvidence(stack, 'Audit', {
        environmentSuffix: 'test',
        scopeTagKey: 'Environment',
        scopeTagValue: 'test',
        rpo: Duration.hours(1),
        rto: Duration.hours(4),
        backupFrequency: Duration.hours(1),
        retention: Duration.days(7),
        reportBucket: bucket.bucket,
        [prop]: make(stack),
      });
    }, { env: ENV });
    expect(verdict.accepted).toBe(false);
    expect((verdict as { message: string }).message).toMatch(new RegExp(`^\`${prop}\` must be a concrete duration, not a token`));
  });
});
