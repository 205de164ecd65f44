/**
 * Prometheus text exposition helpers for the metrics rendered as text
 * (span metrics, SLO gauges, ALERTS), where label names and values come
 * from users and spans.
 */

/** labelName maps any attribute or label key to [a-zA-Z_][a-zA-Z0-9_]*: `http.route` becomes `http_route`. */
export function labelName(key: string): string {
  const s = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** labelValue escapes backslash, newline and double quote, as the format requires. */
export function labelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
