/**
 * The README's and every docs/ page's TypeScript snippets compile against the
 * library, exactly as written (imports from 'cdk-dr-platform' resolve to
 * src/). A snippet that is a whole file (`new App()`) also synthesizes, with
 * the cdk.context.json its page gives and nothing else: no context is left to
 * look up and no construct reports an error. Every construct the library
 * exports has a page with a snippet that creates it, and every page is linked
 * from the README.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import * as ts from 'typescript';
import * as lib from '../src';

const root = path.resolve(__dirname, '..');
const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const text = Object.fromEntries(pages.map((page) => [page, fs.readFileSync(path.join(root, page), 'utf8')]));

interface Snippet {
  readonly page: string;
  /** `README.md#2`: the page and the snippet's position among its ts blocks. */
  readonly name: string;
  readonly code: string;
  /** For a whole file: the cdk.context.json it runs with. */
  readonly context?: Record<string, unknown>;
}

/** A ```json block that is a cdk.context.json: every key is a context key such as `availability-zones:...`. */
function asContextFile(json: string): Record<string, unknown> | undefined {
  const value = JSON.parse(json);
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.includes(':')) ? value : undefined;
}

/**
 * The ts snippets of a page. A whole file runs with the cdk.context.json
 * shown after it (before the next ts snippet) or, when none is, with the
 * last one the page showed before it: the project the reader is in.
 */
function snippetsOf(page: string): Snippet[] {
  const blocks = [...text[page].matchAll(/```(ts|json)(?:[ \t][^\n]*)?\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));
  const out: Snippet[] = [];
  let lastContext: Record<string, unknown> | undefined;
  blocks.forEach((block, i) => {
    if (block.lang === 'json') {
      lastContext = asContextFile(block.code) ?? lastContext;
      return;
    }
    let context: Record<string, unknown> | undefined;
    for (const next of blocks.slice(i + 1)) {
      if (next.lang === 'ts') break;
      context = context ?? asContextFile(next.code);
    }
    out.push({ page, name: `${page}#${out.length}`, code: block.code, context: context ?? lastContext });
  });
  return out;
}

const snippets = pages.flatMap(snippetsOf);
const wholeFiles = snippets.filter((s) => s.code.includes('new App()'));

/**
 * The page of each construct src/index.ts exports. A construct documented on
 * another construct's page says why here.
 */
const PAGES: Record<string, string> = {
  AuroraGlobalSecondary: 'docs/aurora-global-secondary.md',
  BackupAuditEvidence: 'docs/backup-audit-evidence.md',
  DrAlarms: 'docs/dr-alarms.md',
  DrBackupVault: 'docs/dr-backup-vault.md',
  EncryptedAurora: 'docs/encrypted-aurora.md',
  EventForwarding: 'docs/event-forwarding.md',
  FailoverRouting: 'docs/failover-routing.md',
  GlobalPitrTable: 'docs/global-pitr-table.md',
  HourlyBackup: 'docs/hourly-backup.md',
  MultiRegionDrPlatform: 'docs/multi-region-dr-platform.md',
  PitrTable: 'docs/pitr-table.md',
  RecoveryPointMonitor: 'docs/recovery-point-monitor.md',
  RegionHealthCheck: 'docs/region-health-check.md',
  RegionPeering: 'docs/region-peering.md',
  // The accepter side of a RegionPeering: one is never used without the other.
  RegionPeeringRoutes: 'docs/region-peering.md',
  RegionSwitchFence: 'docs/region-switch-plan.md',
  RegionSwitchPlan: 'docs/region-switch-plan.md',
  RegionSwitchRehearsal: 'docs/region-switch-rehearsal.md',
  // A part of a plan: one trigger of a RegionSwitchPlan, documented with it.
  RegionSwitchTrigger: 'docs/region-switch-plan.md',
  RestoreDrill: 'docs/restore-drill.md',
  SingleRegionDrPlatform: 'docs/single-region-dr-platform.md',
  VersionedBucket: 'docs/versioned-bucket.md',
  VpcLambda: 'docs/vpc-lambda.md',
};
/**
 * Exported constructs with no page of their own, each with the reason (an
 * abstract base, say, documented through the classes that extend it).
 */
const NO_PAGE: Record<string, string> = {};
const constructs = Object.entries(lib)
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Construct)
  .map(([name]) => name)
  .sort();

test('every exported construct has a page, or a reason for none, listed above', () => {
  expect(constructs.length).toBeGreaterThan(10);
  expect([...Object.keys(PAGES), ...Object.keys(NO_PAGE)].sort()).toEqual(constructs);
  for (const reason of Object.values(NO_PAGE)) expect(reason).not.toEqual('');
});

test.each(constructs.filter((name) => !(name in NO_PAGE)))('%s has a page with a snippet that creates it', (name) => {
  expect(pages).toContain(PAGES[name]);
  expect(snippets.filter((s) => s.page === PAGES[name]).some((s) => s.code.includes(`new ${name}(`))).toBe(true);
});

test('the README has a whole-file quick start for each platform', () => {
  const readme = wholeFiles.filter((s) => s.page === 'README.md');
  expect(readme.some((s) => s.code.includes('new SingleRegionDrPlatform('))).toBe(true);
  expect(readme.some((s) => s.code.includes('new MultiRegionDrPlatform('))).toBe(true);
});

/** GitHub's anchor for a heading. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
function anchorsOf(page: string): string[] {
  const outsideCode = text[page].replace(/```[\s\S]*?```/g, '');
  return [...outsideCode.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]));
}

test.each(pages)('the links of %s lead to files and headings that exist', (page) => {
  const outsideCode = text[page].replace(/```[\s\S]*?```/g, '');
  const broken: string[] = [];
  for (const [, target] of outsideCode.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    const [file, anchor] = target.split('#');
    const resolved = file === '' ? page : path.normalize(path.join(path.dirname(page), file));
    if (!fs.existsSync(path.join(root, resolved))) {
      broken.push(target);
    } else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).includes(anchor)) {
      broken.push(target);
    }
  }
  expect(broken).toEqual([]);
});

test('every page under docs/ is linked from the README', () => {
  const linked = new Set([...text['README.md'].matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]));
  expect(pages.filter((p) => p !== 'README.md' && !linked.has(p))).toEqual([]);
});

test('every snippet type-checks', () => {
  expect(snippets.length).toBeGreaterThanOrEqual(constructs.length);
  // Inside the project, so the snippets resolve aws-cdk-lib from its node_modules, but
  // under node_modules/.cache, where no test that reads test/ or src/ sees them.
  const cache = path.join(root, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const dir = fs.mkdtempSync(path.join(cache, 'cdk-dr-readme-'));
  try {
    const files = snippets.map((s) => {
      const file = path.join(dir, `${s.name.replace(/[/.#]/g, '_')}.ts`);
      fs.writeFileSync(file, s.code);
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
}, 180_000);

test.each(wholeFiles.map((s) => [s.name, s] as const))('the whole file %s synthesizes with its page\'s cdk.context.json', (_name, snippet) => {
  // Run where the snippet's `dist/processor` asset exists, as it would in a user's project.
  const cwd = process.cwd();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  fs.mkdirSync(path.join(dir, 'dist', 'processor'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dist', 'processor', 'index.js'), 'exports.handler = async () => ({});');
  // How the CLI hands cdk.context.json to the app.
  const contextBefore = process.env.CDK_CONTEXT_JSON;
  process.env.CDK_CONTEXT_JSON = JSON.stringify(snippet.context ?? {});
  try {
    process.chdir(dir);
    const js = ts.transpileModule(snippet.code.replace("from 'cdk-dr-platform'", `from '${path.join(root, 'src')}'`), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const run = new Function('require', 'exports', js + '\nreturn app.synth();');
    const assembly = run(require, {});
    // Nothing left for the CLI to look up: the context the page shows is all the file needs.
    expect(assembly.manifest.missing ?? []).toEqual([]);
    const errors = assembly.stacks.flatMap((s: any) => s.messages.filter((m: any) => m.level === 'error').map((m: any) => `${m.id}: ${m.entry.data}`));
    expect(errors).toEqual([]);
    // The three stores, in one stack or across regions (a global table is its own resource type).
    const types = assembly.stacks.flatMap((s: any) => Object.values<any>(s.template.Resources ?? {}).map((r) => r.Type as string));
    expect(types).toEqual(expect.arrayContaining(['AWS::RDS::DBCluster', 'AWS::S3::Bucket']));
    expect(types.filter((type: string) => type === 'AWS::DynamoDB::Table' || type === 'AWS::DynamoDB::GlobalTable')).not.toEqual([]);
  } finally {
    if (contextBefore === undefined) delete process.env.CDK_CONTEXT_JSON;
    else process.env.CDK_CONTEXT_JSON = contextBefore;
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
