import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { grpcCodeForHttp, statusProto } from '../ingest/otlp/otlp-response.js';
import { AppError } from './errors.js';

const NAMES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'unavailable',
};

interface Failure {
  status: number;
  error: string;
  message: string;
  headers: Record<string, string>;
}

/**
 * AllExceptionsFilter is the one place errors become HTTP responses. Known
 * errors keep their status and message; unknown ones are logged with their
 * stack and answered with a bare 500, so internals never reach a client.
 * OTLP clients sending protobuf get a protobuf google.rpc.Status, as the
 * OTLP/HTTP specification asks; everyone else gets `{error, message}`.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    if (res.headersSent) return;
    const f = this.describe(exception);
    res.set(f.headers);
    // A refused body may still be arriving (or was left half read): the socket
    // cannot carry another request, so say so instead of answering keep-alive
    // and dropping it, which makes the client's next request fail with ECONNRESET.
    if (f.status === 413) res.set('Connection', 'close');
    res.status(f.status);
    const isOtlpProto =
      req.path === '/v1/traces' && /^application\/(x-)?protobuf/i.test(String(req.headers['content-type'] ?? ''));
    if (isOtlpProto) {
      res.type('application/x-protobuf').send(statusProto(grpcCodeForHttp(f.status), f.message));
    } else if (req.path === '/v1/traces') {
      res.json({ code: grpcCodeForHttp(f.status), error: f.error, message: f.message });
    } else {
      res.json({ error: f.error, message: f.message });
    }
  }

  private describe(exception: unknown): Failure {
    if (exception instanceof AppError) {
      return { status: exception.status, error: exception.code, message: exception.message, headers: exception.headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      let message = exception.message;
      if (typeof body === 'object' && body && 'message' in body) {
        const m = (body as { message: unknown }).message;
        message = Array.isArray(m) ? m.join('; ') : String(m);
      }
      return { status, error: NAMES[status] ?? `http_${status}`, message, headers: {} };
    }
    // body-parser errors carry a 4xx status (invalid JSON, too large).
    const status = (exception as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : type === 'entity.too.large'
            ? 'request body exceeds the size limit'
            : 'request body could not be read';
      return { status, error: NAMES[status] ?? `http_${status}`, message, headers: {} };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { status: 500, error: 'internal', message: 'internal error', headers: {} };
  }
}
