/**
 * The README's Use section, followed as written by a platform engineer:
 * an empty folder, `cdk init` with the pinned CLI, the package installed
 * (our tarball in place of the registry's), the snippet pasted into
 * bin/payments.ts, the Availability Zones in cdk.context.json and
 * `cdk synth`, with no AWS credentials anywhere in the environment.
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
const blocks = (lang: string) => [...use.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

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
