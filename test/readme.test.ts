/**
 * The README's TypeScript snippets compile against the library, exactly as
 * written (imports from 'cdk-dr-platform' resolve to src/), and the full
 * usage snippet also synthesizes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has the usage snippet and one per construct', () => {
  expect(snippets.length).toBeGreaterThanOrEqual(4);
  for (const name of ['EncryptedAurora', 'PitrTable', 'VersionedBucket', 'HourlyBackup', 'DrAlarms', 'VpcLambda', 'SingleRegionDrPlatform']) {
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

test.each(snippets.filter((s) => s.includes('new App()')).map((code) => [code.match(/new Stack\(app, '(\w+)'/)![1], code]))(
  'the %s snippet synthesizes', (stackName, code) => {
    // Run where the snippet's `dist/processor` asset exists, as it would in a user's project.
    const cwd = process.cwd();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
    fs.mkdirSync(path.join(dir, 'dist', 'processor'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', 'processor', 'index.js'), 'exports.handler = async () => ({});');
    try {
      process.chdir(dir);
      const js = ts.transpileModule(code.replace("from 'cdk-dr-platform'", `from '${path.join(root, 'src')}'`), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      const run = new Function('require', 'exports', js + '\nreturn app.synth();');
      const assembly = run(require, {});
      const types = Object.values<any>(assembly.getStackByName(stackName).template.Resources).map((r) => r.Type);
      expect(types).toEqual(expect.arrayContaining(['AWS::RDS::DBCluster', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket']));
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
