import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DerivedName } from './limits';
import { validateNamePart } from '../private/naming';
import { DrValidationError, quote } from '../private/validation';

/**
 * Validates an environment suffix: its characters, and that every name the
 * construct derives from it fits that resource's AWS limit. The allowed length
 * is computed from the derived names themselves, so it is exact for each
 * construct rather than a guess. A token is refused: the names could not be
 * checked, nor found from another region. A derived name too long whatever
 * the suffix names the part that makes it so.
 */
export function validateEnvironmentSuffix(
  scope: IConstruct,
  environmentSuffix: string,
  deriveNames: (suffix: string) => DerivedName[],
): void {
  refuseTokenSuffix(scope, environmentSuffix);
  validateNamePart(scope, 'environmentSuffix', environmentSuffix);
  const names = deriveNames(environmentSuffix);
  for (const n of names) {
    const fixed = n.name.length - environmentSuffix.length;
    if (n.otherPart && fixed + 1 > n.maxLength) {
      throw new DrValidationError(scope,
        `${n.otherPart} makes the ${n.resource} name ${quote(n.name)} ${n.name.length} characters long (limit ${n.maxLength}) whatever the \`environmentSuffix\`: `
        + `shorten it to leave room for the suffix, got: ${n.otherPart}`);
    }
  }
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

/**
 * Refuses an `environmentSuffix` that is a token: every physical name is
 * derived from it and checked at synth, and other regions find the resources
 * by the same names.
 */
export function refuseTokenSuffix(scope: IConstruct, environmentSuffix: string): void {
  if (Token.isUnresolved(environmentSuffix)) {
    throw new DrValidationError(scope,
      '`environmentSuffix` must be a concrete string, not a token: every physical name is derived from it and checked against its AWS limit at synth, '
      + `and the stacks of other regions find these resources by the same names, got: ${Token.asString(environmentSuffix)}`);
  }
}

/** Physical names claimed so far in each app, by environment, resource and name. */
const CLAIMED = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records the physical names a construct derives and refuses one that another
 * construct of the same app already uses in the same account and region:
 * the second stack (or construct) could not deploy. Stacks without a concrete
 * account and region deploy to the CLI's, so they count as one environment.
 * An account-wide name (`DerivedName.accountWide`) is claimed once per
 * account, whatever the region: two platforms with one suffix in two regions
 * of one account collide on their dashboard or global cluster.
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
  const agnostic = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region);
  for (const n of names) {
    // Account-wide names collide across the regions of one account.
    const environment = agnostic ? 'the environment of the CLI'
      : n.accountWide ? `account ${stack.account} (in every region: the name is account-wide)` : `account ${stack.account}, region ${stack.region}`;
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
