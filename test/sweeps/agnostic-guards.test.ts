/**
 * Class 7 of issue 18 (no guard in environment-agnostic stacks): every
 * construct that replicates, copies or connects to another region, deployed
 * in a stack whose region is known only at deploy, carries one
 * CloudFormation rule per target region that refuses the deploy into that
 * region (`Fn::Not [Fn::Equals [AWS::Region, target]]`), made by the one
 * helper `deployRegionRule` (src/private/regions.ts). A construct that cannot
 * work without a concrete region refuses the stack at synth instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { attempt } from './harness';
import {
  EncryptedAurora, EventForwarding, GlobalPitrTable, HourlyBackup, PitrTable, ProtectedResource, RegionPeering, VersionedBucket,
} from '../../src';
import { isolatedVpc } from '../util';

interface Replicating {
  readonly name: string;
  /** Builds the construct targeting every region given. */
  readonly build: (stack: Stack, targets: string[]) => void;
  /** The prop each target's rule names, by index. */
  readonly prop: (i: number) => string;
  /** How it refuses an environment-agnostic stack, if it needs a concrete region anyway. */
  readonly refusesAgnosticStack?: RegExp;
  /** Whether it takes more than one target. */
  readonly many?: boolean;
}

const CONSTRUCTS: Replicating[] = [
  {
    name: 'EncryptedAurora globalSecondaryRegions',
    many: true,
    prop: (i) => `globalSecondaryRegions[${i}]`,
    build: (stack, regions) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), globalSecondaryRegions: regions }),
  },
  {
    name: 'VersionedBucket replication',
    prop: () => 'replication.destinationRegion',
    build: (stack, [destinationRegion]) => new VersionedBucket(stack, 'Data', {
      environmentSuffix: 'dev', replication: { destinationBucketName: 'dr-data-dev-replica', destinationRegion },
    }),
  },
  {
    name: 'GlobalPitrTable replicaRegions',
    many: true,
    prop: (i) => `replicaRegions[${i}]`,
    build: (stack, replicaRegions) => new GlobalPitrTable(stack, 'Table', { environmentSuffix: 'dev', replicaRegions }),
    refusesAgnosticStack: /^GlobalPitrTable needs a stack with a concrete region/,
  },
  {
    name: 'EventForwarding',
    prop: () => 'targetRegion',
    build: (stack, [targetRegion]) => new EventForwarding(stack, 'Events', { environmentSuffix: 'dev', targetRegion, alarmTopic: new sns.Topic(stack, 'Topic') }),
  },
  {
    name: 'RegionPeering',
    prop: () => 'peerRegion',
    build: (stack, [peerRegion]) => new RegionPeering(stack, 'Peering', {
      vpc: new ec2.Vpc(stack, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }),
      peerVpcId: 'vpc-0123456789abcdef0',
      peerRegion,
      peerCidr: '10.1.0.0/16',
    }),
  },
  {
    name: 'HourlyBackup copyTo',
    many: true,
    prop: (i) => `copyTo[${i}].vault`,
    build: (stack, regions) => new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev',
      rpo: Duration.hours(3),
      resources: [ProtectedResource.fromPitrTable(new PitrTable(stack, 'Table', { environmentSuffix: 'dev' }))],
      copyTo: regions.map((r, i) => ({
        vault: backup.BackupVault.fromBackupVaultArn(stack, `CopyVault${i}`, `arn:aws:backup:${r}:111111111111:backup-vault:dr-copy-vault-dev`),
      })),
    }),
  },
];

const TARGET_SETS = [['us-west-2'], ['us-west-2', 'eu-west-1']];

describe.each(CONSTRUCTS)('$name in an environment-agnostic stack', ({ build, prop, refusesAgnosticStack, many }) => {
  test.each(TARGET_SETS.filter((t) => many || t.length === 1))('targets %p: one rule per target refuses the deploy there', (...targets) => {
    const verdict = attempt((stack) => build(stack, targets));
    if (refusesAgnosticStack) {
      expect(!verdict.accepted && verdict.message).toMatch(refusesAgnosticStack);
      return;
    }
    expect(verdict.accepted).toBe(true);
    const rules = Object.values((verdict.accepted && verdict.template.Rules) ?? {}) as any[];
    const regionRules = rules.filter((r) => JSON.stringify(r.Assertions).includes('AWS::Region'));
    expect(regionRules).toHaveLength(targets.length);
    targets.forEach((target, i) => {
      const rule = regionRules.find((r) => JSON.stringify(r.Assertions[0].Assert).includes(`"${target}"`));
      expect(rule.Assertions).toEqual([{
        Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, target] }] },
        AssertDescription: expect.stringContaining(`${prop(i)} (`),
      }]);
      expect(rule.Assertions[0].AssertDescription).toContain(target);
    });
  });

  test('a stack with a concrete region gets no rule: the check is made at synth', () => {
    const verdict = attempt((stack) => build(stack, ['us-west-2']), { env: { account: '111111111111', region: 'us-east-1' } });
    expect(verdict.accepted).toBe(true);
    const rules = Object.values((verdict.accepted && verdict.template.Rules) ?? {}) as any[];
    expect(rules.filter((r) => JSON.stringify(r.Assertions).includes('AWS::Region'))).toEqual([]);
  });
});

test('every region rule in the library is made by the one helper', () => {
  const files: string[] = [];
  const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  });
  walk(path.join(__dirname, '../../src'));
  const makers = files.filter((f) => /new CfnRule\(/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(path.join(__dirname, '../..'), f));
  expect(makers).toEqual(['src/private/regions.ts']);
});
