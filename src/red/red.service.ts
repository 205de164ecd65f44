import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { minuteHorizon, readableRange } from '../kernel/stored-ranges.js';
import { floorMinute, MINUTE_MS } from '../kernel/minute-ranges.js';
import { histogramFromStored } from '../ingest/red.repository.js';
import { LogHistogram } from '../kernel/log-histogram.js';
import { RedTotalsRepository, RedTotals } from './red-totals.repository.js';

export interface RedSummary {
  calls: number;
  ratePerSecond: number;
  errors: number;
  errorRatio: number | null;
  latencyMs: { mean: number | null; p50: number | null; p90: number | null; p95: number | null; p99: number | null };
  exampleTraceIds: { errors: string[]; slowest: string[] };
}

/** A service sending many spans that are nearly all errors is likely tail-sampled (keep-errors policies). */
const TAIL_SAMPLING_MIN_CALLS = 100;
const TAIL_SAMPLING_ERROR_RATIO = 0.9;

function summarize(t: RedTotals, windowMs: number): RedSummary {
  const h = LogHistogram.fromJSON(histogramFromStored(t.histogram));
  const q = (x: number) => (t.calls > 0 ? round(h.quantile(x)) : null);
  return {
    calls: round(t.calls),
    ratePerSecond: round(t.calls / (windowMs / 1000)),
    errors: round(t.errors),
    errorRatio: t.calls > 0 ? t.errors / t.calls : null,
    latencyMs: { mean: t.calls > 0 ? round(t.durationSumMs / t.calls) : null, p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99) },
    exampleTraceIds: { errors: t.exemplars.errors.map((e) => e.traceId), slowest: t.exemplars.slowest.map((e) => e.traceId) },
  };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** RedService answers "how is each service and operation doing" over a window, from stored rows. */
@Injectable()
export class RedService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RedTotalsRepository,
  ) {}

  /**
   * The window ends with the current minute (which is included: it is
   * flushed continuously); a start older than minute retention is read by
   * whole hours (see readableRange).
   */
  private range(nowMs: number, windowMs: number): [number, number] {
    const end = floorMinute(nowMs) + MINUTE_MS;
    const [from, to] = readableRange(end - windowMs, end, minuteHorizon(nowMs, this.config.retention.minuteDays));
    return [from, to];
  }

  async services(nowMs: number, window: { label: string; ms: number }) {
    const [from, to] = this.range(nowMs, window.ms);
    const totals = await this.repository.totals(from, to, 'service');
    return {
      window: window.label,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      services: totals.map((t) => {
        const s = summarize(t, to - from);
        return {
          service: t.key[0],
          ...s,
          suspectedTailSampling: t.calls >= TAIL_SAMPLING_MIN_CALLS && (s.errorRatio ?? 0) >= TAIL_SAMPLING_ERROR_RATIO,
        };
      }),
    };
  }

  async operations(nowMs: number, service: string, window: { label: string; ms: number }) {
    const [from, to] = this.range(nowMs, window.ms);
    const totals = await this.repository.totals(from, to, 'operation', service);
    return {
      service,
      window: window.label,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      operations: totals.map((t) => ({ operation: t.key[1], spanKind: t.key[2], ...summarize(t, to - from) })),
    };
  }
}
