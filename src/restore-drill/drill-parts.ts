import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { retainUnlessDestroy } from '../private/removal';

/** One drilled resource's restore testing selection, as both plans make it. */
export interface DrillSelection {
  readonly type: string;
  readonly name: string;
  readonly resourceArn: string;
  readonly validationHours: number;
  readonly overrides: Record<string, string>;
  readonly restoreRole: iam.IRole;
}

/** A restore testing selection of `plan`, restoring the one resource with the drill's role, after the plan exists. */
export function restoreTestingSelection(
  scope: Construct, plan: backup.CfnRestoreTestingPlan, id: string, s: DrillSelection,
): backup.CfnRestoreTestingSelection {
  const selection = new backup.CfnRestoreTestingSelection(scope, id, {
    restoreTestingPlanName: plan.restoreTestingPlanName,
    restoreTestingSelectionName: s.name,
    protectedResourceType: s.type,
    protectedResourceArns: [s.resourceArn],
    iamRoleArn: s.restoreRole.roleArn,
    validationWindowHours: s.validationHours,
    restoreMetadataOverrides: Object.keys(s.overrides).length ? s.overrides : undefined,
  });
  selection.node.addDependency(plan);
  return selection;
}

/** A drill function's dead-letter queue: encrypted with the drill's key, TLS only, kept 14 days. */
export function drillDeadLetterQueue(
  scope: Construct, id: string, queueName: string, encryptionKey: kms.IKey, removalPolicy: RemovalPolicy | undefined,
): sqs.Queue {
  return new sqs.Queue(scope, id, {
    queueName,
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: encryptionKey,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: retainUnlessDestroy(removalPolicy),
  });
}
