import { STATEFUL, RuleCoverage } from './posture-model';

/**
 * How a backup selection reaches a resource of a template: by reference, by
 * literal or wildcard ARN, or by tags, each answered yes, no or maybe.
 */

export const PSEUDO = new Set(['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::StackName', 'AWS::StackId', 'AWS::URLSuffix', 'AWS::NoValue']);

export type Tri = 'yes' | 'no' | 'maybe';

/** The logical ids an expression refers to (Ref, GetAtt, ${X} in Sub). */
export function refsOf(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => refsOf(v, into));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'Ref' && typeof v === 'string' && !PSEUDO.has(v)) {
        into.add(v);
      } else if (k === 'Fn::GetAtt') {
        const first = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
        if (typeof first === 'string') {
          into.add(first);
        }
      } else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([^}!]+)\}/g)) {
            const id = m[1].split('.')[0];
            if (!PSEUDO.has(m[1]) && !(Array.isArray(v) && v[1] && typeof v[1] === 'object' && id in v[1])) {
              into.add(id);
            }
          }
        }
        if (Array.isArray(v)) {
          refsOf(v[1], into);
        }
      } else {
        refsOf(v, into);
      }
    }
  }
  return into;
}

/** An expression as a string, with what cannot be known as `*` (and pseudo parameters as given). */
export function render(value: unknown, region?: string): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const o = value as Record<string, any>;
  if ('Ref' in o) {
    return o.Ref === 'AWS::Partition' ? 'aws' : o.Ref === 'AWS::Region' ? (region ?? '${AWS::Region}') : '*';
  }
  if ('Fn::Join' in o && Array.isArray(o['Fn::Join']) && Array.isArray(o['Fn::Join'][1])) {
    const parts = (o['Fn::Join'][1] as unknown[]).map((p) => render(p, region) ?? '*');
    return parts.join(String(o['Fn::Join'][0]));
  }
  if ('Fn::Sub' in o) {
    const text = Array.isArray(o['Fn::Sub']) ? o['Fn::Sub'][0] : o['Fn::Sub'];
    if (typeof text === 'string') {
      return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => (name === 'AWS::Partition' ? 'aws' : name === 'AWS::Region' ? (region ?? '${AWS::Region}') : '*'));
    }
  }
  return '*';
}

export function glob(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(text);
}

export function literal(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Whether an ARN pattern of a selection names the resource. */
export function arnMatch(pattern: string, r: { type: string; props: Record<string, any> }): Tri {
  const kind = STATEFUL[r.type];
  if (!kind.arn) {
    return 'no';
  }
  if (pattern === '*') {
    return 'yes';
  }
  const fields = pattern.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') {
    return 'no';
  }
  const [, , service, , , ...rest] = fields;
  const resource = rest.join(':');
  if (!glob(service, kind.arn.service)) {
    return 'no';
  }
  const rawName = kind.arn.nameProp ? literal(r.props[kind.arn.nameProp]) : undefined;
  const name = rawName && r.type.startsWith('AWS::RDS::') ? rawName.toLowerCase() : rawName;
  if (name !== undefined) {
    return glob(resource, `${kind.arn.prefix}${name}`) ? 'yes' : 'no';
  }
  // The name is generated at deploy: a pattern that takes any name of the type matches; one naming a name may.
  if (resource === '*' || (resource.endsWith('*') && kind.arn.prefix.startsWith(resource.slice(0, -1)))) {
    return 'yes';
  }
  return resource.startsWith(kind.arn.prefix) ? 'maybe' : 'no';
}

export function tagsOf(r: { type: string; props: Record<string, any> }): Record<string, unknown> {
  const list = r.type === 'AWS::EFS::FileSystem' ? r.props.FileSystemTags
    : r.type === 'AWS::DynamoDB::GlobalTable' ? (r.props.Replicas ?? []).flatMap((rep: any) => rep?.Tags ?? [])
      : r.props.Tags;
  const tags: Record<string, unknown> = {};
  if (Array.isArray(list)) {
    for (const t of list) {
      if (t && typeof t.Key === 'string') {
        tags[t.Key] = t.Value;
      }
    }
  } else if (list && typeof list === 'object') {
    Object.assign(tags, list);
  }
  return tags;
}

export function tagTest(tags: Record<string, unknown>, key: string, value: unknown, like: boolean): Tri {
  if (!(key in tags)) {
    return 'no';
  }
  const actual = tags[key];
  const wanted = literal(value);
  if (typeof actual !== 'string' || wanted === undefined) {
    return 'maybe';
  }
  return (like ? glob(wanted, actual) : wanted === actual) ? 'yes' : 'no';
}

export const or = (a: Tri, b: Tri): Tri => (a === 'yes' || b === 'yes' ? 'yes' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'no');
export const and = (a: Tri, b: Tri): Tri => (a === 'no' || b === 'no' ? 'no' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'yes');
export const not = (a: Tri): Tri => (a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'maybe');

export interface Selected { readonly match: Tri; readonly how: RuleCoverage['how']; readonly detail: string }

/**
 * Whether a backup selection assigns the resource. AWS Backup assigns what
 * `Resources` or any of `ListOfTags` names (OR), keeps only what matches
 * every `Conditions` entry (AND), and drops what `NotResources` names
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html).
 */
export function selects(
  selection: Record<string, any>, r: { logicalId: string; type: string; props: Record<string, any> }, region?: string,
): Selected {
  const byEntry = (entry: unknown): Tri => {
    const refs = refsOf(entry);
    if (refs.size > 0) {
      return refs.has(r.logicalId) ? 'yes' : 'no';
    }
    const text = render(entry, region);
    return text === undefined ? 'no' : arnMatch(text, r);
  };
  const resources: unknown[] = Array.isArray(selection.Resources) ? selection.Resources : [];
  const listOfTags: any[] = Array.isArray(selection.ListOfTags) ? selection.ListOfTags : [];
  const conditions = selection.Conditions && typeof selection.Conditions === 'object' ? selection.Conditions : {};
  const tags = tagsOf(r);
  let how: Selected['how'] = 'arn';
  let detail = '';
  let named: Tri = 'no';
  for (const entry of resources) {
    const m = byEntry(entry);
    if (m !== 'no' && named !== 'yes') {
      const refs = refsOf(entry);
      how = refs.size > 0 ? 'reference' : render(entry, region)?.includes('*') ? 'wildcard' : 'arn';
      detail = refs.size > 0 ? `Resources refers to ${r.logicalId}` : `Resources ${render(entry, region)}`;
    }
    named = or(named, m);
  }
  for (const t of listOfTags) {
    const m = tagTest(tags, String(t?.ConditionKey), t?.ConditionValue, false);
    if (m !== 'no' && named !== 'yes') {
      how = 'tags';
      detail = `ListOfTags ${t?.ConditionKey}=${render(t?.ConditionValue) ?? '?'}`;
    }
    named = or(named, m);
  }
  const conditionWords: string[] = [];
  let conditionsMatch: Tri = 'yes';
  for (const [op, list] of Object.entries(conditions as Record<string, any[]>)) {
    for (const c of Array.isArray(list) ? list : []) {
      const key = String(c?.ConditionKey ?? '').replace(/^aws:ResourceTag\//, '');
      const like = /Like$/.test(op);
      let m = tagTest(tags, key, c?.ConditionValue, like);
      if (/Not/.test(op)) {
        m = not(m);
      }
      conditionWords.push(`${op} ${key}=${render(c?.ConditionValue) ?? '?'}`);
      conditionsMatch = and(conditionsMatch, m);
    }
  }
  if (resources.length === 0 && listOfTags.length === 0 && conditionWords.length > 0) {
    // Conditions alone: taken as applying to every supported resource (unverified, docs/cli.md).
    named = STATEFUL[r.type].arn ? 'yes' : 'no';
    how = 'tags';
  }
  if (conditionWords.length > 0 && named !== 'no') {
    how = how === 'reference' || how === 'arn' ? how : 'tags';
    detail = [detail, `Conditions ${conditionWords.join(', ')}`].filter(Boolean).join('; ');
  }
  let match = and(named, conditionsMatch);
  for (const entry of Array.isArray(selection.NotResources) ? selection.NotResources : []) {
    match = and(match, not(byEntry(entry)));
  }
  if (!STATEFUL[r.type].arn) {
    match = 'no';
  }
  return { match, how, detail };
}

export function minutes(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : fallback;
  return n;
}

export function regionOfArn(value: unknown, region?: string): string {
  const text = render(value, region);
  const fields = text?.split(':');
  if (!fields || fields.length < 4 || fields[3] === '*' || fields[3] === '') {
    return 'unknown';
  }
  return fields[3];
}
