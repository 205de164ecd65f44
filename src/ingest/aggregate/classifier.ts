import { SPAN_KIND_LABELS, SpanKind, StatusCode, type SpanRecord } from '../../kernel/span.model.js';

/**
 * classify turns a decoded span into the series it counts in and whether it
 * is an error — the one place where "what is a failure" is decided, so RED
 * metrics, SLOs and alerts can never disagree about it.
 */

/** Labels of a RED series. `overflow` marks the per-service cardinality overflow series. */
export interface SeriesLabels {
  service: string;
  spanName: string;
  /** spanmetrics-style kind string, e.g. `SPAN_KIND_SERVER`. */
  spanKind: string;
  /** Configured extra dimensions, attribute name → value ('' when absent). */
  dims: Record<string, string>;
  overflow: boolean;
}

export interface ClassifiedSpan {
  /** Unambiguous identity of the label tuple (JSON of it). */
  seriesKey: string;
  labels: SeriesLabels;
  error: boolean;
}

export type RejectReason =
  | 'missing_service_name'
  | 'span_kind_filtered'
  /** startMs is absent or not finite: the span cannot be placed in a minute. */
  | 'invalid_start_time'
  /** durationMs is negative or not finite (end before start, or no end time). */
  | 'invalid_duration';

export type Classification = ClassifiedSpan | { reject: RejectReason };

export interface ClassifierOptions {
  /** Attribute names added as series dimensions, in label order (e.g. `http.route`). */
  extraDimensions: readonly string[];
  /** SpanKind numbers that count; undefined = all. */
  spanKinds?: ReadonlySet<number>;
}

const HTTP_STATUS_NEW = 'http.response.status_code';
const HTTP_STATUS_OLD = 'http.status_code';
const GRPC_STATUS = 'rpc.grpc.status_code';
/** Newer RPC semconv: the gRPC status as its name, e.g. "UNAVAILABLE". */
const RPC_RESPONSE_STATUS = 'rpc.response.status_code';

/** Attribute keys classify reads besides the configured dimensions; the decoder must keep them. */
export const ATTRIBUTE_KEYS_USED: readonly string[] = [HTTP_STATUS_NEW, HTTP_STATUS_OLD, GRPC_STATUS, RPC_RESPONSE_STATUS];

/** Everything the decoder must keep for classification with these options. */
export function classifierAttributeKeys(options: ClassifierOptions): string[] {
  return [...new Set([...ATTRIBUTE_KEYS_USED, ...options.extraDimensions])];
}


/**
 * gRPC codes that the OTel semantic conventions count as server errors.
 * The others (CANCELLED, INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED…)
 * describe the caller's request, like HTTP 4xx, and do not burn the
 * server's error budget.
 */
const GRPC_SERVER_ERROR_CODES = new Set([2, 4, 12, 13, 14, 15]);
const GRPC_SERVER_ERROR_NAMES = new Set(['UNKNOWN', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS']);

/** An integer attribute that may arrive as a number or a numeric string (OTLP/JSON, old SDKs). */
function intAttribute(value: string | number | boolean | undefined): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

function dimValue(value: string | number | boolean | undefined): string {
  return value === undefined ? '' : String(value);
}

/**
 * Error rules, most explicit first:
 *  - status ERROR is an error;
 *  - status OK is not, even with a 5xx: the spec reserves OK for a user's
 *    deliberate override of what instrumentation would decide;
 *  - otherwise, for SERVER spans only, HTTP ≥ 500 or a gRPC server-error
 *    code. Client spans are judged by their status alone: a 5xx seen by a
 *    client is the callee's failure and is counted on the callee's server
 *    span. HTTP 4xx is the caller's fault, so never an error here.
 */
export function isError(span: SpanRecord): boolean {
  if (span.statusCode === StatusCode.ERROR) return true;
  if (span.statusCode === StatusCode.OK || span.kind !== SpanKind.SERVER) return false;
  const attrs = span.attributes;
  const http = intAttribute(attrs.get(HTTP_STATUS_NEW) ?? attrs.get(HTTP_STATUS_OLD));
  if (http !== undefined && http >= 500) return true;
  const grpc = intAttribute(attrs.get(GRPC_STATUS));
  if (grpc !== undefined) return GRPC_SERVER_ERROR_CODES.has(grpc);
  const rpc = attrs.get(RPC_RESPONSE_STATUS);
  return typeof rpc === 'string' && GRPC_SERVER_ERROR_NAMES.has(rpc);
}

export function classify(span: SpanRecord, options: ClassifierOptions): Classification {
  if (span.service === '') return { reject: 'missing_service_name' };
  // Unknown kind numbers (from a newer proto) read as UNSPECIFIED, so they
  // can neither slip past a kind filter nor invent a label value.
  const kind = Number.isInteger(span.kind) && span.kind >= 0 && span.kind < SPAN_KIND_LABELS.length ? span.kind : SpanKind.UNSPECIFIED;
  if (options.spanKinds !== undefined && !options.spanKinds.has(kind)) return { reject: 'span_kind_filtered' };
  if (!Number.isFinite(span.startMs)) return { reject: 'invalid_start_time' };
  // A negative duration means end < start (often a missing end time): its
  // latency is unknowable, and counting it as 0 ms would pass latency SLOs.
  if (!(span.durationMs >= 0) || !Number.isFinite(span.durationMs)) return { reject: 'invalid_duration' };

  // The two possible answers are made once per series: no object per span.
  const series = seriesOf(span, kind, options);
  return isError(span) ? series.failed : series.succeeded;
}

/**
 * SERIES_CACHE_LIMIT bounds the memo of series identities. Past it the memo
 * starts over: a burst of unique names costs recomputation, never memory.
 */
const SERIES_CACHE_LIMIT = 200_000;
/** A series' identity and its two classifications, shared by every span of it (read-only). */
interface Series {
  succeeded: ClassifiedSpan;
  failed: ClassifiedSpan;
}
const seriesCache = new WeakMap<ClassifierOptions, { size: number; root: Map<string, unknown> }>();

/**
 * seriesOf returns the series identity of a span, memoized per label tuple:
 * most spans belong to a few known series, and building the JSON key and the
 * label objects for each of them was a tenth of the ingest CPU. The same
 * key string coming back each time also makes later Map lookups cheaper.
 */
function seriesOf(span: SpanRecord, kind: number, options: ClassifierOptions): Series {
  let cache = seriesCache.get(options);
  if (!cache || cache.size > SERIES_CACHE_LIMIT) {
    cache = { size: 0, root: new Map() };
    seriesCache.set(options, cache);
  }
  const values: string[] = [span.service, span.name, SPAN_KIND_LABELS[kind]];
  for (const name of options.extraDimensions) values.push(dimValue(span.attributes.get(name)));
  let node = cache.root;
  for (let i = 0; i < values.length - 1; i++) {
    let next = node.get(values[i]) as Map<string, unknown> | undefined;
    if (!next) {
      next = new Map();
      node.set(values[i], next);
    }
    node = next;
  }
  const last = values[values.length - 1];
  let series = node.get(last) as Series | undefined;
  if (!series) {
    const dims: Record<string, string> = {};
    options.extraDimensions.forEach((name, i) => (dims[name] = values[3 + i]));
    const seriesKey = JSON.stringify(values);
    const labels: SeriesLabels = { service: span.service, spanName: span.name, spanKind: values[2], dims, overflow: false };
    series = { succeeded: { seriesKey, labels, error: false }, failed: { seriesKey, labels, error: true } };
    node.set(last, series);
    cache.size++;
  }
  return series;
}
