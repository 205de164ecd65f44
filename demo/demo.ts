/**
 * npm run demo: the engine with a week of history and a live incident.
 *
 * 1. starts the built engine (embedded PostgreSQL in .data-demo/, started afresh)
 * 2. a local webhook channel whose receiver prints notifications here
 * 3. SLOs (availability and latency) and a symptom rule over four services
 * 4. a week of history sent through the real OpenTelemetry SDK with past timestamps
 * 5. live traffic, and a scripted 5xx burst on checkout's POST /checkout that
 *    pages and resolves
 * Ctrl-C stops the traffic, then the engine, then exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPERATIONS, conditionsAt, plan, rng, type LiveIncident } from './model.js';
import { Services } from './traffic.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = process.env;
const PORT = Number(env.DEMO_PORT ?? env.PORT ?? 4318);
const DATA_DIR = env.DEMO_DATA_DIR ?? join(root, '.data-demo');
const HISTORY_DAYS = Number(env.DEMO_HISTORY_DAYS ?? 7);
const INCIDENT_AFTER_S = Number(env.DEMO_INCIDENT_AFTER_SECONDS ?? 60);
const INCIDENT_S = Number(env.DEMO_INCIDENT_SECONDS ?? 180);
const BASE = `http://127.0.0.1:${PORT}`;
const MINUTE = 60_000;

const c = process.stdout.isTTY
  ? { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', bold: '\x1b[1m', dim: '\x1b[2m', off: '\x1b[0m' }
  : { red: '', green: '', yellow: '', bold: '', dim: '', off: '' };
const say = (m: string) => process.stdout.write(`${c.dim}[demo]${c.off} ${m}\n`);

async function api(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  const res = await fetch(`${BASE}${path}`, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A local webhook receiver: the demo's notification channel, printed on this terminal. */
function startReceiver(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      res.writeHead(200).end();
      try {
        const p = JSON.parse(body);
        for (const a of p.alerts ?? []) {
          const firing = a.status === 'firing';
          const colour = firing ? (a.labels.severity === 'page' ? c.red : c.yellow) : c.green;
          process.stdout.write(
            `${colour}${c.bold}[notification] ${a.status.toUpperCase()} ${a.labels.severity ?? ''} ${a.labels.alertname}${c.off} ${a.labels.slo ?? a.labels.rule ?? ''}\n` +
              `               ${a.annotations.description ?? a.annotations.summary ?? ''}\n`,
          );
        }
      } catch {
        process.stdout.write(`[notification] ${body.slice(0, 300)}\n`);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/alerts` })));
}

function startEngine(): ChildProcess {
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  const log = createWriteStream(join(DATA_DIR, 'engine.log'));
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    PORT: String(PORT),
    DATA_DIR: join(DATA_DIR, 'pg'),
    EVAL_INTERVAL_SECONDS: env.EVAL_INTERVAL_SECONDS ?? '10',
    NOTIFY_REPEAT_INTERVAL_SECONDS: env.NOTIFY_REPEAT_INTERVAL_SECONDS ?? '3600',
  };
  // The demo always runs on its own embedded PostgreSQL, never on a configured database.
  delete childEnv.DATABASE_URL;
  delete childEnv.HOST;
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.on('data', (d) => {
    log.write(d);
    process.stderr.write(d);
  });
  return child;
}

async function waitReady(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the engine exited with code ${child.exitCode}; see ${join(DATA_DIR, 'engine.log')}`);
    try {
      if ((await fetch(`${BASE}/readyz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the engine did not become ready within 3 minutes');
}

const SLOS = [
  {
    name: 'checkout-availability',
    service: 'checkout',
    description: '99.9 % of checkout requests succeed',
    indicator: { type: 'availability' },
    objective: 99.9,
    window: '7d',
    labels: { team: 'shop', tier: '1' },
    runbookUrl: 'https://runbooks.example.com/checkout',
  },
  {
    name: 'payments-availability',
    service: 'payments',
    description: 'Charges and refunds succeed',
    indicator: { type: 'availability' },
    objective: 99.95,
    window: '7d',
    labels: { team: 'payments', tier: '1' },
  },
  {
    name: 'catalog-availability',
    service: 'catalog',
    indicator: { type: 'availability' },
    objective: 99.5,
    window: '30d',
    labels: { team: 'shop', tier: '2' },
  },
  {
    name: 'search-latency',
    service: 'search',
    description: '99 % of searches answer within 1 s',
    indicator: { type: 'latency', thresholdMs: 1000 },
    selector: { operations: ['GET /search'] },
    objective: 99,
    window: '7d',
    labels: { team: 'search', tier: '2' },
  },
];

/** Created after the history arrived: its past is rebuilt from RED histograms and marked approximate. */
const LATE_SLO = {
  name: 'checkout-latency',
  service: 'checkout',
  description: '99 % of checkouts complete within 800 ms',
  indicator: { type: 'latency', thresholdMs: 800 },
  selector: { operations: ['POST /checkout'] },
  objective: 99,
  window: '7d',
  labels: { team: 'shop', tier: '1' },
};

const RULE = {
  name: 'search-suggest-5xx',
  selector: { service: 'search', operations: ['GET /suggest'], spanKinds: ['server'] },
  condition: { type: 'error_ratio', window: '5m', threshold: 0.02, minCalls: 50 },
  for: '2m',
  keepFiringFor: '5m',
  severity: 'ticket',
  annotations: { summary: 'search suggestions are failing' },
};

async function backfill(services: Services, startMs: number): Promise<number> {
  const random = rng(42);
  const from = Math.floor((startMs - HISTORY_DAYS * 24 * 60 * MINUTE) / MINUTE) * MINUTE + MINUTE;
  const until = Math.floor(startMs / MINUTE) * MINUTE;
  let sent = 0;
  let lastReport = Date.now();
  for (let t = from; t < until; t += MINUTE) {
    for (const op of OPERATIONS) {
      for (const s of plan(op, conditionsAt(op, t, startMs), t, MINUTE, 3, random)) {
        services.send(s);
        sent++;
      }
    }
    // Flush every simulated hour: the SDK's queue stays small and the engine acknowledges as we go.
    if ((t - from) % (60 * MINUTE) === 0) {
      await services.flush();
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        say(`history: ${(((t - from) / (until - from)) * 100).toFixed(0)} % (${sent.toLocaleString('en')} spans)`);
      }
    }
  }
  await services.flush();
  return sent;
}

async function main() {
  if (!existsSync(join(root, 'dist', 'web', 'index.html'))) throw new Error('run `npm run build` first (npm run demo does)');
  const receiver = await startReceiver();
  say(`starting the engine on ${BASE} (embedded PostgreSQL in ${DATA_DIR}, log in ${join(DATA_DIR, 'engine.log')})`);
  const engine = startEngine();
  let stopping = false;
  let live: NodeJS.Timeout | undefined;
  let services: Services | undefined;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping: traffic, then the engine');
    if (live) clearInterval(live);
    await services?.shutdown().catch(() => undefined);
    if (engine.exitCode === null) {
      engine.kill('SIGTERM');
      await new Promise((r) => engine.once('exit', r));
    }
    receiver.server.close();
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  engine.once('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`[demo] the engine exited (code ${code}); see ${join(DATA_DIR, 'engine.log')}\n`);
      void stop(1);
    }
  });

  await waitReady(engine);
  const startMs = Date.now();
  await api('/api/v1/channels', { name: 'demo-terminal', type: 'webhook', config: { url: receiver.url }, isDefault: true });
  for (const s of SLOS) await api('/api/v1/slos', s);
  await api('/api/v1/alert-rules', RULE);
  say(`created ${SLOS.length} SLOs, a symptom rule and a webhook channel printing here`);
  say(`${c.bold}console: http://localhost:${PORT}/${c.off}  (open it now; history fills in over the next minute or so)`);

  services = new Services(BASE, { maxExportBatchSize: 4096, scheduledDelayMillis: 200 });
  const t0 = Date.now();
  const sent = await backfill(services, startMs);
  say(`history: ${HISTORY_DAYS} days, ${sent.toLocaleString('en')} sampled spans in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await api('/api/v1/slos', LATE_SLO);
  say(`created ${LATE_SLO.name} after the fact: its history is rebuilt from RED histograms and marked approximate`);

  // Live: every second, each operation's traffic for that second through the SDK.
  const random = rng(Date.now());
  const liveStart = Date.now();
  const incident: LiveIncident = { startMs: liveStart + INCIDENT_AFTER_S * 1000, endMs: liveStart + (INCIDENT_AFTER_S + INCIDENT_S) * 1000, errorRatio: 0.6 };
  let phase: 'before' | 'during' | 'after' = 'before';
  say(`live traffic started; a 5xx burst on checkout POST /checkout begins in ${INCIDENT_AFTER_S} s and lasts ${INCIDENT_S} s`);
  // Carry on from where the history stopped, so there is no gap in the charts.
  let tick = Math.floor(startMs / MINUTE) * MINUTE;
  live = setInterval(() => {
    const now = Date.now();
    for (; tick + 1000 <= now; tick += 1000) {
      for (const op of OPERATIONS) for (const s of plan(op, conditionsAt(op, tick, startMs, incident), tick, 1000, 2, random)) services!.send(s);
    }
    if (phase === 'before' && now >= incident.startMs) {
      phase = 'during';
      say(`${c.red}incident: checkout POST /checkout now fails 60 % of requests${c.off} — watch the SLO page and the Alerts page`);
    } else if (phase === 'during' && now >= incident.endMs) {
      phase = 'after';
      say(`${c.green}incident over: POST /checkout recovered${c.off}; the page alert resolves once the 5-minute window cools down`);
    }
  }, 250);
}

main().catch((e) => {
  process.stderr.write(`[demo] ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
