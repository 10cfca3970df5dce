import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { BoundRegionSwitchDatabase } from './plan-parts';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { EncryptedAurora } from '../encrypted-aurora/encrypted-aurora';
import { DrValidationError, quote } from '../private/validation';

/**
 * The Aurora global database a RegionSwitchPlan switches, given by its
 * global cluster identifier and one cluster ARN per plan region.
 */
export interface RegionSwitchDatabaseArns {
  /** The global cluster identifier. */
  readonly globalClusterIdentifier: string;
  /** The ARN of the global database's cluster in the plan's primary region. */
  readonly primaryClusterArn: string;
  /** The ARN of the global database's cluster in the plan's secondary region. */
  readonly secondaryClusterArn: string;
}


/**
 * The Aurora global database of a RegionSwitchPlan. The plan names the
 * database by identifiers and ARNs, never by reference: the clusters live in
 * two regions, and nothing is shared across regions by reference.
 */
export class RegionSwitchDatabase {
  /** A global database given by its identifier and the cluster ARN of each region. */
  public static fromArns(arns: RegionSwitchDatabaseArns): RegionSwitchDatabase {
    return new RegionSwitchDatabase(arns.globalClusterIdentifier, arns);
  }

  /**
   * A global database whose clusters have the same identifier in both
   * regions, as the library's EncryptedAurora and AuroraGlobalSecondary
   * name them (`dr-aurora-{environmentSuffix}`).
   */
  public static fromIdentifiers(globalClusterIdentifier: string, clusterIdentifier: string): RegionSwitchDatabase {
    return new RegionSwitchDatabase(globalClusterIdentifier, undefined, clusterIdentifier);
  }

  /** The global database whose primary is this EncryptedAurora (created with `globalSecondaryRegions`). */
  public static fromEncryptedAurora(aurora: EncryptedAurora): RegionSwitchDatabase {
    if (!aurora.globalClusterIdentifier) {
      throw new DrValidationError(aurora,
        '`database` must be a global database: this EncryptedAurora has no `globalSecondaryRegions`, so there is nothing to switch to');
    }
    const identifier = (aurora.cluster.node.defaultChild as rds.CfnDBCluster).dbClusterIdentifier ?? aurora.clusterIdentifier;
    return RegionSwitchDatabase.fromIdentifiers(aurora.globalClusterIdentifier, identifier);
  }

  /** The global database this AuroraGlobalSecondary is a member of. */
  public static fromAuroraGlobalSecondary(secondary: AuroraGlobalSecondary): RegionSwitchDatabase {
    return RegionSwitchDatabase.fromIdentifiers(secondary.globalClusterIdentifier, secondary.clusterIdentifier);
  }

  /** The global cluster identifier. */
  public readonly globalClusterIdentifier: string;
  private readonly arns?: RegionSwitchDatabaseArns;
  private readonly clusterIdentifier?: string;

  private constructor(globalClusterIdentifier: string, arns?: RegionSwitchDatabaseArns, clusterIdentifier?: string) {
    this.globalClusterIdentifier = globalClusterIdentifier;
    this.arns = arns;
    this.clusterIdentifier = clusterIdentifier;
  }

  /**
   * Checks the database against the plan's regions and returns what the
   * plan's Aurora step and execution role need.
   * @internal
   */
  public _bind(scope: IConstruct, primaryRegion: string, secondaryRegion: string): BoundRegionSwitchDatabase {
    if (Token.isUnresolved(this.globalClusterIdentifier) || !/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(this.globalClusterIdentifier)
      || this.globalClusterIdentifier.endsWith('-') || this.globalClusterIdentifier.includes('--')) {
      throw new DrValidationError(scope,
        `\`database\` global cluster identifier must be a concrete identifier of 1 to 63 letters, digits and hyphens, starting with a letter (RDS's rule), got: ${quote(Token.isUnresolved(this.globalClusterIdentifier) ? Token.asString(this.globalClusterIdentifier) : this.globalClusterIdentifier)}`);
    }
    if (this.clusterIdentifier !== undefined && Token.isUnresolved(this.clusterIdentifier)) {
      throw new DrValidationError(scope,
        `\`database\` cluster identifier must be concrete: the plan derives the cluster ARN of each region from it, got: ${Token.asString(this.clusterIdentifier)}`);
    }
    const arns = this.arns ?? {
      globalClusterIdentifier: this.globalClusterIdentifier,
      primaryClusterArn: clusterArn(scope, primaryRegion, this.clusterIdentifier!),
      secondaryClusterArn: clusterArn(scope, secondaryRegion, this.clusterIdentifier!),
    };
    const source = this.arns ? 'the ARNs given' : `cluster identifier ${quote(this.clusterIdentifier)}`;
    const stack = Stack.of(scope);
    for (const [prop, arn, region] of [
      ['primaryClusterArn', arns.primaryClusterArn, primaryRegion],
      ['secondaryClusterArn', arns.secondaryClusterArn, secondaryRegion],
    ] as const) {
      checkClusterArn(scope, `database.${prop}`, arn, region, source);
    }
    return {
      globalClusterIdentifier: this.globalClusterIdentifier,
      // Global clusters have no region in their ARN.
      globalClusterArn: `arn:${stack.partition}:rds::${stack.account}:global-cluster:${this.globalClusterIdentifier}`,
      primaryClusterArn: arns.primaryClusterArn,
      secondaryClusterArn: arns.secondaryClusterArn,
    };
  }
}

function clusterArn(scope: IConstruct, region: string, identifier: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:rds:${region}:${stack.account}:cluster:${identifier}`;
}

function checkClusterArn(scope: IConstruct, prop: string, arn: string, region: string, source: string): void {
  if (Token.isUnresolved(arn)) {
    // A token is a reference; a plan spans two regions, so the ARN must be
    // a literal (or derived by the library from a concrete identifier).
    if (!arn.includes(`:rds:${region}:`)) {
      throw new DrValidationError(scope,
        `\`${prop}\` must be a concrete Aurora cluster ARN (arn:aws:rds:${region}:{account}:cluster:{identifier}), not a reference: the plan spans two regions, got: ${Token.asString(arn)}`);
    }
    return;
  }
  let parsed;
  try {
    parsed = Arn.split(arn, ArnFormat.COLON_RESOURCE_NAME);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.service !== 'rds' || parsed.resource !== 'cluster' || !parsed.resourceName) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be an Aurora cluster ARN (arn:aws:rds:${region}:{account}:cluster:{identifier}), got: ${quote(arn)}`);
  }
  if (parsed.region !== region) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a cluster of ${region}, the plan region it is given for, got: ${quote(arn)} (region ${parsed.region}; from ${source})`);
  }
}
