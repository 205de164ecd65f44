/**
 * Console benchmark (issue 12): the SLO list with 1,000 SLOs — the cost of
 * the one summary request (cold: every SLO evaluated on the spot; warm: the
 * evaluator's snapshots), and the time headless Chromium takes from
 * navigation to the list of 1,000 (windowed: the rows on screen are in the
 * DOM), and to re-filter them on a keystroke.
 * Needs /usr/bin/chromium; without it only the API figures are printed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { startServer } from './server.js';

const HOUR = 3_600_000;
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface ConsoleFigures {
  slos: number;
  summaryColdMs: number;
  summaryWarmMs: number;
  renderMs: number | null;
  filterMs: number | null;
}

async function seed(url: string, count: number, nowMs: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`TRUNCATE slos, sli_minute, sli_hour, slo_status, evaluator_tick`);
  await c.query(
    `INSERT INTO slos (id, name, service, spec)
     SELECT gen_random_uuid(), 'slo-' || i, 'svc-' || (i % 50),
            jsonb_build_object('name', 'slo-' || i, 'service', 'svc-' || (i % 50), 'description', '',
              'indicator', jsonb_build_object('type', 'availability', 'clientErrorsAreBad', false, 'ignoreStatusCodes', '[]'::jsonb),
              'selector', jsonb_build_object('operations', '[]'::jsonb, 'spanKinds', '[2,5]'::jsonb, 'attributes', '{}'::jsonb),
              'objective', 99.9, 'window', '7d', 'labels', jsonb_build_object('team', 'team-' || (i % 10)), 'runbookUrl', null,
              'channels', '[]'::jsonb, 'alerting', '{}'::jsonb)
     FROM generate_series(1, $1) AS i`,
    [count],
  );
  // A week of hour rows with a different error ratio per SLO, so budgets differ and the sort has work to do.
  const end = Math.floor(nowMs / HOUR) * HOUR;
  await c.query(
    `INSERT INTO sli_hour (slo_id, bucket, good, total)
     SELECT s.id, to_timestamp(h), 60000 - (abs(hashtext(s.name)) % 120), 60000 FROM slos s, generate_series($1::bigint, $2::bigint, 3600) AS h`,
    [(end - 8 * 24 * HOUR) / 1000, (end - HOUR) / 1000],
  );
  await c.query(`ANALYZE`);
  await c.end();
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function runConsoleBench(databaseUrl: string, count = 1000): Promise<ConsoleFigures> {
  await seed(databaseUrl, count, Date.now());
  const server = await startServer({ databaseUrl, env: { EVAL_INTERVAL_SECONDS: '5' } });
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const summary = async () => {
      const r = await fetch(`${base}/api/v1/slos/summary`);
      if (!r.ok) throw new Error(`summary: ${r.status}`);
      const list = (await r.json()) as unknown[];
      if (list.length !== count) throw new Error(`summary: ${list.length} SLOs, expected ${count}`);
    };
    const summaryColdMs = await timed(summary);
    // Wait for the evaluator's snapshots, then time the warm path.
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    for (let i = 0; i < 120; i++) {
      if (Number((await c.query(`SELECT count(*) AS n FROM slo_status`)).rows[0].n) >= count) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await c.end();
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await timed(summary));
    warm.sort((a, b) => a - b);

    let renderMs: number | null = null;
    let filterMs: number | null = null;
    if (existsSync(CHROMIUM)) {
      const profile = mkdtempSync(join(tmpdir(), 'bw-bench-chromium-'));
      const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 900 } });
      try {
        const page = ctx.pages()[0] ?? (await ctx.newPage());
        const renders: number[] = [];
        for (let i = 0; i < 3; i++) {
          await page.goto(`${base}/`);
          // Browser-side code as strings: this file is compiled without the DOM library.
          // The list is windowed past 200 rows: ready when it holds all SLOs and shows its first rows.
          await page.waitForFunction(`document.querySelector('table.slos')?.dataset.rows === '${count}' && document.querySelectorAll('tr.slo-row').length > 20`, undefined, { timeout: 60_000, polling: 'raf' });
          renders.push(await page.evaluate<number>('performance.now()'));
        }
        renders.sort((a, b) => a - b);
        renderMs = renders[1];
        filterMs = await page.evaluate<number>(`(async () => {
          const input = document.querySelector('input[type=search]');
          const t0 = performance.now();
          input.value = 'slo-99';
          input.dispatchEvent(new Event('input', { bubbles: true }));
          while (document.querySelector('table.slos').dataset.rows !== '11') await new Promise((r) => requestAnimationFrame(r));
          return performance.now() - t0;
        })()`);
      } finally {
        await ctx.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
    return { slos: count, summaryColdMs, summaryWarmMs: warm[2], renderMs, filterMs };
  } finally {
    await server.stop();
  }
}
