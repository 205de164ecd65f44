import { Controller, HttpCode, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest, unsupportedMediaType } from '../common/errors.js';
import { readBody } from '../common/body-reader.js';
import { OtlpExceptionFilter } from './otlp-exception.filter.js';
import { IngestService } from './ingest.service.js';
import { decodeTraceRequestJsonBody, OtlpJsonError } from './otlp/otlp-json-bytes.decoder.js';
import { decodeTraceRequestProto, ProtoDecodeError } from './otlp/otlp-proto.decoder.js';
import { traceResponseJson, traceResponseProto } from './otlp/otlp-response.js';
import type { SpanRecord } from '../kernel/span.model.js';

export type OtlpEncoding = 'protobuf' | 'json';

/** otlpEncoding maps a Content-Type to the OTLP encoding, ignoring parameters such as charset. */
export function otlpEncoding(contentType: string | undefined): OtlpEncoding | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** OtlpController is the OTLP/HTTP trace receiver at the spec's default path. */
@ApiExcludeController()
@UseFilters(OtlpExceptionFilter)
@Controller()
export class OtlpController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingest: IngestService,
  ) {}

  @Post('v1/traces')
  @RequireScope('ingest')
  @HttpCode(200)
  async traces(@Req() req: Request, @Res() res: Response): Promise<void> {
    const encoding = otlpEncoding(req.headers['content-type']);
    if (!encoding) {
      req.resume();
      throw unsupportedMediaType('Content-Type must be application/x-protobuf or application/json');
    }
    // Decoded spans go straight into ingest: no local keeps them (or the body)
    // alive while the request waits for its commit.
    const outcome = await this.ingest.ingest(decode(await readBody(req, this.config.ingest.maxBodyBytes), encoding, this.ingest), `otlp_${encoding}`, Date.now());
    if (encoding === 'protobuf') {
      res.status(200).type('application/x-protobuf').send(traceResponseProto(outcome.rejected, outcome.message));
    } else {
      res.status(200).json(traceResponseJson(outcome.rejected, outcome.message));
    }
  }
}

function decode(body: Buffer, encoding: OtlpEncoding, ingest: IngestService): SpanRecord[] {
  if (body.length === 0) return [];
  try {
    if (encoding === 'protobuf') return decodeTraceRequestProto(body, ingest.wanted).spans;
    return decodeTraceRequestJsonBody(body, ingest.wanted).spans;
  } catch (e) {
    if (e instanceof ProtoDecodeError) throw badRequest(`undecodable protobuf ExportTraceServiceRequest: ${e.message}`);
    if (e instanceof OtlpJsonError) throw badRequest(`invalid OTLP/JSON: ${e.message}`);
    throw e;
  }
}
