import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The bundled CLI as users run it (the package's bin), in a child process
// without a terminal: output as CI sees it.
const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'assets', 'cli', 'cdk-dr', 'index.js');
const HAND_WRITTEN = path.join(__dirname, 'fixtures', 'hand-written-dr.yaml');

let dir: string;

beforeAll(() => {
  if (!fs.existsSync(BIN)) {
    // The test task bundles first; a lone run of this file bundles here.
    const r = spawnSync('npx', ['projen', 'bundle:cli/cdk-dr'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) {
      throw new Error(`bundling the CLI failed: ${r.stderr}`);
    }
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-dr-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cdkDr(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const NO_TRACE = /\n\s+at /;

test('the bundle is one executable file with a node shebang', () => {
  expect(fs.readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  expect(() => fs.accessSync(BIN, fs.constants.X_OK)).not.toThrow();
});

test.each([[[]], [['--help']], [['posture', '--help']], [['help', 'posture']]])('%j prints help', (args) => {
  const r = cdkDr(...args);
  expect(r.out + r.err).toMatch(/Usage: cdk-dr/);
  expect(r.code).toBe(args.length === 0 ? 2 : 0);
});

test('a template that meets its target exits 0; the hand-written stack misses 1 h and exits 1', () => {
  const ok = write('ok.json', JSON.stringify({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {} } } }));
  expect(cdkDr('posture', ok, '--rpo', '1h').code).toBe(0);
  const r = cdkDr('posture', HAND_WRITTEN, '--rpo', '1h');
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/START_WINDOW/);
  expect(r.out).toMatch(/VAULT_WITHOUT_CMK/);
  expect(r.out).toMatch(/MISSED +--rpo 1h Orders/);
  expect(r.err).toBe('');
  // Without a target nothing can be missed.
  expect(cdkDr('posture', HAND_WRITTEN).code).toBe(0);
});

test('--strict counts an unproven target as missed', () => {
  const tagged = write('tagged.json', JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: { ReplicationConfiguration: { Role: 'r', Rules: [{ Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::x' } }] } } } } }));
  expect(cdkDr('posture', tagged, '--region-rpo', '1h').code).toBe(0);
  expect(cdkDr('posture', tagged, '--region-rpo', '1h', '--strict').code).toBe(1);
});

test('--json prints the report and its exit code', () => {
  const r = cdkDr('posture', HAND_WRITTEN, '--rpo', '1h', '--json');
  expect(r.code).toBe(1);
  const report = JSON.parse(r.out);
  expect(report.exitCode).toBe(1);
  const orders = report.resources.find((x: any) => x.logicalId === 'Orders');
  expect(orders.rpo.logicalCorruption.seconds).toBe(9 * 3600);
  expect(report.gaps.map((g: any) => g.code)).toContain('UNCOVERED');
});

test.each([
  ['an unknown file', () => ['posture', path.join(os.tmpdir(), 'no-such-template.json')], /no such file or directory/],
  ['bad JSON', () => ['posture', write('bad.json', '{ "Resources": ')], /not valid JSON/],
  ['bad YAML', () => ['posture', write('bad.yaml', 'Resources:\n  A: [unclosed\n')], /not valid YAML/],
  ['a non-template', () => ['posture', write('other.yaml', 'name: x\n')], /no Resources section/],
  ['a bad --rpo', () => ['posture', HAND_WRITTEN, '--rpo', 'soon'], /--rpo must be a duration/],
  ['a bad --region', () => ['posture', HAND_WRITTEN, '--region', 'mars'], /--region must be an AWS region/],
  ['an unknown option', () => ['posture', HAND_WRITTEN, '--frobnicate'], /unknown option '--frobnicate'/],
  ['an unknown command', () => ['frobnicate'], /unknown command 'frobnicate'/],
  ['an empty folder', () => ['posture', fs.mkdtempSync(path.join(dir, 'empty-'))], /no CloudFormation template in this folder/],
])('%s exits 2 with one clear line and no stack trace', (_name, args, message) => {
  const r = cdkDr(...args());
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message);
  expect(r.err).not.toMatch(NO_TRACE);
});

test('--debug adds the stack trace', () => {
  const r = cdkDr('posture', path.join(dir, 'missing.json'), '--debug');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(NO_TRACE);
});

test('status without AWS credentials: exit 2, one line saying so, no stack trace', () => {
  // No credentials anywhere the SDK looks (environment, files, instance metadata).
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') };
  const r = spawnSync(process.execPath, [BIN, 'status', '--stack', 'Shop', '--region', 'eu-west-1'], { encoding: 'utf8', env });
  expect(r.status).toBe(2);
  expect(r.stderr.trim()).toMatch(/^cdk-dr: no AWS credentials found: set AWS_PROFILE/);
  expect(r.stderr).not.toMatch(NO_TRACE);
  expect(r.stdout).toBe('');
});
