import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { pascalCase } from './naming';
import { addDrWarning } from './warnings';

/** One registry per VPC and stack. */
const REGISTRIES = new WeakMap<Stack, Map<string, DrVpcEndpoints>>();
/** Where a VPC's registry goes when it is first needed. */
const HOMES = new WeakMap<ec2.IVpc, Construct>();

/**
 * The VPC endpoints that let functions in isolated subnets reach AWS APIs
 * without NAT: one registry per VPC and stack, creating each endpoint the
 * first time a function needs it. Interface endpoints share one security
 * group that admits HTTPS from the functions that were given access.
 */
export class DrVpcEndpoints extends Construct {
  /**
   * Makes `home` the place where the registry of `vpc` is created when a
   * function first needs it, so the endpoints carry the home's tags (the
   * platform's Environment and DR-Role). Without a home the registry sits at
   * the stack root.
   */
  public static setHome(vpc: ec2.IVpc, home: Construct): void {
    HOMES.set(vpc, home);
  }

  /** The registry of a VPC in the stack of `scope`, created on first use. */
  public static of(scope: IConstruct, vpc: ec2.IVpc, subnets: ec2.SubnetSelection): DrVpcEndpoints {
    const stack = Stack.of(scope);
    let registries = REGISTRIES.get(stack);
    if (!registries) {
      registries = new Map();
      REGISTRIES.set(stack, registries);
    }
    const existing = registries.get(vpc.node.addr);
    if (existing) {
      return existing;
    }
    const home = HOMES.get(vpc);
    const created = home && Stack.of(home) === stack
      ? new DrVpcEndpoints(home, 'VpcEndpoints', vpc, subnets)
      : new DrVpcEndpoints(stack, `DrVpcEndpoints${vpc.node.addr}`, vpc, subnets);
    registries.set(vpc.node.addr, created);
    return created;
  }

  public readonly securityGroup: ec2.SecurityGroup;
  private readonly vpc: ec2.IVpc;
  private readonly subnets: ec2.SubnetSelection;
  private readonly interfaces = new Map<string, ec2.InterfaceVpcEndpoint>();
  private readonly gateways = new Set<string>();

  private constructor(scope: Construct, id: string, vpc: ec2.IVpc, subnets: ec2.SubnetSelection) {
    super(scope, id);
    this.vpc = vpc;
    this.subnets = subnets;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'Admits HTTPS from DR functions to the AWS API endpoints in this VPC',
      allowAllOutbound: false,
    });
  }

  /** Lets a function reach the interface endpoints. */
  public admit(peer: ec2.IConnectable): void {
    this.securityGroup.connections.allowFrom(peer, ec2.Port.tcp(443), 'HTTPS to AWS API endpoints');
  }

  /**
   * Ensures an interface endpoint for the service exists in the VPC, unless
   * one for the same service is already defined for it in the app.
   */
  public requireInterface(service: ec2.InterfaceVpcEndpointAwsService): void {
    const key = service.shortName;
    if (this.interfaces.has(key) || this.definedElsewhere(service.name)) {
      return;
    }
    this.interfaces.set(key, new ec2.InterfaceVpcEndpoint(this, pascalCase(key), {
      vpc: this.vpc,
      service,
      subnets: this.subnets,
      securityGroups: [this.securityGroup],
      privateDnsEnabled: true,
      open: false,
    }));
  }

  /**
   * Ensures a gateway endpoint (S3 or DynamoDB) exists for the VPC's route
   * tables. For a VPC defined in the app one is added if none is defined;
   * an imported VPC cannot be inspected, so a warning says what it needs.
   */
  public requireGateway(service: ec2.GatewayVpcEndpointAwsService, shortName: string): void {
    if (this.gateways.has(shortName)) {
      return;
    }
    this.gateways.add(shortName);
    if (this.definedElsewhere(service.name)) {
      return;
    }
    if (!(this.vpc instanceof ec2.Vpc)) {
      addDrWarning(this, 'gatewayEndpointUnverified',
        `Functions in the imported VPC ${this.vpc.node.path} call ${shortName}: it needs a ${shortName} gateway endpoint on the route tables of their subnets, which cannot be checked here.`);
      return;
    }
    this.vpc.addGatewayEndpoint(`DrGateway${pascalCase(shortName)}`, { service });
  }

  /**
   * Whether an endpoint for the service and this VPC is already defined in
   * the app: in this stack, or in the VPC's own stack when the VPC lives in
   * another stack of the same region (a gateway endpoint there serves the
   * route tables this stack's functions use).
   */
  private definedElsewhere(serviceName: string): boolean {
    const vpcId = this.vpc.vpcId;
    const stacks = new Set([Stack.of(this), Stack.of(this.vpc)]);
    return [...stacks].flatMap((s) => s.node.findAll()).some((c) => c instanceof ec2.CfnVPCEndpoint
      && !c.node.path.startsWith(this.node.path + '/')
      && c.vpcId === vpcId
      && c.serviceName === serviceName);
  }
}

