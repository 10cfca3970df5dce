/**
 * scripts/handler-bundling.ts rewrites the AWS SDK's schema modules while
 * bundling the handlers (inlineSchemaKeys). These tests prove the rewrite
 * changes nothing a client sees: every installed client's schema module,
 * evaluated as shipped and as rewritten, exports the same values. And that
 * it is worth having: esbuild then drops the schemas a bundle does not use.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { handlerBuildOptions, inlineSchemaKeys, inlineSchemaKeysPlugin, SCHEMA_MODULE } from '../scripts/handler-bundling';
import { BUNDLED_HANDLERS } from '../src/private/bundled-function';

const root = path.resolve(__dirname, '..');
const sdk = path.join(root, 'node_modules', '@aws-sdk');

/** Every installed client's schema modules. */
const schemaModules = fs.readdirSync(sdk)
  .filter((name) => name.startsWith('client-'))
  .flatMap((name) => {
    const dir = path.join(sdk, name, 'dist-es', 'schemas');
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)).filter((f) => SCHEMA_MODULE.test(f)) : [];
  });

async function bundle(contents: string, plugins: esbuild.Plugin[], minify = false): Promise<string> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    minify,
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return result.outputFiles[0].text;
}

/** Evaluates a CommonJS bundle and returns its exports. */
function evaluate(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  return module.exports;
}

/** A comparable picture of a value: functions by their source, maps by their entries, cycles cut. */
function picture(value: unknown, seen = new Set<unknown>()): unknown {
  if (typeof value === 'function') return `function ${value.toString()}`;
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  try {
    if (value instanceof Map) return { map: [...value.entries()].map(([k, v]) => [picture(k, seen), picture(v, seen)]) };
    if (Array.isArray(value)) return value.map((v) => picture(v, seen));
    return { class: value.constructor?.name, ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, picture(v, seen)])) };
  } finally {
    seen.delete(value);
  }
}

test('the installed clients have schema modules to rewrite', () => {
  expect(schemaModules.length).toBeGreaterThanOrEqual(5);
  const replaced = schemaModules.reduce((sum, file) => sum + inlineSchemaKeys(fs.readFileSync(file, 'utf8')).replaced, 0);
  expect(replaced).toBeGreaterThan(0);
});

test.each(schemaModules.map((f) => [path.relative(sdk, f), f]))('%s exports the same schemas rewritten', async (_name, file) => {
  const entry = `module.exports = require(${JSON.stringify(file)});`;
  const [shipped, rewritten] = await Promise.all([bundle(entry, []), bundle(entry, [inlineSchemaKeysPlugin])]);
  expect(rewritten).not.toEqual(shipped);
  const before = evaluate(shipped);
  const after = evaluate(rewritten);
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  expect(picture(after)).toEqual(picture(before));
}, 30_000);

test('a key is written out only where the name is the module\'s one string constant', () => {
  const source = [
    'const _e = "error";',
    'const _h = "http";',
    'let _h = 1;',
    'export var A$ = [{ [_e]: 1, [_h]: 2, [_x]: 3 }];',
  ].join('\n');
  expect(inlineSchemaKeys(source)).toEqual({
    code: source.replace('[_e]: 1', '"error": 1'),
    replaced: 1,
  });
});

test('rewritten, the schemas of the commands a bundle does not send are left out', async () => {
  const entry = 'export { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";';
  const [shipped, rewritten] = await Promise.all([bundle(entry, [], true), bundle(entry, [inlineSchemaKeysPlugin], true)]);
  // An S3 operation the entry never sends, and its request's own member.
  expect(shipped).toContain('WriteGetObjectResponse');
  expect(rewritten).not.toContain('WriteGetObjectResponse');
  expect(rewritten).toContain('GetObject');
  expect(rewritten.length).toBeLessThan(shipped.length - 50 * 1024);
}, 30_000);

test.each([...BUNDLED_HANDLERS])('the %s bundle is built with the rewrite and environment-only credentials', (handler) => {
  const options = handlerBuildOptions(handler);
  expect(options.plugins).toContain(inlineSchemaKeysPlugin);
  expect(options.alias).toEqual({ '@aws-sdk/credential-provider-node': './src/private/lambda-credentials.ts' });
  expect(options.outfile).toBe(`assets/${handler}.lambda/index.js`);
});
