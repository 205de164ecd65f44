/**
 * The client's-eye rows of the ingest bench (issue 10): what one real
 * OpenTelemetry SDK at its defaults gets through, against a null receiver in
 * the same run; request latency at light load; and what each group commit
 * costs the database (commits/s, rows upserted/s), read from the server's
 * own /metrics counters.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { runSdkLoad, type SdkLoadResult } from '../test/support/sdk-load.js';
import { metricValue } from '../test/support/metrics.js';
import { get, percentile } from './load.js';

const NULL_SINK = fileURLToPath(new URL('./null-sink.js', import.meta.url));

export interface NullSink {
  port: number;
  stop(): Promise<void>;
}

/** startNullSink runs bench/null-sink.ts as its own process (so it does not share the SDK's event loop). */
export async function startNullSink(): Promise<NullSink> {
  const child = spawn(process.execPath, [NULL_SINK], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => reject(new Error('null sink exited during start')));
  });
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Group-commit counters scraped from /metrics: cumulative, so figures come from differences. */
export interface CommitCounters {
  commits: number;
  commitSeconds: number;
  rows: Record<'red_minute' | 'red_hour' | 'sli_minute' | 'sli_hour', number>;
  accepted: number;
  atMs: number;
}

export async function commitCounters(port: number): Promise<CommitCounters> {
  const text = (await get(port, '/metrics', true)).body;
  const v = (name: string, labels: Record<string, string> = {}) => metricValue(text, name, labels) ?? 0;
  return {
    commits: v('burnwatch_flush_duration_seconds_count', { outcome: 'ok' }),
    commitSeconds: v('burnwatch_flush_duration_seconds_sum', { outcome: 'ok' }),
    rows: {
      red_minute: v('burnwatch_flush_rows_total', { table: 'red_minute' }),
      red_hour: v('burnwatch_flush_rows_total', { table: 'red_hour' }),
      sli_minute: v('burnwatch_flush_rows_total', { table: 'sli_minute' }),
      sli_hour: v('burnwatch_flush_rows_total', { table: 'sli_hour' }),
    },
    accepted: v('burnwatch_spans_accepted_total', { protocol: 'otlp_protobuf' }) + v('burnwatch_spans_accepted_total', { protocol: 'otlp_json' }),
    atMs: Date.now(),
  };
}

/** What the database paid between two scrapes. */
export interface CommitRates {
  commitsPerSec: number;
  rowsPerSec: number;
  rowsPerCommit: number;
  /** Mean wall time of one commit transaction as the server saw it. */
  msPerCommit: number;
  /** Share of the interval a commit was running: near 1 means commits run back to back. */
  busy: number;
  spansPerCommit: number;
}

export function commitRates(a: CommitCounters, b: CommitCounters): CommitRates {
  const s = (b.atMs - a.atMs) / 1000;
  const commits = b.commits - a.commits;
  const rows = Object.keys(a.rows).reduce((n, k) => n + b.rows[k as keyof CommitCounters['rows']] - a.rows[k as keyof CommitCounters['rows']], 0);
  const busySeconds = b.commitSeconds - a.commitSeconds;
  return {
    commitsPerSec: commits / s,
    rowsPerSec: rows / s,
    rowsPerCommit: commits ? rows / commits : NaN,
    msPerCommit: commits ? (busySeconds * 1000) / commits : NaN,
    busy: busySeconds / s,
    spansPerCommit: commits ? (b.accepted - a.accepted) / commits : NaN,
  };
}

export const fmtCommit = (c: CommitRates): string =>
  `${c.commitsPerSec.toFixed(0)} commits/s, ${Math.round(c.rowsPerSec).toLocaleString('en-US')} rows/s ` +
  `(${c.rowsPerCommit.toFixed(0)} rows, ${Math.round(c.spansPerCommit).toLocaleString('en-US')} spans, ${c.msPerCommit.toFixed(1)} ms per commit; DB busy ${(c.busy * 100).toFixed(0)}%)`;

export interface SdkFigures extends SdkLoadResult {
  /** Spans the receiver's /metrics says it accepted during the run (undefined for the null sink). */
  acceptedByServer?: number;
  commit?: CommitRates;
}

/**
 * sdkRun offers `rate` spans/s for `seconds` through one SDK at defaults to
 * `port`; with `server`, also reads what Burnwatch says it accepted and what
 * the commits cost meanwhile.
 */
export async function sdkRun(port: number, rate: number, seconds: number, server: boolean, log: (s: string) => void): Promise<SdkFigures> {
  const before = server ? await commitCounters(port) : undefined;
  const r = await runSdkLoad({
    url: `http://127.0.0.1:${port}`,
    service: 'sdk-bench',
    spansPerSecond: rate,
    seconds,
    onSecond: (p) => log(`    ${p.offered.toLocaleString('en-US')} offered, ${p.exported.toLocaleString('en-US')} exported, ${p.exports} exports`),
  });
  if (!before) return r;
  const after = await commitCounters(port);
  return { ...r, acceptedByServer: after.accepted - before.accepted, commit: commitRates(before, after) };
}

function postOnce(agent: http.Agent, port: number, body: Buffer): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface LatencyFigures {
  requests: number;
  ok: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * lightLoad is one exporter at light load: one 512-span request every
 * 512 ms (1,000 spans/s), open loop on a schedule, so a slow answer does not
 * thin out the load; one request in flight at a time as an SDK does.
 */
export async function lightLoad(port: number, bodies: Buffer[] | ((i: number) => Buffer), spansPerBody: number, spansPerSec: number, requests: number): Promise<LatencyFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const periodMs = (spansPerBody / spansPerSec) * 1000;
  const latencies: number[] = [];
  let ok = 0;
  const start = performance.now();
  try {
    for (let i = 0; i < requests; i++) {
      // A body made at send time costs the client a few ms; it is built before the wait, outside the timed request.
      const body = typeof bodies === 'function' ? bodies(i) : bodies[i % bodies.length];
      const wait = start + i * periodMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const r = await postOnce(agent, port, body);
      latencies.push(r.ms);
      if (r.status === 200) ok++;
    }
  } finally {
    agent.destroy();
  }
  return { requests, ok, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
}
