// The README's main command (npx projen demo): synthesizes the reference app
// (then the multi-region reference, summarized per region)
// with aws-cdk-lib's strict CloudFormation schema validation on, runs the
// four cdk-nag packs over it and prints the stack, its resources by type,
// each protected resource with its effective RPO, and the findings. The
// cloud assembly stays in cdk.out/demo, so the template it names exists
// after the command returns.
import * as fs from 'fs';
import * as path from 'path';
import { App, Token } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { STRICT_VALIDATION_CONTEXT } from './strict-validation';
import { addMultiRegionReference } from '../examples/multi-region/app';
import { addReferenceStack } from '../examples/reference/app';

/** Where the demo's cloud assembly goes: a stable folder, replaced on each run. */
const OUTDIR = path.join(__dirname, '..', 'cdk.out', 'demo');

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function main(): void {
  progress('Synthesizing the reference app with strict CloudFormation schema validation...');
  fs.rmSync(OUTDIR, { recursive: true, force: true });
  const app = new App({
    outdir: OUTDIR,
    context: STRICT_VALIDATION_CONTEXT,
  });
  const stack = addReferenceStack(app);
  // Throws, with the validator's report, on any schema finding.
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  const resources = Object.values<any>(template.Resources ?? {});
  const platform = stack.platform;

  const counts = new Map<string, number>();
  for (const resource of resources) {
    counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  }
  const lines: string[] = [];
  const templateFile = path.relative(process.cwd(), path.join(assembly.directory, assembly.getStackByName(stack.stackName).templateFile));
  lines.push(`Stack ${stack.stackName}: ${resources.length} resources (template: ${templateFile})`);
  lines.push(`Recovery objectives: RPO ${platform.backup.rpo.toHumanString()}, RTO ${platform.rto.toHumanString()}`);
  const azs = platform.vpc.availabilityZones;
  lines.push(azs.some((az) => Token.isUnresolved(az))
    ? `Availability Zones: ${azs.length}, picked at deploy time (the stack has no account and region; with them, the VPC spans 3)`
    : `Availability Zones: ${azs.length} (${azs.join(', ')})`);
  lines.push('');
  lines.push('Resources by type:');
  for (const [type, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`  ${String(n).padStart(3)}  ${type}`);
  }
  lines.push('');
  lines.push('Protected resources (HourlyBackup coverage):');
  for (const c of platform.backup.coverage) {
    lines.push(`  ${c.resourceType.padEnd(8)} ${c.name}`);
    lines.push(c.effectiveRpo
      ? `           effective RPO ${c.effectiveRpo.toHumanString()}, through ${c.mechanism}`
      : `           holds no data to lose, ${c.mechanism}`);
  }
  const dashboard = resources.find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  lines.push(`Alarms: ${platform.alarms.alarms.length} on one topic; dashboard ${dashboard.Properties.DashboardName}`);
  lines.push('');

  progress('Running cdk-nag (AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1)...');
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

/**
 * The multi-region reference (examples/multi-region): its stacks in deploy
 * order with their regions, resources by type per region, each resource's
 * worst-case loss if the primary region is lost, and the nag result of
 * every stack.
 */
function multiRegion(): void {
  progress('\nSynthesizing the multi-region reference app with strict CloudFormation schema validation...');
  const outdir = `${OUTDIR}-multi-region`;
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({
    outdir,
    context: STRICT_VALIDATION_CONTEXT,
  });
  const { platform } = addMultiRegionReference(app);
  const assembly = app.synth();
  const stacks = [platform.secondaryFoundationStack, platform.primaryStack, platform.secondaryStack];
  const lines: string[] = ['', `Multi-region: regionRpo ${platform.regionRpo.toHumanString()}; stacks in deploy order:`];
  const byRegion = new Map<string, Map<string, number>>();
  for (const stack of stacks) {
    const resources = Object.values<any>(assembly.getStackByName(stack.stackName).template.Resources ?? {});
    lines.push(`  ${stack.stackName} (${stack.region}): ${resources.length} resources`);
    const counts = byRegion.get(stack.region) ?? new Map<string, number>();
    for (const r of resources) counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
    byRegion.set(stack.region, counts);
  }
  for (const [region, counts] of byRegion) {
    lines.push('', `Resources by type in ${region}:`);
    for (const [type, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
      lines.push(`  ${String(n).padStart(3)}  ${type}`);
    }
  }
  lines.push('', `If ${platform.primaryRegion} is lost (worst-case data loss per resource):`);
  for (const c of platform.regionLossCoverage) {
    const loss = c.unknownReason ? `unknown (${c.unknownReason})` : c.worstCaseDataLoss ? c.worstCaseDataLoss.toHumanString() : 'no data to lose';
    lines.push(`  ${c.resourceType.padEnd(16)} ${c.name}: ${loss}${c.heldToRegionRpo ? ', held to regionRpo' : ''}`);
  }
  progress('Running cdk-nag on every stack of the multi-region app...');
  const packs = [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks()];
  lines.push('', 'cdk-nag (unacknowledged findings):');
  let total = 0;
  for (const stack of stacks) {
    const findings = packs.flatMap((pack) => pack.validateScope(stack).violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath ?? r.resourceLogicalId}`)));
    total += findings.length;
    lines.push(`  ${stack.stackName.padEnd(40)} ${findings.length}`);
    findings.forEach((f) => lines.push(`      ${f}`));
  }
  lines.push('CloudFormation schema validation (strict): 0 findings');
  console.log(lines.join('\n'));
  if (total > 0) {
    process.exitCode = 1;
  }
}

main();
multiRegion();
