import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { useTestApp } from './support/test-app.js';

describe('ingest rejects bad input precisely and stays up', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50', MAX_BODY_BYTES: String(64 * 1024) });
  const now = Date.now();

  const post = (path: string, type: string, body: Buffer | string, encoding?: string) => {
    const r = request(t.server).post(path).set('Content-Type', type);
    if (encoding) r.set('Content-Encoding', encoding);
    // Send the bytes as they are: superagent would JSON-encode a Buffer body of a JSON type.
    return r.serialize((x: unknown) => x as string).send(body);
  };

  async function storedCalls(): Promise<number> {
    const [row] = await t.dataSource.query(`SELECT COALESCE(SUM(calls), 0) AS n FROM red_minute`);
    return Number(row.n);
  }

  it('415 for other content types', async () => {
    const res = await post('/v1/traces', 'text/plain', 'hello').expect(415);
    expect(res.body.message).toContain('application/x-protobuf');
    await post('/api/v1/spans', 'application/xml', '<x/>').expect(415);
  });

  it('400 for random and truncated protobuf, as a protobuf google.rpc.Status', async () => {
    for (let i = 0; i < 50; i++) {
      const res = await post('/v1/traces', 'application/x-protobuf', randomBytes(1 + (i % 40) * 7));
      // Random bytes sometimes form a valid (if meaningless) message; never anything but 200 or 400.
      expect([200, 400]).toContain(res.status);
      if (res.status === 400) expect(res.headers['content-type']).toContain('application/x-protobuf');
    }
    // A length prefix that runs past the end is always undecodable.
    await post('/v1/traces', 'application/x-protobuf', Buffer.from([0x0a, 0x20, 0x01])).expect(400);
  });

  it('200 with nothing stored for an empty request', async () => {
    const res = await post('/v1/traces', 'application/x-protobuf', Buffer.alloc(0)).expect(200);
    expect(res.body.length ?? 0).toBe(0);
    await post('/v1/traces', 'application/json', '{}').expect(200);
  });

  it('400 for invalid JSON and wrongly typed OTLP/JSON', async () => {
    const bad = await post('/v1/traces', 'application/json', '{"resourceSpans": [').expect(400);
    expect(bad.body.message).toMatch(/JSON/);
    const typed = await post('/v1/traces', 'application/json', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 7 }] }] }] })).expect(400);
    expect(typed.body.message).toMatch(/spans\[0\]\.name/);
  });

  it('413 for bodies over the cap, and for gzip bombs, without inflating them whole', async () => {
    await post('/v1/traces', 'application/x-protobuf', Buffer.alloc(65 * 1024, 0x0a)).expect(413);
    // 200 MB of zeros compresses to ~200 kB; the cap stops decompression at 64 kB.
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
    const before = process.memoryUsage().rss;
    await post('/v1/traces', 'application/x-protobuf', bomb, 'gzip').expect(413);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    await post('/v1/traces', 'application/x-protobuf', Buffer.from('not gzip'), 'gzip').expect(400);
    await post('/v1/traces', 'application/x-protobuf', Buffer.from('x'), 'br').expect(415);
  });

  it('accepts gzip-compressed JSON', async () => {
    const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gz' } }] },
          scopeSpans: [{ spans: [{ name: 'op', kind: 2, startTimeUnixNano: ns(now - 500), endTimeUnixNano: ns(now - 400), unknownField: { x: 1 } }] }],
        },
      ],
    };
    const res = await post('/v1/traces', 'application/json', gzipSync(JSON.stringify(body)), 'gzip');
    expect(res.body).toEqual({});
    expect(res.status).toBe(200);
    expect(await storedCalls()).toBe(1);
  });

  it('does not overflow the stack on deeply nested attribute values', async () => {
    // Built as text: JSON.stringify itself would recurse this deep.
    const depth = 5000;
    const value = '{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth) + '{"stringValue":"leaf"}' + '}]}}'.repeat(depth);
    const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'nested' } }] },
          scopeSpans: [{ spans: [{ name: 'op', kind: 2, startTimeUnixNano: ns(now), endTimeUnixNano: ns(now + 1), attributes: [{ key: 'deep', value: 'PLACEHOLDER' }] }] }],
        },
      ],
    }).replace('"PLACEHOLDER"', value);
    // JSON.parse itself handles this depth; the decoder must skip it, not recurse into it.
    const res = await post('/v1/traces', 'application/json', body);
    expect([200, 400, 413]).toContain(res.status);
    await request(t.server).get('/healthz').expect(200);
  });

  it('reads OTLP/JSON from its bytes as JSON.parse would: deep nesting, bytes that are not UTF-8', async () => {
    const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
    const span = `{"name":"op","kind":2,"startTimeUnixNano":"${ns(now)}","endTimeUnixNano":"${ns(now + 1)}","junk":JUNK}`;
    const body = (junk: string) =>
      Buffer.from(`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"hostile"}}]},"scopeSpans":[{"spans":[${span.replace('JUNK', junk)}]}]}]}`);
    await post('/v1/traces', 'application/json', body('['.repeat(30_000) + ']'.repeat(30_000))).expect(200);
    const unbalanced = await post('/v1/traces', 'application/json', body('['.repeat(60_000))).expect(400);
    expect(unbalanced.body.message).toBe('request body is not valid JSON');
    // Inside a string such bytes become U+FFFD (as Buffer#toString makes them); anywhere else they are an error.
    const name = body('"x"');
    const at = name.indexOf('"op"') + 1;
    name[at] = 0xff;
    await post('/v1/traces', 'application/json', name).expect(200);
    const outside = body('"x"');
    outside[outside.indexOf('"x"')] = 0xff;
    await post('/v1/traces', 'application/json', outside).expect(400);
    await request(t.server).get('/healthz').expect(200);
  });

  it('validates span summaries field by field', async () => {
    const ok = { service: 's', operation: 'op', start: now - 1000, durationMs: 5, status: 'ok' };
    const cases: [unknown, RegExp][] = [
      [{ nope: 1 }, /^body: expected an array/],
      [[{ ...ok, durationMs: -1 }], /^spans\[0\]\.durationMs: expected a finite number >= 0$/],
      [[ok, { ...ok, durationMs: 'NaN' }], /^spans\[1\]\.durationMs/],
      [[{ ...ok, status: 'fine' }], /^spans\[0\]\.status/],
      [[{ ...ok, start: 'yesterday' }], /^spans\[0\]\.start/],
      [[{ ...ok, service: undefined }], /^spans\[0\]\.service: is required$/],
      [[{ ...ok, kind: 'sideways' }], /^spans\[0\]\.kind/],
      [[{ ...ok, traceId: 'xyz' }], /^spans\[0\]\.traceId/],
      [[{ ...ok, attributes: { a: { deep: 1 } } }], /^spans\[0\]\.attributes\.a/],
    ];
    for (const [body, message] of cases) {
      const res = await post('/api/v1/spans', 'application/json', JSON.stringify(body)).expect(400);
      expect(res.body.message).toMatch(message);
    }
    const before = await storedCalls();
    const res = await post('/api/v1/spans', 'application/json', JSON.stringify([ok, { ...ok, status: 'error', httpStatusCode: 503 }])).expect(200);
    expect(res.body).toEqual({ accepted: 2, rejected: 0, message: '' });
    expect((await storedCalls()) - before).toBe(2);
  });

  it('rejects spans too old for retention or too far in the future, counting the rest', async () => {
    const old = { service: 's', operation: 'op', start: now - 30 * 86_400_000, durationMs: 5, status: 'ok' };
    const future = { ...old, start: now + 3_600_000 };
    const fine = { ...old, start: now };
    const res = await post('/api/v1/spans', 'application/json', JSON.stringify([old, future, fine])).expect(200);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected).toBe(2);
    expect(res.body.message).toMatch(/older than/);
    expect(res.body.message).toMatch(/future/);
  });
});
