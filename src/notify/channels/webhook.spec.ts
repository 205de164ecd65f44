import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHttpRecorder, type HttpRecorder, type RecordedRequest } from '../../../test/support/http-recorder.js';
import type { Notification } from '../message/notification.js';
import { sampleSloAlert } from '../../../test/support/sample-alert.js';
import { buildWebhookPayload, sendWebhook, ZERO_TIME } from './webhook.js';

const SENT = '2024-05-01T10:05:00.000Z';
const note = (over: Partial<Notification> = {}): Notification => ({ kind: 'firing', alert: sampleSloAlert(), publicUrl: 'http://bw.example.com', sentAt: SENT, ...over });

describe('buildWebhookPayload', () => {
  it('has every field of an Alertmanager v4 webhook, for a firing alert', () => {
    const p = buildWebhookPayload(note(), 'ops-webhook');
    const labels = { alertname: 'SloErrorBudgetBurn', service: 'checkout', severity: 'page', slo: 'checkout-availability', team: 'payments' };
    expect(Object.keys(p).sort()).toEqual(
      ['alerts', 'commonAnnotations', 'commonLabels', 'externalURL', 'groupKey', 'groupLabels', 'receiver', 'status', 'truncatedAlerts', 'version'].sort(),
    );
    expect(p).toMatchObject({ version: '4', truncatedAlerts: 0, status: 'firing', receiver: 'ops-webhook', externalURL: 'http://bw.example.com', groupLabels: labels, commonLabels: labels });
    expect(p.groupKey).toBe('{}:{alertname="SloErrorBudgetBurn", service="checkout", severity="page", slo="checkout-availability", team="payments"}');
    expect(p.alerts).toEqual([
      {
        status: 'firing',
        labels,
        annotations: expect.objectContaining({ summary: 'checkout-availability: error budget burning', runbook_url: 'https://runbooks.example.com/checkout' }),
        startsAt: '2024-05-01T10:02:00.000Z',
        endsAt: ZERO_TIME,
        generatorURL: 'http://bw.example.com/api/v1/alerts/00000000-0000-4000-8000-000000000001',
        fingerprint: '6f1c2a9e0b7d4e13',
      },
    ]);
    expect(p.alerts[0].annotations.description).toContain('burning its error budget at 14.9x');
    expect(p.commonAnnotations).toEqual(p.alerts[0].annotations);
  });

  it('ends a resolved alert at its resolve time', () => {
    const p = buildWebhookPayload(note({ kind: 'resolved', alert: sampleSloAlert({ state: 'resolved', resolvedAt: '2024-05-01T10:44:00.000Z' }) }), 'r');
    expect(p.status).toBe('resolved');
    expect(p.alerts[0]).toMatchObject({ status: 'resolved', startsAt: '2024-05-01T10:02:00.000Z', endsAt: '2024-05-01T10:44:00.000Z' });
  });

  it('always labels alertname and severity, and keeps a description the alert already has', () => {
    const p = buildWebhookPayload(note({ alert: sampleSloAlert({ labels: { slo: 'x' }, annotations: { description: 'mine' } }) }), 'r');
    expect(p.alerts[0].labels).toEqual({ alertname: 'SloErrorBudgetBurn', service: 'checkout', severity: 'page', slo: 'x' });
    expect(p.alerts[0].annotations.description).toBe('mine');
  });
});

describe('sendWebhook against a local receiver', () => {
  let receiver: HttpRecorder;
  let base: string;
  let answer: (req: IncomingMessage, res: ServerResponse) => void;
  let received: RecordedRequest[];
  const SECRET_PATH = '/hooks/tok3n-9f8e7d6c5b4a';
  const AUTH = 'Bearer s3cr3t-header-value';

  beforeEach(async () => {
    receiver = await startHttpRecorder((req, res) => answer(req, res));
    base = receiver.base;
    received = receiver.received;
  });

  afterEach(() => receiver.close());

  const reply = (status: number, body = '', headers: Record<string, string> = {}) => (_: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const send = (timeoutMs = 2000) => sendWebhook(`${base}${SECRET_PATH}?key=qu3ry-s3cret`, { authorization: AUTH }, buildWebhookPayload(note(), 'r'), { timeoutMs });

  it('posts the JSON payload with the configured headers; any 2xx is success', async () => {
    answer = reply(202);
    await expect(send()).resolves.toEqual({ ok: true });
    expect(received[0].headers['content-type']).toBe('application/json');
    expect(received[0].headers.authorization).toBe(AUTH);
    expect(received[0].body).toEqual(buildWebhookPayload(note(), 'r'));
  });

  it.each([
    [429, { 'retry-after': '12' }, false, 12000],
    [503, { 'retry-after': '3' }, false, 3000],
    [500, {}, false, undefined],
    [408, {}, false, undefined],
    [400, {}, true, undefined],
    [401, {}, true, undefined],
    [404, {}, true, undefined],
    [301, { location: 'http://elsewhere.example.com/' }, true, undefined],
  ])('answer %d (headers %j) is permanent: %s, retried after %s ms', async (status, headers, permanent, retryAfterMs) => {
    answer = reply(status, 'nope', headers);
    const r = await send();
    expect(r).toEqual({ ok: false, permanent, error: `webhook ${status}: nope`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  });

  it('times out a receiver that never answers, as a transient failure', async () => {
    answer = () => undefined;
    await expect(send(300)).resolves.toEqual({ ok: false, permanent: false, error: 'webhook: timed out after 300 ms' });
  });

  it('never puts the URL token, query key or header values in an error, even when the receiver echoes the request', async () => {
    answer = (req, res) => {
      res.writeHead(403);
      res.end(`denied ${req.url} with ${req.headers.authorization}`);
    };
    const r = await send();
    const error = r.ok ? '' : r.error;
    expect(r).toMatchObject({ ok: false, permanent: true });
    expect(error).toMatch(/^webhook 403: denied /);
    for (const secret of ['tok3n-9f8e7d6c5b4a', 'qu3ry-s3cret', 's3cr3t-header-value']) expect(error).not.toContain(secret);
  });

  it('refuses an unparsable URL or header for good, without echoing either', async () => {
    const payload = buildWebhookPayload(note(), 'r');
    await expect(sendWebhook('not a url/tok3n', {}, payload, { timeoutMs: 500 })).resolves.toEqual({ ok: false, permanent: true, error: 'webhook: invalid URL' });
    await expect(sendWebhook(base, { authorization: 'bad\nvalue' }, payload, { timeoutMs: 500 })).resolves.toEqual({
      ok: false,
      permanent: true,
      error: 'webhook: invalid request header',
    });
  });
});
