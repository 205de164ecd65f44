import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RedModule } from '../red/red.module.js';
import { BackfillService } from './backfill.service.js';
import { DataStartRepository } from './data-start.repository.js';
import { EvaluatorTickRepository } from './evaluator-tick.repository.js';
import { SliRepository } from './sli.repository.js';
import { SloController } from './slo.controller.js';
import { ReplayController } from './replay.controller.js';
import { OpenSloController } from './openslo.controller.js';
import { OpenSloService } from './openslo.service.js';
import { ReplayService } from './replay.service.js';
import { SliSeriesRepository } from './sli-series.repository.js';
import { SloEvaluationService } from './slo-evaluation.service.js';
import { SloMetrics } from './slo-metrics.js';
import { SloRegistry } from './slo-registry.js';
import { SloStatusRepository } from './slo-status.repository.js';
import { SloRepository } from './slo.repository.js';
import { SloService } from './slo.service.js';
import { SloSummaryService } from './slo-summary.service.js';
import { SloSpanSink } from './slo-span-sink.js';

/**
 * SloModule: SLO definitions, counting and evaluation. Its span sink is
 * handed to ingest as SPAN_SINK by the app module, so ingest knows nothing
 * of SLOs.
 */
@Module({
  imports: [MetricsModule, RedModule],
  controllers: [SloController, ReplayController, OpenSloController],
  providers: [
    SloRepository,
    SliRepository,
    BackfillService,
    DataStartRepository,
    EvaluatorTickRepository,
    SliSeriesRepository,
    ReplayService,
    OpenSloService,
    SloStatusRepository,
    SloRegistry,
    SloService,
    SloSummaryService,
    SloEvaluationService,
    SloMetrics,
    SloSpanSink,
  ],
  exports: [SloRegistry, SliRepository, SloEvaluationService, SloRepository, SloSpanSink],
})
export class SloModule {}
