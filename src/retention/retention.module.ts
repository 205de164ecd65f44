import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { RetentionJob } from './retention.job.js';

/** RetentionModule runs the retention job; the repositories it asks belong to ingest, slo and notify. */
@Module({
  imports: [IngestModule],
  providers: [RetentionJob],
})
export class RetentionModule {}
