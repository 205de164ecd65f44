import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { NotifyModule } from '../notify/notify.module.js';
import { SloModule } from '../slo/slo.module.js';
import { RedModule } from '../red/red.module.js';
import { AlertMetrics } from './alert-metrics.js';
import { AlertRepository } from './alert.repository.js';
import { AlertingService } from './alerting.service.js';
import { AlertsController } from './alerts.controller.js';
import { EvaluationScheduler } from './evaluation.scheduler.js';
import { AlertStepper } from './alert-stepper.js';
import { AlertRuleRepository } from './alert-rule.repository.js';
import { AlertRulesController } from './alert-rules.controller.js';
import { RuleConditionsService } from './rule-conditions.service.js';

@Module({
  imports: [SloModule, NotifyModule, MetricsModule, RedModule],
  controllers: [AlertsController, AlertRulesController],
  providers: [AlertRuleRepository, RuleConditionsService, AlertRepository, AlertStepper, AlertingService, AlertMetrics, EvaluationScheduler],
  exports: [AlertingService, AlertRuleRepository, AlertRepository],
})
export class AlertingModule {}
