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
  lines.push(`Protected resources (HourlyBackup, RPO ${stack.backup.rpo.toHumanString()}):`);
  for (const c of stack.backup.coverage) {
    const rpo = c.effectiveRpo ? `effective RPO ${c.effectiveRpo.toHumanString()}` : 'no data to lose';
    lines.push(`  ${c.resourceType.padEnd(8)} ${c.name}: ${rpo}; ${c.mechanism}`);
  }
  const dashboard = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  lines.push(`Alarms: ${stack.alarms.alarms.length} on one topic; dashboard ${dashboard.Properties.DashboardName}`);
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

main();
