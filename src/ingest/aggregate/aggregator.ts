import type { SpanRecord } from '../../kernel/span.model.js';
import type { ClassifiedSpan, SeriesLabels } from './classifier.js';
import { LogHistogram, addBucketJson, mergeBucketJson, type HistogramJson } from '../../kernel/log-histogram.js';
import type { SeriesRegistry } from './series-registry.js';
import { MINUTE_MS } from '../../kernel/minute-ranges.js';

/**
 * BatchAggregator accumulates one flush batch: per (series, minute) the RED
 * numbers, a histogram for percentiles, exact Prometheus bucket counts and a
 * few exemplar trace ids. `drain` hands over rows for one additive upsert.
 * Everything is additive, so rows from many batches and replicas sum to the
 * same totals as if one process had seen every span.
 */

/** Default spanmetrics histogram bounds, in ms (the exact integers avoid float drift at `le`). */
export const PROM_BOUNDS_MS: readonly number[] = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000];
/** The same bounds in seconds, as exposed on /metrics (`le` labels). */
export const PROM_BOUNDS_SECONDS: readonly number[] = PROM_BOUNDS_MS.map((ms) => ms / 1000);


export interface Exemplar {
  traceId: string;
  durationMs: number;
}

/** One (series, period) row of the RED tables: a minute row, or an hour row made by rollUp. */
export interface RedRow {
  /** Start of the minute (or of the roll-up period, see rollUp), epoch ms. */
  minuteMs: number;
  /** Identity of `labels`; stable across batches and processes. */
  seriesKey: string;
  labels: SeriesLabels;
  /** Adjusted counts: exact integers for unsampled traffic. */
  calls: number;
  errors: number;
  /** Σ duration × adjusted count. */
  durationSumMs: number;
  histogram: HistogramJson;
  exemplars: { errors: Exemplar[]; slowest: Exemplar[] };
}

/**
 * A minute row as the aggregator drains it: it also carries the exact
 * Prometheus bucket counts, which feed /metrics (SpanMetricsStore). Rolled-up
 * rows carry none: nothing reads buckets per hour.
 */
export interface MinuteRedRow extends RedRow {
  /** Cumulative counts of durations ≤ each bound (aligned with the bounds); +Inf is `calls`. */
  promBuckets: number[];
}

export interface DrainResult {
  /** Sorted by (minuteMs, seriesKey): every replica upserts rows in the same order, so concurrent flushes cannot deadlock on row locks. */
  red: MinuteRedRow[];
  /** Spans added (raw, not adjusted). */
  spans: number;
  /** Spans (raw) folded into overflow series, for the overflow self-metric. */
  overflowSpans: number;
  overflowSpansByService: Record<string, number>;
}

export interface BatchAggregatorOptions {
  /** Shared, process-lifetime cardinality limiter. */
  registry: SeriesRegistry;
  /** Exact-count bounds in ms, ascending; default PROM_BOUNDS_MS. */
  promBoundsMs?: readonly number[];
  /** Exemplars kept per kind (errors, slowest) per row; default 3. */
  maxExemplars?: number;
}

interface Cell {
  row: Omit<RedRow, 'histogram'>;
  histogram: LogHistogram;
  /** Per-bucket (not yet cumulative) counts; index k = (bound[k-1], bound[k]]. */
  buckets: number[];
}

function indexOfTrace(list: readonly Exemplar[], traceId: string): number {
  for (let i = 0; i < list.length; i++) if (list[i].traceId === traceId) return i;
  return -1;
}

/**
 * Adds an error exemplar unless full or the trace is already there: the
 * first failures of a minute are as telling as any. The exemplar object is
 * made only when it is kept (most spans are not).
 */
function pushErrorExemplar(list: Exemplar[], traceId: string, durationMs: number, max: number): void {
  if (list.length < max && indexOfTrace(list, traceId) < 0) list.push({ traceId, durationMs });
}

/** Keeps the `max` slowest spans, one per trace (the slowest of it), slowest first. */
function pushSlowExemplar(list: Exemplar[], traceId: string, durationMs: number, max: number): void {
  if (max <= 0) return;
  // Full and no faster than the slowest's last: nothing changes (a kept span of
  // the same trace is at least as slow as that last one).
  if (list.length >= max && list[list.length - 1].durationMs >= durationMs) return;
  const same = indexOfTrace(list, traceId);
  if (same >= 0) {
    if (list[same].durationMs >= durationMs) return;
    list.splice(same, 1);
  }
  let at = 0;
  while (at < list.length && list[at].durationMs >= durationMs) at++;
  list.splice(at, 0, { traceId, durationMs });
  if (list.length > max) list.length = max;
}

export class BatchAggregator {
  private readonly registry: SeriesRegistry;
  private readonly boundsMs: readonly number[];
  private readonly maxExemplars: number;
  /** minute → series key → cell: two lookups instead of building a `${minute}|${key}` string per span. */
  private cells = new Map<number, Map<string, Cell>>();
  private cellTotal = 0;
  private spans = 0;
  private overflowSpans = 0;
  private overflowByService: Record<string, number> = {};

  constructor(opts: BatchAggregatorOptions) {
    this.registry = opts.registry;
    this.boundsMs = opts.promBoundsMs ?? PROM_BOUNDS_MS;
    this.maxExemplars = opts.maxExemplars ?? 3;
  }

  /** (series, minute) cells in the batch: lets the flusher flush early when a batch grows large. */
  get cellCount(): number {
    return this.cellTotal;
  }

  /**
   * Counts one span that `classify` accepted (so startMs and durationMs are
   * finite and durationMs ≥ 0). `adjustedCount` comes from `adjustedCount()`;
   * an unusable value counts as 1 because the span did happen.
   */
  add(span: SpanRecord, event: ClassifiedSpan, adjustedCount: number): void {
    const n = Number.isFinite(adjustedCount) && adjustedCount > 0 ? adjustedCount : 1;
    const minuteMs = Math.floor(span.startMs / MINUTE_MS) * MINUTE_MS;
    this.spans += 1;
    let minute = this.cells.get(minuteMs);
    if (minute === undefined) {
      minute = new Map();
      this.cells.set(minuteMs, minute);
    }
    // A cell under the series' own key exists only if the registry admitted the
    // series for this minute, so the registry is asked once per cell, not per span.
    let cell = minute.get(event.seriesKey);
    if (cell === undefined) {
      const service = event.labels.service;
      if (this.registry.admit(service, event.seriesKey, minuteMs)) {
        cell = this.newCell(minute, minuteMs, event.seriesKey, event.labels);
      } else {
        // One-element array: can never equal a regular key (≥ 3 elements).
        const overflowKey = JSON.stringify([service]);
        cell = minute.get(overflowKey) ?? this.newCell(minute, minuteMs, overflowKey, overflowLabels(event.labels));
        this.overflowSpans += 1;
        this.overflowByService[service] = (this.overflowByService[service] ?? 0) + 1;
      }
    }

    const d = span.durationMs;
    const row = cell.row;
    row.calls += n;
    row.durationSumMs += d * n;
    cell.histogram.add(d, n);
    const bounds = this.boundsMs;
    for (let k = 0; k < bounds.length; k++) {
      if (d <= bounds[k]) {
        cell.buckets[k] += n;
        break;
      }
    }
    if (event.error) row.errors += n;

    if (span.traceId !== '') {
      if (event.error) pushErrorExemplar(row.exemplars.errors, span.traceId, d, this.maxExemplars);
      pushSlowExemplar(row.exemplars.slowest, span.traceId, d, this.maxExemplars);
    }
  }

  private newCell(minute: Map<string, Cell>, minuteMs: number, seriesKey: string, labels: SeriesLabels): Cell {
    const cell: Cell = {
      row: { minuteMs, seriesKey, labels, calls: 0, errors: 0, durationSumMs: 0, exemplars: { errors: [], slowest: [] } },
      histogram: new LogHistogram(),
      buckets: new Array<number>(this.boundsMs.length).fill(0),
    };
    minute.set(seriesKey, cell);
    this.cellTotal++;
    return cell;
  }

  /** Returns the batch's rows and counters and starts an empty batch. */
  drain(): DrainResult {
    const red: MinuteRedRow[] = [];
    for (const minute of this.cells.values()) {
      for (const cell of minute.values()) {
        let acc = 0;
        const promBuckets = cell.buckets.map((c) => (acc += c));
        red.push({ ...cell.row, histogram: cell.histogram.toJSON(), promBuckets });
      }
    }
    red.sort(compareRows);
    const result: DrainResult = {
      red,
      spans: this.spans,
      overflowSpans: this.overflowSpans,
      overflowSpansByService: this.overflowByService,
    };
    this.cells = new Map();
    this.cellTotal = 0;
    this.spans = 0;
    this.overflowSpans = 0;
    this.overflowByService = {};
    return result;
  }
}

/**
 * The overflow series keeps only the service: the other labels are what
 * exploded. Dimension keys stay (with '') so every row of a service has
 * the same label names, which /metrics requires.
 */
function overflowLabels(labels: SeriesLabels): SeriesLabels {
  const dims: Record<string, string> = {};
  for (const name of Object.keys(labels.dims)) dims[name] = '';
  return { service: labels.service, spanName: '', spanKind: '', dims, overflow: true };
}

function compareRows(a: RedRow, b: RedRow): number {
  if (a.minuteMs !== b.minuteMs) return a.minuteMs - b.minuteMs;
  return a.seriesKey < b.seriesKey ? -1 : a.seriesKey > b.seriesKey ? 1 : 0;
}

/**
 * Merges rows into coarser periods (e.g. HOUR_MS for the hour table);
 * `minuteMs` of the result is the period start. Needed because one
 * `INSERT … ON CONFLICT DO UPDATE` may not touch the same row twice, and a
 * batch's minute rows of one series usually share an hour.
 */
export function rollUp(rows: readonly RedRow[], periodMs: number, maxExemplars = 3): RedRow[] {
  const out = new Map<string, RedRow>();
  for (const r of rows) {
    const start = Math.floor(r.minuteMs / periodMs) * periodMs;
    const key = `${start}|${r.seriesKey}`;
    const acc = out.get(key);
    if (acc === undefined) {
      // Named fields, not a spread: a minute row's promBuckets stay behind.
      out.set(key, {
        minuteMs: start,
        seriesKey: r.seriesKey,
        labels: r.labels,
        calls: r.calls,
        errors: r.errors,
        durationSumMs: r.durationSumMs,
        histogram: mergeBucketJson({ b: {}, z: 0 }, r.histogram),
        exemplars: { errors: [...r.exemplars.errors], slowest: [...r.exemplars.slowest] },
      });
      continue;
    }
    acc.calls += r.calls;
    acc.errors += r.errors;
    acc.durationSumMs += r.durationSumMs;
    // acc's histogram is rollUp's own copy (made when the key first appeared): add in place.
    addBucketJson(acc.histogram, r.histogram);
    for (const e of r.exemplars.errors) pushErrorExemplar(acc.exemplars.errors, e.traceId, e.durationMs, maxExemplars);
    for (const e of r.exemplars.slowest) pushSlowExemplar(acc.exemplars.slowest, e.traceId, e.durationMs, maxExemplars);
  }
  return [...out.values()].sort(compareRows);
}
