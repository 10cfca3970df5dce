/**
 * Class 9 of issue 18: a refusal names the prop the user gave. A composite
 * hands some of its props to a child under another name (MultiRegionDrPlatform
 * `copyRetention` becomes HourlyBackup `copyTo[0].retention`); every refusal
 * of such a value must name the composite's prop. Sweeps the copy retention
 * around AWS Backup's bounds and in every unit.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { durationInputs } from './harness';
import { BackupCopyDestination, MultiRegionDrPlatform } from '../../src';
import { backupVaultArn, copyVaultName } from '../../src/names';
import { DrValidationError } from '../../src/private/validation';
import { testApp } from '../util';

const PRIMARY = { account: '111111111111', region: 'us-east-1' };
const SECONDARY = { account: '111111111111', region: 'us-west-2' };

/** Our refusal's message, or undefined when the platform was built. */
function refusal(copyRetention: Duration | ((app: App) => Duration)): string | undefined {
  const app = testApp();
  try {
    new MultiRegionDrPlatform(app, 'Payments', {
      environmentSuffix: 'prod',
      primary: PRIMARY,
      secondary: SECONDARY,
      copyRetention: typeof copyRetention === 'function' ? copyRetention(app) : copyRetention,
    });
    return undefined;
  } catch (e) {
    if (!(e instanceof DrValidationError)) throw e;
    return e.message;
  }
}

describe('MultiRegionDrPlatform copyRetention: every refusal names `copyRetention`, never `copyTo[0].retention`', () => {
  // Above the copy vault's 7-day lock minimum, so only AWS Backup's bounds and whole days decide.
  const inputs = durationInputs('days', 7, 36500).filter((input) => input.tokenUnit === undefined);
  test.each(inputs.map((input) => [input.label, input] as const))('%s', (_label, input) => {
    const days = input.amountIn('days')!;
    const message = refusal(() => input.make(undefined as any));
    const ok = Number.isInteger(days) && days >= 7 && days <= 36500;
    expect({ accepted: message === undefined }).toEqual({ accepted: ok });
    if (message !== undefined) {
      expect(message).toMatch(/^`copyRetention` /);
      expect(message).not.toContain('copyTo');
    }
  });
});

describe('MultiRegionDrPlatform backup.copyTo: a refusal names `backup.copyTo[i]` as the user gave it, not the index after the platform\'s own copy', () => {
  const vaultArn = (region: string, name = 'extra-vault') => `arn:${region.startsWith('cn-') ? 'aws-cn' : 'aws'}:backup:${region}:111111111111:backup-vault:${name}`;
  const VALID = vaultArn('eu-west-1');
  const BAD: Array<[string, (app: App) => BackupCopyDestination, RegExp]> = [
    ['a vault of the primary region', (app) => ({ vault: imported(app, vaultArn('us-east-1')) }), /\.vault` must be in another region than the stack's own \(us-east-1\)/],
    ['a vault of an unknown region', (app) => ({ vault: imported(app, vaultArn('us-middle-9')) }), /\.vault` names region "us-middle-9", which is not an AWS region code/],
    ['a vault of another partition', (app) => ({ vault: imported(app, vaultArn('cn-north-1')) }), /\.vault` must be in the stack's partition aws/],
    ['the platform\'s own copy vault', (app) => ({ vault: imported(app, backupVaultArn('aws', 'us-west-2', '111111111111', copyVaultName('prod'))) }), /\.vault` is already a copy destination/],
    ['a retention of 0 days', (app) => ({ vault: imported(app, VALID), retention: Duration.days(0) }), /\.retention` must be/],
    ['a retention over AWS Backup\'s maximum', (app) => ({ vault: imported(app, VALID), retention: Duration.days(36501) }), /\.retention` .*36501 days/],
    ['an AWS-managed key alias', (app) => ({ vault: imported(app, VALID), encryptionKeyAlias: 'alias/aws/backup' }), /\.encryptionKeyAlias` must be the alias of a customer-managed key/],
  ];
  let n = 0;
  function imported(app: App, arn: string) {
    const stack = app.node.tryFindChild('Vaults') as Stack ?? new Stack(app, 'Vaults', { env: PRIMARY });
    return backup.BackupVault.fromBackupVaultArn(stack, `Vault${n++}`, arn);
  }
  const cases = BAD.flatMap(([label, make, message]) => [0, 1].map((i) => [`${label} at index ${i}`, i, make, message] as const));
  test.each(cases)('%s', (_label, i, make, message) => {
    const app = testApp();
    const copyTo = i === 0 ? [make(app)] : [{ vault: imported(app, vaultArn('ap-southeast-2')) }, make(app)];
    let caught: unknown;
    try {
      new MultiRegionDrPlatform(app, 'Payments', { environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY, backup: { copyTo } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DrValidationError);
    const text = (caught as Error).message;
    expect(text).toMatch(new RegExp(`^\`backup\\.copyTo\\[${i}\\]${message.source}`));
  });
});

test('MultiRegionDrPlatform accepts valid backup.copyTo entries after its own copy', () => {
  const app = testApp();
  const vaults = new Stack(app, 'Vaults', { env: PRIMARY });
  const copyTo = ['eu-west-1', 'ap-southeast-2'].map((r, i) => ({
    vault: backup.BackupVault.fromBackupVaultArn(vaults, `Vault${i}`, `arn:aws:backup:${r}:111111111111:backup-vault:extra-vault`),
  }));
  const platform = new MultiRegionDrPlatform(app, 'Payments', { environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY, backup: { copyTo } });
  // The platform's own copy first, then the user's, in order.
  expect(platform.primary.backup.copyDestinations.map((d) => d.vault.backupVaultArn.split(':')[3])).toEqual(['us-west-2', 'eu-west-1', 'ap-southeast-2']);
});
