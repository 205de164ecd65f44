/**
 * LogHistogram is a DDSketch-style histogram of span durations in
 * milliseconds. Bucket i holds values in (γ^(i-1), γ^i] with
 * γ = (1+α)/(1-α), α = 0.02, so answering a quantile with the bucket's
 * midpoint 2γ^i/(γ+1) is off by at most 2% relative — whatever the value
 * range, and with a bucket count that grows with log(max/min), not with
 * traffic.
 *
 * The JSON form `{b: {index: count}, z: count}` is what the flusher stores as
 * jsonb. Because the bucket layout is a fixed function of γ, two histograms
 * merge by adding counts per index — in memory, in SQL, across replicas.
 * That also means ALPHA and MIN_MS must never change once data is stored:
 * old rows would silently be read with the wrong bucket bounds.
 *
 * Counts are numbers, not integers: sampled spans carry adjusted counts.
 */

/** Relative accuracy of quantiles. Fixed forever: stored rows depend on it. */
export const RELATIVE_ACCURACY = 0.02;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/**
 * Durations at or below this (ms) go to the zero bucket: a nanosecond is
 * below any clock a tracer uses, and without a floor tiny values would
 * create hundreds of empty-in-practice negative indices.
 */
export const MIN_MS = 0.001;

/** Stored (jsonb) form: bucket index → count, plus the zero bucket. */
export interface HistogramJson {
  b: Record<string, number>;
  z: number;
}

/**
 * Bounds of the buckets a span can plausibly land in (about 0.0007 ms to
 * 300 days), computed once with the same Math.pow as outside the table, so
 * a bound is the same number either way; bucketIndex needs two per value.
 */
const TABLE_LO = -180;
const TABLE_HI = 600;
const BOUNDS = Array.from({ length: TABLE_HI - TABLE_LO + 1 }, (_, i) => Math.pow(GAMMA, i + TABLE_LO));

/** Upper bound (inclusive, ms) of bucket `index`; its lower bound is bucketUpperBound(index - 1). */
export function bucketUpperBound(index: number): number {
  return index >= TABLE_LO && index <= TABLE_HI ? BOUNDS[index - TABLE_LO] : Math.pow(GAMMA, index);
}

/**
 * Bucket index of a value > MIN_MS. The log is corrected against
 * bucketUpperBound so that index and bound agree exactly even when
 * floating-point rounding puts x within an ulp of a bucket edge; the
 * Prometheus fold relies on "x ≤ bucketUpperBound(index(x))".
 */
export function bucketIndex(valueMs: number): number {
  let i = Math.ceil(Math.log(valueMs) / LOG_GAMMA);
  if (valueMs > bucketUpperBound(i)) i += 1;
  else if (valueMs <= bucketUpperBound(i - 1)) i -= 1;
  return i;
}

/** The value reported for a bucket: equidistant in relative terms from both edges. */
function bucketValue(index: number): number {
  return (2 * bucketUpperBound(index)) / (GAMMA + 1);
}

/** Additive merge of two stored forms; inputs are not modified. */
export function mergeBucketJson(a: HistogramJson, b: HistogramJson): HistogramJson {
  return addBucketJson({ b: { ...a.b }, z: a.z ?? 0 }, b);
}

/** addBucketJson adds `from` into `into` (which it modifies and returns): for summing many, without a copy per step. */
export function addBucketJson(into: HistogramJson, from: HistogramJson): HistogramJson {
  for (const k in from.b) into.b[k] = (into.b[k] ?? 0) + from.b[k];
  into.z += from.z ?? 0;
  return into;
}

export class LogHistogram {
  private readonly buckets = new Map<number, number>();
  private zero = 0;
  private total = 0;
  private sumMs = 0;

  /** Total count (sum of adjusted counts). */
  get count(): number {
    return this.total;
  }

  /** Sum of value × count in ms; an estimate for histograms built by fromJSON without a sum. */
  get sum(): number {
    return this.sumMs;
  }

  /**
   * Records `count` occurrences of `valueMs`. Non-finite values or counts
   * and non-positive counts are ignored rather than thrown: one bad span
   * must not poison a whole batch (the classifier rejects broken durations
   * before they get here). Negative values land in the zero bucket.
   */
  add(valueMs: number, count = 1): void {
    if (!Number.isFinite(valueMs) || !Number.isFinite(count) || count <= 0) return;
    if (valueMs <= MIN_MS) {
      this.zero += count;
    } else {
      const i = bucketIndex(valueMs);
      this.buckets.set(i, (this.buckets.get(i) ?? 0) + count);
    }
    this.total += count;
    this.sumMs += Math.max(valueMs, 0) * count;
  }

  merge(other: LogHistogram): void {
    for (const [i, c] of other.buckets) this.buckets.set(i, (this.buckets.get(i) ?? 0) + c);
    this.zero += other.zero;
    this.total += other.total;
    this.sumMs += other.sumMs;
  }

  /**
   * Value at quantile q ∈ [0, 1], within 2% relative of the exact value at
   * rank q·(count−1) of the sorted data (zero-bucket values read as 0).
   * NaN when empty.
   */
  quantile(q: number): number {
    if (this.total <= 0 || !(q >= 0 && q <= 1)) return NaN;
    const rank = q * Math.max(this.total - 1, 0);
    let seen = this.zero;
    if (seen > rank) return 0;
    const indices = this.sortedIndices();
    for (const i of indices) {
      seen += this.buckets.get(i)!;
      if (seen > rank) return bucketValue(i);
    }
    // Only reachable through float rounding of fractional counts at q ≈ 1.
    return indices.length > 0 ? bucketValue(indices[indices.length - 1]) : 0;
  }

  /**
   * Cumulative counts (Prometheus `le` semantics: values ≤ bound) for the
   * given bounds in SECONDS, ascending; the +Inf bucket is `count`.
   *
   * Exact for every bound that falls on no bucket's interior. A bucket
   * (lo, hi] that straddles a bound is split assuming its values are spread
   * log-uniformly, so the error at that bound is at most that one bucket's
   * count, and only values within one bucket width (≈4%) of the bound can be misplaced. Where
   * exact per-bound counts matter, the aggregator keeps them separately.
   */
  cumulativeCounts(boundsSeconds: readonly number[]): number[] {
    const boundsMs = boundsSeconds.map((s) => s * 1000);
    const out = new Array<number>(boundsMs.length).fill(0);
    for (let k = 0; k < boundsMs.length; k++) if (boundsMs[k] >= MIN_MS) out[k] += this.zero;
    for (const [i, c] of this.buckets) {
      const hi = bucketUpperBound(i);
      const lo = bucketUpperBound(i - 1);
      for (let k = 0; k < boundsMs.length; k++) {
        const b = boundsMs[k];
        if (b >= hi) out[k] += c;
        else if (b > lo) out[k] += (c * Math.log(b / lo)) / LOG_GAMMA;
      }
    }
    return out;
  }

  toJSON(): HistogramJson {
    const b: Record<string, number> = {};
    for (const i of this.sortedIndices()) b[String(i)] = this.buckets.get(i)!;
    return { b, z: this.zero };
  }

  /**
   * Rebuilds a histogram from its stored form. The stored form has no sum
   * (the row's duration_sum column holds the exact one): pass it as `sumMs`,
   * otherwise `sum` is estimated from bucket midpoints (within 2%).
   * Malformed entries (non-integer index, non-finite or non-positive count)
   * are skipped: they can only come from a hand-edited row.
   */
  static fromJSON(json: HistogramJson, sumMs?: number): LogHistogram {
    const h = new LogHistogram();
    let estimate = 0;
    for (const [k, v] of Object.entries(json?.b ?? {})) {
      const i = Number(k);
      if (!Number.isInteger(i) || !Number.isFinite(v) || v <= 0) continue;
      h.buckets.set(i, (h.buckets.get(i) ?? 0) + v);
      h.total += v;
      estimate += bucketValue(i) * v;
    }
    const z = json?.z;
    if (Number.isFinite(z) && z > 0) {
      h.zero = z;
      h.total += z;
    }
    h.sumMs = sumMs ?? estimate;
    return h;
  }

  private sortedIndices(): number[] {
    return [...this.buckets.keys()].sort((x, y) => x - y);
  }
}
