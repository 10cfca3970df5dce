/**
 * Class 8 of issue 18 (lengths counted in characters where AWS counts
 * bytes), for DynamoDB key and TTL attribute names: 1 to 255 bytes of UTF-8.
 * Sweeps names at the limit in one-, two- and four-byte characters through
 * every attribute prop of both table constructs; the rule is written out
 * here on its own.
 */
import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { attempt } from './harness';
import { GlobalPitrTable, PitrTable } from '../../src';

const ENV = { account: '111111111111', region: 'us-east-1' };
const ok = (name: string) => name.trim() !== '' && Buffer.byteLength(name, 'utf8') <= 255;

const NAMES = ['pk', ' ', 'a'.repeat(255), 'a'.repeat(256), 'é'.repeat(127), 'é'.repeat(128), '😀'.repeat(63), '😀'.repeat(64)];
const S = dynamodb.AttributeType.STRING;
const PROPS: Array<[string, (name: string) => Record<string, unknown>]> = [
  ['partitionKey.name', (name) => ({ partitionKey: { name, type: S } })],
  ['sortKey.name', (name) => ({ sortKey: { name, type: S } })],
  ['timeToLiveAttribute', (name) => ({ timeToLiveAttribute: name })],
];
const CONSTRUCTS: Array<[string, (stack: Stack, props: Record<string, unknown>) => void]> = [
  ['PitrTable', (stack, props) => new PitrTable(stack, 'Table', { environmentSuffix: 'dev', ...props })],
  ['GlobalPitrTable', (stack, props) => new GlobalPitrTable(stack, 'Table', { environmentSuffix: 'dev', replicaRegions: ['us-west-2'], ...props })],
];

const cases = CONSTRUCTS.flatMap(([construct, build]) => PROPS.flatMap(([prop, props]) => NAMES.map((name) =>
  [`${construct} ${prop}: ${[...name].length} characters, ${Buffer.byteLength(name, 'utf8')} bytes`, build, prop, props(name), ok(name)] as const)));

test.each(cases)('%s', (_label, build, prop, props, accepted) => {
  const verdict = attempt((stack) => build(stack, props), { env: ENV });
  expect(verdict.accepted).toBe(accepted);
  if (!verdict.accepted) expect(verdict.message).toMatch(new RegExp(`^\`${prop.replace('.', '\\.')}\` must be a non-empty attribute name of at most 255 bytes`));
});
