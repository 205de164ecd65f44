import { NAMEABLE_SPAN_KINDS, StatusCode, spanKindFromName, type SpanRecord } from '../kernel/span.model.js';

export class SpanSummaryError extends Error {}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const HEX_TRACE_ID = /^[0-9a-f]{32}$/i;
const MAX_STRING = 1024;

function fail(path: string, expected: string): never {
  throw new SpanSummaryError(`${path}: ${expected}`);
}

function str(v: unknown, path: string, required: boolean): string | undefined {
  if (v === undefined || v === null) return required ? fail(path, 'is required') : undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_STRING) fail(path, `expected a non-empty string of at most ${MAX_STRING} characters`);
  return v;
}

function startMs(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  if (typeof v === 'string' && RFC3339.test(v)) {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  return fail(path, 'expected epoch milliseconds or an RFC 3339 timestamp');
}

/**
 * parseSpanSummaries validates the compact span batch of `POST /api/v1/spans`
 * — either an array or `{spans: [...]}` — into SpanRecords. The first bad
 * field fails the whole batch with its path, so nothing is half-counted.
 * `status: ok` maps to OTel UNSET (not OK), so an `httpStatusCode` ≥ 500 on a
 * server span still counts as an error, exactly as it would over OTLP.
 */
export function parseSpanSummaries(body: unknown, wantedKeys: ReadonlySet<string>): SpanRecord[] {
  const list = Array.isArray(body) ? body : (body as { spans?: unknown } | null)?.spans;
  if (!Array.isArray(list)) fail('body', 'expected an array of spans or {"spans": [...]}');
  return list.map((raw: unknown, i: number) => {
    const p = `spans[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(p, 'expected an object');
    const s = raw as Record<string, unknown>;
    const kindName = s.kind === undefined ? 'server' : String(s.kind).toLowerCase().replace(/^span_kind_/, '');
    const kind = spanKindFromName(kindName);
    if (kind === undefined) fail(`${p}.kind`, `expected one of ${NAMEABLE_SPAN_KINDS.join(', ')}`);
    const duration = s.durationMs;
    if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) fail(`${p}.durationMs`, 'expected a finite number >= 0');
    if (s.status !== 'ok' && s.status !== 'error') fail(`${p}.status`, 'expected "ok" or "error"');
    const attributes = new Map<string, string | number | boolean>();
    if (s.attributes !== undefined) {
      if (typeof s.attributes !== 'object' || s.attributes === null || Array.isArray(s.attributes)) fail(`${p}.attributes`, 'expected an object');
      for (const [k, v] of Object.entries(s.attributes as Record<string, unknown>)) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          fail(`${p}.attributes.${k}`, 'expected a string, number or boolean');
        }
        if (wantedKeys.has(k)) attributes.set(k, v);
      }
    }
    if (s.httpStatusCode !== undefined) {
      const c = s.httpStatusCode;
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 100 || c > 599) fail(`${p}.httpStatusCode`, 'expected an integer HTTP status 100..599');
      attributes.set('http.response.status_code', c);
    }
    const traceId = str(s.traceId, `${p}.traceId`, false);
    if (traceId !== undefined && !HEX_TRACE_ID.test(traceId)) fail(`${p}.traceId`, 'expected 32 hex characters');
    return {
      service: str(s.service, `${p}.service`, true)!,
      name: str(s.operation, `${p}.operation`, true)!,
      kind,
      startMs: startMs(s.start, `${p}.start`),
      durationMs: duration,
      statusCode: s.status === 'error' ? StatusCode.ERROR : StatusCode.UNSET,
      traceId: traceId?.toLowerCase() ?? '',
      traceState: '',
      attributes,
    };
  });
}
