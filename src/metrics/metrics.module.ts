import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/**
 * MetricsModule serves /metrics. Slo, notify and alerting import it; it stays
 * global while ingest's module (IngestMetrics, SpanMetricsStore) relies on
 * that instead of importing it.
 */
@Global()
@Module({ controllers: [MetricsController], providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
