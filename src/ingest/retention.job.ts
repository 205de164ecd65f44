import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { retentionCutoff } from '../kernel/stored-ranges.js';

/**
 * RetentionJob deletes minute and hour rows past their retention. Deletes
 * are idempotent, so every replica may run it; each run is cheap because
 * the bucket columns are indexed.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    const minuteCutoff = retentionCutoff(nowMs, this.config.retention.minuteDays) / 1000;
    const hourCutoff = retentionCutoff(nowMs, this.config.retention.hourDays) / 1000;
    const [, minuteRows] = await this.dataSource.query(`DELETE FROM red_minute WHERE bucket < to_timestamp($1)`, [minuteCutoff]);
    const [, hourRows] = await this.dataSource.query(`DELETE FROM red_hour WHERE bucket < to_timestamp($1)`, [hourCutoff]);
    // SLO counts follow the same retention; rows of deleted SLOs (written by a batch
    // in flight while the SLO was deleted) go too.
    await this.dataSource.query(`DELETE FROM sli_minute WHERE bucket < to_timestamp($1) OR slo_id NOT IN (SELECT id FROM slos)`, [minuteCutoff]);
    await this.dataSource.query(`DELETE FROM sli_hour WHERE bucket < to_timestamp($1) OR slo_id NOT IN (SELECT id FROM slos)`, [hourCutoff]);
    // Delivered notifications are history, not work: keep them as long as hour data.
    await this.dataSource.query(`DELETE FROM notifications WHERE status = 'sent' AND sent_at < to_timestamp($1)`, [hourCutoff]);
    return { minuteRows: Number(minuteRows), hourRows: Number(hourRows) };
  }
}
