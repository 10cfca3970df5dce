import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DrAlarms, DrAlarmsProps } from '../dr-alarms';
import { platformNames } from '../names';
import { createAlarmTopic } from '../private/alarm-topic';
import { namePartFromId } from '../private/naming';
import { createDrKey } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';
import { createDrVpc } from '../private/vpc';
import { DrVpcEndpoints } from '../private/vpc-endpoints';
import { ProtectedResource } from '../stores/protected-resource';
import { DataAccess, PlatformFunctionOptions, VpcLambda } from '../vpc-lambda';


/** The stores of one region, by their handles. */
export interface RegionalStores {
  readonly database: ProtectedResource;
  readonly table: ProtectedResource;
  readonly bucket: ProtectedResource;
}

/** The network of one region: its key and VPC. */
export interface RegionalNetwork {
  readonly encryptionKey: kms.IKey;
  readonly vpc: ec2.IVpc;
}

/** What the regional block needs to make a region's key and VPC. */
export interface RegionalNetworkOptions {
  readonly environmentSuffix: string;
  /** What the key is for, as its description says it. */
  readonly keyDescription: string;
  readonly destroy: boolean;
  readonly removalPolicy?: RemovalPolicy;
  /** The VPC to use instead of creating one. */
  readonly vpc?: ec2.IVpc;
  readonly vpcCidr?: string;
}

/** What the regional block needs to make a region's alarm topic. */
export interface RegionalTopicOptions {
  readonly environmentSuffix: string;
  readonly displayName: string;
  readonly destroy: boolean;
  readonly emails?: string[];
  /** The key that encrypts the topic (DrAlarms's `encryptionKey` option). */
  readonly encryptionKey?: kms.IKey;
}

/** The region's topic and alarms. */
export interface RegionalAlarms {
  readonly alarmTopic: sns.ITopic;
  readonly alarms: DrAlarms;
}

/** Properties of a regional block. */
export interface RegionalBlockProps extends RegionalNetwork, RegionalAlarms {
  readonly environmentSuffix: string;
  readonly removalPolicy?: RemovalPolicy;
  /** Where the block's functions go. */
  readonly functionScope: Construct;
  /** Where the VPC endpoints the functions need go. */
  readonly endpointsHome: Construct;
  /** Where refusals are reported (the platform). */
  readonly owner: Construct;
  readonly stores: RegionalStores;
  /** Called with each function once it is wired: what else the platform does with it. */
  readonly onFunction?: (fn: VpcLambda) => void;
}

/**
 * One region of a platform: its key, VPC and endpoints, alarm topic and
 * alarms, over a set of stores, and the wiring of the functions added to it.
 * SingleRegionDrPlatform is a block with a backup plan, a recovery-point
 * monitor and restore drills over the same stores; MultiRegionDrPlatform has
 * a block in each region and the links between them.
 *
 * Not a construct: what it makes keeps the ids it had under the platform,
 * so the logical ids of the platforms' resources do not depend on it.
 */
export class RegionalBlock {
  /** Creates a region's key and, unless one is given, its VPC, in `scope`. */
  public static createNetwork(scope: Construct, options: RegionalNetworkOptions): RegionalNetwork {
    const names = platformNames(options.environmentSuffix);
    const encryptionKey = createDrKey(scope, 'EncryptionKey', {
      alias: names.keyAlias,
      description: options.keyDescription,
      destroy: options.destroy,
    });
    const vpc = options.vpc ?? createDrVpc(scope, {
      vpcName: names.vpc,
      flowLogsName: names.flowLogs,
      encryptionKey,
      removalPolicy: options.removalPolicy,
      cidr: options.vpcCidr,
    });
    return { encryptionKey, vpc };
  }

  /** Creates a region's alarm topic in `scope`: every alarm and backup notification of the region goes to it. */
  public static createTopic(scope: Construct, options: RegionalTopicOptions): sns.ITopic {
    const names = platformNames(options.environmentSuffix);
    return createAlarmTopic(scope, 'AlarmTopic', {
      topicName: names.alarmTopic,
      displayName: options.displayName,
      keyAlias: names.alarmTopicKeyAlias,
      encryptionKey: options.encryptionKey,
      emails: options.emails,
      destroy: options.destroy,
    });
  }

  /** Creates a region's DrAlarms in `scope`, on its topic; DrAlarms's own `encryptionKey` option is the topic's and is not passed on. */
  public static createAlarms(scope: Construct, props: DrAlarmsProps): DrAlarms {
    const { encryptionKey: _topicKey, ...alarmProps } = props;
    return new DrAlarms(scope, 'Alarms', alarmProps);
  }

  public readonly encryptionKey: kms.IKey;
  public readonly vpc: ec2.IVpc;
  public readonly alarmTopic: sns.ITopic;
  public readonly alarms: DrAlarms;
  public readonly stores: RegionalStores;
  private readonly props: RegionalBlockProps;
  private readonly added: VpcLambda[] = [];

  constructor(props: RegionalBlockProps) {
    this.props = props;
    this.encryptionKey = props.encryptionKey;
    this.vpc = props.vpc;
    this.alarmTopic = props.alarmTopic;
    this.alarms = props.alarms;
    this.stores = props.stores;
    // The endpoints functions need are created in the region's scope, so they carry its tags.
    DrVpcEndpoints.setHome(props.vpc, props.endpointsHome);
  }

  /** The functions added so far. */
  public get functions(): VpcLambda[] {
    return [...this.added];
  }

  /**
   * Adds a function in the region's isolated subnets, wired to the stores
   * (as `options` says) and watched by the region's alarms.
   */
  public addFunction(id: string, options: PlatformFunctionOptions): VpcLambda {
    const { connectDatabase, tableAccess, bucketAccess, ...functionOptions } = options;
    const name = options.name ?? namePartFromId(id);
    const same = this.added.find((f) => f.name === name);
    if (same) {
      throw new DrValidationError(this.props.owner,
        `\`${options.name !== undefined ? 'name' : 'id'}\` ${quote(options.name ?? id)} gives the function name ${quote(name)}, which the function ${quote(same.node.id)} already has: `
        + 'every function of the platform needs its own name (pass `name` to choose one)');
    }
    const fn = new VpcLambda(this.props.functionScope, id, {
      ...functionOptions,
      environmentSuffix: this.props.environmentSuffix,
      vpc: this.vpc,
      encryptionKey: this.encryptionKey,
      removalPolicy: this.props.removalPolicy,
    });
    if (connectDatabase ?? true) {
      fn.connectResource(this.stores.database);
    }
    fn.connectResource(this.stores.table, { access: tableAccess ?? DataAccess.READ_WRITE });
    fn.connectResource(this.stores.bucket, { access: bucketAccess ?? DataAccess.READ_WRITE });
    this.alarms.monitorFunction(fn.function, { name: `fn-${fn.name}` });
    this.props.onFunction?.(fn);
    this.added.push(fn);
    return fn;
  }
}
