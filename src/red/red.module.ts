import { Module } from '@nestjs/common';
import { RedController } from './red.controller.js';
import { RedTotalsRepository } from './red-totals.repository.js';
import { RedService } from './red.service.js';
import { RedSeriesRepository } from './red-series.repository.js';
import { RedSeriesService } from './red-series.service.js';
import { AttributionRepository } from './attribution.repository.js';
import { RuleCountsRepository } from './rule-counts.repository.js';

/** RedModule reads the RED tables ingest writes: the services API, and for alerting the rules' counts and the operations behind an alert. */
@Module({
  controllers: [RedController],
  providers: [RedService, RedTotalsRepository, RedSeriesService, RedSeriesRepository, AttributionRepository, RuleCountsRepository],
  exports: [RedService, RedTotalsRepository, AttributionRepository, RuleCountsRepository],
})
export class RedModule {}
