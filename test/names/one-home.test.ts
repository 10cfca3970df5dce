/**
 * The measure of src/names/: every physical name pattern the library deploys
 * is written there and nowhere else. Each region derives the other region's
 * names from the suffix, so a second copy that drifted would break a deploy
 * with no error at synth. The scan reads the string and template literals of
 * every source file (comments, which document the names, are not code) and
 * fails listing each file:line outside src/names/ that spells a name.
 * Handlers (*.lambda.ts) are left out: they learn every name from their
 * environment variables at run time.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { BUNDLED_HANDLERS } from '../../src/private/bundled-function';

const SRC = path.join(__dirname, '..', '..', 'src');
const NAMES = path.join(SRC, 'names');

/** A literal that starts a physical name: `dr-…`, `dr_…`, `alias/dr-…`, or a log group path of the library. */
const PHYSICAL_NAME = /^(alias\/)?dr[-_][a-z]|^\/dr\/|^\/aws\/(lambda|rds)\//;
/**
 * The library's handler bundles, named by their source path: a folder such as
 * `dr-backup-vault/` starts like a name but is no deployed resource.
 */
const HANDLER_PATHS: ReadonlySet<string> = new Set(BUNDLED_HANDLERS);
/** A template that builds a KMS alias from a name: `alias/${…}`. */
const ALIAS_TEMPLATE = /^alias\/$/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every string and template literal of `file` that spells a physical name, as `file:line: text`. */
function physicalNamesIn(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)
      || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const spellsName = PHYSICAL_NAME.test(node.text) && !HANDLER_PATHS.has(node.text);
      if (spellsName || (ts.isTemplateHead(node) && ALIAS_TEMPLATE.test(node.text))) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push(`${path.relative(path.join(SRC, '..'), file)}:${line}: ${JSON.stringify(node.text)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('physical names have one home, src/names/', () => {
  test('no file outside src/names/ spells a physical name', () => {
    const offenders = sourceFiles(SRC)
      .filter((f) => !f.startsWith(NAMES + path.sep) && !f.endsWith('.lambda.ts'))
      .flatMap(physicalNamesIn);
    expect(offenders).toEqual([]);
  });

  test('the scan finds the names where they are written (so it can fail)', () => {
    const inNames = sourceFiles(NAMES).flatMap(physicalNamesIn).join('\n');
    for (const spelled of ['"dr-aurora"', '"alias/"', '"dr-vault"', '"dr_drills"', '"/dr/"', '"/aws/lambda/"', '"dr-events-"', '"dr-data-"']) {
      expect(inNames).toContain(spelled);
    }
  });

  test('the scan reads literals, not comments', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'names-scan-'));
    const file = path.join(dir, 'sample.ts');
    fs.writeFileSync(file, [
      '/** The bucket is `dr-data-{suffix}`. */',
      "const a = 'dr-table-' + s; // 'dr-ignored'",
      'const b = `alias/${x}`;',
      "const e = 'alias/';",
      "const c = 'cdk-dr-platform';",
      'const d = `/dr/${s}/logs`;',
    ].join('\n'));
    try {
      expect(physicalNamesIn(file).map((f) => f.replace(/^.*sample\.ts:/, ''))).toEqual(['2: "dr-table-"', '3: "alias/"', '6: "/dr/"']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('src/names/ imports no construct folder, and the package does not export it', () => {
    for (const file of sourceFiles(NAMES)) {
      const imports = [...fs.readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      const local = imports.filter((i) => i.startsWith('.'));
      expect({ file: path.basename(file), outside: local.filter((i) => !i.startsWith('./') && !i.startsWith('../private/')) })
        .toEqual({ file: path.basename(file), outside: [] });
    }
    expect(fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8')).not.toMatch(/names/);
  });
});
