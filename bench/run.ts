/**
 * `npm run bench`: Burnwatch's ingest and scrape figures against the targets
 * of issue 3. Prints, asserts nothing, stops by itself (fixed request counts
 * with per-round deadlines), sends traffic only to 127.0.0.1.
 *
 * Layout of one run: reader-only decoding in this process; then an embedded
 * PostgreSQL in a temp dir and the built server as a child process; this
 * process is the load generator. On a 2-core machine the load generator,
 * the server and PostgreSQL share the cores, so end-to-end figures are a
 * lower bound for a server with the machine to itself.
 *
 * Environment knobs: BENCH_CONCURRENCY (the high in-flight level, default
 * 256), BENCH_ROUNDS (default 3), BENCH_SDK_SECONDS (default 10),
 * BENCH_EVAL=0 (skip the evaluation ticks, which take several minutes), BENCH_CPU_PROF=<dir> (profile the
 * ingest server and print the top self-time functions of each server process).
 */
import { runEvaluationBench, type EvalFigure } from './eval.js';
import { runReplayBench, type ReplayFigure } from './replay.js';
import { runConsoleBench, type ConsoleFigures } from './console.js';
import { runRuleBench, type RuleFigure } from './rules.js';
import { mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifierAttributeKeys } from '../src/ingest/aggregate/classifier.js';
import { decodeTraceRequestJson } from '../src/ingest/otlp/otlp-json.decoder.js';
import { decodeTraceRequestJsonBody } from '../src/ingest/otlp/otlp-json-bytes.decoder.js';
import { decodeTraceRequestProto } from '../src/ingest/otlp/otlp-proto.decoder.js';
import type { AttributeWanted } from '../src/ingest/otlp/otlp.types.js';
import { get, keepAliveAgent, median, percentile, runLoad, type LoadOptions } from './load.js';
import { topSelfTime } from './profile.js';
import { startDatabase, startServer, type Infra, type ServerChild } from './server.js';
import { commitCounters, commitRates, fmtCommit, lightLoad, sdkRun, startNullSink, type CommitRates, type LatencyFigures, type SdkFigures } from './sdk.js';
import { buildBodies, makeSpans, serializeProto, seriesSpans, type Bodies } from './spans.js';

const SPANS_PER_BODY = 512;
const DISTINCT_BODIES = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// A request is answered once its group commit is done, and commits start as
// soon as the database is free (no timer), so a closed-loop client's
// throughput is in-flight × 512 / (commit time + decode time). 16 in flight
// is what a handful of SDKs or one Collector sends; 256 is printed beside it
// to show the server's ceiling and what so much queueing costs in memory.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const LOW = 16;
const E2E = {
  protobuf: { warmup: 300, requests: 1200 },
  json: { warmup: 100, requests: 400 },
  // At 16 in flight a short warm-up left the first round measuring JIT and the
  // first commits into fresh pages (it came out 20-35% below the next two):
  // warm up for about half a round, as at 256.
  protobufLow: { warmup: 20 * LOW, requests: 40 * LOW },
  jsonLow: { warmup: 8 * LOW, requests: 15 * LOW },
};
/** One SDK at defaults: the rate and length the issue names. */
const SDK = { spansPerSec: 20_000, seconds: Number(process.env.BENCH_SDK_SECONDS ?? 10) };
/** Light load: one exporter, 512-span requests, 1,000 spans/s; each batch's spans started within the last second. */
const LIGHT = { spansPerSec: 1000, requests: 40, spreadMs: 1000 };
// The evaluation ticks (issue 4) seed millions of rows and take minutes: opt in, so the default run stays short.
// The evaluation ticks seed 30 days of counts for 10,000 SLOs (several minutes); BENCH_EVAL=0 skips them.
const EVAL = process.env.BENCH_EVAL !== '0';
const ROUND_DEADLINE_MS = 25_000;
const SCRAPE = { services: 100, operations: 100, perSeries: 3, scrapes: 9 };

const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const fmtMs = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 2 : 1)} ms` : 'n/a');
const log = (s: string) => process.stdout.write(`${s}\n`);

/** The attribute keys the server asks its decoder for with the default configuration (see IngestService). */
const WANTED: AttributeWanted = { keys: new Set([...classifierAttributeKeys({ extraDimensions: [] }), 'SampleRate']) };

function readerRounds(label: string, bodies: Buffer[], iterations: number, decode: (b: Buffer) => number): number {
  const rates: number[] = [];
  let sink = 0;
  for (let i = 0; i < iterations / 4; i++) sink += decode(bodies[i % bodies.length]); // warm-up: let V8 optimize
  for (let r = 0; r < ROUNDS; r++) {
    let spans = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) spans += decode(bodies[i % bodies.length]);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(spans / s);
    sink += spans;
  }
  log(`  ${label}: rounds ${rates.map(fmtInt).join(', ')} spans/s (${sink} spans decoded)`);
  return median(rates);
}

interface E2eFigures {
  spansPerSec: number;
  p50: number;
  p99: number;
  /** Server CPU (all threads) per span: steadier than spans/s when other work shares the machine. */
  cpuUsPerSpan: number;
  peakRssMiB: number;
  /** What the group commits cost the database over the measured rounds. */
  commit: CommitRates;
}

interface Phase {
  encoding: 'protobuf' | 'json';
  concurrency: number;
  warmup: number;
  requests: number;
  rounds: number;
}

async function e2eRounds(server: ServerChild, bodies: Bodies, ph: Phase): Promise<E2eFigures> {
  const agent = keepAliveAgent(ph.concurrency);
  const o: LoadOptions = {
    port: server.port,
    path: '/v1/traces',
    contentType: ph.encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json',
    bodies: bodies[ph.encoding],
    requests: ph.warmup,
    concurrency: ph.concurrency,
    deadlineMs: ROUND_DEADLINE_MS,
  };
  const peakReset = server.resetPeak();
  await runLoad(agent, o);
  const rates: number[] = [];
  const p50s: number[] = [];
  const p99s: number[] = [];
  const cpus: number[] = [];
  const counters0 = await commitCounters(server.port);
  for (let r = 0; r < ph.rounds; r++) {
    const cpu0 = server.cpuSeconds();
    const res = await runLoad(agent, { ...o, requests: ph.requests });
    const spans = res.ok * bodies.spansPerBody;
    rates.push(spans / res.seconds);
    cpus.push(spans ? ((server.cpuSeconds() - cpu0) * 1e6) / spans : NaN);
    p50s.push(percentile(res.latenciesMs, 50));
    p99s.push(percentile(res.latenciesMs, 99));
    const failed = [...res.failures].map(([s, n]) => `${n}×${s}`).join(' ');
    log(
      `  ${ph.encoding} @${ph.concurrency} round ${r + 1}: ${res.ok}/${res.requests} ok in ${res.seconds.toFixed(2)} s, ${fmtInt(rates[r])} spans/s, ` +
        `p50 ${fmtMs(p50s[r])}, p99 ${fmtMs(p99s[r])}, server CPU ${cpus[r].toFixed(2)} µs/span` +
        `${failed ? `, non-200: ${failed}` : ''}${res.timedOut ? ' (deadline hit)' : ''}`,
    );
  }
  agent.destroy();
  const commit = commitRates(counters0, await commitCounters(server.port));
  const peakRssMiB = server.peakRssMiB();
  log(`  ${ph.encoding} @${ph.concurrency}: server peak RSS ${peakRssMiB.toFixed(0)} MiB (${peakReset ? 'this phase' : 'since server start'}); ${fmtCommit(commit)}`);
  return { spansPerSec: median(rates), p50: median(p50s), p99: median(p99s), cpuUsPerSpan: median(cpus), peakRssMiB, commit };
}

interface ScrapeFigures {
  ms: number;
  series: number;
  bytes: number;
  cpuMs: number;
}

async function scrapeRounds(server: ServerChild): Promise<ScrapeFigures> {
  const groups = seriesSpans(SCRAPE.services, SCRAPE.operations, SCRAPE.perSeries, Date.now());
  const agent = keepAliveAgent(16);
  const seeded = await runLoad(agent, {
    port: server.port,
    path: '/v1/traces',
    contentType: 'application/x-protobuf',
    bodies: groups.map(serializeProto),
    requests: groups.length,
    concurrency: 16,
    deadlineMs: 60_000,
  });
  agent.destroy();
  log(`  seeded ${seeded.ok}/${groups.length} requests of ${groups[0].length} spans (${SCRAPE.services} services × ${SCRAPE.operations} operations)`);
  const first = await get(server.port, '/metrics', true); // warm-up (first render pays for JIT); kept to read the series count
  const m = /^burnwatch_active_series (\d+)/m.exec(first.body);
  const times: number[] = [];
  const cpu0 = server.cpuSeconds();
  for (let i = 0; i < SCRAPE.scrapes; i++) times.push((await get(server.port, '/metrics')).ms);
  const cpuMs = ((server.cpuSeconds() - cpu0) * 1000) / SCRAPE.scrapes;
  log(
    `  /metrics status ${first.status}, ${(first.bytes / 1e6).toFixed(1)} MB, scrapes ${times.map((t) => t.toFixed(0)).join(', ')} ms, ` +
      `server CPU ${cpuMs.toFixed(0)} ms/scrape`,
  );
  return { ms: median(times), series: m ? Number(m[1]) : NaN, bytes: first.bytes, cpuMs };
}

function latestProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  return files.length ? path.join(dir, files[files.length - 1]) : undefined;
}

function printProfile(dir: string, label: string): void {
  const file = latestProfile(dir);
  if (!file) return;
  const { totalMs, top } = topSelfTime(file);
  log(`\n  Top self time in the ${label} server (${file}, ${(totalMs / 1000).toFixed(1)} s sampled, start-up included):`);
  for (const h of top) log(`  ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.selfMs.toFixed(0).padStart(7)} ms  ${h.name}`);
}

/** Stops the child server and the database; set once they exist, so Ctrl-C leaves no processes or temp dirs behind. */
let cleanup: () => Promise<void> = async () => undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}, cleaning up\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** evalRows: tick time per case, the 10,000-SLO target, and the 30-day / 7-day cost ratio. */
function evalRows(figures: EvalFigure[]): [string, string, string, number | undefined][] {
  const at = (n: number, w: string) => figures.find((f) => f.slos === n && f.window === w);
  const rows: [string, string, string, number | undefined][] = figures.map((f) => [
    `eval tick ${fmtInt(f.slos)} SLOs, ${f.window}`,
    `${fmtMs(f.tickMs)} (max ${fmtMs(f.maxTickMs)}, full ${fmtMs(f.fullReadMs)})`,
    f.slos === 10_000 ? '<= 1,000 ms' : '',
    f.slos === 10_000 ? f.tickMs / 1000 : undefined,
  ]);
  const long = at(10_000, '30d');
  const short = at(10_000, '7d');
  if (long && short) rows.push(['eval tick 30d / 7d (10,000 SLOs)', (long.tickMs / short.tickMs).toFixed(2), '<= 1.2', long.tickMs / short.tickMs / 1.2]);
  return rows;
}

async function main(): Promise<void> {
  log(`Burnwatch bench — node ${process.version}, ${os.cpus().length} cores, load average ${loadavg()} (other work on the machine skews every figure)`);
  const bodies = buildBodies(DISTINCT_BODIES, SPANS_PER_BODY, Date.now());
  const avg = (bs: Buffer[]) => bs.reduce((n, b) => n + b.length, 0) / bs.length;
  log(
    `${DISTINCT_BODIES} distinct batches of ${SPANS_PER_BODY} spans (10 attributes each), official OTel serializers: ` +
      `protobuf ${(avg(bodies.protobuf) / 1024).toFixed(0)} KiB, JSON ${(avg(bodies.json) / 1024).toFixed(0)} KiB per request`,
  );

  log('\nReader only (this process, no HTTP, no database):');
  const readerProto = readerRounds('protobuf', bodies.protobuf, 2000, (b) => decodeTraceRequestProto(b, WANTED).spans.length);
  // What the server runs: the one-pass reader over the body bytes; JSON.parse + the object decoder beside it as the baseline.
  const readerJson = readerRounds('JSON (one pass over the bytes)', bodies.json, 200, (b) => decodeTraceRequestJsonBody(b, WANTED).spans.length);
  const readerJsonParse = readerRounds('JSON (JSON.parse + object decoder)', bodies.json, 200, (b) =>
    decodeTraceRequestJson(JSON.parse(b.toString('utf8')), WANTED).spans.length,
  );

  let infra: Infra | undefined;
  let server: ServerChild | undefined;
  const profDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
  const cpuProfDir = (name: string) => (profDir ? (mkdirSync(path.join(profDir, name), { recursive: true }), path.join(profDir, name)) : undefined);
  let sdkNull: SdkFigures;
  let sdkBw: SdkFigures;
  let light: LatencyFigures;
  let lightSpread: LatencyFigures;
  let protoLow: E2eFigures;
  let proto: E2eFigures;
  let jsonLow: E2eFigures;
  let json: E2eFigures;
  let scrape: ScrapeFigures;
  let evalFigures: EvalFigure[] = [];
  let ruleFigure: RuleFigure | undefined;
  let replay: ReplayFigure;
  let consoleFigures: ConsoleFigures;
  const sink = await startNullSink();
  cleanup = async () => {
    await sink.stop();
    await server?.stop();
    await infra?.stop();
  };
  try {
    infra = await startDatabase();
    log(
      `\nOne OpenTelemetry JS SDK at defaults (BatchSpanProcessor queue 2,048, batches of 512, one export in flight; OTLP proto exporter) ` +
        `in this process, offering ${fmtInt(SDK.spansPerSec)} spans/s for ${SDK.seconds} s:`,
    );
    log(`  to a null HTTP receiver (own process, reads the body, answers 200):`);
    sdkNull = await sdkRun(sink.port, SDK.spansPerSec, SDK.seconds, false, log);
    await sink.stop();
    log(
      '\nEnd to end: server = child process `node dist/src/main.js` (defaults, LOG_LEVEL=error) on the embedded PostgreSQL, ' +
        'one per encoding; load generator = this process, keep-alive; the three share the cores.',
    );
    server = await startServer({ databaseUrl: infra.url, cpuProfDir: cpuProfDir('protobuf') });
    log(`  the same SDK to Burnwatch:`);
    sdkBw = await sdkRun(server.port, SDK.spansPerSec, SDK.seconds, true, log);
    log(`  SDK → Burnwatch: ${fmtCommit(sdkBw.commit!)}`);
    // An exporter at 1,000 spans/s sends a batch every ~0.5 s holding the spans
    // that ended since the last one: recent spans, in one or two minutes. The
    // fixed bench bodies spread their spans over 4 minutes (five times the
    // rows per request); they are timed too, as the harder case.
    light = await lightLoad(
      server.port,
      (i) => serializeProto(makeSpans(5000 + i, SPANS_PER_BODY, Date.now(), LIGHT.spreadMs)),
      SPANS_PER_BODY,
      LIGHT.spansPerSec,
      LIGHT.requests,
    );
    log(
      `  light load, one exporter, ${SPANS_PER_BODY}-span requests of recent spans at ${fmtInt(LIGHT.spansPerSec)} spans/s: ${light.ok}/${light.requests} ok, ` +
        `p50 ${fmtMs(light.p50)}, p99 ${fmtMs(light.p99)}, max ${fmtMs(light.max)}`,
    );
    lightSpread = await lightLoad(server.port, bodies.protobuf, SPANS_PER_BODY, LIGHT.spansPerSec, LIGHT.requests);
    log(
      `  the same with the bench bodies (spans spread over 4 minutes): ${lightSpread.ok}/${lightSpread.requests} ok, ` +
        `p50 ${fmtMs(lightSpread.p50)}, p99 ${fmtMs(lightSpread.p99)}, max ${fmtMs(lightSpread.max)}`,
    );
    protoLow = await e2eRounds(server, bodies, { encoding: 'protobuf', concurrency: LOW, ...E2E.protobufLow, rounds: ROUNDS });
    proto = await e2eRounds(server, bodies, { encoding: 'protobuf', concurrency: CONCURRENCY, ...E2E.protobuf, rounds: ROUNDS });
    await server.stop();
    if (profDir) printProfile(path.join(profDir, 'protobuf'), 'protobuf');

    server = await startServer({ databaseUrl: infra.url, cpuProfDir: cpuProfDir('json') });
    jsonLow = await e2eRounds(server, bodies, { encoding: 'json', concurrency: LOW, ...E2E.jsonLow, rounds: ROUNDS });
    json = await e2eRounds(server, bodies, { encoding: 'json', concurrency: CONCURRENCY, ...E2E.json, rounds: ROUNDS });
    await server.stop();
    if (profDir) printProfile(path.join(profDir, 'json'), 'JSON');

    // A fresh server, so /metrics holds exactly the seeded series and nothing from the runs above.
    log(`\n/metrics with ${fmtInt(SCRAPE.services * SCRAPE.operations)} active series (fresh server process):`);
    server = await startServer({ databaseUrl: infra.url, env: { SERIES_LIMIT_PER_SERVICE: '1000' } });
    scrape = await scrapeRounds(server);
    await server.stop();

    if (EVAL) {
      log('\nEvaluation ticks (issue 14): window sums, pure core and stored snapshots, in this process on the same database:');
      evalFigures = await runEvaluationBench(infra.url);
      log('\nSymptom rules (issue 14): one tick of counts for 1,000 rules, batched and per rule:');
      ruleFigure = await runRuleBench(infra.url);
    }

    log('\nReplay (issue 13): one 30-day SLO replayed minute by minute over 30 days of its stored rows, in this process:');
    replay = await runReplayBench(infra.url);
    log(`  ${fmtInt(replay.steps)} steps: load ${fmtMs(replay.loadMs)}, replay ${fmtMs(replay.replayMs)}, ${replay.incidents} incidents`);
    log('\nConsole (issue 12): the SLO list with 1,000 SLOs, API and headless Chromium:');
    consoleFigures = await runConsoleBench(infra.url);
  } finally {
    await cleanup();
  }

  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
  const sdkFig = (f: SdkFigures) => `${fmtInt(f.exported)}/${fmtInt(f.offered)}, ${fmtInt(f.dropped + f.failed)} lost`;
  const rows: [string, string, string, number | undefined][] = [
    [`SDK ${fmtInt(SDK.spansPerSec)}/s ${SDK.seconds}s → null sink`, sdkFig(sdkNull), 'none lost', undefined],
    [`SDK ${fmtInt(SDK.spansPerSec)}/s ${SDK.seconds}s → Burnwatch`, sdkFig(sdkBw), 'none lost', sdkBw.exported / sdkBw.offered],
    ['  Burnwatch /metrics accepted', `${fmtInt(sdkBw.acceptedByServer ?? NaN)} (${pct(sdkBw.acceptedByServer ?? NaN, sdkBw.offered)})`, '= offered', (sdkBw.acceptedByServer ?? NaN) / sdkBw.offered],
    [`  commits at ${fmtInt(SDK.spansPerSec)} spans/s`, `${sdkBw.commit!.commitsPerSec.toFixed(0)}/s, ${fmtInt(sdkBw.commit!.rowsPerSec)} rows/s`, '', undefined],
    [`light load p50 / p99 (${fmtInt(LIGHT.spansPerSec)} sp/s)`, `${fmtMs(light.p50)} / ${fmtMs(light.p99)}`, '<= 15 / 50 ms', Math.max(light.p50 / 15, light.p99 / 50)],
    ['  spans spread over 4 min', `${fmtMs(lightSpread.p50)} / ${fmtMs(lightSpread.p99)}`, '', undefined],
    [`protobuf e2e spans/s @${LOW}`, fmtInt(protoLow.spansPerSec), '>= 200,000', protoLow.spansPerSec / 200_000],
    [`  RSS, p50 / p99 @${LOW}`, `${protoLow.peakRssMiB.toFixed(0)} MiB, ${fmtMs(protoLow.p50)} / ${fmtMs(protoLow.p99)}`, '', undefined],
    [`  commits @${LOW}`, `${protoLow.commit.commitsPerSec.toFixed(0)}/s, ${fmtInt(protoLow.commit.rowsPerSec)} rows/s`, '', undefined],
    [`protobuf e2e spans/s @${CONCURRENCY}`, fmtInt(proto.spansPerSec), '', undefined],
    [`  RSS, p50 / p99 @${CONCURRENCY}`, `${proto.peakRssMiB.toFixed(0)} MiB, ${fmtMs(proto.p50)} / ${fmtMs(proto.p99)}`, '', undefined],
    [`  commits @${CONCURRENCY}`, `${proto.commit.commitsPerSec.toFixed(0)}/s, ${fmtInt(proto.commit.rowsPerSec)} rows/s`, '', undefined],
    [`JSON e2e spans/s @${LOW}`, fmtInt(jsonLow.spansPerSec), '>= 100,000', jsonLow.spansPerSec / 100_000],
    [`  RSS, p50 / p99 @${LOW}`, `${jsonLow.peakRssMiB.toFixed(0)} MiB, ${fmtMs(jsonLow.p50)} / ${fmtMs(jsonLow.p99)}`, '', undefined],
    [`JSON e2e spans/s @${CONCURRENCY}`, fmtInt(json.spansPerSec), '>= 100,000', json.spansPerSec / 100_000],
    [`  RSS, p50 / p99 @${CONCURRENCY}`, `${json.peakRssMiB.toFixed(0)} MiB, ${fmtMs(json.p50)} / ${fmtMs(json.p99)}`, '', undefined],
    ['reader-only protobuf spans/s', fmtInt(readerProto), '>= 1,000,000', readerProto / 1_000_000],
    ['reader-only JSON spans/s', `${fmtInt(readerJson)} (JSON.parse + decode: ${fmtInt(readerJsonParse)})`, '', undefined],
    ['e2e / reader-only (protobuf @16)', protoLow.spansPerSec && readerProto ? (protoLow.spansPerSec / readerProto).toFixed(3) : 'n/a', '', undefined],
    ['server CPU µs/span protobuf / JSON', `${protoLow.cpuUsPerSpan.toFixed(2)} / ${jsonLow.cpuUsPerSpan.toFixed(2)} (@${LOW})`, '', undefined],
    [`/metrics scrape (${fmtInt(scrape.series)} series)`, fmtMs(scrape.ms), '<= 250 ms', scrape.ms / 250],
    ['replay 30 d minute by minute (1 SLO)', `${fmtMs(replay.loadMs + replay.replayMs)} (load ${fmtMs(replay.loadMs)})`, '< 2,000 ms', (replay.loadMs + replay.replayMs) / 2000],
    [
      `console list, ${consoleFigures.slos} SLOs, to rows`,
      consoleFigures.renderMs === null ? 'no chromium' : fmtMs(consoleFigures.renderMs),
      '< 1,000 ms',
      consoleFigures.renderMs === null ? undefined : consoleFigures.renderMs / 1000,
    ],
    ['/slos/summary cold / warm', `${fmtMs(consoleFigures.summaryColdMs)} / ${fmtMs(consoleFigures.summaryWarmMs)}`, '', undefined],
    ...(ruleFigure
      ? [[`symptom rules, ${fmtInt(ruleFigure.rules)} per tick`, `${fmtMs(ruleFigure.batchedMs)} (per rule ${fmtMs(ruleFigure.perRuleMs)})`, '', undefined] as [string, string, string, undefined]]
      : []),
    ['/metrics server CPU per scrape', `${scrape.cpuMs.toFixed(0)} ms (${(scrape.bytes / 1e6).toFixed(1)} MB)`, '', undefined],
    ...evalRows(evalFigures),
  ];
  const w = [36, 30, 14, 13];
  const line = (c: string[]) => c.map((s, i) => s.padEnd(w[i])).join(' ').trimEnd();
  log(`\nSummary (@N = N requests in flight, closed loop; ${SPANS_PER_BODY} spans/request; medians of ${ROUNDS} rounds; /metrics: median of ${SCRAPE.scrapes})`);
  log(line(['metric', 'figure', 'target', 'figure/target']));
  log(line(w.map((n) => '-'.repeat(n))));
  for (const [name, fig, target, ratio] of rows) log(line([name, fig, target, ratio === undefined ? '' : ratio.toFixed(2)]));
  log('figure/target >= 1 meets a throughput or count target, <= 1 a latency or scrape target. SDK rows: spans exported/offered;');
  log('"lost" = dropped by the SDK (queue full) + failed exports. RSS = server peak RSS (VmHWM) over that phase.');
  log(`Load average now ${loadavg()}.`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
