import { DerivedName, NAME_LIMITS, physicalName } from './limits';

/** The table of a PitrTable or GlobalPitrTable, `dr-table-{suffix}`: the same in every replica region. */
export function tableName(environmentSuffix: string): string {
  return physicalName('dr-table', environmentSuffix);
}

/** The alias of a PitrTable's key, and of a GlobalPitrTable's key in each region, `alias/dr-table-{suffix}`. */
export function tableKeyAlias(environmentSuffix: string): string {
  return `alias/${tableName(environmentSuffix)}`;
}

/** The names a PitrTable derives, for the length check: the key's alias when it creates its key. */
export function pitrTableDerivedNames(suffix: string, createsKey: boolean = true): DerivedName[] {
  return [
    { resource: 'DynamoDB table', name: tableName(suffix), maxLength: NAME_LIMITS.dynamodbTable },
    ...(createsKey ? [{ resource: 'KMS alias', name: tableKeyAlias(suffix), maxLength: NAME_LIMITS.kmsAlias }] : []),
  ];
}

/** The names a GlobalPitrTable derives, for the length check. */
export function globalTableDerivedNames(suffix: string): DerivedName[] {
  return [
    { resource: 'DynamoDB table', name: tableName(suffix), maxLength: NAME_LIMITS.dynamodbTable },
    { resource: 'KMS alias', name: tableKeyAlias(suffix), maxLength: NAME_LIMITS.kmsAlias },
  ];
}
