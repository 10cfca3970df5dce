/**
 * The library's handler bundles load on every Node.js runtime its functions
 * may get: from Node.js 22 (the floor a pinned `cdk-dr-platform:nodejsRuntime`
 * may go down to, and the bundles' esbuild target) to the newest Node.js
 * release, which Lambda's newest runtime follows.
 *
 * Each Node.js comes from the npm registry's `node` package, installed once
 * into a cache folder outside the repository (as scripts/node24 does). Needs
 * the `bundle` task first (test:package runs it).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BUNDLED_HANDLERS, bundleDirectory } from '../../src/private/bundled-function';
import { HANDLER_NODE_MAJOR_FLOOR } from '../../src/private/node-runtime';

const cache = process.env.CDK_DR_NODE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'cdk-dr-platform');

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The `node` binary of a Node.js version from the npm registry, installed once into the cache. */
function nodeBinary(version: string): string {
  const prefix = path.join(cache, `node-${version}`);
  const bin = path.join(prefix, 'node_modules', '.bin', 'node');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(cache, { recursive: true });
    // Installed beside and then moved into place, so an interrupted install is never used.
    const staging = fs.mkdtempSync(`${prefix}.`);
    npm(['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${version}`], cache);
    fs.rmSync(prefix, { recursive: true, force: true });
    fs.renameSync(staging, prefix);
  }
  return bin;
}

// The newest release in the floor's line, and the newest release of all.
const versions = [
  npm(['view', `node@${HANDLER_NODE_MAJOR_FLOOR}`, 'version', '--json'], os.tmpdir()),
  npm(['view', 'node@latest', 'version', '--json'], os.tmpdir()),
].map((out) => [JSON.parse(out)].flat().pop() as string);

describe.each(versions)('on Node.js %s', (version) => {
  let node: string;
  beforeAll(() => {
    node = nodeBinary(version);
    expect(execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${version}`);
  }, 5 * 60 * 1000);

  test.each([...BUNDLED_HANDLERS])('the %s bundle loads and exports its handler', (handler) => {
    const bundle = path.join(bundleDirectory(handler), 'index.js');
    expect(fs.existsSync(bundle)).toBe(true);
    const out = execFileSync(node, ['-e', `const m = require(${JSON.stringify(bundle)}); console.log(typeof m.handler);`], {
      encoding: 'utf8',
      // What Lambda sets; no credentials are needed to load a module.
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'load-test', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out.trim()).toBe('function');
  });
});
