/**
 * Installs the packed library (the jsii build's npm tarball) into throwaway
 * consumer apps with their own aws-cdk-lib, one at the floor of the peer
 * range and one at the newest release, type-checks and compiles
 * the example app against the package's typings, synthesizes it with the
 * pinned aws-cdk CLI (strict schema validation on) and runs cdk-nag there.
 * Users meet the library this way; jsii and packaging mistakes show only here.
 *
 * Needs `npx projen compile && npx projen package:js` first (the `test:package`
 * task does both).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');
const ourPackage = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const distDir = path.join(root, 'dist/js');
/** The lowest aws-cdk-lib the peer range admits, and the newest release. */
const floorCdk = ourPackage.peerDependencies['aws-cdk-lib'].replace(/^\^/, '');
const cdkVersions: Array<[string, string]> = [['floor', floorCdk], ['newest', 'latest']];

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

describe.each(cdkVersions)('with aws-cdk-lib at the %s (%s)', (_label, cdkVersion) => {
  let consumer: string;

  beforeAll(() => {
    const tarballs = fs.existsSync(distDir) ? fs.readdirSync(distDir).filter((f) => f.endsWith('.tgz')) : [];
    if (tarballs.length !== 1) {
      throw new Error(`expected one tarball in ${distDir} (run: npx projen compile && npx projen package:js), found: ${tarballs.join(', ') || 'none'}`);
    }
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-dr-consumer-'));
    const example = fs.readFileSync(path.join(root, 'examples/reference/app.ts'), 'utf8')
      .replace("from '../../src'", "from 'cdk-dr-platform'");
    expect(example).toContain("from 'cdk-dr-platform'");
    fs.writeFileSync(path.join(consumer, 'app.ts'), example);
    // The reference workload's bundled handler, built by bundle:reference.
    fs.cpSync(path.join(root, 'examples/reference/dist'), path.join(consumer, 'dist'), { recursive: true });
    // The multi-region example, where it finds the same handler (../reference/dist).
    const multiRegion = fs.readFileSync(path.join(root, 'examples/multi-region/app.ts'), 'utf8')
      .replace("from '../../src'", "from 'cdk-dr-platform'");
    expect(multiRegion).toContain("from 'cdk-dr-platform'");
    fs.mkdirSync(path.join(consumer, 'multi-region'));
    fs.writeFileSync(path.join(consumer, 'multi-region', 'app.ts'), multiRegion);
    fs.cpSync(path.join(root, 'examples/reference/dist'), path.join(consumer, 'reference', 'dist'), { recursive: true });
    // Its stacks have concrete environments, for which the CLI looks up the
    // Availability Zones with AWS credentials; the answers a user's
    // cdk.context.json would hold let it synthesize offline.
    const zones = (region: string) => JSON.stringify(['a', 'b', 'c'].map((z) => `${region}${z}`));
    fs.writeFileSync(path.join(consumer, 'cdk.context.json'), JSON.stringify(Object.fromEntries(['us-east-1', 'us-west-2']
      .map((region) => [`availability-zones:account=111111111111:region=${region}`, JSON.parse(zones(region))]))));
    fs.writeFileSync(path.join(consumer, 'nag.ts'), [
      "import { App } from 'aws-cdk-lib';",
      "import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';",
      "import { addReferenceStack } from './app';",
      'const app = new App();',
      'const stack = addReferenceStack(app);',
      'const packs = [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks()];',
      'const findings = packs.flatMap((p) => p.validateScope(stack).violations.map((v) => v.ruleName));',
      'console.log(JSON.stringify(findings));',
    ].join('\n'));
    fs.writeFileSync(path.join(consumer, 'nag-multi-region.ts'), [
      "import { App } from 'aws-cdk-lib';",
      "import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';",
      "import { addMultiRegionReference } from './multi-region/app';",
      'const app = new App();',
      'const { platform } = addMultiRegionReference(app);',
      'const packs = [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks()];',
      'const stacks = [platform.secondaryFoundationStack, platform.primaryStack, platform.secondaryStack];',
      'const findings = stacks.flatMap((s) => packs.flatMap((p) => p.validateScope(s).violations.map((v) => `${s.stackName}: ${v.ruleName}`)));',
      'console.log(JSON.stringify(findings));',
    ].join('\n'));
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: ['node'] },
      files: ['app.ts', 'nag.ts', 'multi-region/app.ts', 'nag-multi-region.ts'],
    }));
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({
      name: 'consumer',
      private: true,
      version: '1.0.0',
      dependencies: {
        'cdk-dr-platform': `file:${path.join(distDir, tarballs[0])}`,
        'aws-cdk-lib': cdkVersion,
        'constructs': ourPackage.peerDependencies.constructs,
        'cdk-nag': ourPackage.devDependencies['cdk-nag'],
        '@types/node': ourPackage.devDependencies['@types/node'],
      },
    }, null, 2));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], consumer);
    // Type-checks the example against the published typings (strict, no skipLibCheck) and compiles it.
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
  }, 10 * 60 * 1000);

  afterAll(() => {
    if (consumer && !process.env.KEEP_CONSUMER) {
      fs.rmSync(consumer, { recursive: true, force: true });
    }
  });

  test('the package contains the compiled library and its typings, not sources, tests or dev tooling', () => {
    const files = run('tar', ['tzf', path.join(distDir, fs.readdirSync(distDir).find((f) => f.endsWith('.tgz'))!)], root).split('\n');
    expect(files).toEqual(expect.arrayContaining([
      'package/lib/index.js', 'package/lib/index.d.ts', 'package/.jsii', 'package/README.md',
      // The pre-bundled handler: consumers need neither esbuild nor Docker.
      'package/assets/dr-backup-vault/drain-vault.lambda/index.js',
    ]));
    expect(files.filter((f) => /^package\/(src|test|examples|scripts|docs|coverage|\.ci|\.bindings|\.projen|cdk\.out)\//.test(f))).toEqual([]);
    // Minified: the unminified bundle was 1.27 MB, half of the package.
    const bundle = fs.statSync(path.join(root, 'assets/dr-backup-vault/drain-vault.lambda/index.js')).size;
    expect(bundle).toBeLessThan(600 * 1024);
  });

  test('the consumer installs its own aws-cdk-lib, and the library resolves it as a peer', () => {
    const lib = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules/aws-cdk-lib/package.json'), 'utf8'));
    if (cdkVersion !== 'latest') {
      expect(lib.version).toBe(cdkVersion);
    }
    const installed = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules/cdk-dr-platform/package.json'), 'utf8'));
    expect(installed.peerDependencies['aws-cdk-lib']).toBeDefined();
    expect(fs.existsSync(path.join(consumer, 'node_modules/cdk-dr-platform/node_modules/aws-cdk-lib'))).toBe(false);
  });

  test('the example, type-checked against the published typings, synthesizes with the pinned CLI, strict schema validation on', () => {
    expect(fs.existsSync(path.join(consumer, 'app.js'))).toBe(true);
    const cdk = path.join(root, 'node_modules/aws-cdk/bin/cdk');
    run(process.execPath, [cdk, 'synth', '--app', 'node app.js', '--output', 'cdk.out', '--quiet',
      '--context', '@aws-cdk/core:validateAgainstDefaultRules=true',
      '--context', '@aws-cdk/core:strictCfnValidateErrors=true'], consumer, { CDK_DISABLE_VERSION_CHECK: '1' });
    const template = JSON.parse(fs.readFileSync(path.join(consumer, 'cdk.out/DrReference-dev.template.json'), 'utf8'));
    const types = Object.values<any>(template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining([
      'AWS::RDS::DBCluster', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Backup::BackupPlan', 'AWS::Lambda::Function',
    ]));
    const table = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table');
    expect(table.Properties.TableName).toBe('dr-table-dev');
  }, 5 * 60 * 1000);

  test('with DESTROY, the consumer stages the pre-bundled vault drain handler from the package', () => {
    const cdk = path.join(root, 'node_modules/aws-cdk/bin/cdk');
    run(process.execPath, [cdk, 'synth', '--app', 'node app.js', '--output', 'cdk.destroy.out', '--quiet', '--context', 'destroy=true'],
      consumer, { CDK_DISABLE_VERSION_CHECK: '1' });
    const template = JSON.parse(fs.readFileSync(path.join(consumer, 'cdk.destroy.out/DrReference-dev.template.json'), 'utf8'));
    const drain = Object.values<any>(template.Resources).find((r) => r.Type === 'Custom::DrBackupVaultDrain');
    expect(drain).toBeDefined();
    const fn = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && /^Empties the DR backup vault/.test(r.Properties.Description));
    const assetPath = fn.Metadata['aws:asset:path'];
    const bundle = fs.readFileSync(path.join(consumer, 'cdk.destroy.out', assetPath, 'index.js'), 'utf8');
    expect(bundle).toContain('ListRecoveryPointsByBackupVault');
    // The AWS SDK is inside the bundle, not expected from the runtime.
    expect(bundle).not.toMatch(/require\(["']@aws-sdk\/client-backup["']\)/);
  }, 5 * 60 * 1000);

  test('every function, the library\'s and the example\'s, runs on the newest Node.js runtime this aws-cdk-lib declares', () => {
    // What cdk-nag's AwsSolutions-L1 compares against, read from the consumer's own aws-cdk-lib.
    const newest = run(process.execPath, ['-e', [
      "const { Runtime } = require('aws-cdk-lib/aws-lambda');",
      'const majors = Object.keys(Runtime).map((k) => /^NODEJS_(\\d+)_X$/.exec(k)).filter(Boolean).map((m) => Number(m[1]));',
      'console.log(`nodejs${Math.max(...majors)}.x`);',
    ].join('\n')], consumer).trim();
    expect(newest).toMatch(/^nodejs\d+\.x$/);
    // aws-cdk-lib's own custom-resource providers (S3 auto-delete with DESTROY)
    // pick their runtime themselves; they are plain CfnResources, which
    // AwsSolutions-L1 does not check.
    const runtimes = (file: string) => Object.entries<any>(JSON.parse(fs.readFileSync(path.join(consumer, file), 'utf8')).Resources)
      .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !/CustomResourceProviderHandler/.test(id)).map(([, r]) => r.Properties.Runtime);
    const all = [...runtimes('cdk.out/DrReference-dev.template.json'), ...runtimes('cdk.destroy.out/DrReference-dev.template.json')];
    // The transaction function, the monitor, the drills' validator and smoke query, and (with DESTROY) the vault drain.
    expect(all.length).toBeGreaterThanOrEqual(9);
    expect(new Set(all)).toEqual(new Set([newest]));
  });

  test('cdk-nag 3, installed in the consumer, reports zero unacknowledged findings', () => {
    const out = run(process.execPath, ['nag.js'], consumer);
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual([]);
  }, 5 * 60 * 1000);

  test('the multi-region example synthesizes its three stacks with the pinned CLI, strict schema validation on', () => {
    const cdk = path.join(root, 'node_modules/aws-cdk/bin/cdk');
    run(process.execPath, [cdk, 'synth', '--app', 'node multi-region/app.js', '--output', 'cdk.mr.out', '--quiet',
      '--context', '@aws-cdk/core:validateAgainstDefaultRules=true',
      '--context', '@aws-cdk/core:strictCfnValidateErrors=true'], consumer, { CDK_DISABLE_VERSION_CHECK: '1' });
    const manifest = JSON.parse(fs.readFileSync(path.join(consumer, 'cdk.mr.out/manifest.json'), 'utf8'));
    const stacks = Object.values<any>(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
    expect(stacks.map((a) => [a.properties.stackName, a.environment]).sort()).toEqual([
      ['DrMultiRegion-dev-primary', 'aws://111111111111/us-east-1'],
      ['DrMultiRegion-dev-secondary', 'aws://111111111111/us-west-2'],
      ['DrMultiRegion-dev-secondary-foundation', 'aws://111111111111/us-west-2'],
    ]);
    const template = (name: string) => JSON.parse(fs.readFileSync(
      path.join(consumer, 'cdk.mr.out', stacks.find((a) => a.properties.stackName === name).properties.templateFile), 'utf8'));
    const types = (name: string) => Object.values<any>(template(name).Resources).map((r) => r.Type);
    expect(types('DrMultiRegion-dev-primary')).toEqual(expect.arrayContaining(['AWS::RDS::GlobalCluster', 'AWS::DynamoDB::GlobalTable', 'AWS::Lambda::Function']));
    expect(types('DrMultiRegion-dev-secondary')).toEqual(expect.arrayContaining(['AWS::RDS::DBCluster', 'AWS::Lambda::Function']));
    expect(types('DrMultiRegion-dev-secondary-foundation')).toEqual(expect.arrayContaining(['AWS::Backup::BackupVault', 'AWS::S3::Bucket']));
  }, 5 * 60 * 1000);

  test('cdk-nag 3, installed in the consumer, reports zero findings on the multi-region example', () => {
    const out = run(process.execPath, ['nag-multi-region.js'], consumer);
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual([]);
  }, 5 * 60 * 1000);

  test('a bad prop fails the consumer\'s synth with the library\'s message', () => {
    fs.writeFileSync(path.join(consumer, 'bad.js'), [
      "const { App, Stack } = require('aws-cdk-lib');",
      "const { PitrTable } = require('cdk-dr-platform');",
      "new PitrTable(new Stack(new App(), 'S'), 'T', { environmentSuffix: 'Prod_1' });",
    ].join('\n'));
    expect(() => run(process.execPath, ['bad.js'], consumer)).toThrow(/`environmentSuffix` must match .*got: "Prod_1"/);
  });
});
