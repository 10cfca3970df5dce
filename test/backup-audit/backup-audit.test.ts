import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BackupAuditEvidence, BackupAuditEvidenceProps, RestoreDrills, SingleRegionDrPlatform, VersionedBucket } from '../../src';
import { DOCUMENTED_CONTROL_SCOPES } from '../../src/private/audit-controls';
import { acknowledgeNotInBackupPlan, complianceTest, nagFindings, synth, testStack } from '../util';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function make(extra: Partial<BackupAuditEvidenceProps> = {}, stack: Stack = testStack({ env: ENV })) {
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'test' });
  acknowledgeNotInBackupPlan(stack);
  const audit = new BackupAuditEvidence(stack, 'Audit', {
    environmentSuffix: 'test',
    scopeTagKey: 'Environment',
    scopeTagValue: 'test',
    rpo: Duration.hours(1),
    rto: Duration.hours(4),
    backupFrequency: Duration.hours(1),
    retention: Duration.days(7),
    reportBucket: bucket.bucket,
    ...extra,
  });
  return { stack, audit, bucket, template: Template.fromStack(stack) };
}

const control = (name: string, params: Record<string, string> | undefined, scope: unknown = Match.anyValue()) => Match.objectLike({
  ControlName: name,
  ...(params ? { ControlInputParameters: Object.entries(params).map(([ParameterName, ParameterValue]) => ({ ParameterName, ParameterValue })) } : {}),
  ControlScope: scope,
});

describe('defaults', () => {
  const { template, stack, audit } = make();

  test('every control is set from the targets and scoped to the tag alone', () => {
    const resources = { Tags: [{ Key: 'Environment', Value: 'test' }] };
    template.hasResourceProperties('AWS::Backup::Framework', {
      FrameworkName: 'dr_audit_test',
      FrameworkControls: [
        control('BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
          { requiredFrequencyUnit: 'hours', requiredFrequencyValue: '1', requiredRetentionDays: '7' }, resources),
        control('BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', { requiredRetentionDays: '7' }, resources),
        control('BACKUP_RECOVERY_POINT_ENCRYPTED', undefined, resources),
        control('BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED', undefined, resources),
        control('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', undefined, resources),
        control('BACKUP_LAST_RECOVERY_POINT_CREATED', { recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '1' }, resources),
        control('RESTORE_TIME_FOR_RESOURCES_MEET_TARGET', { maxRestoreTime: '240' }, resources),
      ],
    });
  });

  test('backup, restore and compliance reports go to the bucket under the prefix', () => {
    template.resourceCountIs('AWS::Backup::ReportPlan', 3);
    for (const [template_, prefix] of [['BACKUP_JOB_REPORT', 'backupjobs'], ['RESTORE_JOB_REPORT', 'restorejobs']]) {
      template.hasResourceProperties('AWS::Backup::ReportPlan', {
        ReportSetting: { ReportTemplate: template_ },
        ReportDeliveryChannel: { S3BucketName: Match.anyValue(), S3KeyPrefix: `backup-audit/${prefix}`, Formats: ['CSV', 'JSON'] },
      });
    }
    template.hasResourceProperties('AWS::Backup::ReportPlan', {
      ReportSetting: { ReportTemplate: 'CONTROL_COMPLIANCE_REPORT', FrameworkArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('AuditFramework'), 'FrameworkArn'] }] },
    });
  });

  test('Audit Manager\'s role may write reports under the prefix only, and encrypt them', () => {
    const role = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports']] };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'BackupAuditManagerReports',
          Principal: { AWS: role },
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, '/backup-audit/*']] },
        })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'BackupAuditManagerReportsEncrypt', Principal: { AWS: role } })]) },
    });
  });

  test('the AWS Config prerequisite is said at synth, not silently assumed', () => {
    Annotations.fromStack(stack).hasWarning('/TestStack/Audit', Match.stringLikeRegexp('Config must be recording the audited resources\' types'));
  });

  test('zero unacknowledged cdk-nag findings', () => {
    expect(nagFindings(stack, audit)).toEqual([]);
  });
});

describe('scopes: each control gets a scope AWS documents for it', () => {
  // A scope kind by the fields it sets: AWS documents one of them per scope, not a mix.
  const kindOf = (scope: any): string => {
    const fields = Object.keys(scope ?? {}).sort().join('+');
    return ({ 'Tags': 'tags', 'ComplianceResourceTypes': 'types', 'ComplianceResourceIds+ComplianceResourceTypes': 'single' } as Record<string, string>)[fields]
      ?? `undocumented (${fields || 'empty'})`;
  };
  test.each([
    ['Environment', 'test'],
    ['Environment', 'prod-eu'],
    ['cost-center', 'Team A/B'],
    ['Owner', ''],
  ])('tag %s=%j', (key, value) => {
    const { template } = make({ scopeTagKey: key, scopeTagValue: value });
    const [framework] = Object.values<any>(template.findResources('AWS::Backup::Framework'));
    const controls = framework.Properties.FrameworkControls;
    expect(controls.map((c: any) => c.ControlName).sort()).toEqual(Object.keys(DOCUMENTED_CONTROL_SCOPES).sort());
    for (const c of controls) {
      expect([c.ControlName, DOCUMENTED_CONTROL_SCOPES[c.ControlName]]).toEqual([c.ControlName, expect.arrayContaining([kindOf(c.ControlScope)])]);
      // One tag, the one given: AWS takes at most one key-value pair.
      expect(c.ControlScope.Tags).toEqual([{ Key: key, Value: value }]);
    }
  });

  test('the table follows the controls page: vault and plan controls take a tag or one resource, recovery-point controls a tag', () => {
    expect(DOCUMENTED_CONTROL_SCOPES.BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED).toEqual(['tags', 'single']);
    expect(DOCUMENTED_CONTROL_SCOPES.BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK).toEqual(['tags', 'single']);
    expect(DOCUMENTED_CONTROL_SCOPES.BACKUP_RECOVERY_POINT_ENCRYPTED).toEqual(['tags']);
    expect(DOCUMENTED_CONTROL_SCOPES.BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK).toEqual(['tags']);
  });
});

describe('the platform\'s tag and the audit scope agree, whatever `environmentTag` is', () => {
  test.each([undefined, 'dev', 'production', 'Payments Prod'])('environmentTag %j', (environmentTag) => {
    const stack = testStack({ env: ENV });
    new SingleRegionDrPlatform(stack, 'Platform', {
      environmentSuffix: 'dev', restoreDrills: RestoreDrills.disabled(), auditEvidence: true, environmentTag,
    });
    const template = Template.fromStack(stack);
    const expected = environmentTag ?? 'dev';
    const [framework] = Object.values<any>(template.findResources('AWS::Backup::Framework'));
    for (const c of framework.Properties.FrameworkControls) expect(c.ControlScope).toEqual({ Tags: [{ Key: 'Environment', Value: expected }] });
    // The recovery points every rule creates carry the same tag ...
    const [plan] = Object.values<any>(template.findResources('AWS::Backup::BackupPlan'));
    const rules = plan.Properties.BackupPlan.BackupPlanRule;
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.RecoveryPointTags).toMatchObject({ Environment: expected });
    // ... as do the plan and the vault the plan and vault controls evaluate.
    expect(plan.Properties.BackupPlanTags).toMatchObject({ Environment: expected });
    for (const vault of Object.values<any>(template.findResources('AWS::Backup::BackupVault'))) {
      expect(vault.Properties.BackupVaultTags).toMatchObject({ Environment: expected });
    }
  });
});

test('an RPO of 90 minutes asks for a recovery point within 1 hour (rounded toward the stricter control); an RTO of 30 minutes is 30', () => {
  const { template } = make({ rpo: Duration.minutes(90), rto: Duration.minutes(30) });
  template.hasResourceProperties('AWS::Backup::Framework', {
    FrameworkControls: Match.arrayWith([
      control('BACKUP_LAST_RECOVERY_POINT_CREATED', { recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '1' }),
      control('RESTORE_TIME_FOR_RESOURCES_MEET_TARGET', { maxRestoreTime: '30' }),
    ]),
  });
});

complianceTest('strict schema validation', () => {
  const stack = testStack({ validate: true, env: ENV });
  make({}, stack);
  expect(() => synth(stack)).not.toThrow();
});

test('the platform adds it only when asked, from its own targets', () => {
  const off = testStack({ env: ENV });
  new SingleRegionDrPlatform(off, 'Platform', { environmentSuffix: 'dev', restoreDrills: RestoreDrills.disabled() });
  Template.fromStack(off).resourceCountIs('AWS::Backup::Framework', 0);
  const on = testStack({ env: ENV });
  const platform = new SingleRegionDrPlatform(on, 'Platform', { environmentSuffix: 'dev', restoreDrills: RestoreDrills.disabled(), auditEvidence: true, rto: Duration.hours(2) });
  expect(platform.auditEvidence).toBeDefined();
  Template.fromStack(on).hasResourceProperties('AWS::Backup::Framework', {
    FrameworkControls: Match.arrayWith([control('RESTORE_TIME_FOR_RESOURCES_MEET_TARGET', { maxRestoreTime: '120' })]),
  });
});

test('the platform requires of recovery points the shortest retention it keeps them, so continuous points comply', () => {
  for (const [retention, expected] of [[7, '7'], [35, '35'], [90, '35']] as const) {
    const stack = testStack({ env: ENV });
    const platform = new SingleRegionDrPlatform(stack, 'Platform', {
      environmentSuffix: 'dev', restoreDrills: RestoreDrills.disabled(), auditEvidence: true, backup: { retention: Duration.days(retention) },
    });
    expect(platform.backup.minimumRetention.toDays()).toBe(Number(expected));
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::Framework', {
      FrameworkControls: Match.arrayWith([control('BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', { requiredRetentionDays: expected })]),
    });
  }
});

test.each([
  ['an imported bucket', (stack: Stack) => s3.Bucket.fromBucketName(stack, 'Imported', 'reports-bucket'), /the bucket .*Imported is imported/],
  ['a bucket of this app encrypted with an imported key', (stack: Stack) => new s3.Bucket(stack, 'WithImportedKey', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555'),
    enforceSSL: true,
  }), /the bucket's key .*ImportedKey is imported/],
])('%s as reportBucket is refused: reports could never be delivered there', (_, bucket, reason) => {
  const build = () => {
    const stack = testStack({ env: ENV });
    return make({ reportBucket: bucket(stack) }, stack);
  };
  expect(build).toThrow(reason);
  expect(build).toThrow('`reportBucket` must be a bucket (and key) defined in this app');
});

describe('validation', () => {
  test.each([
    [{ backupFrequency: Duration.minutes(30) }, '`backupFrequency` must be a whole number of hours from 1 to 24'],
    [{ backupFrequency: Duration.hours(25) }, '`backupFrequency` must be a whole number of hours from 1 to 24'],
    [{ retention: Duration.hours(36) }, '`retention` must be a whole number of days'],
    [{ rpo: Duration.days(32) }, '`rpo` must be from 1 to 744 hours'],
    [{ reportPrefix: '/audit' }, '`reportPrefix` must be an S3 key prefix'],
    [{ reportPrefix: 'audit/' }, '`reportPrefix` must be an S3 key prefix'],
    [{ reportPrefix: 'a//b' }, '`reportPrefix` must be an S3 key prefix'],
  ])('%j is refused', (extra, message) => {
    expect(() => make(extra as Partial<BackupAuditEvidenceProps>)).toThrow(message);
  });
});
