import { physicalName } from '../private/naming';

/**
 * The physical names of the DR backup vaults, shared by modules that must
 * derive them without a reference (the copy vault lives in another region).
 * Not re-exported from the module's barrel: not part of the jsii API.
 */

/** The vault HourlyBackup writes to: `dr-vault-{suffix}`. */
export function backupVaultName(suffix: string): string {
  return physicalName('dr-vault', suffix);
}

/** The alias of the key of the vault HourlyBackup writes to. */
export function backupVaultKeyAlias(suffix: string): string {
  return `alias/${physicalName('dr-backup', suffix)}`;
}

/** The vault that receives cross-region copies: `dr-copy-vault-{suffix}`. */
export function copyVaultName(suffix: string): string {
  return physicalName('dr-copy-vault', suffix);
}

/** The alias of the copy vault's key: `alias/dr-backup-copy-{suffix}`. */
export function copyVaultKeyAlias(suffix: string): string {
  return `alias/${physicalName('dr-backup-copy', suffix)}`;
}

/** A vault's ARN from its parts, for a vault of another region or stack. */
export function backupVaultArn(partition: string, region: string, account: string, vaultName: string): string {
  return `arn:${partition}:backup:${region}:${account}:backup-vault:${vaultName}`;
}

/** The log group of a vault's drain (DESTROY only), named after the vault. */
export function drainLogGroupName(suffix: string, vaultName: string): string {
  // The existing vault's drain keeps its historical name.
  return vaultName === backupVaultName(suffix) ? `/dr/${suffix}/backup-vault-drain` : `/dr/${suffix}/${vaultName}-drain`;
}
