// Checks that every commit since the convention's baseline follows
// Conventional Commits (scripts/commit-convention.ts says what is allowed and
// why), and prints each one that does not with what is wrong. Run by
// test:all and by `npx projen check:commits`; needs the history from the
// baseline on (a full `git clone`, or a CI checkout with fetch-depth 0).
//
//   ts-node scripts/check-commit-messages.ts [--baseline <commit>] [--head <commit>]
//
// --baseline overrides the commit named by the baseline trailer.
import { BASELINE_TRAILER, commitMessageProblems, commitsToCheck, findBaseline, git } from './commit-convention';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (!value || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

function main(): number {
  const cwd = process.cwd();
  const head = option('--head') ?? 'HEAD';
  const named = option('--baseline');
  const baseline = named ? git(cwd, ['rev-parse', '--verify', `${named}^{commit}`]).trim() : findBaseline(cwd, head);
  if (!baseline) {
    const shallow = git(cwd, ['rev-parse', '--is-shallow-repository']).trim() === 'true';
    console.error(`commit messages: no commit reachable from ${head} carries "${BASELINE_TRAILER}", the commit the convention starts from`
      + (shallow ? '. This clone is shallow: fetch the full history (git fetch --unshallow; fetch-depth: 0 in actions/checkout).' : '.'));
    return 1;
  }
  const commits = commitsToCheck(cwd, baseline, head);
  const bad = commits.map((c) => ({ c, problems: commitMessageProblems(c.message) })).filter((x) => x.problems.length);
  for (const { c, problems } of bad) {
    console.error(`${c.sha.slice(0, 10)} ${JSON.stringify(c.message.split('\n')[0])}`);
    for (const p of problems) console.error(`  - ${p}`);
  }
  const base = baseline.slice(0, 10);
  const count = (k: number) => `${k} commit${k === 1 ? '' : 's'}`;
  if (bad.length) {
    console.error(`commit messages: ${bad.length} of the ${count(commits.length)} since the baseline ${base} do not follow Conventional Commits `
      + '(docs/development.md#commit-messages). Reword them (git rebase -i, "reword") before merging.');
    return 1;
  }
  console.log(`commit messages: the ${count(commits.length)} since the baseline ${base} follow Conventional Commits`);
  return 0;
}

process.exitCode = main();
