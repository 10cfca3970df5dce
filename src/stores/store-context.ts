import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * What a platform gives a store when it makes it: where it goes and what it
 * shares with the platform.
 */
export interface StoreContext {
  /** The suffix (with the qualifier) every name carries. */
  readonly environmentSuffix: string;
  /** The platform's removal policy. */
  readonly removalPolicy?: RemovalPolicy;
  /** The platform's VPC. */
  readonly vpc: ec2.IVpc;
}
