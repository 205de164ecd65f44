import { startHttpRecorder } from '../../../test/support/http-recorder.js';
import type { Notification } from '../message/notification.js';
import { sampleSloAlert } from '../../../test/support/sample-alert.js';
import { validityMs } from '../alertmanager-pusher.service.js';
import { redact, validateChannel, type Channel } from '../channel.types.js';
import { alertsUrl, buildPostableAlert, sendToAlertmanagers } from './alertmanager.js';

const SENT = '2024-05-01T10:05:00.000Z';
const note = (over: Partial<Notification> = {}): Notification => ({ kind: 'firing', alert: sampleSloAlert(), publicUrl: 'http://bw.example.com', sentAt: SENT, ...over });
const opts = { validityMs: 4 * 60_000, generatorURL: 'http://bw.example.com/slos/1' };

describe('buildPostableAlert', () => {
  it('is a Prometheus-style postable alert: labels, annotations with the facts, endsAt a validity ahead', () => {
    const a = buildPostableAlert(note(), opts);
    expect(a.labels).toEqual({ alertname: 'SloErrorBudgetBurn', service: 'checkout', severity: 'page', slo: 'checkout-availability', team: 'payments' });
    expect(a.startsAt).toBe('2024-05-01T10:02:00.000Z');
    expect(a.endsAt).toBe('2024-05-01T10:09:00.000Z');
    expect(a.generatorURL).toBe('http://bw.example.com/slos/1');
    expect(a.annotations.runbook_url).toBe('https://runbooks.example.com/checkout');
    expect(a.annotations.description).toMatch(/burning its error budget at 14.9x/);
    expect(a.annotations.description).toMatch(/Burn rate 5m 15.2x, 30m 14.9x, 1h 14.9x/);
    expect(a.annotations.description).toMatch(/Error budget left 62.3%\.$/);
    expect(a.annotations.top_operations).toContain('POST /api/checkout (server): 412 failed of 2750 calls');
    expect(a.annotations.trace_ids).toMatch(/^[0-9a-f]{32}( [0-9a-f]{32})*$/);
  });

  it('ends a resolved alert at its resolve time', () => {
    const a = buildPostableAlert(note({ kind: 'resolved', alert: sampleSloAlert({ state: 'resolved', resolvedAt: '2024-05-01T10:44:00.000Z' }) }), opts);
    expect(a.endsAt).toBe('2024-05-01T10:44:00.000Z');
  });

  it('turns label names Alertmanager 0.25 would refuse into Prometheus names and drops empty values', () => {
    const a = buildPostableAlert(note({ alert: sampleSloAlert({ labels: { 'team.name': 'x', '9lives': 'y', empty: '' } }) }), opts);
    expect(a.labels).toMatchObject({ team_name: 'x', _9lives: 'y' });
    expect(a.labels).not.toHaveProperty('empty');
  });

  it('keeps a firing alert valid for four resends of at least a minute, as Prometheus does', () => {
    expect(validityMs(1000)).toBe(4 * 60_000);
    expect(validityMs(120_000)).toBe(8 * 60_000);
  });
});

describe('Alertmanager channel config', () => {
  const base = { name: 'am', type: 'alertmanager' };
  it('takes basic auth or a bearer token, never both, and never returns the secret', () => {
    const v = validateChannel({ ...base, config: { urls: ['http://am-1:9093', 'http://am-2:9093/prefix'], basicAuth: { username: 'bw', password: 'pa55word' } } });
    expect(v.errors).toEqual([]);
    const shown = redact({ ...v, id: 'x', createdAt: '', updatedAt: '' } as Channel);
    expect(JSON.stringify(shown)).not.toContain('pa55word');
    expect(shown.config).toEqual({ urls: ['[redacted]', '[redacted]'], urlHosts: ['am-1:9093', 'am-2:9093'], auth: 'basic', username: 'bw' });
    expect(validateChannel({ ...base, config: { urls: ['http://am:9093'], bearerToken: 't', basicAuth: { username: 'u', password: 'p' } } }).errors).toEqual([
      'config: give basicAuth or bearerToken, not both',
    ]);
    expect(validateChannel({ ...base, config: { urls: [] } }).errors[0]).toMatch(/^config.urls/);
    expect(validateChannel({ ...base, config: { urls: ['http://am:9093'], basicAuth: { username: 'a:b', password: 'p' } } }).errors[0]).toMatch(/^config.basicAuth/);
  });
});

describe('sendToAlertmanagers', () => {
  it('posts to /api/v2/alerts of every URL with basic auth, and succeeds if one of them took the alerts', async () => {
    const up = await startHttpRecorder((_req, res) => res.writeHead(200).end());
    const down = await startHttpRecorder((_req, res) => res.writeHead(503).end('pa55word is wrong'));
    try {
      const alert = buildPostableAlert(note(), opts);
      const r = await sendToAlertmanagers([`${up.base}/am/`, down.base], { basic: { username: 'bw', password: 'pa55word' } }, [alert], { timeoutMs: 5000 });
      expect(r.ok).toBe(true);
      expect(r.failures).toEqual(['alertmanager #2 503: [redacted] is wrong']);
      expect(up.received[0].path).toBe('/am/api/v2/alerts');
      expect(up.received[0].headers.authorization).toBe(`Basic ${Buffer.from('bw:pa55word').toString('base64')}`);
      expect(up.received[0].body).toEqual([alert]);
      expect(down.received).toHaveLength(1);
      const all = await sendToAlertmanagers([down.base], null, [alert], { timeoutMs: 5000 });
      expect(all).toMatchObject({ ok: false, permanent: false });
    } finally {
      await up.close();
      await down.close();
    }
  });

  it('builds the API URL under a path prefix', () => {
    expect(alertsUrl('http://am:9093/')).toBe('http://am:9093/api/v2/alerts');
  });
});
