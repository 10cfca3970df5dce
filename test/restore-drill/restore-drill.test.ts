import { Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as awsbackup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { EncryptedAurora, HourlyBackup, PitrTable, ProtectedResource, RestoreDrill, RestoreDrillProps, VersionedBucket } from '../../src';
import { drillInstanceId } from '../../src/restore-drill/validate-restore.lambda';
import { complianceTest, isolatedVpc, nagFindings, synth, testStack } from '../util';

function platform(stack: Stack) {
  const vpc = isolatedVpc(stack);
  const database = new EncryptedAurora(stack, 'Database', { environmentSuffix: 'test', vpc });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'test' });
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'test' });
  const backup = new HourlyBackup(stack, 'Backup', {
    environmentSuffix: 'test',
    resources: [
      ProtectedResource.fromEncryptedAurora(database), ProtectedResource.fromPitrTable(table), ProtectedResource.fromVersionedBucket(bucket),
    ],
  });
  return { vpc, database, table, bucket, backup };
}

function drill(stack: Stack, extra: Partial<RestoreDrillProps> = {}) {
  const p = platform(stack);
  const d = new RestoreDrill(stack, 'Drill', {
    environmentSuffix: 'test',
    vpc: p.vpc,
    vault: p.backup.vault,
    database: ProtectedResource.fromEncryptedAurora(p.database),
    table: ProtectedResource.fromPitrTable(p.table),
    bucket: ProtectedResource.fromVersionedBucket(p.bucket),
    ...extra,
  });
  return { ...p, drill: d };
}

describe('defaults', () => {
  const stack = testStack();
  const { drill: d } = drill(stack);
  const t = Template.fromStack(stack);

  test('a weekly plan restoring the latest snapshot of the last 7 days from the platform vault', () => {
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RestoreTestingPlanName: 'dr_drills_test',
      ScheduleExpression: 'cron(0 3 ? * SUN *)',
      StartWindowHours: 1,
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('BackupVault'), 'BackupVaultArn'] }],
        RecoveryPointTypes: ['SNAPSHOT'],
        SelectionWindowDays: 7,
      },
    });
    expect(d.resourceTypes).toEqual(['Aurora', 'DynamoDB', 'S3']);
  });

  test('a second plan on the same schedule restores the latest continuous (PITR) point of the cluster and the bucket, not the table', () => {
    const plans = Object.values<any>(t.findResources('AWS::Backup::RestoreTestingPlan')).map((r) => r.Properties);
    expect(plans).toHaveLength(2);
    const [snapshot, continuous] = ['dr_drills_test', 'dr_pitr_test'].map((name) => plans.find((p) => p.RestoreTestingPlanName === name));
    expect(snapshot.RecoveryPointSelection.RecoveryPointTypes).toEqual(['SNAPSHOT']);
    expect(continuous.RecoveryPointSelection.RecoveryPointTypes).toEqual(['CONTINUOUS']);
    // Everything but the kind is the same: schedule, start window, algorithm, vault, selection window.
    const { RestoreTestingPlanName: _a, RecoveryPointSelection: { RecoveryPointTypes: _b, ...snapshotSelection }, ...snapshotRest } = snapshot;
    const { RestoreTestingPlanName: _c, RecoveryPointSelection: { RecoveryPointTypes: _d, ...continuousSelection }, ...continuousRest } = continuous;
    expect(continuousRest).toEqual(snapshotRest);
    expect(continuousSelection).toEqual(snapshotSelection);

    const selections = Object.values<any>(t.findResources('AWS::Backup::RestoreTestingSelection')).map((r) => r.Properties);
    const inPlan = (name: string) => selections.filter((sel) => sel.RestoreTestingPlanName === name).map((sel) => sel.ProtectedResourceType).sort();
    expect(inPlan('dr_drills_test')).toEqual(['Aurora', 'DynamoDB', 'S3']);
    expect(inPlan('dr_pitr_test')).toEqual(['Aurora', 'S3']);
    expect(d.continuousPlan).toBeDefined();
    expect(d.restoreTestingPlanArns).toHaveLength(2);
  });

  test('a resource is restored the same way from either kind of point: same overrides, window and role', () => {
    const selections = Object.values<any>(t.findResources('AWS::Backup::RestoreTestingSelection')).map((r) => r.Properties);
    for (const type of ['Aurora', 'S3']) {
      const [a, b] = selections.filter((sel) => sel.ProtectedResourceType === type);
      const { RestoreTestingPlanName: _a, ...first } = a;
      const { RestoreTestingPlanName: _b, ...second } = b;
      expect([type, second]).toEqual([type, first]);
    }
  });

  test('each selection depends on its own plan, so neither is created before its plan', () => {
    const resources = t.toJSON().Resources as Record<string, any>;
    const planIds = Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Backup::RestoreTestingPlan')
      .map(([id, r]) => [r.Properties.RestoreTestingPlanName, id]));
    for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::Backup::RestoreTestingSelection')) {
      const name = r.Properties.RestoreTestingPlanName;
      expect([name, r.DependsOn]).toEqual([name, expect.arrayContaining([planIds[name]])]);
    }
  });

  test('Aurora is restored into the platform VPC: drill subnet group, drill security group, the cluster key', () => {
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'Aurora',
      RestoreTestingSelectionName: 'aurora',
      ValidationWindowHours: 4,
      RestoreMetadataOverrides: {
        dbsubnetgroupname: { Ref: Match.stringLikeRegexp('DrillSubnetGroup') },
        vpcsecuritygroupids: { 'Fn::Join': ['', ['["', { 'Fn::GetAtt': [Match.stringLikeRegexp('DrillRestoredClusterSecurityGroup'), 'GroupId'] }, '"]']] },
        kmskeyid: { 'Fn::GetAtt': [Match.stringLikeRegexp('DatabaseEncryptionKey'), 'Arn'] },
      },
    });
    t.hasResourceProperties('AWS::RDS::DBSubnetGroup', { DBSubnetGroupName: 'dr-drill-test' });
  });

  test('the S3 copy keeps the bucket key; the table copy keeps the key the PitrTable made', () => {
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'S3',
      RestoreMetadataOverrides: { encryptiontype: 'SSE-KMS', kmskey: { 'Fn::GetAtt': [Match.stringLikeRegexp('BucketEncryptionKey'), 'Arn'] } },
    });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'DynamoDB',
      RestoreMetadataOverrides: { encryptiontype: 'KMS', kmsmasterkeyarn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TableEncryptionKey'), 'Arn'] } },
    });
  });

  test('a table on the AWS-managed key, asked for, needs no override', () => {
    const s = testStack();
    const p = platform(s);
    const table = new PitrTable(s, 'ManagedTable', { environmentSuffix: 'managed', encryption: dynamodb.TableEncryption.AWS_MANAGED });
    new RestoreDrill(s, 'Drill', { environmentSuffix: 'test', vpc: p.vpc, vault: p.backup.vault, table: ProtectedResource.fromPitrTable(table) });
    Template.fromStack(s).hasResourceProperties('AWS::Backup::RestoreTestingSelection', { ProtectedResourceType: 'DynamoDB', RestoreMetadataOverrides: Match.absent() });
  });

  test('every encryption override is a value AWS documents for its resource type, spelled exactly (values are case-sensitive)', () => {
    // S3: as restore testing's inferred metadata shows it (SSE-S3, hyphenated); DynamoDB: Default or KMS.
    const documented: Record<string, string[]> = { S3: ['SSE-S3', 'SSE-KMS'], DynamoDB: ['Default', 'KMS'] };
    const s = testStack();
    const p = platform(s);
    new RestoreDrill(s, 'Drill', {
      environmentSuffix: 'test',
      vpc: p.vpc,
      vault: p.backup.vault,
      table: ProtectedResource.fromTable(p.table.table, { encryptionKey: new kms.Key(s, 'TableKey') }),
      bucket: ProtectedResource.fromVersionedBucket(p.bucket),
    });
    const selections = Object.values<any>(Template.fromStack(s).findResources('AWS::Backup::RestoreTestingSelection')).map((r) => r.Properties);
    const overridden = selections.filter((sel) => sel.RestoreMetadataOverrides?.encryptiontype !== undefined);
    expect(overridden.map((sel) => sel.ProtectedResourceType).sort()).toEqual(['DynamoDB', 'S3', 'S3']); // S3 in both plans
    for (const sel of overridden) {
      const type = sel.ProtectedResourceType;
      expect([type, documented[type]]).toEqual([type, expect.arrayContaining([sel.RestoreMetadataOverrides.encryptiontype])]);
    }
  });

  test('a table with a customer-managed key is restored with that key', () => {
    const s = testStack();
    const p = platform(s);
    const key = new kms.Key(s, 'TableKey');
    new RestoreDrill(s, 'Drill', { environmentSuffix: 'test', vpc: p.vpc, vault: p.backup.vault, table: ProtectedResource.fromTable(p.table.table, { encryptionKey: key }) });
    Template.fromStack(s).hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'DynamoDB',
      RestoreMetadataOverrides: { encryptiontype: 'KMS', kmsmasterkeyarn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TableKey'), 'Arn'] } },
    });
  });

  test('restored clusters admit only the smoke query, on the live cluster\'s port, which reaches nothing else', () => {
    const port = 5432;
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DrillRestoredClusterSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DrillSmokeQuerySecurityGroup'), 'GroupId'] },
      FromPort: port,
      ToPort: port,
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DrillSmokeQuerySecurityGroup'), 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DrillRestoredClusterSecurityGroup'), 'GroupId'] },
      FromPort: port,
      ToPort: port,
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-drill-smoke-test',
      VpcConfig: Match.objectLike({ SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('DrillSmokeQuerySecurityGroup'), 'GroupId'] }] }),
    });
  });

  test('the smoke query trusts the RDS CAs it carries, not the runtime image\'s CA file', () => {
    const [smoke] = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'dr-drill-smoke-test' } })) as any[];
    expect(smoke.Properties.Environment?.Variables ?? {}).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
    expect(smoke.Properties.Environment?.Variables ?? {}).not.toHaveProperty('DB_SSL_CA');
  });

  test('the validator runs on restore job events with the plan, the window and the live resources it must not touch', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'dr-drill-restore-completed-test',
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Restore Job State Change'],
        'detail': { status: ['COMPLETED', 'FAILED', 'ABORTED'], iamRoleArn: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('DrillRestoreRole'), 'Arn'] }] },
      },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-drill-validator-test',
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          RESTORE_TESTING_PLAN_ARNS: {
            'Fn::Join': ['', [
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^DrillPlan'), 'RestoreTestingPlanArn'] },
              ',',
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^DrillContinuousPlan'), 'RestoreTestingPlanArn'] },
            ]],
          },
          VALIDATION_WINDOW_HOURS: '4',
          DRILL_INSTANCE_CLASS: 'db.t4g.medium',
          SMOKE_QUERY_FUNCTION: { Ref: Match.stringLikeRegexp('DrillSmokeQuery') },
          LIVE_RESOURCE_ARNS: Match.anyValue(),
        }),
      },
    });
  });

  test('the rule matches the restore jobs of this drill alone: the role in its filter is the one every selection restores with, and no other', () => {
    const [rule] = Object.values<any>(t.findResources('AWS::Events::Rule', { Properties: { Name: 'dr-drill-restore-completed-test' } }));
    const roles = rule.Properties.EventPattern.detail.iamRoleArn;
    expect(roles).toHaveLength(1);
    const selections = Object.values<any>(t.findResources('AWS::Backup::RestoreTestingSelection'));
    expect(selections).toHaveLength(5); // both plans' selections
    for (const selection of selections) expect(selection.Properties.IamRoleArn).toEqual(roles[0]);
    // The role is the drill's own: AWS Backup may assume it, and nothing else in the stack restores with it.
    const roleId = roles[0]['Fn::GetAtt'][0];
    expect(JSON.stringify(t.findResources('AWS::Backup::BackupSelection'))).not.toContain(roleId);
  });

  test('the validator is denied every change to the live cluster', () => {
    const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('Validates the test DR restore drills') } });
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const deny = statements.find((s: any) => s.Effect === 'Deny');
    expect(deny.Action).toEqual(expect.arrayContaining(['rds:ModifyDBCluster', 'rds:CreateDBInstance', 'rds:DeleteDBInstance']));
    expect(JSON.stringify(deny.Resource)).toContain('DatabaseCluster');
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    for (const a of actions) expect(a).not.toMatch(/\*/);
  });

  describe('the validator may change only what AWS Backup restored', () => {
    const statements = () => {
      const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('Validates the test DR restore drills') } });
      return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement) as any[];
    };
    /** An RDS resource ARN from the template, as text: `arn:<partition>:rds:<region>:<account>:cluster:x`, references as `<Ref>`. */
    const text = (r: any): string => typeof r === 'string' ? r
      : r['Fn::Join'] ? r['Fn::Join'][1].map(text).join('')
        : r.Ref === 'AWS::Partition' ? '<partition>' : r.Ref === 'AWS::Region' ? '<region>' : r.Ref === 'AWS::AccountId' ? '<account>' : '<Ref>';
    const allowed = (action: string) => statements()
      .filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action))
      .flatMap((s) => [s.Resource].flat().map(text));
    const RDS = 'arn:<partition>:rds:<region>:<account>:';

    test.each([
      ['rds:ModifyDBCluster', [`${RDS}cluster:awsbackup-restore-test*`]],
      ['rds:DeleteDBInstance', [`${RDS}db:drill-awsbackup-restore-test*`]],
      ['rds:AddTagsToResource', [`${RDS}db:drill-awsbackup-restore-test*`]],
      ['rds:CreateDBInstance', [
        `${RDS}db:drill-awsbackup-restore-test*`, `${RDS}cluster:awsbackup-restore-test*`, `${RDS}subgrp:<Ref>`, `${RDS}pg:*`, `${RDS}og:*`,
      ]],
    ])('%s: only restored clusters and their drill instances', (action, resources) => {
      expect(allowed(action).sort()).toEqual([...resources].sort());
    });

    test('the drill instance may join only the drill subnet group', () => {
      const create = statements().find((s) => s.Effect === 'Allow' && [s.Action].flat().includes('rds:CreateDBInstance'));
      const subgrp = [create.Resource].flat().find((r: any) => text(r).includes(':subgrp:'));
      expect(JSON.stringify(subgrp)).toMatch(/"Ref":"DrillSubnetGroup[0-9A-F]+"/);
    });

    test('no cluster or instance outside the restored copies can be changed', () => {
      const changes = statements().filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => /^rds:(Modify|Create|Delete|AddTags|Remove|Reboot|Stop|Start|Restore|Failover)/.test(a)));
      expect(changes.length).toBeGreaterThan(0);
      for (const resource of changes.flatMap((s) => [s.Resource].flat().map(text))) {
        expect(resource).not.toMatch(/:(cluster|db):\*$/);
        expect(resource).not.toMatch(/:db:drill-\*$/);
      }
    });

    // Ties the policy to the handler: every drill instance name the validator can make is one the role may create and delete.
    test.each([
      'awsbackup-restore-test-abc123',
      `awsbackup-restore-test-${'x'.repeat(60)}`,
      `awsbackup-restore-test-${'0'.repeat(34)}-end`,
    ])('the drill instance for %s is within the allowed names', (clusterId) => {
      expect(drillInstanceId(clusterId)).toMatch(/^drill-awsbackup-restore-test/);
    });

    test('the live cluster\'s key may be granted to AWS resources only', () => {
      const grant = statements().find((s) => s.Effect === 'Allow' && [s.Action].flat().includes('kms:CreateGrant'));
      expect(grant.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    });
  });

  test('the restore role has the restore policies and the keys, not the backup policy', () => {
    const roles = t.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('restores the test DR drills') } });
    const role = Object.values(roles)[0] as any;
    const managed = JSON.stringify(role.Properties.ManagedPolicyArns);
    expect(managed).toContain('AWSBackupServiceRolePolicyForRestores');
    expect(managed).toContain('AWSBackupServiceRolePolicyForS3Restore');
    expect(managed).not.toContain('AWSBackupServiceRolePolicyForBackup');
  });

  test('zero unacknowledged cdk-nag findings', () => {
    expect(nagFindings(stack, d)).toEqual([]);
  });
});

describe('overrides', () => {
  test('schedule, windows, instance type and probe key', () => {
    const stack = testStack();
    drill(stack, {
      schedule: events.Schedule.cron({ minute: '30', hour: '4', day: '1' }),
      scheduleInterval: Duration.days(31),
      startWindow: Duration.hours(2),
      selectionWindow: Duration.days(2),
      validationWindow: Duration.hours(8),
      drillInstanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
      bucketProbeKey: 'canary/probe.json',
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      ScheduleExpression: 'cron(30 4 1 * ? *)', StartWindowHours: 2, RecoveryPointSelection: Match.objectLike({ SelectionWindowDays: 2 }),
    });
    t.resourcePropertiesCountIs('AWS::Backup::RestoreTestingSelection', { ValidationWindowHours: 8 }, 5);
    t.resourcePropertiesCountIs('AWS::Backup::RestoreTestingPlan', {
      ScheduleExpression: 'cron(30 4 1 * ? *)', StartWindowHours: 2, RecoveryPointSelection: Match.objectLike({ SelectionWindowDays: 2 }),
    }, 2);
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-drill-validator-test',
      Environment: { Variables: Match.objectLike({ DRILL_INSTANCE_CLASS: 'db.r6g.large', S3_PROBE_KEY: 'canary/probe.json', VALIDATION_WINDOW_HOURS: '8' }) },
    });
  });

  const drillRules = (t: Template, type: string) => Object.values(t.findResources(type, {
    Properties: { GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Drill'), 'GroupId'] } },
  })).map((r: any) => [r.Properties.FromPort, r.Properties.ToPort]);

  test.each([
    ['an imported cluster on 6543', (st: Stack) => ({
      database: ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(st, 'Legacy', { clusterIdentifier: 'legacy', port: 6543 })),
    }), 6543],
    ['an imported cluster on 15432, databasePort wins', (st: Stack) => ({
      database: ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(st, 'Legacy', { clusterIdentifier: 'legacy', port: 6543 })), databasePort: 15432,
    }), 15432],
    ['an EncryptedAurora on 5433', (st: Stack, vpc: ec2.IVpc) => {
      const db = new EncryptedAurora(st, 'Other', { environmentSuffix: 'other', vpc, port: 5433 });
      return { database: ProtectedResource.fromEncryptedAurora(db) };
    }, 5433],
  ] as const)('%s: the smoke query reaches its copies on that port', (_label, props, port) => {
    const stack = testStack();
    const p = platform(stack);
    new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc: p.vpc, vault: p.backup.vault, ...props(stack, p.vpc) });
    const t = Template.fromStack(stack);
    expect(drillRules(t, 'AWS::EC2::SecurityGroupIngress')).toEqual([[port, port]]);
    expect(drillRules(t, 'AWS::EC2::SecurityGroupEgress')).toEqual([[port, port]]);
  });

  test('continuousRecoveryPoints: false: one plan, of snapshots, and the validator accepts its jobs only', () => {
    const stack = testStack();
    const { drill: d } = drill(stack, { continuousRecoveryPoints: false });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Backup::RestoreTestingPlan', 1);
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', { RecoveryPointSelection: Match.objectLike({ RecoveryPointTypes: ['SNAPSHOT'] }) });
    t.resourceCountIs('AWS::Backup::RestoreTestingSelection', 3);
    expect(d.continuousPlan).toBeUndefined();
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-drill-validator-test',
      Environment: { Variables: Match.objectLike({ RESTORE_TESTING_PLAN_ARNS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DrillPlan'), 'RestoreTestingPlanArn'] } }) },
    });
  });

  test('only a table: one plan (DynamoDB has no AWS Backup continuous point), one selection, no Aurora resources, no S3 restore policy', () => {
    const stack = testStack();
    const p = platform(stack);
    const d = new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc: p.vpc, vault: p.backup.vault, table: ProtectedResource.fromPitrTable(p.table) });
    const t = Template.fromStack(stack);
    expect(d.continuousPlan).toBeUndefined();
    t.resourceCountIs('AWS::Backup::RestoreTestingPlan', 1);
    t.resourceCountIs('AWS::Backup::RestoreTestingSelection', 1);
    t.resourceCountIs('AWS::RDS::DBSubnetGroup', 1); // the cluster's own, not a drill one
    const roles = t.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('restores the test DR drills') } });
    expect(JSON.stringify(roles)).not.toContain('S3Restore');
  });

  test('with DESTROY the drill\'s logs, queues and key go with the stack', () => {
    const stack = testStack();
    drill(stack, { removalPolicy: RemovalPolicy.DESTROY });
    const t = Template.fromStack(stack);
    const drillResources = Object.entries(t.toJSON().Resources).filter(([id]) => id.startsWith('Drill'));
    for (const [id, r] of drillResources as Array<[string, any]>) {
      expect([id, r.DeletionPolicy ?? 'Delete']).not.toEqual([id, 'Retain']);
    }
  });
});

describe('strict schema validation', () => {
  complianceTest('the drill synthesizes with schema validation in strict mode', () => {
    const stack = testStack({ validate: true, env: { account: '123456789012', region: 'eu-west-1' } });
    drill(stack);
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  const p = () => {
    const stack = testStack();
    return { stack, ...platform(stack) };
  };
  test('nothing to drill is refused', () => {
    const { stack, vpc, backup } = p();
    expect(() => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc, vault: backup.vault }))
      .toThrow('RestoreDrill needs something to drill: pass `database`, `table` or `bucket`');
  });
  test('a database without a key is restored with its snapshot\'s key: no override, no key grant', () => {
    const { stack, vpc, backup, database } = p();
    new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc, vault: backup.vault, database: ProtectedResource.fromDatabaseCluster(database.cluster), databasePort: database.port });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'Aurora', RestoreMetadataOverrides: Match.objectLike({ kmskeyid: Match.absent() }),
    });
  });
  test.each([
    ['a cluster imported without its port', (st: Stack) => ({
      database: ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(st, 'Legacy', { clusterIdentifier: 'legacy' })),
    }), '`databasePort` is required: `database` TestStack/Legacy was imported without `port`, and the smoke query must reach its restored copies on that port'],
    ['a cluster made in the app, without databasePort', (st: Stack, vpc: ec2.IVpc) => ({
      database: ProtectedResource.fromDatabaseCluster(new EncryptedAurora(st, 'Legacy', { environmentSuffix: 'legacy', vpc }).cluster),
    }), '`databasePort` is required: `database` TestStack/Legacy/Cluster reports its port only at deploy (a cluster created in the app does)'],
    ['a token databasePort', (st: Stack) => ({
      database: ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(st, 'Legacy', { clusterIdentifier: 'legacy', port: 5432 })),
      databasePort: Token.asNumber({ Ref: 'DbPort' }),
    }), '`databasePort` must be a number known at synth, not a token, got: '],
    ['port 0', (st: Stack) => ({
      database: ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(st, 'Legacy', { clusterIdentifier: 'legacy', port: 5432 })), databasePort: 0,
    }), '`databasePort` must be a whole number from 1150 to 65535, the ports an Aurora PostgreSQL cluster can listen on, got: 0'],
    ['port 70000', (st: Stack) => ({
      database: ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(st, 'Legacy', { clusterIdentifier: 'legacy', port: 5432 })), databasePort: 70000,
    }), '`databasePort` must be a whole number from 1150 to 65535, the ports an Aurora PostgreSQL cluster can listen on, got: 70000'],
  ] as const)('%s is refused: the copies could not be reached', (_label, props, message) => {
    const { stack, vpc, backup } = p();
    expect(() => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc, vault: backup.vault, ...props(stack, vpc) }))
      .toThrow(message);
  });
  test('a schedule of one\'s own needs its interval, from 1 hour to 31 days: the overdue alarm counts from it', () => {
    const monthly = events.Schedule.cron({ minute: '30', hour: '4', day: '1' });
    expect(() => drill(testStack(), { schedule: monthly }))
      .toThrow('`scheduleInterval` must be given with `schedule` (cron(30 4 1 * ? *))');
    for (const scheduleInterval of [Duration.minutes(30), Duration.minutes(90), Duration.days(32)]) {
      expect(() => drill(testStack(), { schedule: monthly, scheduleInterval })).toThrow('`scheduleInterval` must be a whole number of hours from 1 to 744');
    }
    expect(drill(testStack(), { schedule: monthly, scheduleInterval: Duration.days(31) }).drill.scheduleInterval.toDays()).toBe(31);
  });

  test('a rate schedule is refused', () => {
    const { stack, vpc, backup, table } = p();
    expect(() => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc, vault: backup.vault, table: ProtectedResource.fromPitrTable(table), schedule: events.Schedule.rate(Duration.days(7)) }))
      .toThrow('`schedule` must be a cron expression (restore testing takes no rate), got: "rate(7 days)"');
  });
  test.each([
    ['startWindow', Duration.minutes(30)], ['startWindow', Duration.hours(169)], ['startWindow', Duration.minutes(90)],
    ['validationWindow', Duration.hours(0)], ['validationWindow', Duration.days(8)], ['validationWindow', Duration.minutes(150)],
    ['selectionWindow', Duration.hours(12)], ['selectionWindow', Duration.days(366)],
  ] as const)('%s of %s is refused with the allowed range', (prop, value) => {
    const { stack, vpc, backup, table } = p();
    expect(() => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc, vault: backup.vault, table: ProtectedResource.fromPitrTable(table), [prop]: value }))
      .toThrow(new RegExp(`\`${prop}\` must be a whole number of (hours|days) from 1 to \\d+, got: `));
  });
  test.each([
    ['startWindow', Duration.hours(Lazy.number({ produce: () => 2 }))],
    ['selectionWindow', Duration.days(Lazy.number({ produce: () => 3 }))],
    ['validationWindow', Duration.hours(Lazy.number({ produce: () => 8 }))],
    ['validationWindow', Duration.minutes(Token.asNumber({ Ref: 'WindowMinutes' }))],
  ] as const)('a token %s is refused: the plan, the selections and the validator would disagree', (prop, value) => {
    const { stack, vpc, backup, table } = p();
    expect(() => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc, vault: backup.vault, table: ProtectedResource.fromPitrTable(table), [prop]: value }))
      .toThrow(new RegExp(`^\`${prop}\` must be a concrete duration, not a token: .+, got: Duration\\.(hours|days|minutes)\\(<token>\\) \\(in TestStack/Drill\\)$`));
  });
  test('a suffix that makes the plan name too long is refused', () => {
    const { stack, vpc, backup, table } = p();
    expect(() => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'a'.repeat(41), vpc, vault: backup.vault, table: ProtectedResource.fromPitrTable(table) }))
      .toThrow(/`environmentSuffix` must be at most \d+ characters here/);
  });
});

describe('the drilled stores are handles of their kind, made from their construct', () => {
  const p = () => {
    const stack = testStack();
    return { stack, ...platform(stack) };
  };
  type Prop = 'database' | 'table' | 'bucket';
  const handles = (st: Stack, vpc: ec2.IVpc): Record<string, ProtectedResource> => ({
    Aurora: ProtectedResource.fromEncryptedAurora(new EncryptedAurora(st, 'Db2', { environmentSuffix: 'db2', vpc })),
    DynamoDB: ProtectedResource.fromPitrTable(new PitrTable(st, 'Table2', { environmentSuffix: 'table2' })),
    S3: ProtectedResource.fromVersionedBucket(new VersionedBucket(st, 'Bucket2', { environmentSuffix: 'bucket2' })),
    Other: ProtectedResource.fromArn('arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1', 'shared-fs'),
  });
  const expected: Record<Prop, string> = { database: 'Aurora', table: 'DynamoDB', bucket: 'S3' };
  const cases: Array<[Prop, string]> = [];
  for (const prop of ['database', 'table', 'bucket'] as Prop[]) {
    for (const kind of ['Aurora', 'DynamoDB', 'S3', 'Other']) {
      if (kind !== expected[prop]) cases.push([prop, kind]);
    }
  }
  test.each(cases)('`%s` given a %s handle is refused, naming the prop and the kind it needs', (prop, kind) => {
    const { stack, vpc, backup } = p();
    const handle = handles(stack, vpc)[kind];
    expect(() => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc, vault: backup.vault, [prop]: handle }))
      .toThrow(new RegExp(`^\`${prop}\` must be a ${expected[prop]} handle made from its construct \\(.+\\), got: ${kind} "`));
  });

  test.each([
    ['table', 'arn:aws:dynamodb:us-east-1:123456789012:table/orders'],
    ['bucket', 'arn:aws:s3:::legacy-data'],
  ] as const)('a %s handle of the right kind without its construct cannot be drilled', (prop, arn) => {
    const { stack, vpc, backup } = p();
    // fromArn gives the type Other; the typed factories always carry a construct, so an ARN-only handle is Other.
    const handle = ProtectedResource.fromArn(arn, 'by-arn');
    expect(() => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc, vault: backup.vault, [prop]: handle }))
      .toThrow(/must be a (DynamoDB|S3) handle made from its construct/);
  });

  test('a plain object instead of a handle is refused', () => {
    const { stack, vpc, backup, table } = p();
    expect(() => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc, vault: backup.vault, table: table.table as any }))
      .toThrow(/^`table` must be a ProtectedResource \(ProtectedResource.fromPitrTable or fromTable\), got: another object/);
  });
});

describe('the drill restores from its own region', () => {
  test.each([
    ['vault', (st: Stack) => ({ vault: awsbackup.BackupVault.fromBackupVaultArn(st, 'V', 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr-vault-test'), table: ProtectedResource.fromPitrTable(new PitrTable(st, 'T2', { environmentSuffix: 't2' })) }), /^`vault` must be in the stack's region/],
    ['table', (st: Stack) => ({ table: ProtectedResource.fromTable(dynamodb.Table.fromTableArn(st, 'T', 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders')) }), /^`table` must be in the stack's region/],
    ['database', (st: Stack) => ({ database: ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(st, 'C', { clusterIdentifier: 'legacy', port: 5432 })) }), null],
  ] as const)('a %s of another region is refused (an imported cluster\'s ARN names the stack\'s region)', (_prop, props, message) => {
    const stack = testStack({ env: { account: '123456789012', region: 'us-east-1' } });
    const p = platform(stack);
    const make = () => new RestoreDrill(stack, 'Drill', { environmentSuffix: 'test', vpc: p.vpc, vault: p.backup.vault, ...props(stack) });
    if (message) expect(make).toThrow(message); else expect(make).not.toThrow();
  });
});

describe('copies: a vault holding another region\'s copies of the handles\' counterparts', () => {
  const env = { account: '123456789012', region: 'us-west-2' };
  function copyDrill(extra: Partial<RestoreDrillProps> = {}) {
    const stack = testStack({ env });
    const copyKey = new kms.Key(stack, 'CopyKey');
    const { drill: d } = drill(stack, { copies: { encryptionKey: copyKey, sourceRegion: 'us-east-1' }, ...extra });
    return { stack, copyKey, drill: d, template: Template.fromStack(stack) };
  }

  test('every selection takes each protected resource of its type in the vault: a copy keeps its source region\'s ARN', () => {
    const { template } = copyDrill();
    const selections = Object.values<any>(template.findResources('AWS::Backup::RestoreTestingSelection')).map((r) => r.Properties);
    expect(selections.map((s) => s.ProtectedResourceType).sort()).toEqual(['Aurora', 'DynamoDB', 'S3']);
    for (const s of selections) expect(s.ProtectedResourceArns).toEqual(['*']);
  });

  test('only the snapshot plan: a copy in another region is a snapshot', () => {
    const { template, drill: d } = copyDrill();
    const plans = Object.values<any>(template.findResources('AWS::Backup::RestoreTestingPlan')).map((r) => r.Properties);
    expect(plans).toHaveLength(1);
    expect(plans[0].RecoveryPointSelection.RecoveryPointTypes).toEqual(['SNAPSHOT']);
    expect(d.continuousPlan).toBeUndefined();
    expect(d.drillPlans.map((p) => p.name)).toEqual(['snapshot']);
  });

  test('the restore role may use the copies\' key', () => {
    const { template, stack, copyKey } = copyDrill();
    const keyArn = stack.resolve(copyKey.keyArn);
    const statements = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().includes('kms:Decrypt') && JSON.stringify(s.Resource).includes(JSON.stringify(keyArn)));
    expect(statements.length).toBeGreaterThan(0);
  });

  test.each([
    ['copies of this region\'s own resources', { sourceRegion: 'us-west-2' }, /^`copies.sourceRegion` must be another region than the drill's \(us-west-2\)/],
    ['continuous recovery points of copies', { continuousRecoveryPoints: true }, /^`continuousRecoveryPoints` cannot be true with `copies` \(from us-east-1\): a copy in another region is a snapshot/],
  ])('refuses %s', (_name, extra, message) => {
    const stack = testStack({ env });
    const copyKey = new kms.Key(stack, 'CopyKey');
    const { sourceRegion, ...rest } = extra as any;
    const copies = { encryptionKey: copyKey, sourceRegion: sourceRegion ?? 'us-east-1' };
    expect(() => drill(stack, { copies, ...rest })).toThrow(message);
  });

  test('without copies, selections name the resources', () => {
    const stack = testStack({ env });
    drill(stack);
    const selections = Object.values<any>(Template.fromStack(stack).findResources('AWS::Backup::RestoreTestingSelection')).map((r) => r.Properties);
    for (const s of selections) expect(s.ProtectedResourceArns).not.toEqual(['*']);
  });
});
