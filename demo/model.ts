/**
 * The demo's synthetic shop: four services, a few operations each, with a
 * daily traffic curve, a baseline error rate, log-normal latencies, and a
 * couple of past incidents so a week of history has shape. Pure: the caller
 * passes the time, so the same model drives the backfill and live traffic.
 */

export interface Operation {
  service: string;
  name: string;
  route: string;
  method: string;
  /** Requests per minute at the daily peak. */
  peakPerMinute: number;
  /** Baseline share of 5xx answers. */
  errorRatio: number;
  /** Median latency in ms; p99 is about 4x. */
  medianMs: number;
}

export const OPERATIONS: Operation[] = [
  { service: 'checkout', name: 'POST /checkout', route: '/checkout', method: 'POST', peakPerMinute: 900, errorRatio: 0.00004, medianMs: 120 },
  { service: 'checkout', name: 'GET /cart', route: '/cart', method: 'GET', peakPerMinute: 2400, errorRatio: 0.00003, medianMs: 35 },
  { service: 'catalog', name: 'GET /products', route: '/products', method: 'GET', peakPerMinute: 6000, errorRatio: 0.0004, medianMs: 45 },
  { service: 'catalog', name: 'GET /products/{id}', route: '/products/{id}', method: 'GET', peakPerMinute: 4200, errorRatio: 0.0003, medianMs: 25 },
  { service: 'payments', name: 'POST /charge', route: '/charge', method: 'POST', peakPerMinute: 700, errorRatio: 0.00002, medianMs: 210 },
  { service: 'payments', name: 'POST /refund', route: '/refund', method: 'POST', peakPerMinute: 40, errorRatio: 0.00002, medianMs: 180 },
  { service: 'search', name: 'GET /search', route: '/search', method: 'GET', peakPerMinute: 3000, errorRatio: 0.0004, medianMs: 140 },
  { service: 'search', name: 'GET /suggest', route: '/suggest', method: 'GET', peakPerMinute: 5000, errorRatio: 0.0002, medianMs: 18 },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A past incident: extra errors or latency on one operation over [ago - lasting, ago). */
interface PastIncident {
  service: string;
  operation: string;
  agoMs: number;
  lastingMs: number;
  errorRatio?: number;
  latencyFactor?: number;
}

/** Offsets from the start of the demo, so history always looks the same relative to now. */
export const PAST_INCIDENTS: PastIncident[] = [
  { service: 'payments', operation: 'POST /charge', agoMs: 2 * DAY + 5 * HOUR, lastingMs: 25 * 60_000, errorRatio: 0.01 },
  { service: 'search', operation: 'GET /search', agoMs: 4 * DAY + 3 * HOUR, lastingMs: 2 * HOUR, latencyFactor: 4 },
  { service: 'catalog', operation: 'GET /products', agoMs: 5 * DAY + 9 * HOUR, lastingMs: 90 * 60_000, errorRatio: 0.015 },
];

/** The live scripted incident: a 5xx burst on checkout's POST /checkout. */
export interface LiveIncident {
  startMs: number;
  endMs: number;
  errorRatio: number;
}

/** Daily curve between 25 % (night) and 100 % (afternoon peak), UTC. */
export function trafficShare(tMs: number): number {
  const h = ((tMs % DAY) + DAY) % DAY / HOUR;
  return 0.625 - 0.375 * Math.cos(((h - 3) / 24) * 2 * Math.PI);
}

export interface Conditions {
  perMinute: number;
  errorRatio: number;
  medianMs: number;
}

export function conditionsAt(op: Operation, tMs: number, demoStartMs: number, live?: LiveIncident): Conditions {
  let errorRatio = op.errorRatio;
  let medianMs = op.medianMs;
  for (const i of PAST_INCIDENTS) {
    if (i.service !== op.service || i.operation !== op.name) continue;
    const from = demoStartMs - i.agoMs;
    if (tMs >= from && tMs < from + i.lastingMs) {
      if (i.errorRatio !== undefined) errorRatio = i.errorRatio;
      if (i.latencyFactor !== undefined) medianMs *= i.latencyFactor;
    }
  }
  if (live && op.name === 'POST /checkout' && tMs >= live.startMs && tMs < live.endMs) errorRatio = live.errorRatio;
  return { perMinute: op.peakPerMinute * trafficShare(tMs), errorRatio, medianMs };
}

/** Mulberry32: a small seeded PRNG, so every demo run has the same history. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** logNormal: a latency around `median` with a realistic right tail (p99 ≈ 4 × median). */
export function logNormal(random: () => number, median: number): number {
  const u = Math.max(1e-9, random());
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(0.6 * z);
}

/** A sampled span to send: `weight` is its SampleRate (it stands for that many requests). */
export interface PlannedSpan {
  op: Operation;
  startMs: number;
  durationMs: number;
  status: number;
  weight: number;
}

/**
 * plan turns one operation's traffic over [fromMs, fromMs + spanMs) into a few
 * sampled spans carrying SampleRate, as a head-sampling SDK would: the engine
 * counts each as `weight` requests, so a week of realistic volume needs only a
 * few hundred thousand spans. Errors are sent as their own spans so the error
 * count stays whole.
 */
export function plan(op: Operation, c: Conditions, fromMs: number, spanMs: number, samples: number, random: () => number): PlannedSpan[] {
  const requests = (c.perMinute * spanMs) / 60_000;
  const expectedErrors = requests * c.errorRatio;
  const errors = Math.floor(expectedErrors) + (random() < expectedErrors - Math.floor(expectedErrors) ? 1 : 0);
  const ok = Math.max(0, Math.round(requests) - errors);
  const out: PlannedSpan[] = [];
  const n = Math.min(samples, ok);
  for (let i = 0; i < n; i++) {
    // Spread the ok requests over n spans whose weights add up exactly.
    const weight = Math.floor(ok / n) + (i < ok % n ? 1 : 0);
    out.push({ op, startMs: fromMs + Math.floor(random() * spanMs), durationMs: logNormal(random, c.medianMs), status: 200, weight });
  }
  if (errors > 0) {
    out.push({ op, startMs: fromMs + Math.floor(random() * spanMs), durationMs: logNormal(random, c.medianMs * 0.6), status: 503, weight: errors });
  }
  return out;
}
