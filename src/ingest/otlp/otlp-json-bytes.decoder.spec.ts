/**
 * The byte-level OTLP/JSON decoder against its reference, JSON.parse +
 * decodeTraceRequestJson: randomized requests (any member order, unknown
 * members with nested junk, escapes, unicode, bytes that are not UTF-8,
 * numbers in every JSON spelling, snake_case names, nulls, duplicates, wrong
 * types), byte mutations and truncations of valid bodies, and hostile input.
 * Both must agree on accept or reject, on the records and on the error.
 */
import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../../common/errors.js';
import type { SpanRecord } from '../../kernel/span.model.js';
import { decodeTraceRequestJsonBody, OtlpJsonError, readTraceRequestJson } from './otlp-json-bytes.decoder.js';
import { decodeTraceRequestJson } from './otlp-json.decoder.js';
import type { AttributeWanted } from './otlp.types.js';
import { seededRandom } from '../../../test/support/random.js';

/** Stands for a byte sequence that is not UTF-8; replaced after encoding (see encode()). */
const BAD_UTF8 = '\uE000';
const WANTED_KEYS = ['http.route', 'n', 'f', 'b', 'deployment.environment', 'ключ', 'emoji😀', '', 'lone\ud800', 'bad\ufffdkey'];
const WANTED: AttributeWanted[] = [{ keys: new Set(WANTED_KEYS) }, { keys: new Set([...WANTED_KEYS, 'service.name']) }, { keys: new Set() }];

type Outcome = { ok: true; spans: unknown[] } | { ok: false; error: string };

/** Records with attributes as entry lists, so insertion order counts too. */
const norm = (spans: SpanRecord[]) => spans.map((s) => ({ ...s, attributes: [...s.attributes] }));

function reference(body: Buffer, wanted: AttributeWanted): Outcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  try {
    return { ok: true, spans: norm(decodeTraceRequestJson(parsed, wanted).spans) };
  } catch (e) {
    if (e instanceof OtlpJsonError) return { ok: false, error: e.message };
    throw e;
  }
}

function subject(body: Buffer, wanted: AttributeWanted): Outcome {
  try {
    return { ok: true, spans: norm(decodeTraceRequestJsonBody(body, wanted).spans) };
  } catch (e) {
    if (e instanceof OtlpJsonError) return { ok: false, error: e.message };
    if (e instanceof AppError && e.status === 400 && e.message === 'request body is not valid JSON') return { ok: false, error: 'not JSON' };
    throw e;
  }
}

/** Strict equality (Object.is on numbers: -0 is not 0, NaN is NaN); Jest only renders the difference. */
function same(got: Outcome, want: Outcome): void {
  if (!isDeepStrictEqual(got, want)) expect(got).toStrictEqual(want);
}

/** Checks one body under every wanted set; returns whether the fast path decoded it. */
function check(body: Buffer): boolean {
  let fastCount = 0;
  for (const wanted of WANTED) {
    const ref = reference(body, wanted);
    const fast = readTraceRequestJson(body, wanted);
    if (fast !== undefined) {
      fastCount++;
      same({ ok: true, spans: norm(fast.spans) }, ref);
    }
    same(subject(body, wanted), ref);
  }
  // Which keys are wanted never decides whether the fast path can read a body.
  expect([0, WANTED.length]).toContain(fastCount);
  return fastCount > 0;
}

// A JSON document as a tree, serialized with random spacing and escapes.
type Node = { t: 'obj'; m: [string, Node][] } | { t: 'arr'; v: Node[] } | { t: 'str'; s: string } | { t: 'raw'; text: string };
const obj = (m: [string, Node][]): Node => ({ t: 'obj', m });
const arr = (v: Node[]): Node => ({ t: 'arr', v });
const str = (s: string): Node => ({ t: 'str', s });
const raw = (text: string): Node => ({ t: 'raw', text });
const NULL = raw('null');

function makeGen(seed: number, messy: boolean) {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const chance = (p: number) => rnd() < p;
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  /** Probability of each kind of mischief (wrong type, duplicate, shuffled order); messy bodies get a little or a lot. */
  const level = messy ? [0.05, 0.2, 1][int(3)] : 0;
  const bad = (p: number) => chance(p * level);

  const texts = ['', 'GET /cart', 'ünïcödé', '😀 emoji', 'quote " and \\ backslash', 'line\nbreak\ttab', '\u0000nul\u001f', '\u2028\u2029', 'x'.repeat(70), '/api/{id}', `v${int(9)}`];
  const text = () => (chance(0.1) ? pick(['lone \ud800 high', 'lone \udc00 low', `bad${BAD_UTF8}utf8`, `${BAD_UTF8}`]) : pick(texts));
  const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 && n > 1 ? 1 + int(9) : int(10))).join('');
  const intText = () => pick(['0', '-0', '7', '-42', '200', '9007199254740993', '-9223372036854775808', '123456789012345678901', digits(1 + int(18))]);
  const floatText = () => pick(['1e3', '1E+2', '2.0', '2.50', '0.5', '-0.0', '1e-7', '-1.5e300', '1e400', '-1e400', '5e-324', '0.1', `${int(1000)}.${int(1000)}`]);
  const number = () => raw(chance(0.5) ? intText() : floatText());
  const junk = (depth: number): Node => {
    const r = int(depth > 3 ? 4 : 7);
    if (r === 0) return str(text());
    if (r === 1) return number();
    if (r === 2) return raw(pick(['true', 'false', 'null']));
    if (r === 3) return str(pick(['spans', 'resource', '{"a":[1]}']));
    if (r === 4) return arr(Array.from({ length: int(4) }, () => junk(depth + 1)));
    // Objects of junk may reuse OTLP names: they must not be taken for OTLP.
    const names = ['a', 'spans', 'resource', 'attributes', 'key', 'value', 'stringValue', 'resourceSpans', 'na\\me'];
    return obj(Array.from({ length: int(4) }, (): [string, Node] => [pick(names), junk(depth + 1)]));
  };

  /**
   * Adds the member `camel` (or its `snake` spelling) with a valid value;
   * messy bodies sometimes leave it out, make it null or of a wrong type,
   * or give it twice.
   */
  const member = (m: [string, Node][], camel: string, snake: string | undefined, value: () => Node, absent = 0.1) => {
    const name = () => (snake !== undefined && chance(0.25) ? snake : camel);
    if (chance(absent)) return;
    m.push([name(), chance(0.05) ? NULL : bad(0.03) ? junk(2) : value()]);
    if (bad(0.03)) m.push([pick([camel, snake ?? camel]), chance(0.3) ? NULL : value()]);
  };
  /** Unknown members at random places, and (messy) shuffled member order. */
  const finish = (m: [string, Node][], unknown: string[]): Node => {
    for (const name of unknown) if (chance(0.4)) m.splice(int(m.length + 1), 0, [name, junk(0)]);
    if (bad(0.2)) {
      for (let i = m.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [m[i], m[j]] = [m[j], m[i]];
      }
    }
    return obj(m);
  };

  const hexId = () => {
    let s = Array.from({ length: 32 }, () => '0123456789abcdef'[int(16)]).join('');
    if (chance(0.2)) s = s.toUpperCase();
    if (bad(0.1)) s = pick([s.slice(1), `${s.slice(2)}zz`, s.slice(0, 2) + 'é' + s.slice(3)]);
    return str(s);
  };
  const nanos = () => {
    if (chance(0.7)) return str(pick([`17${digits(17)}`, '0', '000123', digits(1 + int(20)), '1700000000000000000']));
    if (bad(0.2)) return pick([str(''), str('12a'), str('-5'), str(digits(21)), raw('1.5'), raw('-3'), raw('true')]);
    return raw(pick(['1700000000123456', '0', '-0', '1e18', '1.7e18', '5000000', `${int(1e9)}`, '12345678901234567890']));
  };
  const enumValue = (names: string[], max: number) => () => {
    if (chance(0.6)) return raw(pick([`${int(max)}`, `${int(max)}.0`, `${int(max)}e0`, '-0']));
    if (bad(0.2)) return pick([raw('1.5'), str('BOGUS'), str('__proto__'), str('toString'), raw('{}'), raw('false')]);
    return str(pick([...names, `${int(max)}`, '-3', '007']));
  };
  const anyValue = (): Node => {
    const m: [string, Node][] = [];
    // Clean bodies name each member once; messy ones may repeat or respell it.
    const kinds = level > 0 ? Array.from({ length: chance(0.8) ? 1 : 1 + int(3) }, () => int(8)) : [0, 1, 2, 3, 4, 5, 6].filter(() => chance(0.3));
    for (const k of kinds) {
      const spell = (camel: string, snake: string) => (chance(0.2) ? snake : camel);
      if (k === 0) m.push([spell('stringValue', 'string_value'), bad(0.1) ? number() : str(text())]);
      else if (k === 1) m.push([spell('boolValue', 'bool_value'), bad(0.1) ? str('true') : raw(pick(['true', 'false']))]);
      else if (k === 2) m.push([spell('intValue', 'int_value'), chance(0.5) ? raw(intText()) : bad(0.3) ? pick([raw('1.5'), str('1e3'), str('1.0'), str(''), str('-')]) : str(pick([intText(), '007', '-0']))]);
      else if (k === 3) m.push([spell('doubleValue', 'double_value'), chance(0.5) ? number() : bad(0.2) ? str(pick(['abc', '1e', '--1', 'nan'])) : str(pick(['NaN', 'Infinity', '-Infinity', '1.', '.5', '-.5e3', '2.5E-3', '7']))]);
      else if (k === 4) m.push(['arrayValue', obj([['values', arr([obj([['stringValue', str('a')]])])]])]);
      else if (k === 5) m.push(['kvlistValue', obj([['values', arr([obj([['key', str('k')], ['value', junk(1)]])])]])]);
      else if (k === 6) m.push(['bytesValue', str('AAE=')]);
      else m.push([pick(['stringValue', 'intValue', 'boolValue']), NULL]);
    }
    return finish(m, ['unknownValue']);
  };
  const keys = [...WANTED_KEYS, 'service.name', 'service.name', 'url.path', 'http.routf', `bad${BAD_UTF8}key`, 'ключ'];
  const keyValue = (): Node => {
    const m: [string, Node][] = [];
    member(m, 'key', undefined, () => (bad(0.2) ? raw('5') : str(pick(keys))), 0.05);
    member(m, 'value', undefined, () => (bad(0.1) ? pick([arr([]), str('x')]) : anyValue()), 0.05);
    return finish(m, ['extra']);
  };
  const attributes = () => (bad(0.05) ? obj([]) : arr(Array.from({ length: int(6) }, () => (bad(0.02) ? str('x') : keyValue()))));
  const status = () => {
    const m: [string, Node][] = [];
    member(m, 'code', undefined, enumValue(['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'], 3));
    return finish(m, ['message']);
  };
  const span = (): Node => {
    const m: [string, Node][] = [];
    member(m, 'traceId', 'trace_id', hexId);
    member(m, 'spanId', 'span_id', () => str('eee19b7ec3c1b174'));
    member(m, 'traceState', 'trace_state', () => str(pick(['', 'ot=th:c', 'vendor=v1,ot=th:8', text()])));
    member(m, 'name', undefined, () => str(text()));
    member(m, 'kind', undefined, enumValue(['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'], 6));
    member(m, 'startTimeUnixNano', 'start_time_unix_nano', nanos);
    member(m, 'endTimeUnixNano', 'end_time_unix_nano', nanos);
    member(m, 'attributes', undefined, attributes);
    member(m, 'events', undefined, () => arr([obj([['name', str('e')], ['attributes', attributes()]])]));
    member(m, 'status', undefined, status);
    return finish(m, ['links', 'flags', 'droppedAttributesCount', 'parentSpanId']);
  };
  const resource = () => {
    const m: [string, Node][] = [];
    member(m, 'attributes', undefined, attributes);
    return finish(m, ['droppedAttributesCount']);
  };
  const scopeSpans = () => {
    const m: [string, Node][] = [];
    member(m, 'scope', undefined, () => obj([['name', str('s')], ['attributes', attributes()]]));
    member(m, 'spans', undefined, () => arr(Array.from({ length: int(5) }, () => (bad(0.02) ? raw('5') : span()))));
    return finish(m, ['schemaUrl']);
  };
  const resourceSpans = () => {
    const m: [string, Node][] = [];
    member(m, 'resource', undefined, resource);
    member(m, 'scopeSpans', 'scope_spans', () => arr(Array.from({ length: int(3) }, () => (bad(0.02) ? NULL : scopeSpans()))));
    if (chance(0.2)) m.reverse(); // the resource after its spans
    return finish(m, ['schemaUrl']);
  };
  const request = (): Node => {
    if (bad(0.02)) return junk(0);
    const m: [string, Node][] = [];
    member(m, 'resourceSpans', 'resource_spans', () => arr(Array.from({ length: 1 + int(3) }, () => (bad(0.02) ? arr([]) : resourceSpans()))), 0.02);
    return finish(m, ['partialSuccess']);
  };

  // Serialization: random whitespace, optional escapes, any hex case.
  const space = () => (chance(0.8) ? '' : pick([' ', '\n', '\t', '\r\n  ', '   ']));
  const hex4 = (c: number) => {
    const h = c.toString(16).padStart(4, '0');
    return '\\u' + (chance(0.5) ? h : h.toUpperCase());
  };
  const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  const quote = (s: string) => {
    const escapeRate = chance(0.3) ? 0.2 : 0;
    let out = '"';
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      const lone = c >= 0xd800 && c <= 0xdfff;
      if (SHORT[ch] !== undefined && !(c < 0x20 && chance(0.3))) out += SHORT[ch];
      else if (c < 0x20 || lone) out += hex4(c);
      else if (ch === BAD_UTF8 || !chance(escapeRate)) out += ch;
      else if (ch === '/') out += '\\/';
      else if (c > 0xffff) out += hex4(0xd800 + ((c - 0x10000) >> 10)) + hex4(0xdc00 + ((c - 0x10000) & 0x3ff));
      else out += hex4(c);
    }
    return out + '"';
  };
  const serialize = (n: Node): string => {
    if (n.t === 'raw') return n.text;
    if (n.t === 'str') return quote(n.s);
    if (n.t === 'arr') return `[${space()}${n.v.map((x) => serialize(x) + space()).join(`,${space()}`)}]`;
    return `{${space()}${n.m.map(([k, v]) => `${quote(k)}${space()}:${space()}${serialize(v)}${space()}`).join(`,${space()}`)}}`;
  };
  /** UTF-8 bytes, with each BAD_UTF8 replaced by a sequence that is not UTF-8. */
  const encode = (s: string): Buffer => {
    const parts = s.split(BAD_UTF8);
    const bads = [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]];
    return Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [Buffer.from(p)] : [Buffer.from(pick(bads)), Buffer.from(p)])));
  };
  const body = () => encode(space() + serialize(request()) + space());
  return { rnd, int, pick, body };
}

/** Damages a body: truncation, a byte replaced, inserted or removed. */
function mutate(body: Buffer, rnd: () => number): Buffer {
  const int = (n: number) => Math.floor(rnd() * n);
  const bytes = [...'"{}[],:\\0e-+. tn'].map((c) => c.charCodeAt(0)).concat([0x80, 0xff, 0x00, 0x1f, 0xc3]);
  const b = [...body];
  for (let k = 1 + int(3); k > 0; k--) {
    const i = int(b.length + 1);
    const byte = rnd() < 0.7 ? bytes[int(bytes.length)] : int(256);
    const r = int(4);
    if (r === 0) return Buffer.from(b.slice(0, i));
    if (r === 1) b[Math.min(i, b.length - 1)] = byte;
    else if (r === 2) b.splice(i, 0, byte);
    else b.splice(i, 1);
  }
  return Buffer.from(b);
}

describe('decodeTraceRequestJsonBody vs JSON.parse + decodeTraceRequestJson', () => {
  it('reads every well-formed request on the fast path, with the reference records', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const body = makeGen(seed, false).body();
      if (!check(body)) throw new Error(`seed ${seed}: the fast path bailed on ${body.toString('utf8').slice(0, 2000)}`);
    }
  });

  it('agrees on messy requests: duplicates, both spellings, wrong types, shuffled members', () => {
    let fast = 0;
    let rejected = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const body = makeGen(seed, true).body();
      if (check(body)) fast++;
      if (!reference(body, WANTED[0]).ok) rejected++;
    }
    // The mix exercises both paths and both verdicts (about 430 / 480 / 90 at these seeds).
    expect(fast).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
    expect(1000 - fast - rejected).toBeGreaterThan(50);
  });

  it('agrees on truncated and corrupted bodies', () => {
    const rnd = seededRandom(77);
    let rejected = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const body = makeGen(seed, false).body();
      for (let i = 0; i < 10; i++) {
        const damaged = mutate(body, rnd);
        check(damaged);
        if (!reference(damaged, WANTED[0]).ok) rejected++;
      }
    }
    // About 1,640 of the 2,000 damaged bodies are refused, the rest were damaged inside strings and the like.
    expect(rejected).toBeGreaterThan(1000);
  });

  it('agrees on every prefix of a body', () => {
    const body = makeGen(5, false).body();
    for (let k = 0; k <= body.length; k++) check(body.subarray(0, k));
  });
});

const TRACE = '5b8efff798038103d269b633813fc60c';
const spanJson = (extra = '') =>
  `{"traceId":"${TRACE}","name":"GET /cart","kind":2,"startTimeUnixNano":"1700000000123456789","endTimeUnixNano":"1700000000373456790",` +
  `"attributes":[{"key":"http.route","value":{"stringValue":"/cart"}}]${extra}}`;
const requestJson = (spans: string, resource = '{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]}') =>
  `{"resourceSpans":[{"resource":${resource},"scopeSpans":[{"spans":[${spans}]}]}]}`;

describe('decodeTraceRequestJsonBody on hostile input', () => {
  const wanted = WANTED[0];

  it('skips 100,000-deep nesting in unknown members and values without recursion', () => {
    const depth = 100_000;
    const deep = '['.repeat(depth) + ']'.repeat(depth);
    const deepObj = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    let kv = '{"stringValue":"leaf"}';
    for (let i = 0; i < depth; i++) kv = `{"kvlistValue":{"values":[{"key":"k","value":${kv}}]}}`;
    const attrs = `,"attributes":[{"key":"http.route","value":{"stringValue":"/cart"}},{"key":"n","value":${kv}},{"key":"other","value":${kv}}]`;
    const span = spanJson(`,"junk":${deep},"more":${deepObj}`).replace(/,"attributes":\[.*\]/, attrs);
    const body = Buffer.from(requestJson(span, `{"attributes":[{"key":"deployment.environment","value":${kv}}]}`));
    const got = readTraceRequestJson(body, wanted);
    expect(got?.spans.map((s) => s.attributes)).toEqual([new Map([['http.route', '/cart']])]);
    check(body);
  });

  it('refuses unbalanced or mismatched deep nesting with a 400', () => {
    const depth = 100_000;
    for (const junk of ['['.repeat(depth), '['.repeat(depth) + ']'.repeat(depth - 1) + '}', '{"a":'.repeat(depth) + '1' + '}'.repeat(depth - 1) + ']']) {
      const body = Buffer.from(requestJson(spanJson(`,"junk":${junk}`)));
      expect(readTraceRequestJson(body, wanted)).toBeUndefined();
      expect(subject(body, wanted)).toEqual({ ok: false, error: 'not JSON' });
    }
    const top = Buffer.from('['.repeat(1_000_000));
    expect(subject(top, wanted)).toEqual({ ok: false, error: 'not JSON' });
    const topValid = Buffer.from('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    expect(subject(topValid, wanted)).toEqual({ ok: false, error: '(request): expected object' });
  });

  it('reads huge strings, escaped or not', () => {
    const huge = 'x'.repeat(4 << 20);
    const escaped = '\\u00e9\\n'.repeat(1 << 19);
    const body = Buffer.from(requestJson(spanJson(`,"junk":"${huge}","junk2":"${escaped}"`).replace('"GET /cart"', `"${huge}"`)));
    const got = readTraceRequestJson(body, wanted)!.spans;
    expect(got[0].name).toBe(huge);
    check(body);
    const unterminated = Buffer.from(requestJson(spanJson()).slice(0, 40) + huge);
    expect(subject(unterminated, wanted)).toEqual({ ok: false, error: 'not JSON' });
  });

  it('decodes bytes that are not UTF-8 inside strings as U+FFFD and refuses them elsewhere', () => {
    // The placeholder byte 0x01 is swapped for bytes that are not UTF-8.
    const inString = Buffer.from(requestJson(spanJson()).replace('GET /cart', 'GET \u0001'));
    const i = inString.indexOf(0x01);
    const body = Buffer.concat([inString.subarray(0, i), Buffer.from([0xff, 0xc3, 0xed, 0xa0, 0x80]), inString.subarray(i + 1)]);
    expect(readTraceRequestJson(body, wanted)!.spans[0].name).toBe(JSON.parse(body.toString('utf8')).resourceSpans[0].scopeSpans[0].spans[0].name);
    check(body);
    const outside = Buffer.concat([Buffer.from(requestJson(spanJson()).slice(0, -1)), Buffer.from([0xff, 0x7d])]);
    expect(subject(outside, wanted)).toEqual({ ok: false, error: 'not JSON' });
    check(outside);
  });

  it('refuses a UTF-8 byte order mark, as JSON.parse does', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(requestJson(spanJson()))]);
    expect(subject(body, wanted)).toEqual({ ok: false, error: 'not JSON' });
  });

  it('decodes escapes in member names, keys and values, surrogate pairs included', () => {
    const body = Buffer.from(
      '{"resource\\u0053pans":[{"scope\\u0053pans":[{"spans":[{"tr\\u0061ceId":"5B8EFFF798038103D269B633813FC6\\u0030c",' +
        '"name":"\\ud83d\\ude00 \\u00e9\\/","startTimeUnixNano":"17000000001234567\\u0038\\u0039",' +
        '"attributes":[{"key":"emoji\\ud83d\\ude00","value":{"stringValue":"\\ud800"}},{"key":"lone\\ud800","value":{"intValue":"-\\u0037"}}]}]}]}]}',
    );
    const [span] = readTraceRequestJson(body, wanted)!.spans;
    expect(span).toMatchObject({ traceId: TRACE, name: '😀 é/', startMs: 1700000000123.456789 });
    expect(span.attributes).toEqual(new Map<string, string | number>([['emoji😀', '\ud800'], ['lone\ud800', -7]]));
    check(body);
  });

  it('takes the resource that follows its spans', () => {
    const body = Buffer.from(
      `{"resourceSpans":[{"scopeSpans":[{"spans":[${spanJson()}]}],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late"}}]}}]}`,
    );
    expect(readTraceRequestJson(body, wanted)!.spans[0].service).toBe('late');
    check(body);
  });
});
