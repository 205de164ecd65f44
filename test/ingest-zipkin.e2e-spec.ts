import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { useTestApp, type TestApp } from './support/test-app.js';
import { metricValue } from './support/metrics.js';
import { ZipkinSender, type ZipkinSpanSpec } from './support/zipkin.js';

/** Stored totals per (service, span name, kind), summed over all minutes. */
async function storedTotals(t: TestApp): Promise<Record<string, { calls: number; errors: number; durationSumMs: number }>> {
  const rows: { k: string; calls: number; errors: number; dur: number }[] = await t.dataSource.query(
    `SELECT s.service || '|' || s.span_name || '|' || s.span_kind AS k, SUM(m.calls) AS calls, SUM(m.errors) AS errors,
            SUM(m.duration_sum_ms) AS dur
     FROM red_minute m JOIN series s ON s.id = m.series_id GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.k, { calls: Number(r.calls), errors: Number(r.errors), durationSumMs: Number(r.dur) }]));
}

describe('Zipkin v2 ingest from the real zipkin-js library and HTTP transport', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50', MAX_BODY_BYTES: String(64 * 1024) }, { listen: true });
  const minuteUs = (Math.floor(Date.now() / 60_000) * 60_000 - 60_000) * 1000;

  it('counts every span exactly, with Zipkin kinds, µs timings and error tags mapped as OTLP would be', async () => {
    const sender = new ZipkinSender(`${t.baseUrl}/api/v2/spans`);
    const at = (i: number) => minuteUs + i * 1000;
    const spans: [ZipkinSpanSpec, number][] = [
      [{ service: 'cart', name: 'get /cart', kind: 'server', startUs: 0, durationUs: 2500, tags: { 'http.status_code': '200' } }, 30],
      [{ service: 'cart', name: 'get /cart', kind: 'server', startUs: 0, durationUs: 2500, tags: { 'http.status_code': '500' } }, 7],
      // 4xx is the caller's fault, as over OTLP.
      [{ service: 'cart', name: 'get /cart', kind: 'server', startUs: 0, durationUs: 2500, tags: { 'http.status_code': '404' } }, 5],
      // Zipkin's `error` tag fails a span whatever its value, even on a 200.
      [{ service: 'cart', name: 'get /cart', kind: 'server', startUs: 0, durationUs: 2500, tags: { 'http.status_code': '200', error: 'timeout' } }, 3],
      // A client that saw 503 counts it on the callee's server span, not as its own error.
      [{ service: 'cart', name: 'get /prices', kind: 'client', startUs: 0, durationUs: 1000, tags: { 'http.status_code': '503' } }, 10],
      [{ service: 'cart', name: 'price-rules', kind: 'local', startUs: 0, durationUs: 500 }, 4],
      [{ service: 'cart', name: 'cart-updated', kind: 'producer', startUs: 0, durationUs: 100 }, 2],
      [{ service: 'mailer', name: 'cart-updated', kind: 'consumer', startUs: 0, durationUs: 300, tags: { error: 'consumer crashed' } }, 2],
    ];
    let n = 0;
    for (const [spec, count] of spans) for (let i = 0; i < count; i++) sender.record({ ...spec, startUs: at(n++) });
    // An RPC whose server side shares the client's span id: each half counts for its own service.
    for (let i = 0; i < 6; i++) {
      const client = sender.record({ service: 'cart', name: 'get /stock', kind: 'client', startUs: at(n++), durationUs: 4000 });
      sender.record({ service: 'stock', name: 'get /stock', kind: 'server', startUs: at(n++) + 500, durationUs: 3000, tags: { 'http.status_code': i < 2 ? '502' : '200' } }, client);
    }
    await sender.flush(n);

    const totals = await storedTotals(t);
    expect(totals).toEqual({
      'cart|cart-updated|SPAN_KIND_PRODUCER': { calls: 2, errors: 0, durationSumMs: 0.2 },
      'cart|get /cart|SPAN_KIND_SERVER': { calls: 45, errors: 10, durationSumMs: 112.5 },
      'cart|get /prices|SPAN_KIND_CLIENT': { calls: 10, errors: 0, durationSumMs: 10 },
      'cart|get /stock|SPAN_KIND_CLIENT': { calls: 6, errors: 0, durationSumMs: 24 },
      'cart|price-rules|SPAN_KIND_INTERNAL': { calls: 4, errors: 0, durationSumMs: 2 },
      'mailer|cart-updated|SPAN_KIND_CONSUMER': { calls: 2, errors: 2, durationSumMs: 0.6 },
      'stock|get /stock|SPAN_KIND_SERVER': { calls: 6, errors: 2, durationSumMs: 18 },
    });
    const metrics = (await request(t.server).get('/metrics').expect(200)).text;
    expect(metricValue(metrics, 'burnwatch_spans_accepted_total', { protocol: 'zipkin_json' })).toBe(n);
    expect(metricValue(metrics, 'traces_span_metrics_calls_total', { service_name: 'cart', span_name: 'get /cart', span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_ERROR' })).toBe(10);
  }, 60_000);

  const post = (body: string, type = 'application/json') => request(t.server).post('/api/v2/spans').set('content-type', type).send(body);
  const span = (over: Record<string, unknown> = {}) => ({
    traceId: '463ac35c9f6413ad',
    id: 'a2fb4a1d1a96d312',
    kind: 'SERVER',
    name: 'post /pay',
    timestamp: (minuteUs + 30_000_000).toString(),
    duration: 1500,
    localEndpoint: { serviceName: 'pay' },
    ...over,
  });
  const payCalls = async () => Number((await t.dataSource.query(`SELECT COALESCE(SUM(m.calls), 0) AS n FROM red_minute m JOIN series s ON s.id = m.series_id WHERE s.service = 'pay'`))[0].n);

  it('answers 202 only after the spans are committed, and accepts gzip', async () => {
    await post(JSON.stringify([span(), span({ id: 'a2fb4a1d1a96d313' })])).expect(202);
    expect(await payCalls()).toBe(2);
    // fetch, not supertest: supertest would JSON-encode a Buffer sent as application/json.
    const gz = await fetch(`${t.baseUrl}/api/v2/spans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify([span({ timestamp: minuteUs + 31_000_000 })])),
    });
    expect([gz.status, await gz.text()]).toEqual([202, '']);
    expect(await payCalls()).toBe(3);
  });

  it('refuses bad input with a precise 4xx and counts nothing from it', async () => {
    expect((await post('[{"traceId":', 'application/json').expect(400)).body.message).toMatch(/not valid JSON/);
    expect((await post(JSON.stringify({ spans: [] })).expect(400)).body.message).toMatch(/expected a JSON array/);
    expect((await post(JSON.stringify([span(), span({ traceId: 'xyz' })])).expect(400)).body.message).toMatch(/\[1\]\.traceId/);
    expect((await post(JSON.stringify([span({ kind: 'SERVERISH' })])).expect(400)).body.message).toMatch(/\[0\]\.kind/);
    expect((await post(JSON.stringify([span({ tags: { 'http.status_code': 500 } })])).expect(400)).body.message).toMatch(/tags\.http\.status_code/);
    await post(JSON.stringify([span()]), 'application/x-protobuf').expect(415);
    await post(JSON.stringify([span()]), 'text/plain').expect(415);
    await post(' '.repeat(65 * 1024)).expect(413);
    expect(await payCalls()).toBe(3);
  });

  it('accepts incomplete and nameless spans as Zipkin allows, counting only what can be placed and timed', async () => {
    const before = (await request(t.server).get('/metrics').expect(200)).text;
    const rejected = (m: string, reason: string) => metricValue(m, 'burnwatch_spans_rejected_total', { reason }) ?? 0;
    await post(JSON.stringify([span({ duration: undefined }), span({ timestamp: undefined }), span({ localEndpoint: undefined }), span({ name: undefined, kind: undefined })])).expect(202);
    const after = (await request(t.server).get('/metrics').expect(200)).text;
    expect(rejected(after, 'invalid_duration') - rejected(before, 'invalid_duration')).toBe(1);
    expect(rejected(after, 'invalid_start_time') - rejected(before, 'invalid_start_time')).toBe(1);
    expect(rejected(after, 'missing_service_name') - rejected(before, 'missing_service_name')).toBe(1);
    expect((await storedTotals(t))['pay||SPAN_KIND_INTERNAL']).toEqual({ calls: 1, errors: 0, durationSumMs: 1.5 });
  });
});
