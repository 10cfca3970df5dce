import { Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RestoreDrills, SingleRegionDrPlatform } from '../../src';
import { addressRange } from '../../src/private/cidr';
import { validateVpcCidr } from '../../src/private/vpc';
import { testStack } from '../util';

describe('validateVpcCidr', () => {
  test.each([
    ['10.0.0.0/16', [0x0a000000, 0x0a00ffff]],
    ['10.1.0.0/16', [0x0a010000, 0x0a01ffff]],
    ['172.16.16.0/20', [0xac101000, 0xac101fff]],
    ['192.168.0.0/18', [0xc0a80000, 0xc0a83fff]],
  ])('accepts %s as its first and last address', (cidr, range) => {
    expect(addressRange(validateVpcCidr(new Stack(), 'vpcCidr', cidr))).toEqual(range);
  });

  test.each([
    ['10.0.0.0/15', /from \/16 to \/20/],
    ['10.0.0.0/21', /from \/16 to \/20/],
    ['10.0.0.0/24', /from \/16 to \/20/],
    ['10.0.0.0', /from \/16 to \/20/],
    ['10.0.0.256/16', /from \/16 to \/20/],
    ['fd00::/16', /from \/16 to \/20/],
    ['10.0.8.0/16', /must be written as its network address \(10\.0\.0\.0\/16\): it must start on a \/16 boundary/],
    ['10.0.0.1/20', /must be written as its network address \(10\.0\.0\.0\/20\): it must start on a \/20 boundary/],
    [Token.asString({ Ref: 'Cidr' }), /must be a concrete IPv4 CIDR block such as "10\.1\.0\.0\/16", not a token: the subnets are laid out from it at synth/],
  ])('refuses %s', (cidr, message) => {
    expect(() => validateVpcCidr(new Stack(), 'vpcCidr', cidr)).toThrow(message);
  });
});

describe('SingleRegionDrPlatform vpcCidr', () => {
  test('the created VPC takes the block', () => {
    const stack = testStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    new SingleRegionDrPlatform(stack, 'Platform', { environmentSuffix: 'dev', vpcCidr: '10.4.0.0/16', restoreDrills: RestoreDrills.disabled() });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.4.0.0/16' });
  });

  test('refused with a VPC of the caller\'s, and when malformed', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Mine', { natGateways: 0 });
    expect(() => new SingleRegionDrPlatform(stack, 'A', { environmentSuffix: 'dev', vpc, vpcCidr: '10.4.0.0/16' }))
      .toThrow(/`vpcCidr` applies only to the VPC the platform creates and cannot be combined with `vpc`/);
    expect(() => new SingleRegionDrPlatform(testStack(), 'B', { environmentSuffix: 'dev', vpcCidr: '10.4.0.0/8' }))
      .toThrow(/`vpcCidr` must be an IPv4 CIDR block from \/16 to \/20/);
  });
});
