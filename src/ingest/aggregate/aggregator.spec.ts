import { SpanKind, StatusCode, type SpanRecord } from '../../kernel/span.model.js';
import { BatchAggregator, PROM_BOUNDS_MS, PROM_BOUNDS_SECONDS, rollUp, type RedRow } from './aggregator.js';
import { HOUR_MS } from '../../kernel/minute-ranges.js';
import { classify, type ClassifiedSpan, type ClassifierOptions } from './classifier.js';
import { LogHistogram } from '../../kernel/log-histogram.js';
import { adjustedCount } from './sampling.js';
import { SeriesRegistry } from './series-registry.js';

const T0 = Date.UTC(2025, 0, 1, 10, 0, 0);
const OPTS: ClassifierOptions = { extraDimensions: ['http.route'] };

function span(over: Partial<SpanRecord> = {}, attributes: Record<string, string | number | boolean> = {}): SpanRecord {
  return {
    service: 'checkout',
    name: 'GET /cart',
    kind: SpanKind.SERVER,
    startMs: T0,
    durationMs: 10,
    statusCode: StatusCode.UNSET,
    traceId: '',
    traceState: '',
    attributes: new Map(Object.entries(attributes)),
    ...over,
  };
}

function classified(s: SpanRecord): ClassifiedSpan {
  const c = classify(s, OPTS);
  if ('reject' in c) throw new Error(c.reject);
  return c;
}

function aggregator(maxSeriesPerService = 100): BatchAggregator {
  return new BatchAggregator({ registry: new SeriesRegistry({ maxSeriesPerService }) });
}

function feed(agg: BatchAggregator, spans: SpanRecord[], sampleRateAttribute?: string): void {
  for (const s of spans) agg.add(s, classified(s), adjustedCount(s, sampleRateAttribute));
}

/** A deterministic mix: 2 services × 3 operations × 5 minutes, varied durations and failures. */
function traffic(): SpanRecord[] {
  const out: SpanRecord[] = [];
  for (let i = 0; i < 3_000; i++) {
    out.push(
      span(
        {
          service: i % 2 === 0 ? 'checkout' : 'payments',
          name: ['GET /cart', 'POST /pay', 'GET /health'][i % 3],
          startMs: T0 + (i % 5) * 60_000 + (i % 997) * 37, // spreads over each minute, never past it
          durationMs: ((i * 7919) % 20_000) / 3,
          statusCode: i % 17 === 0 ? StatusCode.ERROR : StatusCode.UNSET,
          traceId: i.toString(16).padStart(32, '0'),
        },
        { 'http.response.status_code': i % 23 === 0 ? 503 : 200, 'http.route': '/r' + (i % 3) },
      ),
    );
  }
  return out;
}

describe('BatchAggregator', () => {
  it('counts calls, errors, durations and Prometheus buckets exactly per series and minute', () => {
    const spans = traffic();
    const agg = aggregator();
    feed(agg, spans);
    const { red, spans: n, overflowSpans } = agg.drain();
    expect(n).toBe(3_000);
    expect(overflowSpans).toBe(0);
    expect(red).toHaveLength(2 * 3 * 5);

    for (const row of red) {
      const mine = spans.filter(
        (s) =>
          s.service === row.labels.service &&
          s.name === row.labels.spanName &&
          Math.floor(s.startMs / 60_000) * 60_000 === row.minuteMs,
      );
      expect(row.calls).toBe(mine.length);
      expect(row.errors).toBe(mine.filter((s) => s.statusCode === StatusCode.ERROR || s.attributes.get('http.response.status_code') === 503).length);
      expect(row.durationSumMs).toBeCloseTo(mine.reduce((a, s) => a + s.durationMs, 0), 6);
      expect(row.promBuckets).toEqual(PROM_BOUNDS_MS.map((b) => mine.filter((s) => s.durationMs <= b).length));
      expect(LogHistogram.fromJSON(row.histogram).count).toBe(mine.length);
    }
    expect(red.reduce((a, r) => a + r.calls, 0)).toBe(3_000);
  });

  it('counts a duration exactly on a bound in that bound (le semantics)', () => {
    const agg = aggregator();
    feed(agg, [span({ durationMs: 2 }), span({ durationMs: 2.000001 }), span({ durationMs: 15_000 }), span({ durationMs: 15_001 })]);
    const [row] = agg.drain().red;
    expect(PROM_BOUNDS_SECONDS[0]).toBe(0.002);
    expect(row.promBuckets[0]).toBe(1);
    expect(row.promBuckets[1]).toBe(2);
    expect(row.promBuckets[PROM_BOUNDS_MS.length - 1]).toBe(3); // +Inf is calls = 4
    expect(row.calls).toBe(4);
  });

  it('sums batches to the same totals as one batch (additive rows)', () => {
    const spans = traffic();
    const registry = new SeriesRegistry({ maxSeriesPerService: 100 });
    const one = new BatchAggregator({ registry });
    feed(one, spans);
    const whole = one.drain().red;
    const split = new BatchAggregator({ registry });
    feed(split, spans.slice(0, 1_234));
    const first = split.drain().red;
    feed(split, spans.slice(1_234));
    const second = split.drain().red;
    // Exemplars legitimately differ (first failures of each batch); float sums differ in the last ulp.
    const strip = (rows: RedRow[]) => rollUp(rows, 60_000, 0).map(({ exemplars, durationSumMs, ...r }) => r);
    expect(strip([...first, ...second])).toEqual(strip(whole));
    const sums = rollUp([...first, ...second], 60_000, 0).map((r) => r.durationSumMs);
    rollUp(whole, 60_000, 0).forEach((r, i) => expect(sums[i]).toBeCloseTo(r.durationSumMs, 6));
  });

  it('drain empties the batch', () => {
    const agg = aggregator();
    feed(agg, [span()]);
    expect(agg.cellCount).toBe(1);
    agg.drain();
    expect(agg.cellCount).toBe(0);
    expect(agg.drain()).toEqual({ red: [], spans: 0, overflowSpans: 0, overflowSpansByService: {} });
  });

  it('returns rows ordered by minute then series, so replicas lock rows in one order', () => {
    const agg = aggregator();
    feed(agg, [span({ name: 'b', startMs: T0 + 60_000 }), span({ name: 'b' }), span({ name: 'a', startMs: T0 + 60_000 }), span({ name: 'a' })]);
    expect(agg.drain().red.map((r) => [r.minuteMs - T0, r.labels.spanName])).toEqual([
      [0, 'a'],
      [0, 'b'],
      [60_000, 'a'],
      [60_000, 'b'],
    ]);
  });

  it('counts sampled spans with their adjusted counts', () => {
    const agg = aggregator();
    feed(
      agg,
      [
        span({ traceState: 'ot=th:8', durationMs: 1 }), // 1 in 2
        span({ traceState: 'ot=th:c', durationMs: 300, statusCode: StatusCode.ERROR }), // 1 in 4
        span({ durationMs: 3 }, { SampleRate: 10 }), // 1 in 10
        span({ durationMs: 3 }), // unsampled
      ],
      'SampleRate',
    );
    const [row] = agg.drain().red;
    expect(row.calls).toBe(17);
    expect(row.errors).toBe(4);
    expect(row.durationSumMs).toBe(2 * 1 + 4 * 300 + 10 * 3 + 3);
    expect(LogHistogram.fromJSON(row.histogram).count).toBe(17);
    expect(row.promBuckets.slice(0, 6)).toEqual([2, 13, 13, 13, 13, 13]); // ≤ 2 ms: only the 1 ms span
    expect(row.promBuckets[PROM_BOUNDS_MS.indexOf(400)]).toBe(17);
  });

  it('folds series beyond the per-service limit into one overflow series and counts the spans', () => {
    const agg = aggregator(2);
    const ops = ['a', 'b', 'c', 'd', 'a', 'c'];
    feed(agg, ops.map((name) => span({ name }, { 'http.route': '/x' })));
    feed(agg, [span({ service: 'payments', name: 'c' })]);
    const { red, overflowSpans, overflowSpansByService } = agg.drain();
    expect(overflowSpans).toBe(3);
    expect(overflowSpansByService).toEqual({ checkout: 3 });
    const byName = Object.fromEntries(red.map((r) => [`${r.labels.service}/${r.labels.spanName}/${r.labels.overflow}`, r.calls]));
    expect(byName).toEqual({ 'checkout/a/false': 2, 'checkout/b/false': 1, 'checkout//true': 3, 'payments/c/false': 1 });
    const overflow = red.find((r) => r.labels.overflow)!;
    expect(overflow.labels).toEqual({ service: 'checkout', spanName: '', spanKind: '', dims: { 'http.route': '' }, overflow: true });
  });

  it('keeps a series in overflow in later batches and its established series out of it', () => {
    const registry = new SeriesRegistry({ maxSeriesPerService: 1 });
    const agg = new BatchAggregator({ registry });
    feed(agg, [span({ name: 'a' }), span({ name: 'b' })]);
    agg.drain();
    feed(agg, [span({ name: 'b' }), span({ name: 'a' })]);
    const { red, overflowSpans } = agg.drain();
    expect(overflowSpans).toBe(1);
    expect(red.map((r) => [r.labels.spanName, r.labels.overflow])).toEqual(
      expect.arrayContaining([
        ['a', false],
        ['', true],
      ]),
    );
  });

  it('keeps the first failed traces and the slowest traces as exemplars', () => {
    const agg = aggregator();
    const durations = [5, 900, 40, 900, 1200, 7, 300, 2500];
    feed(
      agg,
      durations.map((durationMs, i) =>
        span({ durationMs, traceId: `t${i}`, statusCode: i % 2 === 1 ? StatusCode.ERROR : StatusCode.UNSET }),
      ),
    );
    feed(agg, [span({ durationMs: 9_999, traceId: '' }), span({ durationMs: 3000, traceId: 't0' })]);
    const [row] = agg.drain().red;
    expect(row.exemplars.errors).toEqual([
      { traceId: 't1', durationMs: 900 },
      { traceId: 't3', durationMs: 900 },
      { traceId: 't5', durationMs: 7 },
    ]);
    // t0 appears once, with its slowest span; spans without a trace id are no exemplar.
    expect(row.exemplars.slowest).toEqual([
      { traceId: 't0', durationMs: 3000 },
      { traceId: 't7', durationMs: 2500 },
      { traceId: 't4', durationMs: 1200 },
    ]);
  });
});

describe('rollUp', () => {
  it('merges minute rows into hour rows with the same totals', () => {
    const agg = aggregator();
    const spans = traffic().map((s, i) => ({ ...s, startMs: s.startMs + (i % 2) * 55 * 60_000 }));
    feed(agg, spans);
    const minutes = agg.drain().red;
    const hours = rollUp(minutes, HOUR_MS);
    expect(new Set(hours.map((r) => r.minuteMs))).toEqual(new Set([T0]));
    expect(hours).toHaveLength(6);
    const total = (rows: RedRow[], f: (r: RedRow) => number) => rows.reduce((a, r) => a + f(r), 0);
    expect(total(hours, (r) => r.calls)).toBe(3_000);
    expect(total(hours, (r) => r.errors)).toBe(total(minutes, (r) => r.errors));
    for (const h of hours) {
      const parts = minutes.filter((m) => m.seriesKey === h.seriesKey);
      // Only minute rows feed /metrics: an hour row carries no Prometheus buckets.
      expect('promBuckets' in h).toBe(false);
      expect(LogHistogram.fromJSON(h.histogram).count).toBe(h.calls);
      expect(h.exemplars.slowest).toHaveLength(3);
      expect(h.exemplars.slowest[0].durationMs).toBe(Math.max(...parts.map((m) => m.exemplars.slowest[0].durationMs)));
    }
  });

  it('does not modify its input rows', () => {
    const agg = aggregator();
    feed(agg, [span({ traceId: 'x' }), span({ startMs: T0 + 60_000, traceId: 'y' })]);
    const minutes = agg.drain().red;
    const before = JSON.stringify(minutes);
    rollUp(minutes, HOUR_MS);
    expect(JSON.stringify(minutes)).toBe(before);
  });
});
