import * as fs from 'fs';
import * as path from 'path';
import { synthesizeConfiguration } from '../../scripts/reference-configurations';
import { run } from '../../src/cli/cdk-dr';

/**
 * The README's `cdk-dr posture` output is real and stays real: each block
 * marked `<!-- cdk-dr-output: NAME -->` is compared with a fresh run. A block
 * may leave lines out where it has a line `…`; everything else must be the
 * output's lines, in order, contiguous between the `…` lines, and a block
 * that does not start (end) with `…` must start (end) where the output does.
 */

const README = path.join(__dirname, '..', '..', 'README.md');
const ELISION = '…';

/** Asset hashes and temporary paths are the only things normalised. */
function normalise(line: string): string {
  return line.replace(/\b[0-9a-f]{64}\b/g, '<hash>').replace(/\/tmp\/[^\s│]+/g, '<tmp>').trimEnd();
}

export function readmeBlocks(readme: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  for (const m of readme.matchAll(/<!-- cdk-dr-output: ([\w-]+) -->\n```text\n([\s\S]*?)\n```/g)) {
    blocks.set(m[1], m[2].split('\n'));
  }
  return blocks;
}

/** Why `block` is not a faithful excerpt of `output`, or undefined when it is. */
export function mismatch(block: string[], output: string[]): string | undefined {
  const out = output.map(normalise);
  const segments: string[][] = [[]];
  for (const line of block) {
    if (line === ELISION) segments.push([]);
    else segments[segments.length - 1].push(normalise(line));
  }
  const anchoredStart = block[0] !== ELISION;
  const anchoredEnd = block[block.length - 1] !== ELISION;
  let from = 0;
  for (const [i, segment] of segments.entries()) {
    if (segment.length === 0) continue;
    const last = i === segments.length - 1;
    let found = -1;
    for (let at = from; at + segment.length <= out.length; at++) {
      if (i === 0 && anchoredStart && at !== 0) break;
      if (segment.every((l, k) => out[at + k] === l) && (!(last && anchoredEnd) || at + segment.length === out.length)) {
        found = at;
        break;
      }
    }
    if (found < 0) return `lines not found in the output (in order):\n${segment.join('\n')}`;
    from = found + segment.length;
  }
  return undefined;
}

async function posture(target: string): Promise<string[]> {
  const lines: string[] = [];
  const code = await run(['posture', target], { out: (t) => { lines.push(...t.split('\n')); }, err: (t) => { throw new Error(`stderr: ${t}`); } });
  expect(code).toBe(0);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

describe('the README shows real cdk-dr posture output', () => {
  const blocks = readmeBlocks(fs.readFileSync(README, 'utf8'));
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  async function synthesized(name: string): Promise<string[]> {
    const assembly = synthesizeConfiguration(name);
    dirs.push(assembly.directory);
    return posture(assembly.directory);
  }

  test('it has the three blocks', () => {
    expect([...blocks.keys()].sort()).toEqual(['hand-written', 'multi-region', 'reference']);
  });

  test.each([
    ['reference', () => synthesized('reference')],
    ['multi-region', () => synthesized('multi-region')],
    ['hand-written', () => posture(path.join(__dirname, 'fixtures', 'hand-written-dr.yaml'))],
  ])('%s', async (name, output) => {
    expect(mismatch(blocks.get(name)!, await output())).toBeUndefined();
  }, 120_000);

  test('the comparison fails on a changed, reordered or unanchored excerpt', () => {
    const output = ['head', 'a', 'b', 'c', 'tail'];
    expect(mismatch(['head', ELISION, 'b', ELISION, 'tail'], output)).toBeUndefined();
    expect(mismatch(['head', ELISION, 'B', ELISION], output)).toContain('B');
    expect(mismatch(['head', ELISION, 'c', 'b', ELISION], output)).toBeDefined();
    expect(mismatch(['a', ELISION], output)).toBeDefined();
    expect(mismatch([ELISION, 'c'], output)).toBeDefined();
    expect(mismatch([ELISION, 'a', 'c', ELISION], output)).toBeDefined();
  });
});
