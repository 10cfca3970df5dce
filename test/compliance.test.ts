import * as fs from 'fs';
import * as path from 'path';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CONFIGURATIONS, synthesizeConfiguration } from '../scripts/reference-configurations';
import { DrAlarms, EncryptedAurora, HourlyBackup, PitrTable, ProtectedResource, VersionedBucket } from '../src';
import { acknowledgeNotInBackupPlan, complianceTest, isolatedVpc, nagFindings, synth, testStack } from './util';

/** Each data construct alone, as a consumer would add it. */
const builders: Record<string, (stack: Stack, removalPolicy?: RemovalPolicy) => IConstruct> = {
  EncryptedAurora: (stack, removalPolicy) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), removalPolicy }),
  PitrTable: (stack, removalPolicy) => new PitrTable(stack, 'Table', { environmentSuffix: 'dev', removalPolicy }),
  VersionedBucket: (stack, removalPolicy) => new VersionedBucket(stack, 'Data', { environmentSuffix: 'dev', removalPolicy }),
};
const cases = Object.keys(builders).flatMap((name) => [
  [name, 'RETAIN (default)', undefined],
  [name, 'DESTROY', RemovalPolicy.DESTROY],
] as const);

describe('cdk-nag: AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1', () => {
  test.each(cases)('%s with %s has zero unacknowledged findings', (name, _label, removalPolicy) => {
    const stack = testStack();
    const construct = builders[name](stack, removalPolicy);
    acknowledgeNotInBackupPlan(stack);
    expect(nagFindings(stack, construct)).toEqual([]);
  });

  test('the checks are live: an unencrypted bucket is reported', () => {
    const stack = testStack();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const s3 = require('aws-cdk-lib/aws-s3');
    new s3.Bucket(stack, 'Plain');
    expect(nagFindings(stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-S1 @ TestStack\/Plain/)]));
  });

  test('only the backup-plan findings are left to HourlyBackup', () => {
    const stack = testStack();
    const db = builders.EncryptedAurora(stack);
    const table = builders.PitrTable(stack);
    const rules = new Set([...nagFindings(stack, db), ...nagFindings(stack, table)].map((f) => f.split(' @ ')[0]));
    expect([...rules].sort()).toEqual([
      'HIPAA.Security-DynamoDBInBackupPlan',
      'HIPAA.Security-RDSInBackupPlan',
      'NIST.800.53.R5-DynamoDBInBackupPlan',
      'NIST.800.53.R5-RDSInBackupPlan',
    ]);
  });
});

/** The data layer under HourlyBackup: the backup-plan findings must be answered, not acknowledged. */
function protectedDataLayer(stack: Stack, removalPolicy?: RemovalPolicy): IConstruct {
  const db = builders.EncryptedAurora(stack, removalPolicy) as EncryptedAurora;
  const table = builders.PitrTable(stack, removalPolicy) as PitrTable;
  const bucket = builders.VersionedBucket(stack, removalPolicy) as VersionedBucket;
  const backup = new HourlyBackup(stack, 'Backup', {
    environmentSuffix: 'dev',
    removalPolicy,
    resources: [ProtectedResource.fromEncryptedAurora(db), ProtectedResource.fromPitrTable(table), ProtectedResource.fromVersionedBucket(bucket)],
  });
  return new DrAlarms(stack, 'Alarms', {
    environmentSuffix: 'dev',
    removalPolicy,
    alarmEmails: ['oncall@example.com'],
    backup,
    database: db.cluster,
    table: table.table,
  });
}

describe('HourlyBackup and DrAlarms over the data layer', () => {
  test.each([['RETAIN (default)', undefined], ['DESTROY', RemovalPolicy.DESTROY]] as const)(
    'with %s: zero unacknowledged findings in the whole stack but the test VPC, with no backup-plan acknowledgement', (_label, removalPolicy) => {
      const stack = testStack();
      protectedDataLayer(stack, removalPolicy);
      const findings = nagFindings(stack).filter((f) => !f.includes(' @ TestStack/Vpc/'));
      expect(findings).toEqual([]);
    });

  complianceTest.each([['RETAIN (default)', undefined], ['DESTROY', RemovalPolicy.DESTROY]] as const)(
    'with %s: strict schema validation passes', (_label, removalPolicy) => {
      const stack = testStack({ validate: true });
      protectedDataLayer(stack, removalPolicy);
      expect(() => synth(stack)).not.toThrow();
    });
});

describe('CloudFormation schema validation (strict: warnings fail too)', () => {
  complianceTest.each(cases)('%s with %s synthesizes with zero findings', (name, _label, removalPolicy) => {
    const stack = testStack({ validate: true });
    builders[name](stack, removalPolicy);
    expect(() => synth(stack)).not.toThrow();
  });

  // The reference apps themselves are validated strictly by examples.test.ts.
  complianceTest.each(Object.keys(CONFIGURATIONS).filter((name) => name.includes('every-option')))(
    'the reference configuration %s synthesizes with zero findings', (name) => {
      const assembly = synthesizeConfiguration(name, { validate: true });
      try {
      // The validator ran (it writes its report) and reported nothing.
        const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
        expect(report.pluginReports.flatMap((r: any) => r.violations ?? [])).toEqual([]);
      } finally {
        fs.rmSync(assembly.directory, { recursive: true, force: true });
      }
    });

  complianceTest('the validator is live: an invalid property fails synthesis', () => {
    const stack = testStack({ validate: true });
    const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev' });
    (table.table.node.defaultChild as any).addPropertyOverride('BillingMode', 'NOT_A_MODE');
    expect(() => synth(stack)).toThrow(/BillingMode: 'NOT_A_MODE' is not one of/);
  });
});
