import { Injectable } from '@nestjs/common';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { histogramFromStored } from '../ingest/red.repository.js';
import { LogHistogram } from '../kernel/log-histogram.js';
import { RedSeriesRepository } from './red-series.repository.js';

/** About this many points per chart: enough shape, little to send. */
const TARGET_POINTS = 120;

/** stepFor: minute steps up to a day (minute rows), whole hours beyond (hour rows, kept for months). */
export function stepFor(windowMs: number): number {
  if (windowMs <= DAY_MS) return Math.max(1, Math.ceil(windowMs / TARGET_POINTS / MINUTE_MS)) * MINUTE_MS;
  return Math.max(1, Math.ceil(windowMs / TARGET_POINTS / HOUR_MS)) * HOUR_MS;
}

/** RedSeriesService turns stored RED rows into rate, error ratio and percentiles per step. */
@Injectable()
export class RedSeriesService {
  constructor(private readonly repository: RedSeriesRepository) {}

  async series(nowMs: number, service: string, operation: string | undefined, window: { label: string; ms: number }) {
    const step = stepFor(window.ms);
    const to = Math.floor(nowMs / step) * step + step;
    const from = to - Math.ceil(window.ms / step) * step;
    const points = await this.repository.series(service, operation, from, to, step);
    return {
      service,
      operation: operation ?? null,
      window: window.label,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      stepSeconds: step / 1000,
      points: points.map((p) => {
        const h = LogHistogram.fromJSON(histogramFromStored(p.histogram));
        const q = (x: number) => (p.calls > 0 ? Math.round(h.quantile(x) * 1000) / 1000 : null);
        return {
          at: new Date(p.atMs).toISOString(),
          calls: p.calls,
          ratePerSecond: p.calls / (step / 1000),
          errorRatio: p.calls > 0 ? p.errors / p.calls : null,
          latencyMs: { p50: q(0.5), p95: q(0.95), p99: q(0.99) },
        };
      }),
    };
  }
}
