/**
 * Issue 18, section 1 (drills never exercise the PITR restore path): for
 * every combination of drilled stores and `continuousRecoveryPoints`, the
 * snapshot plan drills every store, and a second plan drills the continuous
 * (point-in-time) recovery points of exactly the stores AWS Backup keeps them
 * for (Aurora and S3; DynamoDB's PITR is the table's own), unless turned off.
 * The validator is given the ARN of every plan there is, and no other.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { attempt } from './harness';
import { DrBackupVault, ProtectedResource, RestoreDrill } from '../../src';
import { isolatedVpc } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };
const STORES = ['Aurora', 'DynamoDB', 'S3'] as const;
const WITH_CONTINUOUS_POINTS = new Set<string>(['Aurora', 'S3']);

// Every non-empty subset of the stores, with the flag left out, on and off.
const subsets = STORES.reduce<Array<Array<typeof STORES[number]>>>((acc, store) => [...acc, ...acc.map((s) => [...s, store])], [[]])
  .filter((s) => s.length > 0);
const CASES = subsets.flatMap((stores) => [undefined, true, false].map((flag) => [stores.join('+'), flag, stores] as const));

test.each(CASES)('%s, continuousRecoveryPoints %p', (_label, flag, stores) => {
  const verdict = attempt((stack) => new RestoreDrill(stack, 'Drill', {
    environmentSuffix: 'dev',
    vpc: isolatedVpc(stack),
    vault: new DrBackupVault(stack, 'Vault', { environmentSuffix: 'dev' }).vault,
    database: stores.includes('Aurora')
      ? ProtectedResource.fromDatabaseCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Cluster', { clusterIdentifier: 'app', port: 5432 }))
      : undefined,
    table: stores.includes('DynamoDB') ? ProtectedResource.fromTable(dynamodb.Table.fromTableName(stack, 'Table', 'app')) : undefined,
    bucket: stores.includes('S3') ? ProtectedResource.fromBucket(s3.Bucket.fromBucketName(stack, 'Bucket', 'app-data')) : undefined,
    continuousRecoveryPoints: flag,
  }), { env: ENV });
  expect(verdict.accepted).toBe(true);
  if (!verdict.accepted) return;
  const resources = Object.entries<any>(verdict.template.Resources);
  const plans = resources.filter(([, r]) => r.Type === 'AWS::Backup::RestoreTestingPlan');
  const selections = resources.filter(([, r]) => r.Type === 'AWS::Backup::RestoreTestingSelection').map(([, r]) => r.Properties);
  const drilled = (planName: string) => selections.filter((s) => s.RestoreTestingPlanName === planName).map((s) => s.ProtectedResourceType).sort();

  const expectedContinuous = flag === false ? [] : stores.filter((s) => WITH_CONTINUOUS_POINTS.has(s));
  const kinds = Object.fromEntries(plans.map(([, r]) => [r.Properties.RestoreTestingPlanName,
    r.Properties.RecoveryPointSelection.RecoveryPointTypes]));
  expect(kinds).toEqual({ dr_drills_dev: ['SNAPSHOT'], ...(expectedContinuous.length ? { dr_pitr_dev: ['CONTINUOUS'] } : {}) });
  expect(drilled('dr_drills_dev')).toEqual([...stores].sort());
  expect(drilled('dr_pitr_dev')).toEqual([...expectedContinuous].sort());

  const [validator] = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === 'dr-drill-validator-dev');
  const planArns = JSON.stringify(validator[1].Properties.Environment.Variables.RESTORE_TESTING_PLAN_ARNS);
  for (const [id] of plans) expect(planArns).toContain(`"${id}"`);
  expect(planArns.match(/RestoreTestingPlanArn/g)).toHaveLength(plans.length);
});
