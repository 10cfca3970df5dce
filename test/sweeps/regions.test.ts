/**
 * Sweep of every prop that names the other region of a pair, over one class
 * of region inputs, in a stack with a concrete region and in an
 * environment-agnostic one. One rule (src/private/regions.ts): a region
 * aws-cdk-lib knows, in the stack's partition, other than the stack's own,
 * is accepted; anything else is refused naming the prop, or, when the
 * stack's region is known only at deploy, the template carries a rule that
 * refuses the deploy to that region.
 */
import { Lazy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { attempt } from './harness';
import { EncryptedAurora, EventForwarding, GlobalPitrTable, RegionPeering, VersionedBucket } from '../../src';
import { isolatedVpc } from '../util';

const HERE = 'us-east-1';
const CONCRETE: StackProps = { env: { account: '111111111111', region: HERE } };
const AGNOSTIC: StackProps = {};

interface RegionProp {
  readonly name: string;
  /** The prop as the error message names it. */
  readonly prop: string;
  readonly build: (stack: Stack, region: string) => void;
  /** How the construct refuses an environment-agnostic stack, if it needs a concrete region anyway. */
  readonly refusesAgnosticStack?: RegExp;
}

const PROPS: RegionProp[] = [
  {
    name: 'EncryptedAurora.globalSecondaryRegions',
    prop: 'globalSecondaryRegions[0]',
    build: (stack, region) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), globalSecondaryRegions: [region] }),
  },
  {
    name: 'VersionedBucket.replication.destinationRegion',
    prop: 'replication.destinationRegion',
    build: (stack, destinationRegion) => new VersionedBucket(stack, 'Data', {
      environmentSuffix: 'dev',
      replication: { destinationBucketName: 'dr-data-dev-replica', destinationRegion },
    }),
  },
  {
    name: 'GlobalPitrTable.replicaRegions',
    prop: 'replicaRegions[0]',
    build: (stack, region) => new GlobalPitrTable(stack, 'Table', { environmentSuffix: 'dev', replicaRegions: [region] }),
    refusesAgnosticStack: /^GlobalPitrTable needs a stack with a concrete region/,
  },
  {
    name: 'EventForwarding.targetRegion',
    prop: 'targetRegion',
    build: (stack, targetRegion) => new EventForwarding(stack, 'Events', {
      environmentSuffix: 'dev',
      targetRegion,
      alarmTopic: new sns.Topic(stack, 'Topic'),
    }),
  },
  {
    name: 'RegionPeering.peerRegion',
    prop: 'peerRegion',
    build: (stack, peerRegion) => new RegionPeering(stack, 'Peering', {
      vpc: new ec2.Vpc(stack, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }),
      peerVpcId: 'vpc-0123456789abcdef0',
      peerRegion,
      peerCidr: '10.1.0.0/16',
    }),
  },
];

interface RegionInput {
  readonly label: string;
  readonly region: string;
  /** Why the input is refused wherever the stack is; undefined when it is a region of the pair. */
  readonly refused?: RegExp;
}

const INPUTS: RegionInput[] = [
  { label: 'another region of the partition', region: 'us-west-2' },
  { label: 'the stack\'s own region', region: HERE },
  { label: 'an unknown region', region: 'us-middle-9', refused: /must be an AWS region code such as "us-west-2", got: "us-middle-9"/ },
  { label: 'an uppercase code', region: 'US-WEST-2', refused: /must be an AWS region code/ },
  { label: 'an empty string', region: '', refused: /must be an AWS region code/ },
  { label: 'a region of another partition (China)', region: 'cn-north-1' },
  { label: 'a region of another partition (GovCloud)', region: 'us-gov-west-1' },
  { label: 'a token', region: Lazy.string({ produce: () => 'us-west-2' }), refused: /must be a concrete region code, not a token/ },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(PROPS)('$name', ({ prop, build, refusesAgnosticStack }) => {
  test.each(INPUTS)('in a stack of us-east-1: $label', ({ region, refused }) => {
    const verdict = attempt((stack) => build(stack, region), CONCRETE);
    const expected = refused
      ?? (region === HERE ? /must be another region than the stack's own \(us-east-1\)/
        : region.startsWith('us-west') ? undefined : /must be a region of the stack's partition aws: .*\(partition aws-(cn|us-gov)\)/);
    if (expected === undefined) {
      expect(verdict.accepted).toBe(true);
    } else {
      expect(verdict.accepted).toBe(false);
      expect(!verdict.accepted && verdict.message).toMatch(new RegExp(`^\`${escape(prop)}\` ${expected.source}`));
    }
  });

  test.each(INPUTS)('in an environment-agnostic stack: $label', ({ region, refused }) => {
    const verdict = attempt((stack) => build(stack, region), AGNOSTIC);
    if (refusesAgnosticStack) {
      expect(!verdict.accepted && verdict.message).toMatch(refusesAgnosticStack);
      return;
    }
    if (refused) {
      expect(verdict.accepted).toBe(false);
      expect(!verdict.accepted && verdict.message).toMatch(new RegExp(`^\`${escape(prop)}\` ${refused.source}`));
      return;
    }
    // The partition is known only at deploy; the rule refuses the deploy to the region itself.
    expect(verdict.accepted).toBe(true);
    const rules = Object.values((verdict.accepted && verdict.template.Rules) ?? {}) as any[];
    const guard = rules.filter((r) => JSON.stringify(r.Assertions).includes(`"${region}"`));
    expect(guard).toHaveLength(1);
    expect(guard[0].Assertions[0].Assert).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, region] }] });
    expect(guard[0].Assertions[0].AssertDescription).toContain(`${prop} (`);
  });
});
