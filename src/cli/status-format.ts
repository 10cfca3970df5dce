import Table from 'cli-table3';
import { short } from './format';
import { JobSummary, ResourceStatus, RECOVERY_POINTS_CALL, RESTORABLE_TIME_CALL, StatusReport } from './status-model';

/** `cdk-dr status` as a table (docs/cli.md explains each column). */

/** Bytes in binary units: 0 B, 512 B, 1.5 KiB, 20.0 GiB. */
export function size(bytes: number | undefined): string {
  if (bytes === undefined) return 'size ?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** An ISO time without seconds' fraction: 2026-12-04 20:35Z. */
function time(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')}Z`;
}

function ago(seconds: number | undefined): string {
  return seconds === undefined ? '' : `\n${short(seconds)} ago`;
}

function pointCell(r: ResourceStatus): string {
  const p = r.newestRecoveryPoint;
  if (!p) return r.errors.some((e) => e.startsWith(RECOVERY_POINTS_CALL)) ? 'unknown (error)' : 'none';
  return `${time(p.createdAt)}${ago(r.recoveryPointAgeSeconds)}\n${p.status}, ${size(p.sizeBytes)}`;
}

function restorableCell(r: ResourceStatus): string {
  if (r.latestRestorableTime) return `${time(r.latestRestorableTime)}${ago(r.restorableTimeAgeSeconds)}`;
  if (r.errors.some((e) => e.startsWith(RESTORABLE_TIME_CALL))) return 'unknown (error)';
  return r.kind === 'Aurora' || r.kind === 'RDS' || r.kind === 'DynamoDB' ? 'none' : 'not reported';
}

function rpoCell(r: ResourceStatus, target: number | undefined): string {
  const age = r.effectiveRpoSeconds === undefined ? 'none' : short(r.effectiveRpoSeconds);
  switch (r.rpo) {
    case 'MET': return `${age}\nmet (<= ${short(target!)})`;
    case 'BREACHED': return `${age}\nBREACHED (> ${short(target!)})`;
    case 'UNKNOWN': return `${age}\nunknown (error)`;
    case 'NOT_APPLICABLE': return 'see its cluster';
    default: return `${age}\nno target`;
  }
}

function jobCell(job: JobSummary | undefined): string {
  return job ? `${job.state}\n${time(job.createdAt)}` : 'none';
}

function drillCell(r: ResourceStatus): string {
  const d = r.lastDrill;
  if (!d) return 'none';
  const rto = d.measuredRtoSeconds === undefined ? '' : `, RTO ${short(d.measuredRtoSeconds)}`;
  const validated = d.validationStatus ? `\nvalidation ${d.validationStatus}` : '';
  return `${d.state}${rto}\n${time(d.createdAt)}${validated}`;
}

function remarks(r: ResourceStatus): string {
  const lines = [...r.errors.map((e) => `ERROR ${e}`), ...r.problems.map((p) => `! ${p}`), ...r.notes];
  return lines.length ? lines.join('\n') : 'ok';
}

/** The report as text: the table, the target and a summary line. */
export function formatStatus(report: StatusReport, width = 160): string {
  const where = report.source.stack !== undefined ? `stack ${report.source.stack}` : `vault ${report.source.vault}`;
  const target = report.target.seconds === undefined ? 'no target (pass --rpo)' : `${short(report.target.seconds)} (${report.target.source})`;
  const out = [`Recovery status of ${where} in ${report.source.region} at ${time(report.generatedAt)}; RPO target: ${target}`];
  if (report.resources.length === 0) {
    out.push('', report.source.stack !== undefined ? 'No resource AWS Backup can protect in the stack.' : 'No recovery point in the vault.');
  } else {
    const table = new Table({
      head: ['Resource', 'Newest recovery point', 'Latest restorable', 'Effective RPO', 'Last backup job', 'Last copy job', 'Last drill', 'Remarks'],
      style: { head: [], border: [], compact: false },
      wordWrap: true,
      colWidths: columnWidths(width),
    });
    for (const r of report.resources) {
      table.push([`${r.name}\n${r.kind}`, pointCell(r), restorableCell(r), rpoCell(r, report.target.seconds),
        jobCell(r.lastBackupJob), jobCell(r.lastCopyJob), drillCell(r), remarks(r)]);
    }
    out.push(table.toString());
  }
  const s = report.summary;
  out.push('', `${s.resources} resources: ${s.ok} ok, ${s.withProblems} with problems (exit 1), ${s.withErrors} not fully read (exit 2; a resource may be both).`);
  return out.join('\n');
}

function columnWidths(width: number): number[] {
  // Wide enough for a time (2026-06-01 11:30Z) on one line.
  const fixed = [22, 21, 19, 18, 19, 19, 21, 0];
  const rest = Math.max(24, width - fixed.reduce((a, b) => a + b, 0) - fixed.length - 1);
  return fixed.map((w) => w || rest);
}
