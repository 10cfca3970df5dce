import { CfnOutput, Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { concreteVpcCidr, Ipv4Block, overlaps, parseIpv4Cidr, VPC_CIDR_RULE } from '../private/cidr';
import { pascalCase } from '../private/naming';
import { SAME_REGION_REASON, validateOtherRegion } from '../private/regions';
import { selectVpcSubnets } from '../private/subnets';
import { DrValidationError, quote } from '../private/validation';

/**
 * Properties for a RegionPeering.
 */
export interface RegionPeeringProps {
  /** The VPC of this stack's region: the requester side of the peering. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets whose route tables get a route to `peerCidr`.
   *
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * This VPC's CIDR block, for the overlap check, when the VPC cannot tell it
   * at synth (a VPC imported without its CIDR).
   *
   * @default - the VPC's own CIDR block
   */
  readonly vpcCidr?: string;

  /**
   * The ID of the VPC in `peerRegion` to peer with (the accepter), in this
   * account. Not known in this region at synth: pass it in, or read it
   * from the peer stack with a weak `Fn.getStackOutput`.
   */
  readonly peerVpcId: string;

  /** The region of the peer VPC: a concrete region code of the stack's partition, not the stack's own. */
  readonly peerRegion: string;

  /**
   * The peer VPC's CIDR block (concrete, IPv4, /16 to /28). It must not
   * overlap this VPC's: a peering between overlapping VPCs fails, and the
   * routes could not tell the two apart.
   */
  readonly peerCidr: string;
}

/**
 * The requester side of an inter-region VPC peering in one account: the
 * peering connection from this region's VPC to a VPC in `peerRegion`, and a
 * route to the peer's CIDR block in each selected subnet's route table.
 *
 * CloudFormation accepts a peering between two VPCs of one account itself
 * (no peer role, no accepter resource), in another region too, so the
 * connection is active when this stack finishes. The other side's routes
 * are a `RegionPeeringRoutes` in the peer region's stack, which gets the
 * connection ID through `peeringConnectionIdFor`: a weak `Fn::GetStackOutput`,
 * never an export or a custom resource. Security groups on either side must
 * still admit the other VPC's CIDR block for traffic to flow. CloudFormation's
 * peering resource sets no DNS options: names that resolve to private
 * addresses everywhere (RDS endpoints) work across the peering, EC2 private
 * host names of the other VPC do not.
 *
 * @example
 * declare const primaryStack: Stack;
 * declare const secondaryStack: Stack;
 * declare const primaryVpc: ec2.IVpc;
 * declare const secondaryVpc: ec2.IVpc;
 * const peering = new RegionPeering(primaryStack, 'Peering', {
 *   vpc: primaryVpc,
 *   peerVpcId: Fn.getStackOutput('Foundation', 'VpcId', 'us-west-2'),
 *   peerRegion: 'us-west-2',
 *   peerCidr: '10.1.0.0/16',
 * });
 * new RegionPeeringRoutes(secondaryStack, 'PeeringRoutes', {
 *   vpc: secondaryVpc,
 *   peerCidr: '10.0.0.0/16',
 *   vpcPeeringConnectionId: peering.peeringConnectionIdFor(secondaryStack),
 * });
 */
export class RegionPeering extends Construct {
  /** The peering connection. */
  public readonly peeringConnection: ec2.CfnVPCPeeringConnection;
  /** The peering connection's ID (a reference within this stack). */
  public readonly vpcPeeringConnectionId: string;
  /** The routes to the peer's CIDR block, one per route table. */
  public readonly routes: ec2.CfnRoute[];
  /** The output that publishes the connection ID to the peer region's stack. */
  public readonly peeringConnectionIdOutput: CfnOutput;
  /** The name of that output in this stack's template. */
  public readonly peeringConnectionIdOutputName: string;
  /** The peer VPC's region. */
  public readonly peerRegion: string;

  constructor(scope: Construct, id: string, props: RegionPeeringProps) {
    super(scope, id);
    validateOtherRegion(this, 'peerRegion', props.peerRegion, SAME_REGION_REASON.connection);
    if (!Token.isUnresolved(props.peerVpcId) && !/^vpc-[0-9a-f]{8,17}$/.test(props.peerVpcId)) {
      throw new DrValidationError(this, `\`peerVpcId\` must be a VPC ID such as "vpc-0123456789abcdef0", got: ${quote(props.peerVpcId)}`);
    }
    const peer = parseIpv4Cidr(this, 'peerCidr', props.peerCidr, VPC_CIDR_RULE);
    validateNoOverlap(this, props.vpc, props.vpcCidr, peer);
    const subnets = selectVpcSubnets(this, props.vpc, props.vpcSubnets,
      props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });

    this.peerRegion = props.peerRegion;
    this.peeringConnection = new ec2.CfnVPCPeeringConnection(this, 'Connection', {
      vpcId: props.vpc.vpcId,
      peerVpcId: props.peerVpcId,
      peerRegion: props.peerRegion,
    });
    this.vpcPeeringConnectionId = this.peeringConnection.ref;
    this.routes = addPeerRoutes(this, subnets, peer, this.vpcPeeringConnectionId);

    // A fixed name the peer region's stack can read with Fn::GetStackOutput.
    this.peeringConnectionIdOutputName = `${pascalCase(id)}PeeringConnectionId`;
    this.peeringConnectionIdOutput = new CfnOutput(this, 'PeeringConnectionId', {
      value: this.vpcPeeringConnectionId,
      description: `ID of the VPC peering connection to ${props.peerRegion}, read by the peer region's stack`,
    });
    this.peeringConnectionIdOutput.overrideLogicalId(this.peeringConnectionIdOutputName);
  }

  /**
   * The connection ID as a stack in the peer region (or any other stack)
   * can use it: a weak `Fn::GetStackOutput` of this stack's output, so no
   * export and no custom resource ties the two stacks. Makes `consumer`
   * depend on this stack, so it deploys after the connection exists.
   */
  public peeringConnectionIdFor(consumer: Stack): string {
    const producer = Stack.of(this);
    if (consumer === producer) {
      return this.vpcPeeringConnectionId;
    }
    // A construct dependency between two stacks becomes a stack dependency
    // (addStackDependency is newer than the aws-cdk-lib floor).
    consumer.node.addDependency(producer);
    return Fn.getStackOutput(producer.stackName, this.peeringConnectionIdOutputName,
      Token.isUnresolved(producer.region) ? undefined : producer.region);
  }
}

/**
 * Properties for a RegionPeeringRoutes.
 */
export interface RegionPeeringRoutesProps {
  /** The VPC of this stack's region: the accepter side of the peering. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets whose route tables get a route to `peerCidr`.
   *
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * This VPC's CIDR block, for the overlap check, when the VPC cannot tell it
   * at synth (a VPC imported without its CIDR).
   *
   * @default - the VPC's own CIDR block
   */
  readonly vpcCidr?: string;

  /** The requester VPC's CIDR block (concrete, IPv4, /16 to /28), not overlapping this VPC's. */
  readonly peerCidr: string;

  /**
   * The ID of the active peering connection, from the requester's stack:
   * `RegionPeering.peeringConnectionIdFor(thisStack)` (a weak
   * `Fn::GetStackOutput`), or a value passed in.
   */
  readonly vpcPeeringConnectionId: string;
}

/**
 * The accepter side of a `RegionPeering`: a route to the requester's CIDR
 * block through the peering connection in each selected subnet's route
 * table. There is nothing to accept: CloudFormation accepted the same-account
 * connection when it created it.
 */
export class RegionPeeringRoutes extends Construct {
  /** The routes to the peer's CIDR block, one per route table. */
  public readonly routes: ec2.CfnRoute[];
  /** The peering connection the routes go through. */
  public readonly vpcPeeringConnectionId: string;

  constructor(scope: Construct, id: string, props: RegionPeeringRoutesProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.vpcPeeringConnectionId) && !/^pcx-[0-9a-f]{8,17}$/.test(props.vpcPeeringConnectionId)) {
      throw new DrValidationError(this,
        `\`vpcPeeringConnectionId\` must be a peering connection ID such as "pcx-0123456789abcdef0", got: ${quote(props.vpcPeeringConnectionId)}`);
    }
    const peer = parseIpv4Cidr(this, 'peerCidr', props.peerCidr, VPC_CIDR_RULE);
    validateNoOverlap(this, props.vpc, props.vpcCidr, peer);
    const subnets = selectVpcSubnets(this, props.vpc, props.vpcSubnets,
      props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    this.vpcPeeringConnectionId = props.vpcPeeringConnectionId;
    this.routes = addPeerRoutes(this, subnets, peer, props.vpcPeeringConnectionId);
  }
}

/** Refuses a peer block that overlaps this VPC's (`vpcCidr`, or the VPC's own). */
function validateNoOverlap(scope: IConstruct, vpc: ec2.IVpc, vpcCidr: string | undefined, peer: Ipv4Block): void {
  const known = concreteVpcCidr(vpc);
  const own = vpcCidr ?? known;
  if (vpcCidr !== undefined && known !== undefined && !Token.isUnresolved(vpcCidr)) {
    // Routes and the overlap check would follow a block the VPC does not have.
    const given = parseIpv4Cidr(scope, 'vpcCidr', vpcCidr, VPC_CIDR_RULE);
    const actual = parseIpv4Cidr(scope, 'vpc (its CIDR block)', known, VPC_CIDR_RULE);
    if (given.network !== actual.network || given.prefix !== actual.prefix) {
      throw new DrValidationError(scope,
        `\`vpcCidr\` must be the CIDR block of \`vpc\`, which is ${known} (leave \`vpcCidr\` out when the VPC knows its block), got: ${quote(vpcCidr)}`);
    }
  }
  if (own === undefined) {
    throw new DrValidationError(scope,
      '`vpcCidr` must be given when `vpc` cannot tell its CIDR block at synth (an imported VPC without it): the peer\'s block is checked against it, got: no CIDR block');
  }
  const ownBlock = parseIpv4Cidr(scope, vpcCidr !== undefined ? 'vpcCidr' : 'vpc (its CIDR block)', own, VPC_CIDR_RULE);
  if (overlaps(ownBlock, peer)) {
    throw new DrValidationError(scope,
      `\`peerCidr\` must not overlap this VPC's CIDR block ${own}: AWS refuses to peer overlapping VPCs, got: ${quote(peer.text)}`);
  }
}

/** One route to `peer` per distinct route table of the subnets. */
function addPeerRoutes(scope: Construct, subnets: ec2.SelectedSubnets, peer: Ipv4Block, peeringId: string): ec2.CfnRoute[] {
  const stack = Stack.of(scope);
  const seen = new Set<string>();
  const routes: ec2.CfnRoute[] = [];
  for (const subnet of subnets.subnets) {
    const routeTableId = subnet.routeTable?.routeTableId;
    if (routeTableId === undefined) {
      throw new DrValidationError(scope,
        `\`vpc\` must know the route table of each selected subnet (import it with \`routeTableIds\`), got: subnet ${subnet.node.path} without one`);
    }
    const key = JSON.stringify(stack.resolve(routeTableId));
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push(new ec2.CfnRoute(scope, `Route${pascalCase(subnet.node.id)}`, {
      routeTableId,
      destinationCidrBlock: peer.text,
      vpcPeeringConnectionId: peeringId,
    }));
  }
  return routes;
}
