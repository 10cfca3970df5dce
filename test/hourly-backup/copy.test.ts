import { Aws, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  BackupCopyDestination, EncryptedAurora, HourlyBackup, HourlyBackupProps, PitrTable, ProtectedResource, ProtectedResourceType, VersionedBucket,
} from '../../src';
import { backupVaultArn, copyVaultKeyAlias, copyVaultName } from '../../src/names';
import { complianceTest, isolatedVpc, nagFindings, synth, testStack } from '../util';

const EAST = { account: '111111111111', region: 'us-east-1' };
const WEST_VAULT = backupVaultArn('aws', 'us-west-2', '111111111111', copyVaultName('dev'));

function make(props: Partial<HourlyBackupProps> = {}, stack: Stack = testStack({ env: EAST }), destinations?: (s: Stack) => BackupCopyDestination[]) {
  const removalPolicy = props.removalPolicy;
  const db = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), removalPolicy });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev', removalPolicy });
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'dev', removalPolicy });
  const copyTo = destinations ? destinations(stack) : [{ vault: backup.BackupVault.fromBackupVaultArn(stack, 'CopyVault', WEST_VAULT) }];
  const hourly = new HourlyBackup(stack, 'Backup', {
    environmentSuffix: 'dev',
    resources: [ProtectedResource.fromEncryptedAurora(db), ProtectedResource.fromPitrTable(table), ProtectedResource.fromVersionedBucket(bucket)],
    copyTo,
    ...props,
  });
  return { stack, backup: hourly, get template() { return Template.fromStack(stack); } };
}

const rules = (template: Template) => Object.values<any>(template.findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan.BackupPlanRule;
const roleStatements = (template: Template) => Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
  .flatMap((p) => p.Properties.PolicyDocument.Statement);
const imported = (stack: Stack, id: string, arn: string) => backup.BackupVault.fromBackupVaultArn(stack, id, arn);

describe('copy actions', () => {
  test('the hourly snapshot rule copies to the other region\'s vault, kept as long as the snapshots', () => {
    const { template } = make();
    const [snapshots, continuous] = rules(template);
    expect(snapshots.RuleName).toBe('hourly-snapshots');
    expect(snapshots.CopyActions).toEqual([{ DestinationBackupVaultArn: WEST_VAULT, Lifecycle: { DeleteAfterDays: 7 } }]);
    // A continuous backup is copied as a fresh snapshot: copying from both rules would copy Aurora and S3 twice an hour.
    expect(continuous.RuleName).toBe('continuous');
    expect(continuous.CopyActions).toBeUndefined();
  });

  test('without copyTo there is no copy action, and nothing survives the region', () => {
    const stack = testStack({ env: EAST });
    const { template, backup: hourly } = make({ copyTo: undefined }, stack);
    for (const rule of rules(template)) {
      expect(rule.CopyActions).toBeUndefined();
    }
    expect(hourly.copyDestinations).toEqual([]);
    const coverage = hourly.regionLossCoverage();
    expect(coverage.map((c) => [c.resourceType, c.survivesRegionLoss])).toEqual([
      [ProtectedResourceType.AURORA, false], [ProtectedResourceType.DYNAMODB, false], [ProtectedResourceType.S3, false],
    ]);
    expect(coverage[0].mechanism).toBe('no copy outside us-east-1: every recovery point is in that region\'s vault and is lost with it');
    expect(coverage[0].dataLossExcludingCopy).toBeUndefined();
  });

  test('several destinations, each with its own retention', () => {
    const euVault = backupVaultArn('aws', 'eu-west-1', '111111111111', 'dr-copy-vault-dev');
    const { template, backup: hourly } = make({ retention: Duration.days(14) }, undefined, (s) => [
      { vault: imported(s, 'West', WEST_VAULT) },
      { vault: imported(s, 'Eu', euVault), retention: Duration.days(90) },
    ]);
    expect(rules(template)[0].CopyActions).toEqual([
      { DestinationBackupVaultArn: WEST_VAULT, Lifecycle: { DeleteAfterDays: 14 } },
      { DestinationBackupVaultArn: euVault, Lifecycle: { DeleteAfterDays: 90 } },
    ]);
    expect(hourly.copyDestinations.map((d) => [d.vault.backupVaultName, d.retention?.toDays()])).toEqual([['dr-copy-vault-dev', 14], ['dr-copy-vault-dev', 90]]);
    expect(hourly.regionLossCoverage()[0].copyRegions).toEqual(['us-west-2', 'eu-west-1']);
  });

  test('a retention given as a token in days goes through', () => {
    const stack = testStack({ env: EAST });
    const days = new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber;
    const { template } = make({}, stack, (s) => [{ vault: imported(s, 'West', WEST_VAULT), retention: Duration.days(days) }]);
    expect(rules(template)[0].CopyActions[0].Lifecycle).toEqual({ DeleteAfterDays: { Ref: 'Days' } });
  });

  test('the template without copyTo keeps the logical IDs HourlyBackup always gave its key, vault and drain', () => {
    const { template } = make({ copyTo: undefined, removalPolicy: RemovalPolicy.DESTROY });
    const ids = Object.keys(template.toJSON().Resources);
    expect(ids).toEqual(expect.arrayContaining([
      'BackupEncryptionKey154CF693', 'BackupEncryptionKeyAlias758E3CAC', 'BackupVaultADF21B19',
      'BackupVaultDrainRoleBDEF594B', 'BackupVaultDrainLogs564B9559', 'BackupVaultDrainHandler9A9C25A6', 'BackupVaultDrain465824D5',
    ]));
  });
});

describe('the destination key', () => {
  test('named by alias, the backup role may use the keys of the destination region that carry it, and nothing else there', () => {
    const { template } = make({}, undefined, (s) => [{ vault: imported(s, 'West', WEST_VAULT), encryptionKeyAlias: copyVaultKeyAlias('dev') }]);
    const keyStatements = roleStatements(template).filter((st) => JSON.stringify(st.Resource) === '"arn:aws:kms:us-west-2:111111111111:key/*"');
    expect(keyStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'],
        Resource: 'arn:aws:kms:us-west-2:111111111111:key/*',
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/dr-backup-copy-dev'] } },
      },
      {
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: 'arn:aws:kms:us-west-2:111111111111:key/*',
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/dr-backup-copy-dev'] }, 'Bool': { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ]);
  });

  test('a vault ARN written with the partition token works the same', () => {
    const stack = testStack({ env: EAST });
    const arn = backupVaultArn(Aws.PARTITION, 'us-west-2', '111111111111', copyVaultName('dev'));
    const { template, backup: hourly } = make({}, stack, (s) => [{ vault: imported(s, 'West', arn), encryptionKeyAlias: copyVaultKeyAlias('dev') }]);
    const keys = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:111111111111:key/*']] };
    expect(roleStatements(template).filter((st) => JSON.stringify(st.Resource) === JSON.stringify(keys))).toHaveLength(2);
    expect(rules(template)[0].CopyActions[0].DestinationBackupVaultArn).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:us-west-2:111111111111:backup-vault:dr-copy-vault-dev']] });
    expect(nagFindings(stack).filter((f) => !f.includes(' @ TestStack/Vpc/'))).toEqual([]);
    expect(hourly.regionLossCoverage()[0].copyRegions).toEqual(['us-west-2']);
  });

  test('a key alias with a vault ARN whose region is a token is refused: the keys cannot be named', () => {
    const stack = testStack({ env: EAST });
    const arn = new CfnParameter(stack, 'VaultArn').valueAsString;
    expect(() => make({}, stack, (s) => [{ vault: imported(s, 'West', arn), encryptionKeyAlias: copyVaultKeyAlias('dev') }]))
      .toThrow(/`copyTo\[0\]\.encryptionKeyAlias` needs a vault ARN whose region and account are known at synth/);
  });

  test('not named: no statement on another region\'s keys', () => {
    const { template } = make();
    expect(JSON.stringify(roleStatements(template))).not.toContain('us-west-2');
  });
});

describe('region-loss coverage', () => {
  test('each resource: a snapshot copy, its bounded loss, and what stays unknown', () => {
    const { backup: hourly } = make();
    const [aurora, table, bucket] = hourly.regionLossCoverage();
    for (const c of [aurora, table, bucket]) {
      expect(c.survivesRegionLoss).toBe(true);
      expect(c.copyRegions).toEqual(['us-west-2']);
      // The hourly schedule plus the 2 h completion window; the copy's own time is not bounded.
      expect(c.dataLossExcludingCopy?.toMinutes()).toBe(180);
      expect(c.unknownReason).toMatch(/copy job has no completion window/);
      expect(c.mechanism).toMatch(/^the hourly snapshot copied to us-west-2: a snapshot, restorable only to the moment it was taken/);
    }
    expect(aurora.mechanism).toMatch(/continuous backup \(point-in-time restore\) is not copied and stays in us-east-1/);
    expect(aurora.conditions).toEqual([expect.stringMatching(/option group is not copied/)]);
    expect(table.mechanism).toMatch(/the table's point-in-time recovery stays in us-east-1/);
    expect(table.conditions).toEqual([expect.stringMatching(/advanced features for DynamoDB must be on in the account/)]);
    expect(bucket.conditions).toEqual([]);
  });

  test('a stack output says it in short, only when the plan copies', () => {
    const outputs = (t: Template) => Object.values<any>(t.toJSON().Outputs ?? {});
    const region = outputs(make().template).find((o) => /keeps outside this region/.test(o.Description));
    expect(region.Value).toBe('Aurora TestStack/Db: snapshot copies in us-west-2, RPO 3 hours plus the copy\'s duration (unknown); '
      + 'DynamoDB TestStack/Table: snapshot copies in us-west-2, RPO 3 hours plus the copy\'s duration (unknown); '
      + 'S3 TestStack/Bucket: snapshot copies in us-west-2, RPO 3 hours plus the copy\'s duration (unknown)');
    expect(outputs(make({ copyTo: undefined }).template).find((o) => /keeps outside this region/.test(o.Description))).toBeUndefined();
  });

  test('the bounded loss follows the completion window', () => {
    const { backup: hourly } = make({ rpo: Duration.hours(4), completionWindow: Duration.hours(5) });
    expect(hourly.regionLossCoverage()[0].dataLossExcludingCopy?.toMinutes()).toBe(360);
  });

  test('a function is redeployed, an imported bucket of unknown versioning is unknown, any other ARN depends on its type', () => {
    const stack = testStack({ env: EAST });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
    // Snapshots are the only mechanism for an ARN: a 2 h RPO admits it.
    const { backup: hourly } = make({ rpo: Duration.hours(2) }, stack);
    hourly.addResource(ProtectedResource.fromFunction(fn));
    hourly.addResource(ProtectedResource.fromBucket(s3.Bucket.fromBucketName(stack, 'Imported', 'someone-elses-bucket')));
    hourly.addResource(ProtectedResource.fromArn('arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-12345678', 'files'));
    const [, , , redeployed, unknown, other] = hourly.regionLossCoverage();
    expect(redeployed).toMatchObject({ resourceType: ProtectedResourceType.LAMBDA, survivesRegionLoss: true, copyRegions: [], conditions: [] });
    expect(redeployed.mechanism).toMatch(/^redeployed from the app/);
    expect(redeployed.dataLossExcludingCopy).toBeUndefined();
    expect(redeployed.unknownReason).toBeUndefined();
    expect(unknown.unknownReason).toMatch(/versioning cannot be read/);
    expect(unknown.dataLossExcludingCopy).toBeUndefined();
    expect(other.conditions).toEqual([expect.stringMatching(/must support cross-region copies for this resource type/)]);
    // The hourly schedule plus the completion window (1 h start window + 2 h RPO).
    expect(other.dataLossExcludingCopy?.toMinutes()).toBe(240);
  });

  test('a destination whose ARN is a token: its region is unknown, so the copy is not reported as surviving region loss', () => {
    const stack = testStack({ env: EAST });
    const arn = new CfnParameter(stack, 'VaultArn').valueAsString;
    const { backup: hourly, template } = make({}, stack, (s) => [{ vault: imported(s, 'Param', arn) }]);
    expect(rules(template)[0].CopyActions).toEqual([{ DestinationBackupVaultArn: { Ref: 'VaultArn' }, Lifecycle: { DeleteAfterDays: 7 } }]);
    const [coverage] = hourly.regionLossCoverage();
    expect(coverage).toMatchObject({ survivesRegionLoss: false, copyRegions: [] });
    expect(coverage.unknownReason).toMatch(/the copy vaults' regions are tokens/);
  });
});

/** The subset of EventBridge matching the rules use: exact values, and `$or` of such objects. */
function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      return (expected as any[]).some((alternative) => matches(alternative, event));
    }
    if (Array.isArray(expected)) {
      return expected.includes(event?.[key]);
    }
    return matches(expected, event?.[key]);
  });
}

describe('copy-job failures reach the topic', () => {
  // Copy jobs run in the source region and report there; a copy job has no
  // ABORTED state (CREATED, RUNNING, COMPLETED, FAILED, PARTIAL).
  const copyEvent = (state: string, source: string, destination: string) => ({
    'source': 'aws.backup',
    'detail-type': 'Copy Job State Change',
    'detail': { copyJobId: 'job-1', state, sourceBackupVaultArn: source, destinationBackupVaultArn: destination, resourceArn: 'arn:aws:rds:us-east-1:111111111111:cluster:dr-aurora-dev' },
  });
  const SOURCE = 'arn:aws:backup:us-east-1:111111111111:backup-vault:dr-vault-dev';

  test.each([
    ['a failed copy out of this vault into the other region', copyEvent('FAILED', SOURCE, WEST_VAULT), true],
    ['a completed copy', copyEvent('COMPLETED', SOURCE, WEST_VAULT), false],
    ['a failed copy between two other vaults', copyEvent('FAILED', 'arn:aws:backup:us-east-1:111111111111:backup-vault:other', WEST_VAULT), false],
  ])('%s: notified %s', (_what, event, notified) => {
    const { template, stack, backup: hourly } = make();
    const rule = Object.values<any>(template.findResources('AWS::Events::Rule', { Properties: { Name: 'dr-copy-job-failed-dev' } }))[0].Properties;
    // The vault ARN resolves at deploy: put the deployed value in its place.
    const vaultArnToken = stack.resolve(hourly.vault.backupVaultArn);
    const pattern = JSON.parse(JSON.stringify({ ...rule.EventPattern }).split(JSON.stringify(vaultArnToken)).join(JSON.stringify(SOURCE)));
    expect(matches(pattern, event)).toBe(notified);
    expect(rule.Targets[0].Arn).toEqual({ Ref: expect.stringMatching(/^BackupNotifications/) });
  });
});

describe('validation', () => {
  const otherPartition = 'arn:aws-cn:backup:cn-north-1:111111111111:backup-vault:dr-copy-vault-dev';
  test.each([
    ['a vault in the plan\'s own region', () => backupVaultArn('aws', 'us-east-1', '111111111111', 'dr-copy-vault-dev'), {}, /`copyTo\[0\]\.vault` must be in another region than the stack's own \(us-east-1\): a copy there is lost with the region/],
    ['a vault of another partition', () => otherPartition, {}, /`copyTo\[0\]\.vault` must be in the stack's partition aws: nothing crosses partitions, got: .*\(partition aws-cn\)/],
    ['a retention of 0 days', () => WEST_VAULT, { retention: Duration.days(0) }, /`copyTo\[0\]\.retention` must be.*0 days/],
    ['a retention of 12 hours', () => WEST_VAULT, { retention: Duration.hours(12) }, /`copyTo\[0\]\.retention`.*12 hours/],
    ['a retention over 100 years', () => WEST_VAULT, { retention: Duration.days(36501) }, /`copyTo\[0\]\.retention`.*36501 days/],
    ['a key alias without alias/', () => WEST_VAULT, { encryptionKeyAlias: 'dr-backup-copy-dev' }, /`copyTo\[0\]\.encryptionKeyAlias` must be the alias of a customer-managed key.*got: "dr-backup-copy-dev"/],
    ['an AWS-managed key alias', () => WEST_VAULT, { encryptionKeyAlias: 'alias/aws/backup' }, /`copyTo\[0\]\.encryptionKeyAlias`.*not alias\/aws\/.*"alias\/aws\/backup"/],
    ['a key alias with a space', () => WEST_VAULT, { encryptionKeyAlias: 'alias/dr backup' }, /`copyTo\[0\]\.encryptionKeyAlias`/],
  ] as Array<[string, () => string, Partial<BackupCopyDestination>, RegExp]>)('%s is refused', (_what, arn, extra, message) => {
    expect(() => make({}, undefined, (s) => [{ vault: imported(s, 'Dest', arn()), ...extra }])).toThrow(message);
  });

  test('a vault imported by name is this region\'s, and refused', () => {
    expect(() => make({}, undefined, (s) => [{ vault: backup.BackupVault.fromBackupVaultName(s, 'ByName', 'dr-copy-vault-dev') }]))
      .toThrow(/`copyTo\[0\]\.vault` must be in another region than the stack's own \(us-east-1\)/);
  });

  test('a vault whose ARN is not a backup vault\'s is refused', () => {
    const stack = testStack({ env: EAST });
    const real = imported(stack, 'Real', WEST_VAULT);
    const odd: backup.IBackupVault = Object.create(real, { backupVaultArn: { value: 'arn:aws:s3:::dr-copy-vault-dev' } });
    expect(() => make({}, stack, () => [{ vault: odd }])).toThrow(/`copyTo\[0\]\.vault` must have a backup vault ARN.*got: "arn:aws:s3:::dr-copy-vault-dev"/);
  });

  test('the same vault twice is refused', () => {
    expect(() => make({}, undefined, (s) => [{ vault: imported(s, 'A', WEST_VAULT) }, { vault: imported(s, 'B', WEST_VAULT) }]))
      .toThrow(/`copyTo\[1\]\.vault` is already a copy destination/);
  });

  test('a retention token in hours is refused: CloudFormation takes days', () => {
    const stack = testStack({ env: EAST });
    const hours = new CfnParameter(stack, 'Hours', { type: 'Number' }).valueAsNumber;
    expect(() => make({}, stack, (s) => [{ vault: imported(s, 'West', WEST_VAULT), retention: Duration.hours(hours) }]))
      .toThrow(/`copyTo\[0\]\.retention` from a token must be given as Duration\.days\(token\)/);
  });

  test('in an environment-agnostic stack the region cannot be compared and is not', () => {
    expect(() => make({}, testStack(), (s) => [{ vault: imported(s, 'Dest', backupVaultArn('aws', 'us-east-1', '111111111111', 'v1')) }])).not.toThrow();
  });
});

describe('compliance', () => {
  test.each([
    ['an environment-specific stack, with the destination key by alias', { env: EAST }, true],
    ['an environment-agnostic stack', {}, true],
    ['an environment-specific stack, no key alias', { env: EAST }, false],
  ])('cdk-nag (four packs): zero unacknowledged findings outside the test VPC, %s', (_label, stackOptions, alias) => {
    const stack = testStack(stackOptions);
    make({}, stack, (s) => [{ vault: imported(s, 'West', WEST_VAULT), encryptionKeyAlias: alias ? copyVaultKeyAlias('dev') : undefined }]);
    expect(nagFindings(stack).filter((f) => !f.includes(' @ TestStack/Vpc/'))).toEqual([]);
  });

  complianceTest.each([
    ['RETAIN', undefined],
    ['DESTROY', RemovalPolicy.DESTROY],
  ] as const)('strict schema validation passes with copies, %s', (_label, removalPolicy) => {
    const stack = testStack({ validate: true, env: EAST });
    make({ removalPolicy }, stack, (s) => [{ vault: imported(s, 'West', WEST_VAULT), encryptionKeyAlias: copyVaultKeyAlias('dev'), retention: Duration.days(30) }]);
    expect(() => synth(stack)).not.toThrow();
  });
});
