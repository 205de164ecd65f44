import request from 'supertest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { sleep, until } from './support/wait.js';
import { useTestApp } from './support/test-app.js';
import { exportSpans, SpanSpec } from './support/otel.js';
import { binaryOrSkip, startBinary, RunningBinary } from './support/child-process.js';
import { freePort } from './support/free-port.js';
import { metricValue } from './support/metrics.js';

const PROM_BIN = binaryOrSkip('/usr/bin/prometheus', 'Prometheus e2e (dashboard queries, spanmetrics parity)');
const DASHBOARD = 'deploy/grafana/provisioning/dashboards/burnwatch.json';

interface Panel {
  id: number;
  title: string;
  targets?: { expr?: string; refId: string }[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; type: string; allValue?: string; query: unknown }[] };
}
interface PromResult {
  status: string;
  error?: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

/**
 * expandVariables renders a panel's PromQL as Grafana would with the
 * dashboard's defaults: `$slo` is a multi-value "All" variable whose all
 * value is `.*`; Grafana's interval macros get the values a 1 s scrape
 * interval gives them.
 */
function expandVariables(expr: string, d: Dashboard): string {
  let out = expr;
  for (const v of d.templating.list) {
    const value = v.type === 'query' ? (v.allValue ?? '.*') : typeof v.query === 'string' ? v.query : '';
    out = out.replaceAll(`\${${v.name}}`, value).replace(new RegExp(`\\$${v.name}\\b`, 'g'), value);
  }
  return out.replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '1s').replaceAll('$__range', '5m');
}

/** The SLO's spans, every 50th an error, so any whole OTLP request has exactly 2 % errors. */
function batch(n: number): SpanSpec[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    name: 'POST /checkout',
    kind: SpanKind.SERVER,
    startMs: now - 1000 + (i % 900),
    durationMs: 5 + (i % 40),
    attributes: { 'http.response.status_code': i % 50 === 0 ? 503 : 200 },
  }));
}

/**
 * A real Prometheus (Debian's 2.42) scrapes a running Burnwatch every second
 * while real OTLP traffic flows: every PromQL expression of the provisioned
 * Grafana dashboard must parse and return data, and the error ratio
 * Prometheus computes from the spanmetrics counters must agree with
 * Burnwatch's own 5-minute SLI.
 */
(PROM_BIN ? describe : describe.skip)('Prometheus scraping Burnwatch', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50', EVAL_INTERVAL_SECONDS: '1' }, { listen: true });
  let prom: RunningBinary;
  let dir: string;
  let sent = 0;
  const selector = 'service_name="shop",span_name="POST /checkout",span_kind="SPAN_KIND_SERVER"';

  const query = async (q: string): Promise<PromResult> => {
    const res = await fetch(`${prom.base}/api/v1/query?query=${encodeURIComponent(q)}`);
    return (await res.json()) as PromResult;
  };
  const scalar = async (q: string): Promise<number | undefined> => {
    const r = await query(q);
    return r.data?.result?.[0] ? Number(r.data.result[0].value[1]) : undefined;
  };
  /** scraped waits until Prometheus has seen every span sent so far, then one more scrape. */
  const scraped = async () => {
    await until(`Prometheus to see ${sent} spans`, async () => (await scalar(`sum(traces_span_metrics_calls_total{${selector}})`)) === sent, 30_000);
    const last = await scalar(`max(timestamp(traces_span_metrics_calls_total{${selector}}))`);
    await until('one more scrape', async () => ((await scalar(`max(timestamp(traces_span_metrics_calls_total{${selector}}))`)) ?? 0) > (last ?? 0), 30_000);
  };
  const send = async (n: number) => {
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'shop' }, batch(n));
    sent += n;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-prom-'));
    await request(t.server)
      .post('/api/v1/slos')
      // The service is seconds old: the partial-window guard would (rightly) hold a 2 % error
      // burn back, and the alert panels need a firing page, so the guard is off here.
      .send({
        name: 'checkout-availability',
        service: 'shop',
        indicator: { type: 'availability' },
        selector: { operations: ['POST /checkout'] },
        objective: 99.9,
        window: '30d',
        alerting: { minWindowCoverage: 0 },
      })
      .expect(201);
    const port = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: burnwatch',
        '    metrics_path: /metrics',
        '    static_configs:',
        `      - targets: ["${new URL(t.baseUrl).host}"]`,
      ].join('\n'),
    );
    prom = await startBinary(
      PROM_BIN!,
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      port,
    );
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('computes the same 5-minute error ratio from traces_span_metrics_calls_total as Burnwatch\'s own SLI, within 1 %', async () => {
    // Prime both series (errors and the rest), so the measured increases start from samples Prometheus already has.
    await send(500);
    await scraped();
    // Live traffic: a request every ~300 ms across several scrapes.
    for (let i = 0; i < 10; i++) {
      await send(500);
      await sleep(300);
    }
    await scraped();
    // Burnwatch's SLI counts every span by its start time; wait until its 5m window holds them all.
    const sli = await until('Burnwatch 5m SLI over every span', async () => {
      const text = (await request(t.server).get('/metrics').expect(200)).text;
      const total = metricValue(text, 'burnwatch_slo_events', { slo: 'checkout-availability', window: '5m', kind: 'total' });
      return total === sent && metricValue(text, 'burnwatch_slo_sli_ratio', { slo: 'checkout-availability', window: '5m' });
    });
    const burnwatchErrorRatio = 1 - sli;
    const promErrorRatio = await scalar(
      `sum(increase(traces_span_metrics_calls_total{${selector},status_code="STATUS_CODE_ERROR"}[5m])) / sum(increase(traces_span_metrics_calls_total{${selector}}[5m]))`,
    );
    expect(burnwatchErrorRatio).toBeCloseTo(0.02, 10);
    expect(promErrorRatio).toBeDefined();
    expect(Math.abs(promErrorRatio! - burnwatchErrorRatio) / burnwatchErrorRatio).toBeLessThan(0.01);
  }, 120_000);

  it('every PromQL expression of the Grafana dashboard parses and returns data', async () => {
    // One span Burnwatch will refuse (older than retention), so the rejected-spans panel has a series.
    await request(t.server).post('/api/v1/spans').send([{ service: 'shop', operation: 'old', start: 1_000_000_000_000, durationMs: 1, status: 'ok' }]).expect(200);
    // And an outage, so the SLO pages and the alert panels have a firing alert.
    await send(500);
    await until('the page alert firing', async () => (await request(t.server).get('/api/v1/alerts?state=firing').expect(200)).body.length > 0, 30_000);
    await scraped();
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
    const exprs = d.panels.flatMap((p) => (p.targets ?? []).filter((x) => x.expr).map((x) => ({ panel: `${p.id} ${p.title} (${x.refId})`, expr: expandVariables(x.expr!, d) })));
    expect(exprs.length).toBeGreaterThanOrEqual(15);
    const failures: string[] = [];
    for (const { panel, expr } of exprs) {
      // Rates need two scrapes of the latest counter values: poll a little rather than fail on the first empty answer.
      const r = await until(`data for ${panel}`, async () => {
        const res = await query(expr);
        return res.status !== 'success' || res.data.result.length > 0 ? res : undefined;
      }, 20_000).catch(() => undefined);
      if (!r) failures.push(`${panel}: no data for ${expr}`);
      else if (r.status !== 'success') failures.push(`${panel}: ${r.error} in ${expr}`);
    }
    expect(failures).toEqual([]);
    // The SLO variable's own query finds the SLO.
    const values = (await (await fetch(`${prom.base}/api/v1/label/slo/values?match[]=burnwatch_slo_objective_ratio`)).json()) as { data: string[] };
    expect(values.data).toEqual(['checkout-availability']);
  }, 180_000);
});
