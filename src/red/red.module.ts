import { Module } from '@nestjs/common';
import { RedController } from './red.controller.js';
import { RedQueryRepository } from './red.repository.js';
import { RedService } from './red.service.js';

@Module({ controllers: [RedController], providers: [RedService, RedQueryRepository], exports: [RedService, RedQueryRepository] })
export class RedModule {}
