import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { Flusher } from './flusher.js';
import { IngestMetrics } from './ingest.metrics.js';
import { IngestService } from './ingest.service.js';
import { OtlpController } from './otlp.controller.js';
import { RedRepository } from './red.repository.js';
import { SpanMetricsStore } from './span-metrics.store.js';
import { SpansController } from './spans.controller.js';
import { ZipkinController } from './zipkin.controller.js';

@Module({
  imports: [MetricsModule],
  controllers: [OtlpController, SpansController, ZipkinController],
  providers: [IngestService, Flusher, RedRepository, IngestMetrics, SpanMetricsStore],
  exports: [IngestService, Flusher, SpanMetricsStore, RedRepository],
})
export class IngestModule {}
