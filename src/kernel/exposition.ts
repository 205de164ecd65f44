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

/**
 * ExpositionBuffer assembles a large exposition as bytes: line prefixes
 * (metric name and labels) are encoded once, when a series first appears,
 * and a scrape only copies them and writes the numbers. Building one string
 * of tens of megabytes instead cost several times more — concatenating it,
 * flattening it, then encoding it to UTF-8 on the way to the socket.
 */
export class ExpositionBuffer {
  private buf: Buffer;
  private at = 0;

  constructor(sizeHint: number) {
    this.buf = Buffer.allocUnsafe(Math.max(sizeHint, 1024));
  }

  /** line appends `prefix` (pre-encoded, ending in a space) and the number `n`, then a newline. */
  line(prefix: Buffer, n: number): void {
    const digits = formatSample(n);
    this.ensure(prefix.length + digits.length + 1);
    // Plain loops, not Buffer#copy / Buffer#write: for a few dozen bytes each,
    // the per-call cost of those bindings was most of a 10,000-series scrape.
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < prefix.length; i++) buf[at++] = prefix[i];
    for (let i = 0; i < digits.length; i++) buf[at++] = digits.charCodeAt(i);
    buf[at++] = 0x0a;
    this.at = at;
  }

  /** text appends a whole line of text (HELP, TYPE) and a newline. */
  text(line: string): void {
    this.ensure(Buffer.byteLength(line) + 1);
    this.at += this.buf.write(line, this.at, 'utf8');
    this.buf[this.at++] = 0x0a;
  }

  /** bytes is what was written; it shares memory with this writer. */
  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  private ensure(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    bigger.set(this.buf.subarray(0, this.at), 0);
    this.buf = bigger;
  }
}

/** formatSample renders a sample value: integers exactly, fractions to nine decimals. */
export function formatSample(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e9) / 1e9);
}
