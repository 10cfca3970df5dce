// Every Allow statement to an AWS service principal in a resource policy
// must say on whose behalf the service may act: aws:SourceAccount or
// aws:SourceArn (the confused deputy), or, where AWS documents that the
// service does not send those keys on the call, the condition AWS documents
// instead (ALTERNATIVES). Trust policies (AssumeRolePolicyDocument) are
// identity-side and out of scope.
import * as fs from 'fs';
import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CONFIGURATIONS, synthesizeConfiguration } from '../../scripts/reference-configurations';
import {
  DrAlarms, DrBackupVault, EncryptedAurora, EventForwarding, HourlyBackup, PitrTable, ProtectedResource, RestoreDrill, VersionedBucket,
} from '../../src';
import { backupVaultArn, copyVaultName } from '../../src/names';
import { isolatedVpc, testApp } from '../util';

/** The policy property of each resource type that holds a resource policy. */
const RESOURCE_POLICIES: Record<string, string> = {
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::Backup::BackupVault': 'AccessPolicy',
  'AWS::Events::EventBus': 'Policy',
  'AWS::Logs::ResourcePolicy': 'PolicyDocument',
};

const SOURCE_KEYS = ['aws:SourceAccount', 'aws:SourceArn'];

/**
 * Conditions AWS documents for a service that does not send
 * aws:SourceAccount/aws:SourceArn on the call, by the key they use.
 */
const ALTERNATIVES: Record<string, string> = {
  // CloudWatch Logs using a log group's key:
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
  'kms:EncryptionContext:aws:logs:arn': 'logs',
  // EventBridge (and AWS Backup) publishing to an encrypted topic: "Adding the
  // aws:SourceAccount and aws:SourceArn to a AWS KMS policy is not supported
  // for EventBridge-to-encrypted topics",
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
  'kms:EncryptionContext:aws:sns:topicArn': 'sns',
};

interface Finding { template: string; logicalId: string; principal: unknown; actions: unknown }

function conditionKeys(condition: Record<string, Record<string, unknown>> | undefined): string[] {
  return Object.values(condition ?? {}).flatMap((byKey) => Object.keys(byKey));
}

/** The Allow statements to a service principal that say nothing of whose behalf. */
export function unconditionedServiceStatements(name: string, template: any): Finding[] {
  const findings: Finding[] = [];
  for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
    const property = RESOURCE_POLICIES[resource.Type];
    const document = property && resource.Properties?.[property];
    if (!document || typeof document !== 'object') continue;
    for (const statement of [document.Statement ?? []].flat()) {
      if (statement.Effect !== 'Allow' || typeof statement.Principal !== 'object' || !('Service' in statement.Principal)) continue;
      const keys = conditionKeys(statement.Condition);
      if (keys.some((key) => SOURCE_KEYS.includes(key) || key in ALTERNATIVES)) continue;
      findings.push({ template: name, logicalId, principal: statement.Principal.Service, actions: statement.Action });
    }
  }
  return findings;
}

const EAST = { account: '111111111111', region: 'us-east-1' };

/** The constructs that write resource policies, each alone in its stack. */
const STANDALONE: Record<string, (stack: Stack) => void> = {
  'dr-alarms': (stack) => {
    new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', table: new PitrTable(stack, 'Table', { environmentSuffix: 'dev' }).table });
  },
  'hourly-backup-copy-to': (stack) => {
    const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev' });
    const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'dev' });
    new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev',
      resources: [ProtectedResource.fromPitrTable(table), ProtectedResource.fromVersionedBucket(bucket)],
      copyTo: [{ vault: backup.BackupVault.fromBackupVaultArn(stack, 'CopyVault', backupVaultArn('aws', 'us-west-2', EAST.account, copyVaultName('dev'))) }],
    });
  },
  'dr-backup-vault-own-topic': (stack) => {
    const alarmTopic = new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'TopicKey') });
    new DrBackupVault(stack, 'Vault', { environmentSuffix: 'dev', alarmTopic });
  },
  'event-forwarding': (stack) => {
    new EventForwarding(stack, 'Events', {
      environmentSuffix: 'dev', targetRegion: 'us-west-2', alarmTopic: new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'TopicKey') }),
    });
  },
  'restore-drill': (stack) => {
    const vpc = isolatedVpc(stack);
    const database = new EncryptedAurora(stack, 'Database', { environmentSuffix: 'dev', vpc });
    const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev' });
    const hourly = new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev', resources: [ProtectedResource.fromEncryptedAurora(database), ProtectedResource.fromPitrTable(table)],
    });
    new RestoreDrill(stack, 'Drill', {
      environmentSuffix: 'dev',
      vpc,
      vault: hourly.vault,
      database: ProtectedResource.fromEncryptedAurora(database),
      table: ProtectedResource.fromTable(table.table, { encryptionKey: new kms.Key(stack, 'TableKey') }),
    });
  },
};

describe('every Allow to a service principal in a resource policy says on whose behalf', () => {
  test.each(Object.keys(CONFIGURATIONS))('reference configuration %s', (name) => {
    const assembly = synthesizeConfiguration(name);
    try {
      const findings = assembly.stacks.flatMap((stack) => unconditionedServiceStatements(`${name}/${stack.stackName}`, stack.template));
      expect(findings).toEqual([]);
    } finally {
      fs.rmSync(assembly.directory, { recursive: true, force: true });
    }
  });

  test.each(Object.keys(STANDALONE))('standalone %s', (name) => {
    const app = testApp();
    const stack = new Stack(app, 'Standalone', { env: EAST });
    STANDALONE[name](stack);
    const template = app.synth().getStackByName('Standalone').template;
    expect(unconditionedServiceStatements(name, template)).toEqual([]);
  });
});

describe('the check itself', () => {
  const policy = (statement: object) => ({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [statement] } } } } });
  test('finds a service statement with no condition, naming template, id, principal and actions', () => {
    expect(unconditionedServiceStatements('t', policy({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'kms:Decrypt' })))
      .toEqual([{ template: 't', logicalId: 'Key', principal: 'events.amazonaws.com', actions: 'kms:Decrypt' }]);
  });
  test('finds one whose condition is not about the source', () => {
    expect(unconditionedServiceStatements('t', policy({
      Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'kms:Decrypt', Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    }))).toHaveLength(1);
  });
  test.each([
    { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    { ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111111111111:rule/x' } },
    { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:111111111111:t' } },
  ])('accepts %j', (condition) => {
    expect(unconditionedServiceStatements('t', policy({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'kms:Decrypt', Condition: condition })))
      .toEqual([]);
  });
  test('leaves Deny statements and account principals alone', () => {
    expect(unconditionedServiceStatements('t', policy({ Effect: 'Deny', Principal: { Service: 'events.amazonaws.com' }, Action: '*' }))).toEqual([]);
    expect(unconditionedServiceStatements('t', policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: '*' }))).toEqual([]);
  });
});
