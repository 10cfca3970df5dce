import { CfnOutput, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RegionPeering, RegionPeeringProps, RegionPeeringRoutes, RegionPeeringRoutesProps } from '../../src';
import { complianceTest, nagFindings, synth, testApp, testStack, TestStackOptions } from '../util';

const ACCOUNT = '111111111111';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const PEER_VPC_ID = 'vpc-0123456789abcdef0';
const PCX = 'pcx-0123456789abcdef0';

/** A VPC like the platform's: three AZs, public and isolated subnets, no NAT, a given CIDR. */
function vpcWith(scope: Stack, cidr: string, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: 3,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

function requester(props: Partial<RegionPeeringProps> = {}, options: TestStackOptions = { env: PRIMARY }) {
  const stack = testStack(options);
  const vpc = (props.vpc as ec2.Vpc) ?? vpcWith(stack, '10.0.0.0/16');
  const peering = new RegionPeering(stack, 'Peering', { vpc, peerVpcId: PEER_VPC_ID, peerRegion: 'us-west-2', peerCidr: '10.1.0.0/16', ...props });
  return { stack, vpc, peering, get template() { return Template.fromStack(stack); } };
}

function accepter(props: Partial<RegionPeeringRoutesProps> = {}, options: TestStackOptions = { env: { account: ACCOUNT, region: 'us-west-2' } }) {
  const stack = testStack(options);
  const vpc = (props.vpc as ec2.Vpc) ?? vpcWith(stack, '10.1.0.0/16');
  const routes = new RegionPeeringRoutes(stack, 'PeeringRoutes', { vpc, peerCidr: '10.0.0.0/16', vpcPeeringConnectionId: PCX, ...props });
  return { stack, vpc, routes, get template() { return Template.fromStack(stack); } };
}

const refOf = (stack: Stack, construct: { node: { defaultChild?: any } }) => ({ Ref: stack.getLogicalId(construct.node.defaultChild) });

describe('RegionPeering defaults', () => {
  test('an inter-region peering connection from this VPC to the peer VPC, with no peer role or owner (same account)', () => {
    const { template, stack, vpc } = requester();
    template.resourceCountIs('AWS::EC2::VPCPeeringConnection', 1);
    template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
      VpcId: refOf(stack, vpc),
      PeerVpcId: PEER_VPC_ID,
      PeerRegion: 'us-west-2',
      PeerOwnerId: Match.absent(),
      PeerRoleArn: Match.absent(),
    });
  });

  test('a route to the peer CIDR through the connection in each isolated subnet\'s route table, and nowhere else', () => {
    const { template, stack, vpc, peering } = requester();
    const peeringRoutes = Object.values<any>(template.findResources('AWS::EC2::Route'))
      .map((r) => r.Properties).filter((p) => p.VpcPeeringConnectionId);
    const tables = vpc.isolatedSubnets.map((s) => stack.resolve(s.routeTable.routeTableId));
    expect(peeringRoutes).toHaveLength(3);
    expect(peeringRoutes.map((p) => p.RouteTableId)).toEqual(expect.arrayContaining(tables));
    for (const p of peeringRoutes) {
      expect(p).toEqual({ RouteTableId: expect.anything(), DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: { Ref: stack.getLogicalId(peering.peeringConnection) } });
    }
    const publicTables = vpc.publicSubnets.map((s) => JSON.stringify(stack.resolve(s.routeTable.routeTableId)));
    expect(peeringRoutes.filter((p) => publicTables.includes(JSON.stringify(p.RouteTableId)))).toEqual([]);
    expect(peering.routes).toHaveLength(3);
  });

  test('publishes the connection ID in an output with a fixed name, not an export', () => {
    const { template, stack, peering } = requester();
    expect(peering.peeringConnectionIdOutputName).toBe('PeeringPeeringConnectionId');
    template.hasOutput('PeeringPeeringConnectionId', { Value: { Ref: stack.getLogicalId(peering.peeringConnection) }, Export: Match.absent() });
  });
});

describe('RegionPeering overrides', () => {
  test('peeringConnectionIdFor its own stack is the plain reference, with no output read and no dependency', () => {
    const { stack, peering } = requester();
    expect(stack.resolve(peering.peeringConnectionIdFor(stack))).toEqual({ Ref: stack.getLogicalId(peering.peeringConnection) });
    expect(stack.dependencies).toEqual([]);
  });
  test('vpcSubnets picks other route tables', () => {
    const { template, stack, vpc } = requester({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
    const routes = Object.values<any>(template.findResources('AWS::EC2::Route')).map((r) => r.Properties).filter((p) => p.VpcPeeringConnectionId);
    expect(routes.map((r) => r.RouteTableId)).toEqual(vpc.publicSubnets.map((s) => stack.resolve(s.routeTable.routeTableId)));
  });

  test('subnets sharing one route table get one route', () => {
    const stack = testStack({ env: PRIMARY });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-11111111',
      vpcCidrBlock: '10.0.0.0/16',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      isolatedSubnetIds: ['subnet-1', 'subnet-2'],
      isolatedSubnetRouteTableIds: ['rtb-shared', 'rtb-shared'],
    });
    const peering = new RegionPeering(stack, 'Peering', { vpc, peerVpcId: PEER_VPC_ID, peerRegion: 'us-west-2', peerCidr: '10.1.0.0/16' });
    expect(peering.routes).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Route', { RouteTableId: 'rtb-shared', DestinationCidrBlock: '10.1.0.0/16' });
  });

  test('a VPC imported without its CIDR can be checked through vpcCidr', () => {
    const stack = testStack({ env: PRIMARY });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-11111111', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'], isolatedSubnetRouteTableIds: ['rtb-1'],
    });
    expect(() => new RegionPeering(stack, 'Peering', { vpc, peerVpcId: PEER_VPC_ID, peerRegion: 'us-west-2', peerCidr: '10.1.0.0/16' }))
      .toThrow(/`vpcCidr` must be given when `vpc` cannot tell its CIDR block/);
    expect(() => new RegionPeering(stack, 'Peering2', { vpc, vpcCidr: '10.1.128.0/17', peerVpcId: PEER_VPC_ID, peerRegion: 'us-west-2', peerCidr: '10.1.0.0/16' }))
      .toThrow(/`peerCidr` must not overlap this VPC's CIDR block 10.1.128.0\/17/);
    const ok = new RegionPeering(stack, 'Peering3', { vpc, vpcCidr: '10.0.0.0/16', peerVpcId: PEER_VPC_ID, peerRegion: 'us-west-2', peerCidr: '10.1.0.0/16' });
    expect(ok.routes).toHaveLength(1);
  });

  test('a peer VPC ID from a token (a weak stack output of the peer region) is taken as is', () => {
    const peerVpcId = Fn.getStackOutput('Foundation', 'VpcId', 'us-west-2');
    const { template } = requester({ peerVpcId });
    template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
      PeerVpcId: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Foundation', OutputName: 'VpcId', Region: 'us-west-2' }) },
    });
  });
});

describe('RegionPeeringRoutes', () => {
  test('a route to the requester CIDR through the given connection in each isolated subnet\'s route table', () => {
    const { template, stack, vpc, routes } = accepter();
    template.resourceCountIs('AWS::EC2::VPCPeeringConnection', 0);
    const peeringRoutes = Object.values<any>(template.findResources('AWS::EC2::Route')).map((r) => r.Properties).filter((p) => p.VpcPeeringConnectionId);
    expect(peeringRoutes).toHaveLength(3);
    expect(peeringRoutes.map((p) => p.RouteTableId)).toEqual(vpc.isolatedSubnets.map((s) => stack.resolve(s.routeTable.routeTableId)));
    for (const p of peeringRoutes) expect(p).toMatchObject({ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: PCX });
    expect(routes.vpcPeeringConnectionId).toBe(PCX);
  });
});

describe('two stacks in two regions', () => {
  /** The platform's shape: the secondary VPC first (foundation), the primary peers with it, the secondary adds its routes. */
  function app(options: { validate?: boolean } = {}) {
    const a = testApp({ validate: options.validate });
    const foundation = new Stack(a, 'Foundation', { env: { account: ACCOUNT, region: 'us-west-2' } });
    const secondaryVpc = vpcWith(foundation, '10.1.0.0/16', 'SecondaryVpc');
    const vpcIdOutput = new CfnOutput(foundation, 'SecondaryVpcId', { value: secondaryVpc.vpcId });
    const primary = new Stack(a, 'Primary', { env: PRIMARY });
    primary.node.addDependency(foundation);
    const peering = new RegionPeering(primary, 'Peering', {
      vpc: vpcWith(primary, '10.0.0.0/16', 'PrimaryVpc'),
      peerVpcId: Fn.getStackOutput(foundation.stackName, foundation.resolve(vpcIdOutput.logicalId), 'us-west-2'),
      peerRegion: 'us-west-2',
      peerCidr: '10.1.0.0/16',
    });
    const secondary = new Stack(a, 'Secondary', { env: { account: ACCOUNT, region: 'us-west-2' } });
    const routes = new RegionPeeringRoutes(secondary, 'PeeringRoutes', {
      vpc: secondaryVpc,
      peerCidr: '10.0.0.0/16',
      vpcPeeringConnectionId: peering.peeringConnectionIdFor(secondary),
    });
    return { app: a, foundation, primary, secondary, peering, routes, secondaryVpc };
  }

  test('the secondary reads the connection ID with a weak Fn::GetStackOutput of the primary, in the primary\'s region', () => {
    const { secondary } = app();
    const routes = Object.values<any>(Template.fromStack(secondary).findResources('AWS::EC2::Route')).map((r) => r.Properties);
    expect(routes).toHaveLength(3);
    for (const r of routes) {
      expect(r.VpcPeeringConnectionId).toEqual({ 'Fn::GetStackOutput': { StackName: 'Primary', OutputName: 'PeeringPeeringConnectionId', Region: 'us-east-1' } });
      expect(r.DestinationCidrBlock).toBe('10.0.0.0/16');
    }
  });

  test('the routes in the secondary region go into the foundation VPC\'s route tables (a same-region reference)', () => {
    const { secondary, foundation, secondaryVpc } = app();
    const routes = Object.values<any>(Template.fromStack(secondary).findResources('AWS::EC2::Route')).map((r) => r.Properties);
    for (const r of routes) expect(JSON.stringify(r.RouteTableId)).toMatch(/Fn::ImportValue/);
    expect(secondaryVpc.stack).toBe(foundation);
  });

  test('deploy order foundation, primary, secondary; no cycle', () => {
    const { app: a } = app();
    const assembly = a.synth();
    const dependsOn = (name: string) => assembly.getStackByName(name).dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets')).sort();
    expect(dependsOn('Foundation')).toEqual([]);
    expect(dependsOn('Primary')).toEqual(['Foundation']);
    expect(dependsOn('Secondary')).toEqual(['Foundation', 'Primary']);
  });

  test('no strong cross-region reference: no export custom resource, no import across regions, no SSM export parameters', () => {
    const { app: a, foundation, primary, secondary } = app();
    const assembly = a.synth();
    const templates = Object.fromEntries([foundation, primary, secondary].map((s) => [s.stackName, assembly.getStackByName(s.stackName).template]));
    for (const template of Object.values<any>(templates)) {
      const types = Object.values<any>(template.Resources).map((r) => r.Type);
      expect(types.filter((t) => t.startsWith('Custom::'))).toEqual([]);
      expect(types).not.toContain('AWS::SSM::Parameter');
      expect(JSON.stringify(template)).not.toMatch(/ExportsWriter|ExportsReader|\/cdk\/exports\//);
    }
    // The primary (us-east-1) imports nothing: its only link to us-west-2 is the weak output read.
    expect(JSON.stringify(templates.Primary)).not.toMatch(/Fn::ImportValue/);
    expect(JSON.stringify(templates.Primary)).toMatch(/Fn::GetStackOutput/);
    // The primary exports nothing for the secondary: the output is read, not imported.
    expect(Object.values<any>(templates.Primary.Outputs ?? {}).filter((o) => o.Export)).toEqual([]);
    // The secondary's only imports are the foundation's (same region).
    const importNames = JSON.stringify(templates.Secondary).match(/"Fn::ImportValue":"[^"]+"/g) ?? [];
    expect(importNames.length).toBeGreaterThan(0);
    for (const name of importNames) expect(name).toMatch(/Foundation:/);
  });

  complianceTest('strict schema validation passes on all three stacks', () => {
    const { app: a } = app({ validate: true });
    expect(() => a.synth()).not.toThrow();
  });

  test('cdk-nag (four packs): zero findings on the peering and its routes', () => {
    const { primary, secondary, peering, routes } = app();
    expect(nagFindings(primary, peering)).toEqual([]);
    expect(nagFindings(secondary, routes)).toEqual([]);
  });
});

describe('compliance', () => {
  complianceTest.each([
    ['an environment-specific stack', { env: PRIMARY }],
    ['an environment-agnostic stack', {}],
  ] as const)('strict schema validation passes in %s', (_label, options: TestStackOptions) => {
    const { stack } = requester({}, { ...options, validate: true });
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  test.each([
    ['overlapping exactly', '10.0.0.0/16'],
    ['inside this VPC', '10.0.128.0/17'],
    ['a /24 inside this VPC', '10.0.42.0/24'],
    ['the last /28 of this VPC', '10.0.255.240/28'],
  ])('peerCidr %s is refused', (_label, peerCidr) => {
    expect(() => requester({ peerCidr })).toThrow(new RegExp(`\`peerCidr\` must not overlap this VPC's CIDR block 10.0.0.0/16: AWS refuses to peer overlapping VPCs, got: "${peerCidr}"`));
  });

  test.each([
    ['10.1.0.0/16', true],
    ['10.2.0.0/16', true],
    ['172.16.0.0/16', true],
    ['9.255.255.240/28', true],
    ['10.0.255.240/28', false],
    ['10.0.0.0/28', false],
  ])('peerCidr %s next to 10.0.0.0/16: accepted = %s', (peerCidr, accepted) => {
    if (accepted) expect(() => requester({ peerCidr })).not.toThrow();
    else expect(() => requester({ peerCidr })).toThrow(/must not overlap/);
  });

  test.each([
    ['not a CIDR', '10.1.0.0', /`peerCidr` must be an IPv4 CIDR block/],
    ['an octet over 255', '10.256.0.0/16', /`peerCidr` must be an IPv4 CIDR block/],
    ['IPv6', '2001:db8::/56', /`peerCidr` must be an IPv4 CIDR block/],
    ['a prefix over 32', '10.1.0.0/33', /`peerCidr` must be an IPv4 CIDR block/],
    ['too large a block', '10.0.0.0/8', /`peerCidr` must be an IPv4 CIDR block from \/16 to \/28 \(the sizes a VPC CIDR block can have\)/],
    ['too small a block', '10.1.0.0/29', /`peerCidr` must be an IPv4 CIDR block from \/16 to \/28 \(the sizes a VPC CIDR block can have\)/],
    ['not its network address', '10.1.0.5/16', /`peerCidr` must be written as its network address \(10.1.0.0\/16\)/],
    ['empty', '', /`peerCidr` must be an IPv4 CIDR block/],
  ])('peerCidr %s is refused', (_label, peerCidr, message) => {
    expect(() => requester({ peerCidr })).toThrow(message);
    expect(() => accepter({ peerCidr })).toThrow(message);
  });

  test('peerCidr as a token is refused on both sides: the overlap check needs it', () => {
    const peerCidr = Lazy.string({ produce: () => '10.1.0.0/16' });
    expect(() => requester({ peerCidr })).toThrow(/`peerCidr` must be a concrete IPv4 CIDR block/);
    expect(() => accepter({ peerCidr })).toThrow(/`peerCidr` must be a concrete IPv4 CIDR block/);
  });

  test.each([
    ['the stack\'s own region', 'us-east-1', /`peerRegion` must be another region than the stack's own \(us-east-1\)/],
    ['an unknown region', 'mars-east-1', /`peerRegion` must be an AWS region code/],
    ['another partition', 'cn-north-1', /`peerRegion` must be a region of the stack's partition aws/],
    ['a token', Lazy.string({ produce: () => 'us-west-2' }), /`peerRegion` must be a concrete region code/],
  ])('peerRegion: %s is refused', (_label, peerRegion, message) => {
    expect(() => requester({ peerRegion })).toThrow(message);
  });

  test.each(['vpc-123', 'subnet-0123456789abcdef0', 'VPC-0123456789ABCDEF0', ''])('peerVpcId %p is refused', (peerVpcId) => {
    expect(() => requester({ peerVpcId })).toThrow(/`peerVpcId` must be a VPC ID/);
  });

  test.each(['pcx-123', 'vpc-0123456789abcdef0', ''])('vpcPeeringConnectionId %p is refused', (vpcPeeringConnectionId) => {
    expect(() => accepter({ vpcPeeringConnectionId })).toThrow(/`vpcPeeringConnectionId` must be a peering connection ID/);
  });

  test('a VPC without isolated subnets is refused unless vpcSubnets selects others', () => {
    const stack = testStack({ env: PRIMARY });
    const vpc = new ec2.Vpc(stack, 'Public', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    expect(() => new RegionPeering(stack, 'Peering', { vpc, peerVpcId: PEER_VPC_ID, peerRegion: 'us-west-2', peerCidr: '10.1.0.0/16' }))
      .toThrow(/`vpc` must have isolated subnets/);
  });

  test('a subnet imported without its route table is refused, naming vpc', () => {
    const stack = testStack({ env: PRIMARY });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-11111111', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'],
    });
    expect(() => new RegionPeering(stack, 'Peering', { vpc, peerVpcId: PEER_VPC_ID, peerRegion: 'us-west-2', peerCidr: '10.1.0.0/16' }))
      .toThrow(/`vpc` must know the route table of each selected subnet/);
  });
});
