import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { unavailable } from '../common/errors.js';
import { BatchAggregator, DrainResult, rollUp } from './aggregate/aggregator.js';
import { HOUR_MS } from '../kernel/minute-ranges.js';
import { SeriesRegistry } from './aggregate/series-registry.js';
import { IngestMetrics } from './ingest.metrics.js';
import { RedRepository } from './red.repository.js';
import { SpanMetricsStore } from './span-metrics.store.js';
import { SPAN_SINK, type SinkBatch, type SpanSink } from './span-sink.js';

export interface Batch {
  aggregator: BatchAggregator;
  /** What the span sink (SLO counting) gathered for this batch. */
  sink: SinkBatch;
  spans: number;
  committed: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Series with no span for this long free their slot under the per-service limit. */
const SERIES_IDLE_MS = 30 * 60_000;

/** A batch holding this many (series, minute) cells is closed at once, to bound one transaction's size and memory. */
const MAX_CELLS_PER_BATCH = 50_000;

/**
 * Flusher is the group commit, in the manner of PostgreSQL's WAL group
 * commit: no timer decides when spans are written. When a request adds
 * spans and no commit is running, the open batch is closed and committed at
 * once (after the current event-loop turn, so requests decoded in the same
 * turn share it); while a commit runs, the next batch gathers whatever
 * arrives and goes the moment the previous commit ends. At light load a
 * request therefore waits for one commit (a few ms); under heavy load
 * batches grow by themselves and commits stay back to back, never
 * overlapping, so the database sees one writer per process.
 *
 * Why not a timer: real SDKs export one batch at a time, so the ack latency
 * is their throughput; a 200 ms timer capped one OpenTelemetry SDK at
 * 512 spans / 0.2 s and made it drop the rest.
 *
 * FLUSH_INTERVAL_MS only bounds lingering: a safety net that closes an open
 * batch no commit picked up in that time. A request is answered 200 only
 * after its batch committed; if the commit fails, every request of the
 * batch gets 503 and the batch is dropped — the clients retry, so what was
 * acknowledged is exactly what is stored.
 */
@Injectable()
export class Flusher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Flusher');
  readonly registry: SeriesRegistry;
  private open: Batch;
  /** Batches closed early for size, waiting their turn in arrival order. */
  private readonly sealed: Batch[] = [];
  /** The commit running now, if any; at most one at a time. */
  private running: Promise<void> | undefined;
  /** A commit of the open batch is scheduled for the end of this event-loop turn. */
  private scheduled = false;
  private inflightSpans = 0;
  private timer: NodeJS.Timeout | undefined;
  private evictTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RedRepository,
    private readonly metrics: IngestMetrics,
    private readonly spanMetrics: SpanMetricsStore,
    @Inject(SPAN_SINK) private readonly sink: SpanSink,
  ) {
    this.registry = new SeriesRegistry({ maxSeriesPerService: config.ingest.seriesLimitPerService });
    this.open = this.newBatch();
  }

  onApplicationBootstrap(): void {
    // Safety net only: commits are started by track() and by the end of the previous commit.
    this.timer = setInterval(() => this.kick(), this.config.ingest.flushIntervalMs);
    this.timer.unref();
    // Without eviction a service that once hit its series limit would send every
    // later new series (a new route) to overflow until the process restarts.
    this.evictTimer = setInterval(() => {
      this.registry.evictIdle(Date.now() - SERIES_IDLE_MS);
      this.metrics.activeSeries.set(this.registry.size);
    }, 60_000);
    this.evictTimer.unref();
  }

  /** Stops the timers after the HTTP server closed, then commits what is left. */
  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.evictTimer) clearInterval(this.evictTimer);
    await this.flush();
  }

  /** The open batch: callers add their spans to it synchronously, then await `track(batch, n)`. */
  current(): Batch {
    return this.open;
  }

  /** Spans received and not yet committed (for backpressure). */
  get inflight(): number {
    return this.inflightSpans;
  }

  /** track records `n` spans added to `batch` and makes sure a commit will pick them up. */
  track(batch: Batch, n: number): Promise<void> {
    batch.spans += n;
    this.inflightSpans += n;
    this.metrics.inflight.set(this.inflightSpans);
    // A big batch is closed now even if a commit runs, so one batch's memory
    // (and one transaction's size) stays bounded; it commits right after.
    if (batch.aggregator.cellCount >= MAX_CELLS_PER_BATCH && batch === this.open) {
      this.sealed.push(batch);
      this.open = this.newBatch();
    }
    this.kick();
    return batch.committed;
  }

  /** flush commits everything received so far and resolves when that is done (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.running || this.open.spans > 0 || this.sealed.length > 0) {
      if (!this.running) this.startNext();
      await this.running?.catch(() => undefined);
    }
  }

  /**
   * kick schedules a commit when the database is free. setImmediate, not
   * process.nextTick: it runs after the I/O callbacks of this turn, so all
   * requests whose bodies arrived together join one batch.
   */
  private kick(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.running) this.startNext();
    });
  }

  /** startNext commits the oldest sealed batch, else the open one, if it holds spans. */
  private startNext(): void {
    let batch: Batch | undefined;
    if (this.sealed.length > 0) batch = this.sealed.shift();
    else if (this.open.spans > 0) {
      batch = this.open;
      this.open = this.newBatch();
    }
    if (!batch) return;
    const run = this.commit(batch).finally(() => {
      this.running = undefined;
      // The next batch goes the moment this one ends.
      if (this.sealed.length > 0 || this.open.spans > 0) this.startNext();
    });
    this.running = run;
  }

  private async commit(batch: Batch): Promise<void> {
    const drained: DrainResult = batch.aggregator.drain();
    const started = process.hrtime.bigint();
    try {
      const sink = batch.sink.drain();
      const redHours = rollUp(drained.red, HOUR_MS);
      // RED rows and the sink's rows commit together: an SLO never counts a span the RED tables lost.
      await this.repository.write(drained.red, redHours, sink.statements);
      this.metrics.flushDuration.observe({ outcome: 'ok' }, seconds(started));
      this.metrics.flushRows.inc({ table: 'red_minute' }, drained.red.length);
      this.metrics.flushRows.inc({ table: 'red_hour' }, redHours.length);
      for (const [table, n] of Object.entries(sink.rows)) this.metrics.flushRows.inc({ table }, n);
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
      sink: this.sink.newBatch(),
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
