import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// `cdk-dr drill` through the bundled bin, as users run it: the command is
// registered, and without credentials it says so in one line.
const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'assets', 'cli', 'cdk-dr', 'index.js');

let home: string;
beforeAll(() => {
  if (!fs.existsSync(BIN)) {
    const r = spawnSync('npx', ['projen', 'bundle:cli/cdk-dr'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bundling the CLI failed: ${r.stderr}`);
  }
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-dr-drill-'));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

/** No credentials anywhere: no variables, no files, no instance metadata. */
function cdkDr(...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
    FORCE_COLOR: '0',
  };
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('drill --help describes the command', () => {
  const r = cdkDr('drill', '--help');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/Usage: cdk-dr drill \[options\]/);
  for (const flag of ['--resource', '--point-in-time', '--rto', '--timeout', '--role', '--smoke-function', '--yes', '--json']) expect(r.out).toContain(flag);
});

test('missing credentials: one line, exit 2, no stack trace', () => {
  const r = cdkDr('drill', '--resource', 'arn:aws:s3:::some-bucket');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/^cdk-dr: no AWS credentials: /m);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.out).toBe('');
});

test('an unsupported resource: one line, exit 2', () => {
  const r = cdkDr('drill', '--resource', 'arn:aws:lambda:eu-west-1:123456789012:function:f');
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(/which cdk-dr drill does not restore \(supported: /);
});
