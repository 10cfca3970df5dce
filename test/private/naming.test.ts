import { Lazy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EncryptedAurora, PitrTable, VersionedBucket } from '../../src';
import { namePartFromId, validateNamePart } from '../../src/private/naming';
import { isolatedVpc, testApp, testStack } from '../util';

const constructs = {
  EncryptedAurora: (suffix: string) => {
    const stack = testStack();
    return new EncryptedAurora(stack, 'C', { environmentSuffix: suffix, vpc: isolatedVpc(stack) });
  },
  PitrTable: (suffix: string) => new PitrTable(testStack(), 'C', { environmentSuffix: suffix }),
  VersionedBucket: (suffix: string) => new VersionedBucket(testStack(), 'C', { environmentSuffix: suffix }),
};

describe.each(Object.entries(constructs))('%s environmentSuffix', (_name, build) => {
  test.each([
    ['Prod_1', /`environmentSuffix` must match \/\^\[a-z\]\[a-z0-9-\]\*\$\/ .*got: "Prod_1"/],
    ['UPPER', /must match .*got: "UPPER"/],
    ['1dev', /must match .*got: "1dev"/],
    ['dev.1', /must match .*got: "dev.1"/],
    ['', /must match .*got: ""/],
    ['dev-', /`environmentSuffix` must not end with a hyphen, got: "dev-"/],
    ['dev--1', /`environmentSuffix` must not contain two hyphens in a row, got: "dev--1"/],
  ])('rejects %j', (suffix, message) => {
    expect(() => build(suffix)).toThrow(message);
  });

  test.each(['dev', 'prod', 'pr-123', 'a1'])('accepts %j', (suffix) => {
    expect(() => build(suffix)).not.toThrow();
  });

  test('refuses an unresolved token, naming environmentSuffix', () => {
    expect(() => build(Lazy.string({ produce: () => 'dev' }))).toThrow(/`environmentSuffix` must be a concrete string, not a token/);
  });

  test('the error names the construct path', () => {
    expect(() => build('Bad')).toThrow(/\(in TestStack\/C\)/);
  });
});

describe('one name pattern for every name part', () => {
  const scope = () => new Construct(testApp(), 'C');

  test.each(['Bad_Name', 'UPPER', '1x', '', 'x-', 'x--y', 'a.b'])('refuses %j naming the prop', (name) => {
    expect(() => validateNamePart(scope(), 'name', name)).toThrow(/^`name` must .*got: ".*" \(in C\)$/);
  });

  test.each(['a', 'fn-processor', 'pr-123'])('accepts %j', (name) => {
    expect(validateNamePart(scope(), 'name', name)).toBe(name);
  });

  test.each([['Processor', 'processor'], ['Proc_1', 'proc-1'], ['My.Fn', 'my-fn']])('derives %j from a construct id as %j', (id, name) => {
    expect(namePartFromId(id)).toBe(name);
  });
});
