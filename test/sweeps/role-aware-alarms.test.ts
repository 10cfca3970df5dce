/**
 * The role-aware alarms of a MultiRegionDrPlatform, swept over
 * {primary stack, secondary stack} x {writer, secondary, role unknown} x
 * {lag low, high, missing}, and over switches and switches back: the
 * alarms (their metrics, math expressions and composite rules) are read
 * from the synthesized templates and evaluated here with CloudWatch's
 * documented semantics (below), written independently of the code that
 * builds them. One rule for the verdict:
 * as writer, OK; as secondary, ALARM exactly when the lag is high or
 * missing; with the role unknown, never OK while the lag is high or missing;
 * and after a switch nothing stays in ALARM for a metric only the other role
 * has, and nothing goes silent.
 *
 * Semantics (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
 * - FILL(ts, s) fills the missing values of ts with s. Whether FILL fills a
 *   series with no value at all in the window is not documented, so every
 *   case runs both ways (`fillEmpty`).
 * - IF(condition, a, b), per timestamp of the condition: a missing condition
 *   value gives no value; a true one gives a (a scalar, or the value of a,
 *   or 0 when a has none); a false one gives b (a scalar, or the value of b,
 *   or no value when b has none).
 * - ts == s: 1 or 0 per value of ts; no value where ts has none.
 * A composite alarm: its rule, ALARM("...") AND/OR ALARM("..."), over its
 * inputs' states, minute by minute.
 * The alarm: each evaluated minute breaches when its value passes the
 * threshold or, with no value, per TreatMissingData (ignore: skipped). ALARM
 * when the last DatapointsToAlarm of EvaluationPeriods minutes all breach,
 * OK when any of them does not; all skipped keeps the state.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { MultiRegionDrPlatform } from '../../src';
import { testApp } from '../util';

type Point = number | undefined;
type Value = { kind: 'scalar'; v: number } | { kind: 'series'; v: Point[] };
type Inputs = { role: Point[]; lag: Point[]; latency: Point[] };

/** Tokens of the expressions the alarms use: names, numbers, (, ), comma and ==. */
function tokenize(expression: string): string[] {
  const tokens = expression.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|==|[(),]/g) ?? [];
  if (tokens.join('') !== expression.replace(/\s+/g, '')) throw new Error(`cannot read the expression: ${expression}`);
  return tokens;
}

/** Evaluates an expression over series of `length` minutes; `bind` gives each id's series. */
function evaluate(expression: string, bind: (id: string) => Point[], length: number, fillEmpty: boolean): Point[] {
  const tokens = tokenize(expression);
  let at = 0;
  const next = () => tokens[at++];
  const expect1 = (t: string) => { if (next() !== t) throw new Error(`expected ${t} in ${expression}`); };
  const series = (v: Value): Point[] => (v.kind === 'series' ? v.v : Array(length).fill(v.v));
  const comparison = (): Value => {
    const left = primary();
    if (tokens[at] !== '==') return left;
    next();
    const right = primary();
    if (left.kind !== 'series' || right.kind !== 'scalar') throw new Error('only series == scalar is used');
    return { kind: 'series', v: left.v.map((p) => (p === undefined ? undefined : p === right.v ? 1 : 0)) };
  };
  const primary = (): Value => {
    const t = next();
    if (/^\d/.test(t)) return { kind: 'scalar', v: Number(t) };
    if (t === 'FILL' || t === 'IF') {
      expect1('(');
      const args = [comparison()];
      while (tokens[at] === ',') { next(); args.push(comparison()); }
      expect1(')');
      if (t === 'FILL') {
        const [ts, filler] = args;
        if (ts.kind !== 'series' || filler.kind !== 'scalar') throw new Error('FILL(series, scalar) only');
        const empty = ts.v.every((p) => p === undefined);
        return { kind: 'series', v: empty && !fillEmpty ? ts.v : ts.v.map((p) => p ?? filler.v) };
      }
      const [condition, whenTrue, whenFalse] = args;
      if (condition.kind !== 'series') throw new Error('IF over a series condition only');
      return {
        kind: 'series',
        v: condition.v.map((c, i) => {
          if (c === undefined) return undefined;
          if (c !== 0) return whenTrue.kind === 'scalar' ? whenTrue.v : whenTrue.v[i] ?? 0;
          return whenFalse.kind === 'scalar' ? whenFalse.v : series(whenFalse)[i];
        }),
      };
    }
    return { kind: 'series', v: bind(t) };
  };
  const result = comparison();
  if (at !== tokens.length) throw new Error(`trailing tokens in ${expression}`);
  return series(result);
}

interface AlarmShape {
  name: string;
  threshold: number;
  comparison: string;
  missing: string;
  periods: number;
  toAlarm: number;
  expression: string;
  /** What each id of the expression reads. */
  ids: Record<string, keyof Inputs>;
}

/** What a plain metric alarm, or a query, reads. */
function reads(metric: { MetricName?: string; Expression?: unknown }): keyof Inputs {
  if (metric.MetricName === 'ClusterIsWriter') return 'role';
  if (metric.MetricName === 'ReplicationLatency') return 'latency';
  if (/SELECT MAX\(AuroraGlobalDB(RPO|Replication)Lag\)/.test(JSON.stringify(metric.Expression))) return 'lag';
  throw new Error(`unknown input ${JSON.stringify(metric)}`);
}

/** The alarm as the template has it; the ids are bound by what each query reads, not by name. */
function shape(alarm: any): AlarmShape {
  const common = {
    name: alarm.AlarmName,
    threshold: alarm.Threshold,
    comparison: alarm.ComparisonOperator,
    missing: alarm.TreatMissingData,
    periods: alarm.EvaluationPeriods,
    toAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods,
  };
  if (!alarm.Metrics) {
    // A plain metric alarm: the expression is its one metric.
    expect(alarm.Period).toBe(60);
    return { ...common, expression: 'm', ids: { m: reads(alarm) } };
  }
  if (alarm.Metrics.length === 1) {
    expect(alarm.Metrics[0].Period).toBe(60);
    return { ...common, expression: 'm', ids: { m: reads(alarm.Metrics[0]) } };
  }
  const returned = alarm.Metrics.filter((m: any) => m.ReturnData !== false);
  expect(returned).toHaveLength(1);
  const ids: Record<string, keyof Inputs> = {};
  for (const m of alarm.Metrics.filter((q: any) => q.ReturnData === false)) {
    ids[m.Id] = reads(m.MetricStat?.Metric ?? m);
    // Every input of an alarm's math has the same one-minute period.
    expect(m.MetricStat?.Period ?? m.Period).toBe(60);
  }
  return { ...common, expression: returned[0].Expression, ids };
}

/**
 * A composite alarm's state minute by minute: its rule with each input
 * alarm's state put in, as CloudWatch evaluates AND, OR and NOT.
 */
function compositeStates(rule: any, inputs: Record<string, Array<'OK' | 'ALARM'>>, length: number): Array<'OK' | 'ALARM'> {
  // The rule is a Fn::Join of text and the inputs' ARNs (Fn::GetAtt of their logical ids).
  const parts: unknown[] = rule['Fn::Join'][1];
  return Array.from({ length }, (_, t) => {
    const text = parts.map((p: any) => (typeof p === 'string' ? p : p['Fn::GetAtt'][0])).join('');
    const js = text
      .replace(/ALARM\("([^"]+)"\)/g, (_m, id: string) => String(inputs[id][t] === 'ALARM'))
      .replace(/\bAND\b/g, '&&').replace(/\bOR\b/g, '||').replace(/\bNOT\b/g, '!');
    if (!/^[()!&|\s truefals]+$/.test(js)) throw new Error(`cannot read the rule ${text}`);
    return Function(`return (${js});`)() ? 'ALARM' : 'OK';
  });
}

/** The alarm's state after each minute of `inputs`, from `initial`. */
function states(alarm: AlarmShape, inputs: Inputs, fillEmpty: boolean, initial: 'OK' | 'ALARM' = 'OK'): Array<'OK' | 'ALARM'> {
  const length = inputs.role.length;
  const values = evaluate(alarm.expression, (id) => {
    const input = alarm.ids[id];
    if (!input) throw new Error(`${alarm.name}: the expression reads ${id}, which no query defines`);
    return inputs[input];
  }, length, fillEmpty);
  const passes = (v: number) => (alarm.comparison === 'GreaterThanOrEqualToThreshold' ? v >= alarm.threshold
    : alarm.comparison === 'GreaterThanThreshold' ? v > alarm.threshold : v < alarm.threshold);
  const breach = values.map((v): boolean | undefined => (v === undefined
    ? (alarm.missing === 'breaching' ? true : alarm.missing === 'notBreaching' ? false : undefined) : passes(v)));
  const out: Array<'OK' | 'ALARM'> = [];
  let state = initial;
  for (let t = 0; t < length; t++) {
    const window = breach.slice(Math.max(0, t - alarm.periods + 1), t + 1).filter((b): b is boolean => b !== undefined);
    if (window.length > 0) {
      const last = window.slice(-alarm.toAlarm);
      state = last.length === alarm.toAlarm && last.every((b) => b) ? 'ALARM' : 'OK';
    }
    out.push(state);
  }
  return out;
}

const MINUTES = 12;
const constant = (v: Point): Point[] => Array(MINUTES).fill(v);
/** `before` for the first half, `after` for the second: a switch at minute 6. */
const switched = (before: Point, after: Point): Point[] => [...Array(MINUTES / 2).fill(before), ...Array(MINUTES / 2).fill(after)];
const ROLE = { writer: 1, secondary: 0, unknown: undefined } as const;

const app = testApp();
const platform = new MultiRegionDrPlatform(app, 'Payments', {
  environmentSuffix: 'prod',
  primary: { account: '123456789012', region: 'us-east-1' },
  secondary: { account: '123456789012', region: 'us-west-2' },
});
const assembly = app.synth();
const templates = {
  primary: Template.fromJSON(assembly.getStackArtifact(platform.primaryStack.artifactId).template),
  secondary: Template.fromJSON(assembly.getStackArtifact(platform.secondaryStack.artifactId).template),
};
const alarmOf = (stack: keyof typeof templates, name: string) => {
  const found = Object.values<any>(templates[stack].findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.AlarmName === name);
  expect(found).toHaveLength(1);
  return shape(found[0].Properties);
};
/** A composite alarm and its inputs (by logical id), as the template has them. */
const compositeOf = (stack: keyof typeof templates, name: string) => {
  const found = Object.values<any>(templates[stack].findResources('AWS::CloudWatch::CompositeAlarm')).filter((a) => a.Properties.AlarmName === name);
  expect(found).toHaveLength(1);
  const rule = found[0].Properties.AlarmRule;
  const inputs = Object.fromEntries(rule['Fn::Join'][1].filter((p: any) => typeof p !== 'string').map((p: any) => {
    const id = p['Fn::GetAtt'][0];
    return [id, shape(templates[stack].toJSON().Resources[id].Properties)];
  }));
  return { rule, inputs };
};
/** The composite's state after each minute. */
const compositeRun = (composite: ReturnType<typeof compositeOf>, inputs: Inputs, fillEmpty: boolean) =>
  compositeStates(composite.rule,
    Object.fromEntries(Object.entries(composite.inputs).map(([id, a]) => [id, states(a, inputs, fillEmpty)])), inputs.role.length);
const STACKS = ['primary', 'secondary'] as const;
const FILL_EMPTY = [true, false];
const tableAlarm = (stack: typeof STACKS[number]) => `dr-table-replication-latency-${stack === 'primary' ? 'us-west-2' : 'us-east-1'}-prod`;

describe.each(STACKS)('the %s stack', (stack) => {
  const rpoLag = compositeOf(stack, 'dr-aurora-global-rpo-lag-prod');
  const replicationLag = alarmOf(stack, 'dr-aurora-global-replication-lag-prod');
  const table = alarmOf(stack, tableAlarm(stack));
  const T = replicationLag.threshold;
  const LAG = { low: T / 10, high: 2 * T, missing: undefined } as const;

  describe.each(FILL_EMPTY)('FILL of an empty series fills: %p', (fillEmpty) => {
    test.each(Object.keys(ROLE).flatMap((role) => Object.keys(LAG).map((lag) => [role, lag] as [keyof typeof ROLE, keyof typeof LAG])))(
      'RPO lag, role %s, lag %s', (role, lag) => {
        const final = compositeRun(rpoLag, { role: constant(ROLE[role]), lag: constant(LAG[lag]), latency: constant(undefined) }, fillEmpty).at(-1);
        if (role === 'writer') expect(final).toBe('OK');
        else if (role === 'secondary') expect(final).toBe(lag === 'low' ? 'OK' : 'ALARM');
        // Role unknown: never OK while the lag is high or missing.
        else if (lag !== 'low') expect(final).toBe('ALARM');
      });

    test.each(Object.keys(ROLE).flatMap((role) => Object.keys(LAG).map((lag) => [role, lag] as [keyof typeof ROLE, keyof typeof LAG])))(
      'replication lag, role %s, lag %s', (role, lag) => {
        // A writer reports no lag of its own (RDS publishes it for secondaries): that is the writer's case.
        if (role === 'writer' && lag !== 'missing') return;
        const final = states(replicationLag, { role: constant(ROLE[role]), lag: constant(LAG[lag]), latency: constant(undefined) }, fillEmpty).at(-1);
        expect(final).toBe(lag === 'high' ? 'ALARM' : 'OK');
      });

    test('RPO lag after a switch: the old secondary, promoted, leaves ALARM; the old writer, demoted, alarms when it does not replicate', () => {
      const promoted = compositeRun(rpoLag, { role: switched(0, 1), lag: switched(LAG.high, undefined), latency: constant(undefined) }, fillEmpty);
      expect(promoted[5]).toBe('ALARM');
      expect(promoted.at(-1)).toBe('OK');
      const demotedSilent = compositeRun(rpoLag, { role: switched(1, 0), lag: constant(undefined), latency: constant(undefined) }, fillEmpty);
      expect(demotedSilent[5]).toBe('OK');
      expect(demotedSilent.at(-1)).toBe('ALARM');
      const demotedReplicating = compositeRun(rpoLag,
        { role: switched(1, 0), lag: switched(undefined, LAG.low), latency: constant(undefined) }, fillEmpty);
      expect(demotedReplicating.every((s) => s === 'OK')).toBe(true);
    });

    test('RPO lag: one late or missed role minute does not put a writer into ALARM', () => {
      for (let gap = 0; gap < MINUTES; gap++) {
        const role = constant(1).map((v, i) => (i === gap ? undefined : v));
        expect(compositeRun(rpoLag, { role, lag: constant(undefined), latency: constant(undefined) }, fillEmpty)).toEqual(constant('OK' as any));
      }
    });

    test.each(Object.keys(ROLE).flatMap((role) => Object.keys(LAG).map((lag) => [role, lag] as [keyof typeof ROLE, keyof typeof LAG])))(
      'table latency out of this region, role %s, latency %s', (role, latency) => {
        for (const initial of ['OK', 'ALARM'] as const) {
          const inputs = { role: constant(ROLE[role]), lag: constant(undefined), latency: constant(LAG[latency]) };
          const final = states(table, inputs, fillEmpty, initial).at(-1);
          if (role === 'secondary') expect(final).toBe('OK');
          // Writing, or unknown: the latency speaks; silence keeps the state (it proves nothing either way).
          else if (latency === 'high' && (role === 'writer' || fillEmpty)) expect(final).toBe('ALARM');
          else if (latency === 'low' && (role === 'writer' || fillEmpty)) expect(final).toBe('OK');
          else if (latency === 'missing' && role === 'writer') expect(final).toBe(initial);
        }
      });

    test('table latency after a switch: the old writer\'s alarm leaves ALARM, the new writer\'s is watched', () => {
      const demoted = states(table, { role: switched(1, 0), lag: constant(undefined), latency: switched(LAG.high, undefined) }, fillEmpty);
      expect(demoted[5]).toBe('ALARM');
      expect(demoted.at(-1)).toBe('OK');
      const promoted = states(table, { role: switched(0, 1), lag: constant(undefined), latency: switched(undefined, LAG.high) }, fillEmpty);
      expect(promoted[5]).toBe('OK');
      expect(promoted.at(-1)).toBe('ALARM');
    });
  });

  test('the table alarm\'s threshold is the Aurora alarms\' (half the region RPO)', () => {
    expect(table.threshold).toBe(T);
    expect(Object.values(rpoLag.inputs).map((a) => a.threshold)).toContain(T);
  });
});

test('the evaluator follows the documented IF and FILL examples', () => {
  // The IF(metric1, metric2, metric3) and IF(metric1, scalar2, metric3) tables of the CloudWatch page.
  const m = { metric1: [1, 1, 0, 0, undefined], metric2: [30, undefined, 0, 0, 30], metric3: [0, 0, 20, undefined, 20] } as Record<string, Point[]>;
  expect(evaluate('IF(metric1, metric2, metric3)', (id) => m[id], 5, true)).toEqual([30, 0, 20, undefined, undefined]);
  expect(evaluate('IF(metric1, 5, metric3)', (id) => m[id], 5, true)).toEqual([5, 5, 20, undefined, undefined]);
  expect(evaluate('IF(metric1, metric2, 5)', (id) => m[id], 5, true)).toEqual([30, 0, 5, 5, undefined]);
  expect(evaluate('FILL(metric2, 7)', (id) => m[id], 5, true)).toEqual([30, 7, 0, 0, 30]);
});
