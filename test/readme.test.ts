/**
 * The README's TypeScript snippets compile against the library, exactly as
 * written (imports from 'cdk-dr-platform' resolve to src/), and the full
 * usage snippet also synthesizes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has the usage snippet and one per construct', () => {
  expect(snippets.length).toBeGreaterThanOrEqual(4);
  for (const name of ['EncryptedAurora', 'PitrTable', 'VersionedBucket', 'HourlyBackup', 'DrAlarms']) {
    expect(snippets.some((s) => s.includes(`new ${name}(`))).toBe(true);
  }
});

test('every snippet type-checks', () => {
  const dir = fs.mkdtempSync(path.join(root, 'test', '.readme-'));
  try {
    const files = snippets.map((code, i) => {
      const file = path.join(dir, `snippet${i}.ts`);
      fs.writeFileSync(file, code);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      strict: true,
      noEmit: true,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
      baseUrl: root,
      paths: { 'cdk-dr-platform': ['src/index.ts'] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
      .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test('the usage snippet synthesizes', () => {
  const usage = snippets.find((s) => s.includes('new App()'))!;
  const js = ts.transpileModule(usage.replace("from 'cdk-dr-platform'", `from '${path.join(root, 'src')}'`), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const run = new Function('require', 'exports', js + '\nreturn app.synth();');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const assembly = run(require, {});
  const template = assembly.getStackByName('Workload').template;
  const types = Object.values<any>(template.Resources).map((r) => r.Type);
  expect(types).toEqual(expect.arrayContaining(['AWS::RDS::DBCluster', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket']));
});
