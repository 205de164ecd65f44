import request from 'supertest';
import { SpanKind } from '@opentelemetry/api';
import { until } from './support/wait.js';
import { useTestApp } from './support/test-app.js';
import { exportSpans, SpanSpec } from './support/otel.js';

/**
 * The partial-window guard end to end: a service with 2 hours of history
 * (20 requests a second, sent as one span a minute carrying SampleRate 1200)
 * and 50 seconds of errors (1,000 failed requests) in its last minute. Two
 * 99.9% / 30 d SLOs count it: one with the default guard, one with the guard
 * off. Over the 2 hours the "6h" window holds, the 6h/30m tier reads
 * 1,000 / 144,000 / 0.001 = 6.9 ≥ 6; the 1h tier 13.9 < 14.4.
 */
describe('partial-window guard on a young service', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50', EVAL_INTERVAL_SECONDS: '1' }, { listen: true });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const base = { service: 'young', indicator: { type: 'availability' }, objective: 99.9, window: '30d' };
    ids.guarded = (await request(t.server).post('/api/v1/slos').send({ name: 'young-guarded', ...base }).expect(201)).body.id;
    ids.unguarded = (await request(t.server).post('/api/v1/slos').send({ name: 'young-unguarded', ...base, alerting: { minWindowCoverage: 0 } }).expect(201)).body.id;
  });

  it('does not page on 50 s of errors with 2 hours of history; the same SLO without the guard pages', async () => {
    const thisMinute = Math.floor(Date.now() / 60_000) * 60_000;
    const spans: SpanSpec[] = [];
    const span = (m: number, weight: number, error: boolean): SpanSpec => ({ name: 'GET /', kind: SpanKind.SERVER, startMs: m + 1000, durationMs: 5, error, attributes: { SampleRate: weight } });
    for (let m = thisMinute - 120 * 60_000; m < thisMinute - 60_000; m += 60_000) spans.push(span(m, 1200, false));
    spans.push(span(thisMinute - 60_000, 200, false), span(thisMinute - 60_000, 1000, true));
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'young' }, spans);

    const page = await until('the unguarded SLO to page', async () => {
      const alerts = (await request(t.server).get('/api/v1/alerts?state=firing').expect(200)).body;
      return alerts.length > 0 && alerts;
    });
    expect(page.map((a: { labels: { slo: string } }) => a.labels.slo)).toEqual(['young-unguarded']);
    expect(page[0].details.crossed).toEqual([expect.objectContaining({ longWindow: '6h', shortWindow: '30m', factor: 6 })]);

    const guarded = (await request(t.server).get(`/api/v1/slos/${ids.guarded}/status`).expect(200)).body;
    const tier = guarded.alerting.tiers.find((x: { longWindow: string }) => x.longWindow === '6h');
    expect(tier.longBurnRate).toBeGreaterThan(6);
    expect(tier.longCoverage).toBeLessThan(0.5);
    expect(tier.longJudgedBurnRate).toBeLessThan(6);
    expect(tier.firing).toBe(false);
    expect(guarded.alerting.minWindowCoverage).toBe(0.5);
    // The tick that paged the unguarded SLO evaluated the guarded one too, from the same counts.
    expect((await request(t.server).get(`/api/v1/alerts?state=all&slo=${ids.guarded}`).expect(200)).body).toEqual([]);
  });
});
