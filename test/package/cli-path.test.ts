/**
 * The README's Use section, followed as written by a platform engineer:
 * an empty folder, `cdk init` with the pinned CLI, the package installed
 * (our tarball in place of the registry's), the snippet pasted into
 * bin/payments.ts, the Availability Zones in cdk.context.json and
 * `cdk synth`, with no AWS credentials anywhere in the environment. Then
 * the "Use across two regions" quick start in the same project, as its
 * section says: its snippet replaces bin/payments.ts, its context file
 * replaces cdk.context.json, and `cdk synth` makes the three stacks.
 *
 * Needs `npx projen compile && npx projen package:js` first (the
 * `test:package` task does both).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');
const distDir = path.join(root, 'dist/js');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const use = readme.slice(readme.indexOf('## Use\n'), readme.indexOf('Or the pieces on their own:'));
const twoRegions = readme.slice(readme.indexOf('## Use across two regions\n'), readme.indexOf('## RPO and RTO by failure'));
/** A section's code blocks of one language; the info string may carry more after the language (jsii-rosetta's `fixture=`). */
const blocksOf = (section: string, lang: string) => [...section.matchAll(new RegExp('```' + lang + '(?:[ \\t][^\\n]*)?\\n([\\s\\S]*?)```', 'g'))]
  .map((m) => m[1]);
const blocks = (lang: string) => blocksOf(use, lang);

/** The environment with every AWS credential and profile setting removed, and no instance metadata to fall back on. */
function withoutCredentials(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')));
  return {
    ...env,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: '1',
    CI: 'true',
  };
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd, env: { ...withoutCredentials(), ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e: any) {
    throw new Error(`${script}\nfailed:\n${e.stdout}\n${e.stderr}`);
  }
}

let work: string;
let app: string;

beforeAll(() => {
  const tarball = fs.readdirSync(distDir).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-dr-cli-path-'));
  app = path.join(work, 'payments');
}, 60_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** The package build in the clone, the app's set-up, and the synth. */
const [buildBlock, setupBlock, synthBlock] = blocks('bash');

test('the Use section has the package build, the set-up commands, the snippet, the context file and the synth', () => {
  expect(blocks('bash')).toHaveLength(3);
  expect(blocks('ts')).toHaveLength(1);
  expect(blocks('json')).toHaveLength(1);
  expect(setupBlock).toMatch(/npx -y aws-cdk@\d+\.\d+\.\d+ init app --language typescript/);
  // The pinned CLI is the one the project itself tests with.
  const ourPackage = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  expect(setupBlock).toContain(`aws-cdk@${ourPackage.devDependencies['aws-cdk']} `);
  // The package comes from the tarball the build block makes, until the first release.
  expect(setupBlock).toContain('npm install "$CDK_DR_PLATFORM"');
});

test('the build block makes the tarball test:package installs: the tasks it runs, and the path it exports', () => {
  // test:package has just run these tasks here (bundle, compile, package:js), so
  // the block's export line is run as written in the repository root.
  expect(buildBlock.split('\n')[0]).toBe(
    'scripts/node24 npm ci && scripts/node24 npx projen bundle && scripts/node24 npx projen compile && scripts/node24 npx projen package:js');
  const exported = bash(`${buildBlock.split('\n')[1]}\necho "$CDK_DR_PLATFORM"`, root).trim();
  const tarball = path.join(distDir, fs.readdirSync(distDir).find((f) => f.endsWith('.tgz'))!);
  expect(exported).toBe(tarball);
});

test('from an empty folder, the README path synthesizes with the CLI and no AWS credentials', () => {
  const tarball = path.join(distDir, fs.readdirSync(distDir).find((f) => f.endsWith('.tgz'))!);
  // Run as written, with the path the build block exports.
  bash(setupBlock, work, { CDK_DR_PLATFORM: tarball });
  const installed = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')).dependencies['cdk-dr-platform'];
  // npm records the tarball it installed, by path.
  expect(installed).toMatch(new RegExp(`^file:.*${path.basename(tarball).replace(/[.@]/g, '\\$&')}$`));
  expect(fs.existsSync(path.join(app, 'cdk.json'))).toBe(true);

  const main = JSON.parse(fs.readFileSync(path.join(app, 'cdk.json'), 'utf8')).app as string;
  expect(main).toContain('bin/payments.ts');
  fs.writeFileSync(path.join(app, 'bin/payments.ts'), blocks('ts')[0]);
  fs.writeFileSync(path.join(app, 'cdk.context.json'), blocks('json')[0]);

  bash(synthBlock, app);
  const template = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out/Payments.template.json'), 'utf8'));
  const resources = Object.values<any>(template.Resources);
  expect(resources.map((r) => r.Type)).toEqual(expect.arrayContaining([
    'AWS::RDS::DBCluster', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Backup::BackupPlan', 'AWS::Lambda::Function',
  ]));
  // The VPC spans the three AZs the context file names, not dummy ones.
  const azs = resources.filter((r) => r.Type === 'AWS::EC2::Subnet').map((r) => r.Properties.AvailabilityZone);
  expect([...new Set(azs)].sort()).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  // The lookup was answered by the context file: the CLI added nothing to it.
  expect(JSON.parse(fs.readFileSync(path.join(app, 'cdk.context.json'), 'utf8'))).toEqual(JSON.parse(blocks('json')[0]));
}, 15 * 60 * 1000);

test('without the context file, the same app fails for want of credentials: the file is what makes it work', () => {
  fs.rmSync(path.join(app, 'cdk.context.json'));
  expect(() => bash('npx cdk synth', app)).toThrow(/credentials|account/i);
}, 5 * 60 * 1000);

test('the two-region quick start, in the same project, synthesizes its three stacks with its own context file and no credentials', () => {
  const [snippet] = blocksOf(twoRegions, 'ts');
  const [context] = blocksOf(twoRegions, 'json');
  const [synth] = blocksOf(twoRegions, 'bash');
  expect([snippet, context, synth].every((b) => b !== undefined)).toBe(true);
  fs.writeFileSync(path.join(app, 'bin/payments.ts'), snippet);
  fs.writeFileSync(path.join(app, 'cdk.context.json'), context);
  // The function's code from the Use section is still in dist/processor.
  expect(fs.existsSync(path.join(app, 'dist/processor/index.js'))).toBe(true);
  bash(synth, app);
  // The stacks by name, through the assembly's manifest (artifact ids are not the stack names).
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out/manifest.json'), 'utf8'));
  const templates: Record<string, string> = Object.fromEntries(Object.values<any>(manifest.artifacts)
    .filter((a) => a.type === 'aws:cloudformation:stack')
    .map((a) => [a.properties?.stackName, a.properties?.templateFile]));
  expect(Object.keys(templates).sort()).toEqual(['PaymentsDr-prod-primary', 'PaymentsDr-prod-secondary', 'PaymentsDr-prod-secondary-foundation']);
  const template = (name: string) => Object.values<any>(JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', templates[name]), 'utf8')).Resources);
  const primary = template('PaymentsDr-prod-primary');
  const secondary = template('PaymentsDr-prod-secondary');
  expect(primary.map((r) => r.Type)).toEqual(expect.arrayContaining(['AWS::RDS::GlobalCluster', 'AWS::RDS::DBCluster', 'AWS::DynamoDB::GlobalTable']));
  expect(secondary.map((r) => r.Type)).toEqual(expect.arrayContaining(['AWS::RDS::DBCluster', 'AWS::ARCRegionSwitch::Plan']));
  // Each region's VPC spans the three AZs its context entry names.
  const azs = (resources: any[]) => [...new Set(resources.filter((r) => r.Type === 'AWS::EC2::Subnet').map((r) => r.Properties.AvailabilityZone))].sort();
  expect(azs(primary)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
  expect(azs(template('PaymentsDr-prod-secondary-foundation'))).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c']);
  // Both lookups were answered by the file: the CLI added nothing to it.
  expect(JSON.parse(fs.readFileSync(path.join(app, 'cdk.context.json'), 'utf8'))).toEqual(JSON.parse(context));
}, 10 * 60 * 1000);
