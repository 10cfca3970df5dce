import { CliError } from './errors';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Reads a duration option such as `1h`, `15m`, `90s`, `2d` or `1h30m` into seconds. */
export function parseDurationOption(option: string, text: string): number {
  const trimmed = text.trim();
  const re = /(\d+(?:\.\d+)?)([smhd])/gy;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(trimmed)) !== null) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
    consumed = re.lastIndex;
  }
  if (trimmed.length === 0 || consumed !== trimmed.length || total <= 0) {
    throw new CliError(`${option} must be a duration such as 15m, 1h, 1h30m or 2d (units s, m, h, d), got: ${JSON.stringify(text)}`);
  }
  return Math.round(total);
}
