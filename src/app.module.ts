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
import { RetentionModule } from './retention/retention.module.js';
import { CHANNEL_DIRECTORY, CHANNEL_USERS, type ChannelUsers } from './common/channel-directory.js';
import { SPAN_SINK } from './ingest/span-sink.js';
import { SloSpanSink } from './slo/slo-span-sink.js';
import { ChannelRepository } from './notify/channel.repository.js';
import { SloRepository } from './slo/slo.repository.js';
import { AlertRuleRepository } from './alerting/alert-rule.repository.js';

/** channelUsers: the SLOs and symptom rules that name a channel, each asked of its own repository. */
function channelUsers(slos: SloRepository, rules: AlertRuleRepository): ChannelUsers {
  return {
    usersOf: async (refs) => {
      const names = (channels: readonly string[]) => channels.some((c) => refs.includes(c));
      return [
        ...(await slos.list({})).filter((s) => names(s.channels)).map((s) => `SLO ${s.name}`),
        ...(await rules.list()).filter((r) => names(r.spec.channels)).map((r) => `alert rule ${r.spec.name}`),
      ];
    },
  };
}
import { ConsoleModule } from './console/console.module.js';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [DatabaseModule.forRoot(dataSource), ScheduleModule.forRoot(), MetricsModule, SloModule, IngestModule, RedModule, NotifyModule, AlertingModule, RetentionModule, ConsoleModule],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        // Ports a lower module defines and a higher one implements are wired
        // here, the one place that sees both: ingest's span sink (slo), the
        // channel directory SLOs and rules consult (notify), and who names a
        // channel (slo, alerting) for notify.
        { provide: SPAN_SINK, useExisting: SloSpanSink },
        { provide: CHANNEL_DIRECTORY, useExisting: ChannelRepository },
        { provide: CHANNEL_USERS, useFactory: channelUsers, inject: [SloRepository, AlertRuleRepository] },
      ],
      exports: [APP_CONFIG, SPAN_SINK, CHANNEL_DIRECTORY, CHANNEL_USERS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('*path');
  }
}
