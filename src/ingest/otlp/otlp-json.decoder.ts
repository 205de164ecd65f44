/**
 * OTLP/JSON ExportTraceServiceRequest (already JSON.parse'd) → SpanRecord[].
 *
 * Follows the OTLP/JSON mapping: lowerCamelCase names (proto snake_case
 * accepted too), hex trace ids, integer enums (enum names accepted too),
 * int64 as decimal string or number. Unknown fields are ignored; wrong types
 * throw OtlpJsonError naming the offending path. AnyValue arrays and maps are
 * never descended into, so hostile nesting cannot overflow the stack.
 */
import type { SpanRecord } from '../../kernel/span.model.js';
import { KeyMatcher } from './key-matcher.js';
import type { AttrValue, AttributeWanted, DecodeResult } from './otlp.types.js';
import { SPAN_KIND_LABELS } from '../../kernel/span.model.js';

export type { AttributeWanted, DecodeResult } from './otlp.types.js';

export class OtlpJsonError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'OtlpJsonError';
  }
}

/**
 * Inner helpers throw with paths relative to the element they were given;
 * each enclosing loop prefixes its own segment on the way out. Paths are
 * thus only built when something is wrong, never per attribute.
 */
function rebase(e: unknown, prefix: string): unknown {
  if (!(e instanceof OtlpJsonError)) return e;
  const path = e.path === '' ? prefix : e.path.startsWith('[') ? prefix + e.path : `${prefix}.${e.path}`;
  return new OtlpJsonError(path, e.problem);
}

type Obj = Record<string, unknown>;

const SPAN_KINDS: Record<string, number> = Object.fromEntries(SPAN_KIND_LABELS.map((name, n) => [name, n]));
const STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

export function decodeTraceRequestJson(body: unknown, wanted: AttributeWanted): DecodeResult {
  const km = new KeyMatcher(wanted);
  const spans: SpanRecord[] = [];
  const req = asObject(body, '(request)');
  const rsList = optArray(field(req, 'resourceSpans', 'resource_spans'), 'resourceSpans');
  for (let i = 0; i < rsList.length; i++) {
    const rsPath = `resourceSpans[${i}]`;
    const rs = asObject(rsList[i], rsPath);
    const resAttrs = new Map<string, AttrValue>();
    let service = '';
    if (rs.resource != null) {
      try {
        service = applyAttributes(asObject(rs.resource, '').attributes, km, resAttrs, true);
      } catch (e) {
        throw rebase(e, `${rsPath}.resource`);
      }
    }
    const ssList = optArray(field(rs, 'scopeSpans', 'scope_spans'), `${rsPath}.scopeSpans`);
    for (let j = 0; j < ssList.length; j++) {
      const ssPath = `${rsPath}.scopeSpans[${j}]`;
      const spanList = optArray(asObject(ssList[j], ssPath).spans, `${ssPath}.spans`);
      for (let k = 0; k < spanList.length; k++) {
        try {
          spans.push(decodeSpan(spanList[k], km, service, resAttrs));
        } catch (e) {
          throw rebase(e, `${ssPath}.spans[${k}]`);
        }
      }
    }
  }
  return { spans };
}

/**
 * Applies the wanted attributes of a KeyValue list to attrs. For a resource
 * it also returns service.name ('' unless the last one is a string).
 */
function applyAttributes(raw: unknown, km: KeyMatcher, attrs: Map<string, AttrValue>, resource: boolean): string {
  let service = '';
  const list = optArray(raw, 'attributes');
  for (let a = 0; a < list.length; a++) {
    let key: string;
    let value: AttrValue | undefined;
    try {
      const kv = asObject(list[a], '');
      key = optString(kv.key, 'key');
      value = anyValue(kv.value, 'value');
    } catch (e) {
      throw rebase(e, `attributes[${a}]`);
    }
    const entry = km.matchString(key);
    if (entry === undefined) continue;
    if (resource && entry.service) service = typeof value === 'string' ? value : '';
    if (entry.wanted) applyAttr(attrs, key, value);
  }
  return service;
}

function decodeSpan(raw: unknown, km: KeyMatcher, service: string, resAttrs: Map<string, AttrValue>): SpanRecord {
  const span = asObject(raw, '');
  const attributes = new Map(resAttrs);
  applyAttributes(span.attributes, km, attributes, false);

  const startOk = nanos(field(span, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano');
  const startHead = nsHead;
  const startTail = nsTail;
  nanos(field(span, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano');
  // Whole-ms head and sub-ms tail keep both the start and the duration exact,
  // matching the protobuf decoder bit for bit.
  const hasStart = startOk && (startHead !== 0 || startTail !== 0);

  let statusCode = 0;
  const status = span.status;
  if (status != null) statusCode = enumValue(asObject(status, 'status').code, STATUS_CODES, 'status.code');

  return {
    service,
    name: optString(span.name, 'name'),
    kind: enumValue(span.kind, SPAN_KINDS, 'kind'),
    startMs: hasStart ? startHead + startTail / 1e6 : NaN,
    durationMs: hasStart ? ((nsHead - startHead) * 1e6 + (nsTail - startTail)) / 1e6 : NaN,
    statusCode,
    traceId: hexId(field(span, 'traceId', 'trace_id'), 'traceId'),
    traceState: optString(field(span, 'traceState', 'trace_state'), 'traceState'),
    attributes,
  };
}

/** Camel name first; the snake_case proto name is the fallback receivers must accept. */
function field(o: Obj, camel: string, snake: string): unknown {
  const v = o[camel];
  return v != null ? v : o[snake];
}

function asObject(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OtlpJsonError(path, 'expected object');
  return v as Obj;
}

function optArray(v: unknown, path: string): unknown[] {
  if (v == null) return [];
  if (!Array.isArray(v)) throw new OtlpJsonError(path, 'expected array');
  return v;
}

function optString(v: unknown, path: string): string {
  if (v == null) return '';
  if (typeof v !== 'string') throw new OtlpJsonError(path, 'expected string');
  return v;
}

function hexId(v: unknown, path: string): string {
  const s = optString(v, path);
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else throw new OtlpJsonError(path, 'expected hex string');
  }
  if (s.length % 2 !== 0) throw new OtlpJsonError(path, 'expected hex string');
  return upper ? s.toLowerCase() : s;
}

function enumValue(v: unknown, names: Record<string, number>, path: string): number {
  if (v == null) return 0;
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v;
  } else if (typeof v === 'string') {
    const n = names[v];
    if (n !== undefined && Object.hasOwn(names, v)) return n;
    if (INT_RE.test(v)) return Number(v);
    throw new OtlpJsonError(path, `unknown enum value "${v.slice(0, 64)}"`);
  }
  throw new OtlpJsonError(path, 'expected enum integer or name');
}

/** Result slots of nanos(): unix nanos split into whole ms and the sub-ms remainder. */
let nsHead = 0;
let nsTail = 0;

/** Parses an unsigned int64 nanosecond value into nsHead/nsTail; returns false when absent. */
function nanos(v: unknown, path: string): boolean {
  nsHead = 0;
  nsTail = 0;
  if (v == null) return false;
  if (typeof v === 'string') {
    const n = v.length;
    if (n === 0 || n > 20) throw new OtlpJsonError(path, 'expected integer string');
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c < 48 || c > 57) throw new OtlpJsonError(path, 'expected integer string');
    }
    if (n > 6) {
      nsHead = Number(v.slice(0, n - 6));
      nsTail = Number(v.slice(n - 6));
    } else {
      nsTail = Number(v);
    }
    return true;
  }
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
    nsHead = Math.floor(v / 1e6);
    nsTail = v - nsHead * 1e6;
    return true;
  }
  throw new OtlpJsonError(path, 'expected integer string');
}

const INT_RE = /^-?\d+$/;
const FLOAT_RE = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Scalar AnyValue, or undefined for absent/array/kvlist/bytes values (not
 * kept). Scalars are type-checked whether or not the key is wanted, so the
 * same request is accepted or rejected regardless of configuration.
 */
function anyValue(v: unknown, path: string): AttrValue | undefined {
  if (v == null) return undefined;
  const o = asObject(v, path);
  let x = field(o, 'stringValue', 'string_value');
  if (x != null) {
    if (typeof x !== 'string') throw new OtlpJsonError(`${path}.stringValue`, 'expected string');
    return x;
  }
  x = field(o, 'boolValue', 'bool_value');
  if (x != null) {
    if (typeof x !== 'boolean') throw new OtlpJsonError(`${path}.boolValue`, 'expected boolean');
    return x;
  }
  x = field(o, 'intValue', 'int_value');
  if (x != null) {
    if (typeof x === 'number' && Number.isInteger(x)) return x;
    if (typeof x === 'string' && INT_RE.test(x)) return Number(x);
    throw new OtlpJsonError(`${path}.intValue`, 'expected integer string');
  }
  x = field(o, 'doubleValue', 'double_value');
  if (x != null) {
    if (typeof x === 'number') return x;
    if (typeof x === 'string') {
      // proto3 JSON spells non-finite doubles as strings.
      if (x === 'NaN') return NaN;
      if (x === 'Infinity') return Infinity;
      if (x === '-Infinity') return -Infinity;
      if (FLOAT_RE.test(x)) return Number(x);
    }
    throw new OtlpJsonError(`${path}.doubleValue`, 'expected number');
  }
  return undefined;
}

/** A non-scalar value still overrides: the effective attribute is one we do not keep. */
function applyAttr(attrs: Map<string, AttrValue>, key: string, value: AttrValue | undefined): void {
  if (value === undefined) attrs.delete(key);
  else attrs.set(key, value);
}
