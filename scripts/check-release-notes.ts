// Run by the release dry run (scripts/release-dry-run.sh) after `projen bump`,
// in the throwaway clone: checks that dist/version.txt is the version the
// commit types since the latest release tag call for, and that
// dist/changelog.md lists the commits a release would carry (feat, fix and
// breaking changes). Before the first release tag, projen releases the
// version it starts from, 0.0.0, whatever the commits say, and the changelog
// draws on the whole history.
import { readFileSync } from 'fs';
import { changelogEntries, gitCommits, latestReleaseTag, nextVersion, parseCommit, releaseBump } from './commit-convention';

/** projen's first release: the version file is seeded with 0.0.0 and not bumped. */
const FIRST_VERSION = '0.0.0';

function main(): number {
  const cwd = process.cwd();
  const version = readFileSync('dist/version.txt', 'utf8').trim();
  const changelog = readFileSync('dist/changelog.md', 'utf8');
  const tag = latestReleaseTag(cwd);
  const commits = gitCommits(cwd, ['--no-merges', tag ? `${tag}..HEAD` : 'HEAD']).map((c) => ({ c, parsed: parseCommit(c.message) }));
  const problems: string[] = [];
  const count = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;

  const expected = tag ? nextVersion(tag.slice(1), releaseBump(tag.slice(1), commits.map((x) => x.parsed))) : FIRST_VERSION;
  const why = tag ? `${tag} bumped ${releaseBump(tag.slice(1), commits.map((x) => x.parsed))} by the ${count(commits.length, 'commit')} since it` : 'the first release';
  if (version !== expected) problems.push(`dist/version.txt says ${version}; ${why} is ${expected}`);

  // Links (issue references, compare URLs) are the writer's; compare their text.
  const text = changelog.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  if (!text.trim()) problems.push('dist/changelog.md is empty');
  if (!text.includes(version)) problems.push(`dist/changelog.md has no heading for ${version}`);
  const entries = commits.filter((x) => x.parsed && changelogEntries([x.parsed]).length);
  for (const { c, parsed } of entries) {
    if (!text.includes(c.sha.slice(0, 7)) || !text.includes(parsed!.description)) {
      problems.push(`dist/changelog.md does not list ${c.sha.slice(0, 7)} ${JSON.stringify(c.message.split('\n')[0])}`);
    }
  }
  if (entries.some((x) => x.parsed!.breaking) && !text.includes('BREAKING CHANGES')) {
    problems.push('dist/changelog.md has no BREAKING CHANGES section, yet breaking commits are in the release');
  }
  for (const p of problems) console.error(`release notes: ${p}`);
  if (problems.length) return 1;
  console.log(`release notes: ${version} (${why}); dist/changelog.md lists the ${count(entries.length, 'feat, fix or breaking commit')}`);
  return 0;
}

process.exitCode = main();
