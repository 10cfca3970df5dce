import * as fs from 'fs';
import * as path from 'path';
import { isAlias, isMap, isScalar, isSeq, Node, parseDocument, Document } from 'yaml';
import { CliError } from './errors';

/** A CloudFormation template as parsed JSON. */
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly [key: string]: unknown;
}

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DeletionPolicy?: unknown;
  readonly UpdateReplacePolicy?: unknown;
  readonly [key: string]: unknown;
}

/** A template and where it came from. */
export interface LoadedTemplate {
  /** The file it was read from. */
  readonly file: string;
  /** The stack's name: the cloud assembly's, or the file's name without its extension. */
  readonly stackName: string;
  /** The stack's region when the cloud assembly or `--region` names it. */
  readonly region?: string;
  readonly template: CfnTemplate;
}

/**
 * The templates at a path: one JSON or YAML template file, or a cloud
 * assembly (`cdk.out`): its manifest's stacks, nested assemblies (stages)
 * included, or else every `*.template.json` in the folder.
 */
export function loadTemplates(target: string, region?: string): LoadedTemplate[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new CliError(`${target}: no such file or directory (give a template file, .json or .yaml, or a cdk.out folder)`);
  }
  if (stat.isDirectory()) {
    const templates = loadAssembly(target, region);
    if (templates.length === 0) {
      throw new CliError(`${target}: no CloudFormation template in this folder (no manifest.json stacks and no *.template.json)`);
    }
    return templates;
  }
  const name = path.basename(target).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
  return [{ file: target, stackName: name, region, template: readTemplate(target) }];
}

function loadAssembly(dir: string, region?: string): LoadedTemplate[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort()
      .map((f) => ({ file: path.join(dir, f), stackName: f.replace(/\.template\.json$/, ''), region, template: readTemplate(path.join(dir, f)) }));
  }
  const manifest = parseJson(manifestFile, readText(manifestFile)) as { artifacts?: Record<string, any> };
  const templates: LoadedTemplate[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact?.type === 'aws:cloudformation:stack' && typeof artifact.properties?.templateFile === 'string') {
      const file = path.join(dir, artifact.properties.templateFile);
      const env = /^aws:\/\/[^/]*\/(.+)$/.exec(String(artifact.environment ?? ''));
      const envRegion = env && !env[1].startsWith('unknown-') ? env[1] : undefined;
      const stackName = artifact.properties.stackName ?? artifact.displayName ?? id;
      templates.push({ file, stackName, region: region ?? envRegion, template: readTemplate(file) });
    } else if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      templates.push(...loadAssembly(path.join(dir, artifact.properties.directoryName), region));
    }
  }
  return templates;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads one template file, JSON or YAML (CloudFormation's short-form tags included). */
export function readTemplate(file: string): CfnTemplate {
  const text = readText(file);
  const looksJson = /\.json$/i.test(file) || /^\s*\{/.test(text);
  const parsed = looksJson ? parseJson(file, text) : parseCfnYaml(file, text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${file}: not a CloudFormation template (the document is not a mapping)`);
  }
  const resources = (parsed as Record<string, unknown>).Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new CliError(`${file}: not a CloudFormation template (no Resources section)`);
  }
  for (const [id, r] of Object.entries(resources as Record<string, any>)) {
    if (typeof r !== 'object' || r === null || typeof r.Type !== 'string') {
      throw new CliError(`${file}: resource ${id} has no Type`);
    }
  }
  return parsed as CfnTemplate;
}

/**
 * Parses a YAML template. CloudFormation's short forms (`!Ref X`,
 * `!GetAtt A.B`, `!Sub ...`, every `!Fn`) become their long JSON forms
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
 * The parser keeps each node's tag; the tags are read here rather than
 * registered with the parser, so any `!Name` works.
 */
export function parseCfnYaml(file: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw new CliError(`${file}: not valid YAML: ${first.message.split('\n')[0]}`);
  }
  return toPlain(doc, doc.contents);
}

function toPlain(doc: Document, node: unknown): unknown {
  if (node === null || node === undefined) {
    return null;
  }
  if (isAlias(node)) {
    return toPlain(doc, node.resolve(doc));
  }
  let value: unknown;
  if (isScalar(node)) {
    value = node.value;
  } else if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(toPlain(doc, pair.key));
      out[key] = toPlain(doc, pair.value);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item) => toPlain(doc, item));
  } else {
    return null;
  }
  const tag = (node as Node).tag;
  if (!tag || !tag.startsWith('!') || tag.startsWith('!!')) {
    return value;
  }
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') {
    return { [name]: value };
  }
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}
