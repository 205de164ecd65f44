import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { until } from './support/wait.js';
import { useTestApp, startTestApp, TestApp } from './support/test-app.js';
import { startFakeSlack } from './support/fake-slack.js';
import { Dispatcher } from '../src/notify/dispatcher.service.js';
import { notification, queue } from './support/outbox.js';

const ENV = { NOTIFY_POLL_MS: '100', EVAL_INTERVAL_SECONDS: '3600', SLACK_MIN_INTERVAL_MS: '0', NOTIFY_MAX_ATTEMPTS: '3' };


/*
 * Timing facts are stated against what the dispatcher stored — the retry or
 * lease time — and the moment the fake Slack received each call (same host
 * clock as PostgreSQL), never against how long the test itself waited.
 */

describe('dispatcher: retries, dead letters, leases, replicas', () => {
  const t = useTestApp(ENV);

  async function channel(url: string): Promise<string> {
    const res = await request(t.server).post('/api/v1/channels').send({ name: `c-${randomUUID().slice(0, 8)}`, type: 'slack', config: { webhookUrl: url } }).expect(201);
    return res.body.id;
  }

  it('retries a 500 and delivers on the next attempt', async () => {
    const slack = await startFakeSlack((_c, n) => (n === 1 ? { status: 500, body: 'oops' } : { status: 200, body: 'ok' }));
    try {
      const id = await queue(t, await channel(slack.url('/a')));
      await until('sent', async () => (await notification(t, id)).status === 'sent');
      expect((await notification(t, id)).attempts).toBe(2);
      expect(slack.calls).toHaveLength(2);
    } finally {
      await slack.close();
    }
  });

  it('honours 429 Retry-After before trying again', async () => {
    const slack = await startFakeSlack((_c, n) => (n === 1 ? { status: 429, body: 'rate_limited', headers: { 'Retry-After': '2' } } : { status: 200, body: 'ok' }));
    try {
      const id = await queue(t, await channel(slack.url('/b')));
      await until('first attempt', () => slack.calls.length === 1);
      const first = slack.calls[0].at;
      const row = await until('the 429 recorded', async () => {
        const r = await notification(t, id);
        return r.last_error !== null && r;
      });
      expect(row.status).toBe('pending');
      const retryAt = new Date(row.next_attempt_at).getTime();
      expect(retryAt - first).toBeGreaterThan(1500);
      await until('sent', async () => (await notification(t, id)).status === 'sent');
      // The retry went out no earlier than Retry-After allowed.
      expect(slack.calls[1].at).toBeGreaterThanOrEqual(retryAt);
      expect(slack.calls[1].at - first).toBeGreaterThanOrEqual(1800);
    } finally {
      await slack.close();
    }
  });

  it.each([
    [400, 'invalid_payload'],
    [404, 'channel_not_found'],
    [410, 'channel_is_archived'],
  ])('sends a Slack %i to dead letter at once, and a dead letter can be retried', async (status, body) => {
    let answer = { status, body };
    const slack = await startFakeSlack(() => answer);
    try {
      const id = await queue(t, await channel(slack.url('/secret-token-path')));
      await until('dead', async () => (await notification(t, id)).status === 'dead');
      const row = await notification(t, id);
      expect(row.attempts).toBe(1);
      expect(row.last_error).toContain(String(status));
      expect(row.last_error).not.toContain('secret-token-path');
      const dead = (await request(t.server).get('/api/v1/notifications?status=dead').expect(200)).body;
      expect(dead.map((n: { id: number }) => String(n.id))).toContain(id);
      answer = { status: 200, body: 'ok' };
      await request(t.server).post(`/api/v1/notifications/${id}/retry`).expect(200);
      await until('sent after retry', async () => (await notification(t, id)).status === 'sent');
    } finally {
      await slack.close();
    }
  });

  it('gives up after NOTIFY_MAX_ATTEMPTS transient failures', async () => {
    const slack = await startFakeSlack(() => ({ status: 503, body: 'down' }));
    try {
      const id = await queue(t, await channel(slack.url('/c')));
      await until('dead', async () => (await notification(t, id)).status === 'dead', 20_000);
      expect((await notification(t, id)).attempts).toBe(3);
    } finally {
      await slack.close();
    }
  }, 30_000);

  it('sends a notification claimed by a sender that died, once its lease lapses', async () => {
    const slack = await startFakeSlack();
    try {
      // As if another replica claimed it and crashed: status sending, lease ending in 1 s.
      const id = await queue(t, await channel(slack.url('/d')), `'sending', now() + interval '1 second', 1`);
      const leaseUntil = new Date((await notification(t, id)).lease_until!).getTime();
      await until('sent', async () => (await notification(t, id)).status === 'sent');
      expect(slack.calls).toHaveLength(1);
      // Nothing was sent while the dead sender's lease held.
      expect(slack.calls[0].at).toBeGreaterThanOrEqual(leaseUntil);
    } finally {
      await slack.close();
    }
  });

  it('paces messages to one Slack webhook to about one a second', async () => {
    await t.restart({ ...ENV, SLACK_MIN_INTERVAL_MS: '1000' });
    const slack = await startFakeSlack();
    try {
      const c = await channel(slack.url('/paced'));
      for (let i = 0; i < 3; i++) await queue(t, c);
      await until('three messages', () => slack.calls.length === 3);
      // Spacing of arrivals as the receiver saw them: a slow machine only spreads them further.
      expect(slack.calls[2].at - slack.calls[0].at).toBeGreaterThanOrEqual(1800);
    } finally {
      await slack.close();
    }
  });

  it('sends each notification once with two instances draining the same outbox', async () => {
    let other: TestApp | undefined = await startTestApp(t.db.url, ENV);
    const slack = await startFakeSlack();
    try {
      const c = await channel(slack.url('/e'));
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push(await queue(t, c));
      await until('all sent', async () => {
        const [r] = await t.dataSource.query(`SELECT count(*)::int AS n FROM notifications WHERE id = ANY($1::bigint[]) AND status = 'sent'`, [ids]);
        return r.n === 40;
      });
      // Stop both dispatchers, waiting for any send still in flight: a duplicate would have arrived by then.
      await other.close();
      other = undefined;
      await t.app.get(Dispatcher).onApplicationShutdown();
      expect(slack.calls).toHaveLength(40);
    } finally {
      await other?.close();
      await slack.close();
    }
  });
});
