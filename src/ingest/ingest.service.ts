import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { tooManyRequests } from '../common/errors.js';
import { classifierAttributeKeys, classify, ClassifierOptions } from './aggregate/classifier.js';
import { adjustedCount } from './aggregate/sampling.js';
import { Flusher } from './flusher.js';
import { SPAN_SINK, type SpanSink } from './span-sink.js';
import { IngestMetrics } from './ingest.metrics.js';
import type { AttributeWanted } from './otlp/otlp.types.js';
import type { SpanRecord } from '../kernel/span.model.js';
import { retentionCutoff } from '../kernel/stored-ranges.js';

export interface IngestOutcome {
  accepted: number;
  rejected: number;
  /** A short explanation of why spans were rejected, for OTLP partialSuccess.errorMessage. */
  message: string;
}

const REASON_TEXT: Record<string, string> = {
  missing_service_name: 'no service.name resource attribute',
  invalid_start_time: 'missing or invalid start time',
  invalid_duration: 'end time before start time or missing',
  too_old: 'start time older than minute-data retention',
  too_far_in_future: 'start time too far in the future',
};

/**
 * IngestService is the one pipeline every protocol feeds: validate time,
 * classify, weight by sampling, aggregate into the open batch, then wait for
 * the group commit. It decides nothing about wire formats.
 */
@Injectable()
export class IngestService {
  readonly wanted: AttributeWanted;
  private readonly classifier: ClassifierOptions;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly flusher: Flusher,
    private readonly metrics: IngestMetrics,
    @Inject(SPAN_SINK) sink: SpanSink,
  ) {
    this.classifier = {
      extraDimensions: config.ingest.extraDimensions,
      spanKinds: config.ingest.spanKinds ? new Set(config.ingest.spanKinds) : undefined,
    };
    const keys = new Set(classifierAttributeKeys(this.classifier));
    if (config.ingest.sampleRateAttribute) keys.add(config.ingest.sampleRateAttribute);
    this.wanted = { keys };
    // The sink (SLO selectors) may read attributes the classifier does not: keep those too.
    sink.onAttributeKeys((more) => {
      for (const k of more) keys.add(k);
    });
  }

  /** Refuses work up front when too many spans wait for commit, so memory stays bounded. */
  admit(count: number): void {
    if (this.flusher.inflight + count > this.config.ingest.maxInflightSpans) {
      this.metrics.rejected.inc({ reason: 'backpressure' }, count);
      throw tooManyRequests('too many spans waiting to be committed; retry later', 1);
    }
  }

  /**
   * ingest counts the spans and resolves once they are committed. `nowMs` is
   * passed in (the controller reads the clock) to judge too-old and future spans.
   */
  async ingest(spans: SpanRecord[], protocol: string, nowMs: number): Promise<IngestOutcome> {
    this.admit(spans.length);
    const oldest = retentionCutoff(nowMs, this.config.retention.minuteDays);
    const newest = nowMs + this.config.ingest.maxFutureSkewMs;
    const reasons = new Map<string, number>();
    const reject = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const batch = this.flusher.current();
    let counted = 0;
    for (const span of spans) {
      const c = classify(span, this.classifier);
      if ('reject' in c) {
        // A filtered span kind is accepted, just not counted: it is configuration, not bad data.
        if (c.reject !== 'span_kind_filtered') reject(c.reject);
        continue;
      }
      if (span.startMs < oldest) {
        reject('too_old');
        continue;
      }
      if (span.startMs > newest) {
        reject('too_far_in_future');
        continue;
      }
      const n = adjustedCount(span, this.config.ingest.sampleRateAttribute);
      batch.aggregator.add(span, c, n);
      batch.sink.add(span, c.error, n);
      counted++;
    }
    let rejected = 0;
    for (const [reason, n] of reasons) {
      this.metrics.rejected.inc({ reason }, n);
      rejected += n;
    }
    const accepted = spans.length - rejected;
    // The spans are in the batch now; nothing below the await may hold them,
    // so a request waiting for its commit keeps a few numbers, not 512 decoded spans.
    spans = [];
    if (counted > 0) await this.flusher.track(batch, counted);
    this.metrics.accepted.inc({ protocol }, accepted);
    return {
      accepted,
      rejected,
      message: [...reasons].map(([r, n]) => `${n} span(s): ${REASON_TEXT[r] ?? r}`).join('; '),
    };
  }
}
