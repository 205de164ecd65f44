import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeFailure } from '../common/exception.filter.js';
import { grpcCodeForHttp, statusProto } from './otlp/otlp-response.js';

/**
 * OtlpExceptionFilter answers failures of `POST /v1/traces` as the OTLP/HTTP
 * specification asks: a protobuf google.rpc.Status to protobuf clients, its
 * JSON form to JSON clients, with the same status, message and headers
 * (Retry-After) every other route gets from describeFailure.
 */
@Catch()
export class OtlpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    if (res.headersSent) return;
    const f = describeFailure(exception, res, this.logger);
    if (/^application\/(x-)?protobuf/i.test(String(req.headers['content-type'] ?? ''))) {
      res.type('application/x-protobuf').send(statusProto(grpcCodeForHttp(f.status), f.message));
    } else {
      res.json({ code: grpcCodeForHttp(f.status), error: f.error, message: f.message });
    }
  }
}
