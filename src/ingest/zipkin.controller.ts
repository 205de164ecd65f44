import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest } from '../common/errors.js';
import { readJsonBody } from '../common/body-reader.js';
import { IngestService } from './ingest.service.js';
import { decodeZipkinSpans, ZipkinJsonError } from './zipkin/zipkin-json.decoder.js';

/**
 * ZipkinController is a Zipkin v2 collector endpoint (the path Zipkin
 * serves on port 9411), so services instrumented with Zipkin libraries, or
 * a Collector's Zipkin exporter, report here unchanged. It answers 202 like
 * Zipkin, but only once the spans are committed.
 */
@ApiTags('ingest')
@ApiBearerAuth()
@Controller('api/v2/spans')
export class ZipkinController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingest: IngestService,
  ) {}

  @Post()
  @RequireScope('ingest')
  @HttpCode(202)
  @ApiOperation({ summary: 'Ingest Zipkin v2 JSON spans; answered 202 after they are committed' })
  @ApiBody({
    schema: {
      example: [
        {
          traceId: '5af7183fb1d4cf5f',
          id: '352bff9a74ca9ad2',
          kind: 'SERVER',
          name: 'get /cart',
          timestamp: 1795313400000000,
          duration: 12500,
          localEndpoint: { serviceName: 'checkout' },
          tags: { 'http.status_code': '200' },
        },
      ],
    },
  })
  async spans(@Req() req: Request, @Res() res: Response): Promise<void> {
    // Zipkin's proto3 encoding is not read: every Zipkin library can send JSON v2.
    const parsed = await readJsonBody(
      req,
      this.config.ingest.maxBodyBytes,
      'Content-Type must be application/json (Zipkin v2 JSON; proto3 is not supported)',
    );
    let spans;
    try {
      spans = decodeZipkinSpans(parsed, this.ingest.wanted.keys);
    } catch (e) {
      if (e instanceof ZipkinJsonError) throw badRequest(`invalid Zipkin v2 JSON: ${e.message}`);
      throw e;
    }
    // Zipkin's API has no partial-success answer; spans it will not count show in burnwatch_spans_rejected_total.
    await this.ingest.ingest(spans, 'zipkin_json', Date.now());
    res.status(202).end();
  }
}
