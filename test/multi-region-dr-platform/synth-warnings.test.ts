import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { CONFIGURATIONS } from '../../scripts/reference-configurations';

// Every multi-region synth used to warn twice: aws-cdk-lib's "no
// cross-stack-reference strength configured" for the secondary stack's
// references to its foundation, and CloudFormation validate W3010 (literal
// Availability Zones) for the secondary's Aurora instances.
describe.each(['multi-region', 'multi-every-option'])('the %s reference synthesizes', (name) => {
  const [configure, context] = CONFIGURATIONS[name];
  const app = new App({
    context: {
      'environmentSuffix': 'ci',
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      ...context,
    },
  });
  configure(app);
  const assembly = app.synth();
  afterAll(() => fs.rmSync(assembly.directory, { recursive: true, force: true }));
  const warnings = assembly.stacks.flatMap((s) => s.messages.filter((m) => m.level === 'warning').map((m) => `${m.id} ${String(m.entry.data)}`));
  const report = fs.readFileSync(`${assembly.directory}/validation-report.json`, 'utf8');

  test('without a cross-stack-reference strength warning', () => {
    expect(warnings.filter((w) => /cross-stack-reference strength|crossStackReferencesDefaultStrong/.test(w))).toEqual([]);
  });

  // The CloudFormation validate plugin does not report W3010 offline, so this
  // proves only that nothing else says it; the acknowledgement is proved below.
  test('without a hard-coded Availability Zone warning', () => {
    expect(warnings.filter((w) => /W3010|hardcod|availability zone/i.test(w))).toEqual([]);
    expect(report).not.toMatch(/"ruleName":\s*"W3010"/);
  });

  test('the secondary\'s instances acknowledge W3010 with the reason', () => {
    const instances = app.node.findAll()
      .filter((c): c is rds.CfnDBInstance => c instanceof rds.CfnDBInstance && Stack.of(c).stackName.endsWith('-secondary'));
    expect(instances.length).toBeGreaterThan(0);
    for (const instance of instances) {
      const acks = instance.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data);
      expect(acks).toContainEqual({ 'CloudFormation-Validate::W3010': expect.stringMatching(/pinned to a different Availability Zone/) });
    }
  });
});

test.each(['weak', 'both', 'strong'])('an app that chose %s for the references keeps its choice in every platform stack', (strength) => {
  const app = new App({ context: { 'environmentSuffix': 'ci', '@aws-cdk/core:defaultCrossStackReferences': strength } });
  CONFIGURATIONS['multi-region'][0](app);
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  expect(stacks.length).toBeGreaterThan(0);
  expect(stacks.map((s) => s.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences'))).toEqual(stacks.map(() => strength));
});
