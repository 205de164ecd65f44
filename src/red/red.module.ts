import { Module } from '@nestjs/common';
import { RedController } from './red.controller.js';
import { RedTotalsRepository } from './red-totals.repository.js';
import { RedService } from './red.service.js';
import { RedSeriesRepository } from './red-series.repository.js';
import { RedSeriesService } from './red-series.service.js';
import { AttributionRepository } from './attribution.repository.js';
import { RuleCountsRepository } from './rule-counts.repository.js';
import { RedSliRepository } from './red-sli.repository.js';

/**
 * RedModule reads the RED tables ingest writes: the services API; for
 * alerting the rules' counts and the operations behind an alert; for slo
 * the counts an SLO would have had (backfill, preview).
 */
@Module({
  controllers: [RedController],
  providers: [RedService, RedTotalsRepository, RedSeriesService, RedSeriesRepository, AttributionRepository, RuleCountsRepository, RedSliRepository],
  exports: [RedService, RedTotalsRepository, AttributionRepository, RuleCountsRepository, RedSliRepository],
})
export class RedModule {}
