import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { AuthGuard } from './common/auth.guard.js';
import { AllExceptionsFilter } from './common/exception.filter.js';
import { RequestLogMiddleware } from './common/request-log.middleware.js';
import { APP_CONFIG, AppConfig } from './config/config.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { RedModule } from './red/red.module.js';
import { SloModule } from './slo/slo.module.js';
import { AlertingModule } from './alerting/alerting.module.js';
import { NotifyModule } from './notify/notify.module.js';
import { ConsoleModule } from './console/console.module.js';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [DatabaseModule.forRoot(dataSource), ScheduleModule.forRoot(), MetricsModule, SloModule, IngestModule, RedModule, NotifyModule, AlertingModule, ConsoleModule],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [APP_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('*path');
  }
}
