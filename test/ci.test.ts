import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** The README's "whole test suite, as CI runs it" command. */
function readmeTestCommand(): string {
  const readme = read('README.md');
  const after = readme.slice(readme.indexOf('The whole test suite, as CI runs it:'));
  const block = /```bash\n([^\n]+)\n```/.exec(after);
  expect(block).not.toBeNull();
  return block![1];
}

test('.ci/run runs the README\'s test command verbatim', () => {
  const command = readmeTestCommand();
  expect(command).toBe('scripts/node24 npm ci && scripts/node24 npx projen test:all');
  const [install, test] = command.split(' && ');
  expect(read('.ci/run')).toContain(`{ ${install} && ${test}; }`);
});

test('the pull-request workflow runs .ci/run, not projen build', () => {
  const workflow = read('.github/workflows/build.yml');
  const runs = [...workflow.matchAll(/^\s+run: (.+)$/gm)].map((m) => m[1]);
  expect(runs).toContain('bash .ci/run');
  expect(runs).not.toContain('npx projen build');
});

test('the package tasks build the handler bundles they pack, so each runs alone from a clean clone', () => {
  const tasks = JSON.parse(read('.projen/tasks.json')).tasks;
  for (const name of ['test:package', 'test:bindings']) {
    const spawned = tasks[name].steps.map((s: any) => s.spawn).filter(Boolean);
    expect(spawned).toContain('bundle');
    expect(spawned.indexOf('bundle')).toBeLessThan(spawned.indexOf('compile'));
  }
});
