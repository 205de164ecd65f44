import type { AlertTransition } from './alert-state.js';
import { MinuteCounts } from '../../test/support/minute-counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../kernel/minute-ranges.js';
import { type SloAlertStates, stepSloAlerts } from './slo-alerts.js';
import { type SloDefinition, DEFAULT_MIN_WINDOW_COVERAGE, evaluateSlo, judgedBurnRate, windowCoverage } from './slo-evaluator.js';

/**
 * The partial-window guard, on a simulated clock: a 99.9% / 30-day SLO of a
 * service whose history is shorter than the alert windows. Traffic is 20
 * requests a second; the evaluator runs every 30 s and is told when the
 * SLO's history begins, as the scheduler tells it.
 */

const START = Date.parse('2024-05-01T00:00:00Z'); // the service's first request
const EVAL_INTERVAL = 30 * SECOND_MS;
const RATE = 20;
const SLO: SloDefinition = { objective: 99.9, window: { kind: 'rolling', days: 30 } };
/** 2% of a 30-day budget at 100% errors: 0.001 × 60 min × 14.4 = 0.864 min. */
const WORKBOOK_PAGE_DETECTION = 0.864 * MINUTE_MS;

interface Run {
  pages: { at: number; transition: AlertTransition }[];
}

/**
 * simulate feeds traffic second by second from START (errors while `failing`
 * says so, as ms after START) and evaluates every 30 s until START + untilMs.
 */
function simulate(failing: (sinceStart: number) => boolean, untilMs: number, def: SloDefinition = SLO): Run {
  const counts = new MinuteCounts();
  let fed = START;
  let states: SloAlertStates = {};
  const run: Run = { pages: [] };
  for (let now = START + EVAL_INTERVAL; now <= START + untilMs; now += EVAL_INTERVAL) {
    for (; fed < now; fed += SECOND_MS) counts.add(fed, failing(fed - START) ? 0 : RATE, RATE);
    const status = evaluateSlo(def, counts, now, START);
    const step = stepSloAlerts(status, states, { labels: { slo: 'young' } });
    if (step.page.transition) run.pages.push({ at: now - START, transition: step.page.transition });
    states = { page: step.page.next, ticket: step.ticket.next };
  }
  return run;
}

const firedAt = (run: Run) => run.pages.find((p) => p.transition === 'firing')?.at;

describe('partial-window guard (simulated clock, 99.9% / 30 d)', () => {
  it('defaults to 0.5: a window at least half covered is taken as is', () => {
    expect(DEFAULT_MIN_WINDOW_COVERAGE).toBe(0.5);
    expect(judgedBurnRate(6.9, 0.5, 0.5)).toBe(6.9);
    expect(judgedBurnRate(6.9, 1 / 3, 0.5)).toBeCloseTo(2.3, 12);
    expect(judgedBurnRate(6.9, 1 / 3, 0)).toBe(6.9);
  });

  it('coverage is the share of the window from the minute of the first event', () => {
    const w = { fromMs: START, toMs: START + 6 * HOUR_MS };
    expect(windowCoverage(w, undefined)).toBe(1);
    expect(windowCoverage(w, START - DAY_MS)).toBe(1);
    expect(windowCoverage(w, START + 4 * HOUR_MS + 30 * SECOND_MS)).toBeCloseTo(1 / 3, 12);
    expect(windowCoverage(w, null)).toBe(0);
  });

  // 2 hours of history, then 50 s of 100% errors: over the 2 hours that held
  // traffic the 6h/30m tier reads 50 / 7,200 s / 0.001 = 6.9 ≥ 6, although
  // 50 s is 1.9% of the budget, below the 5% that tier stands for.
  const blipAfterTwoHours = (s: number) => s >= 2 * HOUR_MS - 50 * SECOND_MS && s < 2 * HOUR_MS;

  it('a service with 2 hours of history does not page on 50 s of errors', () => {
    const run = simulate(blipAfterTwoHours, 2 * HOUR_MS + 10 * MINUTE_MS);
    expect(run.pages).toEqual([]);
  });

  it('without the guard (minWindowCoverage 0) the same 50 s page, through the 6h/30m tier', () => {
    const def = { ...SLO, minWindowCoverage: 0 };
    const run = simulate(blipAfterTwoHours, 2 * HOUR_MS + 10 * MINUTE_MS, def);
    expect(firedAt(run)).toBeDefined();
    const counts = new MinuteCounts();
    for (let t = START; t < START + 2 * HOUR_MS; t += SECOND_MS) counts.add(t, blipAfterTwoHours(t - START) ? 0 : RATE, RATE);
    const status = evaluateSlo(def, counts, START + 2 * HOUR_MS - 1, START);
    expect(status.tiers[1]).toMatchObject({ longWindowMs: 6 * HOUR_MS, firing: true });
    expect(status.tiers[1].longBurnRate).toBeCloseTo(6.94, 2);
    expect(status.tiers[1].longCoverage).toBeCloseTo(1 / 3, 12);
  });

  it('with 6 hours of history the same 50 s burn 2.3 and do not page (the Workbook intent)', () => {
    const blip = (s: number) => s >= 6 * HOUR_MS - 50 * SECOND_MS && s < 6 * HOUR_MS;
    const run = simulate(blip, 6 * HOUR_MS + 10 * MINUTE_MS, { ...SLO, minWindowCoverage: 0 });
    expect(run.pages).toEqual([]);
  });

  it('a brand-new service failing completely pages as soon as it has minEvents', () => {
    // 100 events take 5 s at 20 req/s: the first evaluation (30 s) already has them.
    const run = simulate(() => true, 10 * MINUTE_MS);
    expect(firedAt(run)).toBeLessThanOrEqual(WORKBOOK_PAGE_DETECTION + EVAL_INTERVAL);
  });

  it('a new service with 10 minutes of traffic that then fails completely pages within the fast tier detection time', () => {
    const outage = 10 * MINUTE_MS;
    const run = simulate((s) => s >= outage, 20 * MINUTE_MS);
    expect(firedAt(run)! - outage).toBeLessThanOrEqual(WORKBOOK_PAGE_DETECTION + EVAL_INTERVAL);
  });

  it('with full history a real outage pages within the Workbook detection time, guard on', () => {
    const outage = 3 * DAY_MS;
    // Only the last hour before the outage is fed second by second; the 3 days before it as minute rows.
    const counts = new MinuteCounts();
    for (let t = START; t < START + outage - HOUR_MS; t += MINUTE_MS) counts.add(t, RATE * 60, RATE * 60);
    let fed = START + outage - HOUR_MS;
    let states: SloAlertStates = {};
    let fired: number | undefined;
    for (let now = fed + EVAL_INTERVAL; now <= START + outage + 5 * MINUTE_MS && fired === undefined; now += EVAL_INTERVAL) {
      for (; fed < now; fed += SECOND_MS) counts.add(fed, fed >= START + outage ? 0 : RATE, RATE);
      const status = evaluateSlo(SLO, counts, now, START);
      const step = stepSloAlerts(status, states, { labels: { slo: 'old' } });
      if (step.page.transition === 'firing') fired = now - (START + outage);
      states = { page: step.page.next, ticket: step.ticket.next };
    }
    expect(fired).toBeGreaterThanOrEqual(0.0144 * 59 * MINUTE_MS);
    expect(fired).toBeLessThanOrEqual(WORKBOOK_PAGE_DETECTION + EVAL_INTERVAL);
  });
});
