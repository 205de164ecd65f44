import { MinuteCounts } from '../../test/support/minute-counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { rangeSummary, replaySlo, unmatched, type Incident } from './replay.js';
import type { SloDefinition } from './slo-evaluator.js';

/**
 * replaySlo on a simulated history: 4 days of 100 events a minute for a
 * 99.9% / 30-day SLO, a 20-minute total outage after 2 days, and a second
 * outage still running when the replay ends.
 */
const BASE = Date.parse('2024-05-01T00:00:00Z');
const DEF: SloDefinition = { objective: 99.9, window: { kind: 'rolling', days: 30 } };
const O1 = BASE + 2 * DAY_MS + 3 * HOUR_MS;
const END = BASE + 4 * DAY_MS;
const O2 = END - 10 * MINUTE_MS;

function history(): MinuteCounts {
  const counts = new MinuteCounts();
  for (let t = BASE; t < END; t += MINUTE_MS) {
    const failing = (t >= O1 && t < O1 + 20 * MINUTE_MS) || t >= O2;
    counts.add(t, failing ? 0 : 100, 100);
  }
  return counts;
}

const steps = (from: number, to: number) => {
  const out: number[] = [];
  for (let t = from + MINUTE_MS; t <= to; t += MINUTE_MS) out.push(t);
  return out;
};

describe('replaySlo', () => {
  const counts = history();
  const run = replaySlo({ def: DEF, counts, dataStartMs: BASE, steps: steps(BASE + DAY_MS, END), pointEveryMs: HOUR_MS });

  it('lists each incident with fire and resolve at minute ends, the crossed tiers and the peak burn', () => {
    const [page, ticket, open] = run.incidents;
    expect(page).toMatchObject({ severity: 'page', firedAtMs: O1 + MINUTE_MS, resolvedAtMs: O1 + 50 * MINUTE_MS });
    expect(page.tiers.map((t) => t.longWindowMs)).toEqual([HOUR_MS, 6 * HOUR_MS]);
    expect(page.peakBurnRate).toBeCloseTo(1000 / 3, 9);
    // 2,000 bad events against 0.1% of the ~3 days of traffic in the 30-day window at the resolve.
    expect(page.budgetSpent).toBeCloseTo(2000 / (0.001 * 100 * ((O1 + 50 * MINUTE_MS - BASE) / MINUTE_MS)), 6);
    expect(ticket).toMatchObject({ severity: 'ticket', firedAtMs: O1 + 50 * MINUTE_MS, resolvedAtMs: O1 + 20 * MINUTE_MS + 6 * HOUR_MS });
    expect(open).toMatchObject({ severity: 'page', resolvedAtMs: null });
    expect(run.incidents).toHaveLength(3);
  });

  it('keeps a history point per hour and the last step', () => {
    expect(run.history).toHaveLength(3 * 24 + 1);
    expect(run.history[run.history.length - 1].atMs).toBe(END);
    expect(run.last?.bounds.endMs).toBe(END);
  });

  it('summarises the range and finds what another policy missed', () => {
    const s = rangeSummary(counts, BASE, END, 99.9);
    expect(s.events).toEqual({ good: 100 * (4 * 24 * 60 - 30), bad: 3000, total: 100 * 4 * 24 * 60 });
    const none: Incident[] = [];
    expect(unmatched(run.incidents, none, END)).toHaveLength(3);
    expect(unmatched(run.incidents, run.incidents.slice(0, 1), END).map((i) => i.severity)).toEqual(['page']);
  });
});
