/**
 * npm run screenshots [-- URL]: PNGs of the console's main pages into docs/,
 * taken with headless Chromium (playwright-core driving /usr/bin/chromium)
 * against a running engine — normally `npm run demo` during its incident.
 */
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const base = (process.argv[2] ?? process.env.BURNWATCH_URL ?? 'http://127.0.0.1:4318').replace(/\/$/, '');
const out = join(root, 'docs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'bw-shots-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
    colorScheme: (process.env.COLOR_SCHEME as 'light' | 'dark') ?? 'light',
  });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    // SHOTS=alerts,slo retakes only some (e.g. the alerts page after the incident resolved).
    const only = process.env.SHOTS ? new Set(process.env.SHOTS.split(',')) : undefined;
    const shot = async (path: string, file: string, ready: string, fullPage = false) => {
      if (only && !only.has(file.replace(/^console-|\.png$/g, ''))) return;
      await page.goto(`${base}${path}`);
      await page.waitForSelector(ready, { timeout: 30_000 });
      await page.waitForTimeout(800);
      await page.screenshot({ path: join(out, file), fullPage });
      console.log(`docs/${file}`);
    };
    await shot('/', 'console-slos.png', 'table.slos tbody tr');
    const slos = (await (await fetch(`${base}/api/v1/slos`)).json()) as { id: string; name: string }[];
    const checkout = slos.find((s) => s.name === 'checkout-availability') ?? slos[0];
    await shot(`/slos/${checkout.id}?range=1d`, 'console-slo.png', '.chart canvas', true);
    await shot('/alerts', 'console-alerts.png', 'h1');
    await shot('/services/checkout?window=1d', 'console-services.png', '.chart canvas');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('/', 'console-phone.png', 'table.slos tbody tr');
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
