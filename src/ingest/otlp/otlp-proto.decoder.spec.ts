/** Hand-built wire-format edge cases for the protobuf decoder. */
import type { SpanRecord } from '../../kernel/span.model.js';
import { decodeTraceRequestProto, ProtoDecodeError } from './otlp-proto.decoder.js';
import { varint } from '../../../test/support/proto-writer.js';

// ---- tiny test-only encoder -------------------------------------------------
type Part = number[] | Uint8Array;
const cat = (...parts: Part[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const tag = (field: number, wire: number) => varint((BigInt(field) << 3n) | BigInt(wire));
const len = (field: number, ...payload: Part[]): Uint8Array => {
  const body = cat(...payload);
  return cat(tag(field, 2), varint(body.length), body);
};
const str = (field: number, s: string) => len(field, Buffer.from(s, 'utf8'));
const vint = (field: number, v: bigint | number) => [...tag(field, 0), ...varint(v)];
const fixed = (field: number, wire: 1 | 5, write: (b: Buffer) => unknown) => {
  const b = Buffer.alloc(wire === 1 ? 8 : 4);
  write(b);
  return [...tag(field, wire), ...b];
};
const fixed64 = (field: number, v: bigint) => fixed(field, 1, (b) => b.writeBigUInt64LE(v));
const dbl = (field: number, v: number) => fixed(field, 1, (b) => b.writeDoubleLE(v));
const fixed32 = (field: number, v: number) => fixed(field, 5, (b) => b.writeUInt32LE(v));

// OTLP shapes (field numbers from trace.proto / common.proto / resource.proto).
const anyStr = (s: string) => str(1, s);
const anyInt = (v: bigint | number) => vint(3, v);
const kv = (key: string, value: Part) => cat(str(1, key), len(2, value));
const resource = (...attrs: Uint8Array[]) => len(1, ...attrs.map((a) => len(1, a)));
const scopeSpans = (...spans: Part[]) => len(2, len(1, str(1, 'scope'), str(2, '1.0')), ...spans.map((s) => len(2, s)), str(3, 'https://schema'));
const resourceSpans = (...parts: Part[]) => len(1, ...parts);
const request = (...rs: Part[]) => cat(...rs);
/** Unknown fields of every wire type, including a 10-byte varint and the largest field number. */
const unknowns = () => cat(vint(50, 1), vint(51, -1n), fixed64(52, 7n), len(53, [1, 2, 3]), fixed32(54, 9), vint(536870911, 5), len(55));

const T0 = 1_700_000_000_123_456_789n;
const msOf = (ns: bigint) => Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
const TRACE = '0af7651916cd43dd8448eb211c80319c';

const fullSpan = (extra: Part = []) =>
  cat(
    len(1, Buffer.from(TRACE, 'hex')),
    len(2, Buffer.from('b7ad6b7169203331', 'hex')),
    str(3, 'ot=th:8'),
    len(4, Buffer.from('00f067aa0ba902b7', 'hex')),
    str(5, 'GET /orders'),
    vint(6, 2),
    fixed64(7, T0),
    fixed64(8, T0 + 1_500_000n),
    len(9, kv('http.route', anyStr('/orders'))),
    len(9, kv('url.path', anyStr('/orders/1'))),
    vint(10, 3),
    len(11, fixed64(1, T0), str(2, 'event'), len(3, kv('http.route', anyStr('nope')))),
    len(13, len(1, Buffer.alloc(16, 1)), len(2, Buffer.alloc(8, 2))),
    len(15, str(2, 'boom'), vint(3, 2)),
    fixed32(16, 0x301),
    extra,
  );
const fullRecord = (over: Partial<SpanRecord> = {}): SpanRecord => ({
  service: 'checkout',
  name: 'GET /orders',
  kind: 2,
  startMs: msOf(T0),
  durationMs: 1.5,
  statusCode: 2,
  traceId: TRACE,
  traceState: 'ot=th:8',
  attributes: new Map<string, string | number | boolean>([
    ['deployment.environment', 'prod'],
    ['http.route', '/orders'],
  ]),
  ...over,
});
const validRequest = () =>
  request(
    resourceSpans(resource(kv('service.name', anyStr('checkout')), kv('deployment.environment', anyStr('prod'))), scopeSpans(fullSpan(), fullSpan())),
    resourceSpans(resource(kv('service.name', anyStr('cart'))), scopeSpans(fullSpan()), str(3, 'https://schema')),
  );

const wanted = { keys: new Set(['http.route', 'deployment.environment', 'v']) };
const decode = (b: Uint8Array) => decodeTraceRequestProto(b, wanted).spans;
const decodeOne = (span: Part, res: Uint8Array = resource(kv('service.name', anyStr('checkout')))) => {
  const spans = decode(request(resourceSpans(res, scopeSpans(span))));
  expect(spans).toHaveLength(1);
  return spans[0];
};
const valueOf = (anyValue: Part) => decodeOne(len(9, kv('v', anyValue)), resource()).attributes.get('v');
const expectDecodeError = (b: Uint8Array, message?: RegExp) => {
  let err: unknown;
  try {
    decode(b);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ProtoDecodeError);
  if (message) expect((err as Error).message).toMatch(message);
};

/** Offsets where a top-level field ends: truncating there leaves a shorter but valid request. */
function topLevelBoundaries(b: Uint8Array): Set<number> {
  const out = new Set([0]);
  let p = 0;
  const rd = () => {
    let v = 0;
    for (let s = 0; ; s += 7) {
      const x = b[p++];
      v += (x & 0x7f) * 2 ** s;
      if (x < 0x80) return v;
    }
  };
  while (p < b.length) {
    const t = rd();
    if ((t & 7) === 2) {
      const n = rd(); // not `p += rd()`: that would add to p as it was before rd() advanced it
      p += n;
    } else if ((t & 7) === 0) rd();
    else p += (t & 7) === 1 ? 8 : 4;
    out.add(p);
  }
  return out;
}

/** AnyValue nested `levels` deep (kvlist or array), written back to front so it costs O(size). */
function deeplyNested(levels: number, kind: 'kvlist' | 'array'): Uint8Array {
  const buf = new Uint8Array(levels * 20 + 16);
  let pos = buf.length;
  const prepend = (bytes: number[]) => {
    pos -= bytes.length;
    buf.set(bytes, pos);
  };
  // Number arithmetic here: BigInt varints would dominate the test's run time.
  const wrap = (field: number) => {
    const bytes = [(field << 3) | 2];
    for (let n = buf.length - pos; ; n = Math.floor(n / 128)) {
      bytes.push(n >= 128 ? (n % 128) | 0x80 : n);
      if (n < 128) break;
    }
    prepend(bytes);
  };
  const key = [...str(1, 'k')];
  prepend([...anyStr('leaf')]);
  for (let i = 0; i < levels; i++) {
    if (kind === 'kvlist') {
      wrap(2); // KeyValue.value
      prepend(key); // KeyValue.key
      wrap(1); // KeyValueList.values
      wrap(6); // AnyValue.kvlist_value
    } else {
      wrap(1); // ArrayValue.values
      wrap(5); // AnyValue.array_value
    }
  }
  return buf.subarray(pos);
}

/** Deterministic PRNG so a fuzz failure reproduces. */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('decodeTraceRequestProto', () => {
  it('decodes every SpanRecord field and skips events, links, ids and flags', () => {
    const spans = decode(validRequest());
    expect(spans).toEqual([fullRecord(), fullRecord(), fullRecord({ service: 'cart', attributes: new Map([['http.route', '/orders']]) })]);
  });

  it('returns no spans for an empty request and defaults for an empty span', () => {
    expect(decode(new Uint8Array(0))).toEqual([]);
    expect(decode(request(resourceSpans()))).toEqual([]);
    expect(decodeOne([], resource())).toEqual({
      service: '', name: '', kind: 0, startMs: NaN, durationMs: NaN, statusCode: 0, traceId: '', traceState: '', attributes: new Map(),
    });
  });

  it('skips unknown fields of every wire type at every level', () => {
    const u = unknowns();
    const noisy = request(
      u,
      resourceSpans(
        u,
        len(1, u, len(1, u, str(1, 'service.name'), u, len(2, u, anyStr('checkout'), u)), u, len(1, kv('deployment.environment', anyStr('prod')))),
        len(2, u, len(1, str(1, 'scope'), u), len(2, fullSpan(cat(u, len(15, u, vint(3, 2), u), len(9, u, kv('http.route', cat(u, anyStr('/orders'), u)))))), u),
        u,
      ),
      u,
    );
    expect(decode(noisy)).toEqual([fullRecord()]);
  });

  it('accepts fields in any order, including resource after scope_spans and value before key', () => {
    const span = cat(
      len(15, vint(3, 1), str(2, 'ok')),
      len(9, len(2, anyInt(7)), str(1, 'v')),
      fixed64(8, T0 + 2n),
      str(5, 'late-name'),
      vint(6, 3),
      fixed64(7, T0),
      len(1, Buffer.from(TRACE, 'hex')),
    );
    const spans = decode(request(resourceSpans(scopeSpans(span), resource(kv('service.name', anyStr('svc'))))));
    expect(spans).toEqual([
      { service: 'svc', name: 'late-name', kind: 3, startMs: msOf(T0), durationMs: 0.000002, statusCode: 1, traceId: TRACE, traceState: '', attributes: new Map([['v', 7]]) },
    ]);
  });

  it('lets the last occurrence of a scalar win and merges repeated messages', () => {
    const span = cat(str(5, 'first'), str(5, 'second'), vint(6, 1), vint(6, 4), fixed64(7, 5n), fixed64(7, T0), len(15, vint(3, 2)), len(15, str(2, 'no code')));
    const res = cat(resource(kv('service.name', anyStr('a'))), resource(kv('service.name', anyStr('b')), kv('v', anyStr('res'))));
    const rec = decode(request(resourceSpans(res, scopeSpans(cat(span, len(9, kv('v', anyStr('x'))), len(9, kv('v', anyStr('y'))))))))[0];
    expect(rec).toMatchObject({ service: 'b', name: 'second', kind: 4, startMs: msOf(T0), statusCode: 2 });
    expect(rec.attributes).toEqual(new Map([['v', 'y']]));
  });

  it('treats a known field with an unexpected wire type as unknown', () => {
    expect(decodeOne(cat(vint(5, 7), fixed32(6, 2), str(7, 'x'), str(5, 'kept')))).toMatchObject({ name: 'kept', kind: 0, startMs: NaN });
  });

  it('decodes every scalar AnyValue and drops arrays, maps and bytes', () => {
    expect(valueOf(anyStr(''))).toBe('');
    expect(valueOf(anyStr('ünïcödé 😀'))).toBe('ünïcödé 😀');
    expect(valueOf(vint(2, 1))).toBe(true);
    expect(valueOf(vint(2, 0))).toBe(false);
    expect(valueOf(anyInt(-1))).toBe(-1);
    expect(valueOf(anyInt(2n ** 53n - 1n))).toBe(2 ** 53 - 1);
    expect(valueOf(dbl(4, -0.1))).toBe(-0.1);
    expect(valueOf(dbl(4, Infinity))).toBe(Infinity);
    expect(valueOf(len(5, len(1, anyStr('a'))))).toBeUndefined();
    expect(valueOf(len(6, len(1, kv('a', anyStr('b')))))).toBeUndefined();
    expect(valueOf(len(7, [1, 2]))).toBeUndefined();
    expect(valueOf([])).toBeUndefined();
    // oneof: the last member on the wire wins
    expect(valueOf(cat(anyStr('s'), anyInt(3)))).toBe(3);
    expect(valueOf(cat(anyInt(3), len(5)))).toBeUndefined();
  });

  it('lets a non-scalar span attribute hide a wanted resource attribute', () => {
    const res = resource(kv('service.name', anyStr('s')), kv('deployment.environment', anyStr('prod')), kv('http.route', anyStr('/r')));
    const rec = decodeOne(cat(len(9, kv('deployment.environment', len(5))), len(9, kv('http.route', anyStr('/span')))), res);
    expect(rec.attributes).toEqual(new Map([['http.route', '/span']]));
  });

  it('reads service.name only as a string resource attribute', () => {
    expect(decodeOne([], resource(kv('service.name', anyInt(5)))).service).toBe('');
    expect(decodeOne(len(9, kv('service.name', anyStr('span-level'))), resource()).service).toBe('');
    expect(decodeOne([], resource(kv('service.name', anyStr('x')), kv('service.name', len(5)))).service).toBe('');
  });

  it('converts timestamps exactly and flags absent ones', () => {
    const max = 2n ** 64n - 1n;
    expect(decodeOne(cat(fixed64(7, max), fixed64(8, max)))).toMatchObject({ startMs: msOf(max), durationMs: 0 });
    expect(decodeOne(cat(fixed64(7, T0), fixed64(8, T0 + 86_400_000_000_123n)))).toMatchObject({ durationMs: 86_400_000.000123 });
    expect(decodeOne(cat(fixed64(7, T0), fixed64(8, T0 - 250_000n)))).toMatchObject({ durationMs: -0.25 });
    expect(decodeOne(fixed64(7, T0)).durationMs).toBeLessThan(0);
    expect(decodeOne(fixed64(8, T0))).toMatchObject({ startMs: NaN, durationMs: NaN });
  });

  it('keeps enum values as sent, including negative and out-of-range ones', () => {
    expect(decodeOne(cat(vint(6, -1), len(15, vint(3, 99))))).toMatchObject({ kind: -1, statusCode: 99 });
  });

  it('decodes strings and trace ids correctly when caches would collide', () => {
    // Same length and same first/middle/last bytes: these share an intern slot.
    const names = ['a0m0z', 'a1m1z', 'a0m1z', 'a1m0z', 'a0m0z', 'ä0m0z', 'ä0m0z', 'x'.repeat(200)];
    const ids = [TRACE, TRACE, `ff${TRACE.slice(2)}`, TRACE, 'ab', ''];
    const spans = [...names.map((n) => str(5, n)), ...ids.map((id) => len(1, Buffer.from(id, 'hex')))];
    const recs = decode(request(resourceSpans(scopeSpans(...spans))));
    expect(recs.map((r) => r.name)).toEqual([...names, ...ids.map(() => '')]);
    expect(recs.map((r) => r.traceId)).toEqual([...names.map(() => ''), ...ids]);
  });

  it.each([3, 4, 6, 7])('rejects wire type %i at every nesting level', (wire) => {
    const bad = [...tag(60, wire), 0, 0, 0, 0, 0, 0, 0, 0];
    expectDecodeError(request(bad), /wire type/);
    expectDecodeError(request(resourceSpans(bad)), /wire type/);
    expectDecodeError(request(resourceSpans(resource(cat(str(1, 'k'), bad)))), /wire type/);
    expectDecodeError(request(resourceSpans(scopeSpans(cat(str(5, 'n'), bad)))), /wire type/);
    expectDecodeError(request(resourceSpans(scopeSpans(len(9, kv('v', bad))))), /wire type/);
  });

  it('rejects field number 0 and inner fields overrunning their message', () => {
    expectDecodeError(request([0, 1]), /field number 0/);
    // The span claims 2 bytes, but its name field needs 4.
    expectDecodeError(request(resourceSpans(len(2, [...tag(2, 2), 2, ...tag(5, 2), 2, 0x61, 0x62]))), /overruns/);
  });

  it('throws ProtoDecodeError for every truncation that is not a top-level boundary', () => {
    const full = validRequest();
    const ok = topLevelBoundaries(full);
    expect(ok.size).toBe(3);
    for (let k = 0; k < full.length; k++) {
      if (ok.has(k)) expect(decode(full.subarray(0, k))).toHaveLength(k === 0 ? 0 : 2);
      else expectDecodeError(full.subarray(0, k));
    }
  });

  it('either decodes or throws ProtoDecodeError on random and mutated input', () => {
    const rnd = xorshift(42);
    const base = validRequest();
    const check = (b: Uint8Array) => {
      try {
        for (const r of decode(b)) expect(r.attributes).toBeInstanceOf(Map);
      } catch (e) {
        if (!(e instanceof ProtoDecodeError)) throw e;
      }
    };
    for (let i = 0; i < 3000; i++) {
      check(Uint8Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)));
      const m = Uint8Array.from(base);
      for (let j = 1 + Math.floor(rnd() * 4); j > 0; j--) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
      check(m);
    }
  });

  it('skips 100k levels of nested kvlist/array values without recursing', () => {
    for (const kind of ['kvlist', 'array'] as const) {
      expect(decodeOne(len(9, kv('http.route', deeplyNested(0, kind)))).attributes.get('http.route')).toBe('leaf');
      const deep = deeplyNested(100_000, kind);
      const res = resource(kv('service.name', anyStr('s')), kv('deployment.environment', deep), kv('unwanted', deep));
      const rec = decodeOne(cat(len(9, kv('http.route', deep)), len(9, kv('other', deep)), str(5, 'after')), res);
      expect(rec).toMatchObject({ service: 's', name: 'after', attributes: new Map() });
    }
  });
});
