export const pct = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;

export const num = (x: number | null | undefined, digits = 2): string => {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return '∞';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en');
  return x.toFixed(digits);
};

export const ms = (x: number | null | undefined): string => {
  if (x === null || x === undefined) return '—';
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  return `${x < 10 ? x.toFixed(2) : Math.round(x)} ms`;
};

export const duration = (s: number | null | undefined): string => {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${(s / 3600).toFixed(1)}h`;
  return `${(s / 86400).toFixed(1)}d`;
};

export const time = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
};

export const ago = (iso: string | null | undefined, now = Date.now()): string => {
  if (!iso) return '—';
  return `${duration((now - Date.parse(iso)) / 1000)} ago`;
};
