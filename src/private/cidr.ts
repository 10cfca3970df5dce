import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/** An IPv4 CIDR block as numbers: the network address and the prefix length. */
export interface Ipv4Block {
  readonly text: string;
  readonly network: number;
  readonly prefix: number;
}

/** What a CIDR prop must be, beside a well-formed IPv4 block written as its network address. */
export interface CidrRule {
  /** The shortest prefix allowed (the largest block). */
  readonly minPrefix: number;
  /** The longest prefix allowed (the smallest block). */
  readonly maxPrefix: number;
  /** Why the prefix is bounded so, for the message. */
  readonly sizeReason: string;
  /** Why a token is refused, for the message. */
  readonly tokenReason: string;
}

/** Any VPC's block, as a peer or as this side of a peering: the sizes Amazon VPC allows. */
export const VPC_CIDR_RULE: CidrRule = {
  minPrefix: 16,
  maxPrefix: 28,
  sizeReason: 'the sizes a VPC CIDR block can have',
  tokenReason: 'overlapping blocks are refused at synth',
};

/**
 * Parses and checks a CIDR block given in `prop`: concrete, IPv4, a prefix
 * the rule allows, and written as its network address (EC2 refuses a route
 * to `10.1.0.5/16`, and a VPC's subnets are laid out from its network
 * address). The one CIDR parser of the library.
 */
export function parseIpv4Cidr(scope: IConstruct, prop: string, cidr: string, rule: CidrRule): Ipv4Block {
  if (Token.isUnresolved(cidr)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a concrete IPv4 CIDR block such as "10.1.0.0/16", not a token: ${rule.tokenReason}, got: ${Token.asString(cidr)}`);
  }
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || !(prefix >= rule.minPrefix && prefix <= rule.maxPrefix)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be an IPv4 CIDR block from /${rule.minPrefix} to /${rule.maxPrefix} (${rule.sizeReason}), got: ${quote(cidr)}`);
  }
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const network = Math.floor(address / blockSize(prefix)) * blockSize(prefix);
  if (network !== address) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be written as its network address (${formatAddress(network)}/${prefix}): it must start on a /${prefix} boundary, got: ${quote(cidr)}`);
  }
  return { text: cidr, network, prefix };
}

/** The number of addresses in a block of `prefix` bits. */
function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The first and last address of a block. */
export function addressRange(block: Ipv4Block): [number, number] {
  return [block.network, block.network + blockSize(block.prefix) - 1];
}

/** True when the two blocks share at least one address: the larger block contains the other's network. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  const size = blockSize(Math.min(a.prefix, b.prefix));
  return Math.floor(a.network / size) === Math.floor(b.network / size);
}

function formatAddress(n: number): string {
  return [3, 2, 1, 0].map((i) => Math.floor(n / 256 ** i) % 256).join('.');
}

/**
 * The VPC's own CIDR block as a concrete string: the VPC's if it is known at
 * synth (a `Vpc` built in this app, a looked-up VPC); undefined otherwise.
 */
export function concreteVpcCidr(vpc: ec2.IVpc): string | undefined {
  let cidr: string | undefined;
  try {
    cidr = vpc.vpcCidrBlock;
  } catch {
    // An imported VPC without its CIDR throws when asked for it.
    return undefined;
  }
  if (!Token.isUnresolved(cidr)) {
    return cidr;
  }
  // A Vpc of this app answers with a GetAtt; its L1 has the block it was given.
  const cfnVpc = vpc.node.defaultChild;
  if (cfnVpc instanceof ec2.CfnVPC && cfnVpc.cidrBlock !== undefined && !Token.isUnresolved(cfnVpc.cidrBlock)) {
    return cfnVpc.cidrBlock;
  }
  return undefined;
}
