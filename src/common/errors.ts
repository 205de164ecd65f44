/**
 * AppError is a failure the client can act on. The exception filter maps it
 * to its status and `{error, message}`; anything that is not an AppError
 * (or a Nest HttpException) becomes a 500 with no internals.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new AppError(400, 'bad_request', message);
export const notFound = (message: string) => new AppError(404, 'not_found', message);
export const conflict = (message: string) => new AppError(409, 'conflict', message);
export const payloadTooLarge = (message: string) => new AppError(413, 'payload_too_large', message);
export const unsupportedMediaType = (message: string) => new AppError(415, 'unsupported_media_type', message);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, 'too_many_requests', message, { 'Retry-After': String(retryAfterSeconds) });
export const unavailable = (message: string, retryAfterSeconds: number) =>
  new AppError(503, 'unavailable', message, { 'Retry-After': String(retryAfterSeconds) });
