import Table from 'cli-table3';
import { PostureReport, ResourcePosture, Rpo } from './posture';

/** A duration in short form: 5m, 1h, 9h, 1d 1h. */
export function short(seconds: number): string {
  if (seconds === 0) {
    return '0';
  }
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join(' ');
}

/** An RPO in a table cell. */
export function rpoCell(rpo: Rpo): string {
  if (rpo.lost) {
    return 'LOST';
  }
  if (rpo.seconds !== undefined) {
    return short(rpo.seconds);
  }
  return rpo.atLeastSeconds ? `unknown (>=${short(rpo.atLeastSeconds)})` : 'unknown';
}

function backupCell(r: ResourcePosture): string {
  if (r.type === 'AWS::Lambda::Function') {
    return 'redeploy';
  }
  if (r.coverage.length === 0) {
    return 'none';
  }
  return r.coverage.map((c) => {
    const freq = c.intervalSeconds !== undefined ? `every ${short(c.intervalSeconds)}` : c.schedule;
    const keep = c.retentionDays === undefined ? 'kept forever' : Number.isNaN(c.retentionDays) ? 'kept ?' : `kept ${c.retentionDays}d`;
    const how = c.how === 'reference' ? 'by ref' : c.how === 'tags' ? `by tags (${c.detail})` : `by ${c.how}`;
    return `${c.plan}/${c.rule} ${how}${c.certain ? '' : ' (maybe)'}: ${freq}, start ${short(c.startWindowSeconds)}, complete ${short(c.completionWindowSeconds)}, ${keep}`
      + `${c.continuousBackup ? ', continuous' : ''}`;
  }).join('\n');
}

/** The report as text: the table, the gaps and the target verdicts. */
export function formatPosture(report: PostureReport, width = 160): string {
  const out: string[] = [];
  const stacks = new Set(report.resources.map((r) => r.stack));
  const table = new Table({
    head: ['Resource', 'Backup (plan/rule: frequency, windows, retention)', 'Own PITR', 'Encryption', 'Deletion', 'Out of region', 'RPO AZ', 'RPO region', 'RPO logical'],
    style: { head: [], border: [], compact: false },
    wordWrap: true,
    colWidths: columnWidths(width),
  });
  for (const r of report.resources) {
    table.push([
      `${stacks.size > 1 ? `${r.stack}/` : ''}${r.logicalId}\n${r.type.replace(/^AWS::/, '')}`,
      backupCell(r),
      r.ownPitr ?? '-',
      r.encryption,
      `${r.deletionPolicy}${r.deletionProtection === undefined ? '' : r.deletionProtection ? ', protected' : ', unprotected'}`,
      r.outOfRegion.length ? r.outOfRegion.join('\n') : 'none',
      rpoCell(r.rpo.azLoss),
      rpoCell(r.rpo.regionLoss),
      rpoCell(r.rpo.logicalCorruption),
    ]);
  }
  out.push(report.resources.length ? table.toString() : 'No stateful resource in the template(s).');
  if (report.gaps.length) {
    out.push('', `Gaps (${report.gaps.length}):`);
    for (const g of report.gaps) {
      out.push(`  ${g.code.padEnd(22)} ${stacks.size > 1 ? `${g.stack}: ` : ''}${g.message}`);
    }
  } else {
    out.push('', 'Gaps: none found.');
  }
  if (report.targets.length) {
    const missed = report.targets.filter((t) => t.verdict === 'missed');
    const unproven = report.targets.filter((t) => t.verdict === 'unproven');
    out.push('', `Targets: ${report.targets.length - missed.length - unproven.length} met, ${missed.length} missed, ${unproven.length} unproven.`);
    for (const t of [...missed, ...unproven]) {
      const name = t.target === 'rpo' ? `--rpo ${short(t.seconds)}` : `--region-rpo ${short(t.seconds)}`;
      out.push(`  ${t.verdict.toUpperCase().padEnd(9)} ${name} ${t.logicalId}: ${t.reason}`);
    }
  }
  return out.join('\n');
}

function columnWidths(width: number): number[] {
  const fixed = [22, 0, 16, 18, 16, 20, 8, 14, 9];
  const rest = Math.max(30, width - fixed.reduce((a, b) => a + b, 0) - fixed.length - 1);
  return fixed.map((w) => w || rest);
}
