import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { unavailable } from '../common/errors.js';
import { BatchAggregator, DrainResult, rollUp } from './aggregate/aggregator.js';
import { HOUR_MS } from '../kernel/minute-ranges.js';
import { SeriesRegistry } from './aggregate/series-registry.js';
import { IngestMetrics } from './ingest.metrics.js';
import { RedRepository } from './red.repository.js';
import { SpanMetricsStore } from './span-metrics.store.js';
import { SliAccumulator, rollUpSli } from '../slo/sli-accumulator.js';
import { SliRepository } from '../slo/sli.repository.js';

export interface Batch {
  aggregator: BatchAggregator;
  sli: SliAccumulator;
  spans: number;
  committed: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Series with no span for this long free their slot under the per-service limit. */
const SERIES_IDLE_MS = 30 * 60_000;

/** Early flush once a batch holds this many (series, minute) cells, to bound memory between ticks. */
const MAX_CELLS_PER_BATCH = 50_000;

/**
 * Flusher is the group commit. Requests add their spans to the open batch
 * and wait on its `committed` promise; every FLUSH_INTERVAL_MS the batch is
 * closed and written in one transaction. A request is answered 200 only
 * after that commit; if it fails, every request of the batch gets 503 and
 * the batch is dropped — the clients retry, so what was acknowledged is
 * exactly what is stored.
 */
@Injectable()
export class Flusher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Flusher');
  readonly registry: SeriesRegistry;
  private open: Batch;
  private committing: Promise<void> = Promise.resolve();
  private inflightSpans = 0;
  private timer: NodeJS.Timeout | undefined;
  private evictTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RedRepository,
    private readonly metrics: IngestMetrics,
    private readonly spanMetrics: SpanMetricsStore,
    private readonly sliRepository: SliRepository,
  ) {
    this.registry = new SeriesRegistry({ maxSeriesPerService: config.ingest.seriesLimitPerService });
    this.open = this.newBatch();
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.ingest.flushIntervalMs);
    // Without eviction a service that once hit its series limit would send every
    // later new series (a new route) to overflow until the process restarts.
    this.evictTimer = setInterval(() => {
      this.registry.evictIdle(Date.now() - SERIES_IDLE_MS);
      this.metrics.activeSeries.set(this.registry.size);
    }, 60_000);
    this.evictTimer.unref();
  }

  /** Stops the timer after the HTTP server closed, then commits what is left. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.evictTimer) clearInterval(this.evictTimer);
    await this.flush();
  }

  /** The open batch's aggregator: callers add spans synchronously, then await `commitOf`. */
  current(): Batch {
    return this.open;
  }

  /** Spans received and not yet committed (for backpressure). */
  get inflight(): number {
    return this.inflightSpans;
  }

  /** track records `n` spans added to `batch`, and flushes early if the batch grew large. */
  track(batch: Batch, n: number): Promise<void> {
    batch.spans += n;
    this.inflightSpans += n;
    this.metrics.inflight.set(this.inflightSpans);
    if (batch.aggregator.cellCount >= MAX_CELLS_PER_BATCH) void this.flush();
    if (this.closed) void this.flush();
    return batch.committed;
  }

  /** flush closes the open batch and commits it after any commit already running. */
  flush(): Promise<void> {
    const batch = this.open;
    if (batch.spans === 0) return this.committing;
    this.open = this.newBatch();
    this.committing = this.committing.then(() => this.commit(batch));
    return this.committing;
  }

  private async commit(batch: Batch): Promise<void> {
    const drained: DrainResult = batch.aggregator.drain();
    const started = process.hrtime.bigint();
    try {
      const sli = batch.sli.drain();
      // RED rows and SLO counts commit together: an SLO never counts a span the RED tables lost.
      await this.repository.write(drained.red, rollUp(drained.red, HOUR_MS), async (m) => {
        await this.sliRepository.write(m, 'sli_minute', sli);
        await this.sliRepository.write(m, 'sli_hour', rollUpSli(sli, HOUR_MS));
      });
      this.metrics.flushDuration.observe({ outcome: 'ok' }, seconds(started));
      this.spanMetrics.add(drained.red);
      for (const [service, n] of Object.entries(drained.overflowSpansByService)) this.metrics.overflow.inc({ service }, n);
      this.metrics.activeSeries.set(this.registry.size);
      batch.resolve();
    } catch (e) {
      this.metrics.flushDuration.observe({ outcome: 'error' }, seconds(started));
      this.logger.error(`group commit of ${batch.spans} spans failed: ${e instanceof Error ? e.message : String(e)}`);
      batch.reject(unavailable('the database is unavailable; retry later', 5));
    } finally {
      this.inflightSpans -= batch.spans;
      this.metrics.inflight.set(this.inflightSpans);
    }
  }

  private newBatch(): Batch {
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const committed = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A batch nobody awaits any more (client gone) must not crash the process.
    committed.catch(() => undefined);
    return {
      aggregator: new BatchAggregator({ registry: this.registry }),
      sli: new SliAccumulator(),
      spans: 0,
      committed,
      resolve,
      reject,
    };
  }
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
