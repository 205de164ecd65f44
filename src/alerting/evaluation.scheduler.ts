import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { AlertingService } from './alerting.service.js';

/**
 * EvaluationScheduler only schedules: every EVAL_INTERVAL_SECONDS it hands
 * the current time to the evaluator. It is the one place that reads the
 * clock for evaluation. Ticks never overlap: a slow tick skips slots rather
 * than queueing them.
 */
@Injectable()
export class EvaluationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EvaluationScheduler');
  private running: Promise<unknown> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly evaluator: AlertingService,
  ) {}

  private stopped = false;

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('timeout', 'evaluation')) this.scheduler.deleteTimeout('evaluation');
    await this.running;
  }

  /** Timers fire just after each interval boundary, so every replica aims at the same slot. */
  private schedule(): void {
    if (this.stopped) return;
    const interval = this.config.evalIntervalSeconds * 1000;
    const delay = interval - (Date.now() % interval) + 50;
    if (this.scheduler.doesExist('timeout', 'evaluation')) this.scheduler.deleteTimeout('evaluation');
    this.scheduler.addTimeout(
      'evaluation',
      setTimeout(() => void this.run().finally(() => this.schedule()), delay),
    );
  }

  private async run(): Promise<void> {
    if (this.running) return;
    const now = Date.now();
    const interval = this.config.evalIntervalSeconds * 1000;
    this.running = this.evaluator.tick(now, Math.floor(now / interval) * interval).catch((e: unknown) => {
      this.logger.warn(`evaluation tick failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    await this.running;
    this.running = undefined;
  }
}
