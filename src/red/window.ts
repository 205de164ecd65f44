import { badRequest } from '../common/errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const MIN_MS = 5 * 60_000;
const MAX_MS = 30 * 86_400_000;

/** parseWindow reads a query window like `5m`, `6h` or `30d` (5m..30d, whole minutes). */
export function parseWindow(raw: unknown, fallback = '1h'): { label: string; ms: number } {
  const label = raw === undefined || raw === '' ? fallback : String(raw);
  const m = /^(\d{1,5})([mhd])$/.exec(label);
  const ms = m ? Number(m[1]) * UNITS[m[2]] : NaN;
  if (!(ms >= MIN_MS && ms <= MAX_MS)) throw badRequest('window: expected a duration from 5m to 30d, e.g. 5m, 1h, 7d');
  return { label, ms };
}
