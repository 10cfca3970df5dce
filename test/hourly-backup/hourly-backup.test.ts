import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  EncryptedAurora, HandlerRuntime, HourlyBackup, HourlyBackupProps, PitrTable, ProtectedResource, ProtectedResourceType, VaultLockMode,
  VersionedBucket,
} from '../../src';
import { isolatedVpc, publishersWithoutKeyAccess, testStack } from '../util';

interface Fixture {
  stack: Stack;
  backup: HourlyBackup;
  db: EncryptedAurora;
  table: PitrTable;
  bucket: VersionedBucket;
  readonly template: Template;
}

function make(props: Partial<HourlyBackupProps> = {}, stack: Stack = testStack()): Fixture {
  const removalPolicy = props.removalPolicy;
  const db = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), removalPolicy });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev', removalPolicy });
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'dev', removalPolicy });
  const backup = new HourlyBackup(stack, 'Backup', {
    environmentSuffix: 'dev',
    resources: [ProtectedResource.fromEncryptedAurora(db), ProtectedResource.fromPitrTable(table), ProtectedResource.fromVersionedBucket(bucket)],
    ...props,
  });
  return { stack, backup, db, table, bucket, get template() { return Template.fromStack(stack); } };
}

const logicalId = (stack: Stack, c: { node: { defaultChild?: any } }) => stack.getLogicalId(c.node.defaultChild);
const rules = (template: Template) => Object.values<any>(template.findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan.BackupPlanRule;

describe('defaults', () => {
  test('a vault named with the suffix, encrypted with its own key, notifying failures and expiries', () => {
    const { template } = make();
    const keyId = Object.keys(template.findResources('AWS::KMS::Alias', { Properties: { AliasName: 'alias/dr-backup-dev' } }))[0];
    expect(keyId).toBeDefined();
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'dr-vault-dev',
      EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupEncryptionKey'), 'Arn'] },
      Notifications: {
        BackupVaultEvents: ['BACKUP_JOB_FAILED', 'BACKUP_JOB_EXPIRED', 'COPY_JOB_FAILED', 'RESTORE_JOB_FAILED', 'S3_BACKUP_OBJECT_FAILED', 'S3_RESTORE_OBJECT_FAILED'],
        SNSTopicArn: { Ref: Match.stringLikeRegexp('^BackupNotifications') },
      },
    });
    template.resourceCountIs('AWS::Backup::BackupVault', 1);
  });

  test('retained data: the vault denies deleting recovery points and changing its own policy, and is governance-locked at the retention', () => {
    const { template } = make();
    template.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: {
        // One statement with the actions AWS Config's backup-recovery-point-manual-deletion-disabled
        // rule looks for, wildcard principal and resource, and the policy's own deletion.
        AccessPolicy: {
          Statement: [{
            Sid: 'DenyRecoveryPointDeletionAndPolicyChanges',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle', 'backup:PutBackupVaultAccessPolicy', 'backup:DeleteBackupVaultAccessPolicy'],
            Resource: '*',
          }],
        },
        LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: Match.absent() },
      },
    });
  });

  test('an hourly snapshot rule: cron, 1 h start window, 2 h completion window, 7 days, tagged, into the vault', () => {
    const { template } = make();
    const vaultName = { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupVault'), 'BackupVaultName'] };
    expect(rules(template)[0]).toEqual({
      RuleName: 'hourly-snapshots',
      ScheduleExpression: 'cron(0 * * * ? *)',
      StartWindowMinutes: 60,
      CompletionWindowMinutes: 120,
      Lifecycle: { DeleteAfterDays: 7 },
      RecoveryPointTags: { 'Environment': 'dev', 'DR-ManagedBy': 'cdk-dr-platform', 'DR-RPO': 'PT1H' },
      TargetBackupVault: expect.anything(),
    });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanName: 'dr-plan-dev', BackupPlanRule: Match.arrayWith([Match.objectLike({ TargetBackupVault: vaultName })]) },
    });
  });

  test('environmentTag tags the recovery points of every rule, so a scope on the resources\' tag finds them', () => {
    const { template } = make({ environmentTag: 'payments-prod' });
    const all = rules(template);
    expect(all.length).toBe(2);
    for (const rule of all) expect(rule.RecoveryPointTags).toMatchObject({ Environment: 'payments-prod' });
  });

  test('a continuous-backup rule in the same vault', () => {
    const { template } = make();
    expect(rules(template)[1]).toMatchObject({
      RuleName: 'continuous',
      EnableContinuousBackup: true,
      Lifecycle: { DeleteAfterDays: 7 },
      TargetBackupVault: rules(template)[0].TargetBackupVault,
    });
    expect(rules(template)).toHaveLength(2);
  });

  test('never the implicit default vault', () => {
    const { template } = make();
    for (const rule of rules(template)) {
      expect(JSON.stringify(rule.TargetBackupVault)).not.toContain('Default');
      expect(rule.TargetBackupVault).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^BackupVault/), 'BackupVaultName'] });
    }
  });

  test('selects the three resources by ARN, not by tag', () => {
    const { template, stack, table, bucket } = make();
    const selection = Object.values<any>(template.findResources('AWS::Backup::BackupSelection'))[0].Properties.BackupSelection;
    expect(selection.SelectionName).toBe('dr-selection-dev');
    expect(selection.ListOfTags).toBeUndefined();
    expect(selection.Resources).toHaveLength(3);
    expect(selection.Resources).toEqual(expect.arrayContaining([
      { 'Fn::GetAtt': [logicalId(stack, table.table), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(stack, bucket.bucket), 'Arn'] },
    ]));
    expect(JSON.stringify(selection.Resources[0])).toContain(':cluster:');
  });

  test('the selection role has the AWS Backup and S3 managed policies, and each resource key, in a managed (not inline) policy', () => {
    const { template, stack, db, bucket } = make();
    const role = Object.values<any>(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })] } } }))[0];
    const policies = role.Properties.ManagedPolicyArns.map((a: any) => a['Fn::Join'][1][2]);
    expect(policies).toEqual([
      ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
      ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForS3Backup',
      ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForS3Restore',
    ]);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const statements = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    for (const key of [db.encryptionKey, bucket.encryptionKey]) {
      const keyArn = { 'Fn::GetAtt': [logicalId(stack, key as kms.Key), 'Arn'] };
      expect(statements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']), Resource: keyArn }));
      expect(statements).toContainEqual({ Action: 'kms:CreateGrant', Effect: 'Allow', Resource: keyArn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
    }
    for (const s of statements) expect([s.Action].flat().every((a: string) => !a.endsWith(':*') && a !== '*')).toBe(true);
  });

  test('the S3 policies are only added when a bucket is protected', () => {
    const stack = testStack();
    const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev' });
    new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', resources: [ProtectedResource.fromPitrTable(table)] });
    const role = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).not.toContain('S3');
  });

  test('a KMS-encrypted notification topic that enforces TLS', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'dr-backup-notifications-dev',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupNotificationsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('no drain custom resource when data is retained', () => {
    const { template } = make();
    template.resourceCountIs('Custom::DrBackupVaultDrain', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });
  test('every service that publishes to the encrypted notification topic may use its key', () => {
    const template = make().template.toJSON();
    expect(Object.values<any>(template.Resources).some((r) => r.Type === 'AWS::Backup::BackupVault' && r.Properties.Notifications)).toBe(true);
    expect(publishersWithoutKeyAccess(template)).toEqual([]);
  });
});

describe('EventBridge rules', () => {
  const ruleByName = (template: Template, name: string) =>
    Object.values<any>(template.findResources('AWS::Events::Rule', { Properties: { Name: name } }))[0]?.Properties;

  test('backup jobs FAILED, ABORTED, EXPIRED and PARTIAL in this vault', () => {
    const { template } = make();
    const rule = ruleByName(template, 'dr-backup-job-failed-dev');
    expect(rule.EventPattern).toEqual({
      'source': ['aws.backup'],
      'detail-type': ['Backup Job State Change'],
      'detail': { state: ['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL'], backupVaultName: [{ 'Fn::GetAtt': [expect.stringMatching(/^BackupVault/), 'BackupVaultName'] }] },
    });
    expect(rule.Targets[0].Arn).toEqual({ Ref: expect.stringMatching(/^BackupNotifications/) });
    const transformer = rule.Targets[0].InputTransformer;
    expect(transformer.InputPathsMap).toMatchObject({
      'detail-state': '$.detail.state',
      'detail-resourceArn': '$.detail.resourceArn',
      'detail-statusMessage': '$.detail.statusMessage',
      'detail-backupJobId': '$.detail.backupJobId',
    });
    expect(transformer.InputTemplate).toMatch(/^"AWS Backup job <detail-state> for <detail-resourceArn> .*<detail-statusMessage>\. Job <detail-backupJobId>/);
  });

  test('copy jobs that fail', () => {
    const { template } = make();
    const rule = ruleByName(template, 'dr-copy-job-failed-dev');
    const vaultArn = { 'Fn::GetAtt': [expect.stringMatching(/^BackupVault/), 'BackupVaultArn'] };
    // Only copies into or out of this vault, not every vault in the account.
    expect(rule.EventPattern).toEqual({
      'source': ['aws.backup'],
      'detail-type': ['Copy Job State Change'],
      'detail': { state: ['FAILED'], $or: [{ sourceBackupVaultArn: [vaultArn] }, { destinationBackupVaultArn: [vaultArn] }] },
    });
    expect(rule.Targets[0].InputTransformer.InputTemplate).toContain('<detail-copyJobId>');
  });

  test('restore jobs match on status, not state', () => {
    const { template } = make();
    const rule = ruleByName(template, 'dr-restore-job-failed-dev');
    // A restore event names no vault: this platform's restores run with its backup role or restore a resource it protects.
    expect(rule.EventPattern).toEqual({
      'source': ['aws.backup'],
      'detail-type': ['Restore Job State Change'],
      'detail': {
        status: ['FAILED', 'ABORTED'],
        $or: [
          { iamRoleArn: [{ 'Fn::GetAtt': [expect.stringMatching(/^BackupBackupRole/), 'Arn'] }] },
          { sourceResourceArn: expect.arrayContaining([{ 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] }]) },
        ],
      },
    });
    expect(rule.Targets[0].InputTransformer.InputPathsMap['detail-status']).toBe('$.detail.status');
    expect(rule.Targets[0].InputTransformer.InputTemplate).toContain('<detail-restoreJobId>');
  });

  test('completion notices only when asked for', () => {
    expect(ruleByName(make().template, 'dr-backup-job-completed-dev')).toBeUndefined();
    const { template } = make({ notifyOnCompletedBackups: true });
    expect(ruleByName(template, 'dr-backup-job-completed-dev').EventPattern.detail.state).toEqual(['COMPLETED']);
    template.hasResourceProperties('AWS::Backup::BackupVault', { Notifications: { BackupVaultEvents: Match.arrayWith(['BACKUP_JOB_COMPLETED']) } });
  });
});

describe('coverage', () => {
  test('each resource with its mechanism and worst-case data loss', () => {
    const { backup } = make();
    expect(backup.coverage.map((c) => [c.resourceType, c.name, c.inBackupPlan, c.effectiveRpo?.toMinutes()])).toEqual([
      [ProtectedResourceType.AURORA, 'TestStack/Db', true, 5],
      [ProtectedResourceType.DYNAMODB, 'TestStack/Table', true, 5],
      [ProtectedResourceType.S3, 'TestStack/Bucket', true, 15],
    ]);
    expect(backup.coverage[0].mechanism).toMatch(/continuous backup/);
    expect(backup.coverage[1].mechanism).toMatch(/point-in-time recovery/);
  });

  test('a Lambda function is not dropped silently: it is reported as restored by redeploy, and kept out of the selection', () => {
    const { backup, template, stack } = make();
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:eu-west-1:123456789012:function:app');
    backup.addResource(ProtectedResource.fromFunction(fn));
    const entry = backup.coverage.find((c) => c.resourceType === ProtectedResourceType.LAMBDA)!;
    expect(entry.inBackupPlan).toBe(false);
    expect(entry.effectiveRpo).toBeUndefined();
    expect(entry.mechanism).toMatch(/restored by redeploy: AWS Backup does not support Lambda/);
    expect(backup.coverageSummary).toContain('Lambda TestStack/Fn: restored by redeploy');
    const selection = Object.values<any>(template.findResources('AWS::Backup::BackupSelection'))[0];
    expect(JSON.stringify(selection)).not.toContain('function:app');
  });

  test('the coverage summary is a stack output', () => {
    const { template } = make();
    const outputs = Object.values<any>(template.findOutputs('*'));
    const coverage = outputs.find((o) => /worst-case data loss/.test(o.Description));
    expect(coverage.Value).toBe('Aurora TestStack/Db: continuous backup (point-in-time restore) and hourly snapshots kept 7 days (RPO 5 minutes); '
      + 'DynamoDB TestStack/Table: the table\'s point-in-time recovery and hourly snapshots kept 7 days (RPO 5 minutes); '
      + 'S3 TestStack/Bucket: continuous backup (point-in-time restore) and hourly snapshots kept 7 days (RPO 15 minutes)');
  });

  test('resources added later land in the selection', () => {
    const stack = testStack();
    const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev' });
    // A raw ARN gets snapshots only: 1 h schedule + 1 h start window.
    const backup = new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', rpo: Duration.hours(2) });
    backup.addResource(ProtectedResource.fromPitrTable(table));
    backup.addResource(ProtectedResource.fromArn('arn:aws:ec2:eu-west-1:123456789012:volume/vol-1', 'data-volume'));
    const selection = Object.values<any>(Template.fromStack(stack).findResources('AWS::Backup::BackupSelection'))[0];
    expect(selection.Properties.BackupSelection.Resources).toEqual([
      { 'Fn::GetAtt': [logicalId(stack, table.table), 'Arn'] },
      'arn:aws:ec2:eu-west-1:123456789012:volume/vol-1',
    ]);
  });

  test('a plan with nothing to protect fails synthesis with a clear message', () => {
    const stack = testStack();
    new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev' });
    expect(() => Template.fromStack(stack)).toThrow(/HourlyBackup protects no resource AWS Backup supports/);
  });
});

describe('RPO arithmetic', () => {
  test('a table without PITR cannot meet a 1 h RPO: hourly snapshots can be 2 h apart', () => {
    const stack = testStack();
    const table = new dynamodb.Table(stack, 'Plain', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const backup = new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev' });
    expect(() => backup.addResource(ProtectedResource.fromTable(table))).toThrow(
      /`rpo` 1 hour cannot be met for DynamoDB TestStack\/Plain: hourly snapshots kept 7 days \(1 h schedule \+ 1 hour start window\) loses up to 2 hours of data\. Turn on the table's point-in-time recovery/,
    );
    // Saying PITR is on does not make it so: the table in the app says off.
    expect(() => backup.addResource(ProtectedResource.fromTable(table, { pointInTimeRecovery: true })))
      .toThrow(/`pointInTimeRecovery` is stated true for table TestStack\/Plain, but the table in the app has point-in-time recovery off/);
    // For an imported table the statement is all there is, and it is taken.
    const imported = dynamodb.Table.fromTableName(stack, 'Imported', 'orders');
    expect(() => backup.addResource(ProtectedResource.fromTable(imported, { pointInTimeRecovery: true }))).not.toThrow();
  });

  test('with a 2 h RPO, snapshots alone suffice', () => {
    const stack = testStack();
    const table = new dynamodb.Table(stack, 'Plain', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const backup = new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', rpo: Duration.hours(2) });
    backup.addResource(ProtectedResource.fromTable(table));
    expect(backup.coverage[0].effectiveRpo?.toHours()).toBe(2);
  });

  test('without continuous backup, Aurora at a 1 h RPO is refused with the fix', () => {
    expect(() => make({ continuousBackup: false })).toThrow(
      /`rpo` 1 hour cannot be met for Aurora TestStack\/Db: .* loses up to 2 hours of data\. Turn `continuousBackup` on, or set `rpo` to at least 2 hours/,
    );
  });

  test('without continuous backup at a 2 h RPO there is one snapshot rule only', () => {
    const { template } = make({ continuousBackup: false, rpo: Duration.hours(2) });
    expect(rules(template)).toHaveLength(1);
    expect(rules(template)[0].EnableContinuousBackup).toBeUndefined();
    expect(rules(template)[0].CompletionWindowMinutes).toBe(180);
  });

  test('a 15-minute RPO holds with continuous backup for Aurora and table PITR, and the bucket is refused', () => {
    const stack = testStack();
    const db = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack) });
    const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'dev' });
    const backup = new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', rpo: Duration.minutes(10) });
    expect(() => backup.addResource(ProtectedResource.fromEncryptedAurora(db))).not.toThrow();
    expect(() => backup.addResource(ProtectedResource.fromVersionedBucket(bucket))).toThrow(/`rpo` 10 minutes cannot be met for S3 .*Set `rpo` to at least 15 minutes/);
  });
});

describe('DESTROY', () => {
  test('no lock, no deny policy, vault deleted, and a drain custom resource ordered between plan and vault', () => {
    const { template, stack, backup } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Delete',
      Properties: { AccessPolicy: Match.absent(), LockConfiguration: Match.absent() },
    });
    const drains = template.findResources('Custom::DrBackupVaultDrain');
    const [drainId, drain] = Object.entries<any>(drains)[0];
    expect(drain.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^BackupVaultDrainHandler/), 'Arn'] },
      BackupVaultName: { 'Fn::GetAtt': [logicalId(stack, backup.vault), 'BackupVaultName'] },
    });
    expect(drain.DependsOn).toContain(logicalId(stack, backup.vault));
    const plan = Object.values<any>(template.findResources('AWS::Backup::BackupPlan'))[0];
    expect(plan.DependsOn).toContain(drainId);
    Annotations.fromStack(stack).hasWarning('/TestStack/Backup', Match.stringLikeRegexp('removalPolicy is DESTROY'));
  });

  test('the drain handler is pre-bundled, on the newest Node.js runtime, 15 minutes, least privilege in a managed policy', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: HandlerRuntime.newestNodejs(new Stack()).name,
      Handler: 'index.handler',
      Timeout: 900,
      ReservedConcurrentExecutions: 1,
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^BackupVaultDrainLogs') } },
    });
    const policy = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('Empties') } }))[0];
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()).sort();
    expect(actions).toEqual([
      'backup:DeleteRecoveryPoint', 'backup:ListRecoveryPointsByBackupVault', 'dynamodb:DeleteBackup',
      'logs:CreateLogStream', 'logs:PutLogEvents', 'rds:DeleteDBClusterSnapshot',
    ]);
    const list = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Action === 'backup:ListRecoveryPointsByBackupVault');
    expect(list.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^BackupVault/), 'BackupVaultArn'] });
  });

  test.each([VaultLockMode.GOVERNANCE, VaultLockMode.COMPLIANCE])('a %s lock is refused with DESTROY', (vaultLock) => {
    expect(() => make({ removalPolicy: RemovalPolicy.DESTROY, vaultLock })).toThrow(
      new RegExp(`\`vaultLock\` ${vaultLock} cannot be combined with \`removalPolicy\` DESTROY`),
    );
  });
});

describe('overrides and bring your own', () => {
  test('compliance lock only when asked, with a cooling-off period', () => {
    const { template } = make({ vaultLock: VaultLockMode.COMPLIANCE, complianceLockChangeableFor: Duration.days(5) });
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: 5 } });
  });

  test('no lock', () => {
    const { template } = make({ vaultLock: VaultLockMode.NONE });
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: Match.absent(), AccessPolicy: Match.anyValue() });
  });

  test('longer retention: continuous backup capped at 35 days', () => {
    const { template } = make({ retention: Duration.days(90) });
    expect(rules(template).map((r: any) => r.Lifecycle.DeleteAfterDays)).toEqual([90, 35]);
  });

  test('bring your own topic and key', () => {
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Ops');
    const key = new kms.Key(stack, 'VaultKey');
    const { template, backup } = make({ alarmTopic: topic, encryptionKey: key }, stack);
    expect(backup.alarmTopic).toBe(topic);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      EncryptionKeyArn: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] },
      Notifications: { SNSTopicArn: { Ref: logicalId(stack, topic) } },
    });
  });

  test('any cluster, table or bucket', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Raw', { versioned: true });
    const table = dynamodb.Table.fromTableArn(stack, 'Imported', 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders');
    const backup = new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev',
      resources: [ProtectedResource.fromBucket(bucket), ProtectedResource.fromTable(table, { pointInTimeRecovery: true })],
    });
    expect(backup.coverage.map((c) => c.resourceType)).toEqual([ProtectedResourceType.S3, ProtectedResourceType.DYNAMODB]);
  });
});

describe('bucket history against the retention', () => {
  // One rule for every pair: a warning exactly when noncurrent versions expire before the retention ends.
  const cases = [1, 6, 7, 8, 30, 90].flatMap((expiration) => [7, 30, 90].map((retention) => [expiration, retention] as const));
  test.each(cases)('noncurrent versions kept %d days, retention %d days', (expiration, retention) => {
    const stack = testStack();
    const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'dev', noncurrentVersionExpiration: Duration.days(expiration) });
    new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', retention: Duration.days(retention), resources: [ProtectedResource.fromVersionedBucket(bucket)] });
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Backup', Match.stringLikeRegexp('noncurrent versions of bucket'));
    expect(warnings.length).toBe(expiration < retention ? 1 : 0);
    if (warnings.length) {
      expect(String(warnings[0].entry.data)).toMatch(new RegExp(`expire after ${expiration} days, shorter than \`retention\` \\(${retention} days\\)`));
    }
  });

  test('read from any bucket defined in the app, not only a VersionedBucket', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Raw', { versioned: true, lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(2) }] });
    new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', resources: [ProtectedResource.fromBucket(bucket)] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Backup', Match.stringLikeRegexp('expire after 2 days, shorter than `retention` \\(7 days\\)'));
  });
});

describe('validation', () => {
  test.each([
    ['a retention under 7 days', { retention: Duration.days(6) }, /`retention` must be a whole number of days from 7 to 36500, got: 6 days/],
    ['a continuous retention over 35 days', { continuousBackupRetention: Duration.days(36) }, /`continuousBackupRetention` must be a whole number of days from 7 to 35, got: 36 days/],
    ['an RPO under 1 hour without continuous backup', { rpo: Duration.minutes(30), continuousBackup: false }, /`rpo` under 1 hour needs `continuousBackup`: the shortest AWS Backup schedule is hourly, got: rpo 30 minutes with continuousBackup false/],
    ['a start window under 1 hour', { startWindow: Duration.minutes(30) }, /`startWindow` must be a whole number of minutes from 60 to 52560000 \(the AWS Backup minimum\), got: 30 minutes/],
    ['a start window longer than the RPO', { startWindow: Duration.hours(2) }, /`startWindow` must not be longer than the RPO \(1 hour\).*got: 2 hours/],
    ['a completion window inside the start window', { completionWindow: Duration.hours(1) }, /`completionWindow` must be longer than `startWindow` \(1 hour\).*got: 1 hour/],
    ['a completion window that lets a job run late', { completionWindow: Duration.hours(3) }, /`completionWindow` must be at most `startWindow` plus the RPO \(2 hours\).*got: 3 hours/],
    ['a zero RPO', { rpo: Duration.minutes(0) }, /`rpo` must be a whole number of minutes from 1 to 52559940, got: 0 minutes/],
    ['a compliance period without a compliance lock', { complianceLockChangeableFor: Duration.days(3) }, /`complianceLockChangeableFor` only applies to `vaultLock` COMPLIANCE, got vaultLock: GOVERNANCE/],
    ['a compliance cooling-off under 3 days', { vaultLock: VaultLockMode.COMPLIANCE, complianceLockChangeableFor: Duration.days(2) }, /`complianceLockChangeableFor` must be a whole number of days from 3 to 36500, got: 2 days/],
  ] as const)('rejects %s', (_name, props, message) => {
    expect(() => make(props as Partial<HourlyBackupProps>)).toThrow(message);
  });

  test('a suffix too long for the 50-character backup names', () => {
    // The tightest name is the selection 'dr-selection-' (13) within 50: 37 characters.
    expect(() => new HourlyBackup(testStack(), 'B', { environmentSuffix: 'a'.repeat(38) })).toThrow(/`environmentSuffix` must be at most 37 characters here.*backup selection name/);
    expect(() => new HourlyBackup(testStack(), 'B', { environmentSuffix: 'a'.repeat(37) })).not.toThrow();
  });
});
