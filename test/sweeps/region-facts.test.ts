/**
 * Class 5 of issue 18 (regions where a resource type does not exist): the
 * library would refuse, or turn off with a warning, AWS Backup restore
 * testing and Aurora global databases where aws-cdk-lib's region facts say
 * they are missing. aws-cdk-lib has no such fact today, so availability is
 * documented as unverified (docs/restore-drill.md, docs/encrypted-aurora.md)
 * instead of guessed. This test sweeps every fact aws-cdk-lib defines and
 * fails when one about either feature appears, so the check gets written then.
 */
import { Fact, FactName } from 'aws-cdk-lib/region-info';

test('aws-cdk-lib defines no region fact about restore testing or Aurora global databases', () => {
  const names = new Set([...Object.values(FactName).filter((v): v is string => typeof v === 'string'), ...Fact.definedFacts().map(([, name]) => name)]);
  expect(names.size).toBeGreaterThan(5);
  const about = [...names].filter((n) => /backup|restore|global.?(cluster|database)|aurora|rds/i.test(n));
  expect(about).toEqual([]);
});
