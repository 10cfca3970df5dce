import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BackupVaultPurpose, DrBackupVault, DrBackupVaultProps, VaultLockMode } from '../../src';
import { backupVaultArn, copyVaultKeyAlias, copyVaultName } from '../../src/names';
import { complianceTest, nagFindings, synth, testStack } from '../util';

const WEST = { account: '111111111111', region: 'us-west-2' };

function make(props: Partial<DrBackupVaultProps> = {}, stack: Stack = testStack({ env: WEST })) {
  const vault = new DrBackupVault(stack, 'CopyVault', { environmentSuffix: 'dev', purpose: BackupVaultPurpose.COPY_DESTINATION, ...props });
  return { stack, vault, get template() { return Template.fromStack(stack); } };
}

const vaultResource = (template: Template) => Object.values<any>(template.findResources('AWS::Backup::BackupVault'))[0];
const DENY = {
  Sid: 'DenyRecoveryPointDeletionAndPolicyChanges',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle', 'backup:PutBackupVaultAccessPolicy', 'backup:DeleteBackupVaultAccessPolicy'],
  Resource: '*',
};

describe('defaults', () => {
  test('a copy destination: dr-copy-vault-{suffix} under its own rotating key alias/dr-backup-copy-{suffix}, both retained', () => {
    const { template, vault, stack } = make();
    const [keyId, key] = Object.entries<any>(template.findResources('AWS::KMS::Key'))[0];
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.Description).toBe('Encrypts the DR backup copy vault (dev)');
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-backup-copy-dev', TargetKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    const resource = vaultResource(template);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties.BackupVaultName).toBe('dr-copy-vault-dev');
    expect(resource.Properties.EncryptionKeyArn).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(vault.backupVaultName).toBe('dr-copy-vault-dev');
    expect(stack.resolve(vault.backupVaultArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(vault.vault.node.defaultChild as backup.CfnBackupVault), 'BackupVaultArn'] });
  });

  test('a governance lock at 7 days and an access policy that denies deleting recovery points and changing itself', () => {
    const { template, vault } = make();
    const resource = vaultResource(template);
    expect(resource.Properties.LockConfiguration).toEqual({ MinRetentionDays: 7 });
    expect(resource.Properties.AccessPolicy).toEqual({ Version: '2012-10-17', Statement: [DENY] });
    expect(vault.vaultLock).toBe(VaultLockMode.GOVERNANCE);
    expect(vault.minimumRetention?.toDays()).toBe(7);
  });

  test('no notifications and no drain unless asked for', () => {
    const { template, vault } = make();
    expect(vaultResource(template).Properties.Notifications).toBeUndefined();
    template.resourceCountIs('Custom::DrBackupVaultDrain', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(vault.drain).toBeUndefined();
    expect(vault.drainFunction).toBeUndefined();
  });

  test('the BACKUP purpose (the default) names the vault and key as HourlyBackup always has', () => {
    const stack = testStack({ env: WEST });
    const vault = new DrBackupVault(stack, 'Vault', { environmentSuffix: 'dev' });
    const template = Template.fromStack(stack);
    expect(vault.purpose).toBe(BackupVaultPurpose.BACKUP);
    expect(vaultResource(template).Properties.BackupVaultName).toBe('dr-vault-dev');
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-backup-dev' });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts the DR backup vault (dev)' });
  });

  test('the shared names are the ones the construct deploys, so another region can import the vault by ARN', () => {
    const { vault } = make();
    expect(copyVaultName('dev')).toBe(vault.backupVaultName);
    expect(copyVaultKeyAlias('dev')).toBe('alias/dr-backup-copy-dev');
    const arn = backupVaultArn('aws', 'us-west-2', '111111111111', copyVaultName('dev'));
    expect(arn).toBe('arn:aws:backup:us-west-2:111111111111:backup-vault:dr-copy-vault-dev');
    const imported = backup.BackupVault.fromBackupVaultArn(testStack(), 'Imported', arn);
    expect(imported.backupVaultName).toBe('dr-copy-vault-dev');
  });
});

describe('overrides and bring your own', () => {
  test('a name, a key of the region and a topic with the default failure events', () => {
    const stack = testStack({ env: WEST });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-west-2:111111111111:ops');
    const { template, vault } = make({ backupVaultName: 'payments_copies-1', encryptionKey: key, alarmTopic: topic }, stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(vault.encryptionKey).toBe(key);
    expect(vaultResource(template).Properties).toMatchObject({
      BackupVaultName: 'payments_copies-1',
      EncryptionKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      Notifications: {
        SNSTopicArn: 'arn:aws:sns:us-west-2:111111111111:ops',
        BackupVaultEvents: ['BACKUP_JOB_FAILED', 'BACKUP_JOB_EXPIRED', 'COPY_JOB_FAILED', 'RESTORE_JOB_FAILED', 'S3_BACKUP_OBJECT_FAILED', 'S3_RESTORE_OBJECT_FAILED'],
      },
    });
  });

  test('chosen notification events', () => {
    const stack = testStack({ env: WEST });
    const topic = new sns.Topic(stack, 'Topic');
    const { template } = make({ alarmTopic: topic, notificationEvents: [backup.BackupVaultEvents.RESTORE_JOB_FAILED] }, stack);
    expect(vaultResource(template).Properties.Notifications.BackupVaultEvents).toEqual(['RESTORE_JOB_FAILED']);
  });

  test('a compliance lock with its cooling-off period and a longer minimum retention', () => {
    const { template, vault } = make({
      vaultLock: VaultLockMode.COMPLIANCE, complianceLockChangeableFor: Duration.days(5), minimumRetention: Duration.days(30),
    });
    expect(vaultResource(template).Properties.LockConfiguration).toEqual({ MinRetentionDays: 30, ChangeableForDays: 5 });
    expect(vault.vaultLock).toBe(VaultLockMode.COMPLIANCE);
  });

  test('no lock: no minimum retention, the deny policy stays', () => {
    const { template, vault } = make({ vaultLock: VaultLockMode.NONE });
    expect(vaultResource(template).Properties.LockConfiguration).toBeUndefined();
    expect(vaultResource(template).Properties.AccessPolicy.Statement).toEqual([DENY]);
    expect(vault.minimumRetention).toBeUndefined();
  });

  test('other accounts may copy in; nobody may delete', () => {
    const { template } = make({ copySourceAccounts: ['222222222222', '333333333333'] });
    const statements = vaultResource(template).Properties.AccessPolicy.Statement;
    const allow = (account: string) => ({
      Sid: `AllowCopyFrom${account}`,
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] } },
      Action: 'backup:CopyIntoBackupVault',
      Resource: '*',
    });
    expect(statements).toEqual([allow('222222222222'), allow('333333333333'), DENY]);
  });

  test('the backup vault and the copy vault of one suffix live side by side in one stack', () => {
    const stack = testStack({ env: WEST });
    new DrBackupVault(stack, 'Vault', { environmentSuffix: 'dev' });
    make({}, stack);
    const names = Object.values<any>(Template.fromStack(stack).findResources('AWS::Backup::BackupVault')).map((r) => r.Properties.BackupVaultName);
    expect(names.sort()).toEqual(['dr-copy-vault-dev', 'dr-vault-dev']);
  });
});

describe('DESTROY', () => {
  test('no lock, no access policy, everything deleted, and a drain between vault and writers', () => {
    const { template, stack, vault } = make({ removalPolicy: RemovalPolicy.DESTROY });
    const resource = vaultResource(template);
    expect(resource.DeletionPolicy).toBe('Delete');
    expect(resource.Properties.LockConfiguration).toBeUndefined();
    expect(resource.Properties.AccessPolicy).toBeUndefined();
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    const vaultId = stack.getLogicalId(vault.vault.node.defaultChild as backup.CfnBackupVault);
    const [drainId, drain] = Object.entries<any>(template.findResources('Custom::DrBackupVaultDrain'))[0];
    expect(drain.Properties.BackupVaultName).toEqual({ 'Fn::GetAtt': [vaultId, 'BackupVaultName'] });
    expect(drain.DependsOn).toContain(vaultId);
    expect(stack.getLogicalId(vault.drain!.node.defaultChild as any)).toBe(drainId);
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/dr/dev/dr-copy-vault-dev-drain' });
    expect(vault.vaultLock).toBe(VaultLockMode.NONE);
    Annotations.fromStack(stack).hasWarning('/TestStack/CopyVault', Match.stringLikeRegexp('removalPolicy is DESTROY'));
  });

  test('the drain may delete only this account and region\'s recovery points, and list only this vault', () => {
    const { template, stack, vault } = make({ removalPolicy: RemovalPolicy.DESTROY });
    const statements = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const list = statements.find((s) => s.Action === 'backup:ListRecoveryPointsByBackupVault');
    expect(list.Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(vault.vault.node.defaultChild as backup.CfnBackupVault), 'BackupVaultArn'] });
    const del = statements.find((s) => s.Action === 'backup:DeleteRecoveryPoint');
    expect(del.Resource).toEqual(expect.arrayContaining([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:us-west-2:111111111111:recovery-point:*']] }]));
    expect(JSON.stringify(statements)).not.toMatch(/"backup:\*"|"Action":"\*"/);
  });
});

describe('validation', () => {
  test.each([
    ['a governance lock with DESTROY', { vaultLock: VaultLockMode.GOVERNANCE, removalPolicy: RemovalPolicy.DESTROY }, /`vaultLock` GOVERNANCE cannot be combined with `removalPolicy` DESTROY/],
    ['a compliance lock with DESTROY', { vaultLock: VaultLockMode.COMPLIANCE, removalPolicy: RemovalPolicy.DESTROY }, /`vaultLock` COMPLIANCE cannot be combined/],
    ['a cooling-off period without a compliance lock', { complianceLockChangeableFor: Duration.days(5) }, /`complianceLockChangeableFor` only applies to `vaultLock` COMPLIANCE, got vaultLock: GOVERNANCE/],
    ['a cooling-off period under 3 days', { vaultLock: VaultLockMode.COMPLIANCE, complianceLockChangeableFor: Duration.days(2) }, /`complianceLockChangeableFor`.*2 days/],
    ['a cooling-off period in hours', { vaultLock: VaultLockMode.COMPLIANCE, complianceLockChangeableFor: Duration.hours(80) }, /`complianceLockChangeableFor`/],
    ['a minimum retention of 0 days', { minimumRetention: Duration.days(0) }, /`minimumRetention`.*0 days/],
    ['a minimum retention of half a day', { minimumRetention: Duration.hours(12) }, /`minimumRetention`.*12 hours/],
    ['a minimum retention over 100 years', { minimumRetention: Duration.days(36501) }, /`minimumRetention`.*36501 days/],
    ['a minimum retention without a lock', { vaultLock: VaultLockMode.NONE, minimumRetention: Duration.days(7) }, /`minimumRetention` is the vault lock's and only applies with a lock, got: vaultLock NONE/],
    ['a minimum retention with DESTROY', { removalPolicy: RemovalPolicy.DESTROY, minimumRetention: Duration.days(7) }, /only applies with a lock, got: vaultLock NONE \(the default with DESTROY\)/],
    ['a one-character vault name', { backupVaultName: 'a' }, /`backupVaultName` must be 2 to 50 letters, digits, hyphens or underscores.*got: "a"/],
    ['a vault name with a dot', { backupVaultName: 'dr.copies' }, /`backupVaultName`.*"dr\.copies"/],
    ['a vault name with a space', { backupVaultName: 'dr copies' }, /`backupVaultName`/],
    ['a 51-character vault name', { backupVaultName: 'v'.repeat(51) }, /`backupVaultName`/],
    ['a short account ID', { copySourceAccounts: ['12345'] }, /`copySourceAccounts` must hold 12-digit AWS account IDs, got: "12345"/],
    ['an account alias', { copySourceAccounts: ['payments-prod'] }, /`copySourceAccounts`.*"payments-prod"/],
    ['an account twice', { copySourceAccounts: ['222222222222', '222222222222'] }, /`copySourceAccounts` names an account twice/],
    ['events without a topic', { notificationEvents: [backup.BackupVaultEvents.COPY_JOB_FAILED] }, /`notificationEvents` needs `alarmTopic`/],
    ['an uppercase suffix', { environmentSuffix: 'Dev' }, /`environmentSuffix` must match/],
    ['a suffix too long for the vault name', { environmentSuffix: 'a'.repeat(40) }, /`environmentSuffix` must be at most 36 characters here.*backup vault name/],
  ] as Array<[string, Partial<DrBackupVaultProps>, RegExp]>)('%s is refused', (_what, props, message) => {
    expect(() => make(props)).toThrow(message);
  });

  test('an empty event list is refused', () => {
    const stack = testStack({ env: WEST });
    expect(() => make({ alarmTopic: new sns.Topic(stack, 'T'), notificationEvents: [] }, stack)).toThrow(/`notificationEvents` must name at least one event/);
  });

  test('a key of another region is refused: KMS keys are regional', () => {
    const stack = testStack({ env: WEST });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => make({ encryptionKey: key }, stack)).toThrow(/`encryptionKey` must be a KMS key in the stack's region us-west-2/);
  });

  test('two copy vaults of one suffix in one account and region are refused: the second could not deploy', () => {
    const stack = testStack({ env: WEST });
    make({}, stack);
    expect(() => new DrBackupVault(stack, 'Again', { environmentSuffix: 'dev', purpose: BackupVaultPurpose.COPY_DESTINATION }))
      .toThrow(/gives the (backup vault|KMS alias) name "(dr-copy-vault-dev|alias\/dr-backup-copy-dev)", which TestStack\/CopyVault already uses/);
  });

  test('a token name or account is not checked', () => {
    // Environment-agnostic: the account is a token too.
    const stack = testStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    const { template } = make({ backupVaultName: name, copySourceAccounts: [stack.account] }, stack);
    expect(vaultResource(template).Properties.BackupVaultName).toEqual({ Ref: 'Name' });
  });
});

describe('compliance', () => {
  test.each([
    ['copy destination, RETAIN', { purpose: BackupVaultPurpose.COPY_DESTINATION }],
    ['copy destination, DESTROY', { purpose: BackupVaultPurpose.COPY_DESTINATION, removalPolicy: RemovalPolicy.DESTROY }],
    ['backup vault with a topic and other accounts', { purpose: BackupVaultPurpose.BACKUP, copySourceAccounts: ['222222222222'], topic: true }],
    ['compliance lock', { vaultLock: VaultLockMode.COMPLIANCE }],
  ] as Array<[string, Partial<DrBackupVaultProps> & { topic?: boolean }]>)('cdk-nag (four packs): zero unacknowledged findings, %s', (_label, { topic, ...props }) => {
    const stack = testStack({ env: WEST });
    const { vault } = make({ ...props, alarmTopic: topic ? sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:us-west-2:111111111111:ops') : undefined }, stack);
    expect(nagFindings(stack, vault)).toEqual([]);
  });

  complianceTest.each([
    ['RETAIN, environment-specific', { env: WEST }, {}],
    ['DESTROY, environment-specific', { env: WEST }, { removalPolicy: RemovalPolicy.DESTROY }],
    ['RETAIN, environment-agnostic, other accounts', {}, { copySourceAccounts: ['222222222222'] }],
    ['compliance lock', { env: WEST }, { vaultLock: VaultLockMode.COMPLIANCE, complianceLockChangeableFor: Duration.days(3) }],
  ] as Array<[string, any, Partial<DrBackupVaultProps>]>)('strict schema validation passes: %s', (_label, stackOptions, props) => {
    const stack = testStack({ validate: true, ...stackOptions });
    make(props, stack);
    expect(() => synth(stack)).not.toThrow();
  });
});
