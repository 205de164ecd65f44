/**
 * OTLP/protobuf ExportTraceServiceRequest → SpanRecord[].
 *
 * Walks the wire format directly (no generated code, no intermediate
 * objects): only the fields a SpanRecord needs are decoded, everything else
 * is skipped by wire type. Nesting is fixed by the schema; AnyValue arrays
 * and maps are skipped by length, so hostile nesting cannot recurse.
 */
import type { SpanRecord } from '../../kernel/span.model.js';
import { KeyMatcher, type KeyEntry } from './key-matcher.js';
import type { AttrValue, AttributeWanted, DecodeResult } from './otlp.types.js';
import { nanosDiffToMs, nanosToMs, ProtoReader } from './proto-reader.js';

export { ProtoDecodeError } from './proto-reader.js';
export type { AttributeWanted, DecodeResult } from './otlp.types.js';

// Tags are (field << 3) | wire type. Matching the whole tag means a known
// field arriving with an unexpected wire type is skipped like an unknown one.
const REQ_RESOURCE_SPANS = (1 << 3) | 2;
const RS_RESOURCE = (1 << 3) | 2;
const RS_SCOPE_SPANS = (2 << 3) | 2;
const RES_ATTRIBUTES = (1 << 3) | 2;
const SS_SPANS = (2 << 3) | 2;
const SPAN_TRACE_ID = (1 << 3) | 2;
const SPAN_TRACE_STATE = (3 << 3) | 2;
const SPAN_NAME = (5 << 3) | 2;
const SPAN_KIND = (6 << 3) | 0;
const SPAN_START = (7 << 3) | 1;
const SPAN_END = (8 << 3) | 1;
const SPAN_ATTRIBUTES = (9 << 3) | 2;
const SPAN_STATUS = (15 << 3) | 2;
const STATUS_CODE = (3 << 3) | 0;
const KV_KEY = (1 << 3) | 2;
const KV_VALUE = (2 << 3) | 2;
const ANY_STRING = (1 << 3) | 2;
const ANY_BOOL = (2 << 3) | 0;
const ANY_INT = (3 << 3) | 0;
const ANY_DOUBLE = (4 << 3) | 1;
const ANY_ARRAY = (5 << 3) | 2;
const ANY_KVLIST = (6 << 3) | 2;
const ANY_BYTES = (7 << 3) | 2;

/** Wanted resource attributes in effect for every span of one ResourceSpans. */
interface ResourceAttrs {
  service: string;
  keys: string[];
  values: AttrValue[];
}

export function decodeTraceRequestProto(input: Uint8Array, wanted: AttributeWanted): DecodeResult {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const r = new ProtoReader(buf);
  const km = new KeyMatcher(wanted);
  const spans: SpanRecord[] = [];
  const end = buf.length;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === REQ_RESOURCE_SPANS) decodeResourceSpans(r, r.lengthEnd(), km, spans);
    else r.skip(tag);
  }
  r.expectEnd(end);
  return { spans };
}

function decodeResourceSpans(r: ProtoReader, end: number, km: KeyMatcher, out: SpanRecord[]): void {
  // The resource may follow its scope_spans on the wire; spans need it first,
  // so a cheap skip-only pass collects it before the spans are decoded.
  const start = r.pos;
  const attrs = new Map<string, AttrValue>();
  const res: ResourceAttrs = { service: '', keys: [], values: [] };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === RS_RESOURCE) decodeResource(r, r.lengthEnd(), km, attrs, res);
    else r.skip(tag);
  }
  r.expectEnd(end);
  for (const [k, v] of attrs) {
    res.keys.push(k);
    res.values.push(v);
  }
  r.pos = start;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === RS_SCOPE_SPANS) decodeScopeSpans(r, r.lengthEnd(), km, res, out);
    else r.skip(tag);
  }
}

function decodeResource(
  r: ProtoReader,
  end: number,
  km: KeyMatcher,
  attrs: Map<string, AttrValue>,
  res: ResourceAttrs,
): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag !== RES_ATTRIBUTES) {
      r.skip(tag);
      continue;
    }
    const entry = decodeKeyValue(r, r.lengthEnd(), km);
    if (entry === undefined) continue;
    if (entry.service) res.service = typeof kvValue === 'string' ? kvValue : '';
    if (entry.wanted) applyAttr(attrs, entry.key, kvValue);
  }
  r.expectEnd(end);
}

function decodeScopeSpans(r: ProtoReader, end: number, km: KeyMatcher, res: ResourceAttrs, out: SpanRecord[]): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === SS_SPANS) out.push(decodeSpan(r, r.lengthEnd(), km, res));
    else r.skip(tag);
  }
  r.expectEnd(end);
}

function decodeSpan(r: ProtoReader, end: number, km: KeyMatcher, res: ResourceAttrs): SpanRecord {
  let traceId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let statusCode = 0;
  let startHi = 0;
  let startLo = 0;
  let endHi = 0;
  let endLo = 0;
  const attributes = new Map<string, AttrValue>();
  const rk = res.keys;
  for (let i = 0; i < rk.length; i++) attributes.set(rk[i], res.values[i]);

  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case SPAN_TRACE_ID:
        traceId = r.hex();
        break;
      case SPAN_TRACE_STATE:
        traceState = r.internedString();
        break;
      case SPAN_NAME:
        name = r.internedString();
        break;
      case SPAN_KIND:
        kind = r.int32();
        break;
      case SPAN_START:
        startLo = r.fixed32();
        startHi = r.fixed32();
        break;
      case SPAN_END:
        endLo = r.fixed32();
        endHi = r.fixed32();
        break;
      case SPAN_ATTRIBUTES: {
        const entry = decodeKeyValue(r, r.lengthEnd(), km);
        if (entry !== undefined && entry.wanted) applyAttr(attributes, entry.key, kvValue);
        break;
      }
      case SPAN_STATUS:
        statusCode = decodeStatus(r, r.lengthEnd(), statusCode);
        break;
      default:
        r.skip(tag);
    }
  }
  r.expectEnd(end);

  // proto3 cannot tell an absent timestamp from 0; epoch 0 is never a real span start.
  const hasStart = (startHi | startLo) !== 0;
  return {
    service: res.service,
    name,
    kind,
    startMs: hasStart ? nanosToMs(startHi, startLo) : NaN,
    durationMs: hasStart ? nanosDiffToMs(endHi, endLo, startHi, startLo) : NaN,
    statusCode,
    traceId,
    traceState,
    attributes,
  };
}

/** Repeated Status fields merge (protobuf semantics): a later one without a code keeps the earlier code. */
function decodeStatus(r: ProtoReader, end: number, code: number): number {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === STATUS_CODE) code = r.int32();
    else r.skip(tag);
  }
  r.expectEnd(end);
  return code;
}

/**
 * Value of the last KeyValue decoded by decodeKeyValue; undefined when the
 * value is absent or not a scalar. A module slot instead of a returned
 * pair keeps the per-attribute path allocation-free (decoding is synchronous).
 */
let kvValue: AttrValue | undefined;

/** Returns the matched key entry (and sets kvValue), or undefined for keys nobody asked for. */
function decodeKeyValue(r: ProtoReader, end: number, km: KeyMatcher): KeyEntry | undefined {
  let keyStart = -1;
  let keyEnd = -1;
  let valueStart = -1;
  let valueEnd = -1;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === KV_KEY) {
      keyEnd = r.lengthEnd();
      keyStart = r.pos;
      r.pos = keyEnd;
    } else if (tag === KV_VALUE) {
      valueEnd = r.lengthEnd();
      valueStart = r.pos;
      r.pos = valueEnd;
    } else {
      r.skip(tag);
    }
  }
  r.expectEnd(end);
  const entry = keyStart < 0 ? km.match(r.buf, 0, 0) : km.match(r.buf, keyStart, keyEnd);
  if (entry === undefined) return undefined;
  kvValue = undefined;
  if (valueStart >= 0) {
    r.pos = valueStart;
    kvValue = decodeAnyValue(r, valueEnd);
    r.pos = end;
  }
  return entry;
}

/** Last oneof member wins; arrays, maps and bytes yield undefined and are skipped by length. */
function decodeAnyValue(r: ProtoReader, end: number): AttrValue | undefined {
  let value: AttrValue | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case ANY_STRING:
        value = r.internedString();
        break;
      case ANY_BOOL:
        value = r.bool();
        break;
      case ANY_INT:
        value = r.int64();
        break;
      case ANY_DOUBLE:
        value = r.double();
        break;
      case ANY_ARRAY:
      case ANY_KVLIST:
      case ANY_BYTES:
        value = undefined;
        r.skip(tag);
        break;
      default:
        r.skip(tag);
    }
  }
  r.expectEnd(end);
  return value;
}

/** A non-scalar value still overrides: the effective attribute is one we do not keep. */
function applyAttr(attrs: Map<string, AttrValue>, key: string, value: AttrValue | undefined): void {
  if (value === undefined) attrs.delete(key);
  else attrs.set(key, value);
}
