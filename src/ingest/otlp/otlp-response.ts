/**
 * Encoders for what the OTLP/HTTP receiver answers: ExportTraceServiceResponse
 * on success and google.rpc.Status on failure, in the request's encoding.
 * Field numbers from the published collector/trace/v1/trace_service.proto
 * and google/rpc/status.proto.
 */

function varint(n: number): number[] {
  const out: number[] = [];
  let v = Math.max(0, Math.floor(n));
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(payload.length)]), payload]);
}

/** ExportTraceServiceResponse{ partial_success(1): { rejected_spans(1): int64, error_message(2): string } } */
export function traceResponseProto(rejected: number, message: string): Buffer {
  if (rejected === 0 && message === '') return Buffer.alloc(0);
  const parts: Buffer[] = [];
  if (rejected > 0) parts.push(Buffer.from([(1 << 3) | 0, ...varint(rejected)]));
  if (message) parts.push(lengthDelimited(2, Buffer.from(message, 'utf8')));
  return lengthDelimited(1, Buffer.concat(parts));
}

export function traceResponseJson(rejected: number, message: string): Record<string, unknown> {
  if (rejected === 0 && message === '') return {};
  // proto3 JSON writes int64 as a decimal string.
  return { partialSuccess: { rejectedSpans: String(rejected), errorMessage: message } };
}

/** gRPC status codes matching HTTP failures, for google.rpc.Status.code. */
export function grpcCodeForHttp(status: number): number {
  if (status === 400 || status === 413) return 3; // INVALID_ARGUMENT
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 403) return 7; // PERMISSION_DENIED
  if (status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  if (status === 415 || status === 404 || status === 405) return 12; // UNIMPLEMENTED
  return 2; // UNKNOWN
}

/** google.rpc.Status{ code(1): int32, message(2): string } */
export function statusProto(code: number, message: string): Buffer {
  return Buffer.concat([Buffer.from([(1 << 3) | 0, ...varint(code)]), lengthDelimited(2, Buffer.from(message, 'utf8'))]);
}
