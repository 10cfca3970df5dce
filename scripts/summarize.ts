// The README's main command: synthesizes the example app with aws-cdk-lib's
// strict CloudFormation schema validation on, runs the four cdk-nag packs and
// prints what the stack creates and how each piece of data is recovered.
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { addDataLayer } from '../examples/data-layer/app';

function main(): void {
  const app = new App({
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      '@aws-cdk/core:strictCfnValidateErrors': true,
    },
  });
  const stack = addDataLayer(app);
  // Throws, with the validator's report, on any schema finding.
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;

  const counts = new Map<string, number>();
  for (const resource of Object.values<any>(template.Resources ?? {})) {
    counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  }

  const lines: string[] = [];
  lines.push(`Stack ${stack.stackName}: ${Object.keys(template.Resources).length} resources, written to ${assembly.directory}`);
  lines.push('');
  lines.push('Resources by type:');
  for (const [type, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`  ${String(n).padStart(3)}  ${type}`);
  }
  lines.push('');
  lines.push('Data and how it is recovered:');
  const props = (type: string) => Object.values<any>(template.Resources).filter((r) => r.Type === type).map((r) => r.Properties);
  const [cluster] = props('AWS::RDS::DBCluster');
  const [table] = props('AWS::DynamoDB::Table');
  const instances = props('AWS::RDS::DBInstance');
  lines.push(`  Aurora PostgreSQL ${cluster.EngineVersion} ${cluster.DBClusterIdentifier}: automated backups kept ${cluster.BackupRetentionPeriod} days, `
    + `point-in-time restore to about 5 minutes ago; ${instances.length} instances in ${new Set(instances.map((i) => JSON.stringify(i.AvailabilityZone))).size} AZs`);
  lines.push(`  DynamoDB ${table.TableName}: point-in-time recovery ${table.PointInTimeRecoverySpecification.RecoveryPeriodInDays} days back, `
    + `deletion protection ${table.DeletionProtectionEnabled ? 'on' : 'off'}`);
  const [bucket] = props('AWS::S3::Bucket').filter((b) => b.VersioningConfiguration && b.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm === 'aws:kms');
  lines.push(`  S3 bucket ${render(bucket.BucketName)}: versioned, SSE-KMS, `
    + `noncurrent versions kept ${bucket.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration.NoncurrentDays} days`);
  lines.push('  (HourlyBackup adds hourly AWS Backup recovery points: RPO 1 hour.)');
  lines.push('');

  const packs = [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks()];
  let total = 0;
  lines.push('cdk-nag (unacknowledged findings):');
  for (const pack of packs) {
    const report = pack.validateScope(stack);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath ?? r.resourceLogicalId}`));
    total += findings.length;
    lines.push(`  ${pack.readPackName.padEnd(16)} ${findings.length}`);
    findings.forEach((f) => lines.push(`      ${f}`));
  }
  lines.push('CloudFormation schema validation (strict): 0 findings');
  console.log(lines.join('\n'));
  if (total > 0) {
    process.exitCode = 1;
  }
}

/** A template value as text: `Fn::Join` of literals and `Ref`s becomes `dr-data-${AWS::AccountId}-...`. */
function render(value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value?.Ref) {
    return `\${${value.Ref}}`;
  }
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map(render).join(separator);
  }
  return JSON.stringify(value);
}

main();
