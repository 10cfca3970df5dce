import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { DrValidationError, quote } from './validation';

/** AWS name-length limits of the resources this library names. */
export const NAME_LIMITS = {
  s3Bucket: 63,
  auroraCluster: 63,
  rdsInstance: 63,
  dynamodbTable: 255,
  lambdaFunction: 64,
  iamRole: 64,
  backupVault: 50,
  backupPlan: 50,
  backupSelection: 50,
  snsTopic: 256,
  kmsAlias: 256,
  logGroup: 512,
  securityGroup: 255,
  rdsSubnetGroup: 255,
  rdsParameterGroup: 255,
  cloudwatchAlarm: 255,
  cloudwatchDashboard: 255,
  eventsRule: 64,
  sqsQueue: 80,
  auroraGlobalCluster: 63,
  secretsManagerSecret: 512,
} as const;

/** One physical name a construct derives from the environment suffix. */
export interface DerivedName {
  /** What the name is for, as error messages say it: "S3 bucket". */
  readonly resource: string;
  /** The name as it will be deployed (account and region at their longest when unknown). */
  readonly name: string;
  /** The AWS limit on the name's length. */
  readonly maxLength: number;
}

/**
 * The one pattern for every name part a user gives (environment suffix,
 * function and alarm subject names): it goes into S3, RDS, Lambda, SQS and
 * CloudWatch names alike, so it must satisfy the strictest of them.
 */
export const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/** The longest account ID and region code a name may have to carry. */
const ACCOUNT_ID_LENGTH = 12;
const LONGEST_REGION_LENGTH = Math.max(...RegionInfo.regions.map((r) => r.name.length));

/**
 * The stack's account and region for length arithmetic: the real values when
 * the stack is environment-specific, otherwise placeholders as long as the
 * longest account ID and region code, so a name that passes here fits anywhere.
 */
export function accountAndRegionForLength(scope: IConstruct): { account: string; region: string } {
  const stack = Stack.of(scope);
  return {
    account: Token.isUnresolved(stack.account) ? '0'.repeat(ACCOUNT_ID_LENGTH) : stack.account,
    region: Token.isUnresolved(stack.region) ? 'x'.repeat(LONGEST_REGION_LENGTH) : stack.region,
  };
}

/** `{resourceType}-{environmentSuffix}`, the library's naming convention. */
export function physicalName(resourceType: string, environmentSuffix: string): string {
  return `${resourceType}-${environmentSuffix}`;
}

/**
 * Validates an environment suffix: its characters, and that every name the
 * construct derives from it fits that resource's AWS limit. The allowed length
 * is computed from the derived names themselves, so it is exact for each
 * construct rather than a guess. Unresolved tokens are skipped.
 */
export function validateEnvironmentSuffix(
  scope: IConstruct,
  environmentSuffix: string,
  deriveNames: (suffix: string) => DerivedName[],
): void {
  if (Token.isUnresolved(environmentSuffix)) {
    return;
  }
  validateNamePart(scope, 'environmentSuffix', environmentSuffix);
  const names = deriveNames(environmentSuffix);
  // The allowed suffix length is the tightest over all derived names.
  let allowed = Number.MAX_SAFE_INTEGER;
  let tightest: DerivedName | undefined;
  for (const n of names) {
    const fixed = n.name.length - environmentSuffix.length;
    const room = n.maxLength - fixed;
    if (room < allowed) {
      allowed = room;
      tightest = n;
    }
  }
  if (tightest && environmentSuffix.length > allowed) {
    throw new DrValidationError(
      scope,
      `\`environmentSuffix\` must be at most ${allowed} characters here, got: ${quote(environmentSuffix)} (${environmentSuffix.length} characters), `
      + `which makes the ${tightest.resource} name ${quote(tightest.name)} ${tightest.name.length} characters long (limit ${tightest.maxLength})`,
    );
  }
  claimPhysicalNames(scope, environmentSuffix, names);
}

/** Physical names claimed so far in each app, by environment, resource and name. */
const CLAIMED = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records the physical names a construct derives and refuses one that another
 * construct of the same app already uses in the same account and region:
 * the second stack (or construct) could not deploy. Stacks without a concrete
 * account and region deploy to the CLI's, so they count as one environment.
 * Across apps nothing can catch this; `nameQualifier` (or another suffix)
 * keeps two platforms apart.
 */
function claimPhysicalNames(scope: IConstruct, environmentSuffix: string, names: DerivedName[]): void {
  const root = scope.node.root;
  let claimed = CLAIMED.get(root);
  if (!claimed) {
    claimed = new Map();
    CLAIMED.set(root, claimed);
  }
  const stack = Stack.of(scope);
  const environment = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)
    ? 'the environment of the CLI' : `account ${stack.account}, region ${stack.region}`;
  for (const n of names) {
    const key = `${environment}\u0000${n.resource}\u0000${n.name}`;
    const owner = claimed.get(key);
    // A composite checks the names its children will make, and the child
    // checks them again: the same name within one lineage is one resource.
    const path = scope.node.path;
    if (owner !== undefined && owner !== path && !path.startsWith(`${owner}/`) && !owner.startsWith(`${path}/`)) {
      throw new DrValidationError(scope,
        `\`environmentSuffix\` ${quote(environmentSuffix)} gives the ${n.resource} name ${quote(n.name)}, which ${owner} already uses in ${environment}: `
        + 'the second could not deploy. Give one of them another `environmentSuffix` (or, on SingleRegionDrPlatform, a `nameQualifier`)');
    }
    claimed.set(key, scope.node.path);
  }
}

/**
 * Checks a name part against NAME_PATTERN and the hyphen rules; `prop` is
 * the prop the message names. Unresolved tokens are skipped.
 */
export function validateNamePart(scope: IConstruct, prop: string, name: string): string {
  if (Token.isUnresolved(name)) {
    return name;
  }
  const problem = namePartProblem(name);
  if (problem) {
    throw new DrValidationError(scope, `\`${prop}\` must ${problem}, got: ${quote(name)}`);
  }
  return name;
}

/** A construct id as a name part: lowercased, every other character a hyphen. */
export function namePartFromId(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

function namePartProblem(name: string): string | undefined {
  if (!NAME_PATTERN.test(name)) {
    return `match ${NAME_PATTERN} (lowercase letters, digits and hyphens, starting with a letter)`;
  }
  // Aurora and RDS identifiers reject a trailing hyphen and two hyphens in a row.
  if (name.endsWith('-')) {
    return 'not end with a hyphen';
  }
  if (name.includes('--')) {
    return 'not contain two hyphens in a row';
  }
  return undefined;
}

/** `dr-fn-processor` or `secretsmanager` as `DrFnProcessor` / `Secretsmanager`, for construct ids. */
export function pascalCase(name: string): string {
  return name.split(/[^a-zA-Z0-9]/).filter(Boolean).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}
