import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { Ipv4Block, parseIpv4Cidr } from './cidr';
import { createEncryptedLogGroup } from './log-group';
import { ManagedPolicyRole } from './managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from './nag';
import { retainUnlessDestroy } from './removal';

/** The CIDR a platform VPC gets when none is given (aws-cdk-lib's default). */
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';

export interface DrVpcOptions {
  /** The VPC's Name tag. */
  readonly vpcName: string;
  /** The flow-log group's name. */
  readonly flowLogsName: string;
  /** The key that encrypts the flow-log group. */
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
  /** The VPC's IPv4 CIDR block. */
  readonly cidr?: string;
}

/**
 * The library's VPC: three AZs, public and isolated subnets, no NAT, S3 and
 * DynamoDB gateway endpoints and flow logs into an encrypted log group.
 * Its constructs are children of `scope` with fixed ids (`Vpc`, `FlowLogs`,
 * `FlowLogRole`), so a platform that made it inline keeps its logical ids.
 */
export function createDrVpc(scope: Construct, options: DrVpcOptions): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    vpcName: options.vpcName,
    ipAddresses: options.cidr !== undefined ? ec2.IpAddresses.cidr(options.cidr) : undefined,
    maxAzs: 3,
    natGateways: 0,
    subnetConfiguration: [
      // For internet-facing load balancers; nothing of the platform runs here.
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 },
    ],
    gatewayEndpoints: {
      S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
    },
    restrictDefaultSecurityGroup: false,
  });
  const flowLogs = createEncryptedLogGroup(scope, 'FlowLogs', {
    logGroupName: options.flowLogsName,
    retention: logs.RetentionDays.ONE_YEAR,
    encryptionKey: options.encryptionKey,
    removalPolicy: retainUnlessDestroy(options.removalPolicy),
  });
  const flowLogRole = new ManagedPolicyRole(scope, 'FlowLogRole', {
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
    description: `Delivers the flow logs of ${options.vpcName}`,
  });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, flowLogRole) });

  const reason = 'The public subnets exist for internet-facing load balancers a workload may add; the platform places nothing in them and they assign no public IPs.';
  for (const subnet of vpc.publicSubnets) {
    acknowledgeFinding(subnet, 'VPCNoUnrestrictedRouteToIGW', COMPLIANCE_PACKS, reason);
  }
  acknowledgeFinding(vpc, 'VPCDefaultSecurityGroupClosed', COMPLIANCE_PACKS,
    'Nothing uses the default security group: every resource of the platform has its own. Closing it would take a custom-resource Lambda at deploy time.');
  return vpc;
}

/**
 * Checks a VPC CIDR the platform builds its subnets from: an IPv4 block from
 * /16 to /20 (three /22 isolated and three /24 public subnets must fit), not
 * a token (the subnets are laid out at synth).
 */
export function validateVpcCidr(scope: IConstruct, prop: string, cidr: string): Ipv4Block {
  return parseIpv4Cidr(scope, prop, cidr, {
    minPrefix: 16,
    maxPrefix: 20,
    sizeReason: 'room for three /22 isolated and three /24 public subnets',
    tokenReason: 'the subnets are laid out from it at synth',
  });
}
