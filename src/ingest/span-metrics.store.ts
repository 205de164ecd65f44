import { Injectable } from '@nestjs/common';
import { labelName, labelValue } from '../kernel/exposition.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { PROM_BOUNDS_SECONDS, type RedRow } from './aggregate/aggregator.js';

interface SeriesTotals {
  /** Line prefixes built once per series: a scrape then only appends numbers. */
  okPrefix: string;
  errorPrefix: string;
  bucketPrefixes: string[];
  infPrefix: string;
  sumPrefix: string;
  countPrefix: string;
  calls: number;
  errors: number;
  sumSeconds: number;
  buckets: number[];
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e9) / 1e9);
}

/**
 * SpanMetricsStore keeps this process's cumulative RED counters since start
 * and renders them in the OpenTelemetry spanmetrics naming, so existing
 * Jaeger and Grafana dashboards work unchanged. It is fed only with
 * committed batches: /metrics never shows a span the database lost.
 * Prometheus sums the counters of all replicas, as it would for collectors.
 * Rendering is a string build, not a prom-client metric, because 10,000
 * series with 19 samples each must scrape in well under a second.
 */
@Injectable()
export class SpanMetricsStore {
  private readonly series = new Map<string, SeriesTotals>();

  constructor(metrics: MetricsService) {
    metrics.addText(() => this.render());
  }

  add(rows: readonly RedRow[]): void {
    for (const r of rows) {
      let t = this.series.get(r.seriesKey);
      if (!t) {
        const labels = renderLabels(r);
        const h = 'traces_span_metrics_duration_seconds';
        t = {
          okPrefix: `traces_span_metrics_calls_total{${labels},status_code="STATUS_CODE_UNSET"} `,
          errorPrefix: `traces_span_metrics_calls_total{${labels},status_code="STATUS_CODE_ERROR"} `,
          bucketPrefixes: PROM_BOUNDS_SECONDS.map((b) => `${h}_bucket{${labels},le="${b}"} `),
          infPrefix: `${h}_bucket{${labels},le="+Inf"} `,
          sumPrefix: `${h}_sum{${labels}} `,
          countPrefix: `${h}_count{${labels}} `,
          calls: 0,
          errors: 0,
          sumSeconds: 0,
          buckets: new Array(PROM_BOUNDS_SECONDS.length).fill(0),
        };
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

  render(): string {
    const out: string[] = [
      '# HELP traces_span_metrics_calls_total Spans received, by service, span name, kind and status (errors as classified by Burnwatch).',
      '# TYPE traces_span_metrics_calls_total counter',
    ];
    for (const t of this.series.values()) {
      const ok = t.calls - t.errors;
      if (ok > 0) out.push(t.okPrefix + fmt(ok));
      if (t.errors > 0) out.push(t.errorPrefix + fmt(t.errors));
    }
    out.push(
      '# HELP traces_span_metrics_duration_seconds Span durations.',
      '# TYPE traces_span_metrics_duration_seconds histogram',
    );
    for (const t of this.series.values()) {
      for (let i = 0; i < t.bucketPrefixes.length; i++) out.push(t.bucketPrefixes[i] + fmt(t.buckets[i]));
      out.push(t.infPrefix + fmt(t.calls));
      out.push(t.sumPrefix + fmt(t.sumSeconds));
      out.push(t.countPrefix + fmt(t.calls));
    }
    return out.join('\n') + '\n';
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
