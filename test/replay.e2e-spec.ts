import request from 'supertest';
import { SpanKind } from '@opentelemetry/api';
import { useTestApp } from './support/test-app.js';
import { exportSpans, SpanSpec } from './support/otel.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A week of backdated history sent through the real OTLP exporter: 100
 * events a minute (one span per minute carrying SampleRate, which Burnwatch
 * counts as its adjusted count), with two known outages:
 *  1. 100% errors for 20 minutes, 2 days after the history starts;
 *  2. 5% errors for 90 minutes, 5 days after it starts.
 * The expected incidents of a 99.9% / 30 d SLO under the Workbook policy
 * follow from the burn-rate formula (see `expected` below); a replay steps
 * every minute end, so each time is at most one minute after the formula's.
 */
describe('preview and replay over a week of stored history', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50' }, { listen: true });
  let sloId: string;
  const now = Date.now();
  const h0 = Math.floor((now - 7 * DAY) / HOUR) * HOUR + HOUR;
  const o1 = h0 + 2 * DAY + 3 * HOUR;
  const r1 = o1 + 20 * MINUTE;
  const o2 = h0 + 5 * DAY + 7 * HOUR;
  const r2 = o2 + 90 * MINUTE;
  const spec = { service: 'payments', indicator: { type: 'availability' }, selector: { operations: ['POST /pay'] }, objective: 99.9, window: '30d' };

  beforeAll(async () => {
    sloId = (await request(t.server).post('/api/v1/slos').send({ name: 'payments-availability', ...spec }).expect(201)).body.id;
    const spans: SpanSpec[] = [];
    const span = (startMs: number, weight: number, error: boolean): SpanSpec => ({
      name: 'POST /pay',
      kind: SpanKind.SERVER,
      startMs: startMs + 1000,
      durationMs: 20,
      error,
      attributes: { SampleRate: weight },
    });
    for (let m = h0; m < Math.floor(now / MINUTE) * MINUTE - MINUTE; m += MINUTE) {
      if (m >= o1 && m < r1) spans.push(span(m, 100, true));
      else if (m >= o2 && m < r2) spans.push(span(m, 95, false), span(m, 5, true));
      else spans.push(span(m, 100, false));
    }
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'payments' }, spans);
  }, 180_000);

  /**
   * The formula's times. Outage 1 (burn 1000): the 1h/5m tier needs 14.4 × 1 h
   * × 0.001 = 0.864 min of errors; the page holds until the 6h/30m tier's
   * 30-minute window holds less than 0.6% errors (0.18 min: 29.82 min after
   * recovery); the ticket then fires (no longer inhibited) and holds until
   * the 3d/6h tier's 6-hour window holds less than 0.1% (0.36 min: 359.64 min
   * after). Outage 2 (burn 50): the 1h window reaches 14.4 after 17.28 min;
   * the 30m window falls under 6 at 26.4 min after recovery (3.6 min of 5%
   * errors left in it); the 6h window under 1 at 352.8 min (7.2 min left).
   */
  const expected = [
    { severity: 'page', firedAt: o1 + 0.864 * MINUTE, resolvedAt: r1 + 29.82 * MINUTE },
    { severity: 'ticket', firedAt: r1 + 29.82 * MINUTE, resolvedAt: r1 + 359.64 * MINUTE },
    { severity: 'page', firedAt: o2 + 17.28 * MINUTE, resolvedAt: r2 + 26.4 * MINUTE },
    { severity: 'ticket', firedAt: r2 + 26.4 * MINUTE, resolvedAt: r2 + 352.8 * MINUTE },
  ];

  type IncidentJson = { severity: string; firedAt: string; resolvedAt: string | null; tiers: { longWindow: string }[]; peakBurnRate: number; budgetSpent: number };

  const expectIncidents = (incidents: IncidentJson[]) => {
    expect(incidents.map((i) => i.severity)).toEqual(expected.map((e) => e.severity));
    incidents.forEach((inc, k) => {
      for (const field of ['firedAt', 'resolvedAt'] as const) {
        const late = Date.parse(inc[field]!) - expected[k][field];
        expect(late).toBeGreaterThanOrEqual(0);
        expect(late).toBeLessThanOrEqual(MINUTE);
      }
    });
  };

  it('previews an unsaved 99.9% SLO from the RED rows: exactly the two outages, page then ticket each', async () => {
    const res = await request(t.server).post('/api/v1/slos/preview').send({ name: 'draft', ...spec }).expect(200);
    const b = res.body;
    expect(b).toMatchObject({ source: 'red', approximate: false, summary: { pages: 2, tickets: 2 } });
    expectIncidents(b.incidents);
    expect(b.incidents[0].tiers.map((x: { longWindow: string }) => x.longWindow)).toEqual(['1h', '6h']);
    // The 1h window at its worst holds the 20 minutes of errors: 20 / 60 × 1000.
    expect(b.incidents[0].peakBurnRate).toBeCloseTo(1000 / 3, 6);
    // Outage 1 spent 2,000 bad events of a 30-day budget of ~1,000 (0.1% of ~1M events so far).
    expect(b.incidents[0].budgetSpent).toBeGreaterThan(1);
    expect(b.events.bad).toBeCloseTo(2000 + 450, 6);
    expect(b.history.length).toBeGreaterThan(100);
    expect(b.history.length).toBeLessThanOrEqual(501);
    expect(b.policy.minWindowCoverage).toBe(0.5);
  });

  it('replays the saved SLO over its exact counts: the same incidents with its own policy', async () => {
    const res = await request(t.server).post(`/api/v1/slos/${sloId}/replay`).send({}).expect(200);
    expect(res.body).toMatchObject({ source: 'sli', approximate: false, comparison: { saved: { pages: 2, tickets: 2 }, proposed: { pages: 2, tickets: 2 }, missed: [] } });
    expectIncidents(res.body.incidents);
  });

  it('replays with minEvents raised past an hour of traffic, or the ticket tiers removed: fewer incidents', async () => {
    // 40,000 events: more than the 6h window holds (36,000), so only the 1d and 3d ticket tiers may fire.
    const raised = await request(t.server).post(`/api/v1/slos/${sloId}/replay`).send({ alerting: { minEvents: 40_000 } }).expect(200);
    expect(raised.body.summary).toEqual({ pages: 0, tickets: 2 });
    expect(raised.body.comparison).toMatchObject({ saved: { pages: 2, tickets: 2 }, proposed: { pages: 0, tickets: 2 } });
    expect(raised.body.policy.minEvents).toBe(40_000);

    const pagesOnly = {
      tiers: [
        { severity: 'page', longWindowMs: HOUR, shortWindowMs: 5 * MINUTE, budgetFraction: 0.02 },
        { severity: 'page', longWindowMs: 6 * HOUR, shortWindowMs: 30 * MINUTE, budgetFraction: 0.05 },
      ],
    };
    const fewer = await request(t.server).post(`/api/v1/slos/${sloId}/replay`).send({ alerting: { policy: pagesOnly } }).expect(200);
    expect(fewer.body.summary).toEqual({ pages: 2, tickets: 0 });
    // The pages are the saved policy's pages; nothing the saved policy raised goes unmatched.
    expect(fewer.body.incidents.map((i: IncidentJson) => Date.parse(i.firedAt) - expected[0].firedAt)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Date.parse(fewer.body.incidents[1].firedAt) - expected[2].firedAt).toBeLessThanOrEqual(MINUTE);
    expect(fewer.body.comparison.missed).toEqual([]);
    // The saved SLO is untouched.
    const saved = await request(t.server).get(`/api/v1/slos/${sloId}`).expect(200);
    expect(saved.body.alerting).toEqual({});
  });

  it('shows the partial-window guard and the history start in the status', async () => {
    const status = await request(t.server).get(`/api/v1/slos/${sloId}/status`).expect(200);
    expect(status.body.alerting.minWindowCoverage).toBe(0.5);
    expect(Date.parse(status.body.alerting.historyFrom)).toBe(h0);
    expect(status.body.alerting.tiers.every((x: { longCoverage: number }) => x.longCoverage === 1)).toBe(true);
  });

  it('refuses what RED rows cannot answer, with the reason; validates like POST /api/v1/slos', async () => {
    const attr = await request(t.server)
      .post('/api/v1/slos/preview')
      .send({ name: 'draft', ...spec, selector: { attributes: { 'deployment.environment.name': 'prod' } } })
      .expect(422);
    expect(attr.body.message).toContain('selector.attributes.deployment.environment.name: not a series dimension');
    const codes = await request(t.server).post('/api/v1/slos/preview').send({ name: 'draft', ...spec, indicator: { type: 'availability', ignoreStatusCodes: [429] } }).expect(422);
    expect(codes.body.message).toContain('indicator.ignoreStatusCodes');
    const bad = await request(t.server).post('/api/v1/slos/preview').send({ name: 'draft', ...spec, objective: 100 }).expect(400);
    expect(bad.body.message).toContain('objective:');
    const badPolicy = await request(t.server)
      .post(`/api/v1/slos/${sloId}/replay`)
      .send({ alerting: { minWindowCoverage: 2 } })
      .expect(400);
    expect(badPolicy.body.message).toContain('alerting.minWindowCoverage');
    await request(t.server).post('/api/v1/slos/preview').send({ name: 'draft', ...spec, from: 'yesterday' }).expect(400);
    await request(t.server).post('/api/v1/slos/00000000-0000-0000-0000-000000000000/replay').send({}).expect(404);
  });

  it('previews latency from the histogram, marked approximate', async () => {
    const res = await request(t.server)
      .post('/api/v1/slos/preview')
      .send({ name: 'draft-latency', ...spec, indicator: { type: 'latency', thresholdMs: 100, requireSuccess: false } })
      .expect(200);
    expect(res.body).toMatchObject({ source: 'red', approximate: true, summary: { pages: 0, tickets: 0 } });
    expect(res.body.warnings.join(' ')).toMatch(/histogram/);
    expect(res.body.events.bad).toBe(0);
  });
});
