// Checks that every commit since the convention's baseline follows
// Conventional Commits (scripts/commit-convention.ts says what is allowed and
// why), and prints each one that does not with what is wrong. Run by
// test:all and by `npx projen check:commits`; needs the history from the
// baseline on (a full `git clone`, or a CI checkout with fetch-depth 0).
//
//   ts-node scripts/check-commit-messages.ts [--baseline <commit>] [--head <commit>]
//
// --baseline overrides the commit named by the baseline trailer.
import { BASELINE_TRAILER, commitMessageProblems, commitsToCheck, findBaseline, git, gitCommits } from './commit-convention';

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
  const shallow = git(cwd, ['rev-parse', '--is-shallow-repository']).trim() === 'true';
  if (!baseline && shallow) {
    // Which commits descend from the baseline cannot be known without it:
    // only the head is checked (a merge commit is never checked), and the
    // run says so rather than failing a clone it cannot read.
    const [last] = gitCommits(cwd, ['--no-merges', '-1', head]);
    const parents = git(cwd, ['rev-list', '--parents', '-1', head]).trim().split(' ').length - 1;
    console.warn(`commit messages: this clone is shallow and does not reach the baseline ("${BASELINE_TRAILER}"): only ${head} is checked. `
      + 'Fetch the full history (git fetch --unshallow; fetch-depth: 0 in actions/checkout) to check every commit since the baseline.');
    if (parents > 1 || !last) return 0;
    const problems = commitMessageProblems(last.message);
    if (!problems.length) return 0;
    console.error(`${last.sha.slice(0, 10)} ${JSON.stringify(last.message.split('\n')[0])}`);
    for (const p of problems) console.error(`  - ${p}`);
    return 1;
  }
  if (!baseline) {
    console.error(`commit messages: no commit reachable from ${head} carries "${BASELINE_TRAILER}", the commit the convention starts from.`);
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
