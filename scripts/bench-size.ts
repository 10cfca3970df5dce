// Records what the package weighs and how long its handlers take to load:
// each pre-bundled Lambda handler (raw, gzipped, and the median time a fresh
// Node.js process takes to require it, which is the module-load part of a
// cold start) and the npm tarball (packed, unpacked, file count), and writes
// them to docs/sizes.md. Run with `npx projen bench:size`, which bundles,
// compiles and packs first. test/sizes.test.ts checks that the sizes written
// there are those of the current bundles; the times are recorded, never
// asserted.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

const root = path.resolve(__dirname, '..');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
/** The size each handler bundle should stay under (issue 16). */
const GOAL_BYTES = 400 * 1000;
/** Fresh processes per bundle; the median is written. */
const LOAD_RUNS = 7;

/** The median milliseconds a fresh Node.js process takes to require `file`. */
function loadTime(file: string): number {
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const times = Array.from({ length: LOAD_RUNS }, () => Number(execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    // What Lambda sets; loading a handler needs no credentials.
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'bench' },
  }).trim())).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

/**
 * The restore validator, once over the goal: what it weighs now against it,
 * and why. Written from the measured size, so the verdict cannot go stale.
 */
function validatorParagraph(bundles: string[]): string[] {
  const file = bundles.find((f) => f.endsWith(path.join('restore-drill', 'validate-restore.lambda', 'index.js')));
  if (!file) throw new Error('the restore validator bundle is missing: run `npx projen bundle` first');
  const size = fs.statSync(file).size;
  const verdict = size <= GOAL_BYTES
    ? `under the ${GOAL_BYTES / 1000} kB goal at ${kib(size)}, ${kib(GOAL_BYTES - size)} to spare`
    : `over the ${GOAL_BYTES / 1000} kB goal at ${kib(size)}`;
  return [
    `The restore validator is ${verdict}.`,
    'It keeps the SDK clients of RDS (five operations; the client alone',
    'declares about 200 error classes) and S3 (two, with its checksums and',
    'XML), on about 170 KiB of shared SDK core (signing, protocols, retries).',
    'It calls AWS Backup (DescribeRestoreJob, PutRestoreValidationResult),',
    'DynamoDB (DescribeTable, Scan) and Lambda (Invoke) with signed requests',
    'of its own (`src/private/signed-call.ts` and its neighbours, about 6 KiB),',
    'which took it from 463.7 KiB with five SDK clients to the size in the',
    'table.',
  ];
}

function main(): void {
  const rows: string[] = [];
  const bundles = [
    ...files(path.join(root, 'assets')),
    ...files(path.join(root, 'examples/reference/dist')),
  ].filter((f) => f.endsWith('.js'));
  if (bundles.length === 0) {
    throw new Error('no bundles found: run `npx projen bundle` and `npx projen bundle:reference` first');
  }
  rows.push(`| bundle | shipped in the package | size | gzipped | under ${GOAL_BYTES / 1000} kB | module load, Node.js ${process.versions.node} |`,
    '| --- | --- | --- | --- | --- | --- |');
  for (const file of bundles.sort()) {
    const content = fs.readFileSync(file);
    const shipped = path.relative(root, file).startsWith('assets/') ? 'yes' : 'no (reference workload)';
    rows.push(`| \`${path.relative(root, file)}\` | ${shipped} | ${kib(content.length)} | ${kib(zlib.gzipSync(content).length)} `
      + `| ${content.length <= GOAL_BYTES ? 'yes' : 'no'} | ${loadTime(file).toFixed(0)} ms |`);
  }

  const distDir = path.join(root, 'dist/js');
  const tarball = fs.existsSync(distDir) ? fs.readdirSync(distDir).find((f) => f.endsWith('.tgz')) : undefined;
  if (!tarball) {
    throw new Error('no tarball in dist/js: run `npx projen compile && npx projen package:js` first');
  }
  const tarPath = path.join(distDir, tarball);
  // `tar tzvf` lists each entry's size in its third column.
  const listing = execFileSync('tar', ['tzvf', tarPath], { encoding: 'utf8' }).trim().split('\n');
  const unpacked = listing.reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[2] ?? 0), 0);
  const largest = listing
    .map((line) => { const parts = line.trim().split(/\s+/); return { size: Number(parts[2]), name: parts[parts.length - 1] }; })
    .sort((a, b) => b.size - a.size)
    .slice(0, 5);

  const lines = [
    '# Package and bundle sizes',
    '',
    'Written by `npx projen bench:size` ([`scripts/bench-size.ts`](../scripts/bench-size.ts)) on',
    `${new Date().toISOString().slice(0, 10)}, on ${os.cpus().length} cores. Each handler is minified by esbuild with the`,
    'AWS SDK clients it uses inside the bundle, at the version the unit tests ran',
    'against, rather than taken from the Lambda runtime (whose SDK version changes',
    'under you). The handlers import one command at a time and no aggregated',
    'client, and esbuild bundles the ES module builds of the SDK so it can drop',
    'the commands they do not use and, with the SDK\'s schema keys written out',
    '(`scripts/handler-bundling.ts`), the schemas of those commands. They take',
    'their AWS credentials from the environment variables Lambda sets and carry',
    'none of the SDK\'s other credential providers (SSO, shared files, STS,',
    'container and instance metadata; `src/private/lambda-credentials.ts`),',
    'which the `cdk-dr` command line keeps. The module-load time is the median of',
    `${LOAD_RUNS} fresh processes requiring the bundle on this machine, the part of a`,
    'Lambda cold start that the bundle decides; Lambda\'s own figures differ.',
    '',
    ...validatorParagraph(bundles),
    '',
    ...rows,
    '',
    '| package | size |',
    '| --- | --- |',
    `| \`${tarball}\` packed | ${kib(fs.statSync(tarPath).size)} |`,
    `| unpacked | ${kib(unpacked)} in ${listing.length} files |`,
    '',
    'Largest files in the package:',
    '',
    ...largest.map((f) => `- \`${f.name.replace(/^package\//, '')}\`: ${kib(f.size)}`),
    '',
  ];
  fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(root, 'docs/sizes.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

main();
