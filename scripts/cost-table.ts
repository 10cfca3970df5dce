// What the platform costs a month at list price: synthesizes the
// single-region and the multi-region reference configurations, counts what
// their templates are billed for (scripts/cost-count.ts), prices each item
// with scripts/prices.json and writes docs/costs.md, the arithmetic shown.
// Run with `npx projen cost:table`; `--print` writes the page to stdout
// instead, `--summary` (the demo) prints each configuration's floor. test/costs.test.ts checks that docs/costs.md is what this writes
// for the current templates.
import * as fs from 'fs';
import * as path from 'path';
import { ASSUMPTIONS, countLines, FixedLine, Part, PARTS, StackTemplate, VolumeLine } from './cost-count';
import { synthesizeConfiguration } from './reference-configurations';

/** One unit price of scripts/prices.json. */
export interface Price {
  readonly usd: number | null;
  readonly unit: string;
  readonly what: string;
  readonly url: string;
  readonly status: 'aws' | 'third-party' | 'unverified';
  readonly source?: string;
}

/** scripts/prices.json. */
export interface PriceFile {
  readonly checked: string;
  readonly region: string;
  readonly currency: string;
  readonly hoursPerMonth: number;
  readonly about: string;
  readonly prices: Record<string, Price>;
}

/** A configuration's synthesized stacks, and how the page titles it. */
export interface ConfigurationTemplates {
  readonly name: string;
  readonly title: string;
  readonly stacks: readonly StackTemplate[];
}

const root = path.resolve(__dirname, '..');
export const PRICES_FILE = path.join(root, 'scripts/prices.json');
export const COSTS_PAGE = path.join(root, 'docs/costs.md');

/** The configurations the page prices, from scripts/reference-configurations.ts. */
export const PRICED: ReadonlyArray<{ name: string; title: string }> = [
  { name: 'reference', title: 'Single-region defaults (the reference app, `SingleRegionDrPlatform`)' },
  { name: 'multi-region', title: 'Multi-region defaults (the multi-region reference, `MultiRegionDrPlatform`)' },
];

export function loadPrices(): PriceFile {
  return JSON.parse(fs.readFileSync(PRICES_FILE, 'utf8'));
}

/**
 * Synthesizes the priced configurations and returns their templates. The
 * single-region reference is synthesized for us-east-1 (as `cdk deploy`
 * with an account and region would: a 3-AZ VPC), not environment-agnostic.
 */
export function referenceTemplates(): ConfigurationTemplates[] {
  const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  process.env.CDK_DEFAULT_ACCOUNT = '111111111111';
  process.env.CDK_DEFAULT_REGION = 'us-east-1';
  try {
    return PRICED.map(({ name, title }) => {
      const assembly = synthesizeConfiguration(name);
      try {
        const stacks = assembly.stacks.map((s) => ({ stack: s.stackName, region: s.environment.region, template: s.template }));
        return { name, title, stacks };
      } finally {
        fs.rmSync(assembly.directory, { recursive: true, force: true });
      }
    });
  } finally {
    for (const [key, value] of [['CDK_DEFAULT_ACCOUNT', saved.account], ['CDK_DEFAULT_REGION', saved.region]] as const) {
      if (value === undefined) delete process.env[key]; else process.env[key] = value;
    }
  }
}

/** Dollars: cents for amounts of a cent or more, two significant digits below that. */
export function usd(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.01) return `$${Number(n.toPrecision(2))}`;
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A quantity: whole numbers as they are, two decimals from 1 up, three significant digits below 1. */
function amount(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n >= 1 ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(Number(n.toPrecision(3)));
}

/** A unit price as printed: its amount and, unless read on the AWS page, how sure it is. */
function unitPrice(key: string, prices: PriceFile): string {
  const price = prices.prices[key];
  if (!price) return `no price for \`${key}\` in scripts/prices.json`;
  const mark = price.status === 'aws' ? '' : price.status === 'third-party' ? ' ‡' : ' (unverified)';
  return price.usd === null ? `unknown (unverified) per ${price.unit}` : `$${price.usd} per ${price.unit}${mark}`;
}

/** The monthly cost of a line, or undefined when its price is unknown. */
function cost(key: string, quantity: number, prices: PriceFile): number | undefined {
  const price = prices.prices[key];
  return price && price.usd !== null ? quantity * price.usd : undefined;
}

function fixedRow(line: FixedLine, prices: PriceFile): { row: string; monthly: number | undefined } {
  const quantity = line.count * line.per;
  const monthly = cost(line.price, quantity, prices);
  const unit = prices.prices[line.price]?.unit ?? 'unit';
  const arithmetic = `${amount(line.count)} × ${line.perText} = ${amount(quantity)} ${unit} × ${unitPrice(line.price, prices)}`;
  return { row: `| ${line.part} | ${line.region} | ${line.item} | ${arithmetic} | ${monthly === undefined ? 'not in the total' : usd(monthly)} |`, monthly };
}

function volumeRow(line: VolumeLine, prices: PriceFile): string {
  const monthly = cost(line.price, line.example, prices);
  return `| ${line.part} | ${line.region} | ${line.item} | ${unitPrice(line.price, prices)} | ${line.assumption} | ${monthly === undefined ? 'unknown' : usd(monthly)} |`;
}

/** The sum of each part's priced fixed lines, and the Aurora compute among them. */
export interface Totals {
  readonly floor: number;
  readonly parts: Record<Part, number>;
  readonly auroraCompute: number;
  /** Lines with no known price, left out of the sums. */
  readonly unpriced: number;
  readonly unpricedParts: Record<Part, number>;
}

export function totals(lines: readonly FixedLine[], prices: PriceFile): Totals {
  const parts = Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>;
  let auroraCompute = 0;
  let unpriced = 0;
  const unpricedParts = Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>;
  for (const line of lines) {
    const monthly = cost(line.price, line.count * line.per, prices);
    if (monthly === undefined) {
      unpriced += 1;
      unpricedParts[line.part] += 1;
      continue;
    }
    parts[line.part] += monthly;
    if (line.part === 'Platform' && line.price.startsWith('aurora')) auroraCompute += monthly;
  }
  return { floor: PARTS.reduce((sum, p) => sum + parts[p], 0), parts, auroraCompute, unpriced, unpricedParts };
}

/** docs/costs.md for the given templates and prices: pure, so the test can call it. */
export function costTable(configurations: readonly ConfigurationTemplates[], prices: PriceFile): string {
  const h = prices.hoursPerMonth;
  const counted = configurations.map((c) => ({ ...c, ...countLines(c.stacks, h) }));
  const out: string[] = [
    '# What it costs',
    '',
    'Written by `npx projen cost:table` ([`scripts/cost-table.ts`](../scripts/cost-table.ts)) from the',
    'synthesized templates of the reference configurations and the unit prices in',
    `[\`scripts/prices.json\`](../scripts/prices.json): on-demand list prices in ${prices.region}, checked on`,
    `${prices.checked}, with no free tier, savings plan or reserved capacity. A month is ${h} hours.`,
    'test/costs.test.ts fails when this page no longer matches the templates.',
    '',
    'Prices marked ‡ were read in a third-party page quoting the AWS pricing page',
    'linked in the price file; prices marked (unverified) have no source: check',
    'them on the AWS page before relying on them. Items with no known price are',
    'listed and left out of the totals. Other regions are priced at the',
    `${prices.region} prices (unverified for each item). Taxes and support plans are not included.`,
    '',
    '## Summary',
    '',
    '| Configuration | Fixed monthly floor | Aurora compute in it | Restore drills | Recovery point monitor | Region switch plan |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  const plus = (n: number) => (n > 0 ? ` + ${n} unpriced item${n > 1 ? 's' : ''}` : '');
  for (const c of counted) {
    const t = totals(c.fixed, prices);
    const part = (p: Part) => (c.fixed.some((l) => l.part === p) ? `${usd(t.parts[p])}${plus(t.unpricedParts[p])}` : 'none');
    out.push(`| ${c.title} | ${usd(t.floor)}${plus(t.unpriced)} | ${usd(t.auroraCompute)} | ${part('Restore drills')} `
      + `| ${part('Recovery point monitor')} | ${part('Region switch plan')} |`);
  }
  out.push('',
    'The floor is what the stacks cost with no traffic and no data: Aurora',
    'Serverless v2 priced at its minimum capacity (it scales up, and is billed',
    'for what it scales to, under load), the interface endpoints, keys, secrets,',
    'alarms, dashboards and the scheduled functions. Data, requests and',
    'replication add the per-GB and per-request lines under each table.',
    '',
    '**Assumptions.** '
    + `Library functions run ${ASSUMPTIONS.lambdaSeconds} s each run; a drill's restored Aurora copy runs its instance ${ASSUMPTIONS.drillHours} h. `
    + `Per-GB examples use ${ASSUMPTIONS.storeGb} GB per data store, ${ASSUMPTIONS.writesMillions} million table writes and `
    + `${ASSUMPTIONS.ioMillions} million Aurora I/Os a month, ${ASSUMPTIONS.endpointGb} GB through the endpoints and ${ASSUMPTIONS.logsGb} GB of logs per region. `
    + 'Custom metrics are those an alarm watches, a lower bound. KMS keys rotate yearly: each of the first two rotations adds $1 a month per key.',
    '',
    '**Not priced here.** Options the two configurations leave off: `routing` (a probe function each minute in each region; with `RoutingControl.healthAlarms()` a Route 53 health check per',
    'region on the region health alarm; with the plan, the two health checks ARC creates, which no template holds and whose price is unverified), `peering`',
    '(no hourly charge, unverified; traffic across it is inter-Region transfer) and `eventForwarding`. The counting',
    'prices their health checks and probes when a configuration has them. Data transfer out to the',
    'internet and Performance Insights and Enhanced Monitoring (both on, at 7 days of Performance',
    'Insights retention) are not counted; the VPC has no NAT gateway to count.');
  for (const c of counted) {
    out.push('', `## ${c.title}`, '',
      `Configuration \`${c.name}\` of [\`scripts/reference-configurations.ts\`](../scripts/reference-configurations.ts); stacks: `
      + `${c.stacks.map((s) => `\`${s.stack}\` (${s.region})`).join(', ')}.`,
      '', '### Fixed monthly costs', '',
      '| Part | Region | Item | Quantity × unit price | Monthly |',
      '| --- | --- | --- | --- | --- |');
    const order = (l: FixedLine) => PARTS.indexOf(l.part);
    const lines = [...c.fixed].sort((a, b) => order(a) - order(b) || a.region.localeCompare(b.region) || a.item.localeCompare(b.item));
    lines.forEach((line) => out.push(fixedRow(line, prices).row));
    const t = totals(c.fixed, prices);
    for (const part of PARTS.filter((p) => c.fixed.some((l) => l.part === p))) {
      out.push(`| **${part}** | | | | **${usd(t.parts[part])}** |`);
    }
    out.push(`| **Total (priced items)** | | | | **${usd(t.floor)}** |`);
    out.push('', '### Per-GB and per-request costs (example volumes)', '',
      '| Part | Region | Item | Unit price | Example volume (assumption) | Example monthly |',
      '| --- | --- | --- | --- | --- | --- |');
    [...c.volume].sort((a, b) => PARTS.indexOf(a.part) - PARTS.indexOf(b.part) || a.region.localeCompare(b.region) || a.item.localeCompare(b.item))
      .forEach((line) => out.push(volumeRow(line, prices)));
    out.push('', `Counted, with no monthly charge of their own: ${c.uncharged.join('; ')}.`);
  }
  out.push('', '## Unit prices', '', `Region ${prices.region}, checked ${prices.checked}.`, '',
    '| Price | Amount | What | AWS page | Status |', '| --- | --- | --- | --- | --- |');
  for (const [key, p] of Object.entries(prices.prices)) {
    out.push(`| \`${key}\` | ${p.usd === null ? 'unknown' : `$${p.usd} per ${p.unit}`} | ${p.what} | ${p.url} | ${p.status}${p.source ? ` (${p.source})` : ''} |`);
  }
  return `${out.join('\n')}\n`;
}

/** The floor per configuration, for the demo. */
export function floors(configurations: readonly ConfigurationTemplates[], prices: PriceFile): string[] {
  return configurations.map((c) => {
    const t = totals(countLines(c.stacks, prices.hoursPerMonth).fixed, prices);
    const unpriced = t.unpriced > 0 ? ` plus ${t.unpriced} item${t.unpriced > 1 ? 's' : ''} with no known price` : '';
    return `${c.title}: ${usd(t.floor)} a month${unpriced}, Aurora compute ${usd(t.auroraCompute)} of it`;
  });
}

if (require.main === module) {
  const templates = referenceTemplates();
  const prices = loadPrices();
  const page = costTable(templates, prices);
  if (process.argv.includes('--summary')) {
    process.stdout.write(`\nWhat it costs (fixed monthly floor, ${prices.region} list prices checked ${prices.checked}; itemized in docs/costs.md):\n`);
    floors(templates, prices).forEach((line) => process.stdout.write(`  ${line}\n`));
  } else if (process.argv.includes('--print')) {
    process.stdout.write(page);
  } else {
    fs.writeFileSync(COSTS_PAGE, page);
    process.stderr.write(`wrote ${path.relative(process.cwd(), COSTS_PAGE)}\n`);
  }
}

