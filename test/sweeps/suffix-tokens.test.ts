/**
 * Class 1 of issue 18 (a crash inside aws-cdk-lib instead of our error), for
 * the input every construct shares: `environmentSuffix`. Every physical name
 * is derived from it, checked against its AWS limit and found from other
 * regions by pattern, so a token (of any kind) is refused by us, naming
 * `environmentSuffix`, never passed on to fail in aws-cdk-lib or at deploy.
 * The names a construct derives from other inputs as well (a multi-region
 * platform's stack names from its id) blame the input that breaks them.
 */
import { CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  DrAlarms, DrBackupVault, EncryptedAurora, GlobalPitrTable, HourlyBackup, MultiRegionDrPlatform, PitrTable, ProtectedResource,
  RecoveryPointMonitor, RegionHealthCheck, SingleRegionDrPlatform, VersionedBucket, VpcLambda,
} from '../../src';
import { DrValidationError } from '../../src/private/validation';
import { isolatedVpc, testApp } from '../util';
import { attempt } from './harness';

const code = lambda.Code.fromInline('exports.handler = async () => {}');
const ENV = { account: '111111111111', region: 'us-east-1' };

/** Every kind of token a suffix can be given as. */
const TOKENS: Array<[string, (stack: Stack) => string]> = [
  ['Lazy.string', () => Lazy.string({ produce: () => 'dev' })],
  ['a CfnParameter', (stack) => new CfnParameter(stack, 'Suffix', { default: 'dev' }).valueAsString],
  ['Fn.importValue', () => Fn.importValue('suffix')],
  ['a concatenation with a token', (stack) => `dev-${new CfnParameter(stack, 'Part', { default: 'x' }).valueAsString}`],
];

/** Each construct that takes `environmentSuffix`, built with the least else it needs. */
const CONSTRUCTS: Array<[string, (stack: Stack, environmentSuffix: string) => void]> = [
  ['PitrTable', (stack, environmentSuffix) => new PitrTable(stack, 'Table', { environmentSuffix })],
  ['VersionedBucket', (stack, environmentSuffix) => new VersionedBucket(stack, 'Bucket', { environmentSuffix })],
  ['EncryptedAurora', (stack, environmentSuffix) => new EncryptedAurora(stack, 'Db', { environmentSuffix, vpc: isolatedVpc(stack) })],
  ['GlobalPitrTable', (stack, environmentSuffix) => new GlobalPitrTable(stack, 'Global', { environmentSuffix, replicaRegions: ['us-west-2'] })],
  ['HourlyBackup', (stack, environmentSuffix) => new HourlyBackup(stack, 'Backup', {
    environmentSuffix, resources: [ProtectedResource.fromPitrTable(new PitrTable(stack, 'Table', { environmentSuffix: 'other' }))],
  })],
  ['DrBackupVault', (stack, environmentSuffix) => new DrBackupVault(stack, 'Vault', { environmentSuffix })],
  ['RecoveryPointMonitor', (stack, environmentSuffix) => new RecoveryPointMonitor(stack, 'Monitor', {
    environmentSuffix, resources: [ProtectedResource.fromArn('arn:aws:dynamodb:us-east-1:111111111111:table/t', 'table t')],
  })],
  ['DrAlarms', (stack, environmentSuffix) => new DrAlarms(stack, 'Alarms', {
    environmentSuffix, backup: undefined, functions: [new lambda.Function(stack, 'Fn', { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X })],
  })],
  ['VpcLambda', (stack, environmentSuffix) => new VpcLambda(stack, 'Fn', {
    environmentSuffix, vpc: isolatedVpc(stack), code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X,
  })],
  ['RegionHealthCheck', (stack, environmentSuffix) => new RegionHealthCheck(stack, 'Health', {
    environmentSuffix, vpc: isolatedVpc(stack), table: ProtectedResource.fromPitrTable(new PitrTable(stack, 'Table', { environmentSuffix: 'other' })),
  })],
  ['SingleRegionDrPlatform', (stack, environmentSuffix) => new SingleRegionDrPlatform(stack, 'Platform', { environmentSuffix })],
];

describe.each(CONSTRUCTS)('%s', (_name, build) => {
  test.each(TOKENS)('refuses an environmentSuffix from %s, naming it', (_kind, token) => {
    const verdict = attempt((stack) => build(stack, token(stack)), { env: ENV });
    expect(verdict.accepted).toBe(false);
    expect((verdict as { message: string }).message).toMatch(/^`environmentSuffix` must be a concrete string, not a token: .*got: .*\$\{Token\[/);
  });
});

describe('MultiRegionDrPlatform', () => {
  const build = (id: string, environmentSuffix: string) => () => new MultiRegionDrPlatform(testApp(), id, {
    environmentSuffix,
    primary: { account: '111111111111', region: 'us-east-1' },
    secondary: { account: '111111111111', region: 'us-west-2' },
  } as any);

  test.each(TOKENS.filter(([kind]) => kind === 'Lazy.string'))('refuses an environmentSuffix from %s before any stack exists', (_kind, token) => {
    const app = testApp();
    const suffix = token(new Stack(app, 'Scratch'));
    expect(build('Dr', suffix)).toThrow(/`environmentSuffix` must be a concrete string, not a token/);
  });

  // {id}-{suffix}-secondary-foundation: 22 characters besides the id and the suffix, within 128.
  test.each([
    [128 - 22 - 3, 'dev', true],
    [128 - 22 - 3 + 1, 'dev', false],
    [60, 'a'.repeat(50), false],
    [200, 'dev', false],
  ])('an id of %d characters with suffix %j: accepted %s, else our error naming the id', (length, suffix, ok) => {
    const id = `D${'r'.repeat(length - 1)}`;
    let error: unknown;
    try {
      build(id, suffix)();
    } catch (e) {
      error = e;
    }
    if (ok) {
      expect(String(error ?? '')).not.toMatch(/stack name/);
    } else {
      expect(error).toBeInstanceOf(DrValidationError);
      expect(String((error as Error).message)).toMatch(
        new RegExp(`^the id of a MultiRegionDrPlatform starts its stack names .* characters long \\(limit 128\\): with this suffix the id may have at most ${Math.max(128 - 22 - suffix.length, 0)} characters`));
    }
  });
});

test('the constructs list is live: a concrete suffix builds each', () => {
  for (const [name, build] of CONSTRUCTS) {
    const verdict = attempt((stack) => build(stack, 'dev'), { env: ENV });
    expect({ name, accepted: verdict.accepted, message: (verdict as any).message }).toEqual({ name, accepted: true, message: undefined });
  }
});
