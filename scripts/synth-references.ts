// Synthesizes the reference apps, and the platforms with every option on,
// into one folder of templates (one file per stack and configuration), so a
// refactor can be checked for template changes:
//   ts-node --project tsconfig.dev.json scripts/synth-references.ts /tmp/before
//   ...refactor...
//   ts-node --project tsconfig.dev.json scripts/synth-references.ts /tmp/after
//   diff -r /tmp/before /tmp/after
// Asset hashes stay in: a changed handler bundle shows as a changed hash.
import * as fs from 'fs';
import * as path from 'path';
import { CONFIGURATIONS, synthesizeConfiguration } from './reference-configurations';

function main(): void {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: scripts/synth-references.ts OUTDIR\n');
    process.exit(2);
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const name of Object.keys(CONFIGURATIONS)) {
    const assembly = synthesizeConfiguration(name);
    for (const stack of assembly.stacks) {
      fs.writeFileSync(path.join(out, `${name}.${stack.stackName}.json`), JSON.stringify(stack.template, null, 1) + '\n');
    }
    process.stderr.write(`${name}: ${assembly.stacks.map((s) => s.stackName).join(', ')}\n`);
    fs.rmSync(assembly.directory, { recursive: true, force: true });
  }
}

main();
