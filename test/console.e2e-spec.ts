import request from 'supertest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { SpanKind } from '@opentelemetry/api';
import { until } from './support/wait.js';
import { createTestDatabase, TestDatabase } from './support/test-database.js';
import { useTestApp, startTestApp } from './support/test-app.js';
import { exportSpans, repeat, SpanSpec } from './support/otel.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const TRACE_URL = 'http://traces.example.com/trace/{traceId}';
const ENV = { FLUSH_INTERVAL_MS: '50', EVAL_INTERVAL_SECONDS: '1', TRACE_URL_TEMPLATE: TRACE_URL };
const WRITE = 'console-write-token-0123456789';
const READ = 'console-read-token-0123456789ab';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`console browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
const describeBrowser = haveChromium ? describe : describe.skip;

/** openBrowser: headless Debian Chromium with a fresh profile; every page error or console error is collected. */
async function openBrowser(): Promise<{ ctx: BrowserContext; page: Page; errors: string[]; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'bw-e2e-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 900 } });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A refused API call shows as a console error of the network layer; the tests that expect one read it from the page instead.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|401|403)/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return {
    ctx,
    page,
    errors,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

describeBrowser('web console in headless Chromium', () => {
  const t = useTestApp(ENV, { listen: true });
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let checkoutId: string;
  let outageTraceIds: string[] = [];
  const now = Date.now();
  const thisMinute = Math.floor(now / 60_000) * 60_000;

  beforeAll(async () => {
    const created = await request(t.server)
      .post('/api/v1/slos')
      .send({ name: 'checkout-availability', service: 'shop', indicator: { type: 'availability' }, selector: { operations: ['POST /checkout'] }, objective: 99.9, window: '30d' })
      .expect(201);
    checkoutId = created.body.id;
    await request(t.server)
      .post('/api/v1/slos')
      .send({ name: 'products-latency', service: 'shop', indicator: { type: 'latency', thresholdMs: 100 }, selector: { operations: ['GET /products'] }, objective: 99, window: '7d', labels: { team: 'web' } })
      .expect(201);
    // An hour of healthy traffic through the real SDK.
    const healthy: SpanSpec[] = [];
    for (let i = 60; i >= 2; i--) {
      healthy.push(...repeat(40, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 30 }, thisMinute - i * 60_000));
      healthy.push(...repeat(20, { name: 'GET /products', kind: SpanKind.SERVER, durationMs: 20 }, thisMinute - i * 60_000));
    }
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'shop' }, healthy);
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens on a fresh start with a hint on sending spans and creating an SLO', async () => {
    const freshDb = await createTestDatabase();
    const fresh = await startTestApp(freshDb.url, ENV, { listen: true });
    try {
      const { page } = browser;
      await page.goto(`${fresh.baseUrl}/`);
      const hint = (await (await page.waitForSelector('section.empty', { timeout: 30_000 })).textContent()) ?? '';
      expect(hint).toContain(`${fresh.baseUrl}/v1/traces`);
      expect(hint).toContain('/api/v1/slos');
      expect(await page.$('section.empty a[href="/slos/new"]')).not.toBeNull();
    } finally {
      await fresh.close();
      await freshDb.drop();
    }
  });

  it('serves the console at / and for its routes, without shadowing the API, ingest, docs or health', async () => {
    const index = await request(t.server).get('/').expect(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.text).toContain('/app.js');
    expect((await request(t.server).get(`/slos/${checkoutId}`).expect(200)).text).toContain('<div id="app">');
    await request(t.server).get('/app.js').expect(200).expect('Content-Type', /javascript/);
    await request(t.server).get('/nothing-here.js').expect(404);
    expect((await request(t.server).get('/api/v1/nothing').expect(404)).body).toMatchObject({ error: 'not_found' });
    await request(t.server).get('/healthz').expect(200);
    await request(t.server).get('/v1/traces').expect(404);
    expect((await request(t.server).get('/metrics').expect(200)).text).toContain('burnwatch_');
  });

  it('lists the SLOs with their budgets, worst first', async () => {
    const { page } = browser;
    await page.goto(`${t.baseUrl}/`);
    await page.waitForSelector('tr.slo-row', { timeout: 30_000 });
    const rows = await page.$$eval('tr.slo-row', (trs) => trs.map((tr) => ({ slo: tr.getAttribute('data-slo'), text: tr.textContent ?? '' })));
    expect(rows.map((r) => r.slo).sort()).toEqual(['checkout-availability', 'products-latency']);
    for (const r of rows) expect(r.text).toMatch(/100\.0%/); // healthy traffic: the whole budget is left
    // The list's one request: every SLO with its status.
    const summary = (await request(t.server).get('/api/v1/slos/summary').expect(200)).body;
    expect(summary.map((x: { name: string }) => x.name).sort()).toEqual(['checkout-availability', 'products-latency']);
    expect(summary.find((x: { name: string }) => x.name === 'checkout-availability')).toMatchObject({ budgetRemaining: 1, events: 59 * 40, sli: 1 });
    await page.fill('input[type=search]', 'latency');
    await until('the search to filter', async () => (await page.$$('tr.slo-row')).length === 1);
    expect(await page.getAttribute('tr.slo-row', 'data-slo')).toBe('products-latency');
  });

  it('draws the SLO page charts: budget burn-down, SLI and burn rates, and the tier table', async () => {
    const { page } = browser;
    await page.goto(`${t.baseUrl}/slos/${checkoutId}?range=6h`);
    await page.waitForSelector('.chart canvas', { timeout: 30_000 });
    await until('three charts', async () => (await page.$$('.chart canvas')).length === 3);
    // A canvas with lines on it has non-transparent pixels.
    const painted = await page.$$eval('.chart canvas', (cs) =>
      cs.map((c) => {
        const canvas = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
        const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      }),
    );
    for (const n of painted) expect(n).toBeGreaterThan(500);
    const tiers = await page.$$eval('table.tiers tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(tiers).toHaveLength(4);
    expect(tiers[0]).toContain('1h / 5m');
  });

  it('shows an outage page alert as firing, with the failing operation and links to its traces', async () => {
    const outage = repeat(300, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 2, attributes: { 'http.response.status_code': 503 } }, thisMinute).map((s, i) => ({
      ...s,
      startMs: now - 5000 + (i % 1000),
    }));
    outageTraceIds = await exportSpans(t.baseUrl, 'json', { 'service.name': 'shop' }, outage);
    await until(
      'the page alert',
      async () => (await request(t.server).get('/api/v1/alerts?state=firing').expect(200)).body.some((a: { severity: string }) => a.severity === 'page'),
      60_000,
    );
    const { page } = browser;
    await page.goto(`${t.baseUrl}/alerts`);
    const card = await page.waitForSelector('article.alert.firing.page', { timeout: 30_000 });
    expect(await card.textContent()).toContain('POST /checkout');
    const links = await card.$$eval('a.trace', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) {
      const id = href.replace('http://traces.example.com/trace/', '');
      expect(outageTraceIds).toContain(id);
    }
    // Silence it from its card: a silence matching exactly this alert.
    await card.$eval('button.small', (b) => (b as unknown as { click(): void }).click());
    await page.fill('input[name=createdBy]', 'alice');
    await page.fill('input[name=comment]', 'rolling back');
    await page.click('.silence-form button[type=submit]');
    await page.waitForSelector('article.alert p.ok', { timeout: 30_000 });
    const silences = (await request(t.server).get('/api/v1/silences').expect(200)).body;
    expect(silences).toHaveLength(1);
    expect(silences[0]).toMatchObject({ createdBy: 'alice', comment: 'rolling back' });
    expect(silences[0].matchers).toEqual(expect.arrayContaining([{ name: 'slo', op: '=', value: 'checkout-availability' }, { name: 'severity', op: '=', value: 'page' }]));
    // The list shows it too: the SLO is firing and over budget.
    await page.goto(`${t.baseUrl}/?firing=1`);
    await page.waitForSelector('tr.slo-row .badge.firing.page', { timeout: 30_000 });
    expect(await page.getAttribute('tr.slo-row', 'data-slo')).toBe('checkout-availability');
    // And the SLO page lists the alert with its transitions.
    await page.goto(`${t.baseUrl}/slos/${checkoutId}`);
    const onSlo = await page.waitForSelector('article.alert.firing.page', { timeout: 30_000 });
    expect(await onSlo.textContent()).toMatch(/firing/);
  });

  it('creates an SLO through the form, showing the API’s message for a bad value', async () => {
    const { page } = browser;
    await page.goto(`${t.baseUrl}/slos/new`);
    await page.fill('input[name=name]', 'shop-availability');
    await page.fill('input[name=service]', 'shop');
    await page.fill('input[name=objective]', '100');
    await page.click('button[type=submit]');
    const shown = (await (await page.waitForSelector('form .error', { timeout: 30_000 })).textContent()) ?? '';
    const api = await request(t.server).post('/api/v1/slos').send({ name: 'x', service: 'shop', indicator: { type: 'availability' }, objective: 100, window: '30d' }).expect(400);
    expect(shown).toBe(api.body.message);
    await page.fill('input[name=objective]', '99.5');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/slos\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    await page.waitForSelector('h1:text("shop-availability")');
    const list = (await request(t.server).get('/api/v1/slos?name=shop-availability').expect(200)).body;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ objective: 99.5, window: '30d', indicator: { type: 'availability' } });
  });

  it('shows services with their charts, and no page had a script error', async () => {
    const { page, errors } = browser;
    await page.goto(`${t.baseUrl}/services/shop?window=1h`);
    await until('service charts', async () => (await page.$$('.chart canvas')).length === 3, 30_000);
    const ops = await page.waitForSelector('table.compact', { timeout: 30_000 });
    expect(await ops.textContent()).toContain('POST /checkout');
    // The charts' series hold every span that was sent: 59 healthy minutes of 40 plus the 300 failed.
    const series = (await request(t.server).get('/api/v1/services/shop/series').query({ window: '2h', operation: 'POST /checkout' }).expect(200)).body;
    expect(series.stepSeconds).toBe(60);
    const sum = (k: 'calls') => series.points.reduce((a: number, p: { calls: number }) => a + p[k], 0);
    expect(sum('calls')).toBe(59 * 40 + 300);
    expect(series.points.some((p: { errorRatio: number | null }) => (p.errorRatio ?? 0) > 0.5)).toBe(true);
    await request(t.server).get('/api/v1/services/shop/series?window=1y').expect(400);
    expect(errors).toEqual([]);
  });

  it('with tokens: asks for one, and shows write actions only to a write token', async () => {
    const secured = await startTestApp(t.db.url, { ...ENV, READ_TOKENS: READ, WRITE_TOKENS: WRITE, INGEST_TOKENS: WRITE }, { listen: true });
    const b = await openBrowser();
    try {
      await b.page.goto(`${secured.baseUrl}/`);
      await b.page.fill('input[name=token]', READ);
      await b.page.click('button[type=submit]');
      await b.page.waitForSelector('tr.slo-row', { timeout: 30_000 });
      expect(await b.page.$('a.button[href="/slos/new"]')).toBeNull();
      expect(await b.page.textContent('.who')).toContain('read-only');
      await b.page.click('.who button');
      await b.page.fill('input[name=token]', WRITE);
      await b.page.click('button[type=submit]');
      await b.page.waitForSelector('a.button[href="/slos/new"]', { timeout: 30_000 });
      // A wrong token is refused with the API's message.
      await b.page.click('.who button');
      await b.page.fill('input[name=token]', 'not-a-valid-token-at-all-000');
      await b.page.click('button[type=submit]');
      expect(await (await b.page.waitForSelector('.login .error')).textContent()).toContain('not valid');
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
      await secured.close();
    }
  });
});
