import { awscdk, javascript } from 'projen';

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

  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  tsconfigDevFile: 'tsconfig.dev.json',

  // jsii bindings. They cannot be packaged on this machine (no PyPI, Maven,
  // NuGet or Go proxy): `test:bindings` generates their code with
  // `jsii-pacmak --code-only`; the release workflow does the real packaging.
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
    // The reference workload and its tests against local servers.
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-secrets-manager',
    'pg',
    '@types/pg',
    'dynalite',
    's3rver',
  ],

  // Handlers (*.lambda.ts) are bundled by esbuild at build time, with the AWS
  // SDK inside the bundle, so a consumer's synth needs neither esbuild nor Docker.
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    // pg's optional native binding is not installed and never used: pg falls back to JavaScript.
    bundlingOptions: { externals: ['pg-native'], sourcemap: false },
  },

  docgen: true,
  eslint: true,
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts', 'projenrc', '.projenrc.ts'],
    // One project for every file: tests, examples and scripts live in tsconfig.dev.json.
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
  },
  github: true,
  release: true,
  gitignore: ['/.consumer-test/', '/.bindings/', '/cdk.out/', '*.cdk.out/', '/test/.readme-*/', '/examples/reference/dist/'],
  jestOptions: {
    // jest 30 and eslint-import-resolver-typescript 4 depend on unrs-resolver,
    // whose platform binaries this machine's npm registry does not all serve:
    // the lock file then cannot satisfy `npm ci`. These versions resolve in JS.
    jestVersion: '^29',
    jestConfig: {
      // Package and integration tests have their own tasks (test:package, test:integration).
      testPathIgnorePatterns: ['/node_modules/', '/test/package/', '/test/reference/'],
    },
  },
});

// Only the listed folders: not everything under the root (node_modules, cdk.out, ...).
project.tsconfigDev.file.addOverride('include', ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts']);

// The README main command: synthesize the reference app and summarize it.
// See jestVersion above: the 3.6 resolver uses enhanced-resolve, not unrs-resolver.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3');

// The reference workload's handler, bundled like any Lambda asset (pg's optional native binding left out).
const bundleReference = project.addTask('bundle:reference', {
  description: 'Bundle the reference transaction handler into examples/reference/dist/transaction',
  exec: 'esbuild examples/reference/transaction/handler.ts --bundle --platform=node --target=node24 --external:pg-native '
    + '--outfile=examples/reference/dist/transaction/index.js --log-level=warning',
});

// Unit tests synthesize the pre-bundled handlers and the examples, so bundle first (esbuild, about a second).
project.testTask.prependSpawn(bundleReference);
project.testTask.prependSpawn(project.tasks.tryFind('bundle')!);

// The reference workload against PostgreSQL 15, dynalite and s3rver on 127.0.0.1.
const testIntegration = project.addTask('test:integration', {
  description: 'Test the reference workload against local PostgreSQL 15 (TLS), DynamoDB (dynalite) and S3 (s3rver)',
  exec: "jest --coverage=false --testPathIgnorePatterns=/node_modules/ --testMatch '<rootDir>/test/reference/**/*.test.ts'",
});

project.npmignore?.exclude('/examples/', '/scripts/', '/.bindings/', '/.consumer-test/');

// Tests that need the jsii build: the packed tarball in a consumer app, and
// the bindings' generated code. Kept out of `test` so the unit suite stays fast.
const testPackage = project.addTask('test:package', {
  description: 'Pack the library, install it into a throwaway consumer app and synthesize there; generate the jsii bindings',
});
testPackage.spawn(bundleReference);
testPackage.spawn(project.compileTask);
testPackage.spawn(project.tasks.tryFind('package:js')!);
testPackage.exec('jest --coverage=false --testPathIgnorePatterns=/node_modules/ --testMatch \'<rootDir>/test/package/**/*.test.ts\'');
testPackage.exec('bash scripts/test-bindings.sh');

// The whole suite, as CI runs it: unit tests and lint, the API docs, then the package tests.
const testAll = project.addTask('test:all', { description: 'Every test: unit, lint, API docs, package and bindings' });
testAll.spawn(project.testTask);
testAll.spawn(testIntegration);
testAll.spawn(testPackage);
testAll.spawn(project.tasks.tryFind('docgen')!);
testAll.exec('git diff --exit-code -- API.md || (echo "API.md is out of date: run npx projen docgen and commit it" && exit 1)');

const demo = project.addTask('demo', {
  description: 'Synthesize the reference app and print what it creates, what it protects and the cdk-nag result',
});
demo.spawn(project.tasks.tryFind('bundle')!);
demo.spawn(bundleReference);
demo.exec('ts-node --project tsconfig.dev.json scripts/summarize.ts');

project.synth();
