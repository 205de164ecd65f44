/** Number formats shared by every channel, so a burn rate reads the same in Slack and in a mail. */

/** formatRate writes a burn rate with three significant digits: `14.9x`, `2x`, `0.25x`. */
export function formatRate(rate: number): string {
  return `${Number(rate.toPrecision(3))}x`;
}

/** formatPercent writes a 0..1 fraction as a percentage with up to `digits` decimals. */
export function formatPercent(fraction: number, digits = 1): string {
  return `${Number((fraction * 100).toFixed(digits))}%`;
}

const UNITS: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];

/** formatSeconds writes a duration in its two largest units (`2h 10m`, `3d 4h`), as people say it. */
export function formatSeconds(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const i = UNITS.findIndex(([, size]) => total >= size);
  if (i < 0) return '0s';
  const [unit, size] = UNITS[i];
  const next = UNITS[i + 1];
  const second = next ? Math.floor((total % size) / next[1]) : 0;
  return `${Math.floor(total / size)}${unit}${second > 0 ? ` ${second}${next[0]}` : ''}`;
}
