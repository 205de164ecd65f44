import { Module } from '@nestjs/common';
import { AlertingModule } from '../alerting/alerting.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { NotifyModule } from '../notify/notify.module.js';
import { SloModule } from '../slo/slo.module.js';
import { RetentionJob } from './retention.job.js';

/** RetentionModule runs the retention job; the repositories it asks belong to ingest, slo, notify and alerting. */
@Module({
  imports: [IngestModule, SloModule, NotifyModule, AlertingModule],
  providers: [RetentionJob],
})
export class RetentionModule {}
