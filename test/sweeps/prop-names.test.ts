/**
 * Class 9 of issue 18: a refusal names the prop the user gave. A composite
 * hands some of its props to a child under another name (MultiRegionDrPlatform
 * `copyRetention` becomes HourlyBackup `copyTo[0].retention`); every refusal
 * of such a value must name the composite's prop. Sweeps the copy retention
 * around AWS Backup's bounds and in every unit.
 */
import { App, Duration } from 'aws-cdk-lib';
import { durationInputs } from './harness';
import { MultiRegionDrPlatform } from '../../src';
import { DrValidationError } from '../../src/private/validation';

const PRIMARY = { account: '111111111111', region: 'us-east-1' };
const SECONDARY = { account: '111111111111', region: 'us-west-2' };

/** Our refusal's message, or undefined when the platform was built. */
function refusal(copyRetention: Duration | ((app: App) => Duration)): string | undefined {
  const app = new App();
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
