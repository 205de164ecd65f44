import type { UpsertStatement } from '../database/upsert-statement.js';
import type { SpanRecord } from '../kernel/span.model.js';

/**
 * SpanSink is how another module sees every span ingest counts and writes
 * rows of its own in ingest's group commit — SLO counting is one. Ingest
 * knows nothing of what a sink does with a span; the sink's statements run
 * in the same single statement as the RED rows, so what it counts commits
 * exactly when, and only when, the RED rows do.
 */
export interface SpanSink {
  /** newBatch starts what one group-commit batch means to this sink. */
  newBatch(): SinkBatch;
  /**
   * onAttributeKeys tells ingest, now and whenever they change, which span
   * attributes the sink reads, so the decoders keep them (they drop the rest).
   */
  onAttributeKeys(listener: (keys: Iterable<string>) => void): void;
}

export interface SinkBatch {
  /** add sees one counted span: its classification and its adjusted count (sampling). */
  add(span: SpanRecord, error: boolean, count: number): void;
  /** drain hands over the batch's upserts, and how many rows each table gets (for metrics). */
  drain(): { statements: UpsertStatement[]; rows: Record<string, number> };
}

/** SPAN_SINK is the injection token of the sink (the SLO module provides it). */
export const SPAN_SINK = Symbol('SPAN_SINK');
