import request from 'supertest';
import { useTestApp } from './support/test-app.js';

const slo = {
  name: 'checkout-availability',
  service: 'checkout',
  indicator: { type: 'availability' },
  selector: { operations: ['POST /cart'], spanKinds: ['server'] },
  objective: 99.9,
  window: '30d',
  channels: ['oncall-slack'],
};

describe('definitions are strict over the API', () => {
  const t = useTestApp();

  it('refuses an SLO naming a channel that does not exist, since its alerts would notify nobody', async () => {
    const res = await request(t.server).post('/api/v1/slos').send(slo).expect(400);
    expect(res.body.message).toBe('channels: no channel named "oncall-slack"; create it first (POST /api/v1/channels) or remove it');
    const rule = {
      name: 'checkout-5xx',
      selector: { service: 'checkout' },
      condition: { type: 'error_ratio', window: '5m', threshold: 0.05 },
      severity: 'page',
      channels: ['nobody'],
    };
    const r = await request(t.server).post('/api/v1/alert-rules').send(rule).expect(400);
    expect(r.body.message).toContain('channels: no channel named "nobody"');
  });

  it('gives 400 naming the path of misplaced or mistyped fields, and stores nothing', async () => {
    const nested = await request(t.server)
      .post('/api/v1/slos')
      .send({ ...slo, channels: [], selector: undefined, indicator: { type: 'latency', thresholdMs: 300, selector: { operations: ['POST /cart'] } } })
      .expect(400);
    expect(nested.body.message).toContain('indicator.selector: unknown field; "selector" belongs at the top level');
    const typo = await request(t.server).post('/api/v1/slos').send({ ...slo, channels: [], objectve: 99 }).expect(400);
    expect(typo.body.message).toContain('objectve: unknown field; did you mean "objective"?');
    const ratio = await request(t.server).post('/api/v1/slos').send({ ...slo, channels: [], objective: 0.999 }).expect(400);
    expect(ratio.body.message).toContain('did you mean 99.9?');
    expect((await request(t.server).get('/api/v1/slos').expect(200)).body).toEqual([]);
  });

  it('round-trips a definition: what GET returns, PUT back, changes nothing', async () => {
    const channel = await request(t.server)
      .post('/api/v1/channels')
      .send({ name: 'oncall-slack', type: 'slack', config: { webhookUrl: 'http://127.0.0.1:9/hook' } })
      .expect(201);
    const created = await request(t.server).post('/api/v1/slos').send(slo).expect(201);
    const fetched = (await request(t.server).get(`/api/v1/slos/${created.body.id}`).expect(200)).body;
    const put = await request(t.server).put(`/api/v1/slos/${created.body.id}`).send(fetched).expect(200);
    const strip = ({ version: _v, updatedAt: _u, ...rest }: Record<string, unknown>) => rest;
    expect(strip(put.body)).toEqual(strip(fetched));

    // While the SLO names it, the channel can be neither deleted nor renamed away from under it.
    const del = await request(t.server).delete(`/api/v1/channels/${channel.body.id}`).expect(409);
    expect(del.body.message).toBe('channel oncall-slack is still named by SLO checkout-availability; remove it from them first');
    await request(t.server)
      .put(`/api/v1/channels/${channel.body.id}`)
      .send({ name: 'renamed', type: 'slack', config: { webhookUrl: 'http://127.0.0.1:9/hook' } })
      .expect(409);
    await request(t.server).patch(`/api/v1/slos/${created.body.id}`).send({ channels: [] }).expect(200);
    await request(t.server).delete(`/api/v1/channels/${channel.body.id}`).expect(204);
  });

  it('gives 400 naming the path of mistyped or misplaced channel fields, never echoing a secret', async () => {
    const secret = 'http://127.0.0.1:9/services/T000/B000/SECRET';
    const post = (body: object) => request(t.server).post('/api/v1/channels').send(body).expect(400);
    const typed = await post({ name: 'oncall', type: 'slack', config: { webhookUrl: 42 }, severities: ['pager'], isDefault: 'yes' });
    expect(typed.body).toEqual({
      error: 'bad_request',
      message:
        'config.webhookUrl: must be an http(s) URL (the Slack incoming webhook); severities[0]: must be one of page, ticket, info; isDefault: must be boolean',
    });
    expect((await post({ name: 'oncall', type: 'sms', config: {} })).body.message).toBe('type: must be one of slack, email, webhook, alertmanager');
    const misplaced = await post({ name: 'oncall', type: 'slack', webhookUrl: secret, config: {} });
    expect(misplaced.body.message).toBe('webhookUrl: unknown field; "webhookUrl" belongs in config; config.webhookUrl: must be an http(s) URL (the Slack incoming webhook)');
    const otherType = await post({ name: 'oncall', type: 'slack', config: { webhookUrl: secret, to: ['a@example.com'] } });
    expect(otherType.body.message).toBe('config.to: unknown field; allowed only with another "type"');
    const token = 'tok\nen-SECRET';
    const am = await post({ name: 'am', type: 'alertmanager', config: { urls: ['http://127.0.0.1:9'], bearerToken: token, bearerTokn: 'x' } });
    expect(am.body.message).toBe('config.bearerTokn: unknown field; did you mean "bearerToken"?; config.bearerToken: must be a single-line string');
    expect(JSON.stringify([typed.body, misplaced.body, otherType.body, am.body])).not.toContain('SECRET');
    expect((await request(t.server).get('/api/v1/channels').expect(200)).body).toEqual([]);
  });

  it('round-trips a channel: PUT of the body POSTed changes nothing, and secrets stay out', async () => {
    const body = {
      name: 'team-hook',
      type: 'webhook',
      config: { url: 'http://127.0.0.1:9/hook?token=SECRET', headers: { Authorization: 'Bearer SECRET' } },
      severities: ['page', 'ticket'],
      isDefault: false,
    };
    const created = await request(t.server).post('/api/v1/channels').send(body).expect(201);
    expect(created.body).toMatchObject({ name: 'team-hook', type: 'webhook', severities: ['page', 'ticket'], isDefault: false });
    expect(created.body.config).toEqual({ url: '[redacted]', urlHost: '127.0.0.1:9', headers: { Authorization: '[redacted]' } });
    const fetched = (await request(t.server).get(`/api/v1/channels/${created.body.id}`).expect(200)).body;
    expect(fetched).toEqual(created.body);
    // Read-only fields of a fetched channel are ignored on write.
    const put = await request(t.server)
      .put(`/api/v1/channels/${created.body.id}`)
      .send({ ...body, id: fetched.id, createdAt: fetched.createdAt, updatedAt: fetched.updatedAt })
      .expect(200);
    const strip = ({ updatedAt: _u, ...rest }: Record<string, unknown>) => rest;
    expect(strip(put.body)).toEqual(strip(fetched));
    expect(JSON.stringify([created.body, fetched, put.body])).not.toContain('SECRET');
    await request(t.server).delete(`/api/v1/channels/${created.body.id}`).expect(204);
  });

  it('gives 400 naming the path of mistyped or misplaced silence fields, and round-trips a valid one', async () => {
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const silence = { matchers: [{ name: 'slo', op: '=', value: 'checkout-availability' }], endsAt, createdBy: 'alice', comment: 'deploying' };
    const typed = await request(t.server)
      .post('/api/v1/silences')
      .send({ ...silence, matchers: [{ name: 'slo', op: '==', value: 3 }], createdBy: '' })
      .expect(400);
    expect(typed.body).toEqual({
      error: 'bad_request',
      message: 'matchers[0].op: must be one of = != =~ !~; matchers[0].value: must be a string of at most 1000 characters; createdBy: is required',
    });
    const misplaced = await request(t.server)
      .post('/api/v1/silences')
      .send({ ...silence, endsAt: undefined, matchers: [{ ...silence.matchers[0], endsAt }] })
      .expect(400);
    expect(misplaced.body.message).toBe('endsAt: expected an RFC 3339 timestamp; matchers[0].endsAt: unknown field; "endsAt" belongs at the top level');
    const typo = await request(t.server).post('/api/v1/silences').send({ ...silence, coment: 'x' }).expect(400);
    expect(typo.body.message).toBe('coment: unknown field; did you mean "comment"?');
    expect((await request(t.server).get('/api/v1/silences').expect(200)).body).toEqual([]);

    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const created = await request(t.server).post('/api/v1/silences').send({ ...silence, startsAt }).expect(201);
    const fetched = (await request(t.server).get(`/api/v1/silences/${created.body.id}`).expect(200)).body;
    expect(fetched).toEqual({ ...silence, startsAt, id: created.body.id, createdAt: created.body.createdAt });
  });

  it('documents channel and silence bodies at /docs from the schemas that check them', async () => {
    const doc = (await request(t.server).get('/docs/json').expect(200)).body;
    const body = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].schema;
    const channel = body('/api/v1/channels', 'post');
    expect(channel.oneOf.map((v: { properties: { type: { const: string } } }) => v.properties.type.const)).toEqual(['slack', 'email', 'webhook', 'alertmanager']);
    expect(channel.oneOf[0].properties.config.required).toEqual(['webhookUrl']);
    expect(body('/api/v1/channels/{id}', 'put').oneOf).toHaveLength(4);
    const silence = body('/api/v1/silences', 'post');
    expect(silence.required).toEqual(['matchers', 'endsAt', 'createdBy']);
    expect(silence.properties.matchers.items.properties.op.enum).toEqual(['=', '!=', '=~', '!~']);
  });

  it('documents SLO and symptom-rule bodies at /docs from the schemas that check their values', async () => {
    const doc = (await request(t.server).get('/docs/json').expect(200)).body;
    // The bodies use JSON Schema's const and numeric exclusive bounds: OpenAPI 3.1, not 3.0.
    expect(doc.openapi).toBe('3.1.0');
    const body = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].schema;
    const sloBody = body('/api/v1/slos', 'post');
    expect(sloBody.required).toEqual(['name', 'service', 'indicator', 'objective', 'window']);
    expect(sloBody.properties.objective).toMatchObject({ exclusiveMinimum: 0, exclusiveMaximum: 100, example: 99.9 });
    expect(sloBody.properties.indicator.oneOf[1].required).toEqual(['type', 'thresholdMs']);
    expect(sloBody.properties.alerting.properties.policy.properties.tiers.items.properties.severity.enum).toEqual(['page', 'ticket']);
    const rule = body('/api/v1/alert-rules', 'post');
    expect(rule.properties.severity.enum).toEqual(['page', 'ticket', 'info']);
    expect(rule.properties.condition.oneOf.map((v: { required: string[] }) => v.required)).toEqual([
      ['type', 'window', 'threshold'],
      ['type', 'window', 'percentile', 'thresholdMs'],
      ['type', 'window', 'baseline', 'deviationPercent'],
    ]);
    expect(rule.properties.condition.oneOf[0].properties.threshold).toMatchObject({ minimum: 0, exclusiveMaximum: 1, example: 0.05 });
    // A body the document describes is one the API takes, and a value it rules out is refused with the schema's message.
    await request(t.server).post('/api/v1/alert-rules').send({ ...rule.example, name: 'docs-example' }).expect(201);
    const bad = await request(t.server).post('/api/v1/alert-rules').send({ ...rule.example, condition: { ...rule.example.condition, threshold: 1 } }).expect(400);
    expect(bad.body.message).toBe('condition.threshold: must be a ratio in [0, 1) (0.05 is 5%; the rule fires above it), got 1');
  });
});
