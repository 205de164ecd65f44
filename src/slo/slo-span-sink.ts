import { Injectable } from '@nestjs/common';
import type { UpsertStatement } from '../database/upsert-statement.js';
import type { SinkBatch, SpanSink } from '../ingest/span-sink.js';
import { HOUR_MS } from '../kernel/minute-ranges.js';
import { SliAccumulator, rollUpSli } from './sli-accumulator.js';
import { SliRepository } from './sli.repository.js';
import { SloRegistry } from './slo-registry.js';

/**
 * SloSpanSink counts each ingested span for every SLO of its service, judged
 * against that SLO's own indicator and threshold, and hands ingest the
 * sli_minute / sli_hour upserts that commit with the span's RED rows.
 */
@Injectable()
export class SloSpanSink implements SpanSink {
  constructor(
    private readonly registry: SloRegistry,
    private readonly sli: SliRepository,
  ) {}

  onAttributeKeys(listener: (keys: Iterable<string>) => void): void {
    // SLO selectors may read attributes the classifier does not.
    this.registry.onChange((m) => listener(m.attributeKeys));
  }

  newBatch(): SinkBatch {
    const counts = new SliAccumulator();
    return {
      add: (span, error, count) => this.registry.matcher.match(span, error, (sloId, good) => counts.add(sloId, span.startMs, good, count)),
      drain: () => {
        const minutes = counts.drain();
        const hours = rollUpSli(minutes, HOUR_MS);
        const statements = [this.sli.upsert('sli_minute', minutes), this.sli.upsert('sli_hour', hours)].filter(
          (s): s is UpsertStatement => s !== undefined,
        );
        return { statements, rows: { sli_minute: minutes.length, sli_hour: hours.length } };
      },
    };
  }
}
