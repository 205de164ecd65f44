import { badRequest } from '../common/errors.js';
import { DAY_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { parseDuration } from '../evaluation/windows.js';

const MIN_MS = 5 * MINUTE_MS;
const MAX_MS = 30 * DAY_MS;

/** parseQueryRange reads the `window` query parameter, the range a RED query covers, like `5m`, `6h` or `30d` (5m..30d, whole minutes). */
export function parseQueryRange(raw: unknown, fallback = '1h'): { label: string; ms: number } {
  const label = raw === undefined || raw === '' ? fallback : String(raw);
  const m = /^(\d{1,5})([mhd])$/.exec(label);
  const ms = m ? parseDuration(label) : NaN;
  if (!(ms >= MIN_MS && ms <= MAX_MS)) throw badRequest('window: expected a duration from 5m to 30d, e.g. 5m, 1h, 7d');
  return { label, ms };
}
