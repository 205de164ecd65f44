/**
 * OTLP/JSON ExportTraceServiceRequest as UTF-8 bytes → SpanRecord[], in one
 * pass over the body: no JSON.parse, no object per attribute. Only what a
 * SpanRecord needs is decoded; everything else is skipped by the reader,
 * which still checks its grammar.
 *
 * The reference is JSON.parse(body.toString('utf8')) followed by
 * decodeTraceRequestJson (otlp-json.decoder.ts): for every body this gives
 * the same records, or the same error. It gets there by handling exactly the
 * well-formed requests real exporters send and bailing out on anything else:
 * bodies that are not JSON, values of the wrong type, a known member given
 * twice (or in both spellings), invalid ids or times. A bailed-out body goes
 * through the reference path, whose rules for duplicates (the last wins),
 * spelling precedence and error paths then apply unchanged. The fast path
 * therefore never produces an error of its own, and a wrong guess on its
 * side can only cost time, never change an answer.
 */
import type { SpanRecord } from '../../kernel/span.model.js';
import { SPAN_KIND_LABELS } from '../../kernel/span.model.js';
import { parseJson } from '../../common/body-reader.js';
import { KeyMatcher, type KeyEntry } from './key-matcher.js';
import { decodeTraceRequestJson } from './otlp-json.decoder.js';
import type { AttrValue, AttributeWanted, DecodeResult } from './otlp.types.js';
import {
  bail,
  CH_RBRACE,
  CH_RBRACKET,
  internedAt,
  JSON_BAIL,
  JsonReader,
  NameTable,
  numberAt,
  stringAt,
    T_FALSE,
  T_NULL,
  T_NUMBER,
  T_STRING,
  T_TRUE,
} from './json-reader.js';

export { OtlpJsonError } from './otlp-json.decoder.js';

/**
 * decodeTraceRequestJsonBody decodes an OTLP/JSON body. Throws the same
 * errors as the reference path: the "not valid JSON" 400 or OtlpJsonError.
 */
export function decodeTraceRequestJsonBody(body: Buffer, wanted: AttributeWanted): DecodeResult {
  return readTraceRequestJson(body, wanted) ?? decodeTraceRequestJson(parseJson(body), wanted);
}

/** The fast path alone: the decoded request, or undefined when the body must go through the reference path. */
export function readTraceRequestJson(body: Buffer, wanted: AttributeWanted): DecodeResult | undefined {
  const r = new JsonReader(body);
  const km = new KeyMatcher(wanted);
  const spans: SpanRecord[] = [];
  lastHexStart = -1;
  try {
    decodeRequest(r, km, spans);
    r.end();
  } catch (e) {
    if (e === JSON_BAIL) return undefined;
    throw e;
  }
  return { spans };
}

const REQ_RESOURCE_SPANS = 0;
const REQ = new NameTable({ resourceSpans: REQ_RESOURCE_SPANS, resource_spans: REQ_RESOURCE_SPANS });
const RS_RESOURCE = 0;
const RS_SCOPE_SPANS = 1;
const RS = new NameTable({ resource: RS_RESOURCE, scopeSpans: RS_SCOPE_SPANS, scope_spans: RS_SCOPE_SPANS });
const RES_ATTRIBUTES = 0;
const RES = new NameTable({ attributes: RES_ATTRIBUTES });
const SS_SPANS = 0;
const SS = new NameTable({ spans: SS_SPANS });
const SPAN_ATTRIBUTES = 0;
const SPAN_START = 1;
const SPAN_END = 2;
const SPAN_STATUS = 3;
const SPAN_NAME = 4;
const SPAN_KIND = 5;
const SPAN_TRACE_ID = 6;
const SPAN_TRACE_STATE = 7;
const SPAN = new NameTable({
  attributes: SPAN_ATTRIBUTES,
  startTimeUnixNano: SPAN_START,
  start_time_unix_nano: SPAN_START,
  endTimeUnixNano: SPAN_END,
  end_time_unix_nano: SPAN_END,
  status: SPAN_STATUS,
  name: SPAN_NAME,
  kind: SPAN_KIND,
  traceId: SPAN_TRACE_ID,
  trace_id: SPAN_TRACE_ID,
  traceState: SPAN_TRACE_STATE,
  trace_state: SPAN_TRACE_STATE,
});
const STATUS_CODE = 0;
const STATUS = new NameTable({ code: STATUS_CODE });
const KV_KEY = 0;
const KV_VALUE = 1;
const KV = new NameTable({ key: KV_KEY, value: KV_VALUE });
// AnyValue members in the reference decoder's order of precedence.
const ANY_STRING = 0;
const ANY_BOOL = 1;
const ANY_INT = 2;
const ANY_DOUBLE = 3;
const ANY_NONE = 4;
const ANY = new NameTable({
  stringValue: ANY_STRING,
  string_value: ANY_STRING,
  boolValue: ANY_BOOL,
  bool_value: ANY_BOOL,
  intValue: ANY_INT,
  int_value: ANY_INT,
  doubleValue: ANY_DOUBLE,
  double_value: ANY_DOUBLE,
});

const SPAN_KINDS = new Map<string, number>(SPAN_KIND_LABELS.map((name, n) => [name, n]));
const STATUS_CODES = new Map<string, number>([
  ['STATUS_CODE_UNSET', 0],
  ['STATUS_CODE_OK', 1],
  ['STATUS_CODE_ERROR', 2],
]);
const INT_RE = /^-?\d+$/;
const FLOAT_RE = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Wanted resource attributes in effect for every span of one ResourceSpans. */
interface ResourceAttrs {
  service: string;
  keys: string[];
  values: AttrValue[];
}

const NO_RESOURCE: ResourceAttrs = { service: '', keys: [], values: [] };

/**
 * Marks a known member as seen in `seen`; a second one (or the other
 * spelling of it) bails out, since the last one wins only in the reference path.
 */
function once(seen: number, id: number): number {
  const bit = 1 << id;
  if (seen & bit) bail();
  return seen | bit;
}

/** Consumes a null value when one comes next; a null member counts as absent. */
function skipNull(r: JsonReader): boolean {
  if (r.valueType() !== T_NULL) return false;
  r.literal(T_NULL);
  return true;
}

function decodeRequest(r: JsonReader, km: KeyMatcher, out: SpanRecord[]): void {
  if (!r.openObject()) return;
  let seen = 0;
  do {
    if (REQ.member(r) !== REQ_RESOURCE_SPANS) {
      r.skip();
      continue;
    }
    seen = once(seen, REQ_RESOURCE_SPANS);
    if (skipNull(r) || !r.openArray()) continue;
    do {
      decodeResourceSpans(r, km, out);
    } while (r.more(CH_RBRACKET));
  } while (r.more(CH_RBRACE));
}

function decodeResourceSpans(r: JsonReader, km: KeyMatcher, out: SpanRecord[]): void {
  if (!r.openObject()) return;
  let seen = 0;
  let res = NO_RESOURCE;
  let resourceRead = false;
  do {
    const id = RS.member(r);
    if (id < 0) {
      r.skip();
      continue;
    }
    seen = once(seen, id);
    if (id === RS_RESOURCE) {
      if (resourceRead) r.skip();
      else res = decodeResource(r, km);
      resourceRead = true;
      continue;
    }
    // Spans need their resource first: when it comes later (or never), a
    // skip-only look ahead finds it, as the protobuf decoder does.
    if (!resourceRead) {
      res = resourceAhead(r, km);
      resourceRead = true;
    }
    if (skipNull(r) || !r.openArray()) continue;
    do {
      decodeScopeSpans(r, km, res, out);
    } while (r.more(CH_RBRACKET));
  } while (r.more(CH_RBRACE));
}

/** From a member value of a ResourceSpans: the resource among the members that follow, if any; pos is left unchanged. */
function resourceAhead(r: JsonReader, km: KeyMatcher): ResourceAttrs {
  const start = r.pos;
  let res = NO_RESOURCE;
  let found = false;
  r.skip();
  while (r.more(CH_RBRACE)) {
    if (RS.member(r) !== RS_RESOURCE) {
      r.skip();
      continue;
    }
    if (found) bail();
    found = true;
    res = decodeResource(r, km);
  }
  r.pos = start;
  return res;
}

function decodeResource(r: JsonReader, km: KeyMatcher): ResourceAttrs {
  if (skipNull(r)) return NO_RESOURCE;
  const attrs = new Map<string, AttrValue>();
  let service = '';
  let seen = 0;
  if (r.openObject()) {
    do {
      if (RES.member(r) !== RES_ATTRIBUTES) {
        r.skip();
        continue;
      }
      seen = once(seen, RES_ATTRIBUTES);
      if (skipNull(r) || !r.openArray()) continue;
      do {
        const entry = decodeKeyValue(r, km);
        if (entry === undefined) continue;
        if (entry.service) service = typeof kvValue === 'string' ? kvValue : '';
        if (entry.wanted) applyAttr(attrs, entry.key, kvValue);
      } while (r.more(CH_RBRACKET));
    } while (r.more(CH_RBRACE));
  }
  if (attrs.size === 0 && service === '') return NO_RESOURCE;
  return { service, keys: [...attrs.keys()], values: [...attrs.values()] };
}

function decodeScopeSpans(r: JsonReader, km: KeyMatcher, res: ResourceAttrs, out: SpanRecord[]): void {
  if (!r.openObject()) return;
  let seen = 0;
  do {
    if (SS.member(r) !== SS_SPANS) {
      r.skip();
      continue;
    }
    seen = once(seen, SS_SPANS);
    if (skipNull(r) || !r.openArray()) continue;
    do {
      out.push(decodeSpan(r, km, res));
    } while (r.more(CH_RBRACKET));
  } while (r.more(CH_RBRACE));
}

function decodeSpan(r: JsonReader, km: KeyMatcher, res: ResourceAttrs): SpanRecord {
  let traceId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let statusCode = 0;
  let startOk = false;
  let startHead = 0;
  let startTail = 0;
  let endHead = 0;
  let endTail = 0;
  const attributes = new Map<string, AttrValue>();
  const rk = res.keys;
  for (let i = 0; i < rk.length; i++) attributes.set(rk[i], res.values[i]);

  let seen = 0;
  if (r.openObject()) {
    do {
      const id = SPAN.member(r);
      if (id < 0) {
        r.skip();
        continue;
      }
      seen = once(seen, id);
      if (skipNull(r)) continue;
      switch (id) {
        case SPAN_ATTRIBUTES:
          if (!r.openArray()) break;
          do {
            const entry = decodeKeyValue(r, km);
            if (entry !== undefined && entry.wanted) applyAttr(attributes, entry.key, kvValue);
          } while (r.more(CH_RBRACKET));
          break;
        case SPAN_START:
          nanos(r);
          startOk = true;
          startHead = nsHead;
          startTail = nsTail;
          break;
        case SPAN_END:
          nanos(r);
          endHead = nsHead;
          endTail = nsTail;
          break;
        case SPAN_STATUS:
          statusCode = decodeStatus(r);
          break;
        case SPAN_NAME:
          name = stringValue(r);
          break;
        case SPAN_KIND:
          kind = enumValue(r, SPAN_KINDS);
          break;
        case SPAN_TRACE_ID:
          traceId = hexId(r);
          break;
        default:
          traceState = stringValue(r);
      }
    } while (r.more(CH_RBRACE));
  }

  // Same arithmetic as the reference decoder, so the doubles match bit for bit.
  const hasStart = startOk && (startHead !== 0 || startTail !== 0);
  return {
    service: res.service,
    name,
    kind,
    startMs: hasStart ? startHead + startTail / 1e6 : NaN,
    durationMs: hasStart ? ((endHead - startHead) * 1e6 + (endTail - startTail)) / 1e6 : NaN,
    statusCode,
    traceId,
    traceState,
    attributes,
  };
}

function decodeStatus(r: JsonReader): number {
  let code = 0;
  let seen = 0;
  if (r.openObject()) {
    do {
      if (STATUS.member(r) !== STATUS_CODE) {
        r.skip();
        continue;
      }
      seen = once(seen, STATUS_CODE);
      if (!skipNull(r)) code = enumValue(r, STATUS_CODES);
    } while (r.more(CH_RBRACE));
  }
  return code;
}

/** A string member (name, traceState), interned: these repeat across spans. */
function stringValue(r: JsonReader): string {
  if (r.valueType() !== T_STRING) bail();
  r.string();
  return internedAt(r.buf, r.strStart, r.strEnd, r.strFlags);
}

/** The last id hexId() returned and its bytes in the current body (reset per body). */
let lastHexStart = -1;
let lastHexEnd = -1;
let lastHex = '';

/**
 * Lower-case hex id. Spans of one trace tend to be exported together, so
 * the previous id is reused when the bytes repeat.
 */
function hexId(r: JsonReader): string {
  if (r.valueType() !== T_STRING) bail();
  r.string();
  const buf = r.buf;
  const start = r.strStart;
  const end = r.strEnd;
  const n = end - start;
  if (r.strFlags !== 0) return hexIdText(r.text());
  if (lastHexStart >= 0 && lastHexEnd - lastHexStart === n) {
    const prev = lastHexStart;
    let i = n - 1;
    while (i >= 0 && buf[start + i] === buf[prev + i]) i--;
    if (i < 0) return lastHex;
  }
  if (n % 2 !== 0) bail();
  let upper = false;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else bail();
  }
  const s = buf.toString('latin1', start, end);
  lastHexStart = start;
  lastHexEnd = end;
  return (lastHex = upper ? s.toLowerCase() : s);
}

/** The reference decoder's hexId for a decoded (escaped or non-ASCII) string; bails where it throws. */
function hexIdText(s: string): string {
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else bail();
  }
  if (s.length % 2 !== 0) bail();
  return upper ? s.toLowerCase() : s;
}

/** An enum as an integer, an enum name or a numeric string (the reference decoder's enumValue). */
function enumValue(r: JsonReader, names: Map<string, number>): number {
  const type = r.valueType();
  if (type === T_NUMBER) {
    r.number();
    const v = numberAt(r.buf, r.numStart, r.numEnd);
    if (!Number.isInteger(v)) bail();
    return v;
  }
  if (type !== T_STRING) bail();
  r.string();
  const s = r.text();
  const n = names.get(s);
  if (n !== undefined) return n;
  if (!INT_RE.test(s)) bail();
  return Number(s);
}

/** Result slots of nanos(): unix nanos split into whole ms and the sub-ms remainder. */
let nsHead = 0;
let nsTail = 0;

/** Reads an unsigned int64 nanosecond value (decimal string or number) into nsHead/nsTail. */
function nanos(r: JsonReader): void {
  const type = r.valueType();
  const buf = r.buf;
  if (type === T_NUMBER) {
    r.number();
    const v = numberAt(buf, r.numStart, r.numEnd);
    if (!Number.isInteger(v) || !(v >= 0)) bail();
    nsHead = Math.floor(v / 1e6);
    nsTail = v - nsHead * 1e6;
    return;
  }
  if (type !== T_STRING) bail();
  r.string();
  if (r.strFlags !== 0) return nanosText(r.text());
  const start = r.strStart;
  const end = r.strEnd;
  const n = end - start;
  if (n === 0 || n > 20) bail();
  // Whole ms from the leading digits (at most 14: exact), the sub-ms part from the last 6.
  const split = n > 6 ? end - 6 : start;
  let head = 0;
  let tail = 0;
  for (let i = start; i < split; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) bail();
    head = head * 10 + c;
  }
  for (let i = split; i < end; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) bail();
    tail = tail * 10 + c;
  }
  nsHead = head;
  nsTail = tail;
}

/** The reference decoder's nanos() for a decoded (escaped) string. */
function nanosText(v: string): void {
  const n = v.length;
  if (n === 0 || n > 20) bail();
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) bail();
  }
  if (n > 6) {
    nsHead = Number(v.slice(0, n - 6));
    nsTail = Number(v.slice(n - 6));
  } else {
    nsHead = 0;
    nsTail = Number(v);
  }
}

/**
 * Value of the last KeyValue decoded by decodeKeyValue; undefined when the
 * value is absent or not a scalar. A module slot instead of a returned
 * pair keeps the per-attribute path allocation-free (decoding is synchronous).
 */
let kvValue: AttrValue | undefined;

/** Returns the matched key entry (and sets kvValue), or undefined for keys nobody asked for. */
function decodeKeyValue(r: JsonReader, km: KeyMatcher): KeyEntry | undefined {
  let keyStart = -1;
  let keyEnd = -1;
  let keyFlags = 0;
  let kind = ANY_NONE;
  let seen = 0;
  if (r.openObject()) {
    do {
      const id = KV.member(r);
      if (id < 0) {
        r.skip();
        continue;
      }
      seen = once(seen, id);
      if (skipNull(r)) continue;
      if (id === KV_KEY) {
        if (r.valueType() !== T_STRING) bail();
        r.string();
        keyStart = r.strStart;
        keyEnd = r.strEnd;
        keyFlags = r.strFlags;
      } else {
        // The value is checked whether or not its key is wanted, as the reference does.
        kind = decodeAnyValue(r);
      }
    } while (r.more(CH_RBRACE));
  }
  const buf = r.buf;
  let entry: KeyEntry | undefined;
  if (keyStart < 0) entry = km.matchString('');
  // Bytes match only for plain ASCII: other keys may hold bytes that are not
  // UTF-8, which decode to U+FFFD (and a wanted key may contain U+FFFD).
  else if (keyFlags !== 0) entry = km.matchString(stringAt(buf, keyStart, keyEnd, keyFlags));
  else entry = km.match(buf, keyStart, keyEnd);
  if (entry === undefined) return undefined;
  switch (kind) {
    case ANY_STRING:
      kvValue = internedAt(buf, avStart, avEnd, avFlags);
      break;
    case ANY_NONE:
      kvValue = undefined;
      break;
    default:
      kvValue = avScalar;
  }
  return entry;
}

/** What decodeAnyValue found: a string's range and flags, or the bool or number itself. */
let avStart = 0;
let avEnd = 0;
let avFlags = 0;
let avScalar: AttrValue = 0;

/**
 * Reads an AnyValue object and returns which scalar it holds (ANY_NONE for
 * arrays, maps, bytes and empty values). Like the reference, the member of
 * highest precedence that is not null decides, and only it is type-checked.
 */
function decodeAnyValue(r: JsonReader): number {
  let best = ANY_NONE;
  let bestType = T_NULL;
  let seen = 0;
  if (r.openObject()) {
    do {
      const id = ANY.member(r);
      if (id < 0) {
        r.skip();
        continue;
      }
      seen = once(seen, id);
      const type = r.valueType();
      if (type === T_NULL || id > best) {
        r.skip();
        continue;
      }
      best = id;
      bestType = type;
      if (type === T_STRING) {
        r.string();
        avStart = r.strStart;
        avEnd = r.strEnd;
        avFlags = r.strFlags;
      } else if (type === T_NUMBER) {
        r.number();
        avStart = r.numStart;
        avEnd = r.numEnd;
      } else {
        r.skip();
      }
    } while (r.more(CH_RBRACE));
  }
  if (best === ANY_NONE || best === ANY_STRING) {
    if (best === ANY_STRING && bestType !== T_STRING) bail();
    return best;
  }
  const buf = r.buf;
  if (best === ANY_BOOL) {
    if (bestType !== T_TRUE && bestType !== T_FALSE) bail();
    avScalar = bestType === T_TRUE;
  } else if (bestType === T_NUMBER) {
    const v = numberAt(buf, avStart, avEnd);
    if (best === ANY_INT && !Number.isInteger(v)) bail();
    avScalar = v;
  } else if (bestType === T_STRING) {
    avScalar = best === ANY_INT ? intText(buf) : doubleText(stringAt(buf, avStart, avEnd, avFlags));
  } else {
    bail();
  }
  return best;
}

/** An intValue string: an optional minus and digits, converted as Number() does. */
function intText(buf: Buffer): number {
  if (avFlags !== 0) {
    const s = stringAt(buf, avStart, avEnd, avFlags);
    if (!INT_RE.test(s)) bail();
    return Number(s);
  }
  let p = avStart;
  if (p < avEnd && buf[p] === 0x2d) p++;
  if (p === avEnd) bail();
  for (; p < avEnd; p++) if (buf[p] < 48 || buf[p] > 57) bail();
  return numberAt(buf, avStart, avEnd);
}

/** A doubleValue string: proto3 JSON spells non-finite doubles as strings. */
function doubleText(s: string): number {
  if (s === 'NaN') return NaN;
  if (s === 'Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  if (!FLOAT_RE.test(s)) bail();
  return Number(s);
}

/** A non-scalar value still overrides: the effective attribute is one we do not keep. */
function applyAttr(attrs: Map<string, AttrValue>, key: string, value: AttrValue | undefined): void {
  if (value === undefined) attrs.delete(key);
  else attrs.set(key, value);
}
