/**
 * Class 8 of issue 18 (values AWS rejects pass through), for RegionPeering's
 * `vpcCidr`: when `vpc` knows its own block (a Vpc of this app, or one
 * imported with `vpcCidrBlock`), a `vpcCidr` that says otherwise is refused
 * naming both; the same block, however written, is accepted. Where the VPC
 * does not know its block, `vpcCidr` is what the peer is checked against.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { attempt } from './harness';
import { RegionPeering } from '../../src';

const ENV = { env: { account: '111111111111', region: 'us-east-1' } };
const PEER = { peerVpcId: 'vpc-0123456789abcdef0', peerRegion: 'us-west-2', peerCidr: '10.1.0.0/16' };

const VPCS: Array<[string, (stack: Stack) => ec2.IVpc, string | undefined]> = [
  ['a Vpc of this app', (stack) => new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  }), '10.0.0.0/16'],
  ['a VPC imported with its block', (stack) => ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-11111111', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'], isolatedSubnetRouteTableIds: ['rtb-1'],
  }), '10.0.0.0/16'],
  ['a VPC imported without its block', (stack) => ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-11111111', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'], isolatedSubnetRouteTableIds: ['rtb-1'],
  }), undefined],
];

const GIVEN = ['10.0.0.0/16', '10.0.0.0/17', '10.1.128.0/17', '10.2.0.0/16', '192.168.0.0/16', '10.0.0.0/8'];

describe.each(VPCS)('%s', (_label, makeVpc, actual) => {
  test.each(GIVEN)('vpcCidr %s', (vpcCidr) => {
    const verdict = attempt((stack) => new RegionPeering(stack, 'Peering', { vpc: makeVpc(stack), vpcCidr, ...PEER }), ENV);
    const overlapsPeer = vpcCidr === '10.1.128.0/17';
    if (vpcCidr === '10.0.0.0/8') {
      // No VPC has a /8: refused as a CIDR before it is compared.
      expect(!verdict.accepted && verdict.message).toMatch(/^`vpcCidr` must be an IPv4 CIDR block from \/16 to \/28/);
    } else if (actual !== undefined && vpcCidr !== actual) {
      expect(!verdict.accepted && verdict.message).toMatch(new RegExp(
        `^\`vpcCidr\` must be the CIDR block of \`vpc\`, which is ${actual.replace(/\./g, '\\.')} .*got: "${vpcCidr.replace(/\./g, '\\.')}"`));
    } else if (overlapsPeer) {
      expect(!verdict.accepted && verdict.message).toMatch(/^`peerCidr` must not overlap this VPC's CIDR block 10\.1\.128\.0\/17/);
    } else {
      expect(verdict.accepted).toBe(true);
    }
  });
});
