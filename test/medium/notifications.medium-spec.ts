import request from 'supertest';
import { SpanKind } from '@opentelemetry/api';
import { until } from '../support/wait.js';
import { createTestDatabase, TestDatabase } from '../support/test-database.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { exportSpans, repeat, SpanSpec } from '../support/otel.js';
import { startFakeSlack } from '../support/fake-slack.js';
import { startSmtpSink } from '../support/fake-smtp.js';
import { metricValue } from '../support/metrics.js';
import { TickDriver } from '../support/tick-driver.js';

/** decode undoes quoted-printable soft breaks and escapes, so assertions read the text a person reads. */
const decode = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

const SECRET_PATH = '/services/T000/B000/s3cr3t-webhook-token';

/**
 * Evaluation runs on an explicit clock (TickDriver): the test decides when
 * a tick happens and what time it is, so "nothing more is sent" is checked
 * after a later tick and a drained outbox instead of after a fixed sleep.
 * Spans, silences and delivery still run on real time, so each step first
 * brings the clock up to the wall clock (catchUp) and then moves it on.
 */

/** counted: the SLO's events stored so far (the flusher writes them shortly after ingest). */
async function counted(t: TestApp, sloId: string): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT COALESCE(SUM(total), 0)::int AS total FROM sli_minute WHERE slo_id = $1`, [sloId]);
  return row.total;
}

async function alertState(t: TestApp, sloId: string): Promise<string | undefined> {
  const [row] = await t.dataSource.query(`SELECT state FROM alerts WHERE source = 'slo' AND source_id = $1 ORDER BY active_at DESC LIMIT 1`, [sloId]);
  return row?.state;
}

/** drained: every queued notification has been delivered (or given up), so nothing more is on its way. */
async function drained(t: TestApp): Promise<boolean> {
  const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM notifications WHERE status IN ('pending', 'sending')`);
  return row.n === 0;
}

/** tickUntil ticks a second at a time until `done`, as the scheduler would, but without waiting for real seconds. */
async function tickUntil(clock: TickDriver, what: string, done: () => Promise<boolean>, maxTicks = 60): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    await clock.tick(1000);
    if (await done()) return;
  }
  throw new Error(`${what}: not after ${maxTicks} ticks`);
}

describe('notifications end to end: outage -> Slack + email, recovery -> resolved', () => {
  let db: TestDatabase;
  let t: TestApp;
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let sloId: string;
  let clock: TickDriver;
  const now = Date.now();
  const thisMinute = Math.floor(now / 60_000) * 60_000;

  beforeAll(async () => {
    db = await createTestDatabase();
    slack = await startFakeSlack();
    smtp = await startSmtpSink();
    t = await startTestApp(
      db.url,
      {
        FLUSH_INTERVAL_MS: '50',
        // The test ticks itself (TickDriver); the app's timer is stopped.
        EVAL_INTERVAL_SECONDS: '3600',
        NOTIFY_POLL_MS: '100',
        NOTIFY_REPEAT_INTERVAL_SECONDS: '3',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_FROM: 'burnwatch@example.com',
        SMTP_PASSWORD: 'smtp-password-never-shown',
        PUBLIC_URL: 'https://burnwatch.example.com',
      },
      { listen: true },
    );
    clock = await TickDriver.explicit(t, now);
  });
  afterAll(async () => {
    await t?.close();
    await slack?.close();
    await smtp?.close();
    await db?.drop();
  });

  it('stores channels and never returns their secrets', async () => {
    const s = await request(t.server).post('/api/v1/channels').send({ name: 'oncall-slack', type: 'slack', config: { webhookUrl: slack.url(SECRET_PATH) } }).expect(201);
    const e = await request(t.server).post('/api/v1/channels').send({ name: 'oncall-mail', type: 'email', config: { to: ['oncall@example.com'] } }).expect(201);
    await request(t.server).post('/api/v1/channels').send({ name: 'bad', type: 'slack', config: { webhookUrl: 'nope' } }).expect(400);
    const listed = await request(t.server).get('/api/v1/channels').expect(200);
    expect(JSON.stringify([s.body, e.body, listed.body])).not.toContain('s3cr3t');
    expect(s.body.config).toEqual({ webhookUrl: '[redacted]', webhookHost: expect.stringContaining('127.0.0.1') });
    const slo = await request(t.server)
      .post('/api/v1/slos')
      .send({
        name: 'checkout-availability',
        service: 'shop',
        indicator: { type: 'availability' },
        selector: { operations: ['POST /checkout'] },
        objective: 99.9,
        window: '30d',
        runbookUrl: 'https://runbooks.example.com/checkout',
        channels: [s.body.id, e.body.id],
      })
      .expect(201);
    sloId = slo.body.id;
  });

  it('sends a test notification and reports the outcome', async () => {
    const channels = (await request(t.server).get('/api/v1/channels').expect(200)).body;
    for (const c of channels) {
      const res = await request(t.server).post(`/api/v1/channels/${c.id}/test`).expect(200);
      expect(res.body).toEqual({ ok: true });
    }
    expect(slack.calls).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect(decode(smtp.mails[0].raw)).toContain('Subject: [TEST:info] BurnwatchTest');
    slack.calls.length = 0;
    smtp.mails.length = 0;
  });

  it('pages once in Slack and once by email, with what the on-call person needs', async () => {
    const healthy: SpanSpec[] = [];
    for (let i = 30; i >= 2; i--) healthy.push(...repeat(50, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 30 }, thisMinute - i * 60_000));
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'shop' }, healthy);
    await exportSpans(
      t.baseUrl,
      'protobuf',
      { 'service.name': 'shop' },
      repeat(200, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 2, attributes: { 'http.response.status_code': 500 } }, thisMinute).map((s) => ({ ...s, startMs: Date.now() - 2000 })),
    );
    await until('the spans counted', async () => (await counted(t, sloId)) >= healthy.length + 200);
    clock.catchUp();
    await tickUntil(clock, 'the alert firing', async () => (await alertState(t, sloId)) === 'firing');
    await until('one Slack message', () => slack.calls.length >= 1);
    await until('one email', () => smtp.mails.length >= 1);
    // A later tick within the 3 s repeat interval, and everything it queued delivered: still one of each.
    await clock.tick(1000);
    await until('the outbox drained', () => drained(t));
    expect(slack.calls).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    const msg = slack.calls[0];
    expect(msg.path).toBe(SECRET_PATH);
    const text = JSON.stringify(msg.body);
    expect(msg.body.text).toMatch(/checkout-availability/);
    expect(text).toContain('POST /checkout');
    expect(text).toContain('https://runbooks.example.com/checkout');
    expect(text).toContain(`https://burnwatch.example.com/api/v1/slos/${sloId}/status`);
    expect(msg.body.attachments?.[0].blocks?.length ?? msg.body.blocks?.length).toBeLessThanOrEqual(50);
    const mail = smtp.mails[0];
    expect(mail.to).toEqual(['oncall@example.com']);
    expect(decode(mail.raw)).toMatch(/Subject: \[FIRING:page\] checkout-availability/);
    expect(decode(mail.raw)).toContain('POST /checkout');
    const sent = (await request(t.server).get('/api/v1/notifications?status=sent').expect(200)).body;
    expect(sent.map((n: { kind: string }) => n.kind).sort()).toEqual(['firing', 'firing']);
  });

  it('holds repeats while a silence matches, and lets the next one through when it ends', async () => {
    const silence = await request(t.server)
      .post('/api/v1/silences')
      .send({ matchers: [{ name: 'slo', op: '=', value: 'checkout-availability' }], endsAt: new Date(Date.now() + 60_000).toISOString(), createdBy: 'alice', comment: 'fixing' })
      .expect(201);
    const before = slack.calls.length;
    clock.catchUp();
    await clock.tick(4500); // longer than the 3 s repeat interval
    await until('the outbox drained', () => drained(t));
    expect(slack.calls.length).toBe(before);
    await request(t.server).delete(`/api/v1/silences/${silence.body.id}`).expect(204);
    // The silence ended at the wall clock's now: the next tick is after it.
    clock.catchUp();
    await clock.tick(1000);
    await until('a repeat after the silence', () => slack.calls.length > before);
    expect(JSON.stringify(slack.calls[slack.calls.length - 1].body)).toMatch(/checkout-availability/);
  });

  it('sends one resolved message per channel after recovery', async () => {
    const stored = await counted(t, sloId);
    // Stop repeats from muddying the count: a long silence on nothing else would, so just count resolved ones.
    await exportSpans(
      t.baseUrl,
      'protobuf',
      { 'service.name': 'shop' },
      repeat(400_000 / 4, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 30 }, thisMinute).map((s, i) => ({ ...s, startMs: Date.now() - 3000 + (i % 2000) })),
    );
    await until('the recovery counted', async () => (await counted(t, sloId)) >= stored + 400_000 / 4);
    clock.catchUp();
    await tickUntil(clock, 'the alert resolved', async () => (await alertState(t, sloId)) === 'resolved', 10);
    const resolvedMails = () => smtp.mails.filter((m) => /Subject: \[RESOLVED/.test(decode(m.raw)));
    await until('a resolved email', () => resolvedMails().length >= 1);
    // A later tick, and everything it queued delivered: still one resolved message per channel.
    await clock.tick(1000);
    await until('the outbox drained', () => drained(t));
    expect(resolvedMails()).toHaveLength(1);
    const resolvedSlack = slack.calls.filter((c) => /resolved/i.test(c.body.text ?? ''));
    expect(resolvedSlack).toHaveLength(1);
    const m = (await request(t.server).get('/metrics').expect(200)).text;
    expect(metricValue(m, 'burnwatch_notifications_sent_total', { channel_type: 'slack', kind: 'resolved' })).toBe(1);
    expect(metricValue(m, 'burnwatch_notifications_sent_total', { channel_type: 'email', kind: 'resolved' })).toBe(1);
  });
});
