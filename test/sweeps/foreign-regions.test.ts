/**
 * Class 6 of issue 18 (region props that accept unknown or foreign values),
 * for the props whose region is read from a value: a copy vault's ARN, a
 * monitored resource's ARN, a resource DrAlarms watches. One rule
 * (`validateRegionOf` in src/private/regions.ts): the region must be one
 * aws-cdk-lib knows, in the stack's partition, and the stack's own where the
 * metric or API is regional (`same`) or another where a copy must survive
 * the region (`other`). Each prop is swept over one class of regions, in a
 * stack of us-east-1 (refused at synth, naming the prop and the value) and in
 * an environment-agnostic stack (a CloudFormation rule on AWS::Region).
 */
import { App, CfnWaitConditionHandle, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { attempt } from './harness';
import { DrAlarms, HourlyBackup, PitrTable, ProtectedResource, RecoveryPointMonitor } from '../../src';

const HERE = 'us-east-1';
const CONCRETE: StackProps = { env: { account: '111111111111', region: HERE } };
const partition = (region: string) => RegionInfo.get(region).partition ?? 'aws';
const arn = (service: string, region: string, resource: string) => `arn:${partition(region)}:${service}:${region}:111111111111:${resource}`;
const alarms = (stack: Stack) => new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' });

interface RegionOfProp {
  readonly name: string;
  /** How our refusal starts. */
  readonly refusal: RegExp;
  readonly rule: 'same' | 'other';
  readonly build: (stack: Stack, region: string) => void;
}

const PROPS: RegionOfProp[] = [
  {
    name: 'HourlyBackup copyTo[0].vault',
    refusal: /^`copyTo\[0\]\.vault` /,
    rule: 'other',
    build: (stack, region) => new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev',
      rpo: Duration.hours(3),
      resources: [ProtectedResource.fromPitrTable(new PitrTable(stack, 'Table', { environmentSuffix: 'dev' }))],
      copyTo: [{ vault: backup.BackupVault.fromBackupVaultArn(stack, 'CopyVault', arn('backup', region, 'backup-vault:dr-copy-vault-dev')) }],
    }),
  },
  {
    name: 'HourlyBackup resources (ProtectedResource.fromArn)',
    refusal: /^`ProtectedResource.fromArn` \("orders"\) /,
    rule: 'same',
    build: (stack, region) => new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev', rpo: Duration.hours(3), resources: [ProtectedResource.fromArn(arn('dynamodb', region, 'table/orders'), 'orders')],
    }),
  },
  {
    name: 'RecoveryPointMonitor resources',
    refusal: /^`resources` /,
    rule: 'same',
    build: (stack, region) => new RecoveryPointMonitor(stack, 'Monitor', {
      environmentSuffix: 'dev',
      resources: [ProtectedResource.fromArn(arn('dynamodb', region, 'table/orders'), 'orders')],
    }),
  },
  {
    name: 'DrAlarms.monitorTable (a table imported by ARN)',
    refusal: /^(the table \S+ is in \S+ and this DrAlarms in us-east-1|`monitorTable` )/,
    rule: 'same',
    build: (stack, region) => alarms(stack).monitorTable(dynamodb.Table.fromTableArn(stack, 'Orders', arn('dynamodb', region, 'table/orders'))),
  },
  {
    name: 'DrAlarms.monitorFunction (a function imported by ARN)',
    refusal: /^(the function \S+ is in \S+ and this DrAlarms in us-east-1|`monitorFunction` )/,
    rule: 'same',
    build: (stack, region) => alarms(stack).monitorFunction(lambda.Function.fromFunctionArn(stack, 'Fn', arn('lambda', region, 'function:orders')), { name: 'orders', timeout: Duration.seconds(30) }),
  },
  {
    name: 'DrAlarms.monitorBackupVault (a vault imported by ARN)',
    refusal: /^(the backup vault \S+ is in \S+ and this DrAlarms in us-east-1|`monitorBackupVault` )/,
    rule: 'same',
    build: (stack, region) => alarms(stack).monitorBackupVault(
      backup.BackupVault.fromBackupVaultArn(stack, 'Vault', arn('backup', region, 'backup-vault:dr-vault-dev')), { rpo: Duration.hours(3), completionWindow: Duration.hours(2) }),
  },
  {
    name: 'DrAlarms.monitorDatabase (a cluster of a stack of that region)',
    refusal: /^(the cluster \S+ is in \S+ and this DrAlarms in us-east-1|`monitorDatabase` )/,
    rule: 'same',
    build: (stack, region) => {
      const there = region === HERE && stack.region === HERE ? stack
        : new Stack(stack.node.root as App, 'There', { env: { account: '111111111111', region } });
      // A stack needs one resource to synthesize.
      if (there !== stack) new CfnWaitConditionHandle(there, 'Placeholder');
      alarms(stack).monitorDatabase(rds.DatabaseCluster.fromDatabaseClusterAttributes(there, 'Cluster', { clusterIdentifier: 'orders' }));
    },
  },
];

const REGIONS = [
  { label: 'the stack\'s own region', region: HERE },
  { label: 'another region of the partition', region: 'us-west-2' },
  { label: 'an unknown region', region: 'us-middle-9' },
  { label: 'a region of another partition (China)', region: 'cn-north-1' },
  { label: 'a region of another partition (GovCloud)', region: 'us-gov-west-1' },
];

describe.each(PROPS)('$name', ({ refusal, rule, build }) => {
  test.each(REGIONS)('in a stack of us-east-1: $label', ({ region }) => {
    const verdict = attempt((stack) => build(stack, region), CONCRETE);
    const allowed = rule === 'same' ? region === HERE : region === 'us-west-2';
    if (allowed) {
      expect(verdict.accepted).toBe(true);
      return;
    }
    expect(verdict.accepted).toBe(false);
    const message = !verdict.accepted ? verdict.message : '';
    expect(message).toMatch(refusal);
    // The message names the value: the ARN or the construct, and the region.
    expect(message).toContain(region);
  });

  test.each(REGIONS)('in an environment-agnostic stack: $label', ({ region }) => {
    const verdict = attempt((stack) => build(stack, region), {});
    if (region === 'us-middle-9') {
      expect(verdict.accepted).toBe(false);
      expect(!verdict.accepted && verdict.message).toMatch(/names region "us-middle-9", which is not an AWS region code/);
      return;
    }
    expect(verdict.accepted).toBe(true);
    const rules = Object.values((verdict.accepted && verdict.template.Rules) ?? {}) as any[];
    const guard = rules.filter((r) => JSON.stringify(r.Assertions).includes(`"${region}"`));
    expect(guard).toHaveLength(1);
    const equals = { 'Fn::Equals': [{ Ref: 'AWS::Region' }, region] };
    expect(guard[0].Assertions[0].Assert).toEqual(rule === 'same' ? equals : { 'Fn::Not': [equals] });
  });
});
