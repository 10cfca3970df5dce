import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { encryptedDeadLetterQueue } from '../private/dead-letter-queue';
import { DrillPlanMeasurement } from '../recovery-point-monitor/drill-plans';
import { ProtectedResourceType } from '../stores/protected-resource';

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

/** The resource's selection in the snapshot plan, and in the continuous plan when AWS Backup keeps continuous points of its type. */
export function drillSelections(scope: Construct, plan: backup.CfnRestoreTestingPlan, continuousPlan: backup.CfnRestoreTestingPlan | undefined,
  s: DrillSelection): backup.CfnRestoreTestingSelection[] {
  const selections = [restoreTestingSelection(scope, plan, `${s.type}Selection`, s)];
  if (continuousPlan && CONTINUOUS_TYPES.includes(s.type as ProtectedResourceType)) {
    selections.push(restoreTestingSelection(scope, continuousPlan, `Continuous${s.type}Selection`, s));
  }
  return selections;
}

/** A drill function's dead-letter queue: the library's kind (src/private/dead-letter-queue.ts), with the drill's key. */
export function drillDeadLetterQueue(
  scope: Construct, id: string, queueName: string, encryptionKey: kms.IKey, removalPolicy: RemovalPolicy | undefined,
): sqs.Queue {
  return encryptedDeadLetterQueue(scope, id, { queueName, encryptionKey, removalPolicy });
}

/** AWS Backup keeps continuous recovery points for these drilled types (DynamoDB's PITR is the table's own). */
const CONTINUOUS_TYPES: readonly ProtectedResourceType[] = [ProtectedResourceType.AURORA, ProtectedResourceType.S3];

/** A drill's plans as a RecoveryPointMonitor measures them: `snapshot` for every type, `continuous` for those with continuous points. */
export function drillPlanMeasurements(plan: backup.CfnRestoreTestingPlan, continuousPlan: backup.CfnRestoreTestingPlan | undefined,
  types: readonly ProtectedResourceType[]): DrillPlanMeasurement[] {
  const continuousTypes = types.filter((t) => CONTINUOUS_TYPES.includes(t));
  return [
    { name: 'snapshot', restoreTestingPlanArn: plan.attrRestoreTestingPlanArn, resourceTypes: [...types] },
    ...(continuousPlan && continuousTypes.length ? [{ name: 'continuous', restoreTestingPlanArn: continuousPlan.attrRestoreTestingPlanArn, resourceTypes: continuousTypes }] : []),
  ];
}
