/**
 * What the AWS Backup role of HourlyBackup may do: the AWS-managed service
 * policies, and named KMS actions on the keys of the protected resources and
 * of the copy destinations.
 */
import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BackupCopyDestination } from './copy-destination';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding } from '../private/nag';

/** Attaches the AWS-managed service-role policies AWS Backup documents for its role, each acknowledged for cdk-nag. */
export function addBackupManagedPolicies(role: ManagedPolicyRole, ...names: string[]): void {
  for (const name of names) {
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${name}`));
    acknowledgeFinding(role, `IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`, ['AwsSolutions'],
      `${name} is the AWS-managed policy AWS Backup documents for this role; AWS keeps it current as the services it backs up change.`);
  }
}

/**
 * Recovery points of Aurora stay encrypted with the cluster's key, and S3
 * backups read objects encrypted with the bucket's key: the role needs both.
 */
export function grantKeyUse(role: ManagedPolicyRole, key: kms.IKey): void {
  role.addStatements(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'],
      resources: [key.keyArn],
    }),
    new iam.PolicyStatement({
      actions: ['kms:CreateGrant'],
      resources: [key.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  );
}

/**
 * Lets the backup role use the destination vault's key, which AWS Backup
 * re-encrypts every copy with. The key's ID cannot be known in this
 * region, so the statement names every key of the destination region
 * and account, narrowed to the one with the alias.
 */
export function grantCopyKey(role: ManagedPolicyRole, d: BackupCopyDestination): void {
  const alias = d.encryptionKeyAlias!;
  // Checked in resolveCopyDestinations (copies.ts): seven segments, region and account known.
  const [, partition, , region, account] = d.vault.backupVaultArn.split(':');
  const keys = `arn:${partition}:kms:${region}:${account}:key/*`;
  const condition = { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [alias] } };
  role.addStatements(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'],
      resources: [keys],
      conditions: condition,
    }),
    new iam.PolicyStatement({
      actions: ['kms:CreateGrant'],
      resources: [keys],
      conditions: { ...condition, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  );
  // cdk-nag names a finding by the resource as written.
  // A partition token can only be the stack's partition (AWS Backup copies within one), which cdk-nag writes <AWS::Partition>.
  const written = `arn:${Token.isUnresolved(partition) ? '<AWS::Partition>' : partition}:kms:${region}:${account}:key/*`;
  acknowledgeFinding(role, `IAM5[Resource::${written}]`, ['AwsSolutions'],
    `The copy destination's key is in another region, where its ID cannot be known: the statement names the region's keys and is narrowed by kms:ResourceAliases to ${alias}.`);
}
