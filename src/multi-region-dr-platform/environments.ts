import { Duration, Environment, Stack, Tags, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { MultiRegionDrPlatformProps } from './multi-region-dr-platform-props';
import { consumeStrongReferencesByDefault } from './reference-strength';
import { stackName } from '../names';
import { overlaps } from '../private/cidr';
import { validateDuration } from '../private/duration';
import { TAG_KEYS } from '../private/tags';
import { DrValidationError, quote } from '../private/validation';
import { DEFAULT_VPC_CIDR, validateVpcCidr } from '../private/vpc';

/** The secondary VPC's block when none is given: next to the primary's default, so the two can be peered. */
const DEFAULT_SECONDARY_VPC_CIDR = '10.1.0.0/16';

/** An environment with both parts concrete. */
export type ConcreteEnvironment = Required<Pick<Environment, 'account' | 'region'>>;

/**
 * Both environments concrete, one account, two regions of one partition:
 * the stacks of each region are synthesized for it, and the names each side
 * derives for the other need both regions and the account.
 */
export function validateEnvironments(scope: Construct, primary: Environment, secondary: Environment) {
  const concrete = (prop: string, env: Environment): ConcreteEnvironment => {
    for (const key of ['account', 'region'] as const) {
      const value = env[key];
      if (value === undefined || Token.isUnresolved(value)) {
        throw new DrValidationError(scope,
          `\`${prop}.${key}\` must be a concrete value: each region's stack is synthesized for its environment and the other region derives its names from it, got: ${value === undefined ? 'nothing' : 'a token'}`);
      }
    }
    const region = env.region!;
    if (!RegionInfo.regions.some((r) => r.name === region)) {
      throw new DrValidationError(scope, `\`${prop}.region\` must be an AWS region code such as us-east-1, got: ${quote(region)}`);
    }
    if (!/^\d{12}$/.test(env.account!)) {
      throw new DrValidationError(scope, `\`${prop}.account\` must be a 12-digit AWS account id, got: ${quote(env.account)}`);
    }
    return { account: env.account!, region };
  };
  const p = concrete('primary', primary);
  const s = concrete('secondary', secondary);
  if (p.region === s.region) {
    throw new DrValidationError(scope, `\`secondary.region\` must differ from \`primary.region\`: a second copy in the same region does not survive its loss, got: ${quote(s.region)} for both`);
  }
  if (p.account !== s.account) {
    throw new DrValidationError(scope,
      `\`secondary.account\` must be \`primary.account\` (${p.account}): the regions share keys by alias, the copy vault and the replication roles within one account, got: ${quote(s.account)}`);
  }
  const partition = (region: string) => RegionInfo.get(region).partition;
  if (partition(p.region) !== partition(s.region)) {
    throw new DrValidationError(scope,
      `\`secondary.region\` must be in the partition of \`primary.region\` (${p.region}: ${partition(p.region)}), got: ${quote(s.region)} (${partition(s.region)})`);
  }
  return { primary: p, secondary: s };
}

/** How the platform's stacks are made: named `{id}-{suffix}-{role}`, tagged, consuming references strongly. */
export interface PlatformStackOptions {
  /** The platform's construct id. */
  readonly platformId: string;
  readonly environmentSuffix: string;
  /** The `Environment` tag. */
  readonly environmentTag: string;
}

/** Makes one of the platform's stacks. */
export function makePlatformStack(
  owner: Construct, options: PlatformStackOptions,
  stackId: string, role: string, env: ConcreteEnvironment, drRole: string, what: string,
): Stack {
  const stack = new Stack(owner, stackId, {
    env,
    stackName: stackName(options.platformId, options.environmentSuffix, role),
    description: `cdk-dr-platform multi-region (${options.environmentSuffix}): ${what}`,
  });
  consumeStrongReferencesByDefault(stack);
  Tags.of(stack).add(TAG_KEYS.environment, options.environmentTag);
  Tags.of(stack).add(TAG_KEYS.role, drRole);
  return stack;
}

/**
 * The region RPO and the two VPC blocks, checked: a concrete RPO of 1 minute
 * to 1 day, blocks that do not overlap when peered, and no one key for the
 * topics of two regions.
 */
export function validateRegionInputs(scope: Construct, props: MultiRegionDrPlatformProps) {
  const regionRpo = props.regionRpo ?? Duration.minutes(15);
  validateDuration(scope, 'regionRpo', regionRpo, {
    unit: 'minutes',
    min: 1,
    max: 24 * 60,
    tokens: false,
    tokenReason: 'every resource\'s region-loss coverage is checked against it and alarm thresholds are derived from it at synth',
  });
  if (props.alarms?.encryptionKey) {
    throw new DrValidationError(scope,
      `\`alarms.encryptionKey\` cannot encrypt the alarm topics of both regions: KMS keys are regional, and the platform has a topic in each (each gets a key of its own region), got: ${props.alarms.encryptionKey.node.path}`);
  }
  const primaryCidr = props.primaryVpcCidr ?? DEFAULT_VPC_CIDR;
  const secondaryCidr = props.secondaryVpcCidr ?? DEFAULT_SECONDARY_VPC_CIDR;
  const primaryBlock = validateVpcCidr(scope, 'primaryVpcCidr', primaryCidr);
  const secondaryBlock = validateVpcCidr(scope, 'secondaryVpcCidr', secondaryCidr);
  if (props.peering && overlaps(primaryBlock, secondaryBlock)) {
    throw new DrValidationError(scope,
      `\`primaryVpcCidr\` and \`secondaryVpcCidr\` must not overlap with \`peering\`: a peering between overlapping VPCs fails, and routes could not tell them apart, got: ${quote(primaryCidr)} and ${quote(secondaryCidr)}`);
  }
  return { regionRpo, primaryCidr, secondaryCidr };
}
