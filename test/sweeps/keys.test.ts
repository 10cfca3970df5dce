/**
 * Sweep of every key prop with keys of this region, another region and
 * another partition, in a stack with a concrete region and in an
 * environment-agnostic one. One rule: a key that cannot encrypt in the
 * stack's region is refused naming the prop, or, when the region is only
 * known at deploy, the template asserts the region before creating anything.
 */
import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AuroraGlobalSecondary, DrAlarms, EncryptedAurora, HourlyBackup, PitrTable, ProtectedResource, VersionedBucket, VpcLambda } from '../../src';
import { isolatedVpc } from '../util';
import { attempt } from './harness';

const ENV = { account: '111111111111', region: 'eu-west-1' };

interface KeyProp {
  readonly name: string;
  readonly prop: string;
  readonly build: (stack: Stack, key: kms.IKey) => void;
}

const PROPS: KeyProp[] = [
  { name: 'EncryptedAurora.encryptionKey', prop: 'encryptionKey', build: (stack, encryptionKey) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), encryptionKey }) },
  { name: 'VersionedBucket.encryptionKey', prop: 'encryptionKey', build: (stack, encryptionKey) => new VersionedBucket(stack, 'Data', { environmentSuffix: 'dev', encryptionKey }) },
  { name: 'PitrTable.encryptionKey', prop: 'encryptionKey', build: (stack, encryptionKey) => new PitrTable(stack, 'Table', { environmentSuffix: 'dev', encryptionKey }) },
  {
    name: 'VpcLambda.encryptionKey',
    prop: 'encryptionKey',
    build: (stack, encryptionKey) => new VpcLambda(stack, 'Fn', {
      environmentSuffix: 'dev',
      vpc: isolatedVpc(stack),
      encryptionKey,
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
    }),
  },
];

PROPS.push(
  {
    name: 'HourlyBackup.encryptionKey',
    prop: 'encryptionKey',
    build: (stack, encryptionKey) => new HourlyBackup(stack, 'Backup', {
      environmentSuffix: 'dev',
      encryptionKey,
      resources: [ProtectedResource.fromTable(new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }))],
    }),
  },
  { name: 'DrAlarms.encryptionKey', prop: 'encryptionKey', build: (stack, encryptionKey) => new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', encryptionKey }) },
  {
    name: 'AuroraGlobalSecondary.encryptionKey',
    prop: 'encryptionKey',
    build: (stack, encryptionKey) => new AuroraGlobalSecondary(stack, 'Secondary', {
      environmentSuffix: 'dev', vpc: isolatedVpc(stack), globalClusterIdentifier: 'dr-aurora-global-dev', encryptionKey,
    }),
  },
);

const KEYS: Array<[string, string, string]> = [
  // label, ARN, the region the key is in
  ['a key of the stack\'s region', 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555', 'eu-west-1'],
  ['a key of another region', 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555', 'us-east-1'],
  ['a key of another account in the stack\'s region', 'arn:aws:kms:eu-west-1:222222222222:key/11111111-2222-3333-4444-555555555555', 'eu-west-1'],
  ['a key of another partition', 'arn:aws-cn:kms:cn-north-1:111111111111:key/11111111-2222-3333-4444-555555555555', 'cn-north-1'],
  ['a multi-Region replica key of another region', 'arn:aws:kms:eu-central-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab', 'eu-central-1'],
];

describe.each(PROPS)('$name', (spec) => {
  test.each(KEYS)('%s, stack in eu-west-1', (_label, arn, keyRegion) => {
    const verdict = attempt((stack) => spec.build(stack, kms.Key.fromKeyArn(stack, 'Key', arn)), { env: ENV });
    if (keyRegion === ENV.region) {
      expect(verdict.accepted).toBe(true);
    } else {
      expect(verdict).toMatchObject({ accepted: false });
      const message = (verdict as { message: string }).message;
      expect(message).toContain(`\`${spec.prop}\``);
      expect(message).toContain(arn);
      expect(message).toContain('eu-west-1');
    }
  });

  test.each(KEYS)('%s, environment-agnostic stack: the template asserts the region', (_label, arn, keyRegion) => {
    const verdict = attempt((stack) => spec.build(stack, kms.Key.fromKeyArn(stack, 'Key', arn)));
    expect(verdict.accepted).toBe(true);
    const rules = Object.values((verdict as { template: any }).template.Rules ?? {}) as any[];
    const assertions = rules.flatMap((r) => r.Assertions).filter((a) => JSON.stringify(a.Assert).includes('AWS::Region'));
    expect(assertions).toEqual([{
      Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, keyRegion] },
      AssertDescription: expect.stringContaining(`${spec.prop} (`),
    }]);
  });

  test('a key of this stack needs no check', () => {
    const verdict = attempt((stack) => spec.build(stack, new kms.Key(stack, 'Key', { enableKeyRotation: true })));
    expect(verdict.accepted).toBe(true);
    expect(Object.keys((verdict as { template: any }).template.Rules ?? {}).filter((id) => id.startsWith('KeyRegion'))).toEqual([]);
  });
});
