/**
 * Class 8 of issue 18 (values AWS rejects pass through), for tags: every
 * prop that becomes a tag key or value (an audit's scope tag, a platform's
 * environment tag, a global table's replica tags) is checked against AWS's
 * tag rules, written out here on their own: keys of 1 to 128 and values of
 * 0 to 256 characters (characters, not UTF-8 bytes), letters, numbers,
 * spaces and `_ . : / = + - @`, and no key starting with `aws:` in any case.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { attempt } from './harness';
import { BackupAuditEvidence, GlobalPitrTable, RestoreDrills, SingleRegionDrPlatform, VersionedBucket } from '../../src';
import { acknowledgeNotInBackupPlan } from '../util';

const ENV = { account: '123456789012', region: 'us-east-1' };
const chars = (s: string) => [...s].length;
const allowed = (s: string) => /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(s);
const keyOk = (k: string) => chars(k) >= 1 && chars(k) <= 128 && allowed(k) && !k.toLowerCase().startsWith('aws:');
const valueOk = (v: string) => chars(v) <= 256 && allowed(v);

const KEYS = ['Environment', 'a', '', 'aws:env', 'AWS:Env', 'Aws:x', 'awsx', 'x:aws:', 'cost center', 'a/b:c=d+e-f@g_h.i',
  'k'.repeat(128), 'k'.repeat(129), 'é'.repeat(128), 'é'.repeat(129), 'Umgebung-ä', 'a*b', 'a#b', 'a\tb', '😀'];
const VALUES = ['prod', '', ' ', 'v'.repeat(256), 'v'.repeat(257), 'ü'.repeat(256), 'ü'.repeat(257), 'a,b', 'a*b', 'x=y', '😀'];

function audit(stack: Stack, scopeTagKey: string, scopeTagValue: string): void {
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'test' });
  acknowledgeNotInBackupPlan(stack);
  new BackupAuditEvidence(stack, 'Audit', {
    environmentSuffix: 'test',
    scopeTagKey,
    scopeTagValue,
    rpo: Duration.hours(1),
    rto: Duration.hours(4),
    backupFrequency: Duration.hours(1),
    retention: Duration.days(7),
    reportBucket: bucket.bucket,
  });
}

describe('BackupAuditEvidence scopeTagKey', () => {
  test.each(KEYS.map((k) => [JSON.stringify(k).slice(0, 24), k]))('%s', (_label, key) => {
    const verdict = attempt((stack) => audit(stack, key, 'test'), { env: ENV });
    expect(verdict.accepted).toBe(keyOk(key));
    if (!verdict.accepted) expect(verdict.message).toMatch(/^`scopeTagKey` must /);
  });
});

describe('BackupAuditEvidence scopeTagValue', () => {
  test.each(VALUES.map((v) => [JSON.stringify(v).slice(0, 24), v]))('%s', (_label, value) => {
    const verdict = attempt((stack) => audit(stack, 'Environment', value), { env: ENV });
    expect(verdict.accepted).toBe(valueOk(value));
    if (!verdict.accepted) expect(verdict.message).toMatch(/^`scopeTagValue` must be a tag value of 0 to 256 characters/);
  });
});

describe('GlobalPitrTable replicaTags', () => {
  test.each(KEYS.map((k) => [JSON.stringify(k).slice(0, 24), k]))('key %s', (_label, key) => {
    const verdict = attempt((stack) => new GlobalPitrTable(stack, 'Table', { environmentSuffix: 'dev', replicaRegions: ['us-west-2'], replicaTags: { [key]: 'v' } }), { env: ENV });
    expect(verdict.accepted).toBe(keyOk(key));
    if (!verdict.accepted) expect(verdict.message).toMatch(/^`replicaTags key .*` must /);
  });

  test.each(VALUES.map((v) => [JSON.stringify(v).slice(0, 24), v]))('value %s', (_label, value) => {
    const verdict = attempt((stack) => new GlobalPitrTable(stack, 'Table', { environmentSuffix: 'dev', replicaRegions: ['us-west-2'], replicaTags: { Team: value } }), { env: ENV });
    expect(verdict.accepted).toBe(valueOk(value));
    if (!verdict.accepted) expect(verdict.message).toMatch(/^`replicaTags.Team` must be a tag value/);
  });
});

describe('SingleRegionDrPlatform environmentTag', () => {
  // A platform per value is slow: the refusals, and one accepted value of each kind.
  test.each(['prod', 'ü'.repeat(256), 'v'.repeat(257), 'a*b', '😀'].map((v) => [JSON.stringify(v).slice(0, 24), v]))('%s', (_label, value) => {
    const verdict = attempt((stack) => new SingleRegionDrPlatform(stack, 'Platform', { environmentSuffix: 'dev', environmentTag: value, restoreDrills: RestoreDrills.disabled() }), { env: ENV });
    expect(verdict.accepted).toBe(valueOk(value));
    if (!verdict.accepted) expect(verdict.message).toMatch(/^`environmentTag` must be a tag value/);
  });
});
