import { Module } from '@nestjs/common';
import { RedController } from './red.controller.js';
import { RedTotalsRepository } from './red-totals.repository.js';
import { RedService } from './red.service.js';
import { RedSeriesRepository } from './red-series.repository.js';
import { RedSeriesService } from './red-series.service.js';

@Module({ controllers: [RedController], providers: [RedService, RedTotalsRepository, RedSeriesService, RedSeriesRepository], exports: [RedService, RedTotalsRepository] })
export class RedModule {}
