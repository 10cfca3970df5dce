import { physicalName } from '../private/naming';

/**
 * The physical names a GlobalPitrTable derives. Kept out of the module's
 * barrel (and so out of the jsii API): the multi-region composite imports
 * them to create the table key of the replica region under the alias the
 * table expects there.
 */

/** The table's name, `dr-table-{suffix}`: the same in every replica region. */
export function globalTableName(environmentSuffix: string): string {
  return physicalName('dr-table', environmentSuffix);
}

/** The alias of the table key in each region, `alias/dr-table-{suffix}`. */
export function globalTableKeyAlias(environmentSuffix: string): string {
  return `alias/${physicalName('dr-table', environmentSuffix)}`;
}
