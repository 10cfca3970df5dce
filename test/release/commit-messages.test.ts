import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BASELINE_TRAILER, COMMIT_TYPES, changelogEntries, commitMessageProblems, nextVersion, parseCommit, releaseBump,
} from '../../scripts/commit-convention';

describe('valid subjects: every type, with and without a scope, with and without !', () => {
  const cases = COMMIT_TYPES.flatMap((type) => ['', '(hourly-backup)', '(cli)'].flatMap((scope) => ['', '!'].map((bang) => `${type}${scope}${bang}: say what changed`)));
  test.each(cases)('%s', (subject) => {
    expect(commitMessageProblems(subject)).toEqual([]);
    const parsed = parseCommit(subject)!;
    expect(parsed.type).toBe(subject.split(/[(!:]/)[0]);
    expect(parsed.breaking).toBe(subject.includes('!:'));
    expect(parsed.description).toBe('say what changed');
  });

  test.each([
    'feat: add a thing\n\nWhy it matters.\n\nBREAKING CHANGE: the prop x is gone; use y',
    'fix(names): keep names under 64 characters\n\nBREAKING-CHANGE: names change for long ids',
  ])('a breaking-change footer makes it breaking: %j', (message) => {
    expect(commitMessageProblems(message)).toEqual([]);
    expect(parseCommit(message)!.breaking).toBe(true);
  });

  test('a body alone is not breaking', () => {
    expect(parseCommit('feat: x\n\nNothing breaks here.')!.breaking).toBe(false);
  });
});

describe('invalid subjects each say what is wrong', () => {
  test.each([
    ['', /subject is empty/],
    ['Add a thing', /must start with a type/],
    ['The rehearsal invokes the functions: bundle 344 -> 296 KiB', /must start with a type/],
    ['feature: add a thing', /unknown type "feature"/],
    ['wip: half done', /unknown type "wip"/],
    ['Feat: add a thing', /must be lower case: "feat"/],
    ['FIX: mend', /must be lower case: "fix"/],
    ['feat:add a thing', /a colon and one space/],
    ['feat add a thing', /a colon and one space/],
    ['feat(cli) add a thing', /a colon and one space/],
    ['feat!add a thing', /a colon and one space/],
    ['feat: ', /description .* is empty/],
    ['feat:  two spaces', /one space after the colon/],
    ['feat(): empty scope', /scope "" must be one word/],
    ['feat(two words): x', /scope "two words" must be one word/],
    ['feat(cli: x', /scope must be closed/],
    ['chore(release): 1.2.3', /reserved/],
    ['Revert "feat: add a thing"', /write "revert: <the reverted subject>"/],
    ['fixup! feat: add a thing', /autosquash/],
    ['feat: subject\nbody on the next line', /blank line/],
    ['feat: x\n\nBREAKING CHANGE:', /must say what breaks/],
    ['feat: x\n\nbreaking change: lower case', /upper case/],
  ])('%j', (message, problem) => {
    const problems = commitMessageProblems(message);
    expect(problems.join('\n')).toMatch(problem);
  });

  test('a message that breaks the convention does not parse, so it neither bumps nor is listed', () => {
    for (const message of ['Add a thing', 'Feat: x', 'feature: x', 'feat:x', 'feat: ']) expect(parseCommit(message)).toBeUndefined();
  });
});

describe('the version bump commit-and-tag-version gives', () => {
  const c = (message: string) => parseCommit(message);
  test.each([
    // 0.x ("preMajor"): breaking -> minor, feat -> patch, anything else -> patch.
    ['0.3.4', ['feat!: x', 'fix: y'], 'minor', '0.4.0'],
    ['0.3.4', ['fix: y\n\nBREAKING CHANGE: z'], 'minor', '0.4.0'],
    ['0.3.4', ['refactor!: rename'], 'minor', '0.4.0'],
    ['0.3.4', ['feat: x', 'fix: y'], 'patch', '0.3.5'],
    ['0.3.4', ['fix: y'], 'patch', '0.3.5'],
    ['0.0.0', ['docs: y', 'chore: z'], 'patch', '0.0.1'],
    ['0.3.4', ['Free prose'], 'patch', '0.3.5'],
    // From 1.0.0: breaking -> major, feat -> minor, anything else -> patch.
    ['1.2.3', ['feat!: x'], 'major', '2.0.0'],
    ['1.2.3', ['feat: x', 'docs: y'], 'minor', '1.3.0'],
    ['1.2.3', ['perf: x', 'Free prose'], 'patch', '1.2.4'],
  ])('%s with %j: %s to %s', (current, messages, bump, next) => {
    const got = releaseBump(current, messages.map(c));
    expect(got).toBe(bump);
    expect(nextVersion(current, got)).toBe(next);
  });

  test('the changelog lists feat, fix and every breaking change, nothing else', () => {
    const listed = changelogEntries(['feat: a', 'fix: b', 'docs: c', 'chore!: d', 'perf: e', 'refactor: f', 'Prose g'].map(c));
    expect(listed.map((e) => e.description)).toEqual(['a', 'b', 'd']);
  });

  test('a version that is not X.Y.Z is refused', () => {
    expect(() => nextVersion('1.2', 'patch')).toThrow(/not a semantic version/);
  });
});

describe('the scripts on a throwaway repository', () => {
  let repo: string;
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  const git = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: repo, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let n = 0;
  const commit = (message: string) => {
    const file = `f${n++}.txt`;
    fs.writeFileSync(path.join(repo, file), `${message}\n`);
    git('add', file);
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD').trim();
  };
  const run = (script: string) => spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.resolve(__dirname, '../../scripts', script)], {
    cwd: repo, env: { ...env, TS_NODE_PROJECT: path.resolve(__dirname, '../../tsconfig.dev.json') }, encoding: 'utf8',
  });
  const check = () => run('check-commit-messages.ts');

  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-messages-'));
    git('init', '-q', '-b', 'main');
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('check-commit-messages: free prose before the baseline and on branches merged after it passes; a bad commit after it fails, named', () => {
    commit('Free prose from before the convention');
    // A branch forked before the baseline, like the lead's work on main while
    // the convention's branch is open.
    git('checkout', '-q', '-b', 'side');
    commit('More free prose, on a branch forked before the baseline');
    git('checkout', '-q', 'main');

    let result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`no commit reachable from HEAD carries "${BASELINE_TRAILER}"`);

    commit(`feat: check commit messages\n\nFrom here on, Conventional Commits.\n\n${BASELINE_TRAILER}`);
    commit('fix(cli)!: rename a flag');
    git('merge', '-q', '--no-ff', '-m', 'Merge branch side', 'side');
    result = check();
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/the 2 commits since the baseline [0-9a-f]{10} follow Conventional Commits/);
    expect(result.status).toBe(0);

    const bad = commit('Feat: shouting');
    commit('docs: fine again');
    result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${bad.slice(0, 10)} "Feat: shouting"`);
    expect(result.stderr).toContain('the type "Feat" must be lower case');
    expect(result.stderr).toMatch(/1 of the 4 commits since the baseline/);
  });
  test('check-commit-messages in a shallow clone that does not reach the baseline checks the head only, and says so', () => {
    commit(`feat: check commit messages\n\n${BASELINE_TRAILER}`);
    commit('docs: one');
    commit('fix: two');
    const shallow = `${repo}-shallow`;
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo}`, shallow], { env, stdio: 'ignore' });
      const inShallow = () => spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.resolve(__dirname, '../../scripts/check-commit-messages.ts')], {
        cwd: shallow, env: { ...env, TS_NODE_PROJECT: path.resolve(__dirname, '../../tsconfig.dev.json') }, encoding: 'utf8',
      });
      let result = inShallow();
      expect(result.status).toBe(0);
      expect(result.stderr).toContain('this clone is shallow and does not reach the baseline');
      expect(result.stderr).toContain('only HEAD is checked');
      // A head that breaks the convention still fails there.
      commit('Prose after the baseline');
      execFileSync('git', ['fetch', '-q', '--depth', '1', 'origin', 'main'], { cwd: shallow, env, stdio: 'ignore' });
      execFileSync('git', ['checkout', '-q', '--detach', 'FETCH_HEAD'], { cwd: shallow, env, stdio: 'ignore' });
      result = inShallow();
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('"Prose after the baseline"');
    } finally {
      fs.rmSync(shallow, { recursive: true, force: true });
    }
  });

  test('check-release-notes: the version and dist/changelog.md must be what the commits since the tag call for', () => {
    commit('Free prose, released as 0.3.4');
    git('tag', 'v0.3.4');
    const feat = commit('feat(cli): list the drills');
    const breaking = commit('fix!: the drill keeps its snapshot');
    commit('docs: say so');
    const notes = (version: string, changelog: string) => {
      fs.mkdirSync(path.join(repo, 'dist'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'dist/version.txt'), version);
      fs.writeFileSync(path.join(repo, 'dist/changelog.md'), changelog);
      return run('check-release-notes.ts');
    };
    const good = '## [0.4.0](https://x/compare/v0.3.4...v0.4.0)\n\n### ⚠ BREAKING CHANGES\n\n* the drill keeps its snapshot\n\n'
      + `### Features\n\n* **cli:** list the drills ([${feat.slice(0, 7)}](https://x/commit/${feat}))\n\n`
      + `### Bug Fixes\n\n* the drill keeps its snapshot ([${breaking.slice(0, 7)}](https://x/commit/${breaking}))\n`;
    let result = notes('0.4.0', good);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('0.4.0 (v0.3.4 bumped minor by the 3 commits since it)');
    expect(result.status).toBe(0);

    result = notes('0.3.5', good.replace(/0\.4\.0/g, '0.3.5'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('dist/version.txt says 0.3.5; v0.3.4 bumped minor by the 3 commits since it is 0.4.0');

    result = notes('0.4.0', good.replace(/### Features[^#]*/, '').replace('BREAKING CHANGES', 'Other'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`does not list ${feat.slice(0, 7)} "feat(cli): list the drills"`);
    expect(result.stderr).toContain('no BREAKING CHANGES section');
  });
});
