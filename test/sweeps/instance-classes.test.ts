/**
 * Class 8 of issue 18 (values AWS rejects pass through), for DB instance
 * classes: every prop that names the instance class of an Aurora PostgreSQL
 * instance (the cluster's own, the drill's instance on a restored copy)
 * accepts the families Aurora PostgreSQL offers and refuses the rest by
 * name, never with an error from RDS at deploy. Sweeps one class of inputs.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { attempt } from './harness';
import { DrBackupVault, EncryptedAurora, PitrTable, ProtectedResource, RestoreDrill } from '../../src';
import { validateAuroraInstanceType } from '../../src/private/rds';
import { isolatedVpc } from '../util';

const ENV = { env: { account: '111111111111', region: 'us-east-1' } };

interface ClassProp {
  readonly name: string;
  readonly prop: string;
  readonly build: (stack: Stack, instanceType: ec2.InstanceType) => void;
  /** What the accepted class became in the template. */
  readonly applied: (template: any) => string[];
}

const resources = (template: any, type: string) => Object.values<any>(template.Resources).filter((r) => r.Type === type);

const PROPS: ClassProp[] = [
  {
    name: 'EncryptedAurora instanceType',
    prop: 'instanceType',
    build: (stack, instanceType) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), instanceType }),
    applied: (t) => resources(t, 'AWS::RDS::DBInstance').map((r) => r.Properties.DBInstanceClass),
  },
  {
    name: 'RestoreDrill drillInstanceType',
    prop: 'drillInstanceType',
    build: (stack, drillInstanceType) => {
      const vpc = isolatedVpc(stack);
      const db = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc });
      new RestoreDrill(stack, 'Drill', {
        environmentSuffix: 'dev',
        vpc,
        vault: new DrBackupVault(stack, 'Vault', { environmentSuffix: 'dev' }).vault,
        database: ProtectedResource.fromEncryptedAurora(db),
        drillInstanceType,
      });
    },
    applied: (t) => resources(t, 'AWS::Lambda::Function').map((r) => r.Properties.Environment?.Variables?.DRILL_INSTANCE_CLASS).filter(Boolean),
  },
];

// Aurora PostgreSQL's classes (Aurora User Guide, "Supported DB engines for DB instance classes"). Accepted ones are
// synthesized under strict validation, whose rule E3025 holds the classes RDS offers aurora-postgresql in us-east-1,
// so the accepted side is checked against AWS's own list, not only ours.
const OFFERED = [
  'r4.large', 'r5.large', 'r5.24xlarge', 'r6g.xlarge', 'r6gd.2xlarge', 'r6i.large', 'r6id.24xlarge', 'r7g.16xlarge', 'r7i.48xlarge',
  'r8g.large', 'r8gd.12xlarge', 'x2g.large', 'x2g.16xlarge', 't3.medium', 't3.large', 't4g.medium', 't4g.large',
];
const NOT_OFFERED = [
  't3.micro', 't3.small', 't4g.micro', 't4g.small', 't3.xlarge', 't4g.2xlarge', 't2.medium', 'm5.large', 'm6g.large', 'm7g.xlarge',
  'c6g.large', 'i3.large', 'r3.large', 'r6g.medium', 'r6g.metal', 'r7g.small', 'r6gd.large', 'r8gd.large', 'x1.16xlarge',
  'x2iedn.xlarge', 'z1d.large', 'r6g.large.extra',
];

describe.each(PROPS)('$name', ({ prop, build, applied }) => {
  test.each(OFFERED)('db.%s is accepted and applied as given', (name) => {
    const verdict = attempt((stack) => build(stack, new ec2.InstanceType(name)), ENV);
    expect(verdict.accepted).toBe(true);
    if (verdict.accepted) expect(applied(verdict.template)).toContain(`db.${name}`);
  });

  test.each(NOT_OFFERED)('db.%s is refused by name', (name) => {
    const verdict = attempt((stack) => build(stack, new ec2.InstanceType(name)), ENV);
    expect(verdict.accepted).toBe(false);
    expect(!verdict.accepted && verdict.message).toMatch(new RegExp(
      `^\`${prop}\` must be a DB instance class Aurora PostgreSQL offers: .*, got: db\\.${name.replace('.', '\\.')} \\(in `));
  });
});

describe('RestoreDrill props for restored Aurora copies without a database', () => {
  test.each([
    ['drillInstanceType', { drillInstanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }],
    ['databasePort', { databasePort: 5432 }],
  ])('%s is refused, not ignored', (prop, extra) => {
    const verdict = attempt((stack) => new RestoreDrill(stack, 'Drill', {
      environmentSuffix: 'dev',
      vpc: isolatedVpc(stack),
      vault: new DrBackupVault(stack, 'Vault', { environmentSuffix: 'dev' }).vault,
      table: ProtectedResource.fromPitrTable(new PitrTable(stack, 'Table', { environmentSuffix: 'dev' })),
      ...extra,
    }), ENV);
    expect(verdict.accepted).toBe(false);
    expect(!verdict.accepted && verdict.message).toMatch(new RegExp(`^\`${prop}\` applies only to a drilled Aurora cluster, and no \`database\` is given`));
  });
});

describe('a generation newer than the bundled validator knows', () => {
  // db.r9g came to Aurora on 12 November 2026 (Aurora User Guide, document history); the validator's list predates it,
  // so strict validation would refuse it. Our check must not: it is asked directly, without a synth.
  test.each(['r9g.large', 'r9g.48xlarge', 'r10g.xlarge'])('db.%s passes our check', (name) => {
    const stack = new Stack();
    expect(() => validateAuroraInstanceType(stack, 'instanceType', new ec2.InstanceType(name))).not.toThrow();
  });
});
