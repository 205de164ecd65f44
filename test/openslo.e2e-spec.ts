import request from 'supertest';
import { useTestApp, TestApp } from './support/test-app.js';

/** Every kind of SLO Burnwatch supports, as REST bodies. */
const SLOS: Record<string, unknown>[] = [
  { name: 'checkout-availability', service: 'checkout', indicator: { type: 'availability' }, objective: 99.9, window: '30d', channels: ['oncall-slack'] },
  {
    name: 'cart-availability',
    service: 'checkout',
    description: 'carts are saved',
    indicator: { type: 'availability', clientErrorsAreBad: true, ignoreStatusCodes: [429] },
    selector: { operations: ['POST /cart', 'GET /cart/*'], spanKinds: ['server'], attributes: { 'deployment.environment.name': 'prod' } },
    objective: 99.95,
    window: '7d',
    labels: { team: 'payments' },
    runbookUrl: 'https://runbooks.example.com/cart',
    channels: ['oncall-slack', 'payments-email'],
    alerting: { minEvents: 250, minWindowCoverage: 0.8, budgetExhaustion: { belowPercent: 10 }, noData: { after: '15m' } },
  },
  {
    name: 'search-latency',
    service: 'search',
    indicator: { type: 'latency', thresholdMs: 250, requireSuccess: false },
    objective: 99,
    window: 'month:Europe/Berlin',
    alerting: { policy: { tiers: [{ severity: 'page', longWindowMs: 3_600_000, shortWindowMs: 300_000, budgetFraction: 0.02 }] } },
  },
  { name: 'search-latency-weekly', service: 'search', indicator: { type: 'latency', thresholdMs: 100 }, objective: 95, window: 'week:UTC' },
];

const yaml = (t: TestApp, text: string) => request(t.server).post('/api/v1/openslo').set('Content-Type', 'application/yaml').send(text);
const comparable = ({ id, version, createdAt, updatedAt, approximateUntil, ...rest }: Record<string, unknown>) => rest;

describe('OpenSLO v1 import and export', () => {
  const t = useTestApp();

  beforeAll(async () => {
    // The SLOs name these; channels an SLO names must exist.
    await request(t.server).post('/api/v1/channels').send({ name: 'oncall-slack', type: 'slack', config: { webhookUrl: 'http://127.0.0.1:9/hook' } }).expect(201);
    await request(t.server).post('/api/v1/channels').send({ name: 'payments-email', type: 'email', config: { to: ['payments@example.com'] } }).expect(201);
  });

  it('exports every SLO as OpenSLO YAML and imports it back to the same SLOs', async () => {
    const created = [];
    for (const body of SLOS) created.push((await request(t.server).post('/api/v1/slos').send(body).expect(201)).body);
    const all = await request(t.server).get('/api/v1/openslo').expect(200);
    expect(all.headers['content-type']).toMatch(/^application\/yaml/);
    expect(all.text).toContain('apiVersion: openslo/v1');
    const one = await request(t.server).get(`/api/v1/slos/${created[1].id}/openslo`).expect(200);
    expect(one.text).toContain('name: cart-availability');
    expect(one.text).not.toContain('name: checkout-availability\n');

    for (const s of created) await request(t.server).delete(`/api/v1/slos/${s.id}`).expect(204);
    const res = await yaml(t, all.text).expect(201);
    expect(res.body.created).toHaveLength(SLOS.length);
    const after = (await request(t.server).get('/api/v1/slos').expect(200)).body;
    const byName = (xs: Record<string, unknown>[]) => Object.fromEntries(xs.map((x) => [x.name, comparable(x)]));
    expect(byName(after)).toEqual(byName(created));
  });

  it('refuses Timeslices and unknown metric sources with 400, and imports nothing of a file with one bad document', async () => {
    const good = (await request(t.server).get('/api/v1/openslo').expect(200)).text;
    for (const s of (await request(t.server).get('/api/v1/slos').expect(200)).body) await request(t.server).delete(`/api/v1/slos/${s.id}`).expect(204);

    const timeslices = await yaml(t, good.replace('budgetingMethod: Occurrences', 'budgetingMethod: Timeslices')).expect(400);
    expect(timeslices.body.message).toMatch(/document 1 \(SLO [a-z-]+\): spec\.budgetingMethod: Timeslices is not supported/);
    const prometheus = await yaml(t, good.replace('type: Burnwatch', 'type: Prometheus')).expect(400);
    expect(prometheus.body.message).toContain('metricSource.type: unknown metric source type "Prometheus"');
    // Valid OpenSLO, invalid for Burnwatch: the REST validation answers, naming document and field.
    const objective = await yaml(t, good.replace('targetPercent: 99.95', 'targetPercent: 100')).expect(400);
    expect(objective.body.message).toMatch(/document \d+ \(SLO cart-availability\): objective:/);
    await yaml(t, 'kind: [unclosed').expect(400);
    await request(t.server).post('/api/v1/openslo').set('Content-Type', 'application/json').send({}).expect(415);
    // Nothing half-imported.
    expect((await request(t.server).get('/api/v1/slos').expect(200)).body).toEqual([]);
    // A name already taken fails the whole file.
    await request(t.server).post('/api/v1/slos').send(SLOS[3]).expect(201);
    await yaml(t, good).expect(409);
    expect((await request(t.server).get('/api/v1/slos').expect(200)).body).toHaveLength(1);
  });
});
