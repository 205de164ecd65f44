import { Injectable } from '@nestjs/common';
import { ExpositionBuffer, labelName, labelValue } from '../kernel/exposition.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { PROM_BOUNDS_SECONDS, type MinuteRedRow, type RedRow } from './aggregate/aggregator.js';

interface SeriesTotals {
  /** Line prefixes encoded once per series: a scrape then only copies them and writes numbers. */
  okPrefix: Buffer;
  errorPrefix: Buffer;
  bucketPrefixes: Buffer[];
  infPrefix: Buffer;
  sumPrefix: Buffer;
  countPrefix: Buffer;
  calls: number;
  errors: number;
  sumSeconds: number;
  buckets: number[];
}

const CALLS_HELP = [
  '# HELP traces_span_metrics_calls_total Spans received, by service, span name, kind and status (errors as classified by Burnwatch).',
  '# TYPE traces_span_metrics_calls_total counter',
];
const DURATION_HELP = ['# HELP traces_span_metrics_duration_seconds Span durations.', '# TYPE traces_span_metrics_duration_seconds histogram'];
/** Room for one sample value (digits, sign, fraction) and the newline, for sizing the buffer. */
const SAMPLE_BYTES = 24;

/**
 * SpanMetricsStore keeps this process's cumulative RED counters since start
 * and renders them in the OpenTelemetry spanmetrics naming, so existing
 * Jaeger and Grafana dashboards work unchanged. It is fed only with
 * committed batches: /metrics never shows a span the database lost.
 * Prometheus sums the counters of all replicas, as it would for collectors.
 * Rendering writes bytes, not a prom-client metric or one big string,
 * because 10,000 series with 19 samples each (about 29 MB) must scrape in
 * well under a second.
 */
@Injectable()
export class SpanMetricsStore {
  private readonly series = new Map<string, SeriesTotals>();
  /** Bytes of all prefixes, kept up to date so a scrape allocates its buffer once. */
  private prefixBytes = 0;
  private lines = 0;

  constructor(metrics: MetricsService) {
    metrics.addText(() => this.render());
  }

  add(rows: readonly MinuteRedRow[]): void {
    for (const r of rows) {
      let t = this.series.get(r.seriesKey);
      if (!t) {
        const labels = renderLabels(r);
        const h = 'traces_span_metrics_duration_seconds';
        t = {
          okPrefix: Buffer.from(`traces_span_metrics_calls_total{${labels},status_code="STATUS_CODE_UNSET"} `),
          errorPrefix: Buffer.from(`traces_span_metrics_calls_total{${labels},status_code="STATUS_CODE_ERROR"} `),
          bucketPrefixes: PROM_BOUNDS_SECONDS.map((b) => Buffer.from(`${h}_bucket{${labels},le="${b}"} `)),
          infPrefix: Buffer.from(`${h}_bucket{${labels},le="+Inf"} `),
          sumPrefix: Buffer.from(`${h}_sum{${labels}} `),
          countPrefix: Buffer.from(`${h}_count{${labels}} `),
          calls: 0,
          errors: 0,
          sumSeconds: 0,
          buckets: new Array(PROM_BOUNDS_SECONDS.length).fill(0),
        };
        const prefixes = [t.okPrefix, t.errorPrefix, ...t.bucketPrefixes, t.infPrefix, t.sumPrefix, t.countPrefix];
        this.prefixBytes += prefixes.reduce((n, b) => n + b.length, 0);
        this.lines += prefixes.length;
        this.series.set(r.seriesKey, t);
      }
      t.calls += r.calls;
      t.errors += r.errors;
      t.sumSeconds += r.durationSumMs / 1000;
      for (let i = 0; i < t.buckets.length; i++) t.buckets[i] += r.promBuckets[i] ?? 0;
    }
  }

  get size(): number {
    return this.series.size;
  }

  render(): Buffer {
    const out = new ExpositionBuffer(this.prefixBytes + this.lines * SAMPLE_BYTES + 512);
    for (const l of CALLS_HELP) out.text(l);
    for (const t of this.series.values()) {
      const ok = t.calls - t.errors;
      if (ok > 0) out.line(t.okPrefix, ok);
      if (t.errors > 0) out.line(t.errorPrefix, t.errors);
    }
    for (const l of DURATION_HELP) out.text(l);
    for (const t of this.series.values()) {
      for (let i = 0; i < t.bucketPrefixes.length; i++) out.line(t.bucketPrefixes[i], t.buckets[i]);
      out.line(t.infPrefix, t.calls);
      out.line(t.sumPrefix, t.sumSeconds);
      out.line(t.countPrefix, t.calls);
    }
    return out.bytes();
  }
}

function renderLabels(r: RedRow): string {
  if (r.labels.overflow) return `service_name="${labelValue(r.labels.service)}",otel_metric_overflow="true"`;
  const parts = [
    `service_name="${labelValue(r.labels.service)}"`,
    `span_name="${labelValue(r.labels.spanName)}"`,
    `span_kind="${labelValue(r.labels.spanKind)}"`,
  ];
  for (const [k, v] of Object.entries(r.labels.dims)) parts.push(`${labelName(k)}="${labelValue(v)}"`);
  return parts.join(',');
}
