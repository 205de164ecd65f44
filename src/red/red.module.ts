import { Module } from '@nestjs/common';
import { RedController } from './red.controller.js';
import { RedQueryRepository } from './red.repository.js';
import { RedService } from './red.service.js';
import { RedSeriesRepository } from './red-series.repository.js';
import { RedSeriesService } from './red-series.service.js';

@Module({ controllers: [RedController], providers: [RedService, RedQueryRepository, RedSeriesService, RedSeriesRepository], exports: [RedService, RedQueryRepository] })
export class RedModule {}
