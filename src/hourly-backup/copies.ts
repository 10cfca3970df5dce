/**
 * HourlyBackup's copy destinations: vaults in other regions, checked before
 * a copy action names them.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { BackupCopyDestination } from './copy-destination';
import { validateDuration } from '../private/duration';
import { validateRegionOf } from '../private/regions';
import { DrValidationError, quote } from '../private/validation';

/** A backup vault's ARN: partition, region, account, name. */
const VAULT_ARN = /^arn:([a-z-]+):backup:([a-z0-9-]+):(\d{12}):backup-vault:([a-zA-Z0-9\-_]{2,50})$/;
/** A KMS alias name. */
const KEY_ALIAS = /^alias\/[a-zA-Z0-9/_-]+$/;

/**
 * Checks HourlyBackup's copy destinations and fills in each one's retention
 * (the snapshot retention unless given). Errors are reported on `scope`.
 */
export function resolveCopyDestinations(
  scope: Construct, destinations: BackupCopyDestination[], defaultRetention: Duration | undefined,
  propOf: (i: number) => string = (i) => `copyTo[${i}]`,
): BackupCopyDestination[] {
  const stack = Stack.of(scope);
  const seen = new Set<string>();
  return destinations.map((d, i) => {
    const prop = propOf(i);
    const arn = d.vault.backupVaultArn;
    // Segment by segment: a vault imported by name has a token partition
    // but a literal region, which can still be compared.
    const parts = arn.split(':');
    if (!Token.isUnresolved(arn) && !VAULT_ARN.test(arn)) {
      throw new DrValidationError(scope, `\`${prop}.vault\` must have a backup vault ARN, arn:{partition}:backup:{region}:{account}:backup-vault:{name}, got: ${quote(arn)}`);
    }
    const [, partition, , region] = parts;
    const known = (v: string | undefined): v is string => v !== undefined && !Token.isUnresolved(v);
    // The one region rule: a known region code, another than the plan's, in its partition (a deploy rule in an environment-agnostic stack).
    validateRegionOf(scope, `${prop}.vault`, known(region) ? region : undefined, arn, 'other', 'a copy there is lost with the region');
    const stackPartition = known(stack.region) ? RegionInfo.get(stack.region).partition : undefined;
    if (known(partition) && stackPartition && partition !== stackPartition) {
      throw new DrValidationError(scope,
        `\`${prop}.vault\` is in partition ${partition}, but the plan is in ${stackPartition}: AWS Backup copies only within a partition, got: ${quote(arn)}`);
    }
    if (!Token.isUnresolved(arn)) {
      if (seen.has(arn)) {
        throw new DrValidationError(scope, `\`${prop}.vault\` is already a copy destination: each vault once, got: ${quote(arn)}`);
      }
      seen.add(arn);
    }
    const retention = d.retention ?? defaultRetention;
    if (retention !== undefined) validateCopyRetention(scope, `${prop}.retention`, retention);
    const alias = d.encryptionKeyAlias;
    if (alias !== undefined && !Token.isUnresolved(alias) && (!KEY_ALIAS.test(alias) || alias.startsWith('alias/aws/'))) {
      throw new DrValidationError(scope,
        `\`${prop}.encryptionKeyAlias\` must be the alias of a customer-managed key, alias/ followed by letters, digits, /, _ or -, not alias/aws/..., got: ${quote(alias)}`);
    }
    if (alias !== undefined && (parts.length !== 7 || !known(region) || !known(parts[4]))) {
      throw new DrValidationError(scope,
        `\`${prop}.encryptionKeyAlias\` needs a vault ARN whose region and account are known at synth, to name the destination region's keys; write the ARN out (the names are deterministic), got: ${quote(arn)}`);
    }
    return { vault: d.vault, retention: retention ?? d.retention, encryptionKeyAlias: alias };
  });
}

export /** The region in a vault's ARN, or undefined when it is a token (a partition token alone does not hide it). */
function vaultRegion(vault: backup.IBackupVault): string | undefined {
  const parts = vault.backupVaultArn.split(':');
  return parts.length === 7 && parts[2] === 'backup' && !Token.isUnresolved(parts[3]) ? parts[3] : undefined;
}

/**
 * A copy's retention: whole days, 1 to 36500 (AWS Backup's lifecycle limit).
 * A composite that takes the retention under its own prop name checks it
 * with this first, so the message names the prop its user gave.
 */
export function validateCopyRetention(scope: Construct, prop: string, retention: Duration): void {
  validateDuration(scope, prop, retention, { unit: 'days', min: 1, max: 36500, tokens: true });
}

/**
 * A platform's own copy destination followed by its user's `backup.copyTo`,
 * the user's checked first under the names the user gave them
 * (`backup.copyTo[i]`, not the `copyTo[i + 1]` of the list HourlyBackup
 * gets): each entry, and that none repeats the platform's vault. A
 * retention left out is the snapshot retention, checked by HourlyBackup.
 */
export function withPlatformCopy(
  scope: Construct, platformCopy: BackupCopyDestination, userCopies: BackupCopyDestination[] = [],
): BackupCopyDestination[] {
  resolveCopyDestinations(scope, [platformCopy, ...userCopies], undefined,
    (i) => (i === 0 ? "the platform's copy destination" : `backup.copyTo[${i - 1}]`));
  return [platformCopy, ...userCopies];
}
