import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { NotifyModule } from '../notify/notify.module.js';
import { SloModule } from '../slo/slo.module.js';
import { RetentionJob } from './retention.job.js';

/** RetentionModule runs the retention job; the repositories it asks belong to ingest, slo and notify. */
@Module({
  imports: [IngestModule, SloModule, NotifyModule],
  providers: [RetentionJob],
})
export class RetentionModule {}
