import { CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BundledFunction } from '../private/bundled-function';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';

/** What the vault drain needs to know. */
export interface VaultDrainProps {
  /** The vault to empty on stack delete. */
  readonly vault: backup.IBackupVault;
  /** The vault's name as written, for descriptions. */
  readonly vaultName: string;
  /** The name of the drain's log group. */
  readonly logGroupName: string;
  /** Encrypts the drain's log group. */
  readonly encryptionKey: kms.IKey;
}

/**
 * A custom resource that deletes every recovery point of a vault when the
 * stack is deleted, after whatever writes into the vault is gone (the owner
 * makes it depend on the drain) and before the vault is, so a vault with
 * DESTROY can really be deleted. Its handler is
 * drain-vault.lambda.ts beside this file.
 */
export class VaultDrain extends Construct {
  /** The handler. */
  public readonly function: lambda.Function;
  /** The custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: VaultDrainProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const vaultName = props.vaultName;
    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Empties the DR backup vault ${vaultName} on stack delete`,
    });
    const logGroup = createEncryptedLogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      retention: logs.RetentionDays.ONE_WEEK,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const rpArn = (service: string, resource: string) => `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
    const policy = role.addStatements(
      new iam.PolicyStatement({
        actions: ['backup:ListRecoveryPointsByBackupVault'],
        resources: [props.vault.backupVaultArn],
      }),
      // Recovery point ARNs are minted per backup job (and for Aurora and
      // DynamoDB they are snapshot and backup ARNs of those services), so they
      // can only be named by pattern, scoped to this account and region.
      new iam.PolicyStatement({
        actions: ['backup:DeleteRecoveryPoint'],
        resources: [
          rpArn('backup', 'recovery-point:*'),
          rpArn('rds', 'cluster-snapshot:awsbackup:*'),
          rpArn('dynamodb', 'table/*/backup/*'),
        ],
      }),
      new iam.PolicyStatement({ actions: ['rds:DeleteDBClusterSnapshot'], resources: [rpArn('rds', 'cluster-snapshot:awsbackup:*')] }),
      new iam.PolicyStatement({ actions: ['dynamodb:DeleteBackup'], resources: [rpArn('dynamodb', 'table/*/backup/*')] }),
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.logGroupArn}`, `${logGroup.logGroupArn}:log-stream:*`] }),
    );
    this.function = new BundledFunction(this, 'Handler', {
      bundle: 'dr-backup-vault/drain-vault',
      description: `Empties the DR backup vault ${vaultName} on stack delete so it can be deleted`,
      role,
      timeout: Duration.minutes(15),
      memorySize: 256,
      logGroup,
      // One deletion at a time is all this needs.
      reservedConcurrentExecutions: 1,
    });
    this.function.node.addDependency(role);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::DrBackupVaultDrain',
      properties: { BackupVaultName: props.vault.backupVaultName },
    });
    // Deleted in reverse: the drain before the vault. Whatever writes into
    // the vault (a backup plan) depends on the drain, so it goes first.
    this.resource.node.addDependency(props.vault);

    const why = (finding: string) => `Vault drain handler, created only with removalPolicy DESTROY and invoked only by CloudFormation on stack delete: ${finding}`;
    acknowledgeFinding(this.function, 'LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security'], why('it is invoked synchronously by CloudFormation, which receives its failure; a queue would hold nothing useful.'));
    acknowledgeFinding(this.function, 'LambdaInsideVPC', COMPLIANCE_PACKS, why('it only calls the AWS Backup API and has no network resources to reach; inside an isolated VPC it would need an AWS Backup endpoint.'));
    // cdk-nag names a finding by the resource as written, pseudo parameters as <AWS::...>.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const pattern = (service: string, resource: string) => `IAM5[Resource::arn:<AWS::Partition>:${service}:${region}:${account}:${resource}]`;
    acknowledgeFinding(policy, pattern('backup', 'recovery-point:*'), ['AwsSolutions'],
      why('recovery point IDs are minted per backup job; the pattern is scoped to this account and region.'));
    acknowledgeFinding(policy, pattern('rds', 'cluster-snapshot:awsbackup:*'), ['AwsSolutions'],
      why('Aurora recovery points are RDS snapshots AWS Backup names per job under awsbackup:.'));
    acknowledgeFinding(policy, pattern('dynamodb', 'table/*/backup/*'), ['AwsSolutions'],
      why('DynamoDB recovery points are table backups with per-job IDs.'));
    acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      why('Lambda names its log streams at run time, inside this one log group.'));
  }
}
