// The commit message convention (Conventional Commits 1.0.0,
// https://www.conventionalcommits.org/en/v1.0.0/) and what projen's release
// makes of it. projen's `bump` task runs commit-and-tag-version (13.x), which
// reads the commits since the last release tag with the
// conventional-changelog-conventionalcommits preset: it picks the version
// bump and writes dist/changelog.md from these messages. Shared by
// scripts/check-commit-messages.ts (the check run by test:all), the release
// dry run (scripts/release-dry-run.sh) and test/release/.
import { execFileSync } from 'child_process';

/**
 * The types commit-and-tag-version's default configuration knows. feat and
 * fix get a section in dist/changelog.md; the others are hidden there (perf
 * and revert included: commit-and-tag-version's defaults hide perf and do not
 * list revert), unless the commit is a breaking change.
 */
export const COMMIT_TYPES = ['feat', 'fix', 'perf', 'refactor', 'docs', 'test', 'build', 'ci', 'chore', 'revert', 'style'] as const;
export type CommitType = typeof COMMIT_TYPES[number];

/** The types listed in dist/changelog.md (any type is listed when the commit is breaking). */
export const CHANGELOG_TYPES: readonly CommitType[] = ['feat', 'fix'];

/**
 * The marker that names the baseline: the first commit held to the
 * convention carries this trailer in its message. Commits that descend from it
 * are checked; history before it (free prose) stays as it is.
 */
export const BASELINE_TRAILER = 'Commit-Convention-Baseline: yes';

export interface ParsedCommit {
  readonly type: CommitType;
  readonly scope?: string;
  readonly breaking: boolean;
  readonly description: string;
}

// type(scope)!: description. The type is checked against COMMIT_TYPES
// separately, so that an unknown or uppercase type gets its own message.
const HEADER = /^([A-Za-z]+)(?:\(([^()]*)\))?(!)?: (.*)$/;
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE: *(.*)$/m;

/** What is wrong with a commit message (its first line is the subject); empty when it follows the convention. */
export function commitMessageProblems(message: string): string[] {
  const lines = message.replace(/\r\n/g, '\n').split('\n');
  const subject = lines[0];
  const problems: string[] = [];
  if (!subject.trim()) return ['the subject is empty'];
  const m = HEADER.exec(subject);
  if (!m) {
    const loose = /^([A-Za-z]+)(\([^()]*\))?!?(:?)(\s*)/.exec(subject);
    if (/^Revert "/.test(subject)) {
      problems.push('git revert\'s default subject: write "revert: <the reverted subject>" and keep "This reverts commit <sha>." in the body');
    } else if (/^(fixup|squash|amend)! /.test(subject)) {
      problems.push('a fixup/squash commit: fold it into its commit (git rebase -i --autosquash) before merging');
    } else if (/^[A-Za-z]+\([^)]*(\(|$)/.test(subject)) {
      problems.push('the scope must be closed, without nested parentheses: "type(scope): description"');
    } else if (loose && COMMIT_TYPES.includes(loose[1].toLowerCase() as CommitType) && (loose[3] !== ':' || loose[4] !== ' ')) {
      problems.push(`the type must be followed by an optional (scope), an optional !, a colon and one space: "${loose[1]}${loose[2] ?? ''}: description"`);
    } else {
      problems.push(`the subject must start with a type, "type(scope)?!?: description", type one of ${COMMIT_TYPES.join(', ')}`);
    }
    return problems;
  }
  const [, type, scope, , description] = m;
  if (!COMMIT_TYPES.includes(type as CommitType)) {
    problems.push(COMMIT_TYPES.includes(type.toLowerCase() as CommitType)
      ? `the type "${type}" must be lower case: "${type.toLowerCase()}"`
      : `unknown type "${type}": use one of ${COMMIT_TYPES.join(', ')}`);
  }
  if (scope !== undefined && !/^[a-z0-9][a-z0-9._/-]*$/i.test(scope)) {
    problems.push(`the scope "${scope}" must be one word (letters, digits, . _ / -), or leave out the parentheses`);
  }
  if (!description.trim()) {
    problems.push('the description after "type: " is empty');
  } else if (/^\s/.test(description)) {
    problems.push('one space after the colon, then the description');
  }
  // projen's bump task skips itself when HEAD's subject contains this
  // (it is how its own release commits are recognised), so a release of such a
  // commit would silently not happen.
  if (subject.includes('chore(release):')) {
    problems.push('"chore(release):" is reserved: projen\'s bump skips a HEAD whose subject contains it');
  }
  if (lines.length > 1 && lines[1].trim()) {
    problems.push('a blank line must separate the subject from the body');
  }
  const footer = BREAKING_FOOTER.exec(lines.slice(1).join('\n'));
  if (footer && !footer[1].trim()) {
    problems.push('the BREAKING CHANGE footer must say what breaks: "BREAKING CHANGE: <what and how to migrate>"');
  }
  if (/^breaking[ -]change:/im.test(lines.slice(1).join('\n')) && !BREAKING_FOOTER.test(lines.slice(1).join('\n'))) {
    problems.push('a breaking-change footer is spelled "BREAKING CHANGE:" in upper case, or commit-and-tag-version ignores it');
  }
  return problems;
}

/**
 * The commit as commit-and-tag-version reads it, or undefined when it does not
 * follow the convention (such commits neither bump nor appear in the changelog).
 */
export function parseCommit(message: string): ParsedCommit | undefined {
  const lines = message.replace(/\r\n/g, '\n').split('\n');
  const m = HEADER.exec(lines[0]);
  if (!m || !COMMIT_TYPES.includes(m[1] as CommitType) || !m[4].trim()) return undefined;
  const footer = BREAKING_FOOTER.exec(lines.slice(1).join('\n'));
  return {
    type: m[1] as CommitType,
    scope: m[2] || undefined,
    breaking: m[3] === '!' || (footer !== null && footer[1].trim() !== ''),
    description: m[4].trim(),
  };
}

export type Bump = 'major' | 'minor' | 'patch';

/**
 * The bump commit-and-tag-version picks for the commits since the last
 * release (lib/lifecycles/bump.js, the "legacy" whatBump projen gets): a
 * breaking change is major, a feat minor, anything else patch, and a release
 * is always at least a patch. Before 1.0.0 ("preMajor") every level moves one
 * down: a breaking change is minor and a feat is patch.
 */
export function releaseBump(currentVersion: string, commits: readonly (ParsedCommit | undefined)[]): Bump {
  const known = commits.filter((c): c is ParsedCommit => c !== undefined);
  let level: Bump = known.some((c) => c.breaking) ? 'major' : known.some((c) => c.type === 'feat') ? 'minor' : 'patch';
  if (parseVersion(currentVersion)[0] === 0) level = level === 'major' ? 'minor' : 'patch';
  return level;
}

export function nextVersion(currentVersion: string, bump: Bump): string {
  const [major, minor, patch] = parseVersion(currentVersion);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

export function parseVersion(version: string): [number, number, number] {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(version);
  if (!m) throw new Error(`not a semantic version: ${version}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The commits dist/changelog.md lists: feat and fix, and every breaking change. */
export function changelogEntries(commits: readonly (ParsedCommit | undefined)[]): ParsedCommit[] {
  return commits.filter((c): c is ParsedCommit => c !== undefined && (c.breaking || CHANGELOG_TYPES.includes(c.type)));
}

// --- git ---

export interface Commit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
}

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The commits `git log <args>` lists, each with its parents and full message. */
export function gitCommits(cwd: string, args: string[]): Commit[] {
  const out = git(cwd, ['log', '-z', '--format=%H %P%n%B', ...args]);
  return out.split('\0').filter((s) => s.trim()).map((entry) => {
    const newline = entry.indexOf('\n');
    const [sha, ...parents] = entry.slice(0, newline).trim().split(' ').filter(Boolean);
    return { sha, parents, message: entry.slice(newline + 1).replace(/\n+$/, '') };
  });
}

/** The baseline commit: the oldest commit reachable from `head` whose message carries BASELINE_TRAILER. */
export function findBaseline(cwd: string, head = 'HEAD'): string | undefined {
  const shas = git(cwd, ['log', '--topo-order', '--format=%H', `--grep=^${BASELINE_TRAILER}$`, head]).split('\n').filter(Boolean);
  return shas[shas.length - 1];
}

/**
 * The commits held to the convention: the baseline and the non-merge commits
 * that descend from it and lead to `head`. Commits made elsewhere before they
 * were merged (branches forked before the baseline) are not its descendants
 * and stay unchecked, as does everything before the baseline.
 */
export function commitsToCheck(cwd: string, baseline: string, head = 'HEAD'): Commit[] {
  return [
    ...gitCommits(cwd, ['--no-merges', '--ancestry-path', `${baseline}..${head}`]),
    ...gitCommits(cwd, ['-1', baseline]),
  ];
}

/** The latest release tag as projen resolves it (vX.Y.Z, highest version), or undefined before the first release. */
export function latestReleaseTag(cwd: string): string | undefined {
  return git(cwd, ['tag', '--sort=-version:refname', '--list', 'v*']).split('\n')
    .find((t) => /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(t));
}
