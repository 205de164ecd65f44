import request from 'supertest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { until } from './support/wait.js';
import { createTestDatabase, TestDatabase } from './support/test-database.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { exportSpans, repeat, SpanSpec } from './support/otel.js';
import { startHttpRecorder, HttpRecorder } from './support/http-recorder.js';
import { binaryOrSkip, startBinary, RunningBinary } from './support/child-process.js';
import { freePort } from './support/free-port.js';

const AM_BIN = binaryOrSkip('/usr/bin/prometheus-alertmanager', 'Alertmanager e2e');
const TOKEN = 'am-bearer-s3cr3t-token';
const PUBLIC_URL = 'https://burnwatch.example.com';

interface AmWebhook {
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string; startsAt: string }[];
}
interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  status: { state: string };
}

/**
 * The real Alertmanager (Debian's 0.25) between Burnwatch and a recording
 * webhook receiver: Burnwatch pushes as Prometheus does, Alertmanager
 * groups and notifies. A second "Alertmanager" URL is a recorder, so the
 * test sees that every URL gets every push, with the bearer token.
 */
(AM_BIN ? describe : describe.skip)('Alertmanager channel against a real Alertmanager', () => {
  let db: TestDatabase;
  let t: TestApp;
  let receiver: HttpRecorder<AmWebhook>;
  let peer: HttpRecorder<unknown[]>;
  let am: RunningBinary;
  let dir: string;
  let sloId: string;
  const thisMinute = Math.floor(Date.now() / 60_000) * 60_000;
  const env = { FLUSH_INTERVAL_MS: '50', EVAL_INTERVAL_SECONDS: '1', PUBLIC_URL };

  const amAlerts = async (): Promise<AmAlert[]> => (await fetch(`${am.base}/api/v2/alerts`)).json() as Promise<AmAlert[]>;
  const ours = (alerts: AmAlert[]) => alerts.filter((a) => a.labels.slo === 'checkout-availability' && a.labels.severity === 'page');
  /** The page group's notifications. */
  const byStatus = (s: string) => receiver.received.filter((r) => r.body.status === s && r.body.groupLabels.severity === 'page');
  /** morePushes waits for `n` further pushes to reach the peer: proof that ticks went by, without a fixed sleep. */
  const morePushes = async (n: number) => {
    const seen = peer.received.length;
    await until(`${n} more pushes`, () => peer.received.length >= seen + n, 30_000);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-am-'));
    receiver = await startHttpRecorder((_req, res) => res.writeHead(200).end());
    peer = await startHttpRecorder((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(''));
    const port = await freePort();
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      [
        'route:',
        '  receiver: recorder',
        // Per severity: once the page resolves, the ticket tier (inhibited in Burnwatch until then) may fire on its own.
        "  group_by: ['alertname', 'slo', 'severity']",
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: recorder',
        '    webhook_configs:',
        `      - url: ${receiver.base}/hook`,
        '        send_resolved: true',
      ].join('\n'),
    );
    am = await startBinary(
      AM_BIN!,
      [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
      port,
    );
    db = await createTestDatabase();
    t = await startTestApp(db.url, env, { listen: true });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await am?.stop();
    await receiver?.close();
    await peer?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores an Alertmanager channel and never returns its token', async () => {
    await request(t.server).post('/api/v1/channels').send({ name: 'bad', type: 'alertmanager', config: { urls: ['ftp://x'] } }).expect(400);
    await request(t.server)
      .post('/api/v1/channels')
      .send({ name: 'bad2', type: 'alertmanager', config: { urls: [am.base], bearerToken: 'x', basicAuth: { username: 'u', password: 'p' } } })
      .expect(400);
    const c = await request(t.server)
      .post('/api/v1/channels')
      .send({ name: 'alertmanager', type: 'alertmanager', config: { urls: [am.base, peer.base], bearerToken: TOKEN } })
      .expect(201);
    const listed = await request(t.server).get('/api/v1/channels').expect(200);
    expect(JSON.stringify([c.body, listed.body])).not.toContain(TOKEN);
    expect(c.body.config).toEqual({ urls: ['[redacted]', '[redacted]'], urlHosts: [new URL(am.base).host, new URL(peer.base).host], auth: 'bearer' });
    const slo = await request(t.server)
      .post('/api/v1/slos')
      .send({
        name: 'checkout-availability',
        service: 'shop',
        indicator: { type: 'availability' },
        selector: { operations: ['POST /checkout'] },
        objective: 99.9,
        window: '30d',
        labels: { team: 'payments' },
        runbookUrl: 'https://runbooks.example.com/checkout',
        channels: [c.body.id],
      })
      .expect(201);
    sloId = slo.body.id;
  });

  it('an outage reaches the receiver as exactly one group notification, and Alertmanager lists the alert with our labels', async () => {
    const healthy: SpanSpec[] = [];
    for (let i = 30; i >= 2; i--) healthy.push(...repeat(50, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 30 }, thisMinute - i * 60_000));
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'shop' }, healthy);
    await exportSpans(
      t.baseUrl,
      'protobuf',
      { 'service.name': 'shop' },
      repeat(50, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 2, attributes: { 'http.response.status_code': 500 } }, thisMinute).map((s) => ({ ...s, startMs: Date.now() - 2000 })),
    );
    await until('a firing notification from Alertmanager', () => byStatus('firing').length >= 1, 30_000);
    const [active] = await until('the alert active in Alertmanager', async () => ours(await amAlerts()).filter((a) => a.status.state === 'active').length === 1 && ours(await amAlerts()));
    expect(active.labels).toEqual({ alertname: 'SloErrorBudgetBurn', slo: 'checkout-availability', service: 'shop', severity: 'page', team: 'payments' });
    expect(active.generatorURL).toBe(`${PUBLIC_URL}/slos/${sloId}`);
    expect(active.annotations.runbook_url).toBe('https://runbooks.example.com/checkout');
    expect(active.annotations.description).toMatch(/checkout-availability is burning its error budget/);
    expect(active.annotations.description).toMatch(/Burn rate 5m [\d.]+x/);
    expect(active.annotations.description).toMatch(/Error budget left/);
    expect(active.annotations.top_operations).toContain('POST /checkout');
    // Valid for minutes, not for one tick: a restart or a few slow ticks must not resolve it.
    expect(Date.parse(active.endsAt) - Date.now()).toBeGreaterThan(3 * 60_000);

    // Several more pushes of the same alert do not make Alertmanager notify again.
    await morePushes(3);
    const firing = byStatus('firing');
    expect(firing).toHaveLength(1);
    expect(firing[0].body.groupLabels).toEqual({ alertname: 'SloErrorBudgetBurn', slo: 'checkout-availability', severity: 'page' });
    expect(firing[0].body.alerts.map((a) => a.labels.severity)).toEqual(['page']);
    // The second URL got the same alerts, with the token.
    const push = peer.received[peer.received.length - 1];
    expect(push.path).toBe('/api/v2/alerts');
    expect(push.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect((push.body as AmAlert[]).map((a) => a.labels.slo)).toContain('checkout-availability');
  }, 90_000);

  it('restarting Burnwatch while it fires does not resolve the alert', async () => {
    const before = ours(await amAlerts())[0];
    await t.close();
    t = await startTestApp(db.url, env, { listen: true });
    await morePushes(3);
    const after = ours(await amAlerts());
    expect(after).toHaveLength(1);
    expect(after[0].status.state).toBe('active');
    expect(after[0].startsAt).toBe(before.startsAt);
    expect(byStatus('resolved')).toHaveLength(0);
    expect(byStatus('firing')).toHaveLength(1);
  }, 90_000);

  it('recovery reaches the receiver as one resolved notification', async () => {
    await exportSpans(
      t.baseUrl,
      'protobuf',
      { 'service.name': 'shop' },
      // Enough good calls to bring both page tiers' short windows (5m, 30m) under their factors.
      repeat(20_000, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 30 }, thisMinute).map((s, i) => ({ ...s, startMs: Date.now() - 3000 + (i % 2000) })),
    );
    await until('a resolved notification from Alertmanager', () => byStatus('resolved').length >= 1, 60_000);
    await morePushes(3);
    expect(byStatus('resolved')).toHaveLength(1);
    expect(byStatus('firing')).toHaveLength(1);
    const resolved = byStatus('resolved')[0].body.alerts[0];
    expect(resolved.labels.slo).toBe('checkout-availability');
    expect(resolved.generatorURL).toBe(`${PUBLIC_URL}/slos/${sloId}`);
    expect(ours(await amAlerts())).toEqual([]);
  }, 120_000);
});
