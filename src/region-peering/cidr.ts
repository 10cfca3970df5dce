import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from '../private/validation';

/** An IPv4 CIDR block as numbers: the network address and the prefix length. */
export interface Ipv4Block {
  readonly text: string;
  readonly network: number;
  readonly prefix: number;
}

/** VPC CIDR blocks are /16 to /28 (Amazon VPC limits). */
const MIN_PREFIX = 16;
const MAX_PREFIX = 28;

/**
 * Parses and checks a VPC CIDR block given in `prop`: concrete, IPv4, a
 * prefix from /16 to /28, and written as its network address (EC2 refuses
 * a route to `10.1.0.5/16`).
 */
export function parseVpcCidr(scope: IConstruct, prop: string, cidr: string): Ipv4Block {
  if (Token.isUnresolved(cidr)) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a concrete IPv4 CIDR block such as "10.1.0.0/16", not a token: overlapping blocks are refused at synth, got: ${Token.asString(cidr)}`);
  }
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || prefix > 32) {
    throw new DrValidationError(scope, `\`${prop}\` must be an IPv4 CIDR block such as "10.1.0.0/16", got: ${quote(cidr)}`);
  }
  if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
    throw new DrValidationError(scope, `\`${prop}\` must have a prefix from /${MIN_PREFIX} to /${MAX_PREFIX} (the sizes a VPC CIDR block can have), got: ${quote(cidr)}`);
  }
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const network = Math.floor(address / blockSize(prefix)) * blockSize(prefix);
  if (network !== address) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be written as its network address (${formatAddress(network)}/${prefix}), got: ${quote(cidr)}`);
  }
  return { text: cidr, network, prefix };
}

/** The number of addresses in a block of `prefix` bits. */
function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
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
 * The VPC's own CIDR block as a concrete string: `given` when the user
 * passed one, else the VPC's if it is known at synth (a `Vpc` built in this
 * app, a looked-up VPC); undefined when neither.
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
