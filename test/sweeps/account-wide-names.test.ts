/**
 * Class 4 of issue 18 (account-wide names checked per region): an Aurora
 * global cluster identifier, a CloudWatch dashboard name and an IAM role name
 * are unique per account, not per region, so two constructs with one suffix
 * in two regions of one account collide on them. Within one app the second
 * is refused naming `environmentSuffix` and the owner; names that are unique
 * per region (a table, a vault) may repeat in another region. Across apps
 * nothing at synth can see the other app: docs/vocabulary.md says so.
 * Sweeps each kind of name over same/other account and same/other region.
 */
import { Stack } from 'aws-cdk-lib';
import { DrAlarms, EncryptedAurora, PitrTable, VersionedBucket } from '../../src';
import { DrValidationError } from '../../src/private/validation';
import { isolatedVpc, testApp } from '../util';

type Build = (stack: Stack) => void;

const KINDS: Array<[string, boolean, Build]> = [
  ['a DrAlarms dashboard', true, (stack) => new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', table: new PitrTable(stack, 'T', { environmentSuffix: `t${stack.region.replace(/-/g, '')}` }).table })],
  ['an Aurora global cluster', true, (stack) => new EncryptedAurora(stack, 'Db', {
    environmentSuffix: 'dev', vpc: isolatedVpc(stack), globalSecondaryRegions: [stack.region === 'us-east-1' ? 'us-west-2' : 'us-east-1'],
  })],
  ['a replication role (account-wide, but its name carries the region)', false, (stack) => new VersionedBucket(stack, 'Bucket', {
    environmentSuffix: 'dev', replication: { destinationBucketName: 'dr-data-111111111111-eu-west-1-dev', destinationRegion: 'eu-west-1' },
  })],
  ['a PitrTable (regional names)', false, (stack) => new PitrTable(stack, 'Table', { environmentSuffix: 'dev' })],
];

const PLACES: Array<[string, { account: string; region: string }]> = [
  ['the same account, another region', { account: '111111111111', region: 'us-west-2' }],
  ['another account, the same region', { account: '222222222222', region: 'us-east-1' }],
];

describe.each(KINDS)('%s', (_kind, accountWide, build) => {
  test.each(PLACES)('twice in one app, in %s', (place, env) => {
    const app = testApp();
    build(new Stack(app, 'First', { env: { account: '111111111111', region: 'us-east-1' } }));
    let error: unknown;
    try {
      build(new Stack(app, 'Second', { env }));
    } catch (e) {
      error = e;
    }
    const collides = accountWide && place.startsWith('the same account');
    if (collides) {
      expect(error).toBeInstanceOf(DrValidationError);
      expect(String((error as Error).message)).toMatch(/^`environmentSuffix` "dev" gives the .* name ".*", which First\/.* already uses in account 111111111111 \(in every region: the name is account-wide\)/);
    } else {
      expect(error).toBeUndefined();
    }
  });
});
