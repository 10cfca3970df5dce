import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { handlerBuildOptions } from '../../scripts/handler-bundling';
import { HandlerRuntime, HourlyBackup, PitrTable, ProtectedResource } from '../../src';
import { BUNDLED_HANDLERS } from '../../src/private/bundled-function';
import { declaredNodeRuntimes, HANDLER_NODE_MAJOR_FLOOR, nodeMajor, pickNodeRuntime } from '../../src/private/node-runtime';
import { testApp } from '../util';

const node = (major: number) => new lambda.Runtime(`nodejs${major}.x`, lambda.RuntimeFamily.NODEJS);
const majors = (runtimes: lambda.Runtime[]) => runtimes.map((r) => nodeMajor(r.name));

describe('the runtimes aws-cdk-lib declares', () => {
  test('are its own Node.js constants, oldest first, without the moving NODEJS_LATEST alias', () => {
    const declared = declaredNodeRuntimes();
    expect(declared.every((r) => r.family === lambda.RuntimeFamily.NODEJS && !r.isVariable)).toBe(true);
    expect(majors(declared)).toEqual([...majors(declared)].sort((a, b) => a! - b!));
    expect(declared).toContain(lambda.Runtime.NODEJS_22_X);
    expect(declared).toContain(lambda.Runtime.NODEJS_24_X);
    expect(declared).not.toContain(lambda.Runtime.NODEJS_LATEST);
  });

  test('ignore runtimes other code creates, so the choice does not depend on construction order', () => {
    const before = declaredNodeRuntimes().map((r) => r.name);
    node(98);
    expect(declaredNodeRuntimes().map((r) => r.name)).toEqual(before);
  });

  test('newest is what cdk-nag AwsSolutions-L1 counts as the latest Node.js runtime', () => {
    // The rule compares against the highest nodejs version in lambda.Runtime.ALL.
    const names = lambda.Runtime.ALL.map((r) => r.name).filter((n) => nodeMajor(n) !== undefined && nodeMajor(n)! < 98);
    const highest = Math.max(...names.map((n) => nodeMajor(n)!));
    expect(HandlerRuntime.newestNodejs(new Stack()).name).toBe(`nodejs${highest}.x`);
  });
});

describe('pickNodeRuntime', () => {
  const scope = () => new Stack(testApp(), 'S');
  // Whatever set of runtimes an aws-cdk-lib version declares, the newest usable one wins.
  test.each([
    [[22, 24], 24],
    [[18, 20, 22, 24, 26], 26],
    [[20, 22], 22],
    [[22, 24, 26, 28], 28],
    [[26, 22, 24], 26],
    [[4, 6, 8, 10, 12, 14, 16, 18, 20, 22], 22],
    [[100, 24, 9], 100],
  ])('from Node.js %j it picks %d', (declared, expected) => {
    expect(nodeMajor(pickNodeRuntime(scope(), declared.map(node), undefined).name)).toBe(expected);
  });

  test.each([[[16, 18, 20]], [[]]])('refuses when no runtime is Node.js 22 or newer (%j)', (declared) => {
    expect(() => pickNodeRuntime(scope(), declared.map(node), undefined))
      .toThrow(/declares no Node.js Lambda runtime of Node.js 22 or newer .*upgrade aws-cdk-lib/);
  });

  test.each(['nodejs22.x', 'nodejs24.x', 'nodejs26.x'])('a pinned runtime it declares is used: %s', (pinned) => {
    expect(pickNodeRuntime(scope(), [20, 22, 24, 26].map(node), pinned).name).toBe(pinned);
  });

  test.each([
    ['nodejs20.x', 'older than the bundles run on'],
    ['nodejs28.x', 'not declared by this aws-cdk-lib'],
    ['python3.13', 'another family'],
    ['nodejs24', 'not a runtime name'],
    ['', 'empty'],
    [24, 'a number'],
    [null, 'null'],
  ] as Array<[unknown, string]>)('a pinned %j (%s) is refused naming the context key, the value and what is allowed', (pinned) => {
    expect(() => pickNodeRuntime(scope(), [20, 22, 24, 26].map(node), pinned)).toThrow(
      `context \`cdk-dr-platform:nodejsRuntime\` must name a Node.js runtime of Node.js 22 or newer that this aws-cdk-lib declares (nodejs22.x, nodejs24.x, nodejs26.x), got: ${typeof pinned === 'string' ? JSON.stringify(pinned) : String(pinned)}`,
    );
  });

  test('the floor is the esbuild target of the handler bundles', () => {
    // scripts/handler-bundling.ts builds one bundle per library handler, run by the `bundle` task.
    for (const handler of BUNDLED_HANDLERS) {
      expect(handlerBuildOptions(handler).target).toBe(`node${HANDLER_NODE_MAJOR_FLOOR}`);
    }
    const tasks = JSON.parse(fs.readFileSync(path.join(__dirname, '../../.projen/tasks.json'), 'utf8')).tasks;
    expect(tasks.bundle.steps).toContainEqual({ spawn: 'bundle:handlers' });
    expect(JSON.stringify(tasks['bundle:handlers'].steps)).toContain('scripts/handler-bundling.ts');
  });
});

describe('the library functions', () => {
  function functionRuntimes(app: App) {
    const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
    const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev', removalPolicy: RemovalPolicy.DESTROY });
    // DESTROY adds the vault drain, one of the library's functions.
    new HourlyBackup(stack, 'Backup', { environmentSuffix: 'dev', resources: [ProtectedResource.fromPitrTable(table)], removalPolicy: RemovalPolicy.DESTROY });
    return Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f: any) => f.Properties.Runtime);
  }

  test('run on the newest Node.js runtime by default', () => {
    const runtimes = functionRuntimes(testApp());
    expect(runtimes.length).toBeGreaterThan(0);
    expect(new Set(runtimes)).toEqual(new Set([declaredNodeRuntimes().at(-1)!.name]));
  });

  test('follow the runtime the app pins with the context key', () => {
    const runtimes = functionRuntimes(testApp({ context: { [HandlerRuntime.CONTEXT_KEY]: 'nodejs22.x' } }));
    expect(new Set(runtimes)).toEqual(new Set(['nodejs22.x']));
  });
});
