import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { retentionCutoff } from '../kernel/stored-ranges.js';
import { AlertRepository } from '../alerting/alert.repository.js';
import { RedRepository } from '../ingest/red.repository.js';
import { OutboxRepository } from '../notify/outbox.repository.js';
import { SliRepository } from '../slo/sli.repository.js';

/**
 * RetentionJob asks each table's owner to delete what is past retention:
 * RED rows (ingest), SLO counts (slo) at the same minute and hour horizons,
 * and delivered notifications (notify) and closed alerts (alerting), kept as
 * long as hour data. Deletes
 * are idempotent, so every replica may run it; each run is cheap because
 * the bucket columns are indexed.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('Retention');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly red: RedRepository,
    private readonly sli: SliRepository,
    private readonly outbox: OutboxRepository,
    private readonly alerts: AlertRepository,
  ) {}

  @Cron(CronExpression.EVERY_10_MINUTES)
  async tick(): Promise<void> {
    try {
      await this.run(Date.now());
    } catch (e) {
      this.logger.warn(`retention run failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async run(nowMs: number): Promise<{ minuteRows: number; hourRows: number }> {
    const minuteCutoff = retentionCutoff(nowMs, this.config.retention.minuteDays);
    const hourCutoff = retentionCutoff(nowMs, this.config.retention.hourDays);
    const red = await this.red.prune(minuteCutoff, hourCutoff);
    await this.sli.prune(minuteCutoff, hourCutoff);
    await this.outbox.pruneSent(hourCutoff);
    await this.alerts.pruneClosed(hourCutoff);
    return red;
  }
}
