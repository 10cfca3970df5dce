/**
 * Unit tests make their apps with testApp() (test/util), which runs
 * aws-cdk-lib's CloudFormation schema validation only when a test asks for
 * it, and then strictly. A bare `new App()` validates on every synth, but
 * without the strict context its findings are only warnings no test reads,
 * and the validator is most of a multi-region synth's time (issue 16: the
 * fast lane). The exceptions run apps the way a user writes them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { PitrTable } from '../src';
import { complianceTest, testApp } from './util';

const TEST = __dirname;

/** Files (relative to test/) that may make an App themselves, and why. */
const USER_APPS: Record<string, string> = {
  'readme.test.ts': 'the README snippets, as users paste them',
  'examples.test.ts': 'the example apps, as users run them',
  'multi-region-dr-platform/synth-warnings.test.ts': 'the warnings a user\'s synth prints, with the validator\'s report',
  'util/index.ts': 'testApp itself',
};
/** Folders whose tests run outside jest's process or against a built package. */
const OUTSIDE = ['package', 'reference', 'bindings'];

function typescriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    // Hidden folders are scratch space of a test running alongside, not tests.
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : typescriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

test('unit tests make their apps with testApp(), apart from the listed ones', () => {
  const files = typescriptFiles(TEST).map((f) => path.relative(TEST, f).split(path.sep).join('/'))
    .filter((f) => !OUTSIDE.includes(f.split('/')[0]));
  expect(files.length).toBeGreaterThan(80);
  // `new App(`, `new cdk.App(` or any namespace's App, and App imported under another name.
  const bare = files.filter((f) => /\bnew\s+(?:\w+\.)?App\s*\(|\bApp\s+as\s+\w+/.test(withoutComments(fs.readFileSync(path.join(TEST, f), 'utf8'))));
  expect(bare.sort()).toEqual(Object.keys(USER_APPS).sort());
});

describe('testApp', () => {
  /** A stack whose table has a billing mode the schema does not allow. */
  function invalidStack(validate?: boolean) {
    const app = testApp({ validate });
    const stack = new Stack(app, 'Invalid');
    const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev' });
    (table.table.node.defaultChild as any).addPropertyOverride('BillingMode', 'NOT_A_MODE');
    return app;
  }

  test('by default, no schema validation runs: no report, no failure', () => {
    const assembly = invalidStack().synth();
    try {
      expect(fs.existsSync(path.join(assembly.directory, 'validation-report.json'))).toBe(false);
    } finally {
      fs.rmSync(assembly.directory, { recursive: true, force: true });
    }
  });

  complianceTest('with validate, it runs strictly: a finding fails the synthesis', () => {
    expect(() => invalidStack(true).synth()).toThrow(/BillingMode: 'NOT_A_MODE' is not one of/);
  });

  test('context and app props pass through', () => {
    const app = testApp({ context: { a: 'b' }, stackTraces: false });
    expect(app.node.tryGetContext('a')).toBe('b');
    expect(app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules')).toBeUndefined();
    expect(app.node.tryGetContext('aws:cdk:disable-stack-trace')).toBe(true);
  });

  complianceTest('with validate, the test\'s own context wins over the strict defaults', () => {
    const app = testApp({ validate: true, context: { '@aws-cdk/core:strictCfnValidateErrors': false } });
    expect(app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules')).toBe(true);
    expect(app.node.tryGetContext('@aws-cdk/core:strictCfnValidateErrors')).toBe(false);
  });
});

describe('the lanes', () => {
  /** test/util as loaded with CDK_DR_TEST_LANE set to `lane`. */
  function utilIn(lane: string | undefined): typeof import('./util') {
    const before = process.env.CDK_DR_TEST_LANE;
    let util: typeof import('./util') | undefined;
    try {
      if (lane === undefined) delete process.env.CDK_DR_TEST_LANE;
      else process.env.CDK_DR_TEST_LANE = lane;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        util = require('./util');
      });
    } finally {
      if (before === undefined) delete process.env.CDK_DR_TEST_LANE;
      else process.env.CDK_DR_TEST_LANE = before;
    }
    return util!;
  }

  test('in test:fast, complianceTest skips and testApp refuses to validate, naming the way out', () => {
    const fast = utilIn('fast');
    expect(fast.complianceTest).toBe(test.skip);
    expect(() => fast.testApp({ validate: true })).toThrow(/declare this test with complianceTest\(\) from test\/util/);
    expect(() => fast.testApp()).not.toThrow();
  });

  test.each([undefined, '', 'full'])('outside it (CDK_DR_TEST_LANE=%p), complianceTest is test', (lane) => {
    const util = utilIn(lane);
    expect(util.complianceTest).toBe(test);
    expect(() => util.testApp({ validate: true })).not.toThrow();
  });
});
