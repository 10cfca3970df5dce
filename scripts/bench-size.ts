// Records what the package weighs: each pre-bundled Lambda handler (raw and
// gzipped) and the npm tarball (packed, unpacked, file count), and writes
// them to docs/sizes.md. Run with `npx projen bench:size`, which bundles,
// compiles and packs first. Sizes only: nothing here is timed or asserted.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const root = path.resolve(__dirname, '..');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]);
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
  rows.push('| bundle | shipped in the package | size | gzipped |', '| --- | --- | --- | --- |');
  for (const file of bundles.sort()) {
    const content = fs.readFileSync(file);
    const shipped = path.relative(root, file).startsWith('assets/') ? 'yes' : 'no (reference workload)';
    rows.push(`| \`${path.relative(root, file)}\` | ${shipped} | ${kib(content.length)} | ${kib(zlib.gzipSync(content).length)} |`);
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
    `${new Date().toISOString().slice(0, 10)}. The vault-drain handler is minified by esbuild with the`,
    'AWS SDK clients it uses inside the bundle, at the version the unit tests ran',
    'against, rather than taken from the Lambda runtime (whose SDK version changes',
    'under you). Unminified, it was 1.27 MB, half of the package.',
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
