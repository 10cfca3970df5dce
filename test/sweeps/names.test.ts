/**
 * Sweep of the name and pattern props RDS and Lambda check at deploy: each at
 * and past its length limit and against its pattern. One rule: the input is
 * accepted exactly when AWS's documented rule (written out here on its own)
 * accepts it, and then it is in the template as given; otherwise the error
 * names the prop and quotes the value.
 */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EncryptedAurora, PitrTable, VpcLambda } from '../../src';
import { isolatedVpc } from '../util';
import { attempt } from './harness';

const resourcesOf = (template: any, type: string): any[] =>
  Object.values(template.Resources).filter((r: any) => r.Type === type).map((r: any) => r.Properties);

/** A sample of PostgreSQL's reserved words and the databases every cluster has. */
const RESERVED = new Set(['select', 'user', 'table', 'postgres', 'template1', 'rdsadmin']);
const pgIdentifier = (v: string, kind: 'database' | 'user') => /^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(v)
  && !(kind === 'user' ? ['select', 'user', 'table', 'rdsadmin'] : [...RESERVED]).includes(v.toLowerCase());

const IDENTIFIERS = [
  '', 'a', 'app', 'App_1', 'my-db', '1app', '_app', 'app db', 'app$', 'é',
  'a'.repeat(62), 'a'.repeat(63), 'a'.repeat(64), 'select', 'USER', 'postgres', 'template1', 'rdsadmin', 'dbadmin',
];

function backupWindowOk(v: string): boolean {
  const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(v);
  if (!m) return false;
  const [h1, m1, h2, m2] = m.slice(1).map(Number);
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return false;
  return ((h2 * 60 + m2) - (h1 * 60 + m1) + 1440) % 1440 >= 30;
}
const WINDOWS = [
  '03:00-04:00', '03:00-03:29', '03:00-03:30', '23:45-00:15', '23:45-00:14', '00:00-23:59', '03:00-03:00',
  '25:00-26:00', '3:00-4:00', '03:00-03:60', '03:00 - 04:00', '', '03:00',
];

interface NameProp {
  readonly name: string;
  readonly prop: string;
  readonly values: string[];
  readonly ok: (v: string) => boolean;
  readonly build: (stack: Stack, value: string) => void;
  readonly read: (template: any) => unknown;
}

const PROPS: NameProp[] = [
  {
    name: 'EncryptedAurora.databaseName',
    prop: 'databaseName',
    values: IDENTIFIERS,
    ok: (v) => pgIdentifier(v, 'database'),
    build: (stack, databaseName) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), databaseName }),
    read: (t) => resourcesOf(t, 'AWS::RDS::DBCluster')[0].DatabaseName,
  },
  {
    name: 'EncryptedAurora.masterUsername',
    prop: 'masterUsername',
    values: IDENTIFIERS,
    ok: (v) => pgIdentifier(v, 'user'),
    build: (stack, masterUsername) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), masterUsername }),
    read: (t) => resourcesOf(t, 'AWS::RDS::DBCluster')[0].MasterUsername,
  },
  {
    name: 'EncryptedAurora.preferredBackupWindow',
    prop: 'preferredBackupWindow',
    values: WINDOWS,
    ok: backupWindowOk,
    build: (stack, preferredBackupWindow) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), preferredBackupWindow }),
    read: (t) => resourcesOf(t, 'AWS::RDS::DBCluster')[0].PreferredBackupWindow,
  },
];

describe.each(PROPS)('$name', (spec) => {
  test.each(spec.values.map((v) => [JSON.stringify(v).slice(0, 30), v]))('%s', (_label, value) => {
    const verdict = attempt((stack) => spec.build(stack, value));
    if (spec.ok(value)) {
      expect(verdict.accepted).toBe(true);
      expect(spec.read((verdict as { template: any }).template)).toBe(value);
    } else {
      expect(verdict).toMatchObject({ accepted: false });
      expect((verdict as { message: string }).message).toContain(`\`${spec.prop}\` must`);
      expect((verdict as { message: string }).message).toContain(`got: ${JSON.stringify(value)}`);
    }
  });

  test('a token goes to the template for RDS to check', () => {
    const verdict = attempt((stack) => spec.build(stack, new CfnParameter(stack, 'Name').valueAsString));
    expect(verdict.accepted).toBe(true);
    expect(spec.read((verdict as { template: any }).template)).toEqual({ Ref: 'Name' });
  });
});

const fn = (stack: Stack, extra: Record<string, unknown>) => new VpcLambda(stack, 'Fn', {
  environmentSuffix: 'dev',
  vpc: isolatedVpc(stack),
  code: lambda.Code.fromInline('exports.handler = async () => {}'),
  handler: 'index.handler',
  runtime: lambda.Runtime.NODEJS_22_X,
  ...extra,
});

describe('VpcLambda environment', () => {
  test.each(['TABLE_NAME', 'MY_TABLE', 'x1'])('a variable of the user\'s own, %s, is never overwritten by grantTable', (key) => {
    const verdict = attempt((stack) => {
      const f = fn(stack, { environment: { [key]: 'mine' } });
      f.grantTable(new PitrTable(stack, 'Table', { environmentSuffix: 'dev' }), undefined, key);
    });
    expect(verdict).toMatchObject({ accepted: false });
    expect((verdict as { message: string }).message).toMatch(new RegExp(`\`environmentVariable\` "${key}" of (grantTable|connectTable)\\(.*\\) is already set by \`environment\``));
  });

  test.each(['AWS_REGION', '_HANDLER', 'LAMBDA_TASK_ROOT', '1ABC', 'A-B', ''])('the reserved or malformed key %j is refused', (key) => {
    const verdict = attempt((stack) => fn(stack, { environment: { [key]: 'x' } }));
    expect(verdict).toMatchObject({ accepted: false });
    expect((verdict as { message: string }).message).toContain('`environment` keys must');
  });
});
