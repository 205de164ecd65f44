import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest } from '../common/errors.js';
import { readJsonBody } from '../common/body-reader.js';
import { IngestService, IngestOutcome } from './ingest.service.js';
import { parseSpanSummaries, SpanSummaryError } from './span-summary.js';

/** SpansController takes compact span summaries from producers without an OpenTelemetry SDK. */
@ApiTags('ingest')
@ApiBearerAuth()
@Controller('api/v1/spans')
export class SpansController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingest: IngestService,
  ) {}

  @Post()
  @RequireScope('ingest')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ingest span summaries; answered after they are committed' })
  @ApiBody({
    schema: {
      example: [
        { service: 'checkout', operation: 'POST /cart', kind: 'server', start: '2026-11-22T10:00:00Z', durationMs: 12.5, status: 'ok', httpStatusCode: 200 },
      ],
    },
  })
  async create(@Req() req: Request): Promise<IngestOutcome> {
    const parsed = await readJsonBody(req, this.config.ingest.maxBodyBytes, 'Content-Type must be application/json');
    let spans;
    try {
      spans = parseSpanSummaries(parsed, this.ingest.wanted.keys);
    } catch (e) {
      if (e instanceof SpanSummaryError) throw badRequest(e.message);
      throw e;
    }
    return this.ingest.ingest(spans, 'span_summary', Date.now());
  }
}
