import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { useTestApp } from '../support/test-app.js';
import { startFakeSlack } from '../support/fake-slack.js';
import { notification, queue } from '../support/outbox.js';
import { Dispatcher } from '../../src/notify/dispatcher.service.js';
import { OutboxRepository } from '../../src/notify/outbox.repository.js';
import { ChannelRepository } from '../../src/notify/channel.repository.js';
import { ChannelSender } from '../../src/notify/channel-sender.service.js';
import { NotifyMetrics } from '../../src/notify/notify.metrics.js';
import type { Clock } from '../../src/common/clock.js';

/**
 * The dispatcher's timing rules with an explicit clock: the app's own
 * dispatcher is stopped, and the test drains the outbox itself with a
 * dispatcher whose clock it sets. Which rows are due is still PostgreSQL's
 * now(), so the clock is set in the past: every time it computes is already
 * due, and a drain at the right clock time sends at once.
 */
describe('dispatcher timing on an explicit clock', () => {
  const t = useTestApp({ NOTIFY_POLL_MS: '60000', EVAL_INTERVAL_SECONDS: '3600', SLACK_MIN_INTERVAL_MS: '1000', NOTIFY_MAX_ATTEMPTS: '3' });
  let at = 0;
  const clock: Clock = { now: () => at };
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    await t.app.get(Dispatcher).onApplicationShutdown();
    dispatcher = new Dispatcher(t.config, t.app.get(OutboxRepository), t.app.get(ChannelRepository), t.app.get(ChannelSender), t.app.get(NotifyMetrics), clock);
  });

  async function channel(url: string): Promise<string> {
    const res = await request(t.server).post('/api/v1/channels').send({ name: `c-${randomUUID().slice(0, 8)}`, type: 'slack', config: { webhookUrl: url } }).expect(201);
    return res.body.id;
  }

  it('paces messages to one Slack webhook to one a second, handing paced attempts back uncounted', async () => {
    const slack = await startFakeSlack();
    try {
      const c = await channel(slack.url('/paced'));
      const ids = [await queue(t, c), await queue(t, c), await queue(t, c)];
      const T = Math.floor(Date.now() / 1000) * 1000 - 60_000;
      at = T;
      await dispatcher.drain();
      expect(slack.calls).toHaveLength(1);
      const waiting = await Promise.all(ids.map((id) => notification(t, id)));
      const paced = waiting.filter((n) => n.status === 'pending');
      expect(paced).toHaveLength(2);
      for (const n of paced) {
        expect(new Date(n.next_attempt_at).getTime()).toBe(T + 1000);
        expect(n.attempts).toBe(0);
      }
      // One millisecond early, the webhook is still paced; at the second, the next one goes.
      at = T + 999;
      await dispatcher.drain();
      expect(slack.calls).toHaveLength(1);
      at = T + 1000;
      await dispatcher.drain();
      expect(slack.calls).toHaveLength(2);
      at = T + 2000;
      await dispatcher.drain();
      expect(slack.calls).toHaveLength(3);
      expect((await Promise.all(ids.map((id) => notification(t, id)))).map((n) => n.status)).toEqual(['sent', 'sent', 'sent']);
    } finally {
      await slack.close();
    }
  });

  it('retries a 429 exactly Retry-After later (when that exceeds the backoff)', async () => {
    const slack = await startFakeSlack((_c, n) => (n === 1 ? { status: 429, body: 'rate_limited', headers: { 'Retry-After': '2' } } : { status: 200, body: 'ok' }));
    try {
      const id = await queue(t, await channel(slack.url('/limited')));
      const T = Math.floor(Date.now() / 1000) * 1000 - 60_000;
      at = T;
      await dispatcher.drain();
      const row = await notification(t, id);
      expect(row.status).toBe('pending');
      expect(row.attempts).toBe(1);
      // The first attempt's backoff is at most 1 s: Retry-After's 2 s wins.
      expect(new Date(row.next_attempt_at).getTime()).toBe(T + 2000);
      at = T + 2000;
      await dispatcher.drain();
      expect(slack.calls).toHaveLength(2);
      expect((await notification(t, id)).status).toBe('sent');
    } finally {
      await slack.close();
    }
  });
});
