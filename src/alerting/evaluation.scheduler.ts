import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { SloEvaluationService } from '../slo/slo-evaluation.service.js';

/**
 * EvaluationScheduler only schedules: every EVAL_INTERVAL_SECONDS it hands
 * the current time to the evaluator. It is the one place that reads the
 * clock for evaluation. Ticks never overlap: a slow tick delays the next.
 */
@Injectable()
export class EvaluationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EvaluationScheduler');
  private running: Promise<unknown> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly evaluator: SloEvaluationService,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.run(), this.config.evalIntervalSeconds * 1000);
    this.scheduler.addInterval('evaluation', timer);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', 'evaluation')) this.scheduler.deleteInterval('evaluation');
    await this.running;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = this.evaluator.tick(Date.now()).catch((e: unknown) => {
      this.logger.warn(`evaluation tick failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    await this.running;
    this.running = undefined;
  }
}
