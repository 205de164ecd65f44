/**
 * SeriesRegistry bounds how many RED series exist, so that a span attribute
 * that is not as low-cardinality as hoped (a raw URL as span name, a user id
 * in a dimension) cannot grow memory, /metrics and the database without end.
 *
 * It outlives batches: the caller keeps one per process. A series is admitted
 * the first time it is seen while its service is under `maxSeriesPerService`
 * and the process under `maxTotalSeries`; after that it stays admitted, so
 * established series never flip into overflow because newcomers arrived.
 * Spans of series that are not admitted go to their service's overflow series.
 *
 * Replicas each keep their own registry, so across N replicas a service can
 * show up to N × limit distinct series in the worst case. To keep a restart
 * from re-deciding which series are in, the caller may replay known series
 * (e.g. the busiest recent ones from the database) through `admit` at boot.
 */
export interface SeriesRegistryOptions {
  maxSeriesPerService: number;
  /**
   * Cap over all services: the per-service limit alone does not bound memory
   * when service names themselves are unbounded. Default 100 000.
   */
  maxTotalSeries?: number;
}

export class SeriesRegistry {
  readonly maxSeriesPerService: number;
  readonly maxTotalSeries: number;
  /** service → seriesKey → last minute (ms) a span of the series was seen. */
  private readonly services = new Map<string, Map<string, number>>();
  private total = 0;

  constructor(opts: SeriesRegistryOptions) {
    if (!(opts.maxSeriesPerService >= 1)) throw new RangeError('maxSeriesPerService must be ≥ 1');
    this.maxSeriesPerService = opts.maxSeriesPerService;
    this.maxTotalSeries = opts.maxTotalSeries ?? 100_000;
  }

  /**
   * True when the series is (now) tracked and its spans count under their own
   * labels; false when they belong in the service's overflow series.
   * `seenMs` is the data time of the span (its minute), never a clock read,
   * and feeds `evictIdle`.
   */
  admit(service: string, seriesKey: string, seenMs: number): boolean {
    let series = this.services.get(service);
    const last = series?.get(seriesKey);
    if (last !== undefined) {
      if (seenMs > last) series!.set(seriesKey, seenMs);
      return true;
    }
    if ((series?.size ?? 0) >= this.maxSeriesPerService || this.total >= this.maxTotalSeries) return false;
    if (series === undefined) {
      series = new Map();
      this.services.set(service, series);
    }
    series.set(seriesKey, seenMs);
    this.total += 1;
    return true;
  }

  /**
   * Forgets series whose newest span is older than `cutoffMs`, freeing their
   * slots; without it a service that once hit its limit would overflow every
   * later series (a newly deployed route) until the process restarts.
   * Returns how many were forgotten.
   */
  evictIdle(cutoffMs: number): number {
    let evicted = 0;
    for (const [service, series] of this.services) {
      for (const [key, last] of series) {
        if (last < cutoffMs) {
          series.delete(key);
          evicted += 1;
        }
      }
      if (series.size === 0) this.services.delete(service);
    }
    this.total -= evicted;
    return evicted;
  }

  /** Tracked series over all services (the "active series" self-metric). */
  get size(): number {
    return this.total;
  }

  seriesCountFor(service: string): number {
    return this.services.get(service)?.size ?? 0;
  }
}
