import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';

/** IngestMetrics are Burnwatch's own ingest self-metrics. */
@Injectable()
export class IngestMetrics {
  readonly accepted: Counter<'protocol'>;
  readonly rejected: Counter<'reason'>;
  readonly flushDuration: Histogram<'outcome'>;
  readonly flushRows: Counter<'table'>;
  readonly inflight: Gauge;
  readonly activeSeries: Gauge;
  readonly overflow: Counter<'service'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.accepted = new Counter({
      name: 'burnwatch_spans_accepted_total',
      help: 'Spans accepted and committed, by protocol.',
      labelNames: ['protocol'],
      registers,
    });
    this.rejected = new Counter({
      name: 'burnwatch_spans_rejected_total',
      help: 'Spans not counted, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.flushDuration = new Histogram({
      name: 'burnwatch_flush_duration_seconds',
      help: 'Duration of one group commit, by outcome.',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    // Rows per commit is what the database pays for; with commits no longer
    // paced by a timer, this and the commit count show how batching holds up.
    this.flushRows = new Counter({
      name: 'burnwatch_flush_rows_total',
      help: 'Rows upserted by committed group commits, by table.',
      labelNames: ['table'],
      registers,
    });
    this.inflight = new Gauge({
      name: 'burnwatch_inflight_spans',
      help: 'Spans received and not yet committed.',
      registers,
    });
    this.activeSeries = new Gauge({
      name: 'burnwatch_active_series',
      help: 'RED series tracked by this process.',
      registers,
    });
    this.overflow = new Counter({
      name: 'burnwatch_series_overflow_spans_total',
      help: 'Spans folded into a service overflow series (otel_metric_overflow) by the cardinality limit.',
      labelNames: ['service'],
      registers,
    });
  }
}
