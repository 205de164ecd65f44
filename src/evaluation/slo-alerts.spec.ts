import type { AlertState, AlertTiming, AlertTransition } from './alert-state.js';
import type { EventCounts } from './burn-rate.js';
import { MinuteCounts } from '../../test/support/minute-counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../kernel/minute-ranges.js';
import { SLO_ALERT_NAME, type SloAlertStates, stepSloAlerts } from './slo-alerts.js';
import { type SloDefinition, type SloStatus, evaluateSlo } from './slo-evaluator.js';

/**
 * Simulated-clock tests against the Workbook's numbers for a 99.9% / 30-day
 * SLO. Traffic arrives second by second (20 req/s = 1,200 a minute); the
 * evaluator runs every 30 s and sees exactly what was ingested before `now`,
 * including the current, partial minute — as in production.
 */

const BASE = Date.parse('2024-05-01T00:00:00Z'); // errors start relative to this
const EVAL_INTERVAL = 30 * SECOND_MS;
const RATE = 20; // requests per second
const SLO: SloDefinition = { objective: 99.9, window: { kind: 'rolling', days: 30 } };

/** Traffic gives the counts of [fromMs, fromMs + lengthMs). */
type Traffic = (fromMs: number, lengthMs: number) => EventCounts;

/** errors builds steady traffic whose error ratio at instant t is errorRatio(t − BASE). */
const errors = (errorRatio: (sinceBase: number) => number): Traffic => (t, len) => {
  const total = (RATE * len) / SECOND_MS;
  return { total, good: total * (1 - errorRatio(t - BASE)) };
};
const outage = (ratio: number, fromMs: number, toMs: number) => errors((s) => (s >= fromMs && s < toMs ? ratio : 0));

interface Event {
  at: number; // ms after BASE
  alert: 'page' | 'ticket';
  transition: AlertTransition;
}

interface Run {
  events: Event[];
  statuses: SloStatus[];
  /** Ticks at which a firing ticket and a firing page coexisted. */
  overlaps: number;
}

/**
 * simulate feeds 31 days of healthy history before BASE, then evaluates every
 * 30 s from BASE − 10 min to BASE + untilMs, feeding `traffic` second by
 * second in between, and records every alert transition.
 */
function simulate(traffic: Traffic, untilMs: number, timing: Partial<AlertTiming> = {}, def: SloDefinition = SLO, history: Traffic = errors(() => 0)): Run {
  const counts = new MinuteCounts();
  const first = BASE - 10 * MINUTE_MS;
  for (let m = first - 31 * DAY_MS; m < first; m += MINUTE_MS) add(counts, m, history(m, MINUTE_MS));
  let fed = first;
  let states: SloAlertStates = {};
  const run: Run = { events: [], statuses: [], overlaps: 0 };
  for (let now = first; now <= BASE + untilMs; now += EVAL_INTERVAL) {
    for (; fed < now; fed += SECOND_MS) add(counts, fed, traffic(fed, SECOND_MS));
    const status = evaluateSlo(def, counts, now);
    const step = stepSloAlerts(status, states, { labels: { slo: 'checkout-availability' }, page: timing, ticket: timing });
    if (step.page.transition) run.events.push({ at: now - BASE, alert: 'page', transition: step.page.transition });
    if (step.ticket.transition) run.events.push({ at: now - BASE, alert: 'ticket', transition: step.ticket.transition });
    states = { page: step.page.next, ticket: step.ticket.next };
    if (states.page?.state === 'firing' && states.ticket?.state === 'firing') run.overlaps++;
    run.statuses.push(status);
  }
  return run;
}

function add(counts: MinuteCounts, at: number, c: EventCounts) {
  if (c.total > 0) counts.add(at, c.good, c.total);
}

const only = (run: Run, alert: 'page' | 'ticket') => run.events.filter((e) => e.alert === alert).map((e) => e.transition);
const timeOf = (run: Run, alert: 'page' | 'ticket', transition: AlertTransition) =>
  run.events.find((e) => e.alert === alert && e.transition === transition)?.at;

/** WORKBOOK_PAGE_DETECTION: 2% of a 30-day budget at 100% errors: 0.001 / 1.0 × 60 min × 14.4 = 0.864 min. */
const WORKBOOK_PAGE_DETECTION = 0.864 * MINUTE_MS;

describe('SLO burn-rate alerts, 99.9% over 30 days (simulated clock)', () => {
  it.each([0, 1, 13, 29, 30, 31, 47, 59])(
    '100%% errors starting %i s past a minute: pages after ~52 s of errors plus at most one interval, resolves within 5 min',
    (phaseS) => {
      const start = 10 * MINUTE_MS + phaseS * SECOND_MS;
      const recovery = start + 2 * MINUTE_MS; // short enough that the 6h/30m tier stays quiet
      const run = simulate(outage(1, start, recovery), recovery + 10 * MINUTE_MS);

      expect(only(run, 'page')).toEqual(['firing', 'resolved']);
      const detection = timeOf(run, 'page', 'firing')! - start;
      // The 1h window is 59 whole minutes plus the partial current one, so a
      // page can come a little before 0.864 min (at 0.0144 × 59 min = 50.98 s),
      // and never later than 0.864 min plus one evaluation interval.
      expect(detection).toBeGreaterThanOrEqual(0.0144 * 59 * MINUTE_MS);
      expect(detection).toBeLessThanOrEqual(WORKBOOK_PAGE_DETECTION + EVAL_INTERVAL);
      // Reset time: the 5m short window clears within 5 minutes of recovery.
      const reset = timeOf(run, 'page', 'resolved')! - recovery;
      expect(reset).toBeGreaterThan(3 * MINUTE_MS);
      expect(reset).toBeLessThanOrEqual(5 * MINUTE_MS);
      expect(only(run, 'ticket')).toEqual([]);
    },
  );

  it('15% errors for 10 minutes: pages within the Workbook detection time (5.76 min) and resolves within 5 min', () => {
    const run = simulate(outage(0.15, 0, 10 * MINUTE_MS), 30 * MINUTE_MS);
    expect(only(run, 'page')).toEqual(['firing', 'resolved']);
    expect(timeOf(run, 'page', 'firing')).toBeLessThanOrEqual((0.0144 / 0.15) * HOUR_MS + EVAL_INTERVAL);
    expect(timeOf(run, 'page', 'firing')).toBeGreaterThanOrEqual((0.0144 / 0.15) * 59 * MINUTE_MS);
    expect(timeOf(run, 'page', 'resolved')! - 10 * MINUTE_MS).toBeLessThanOrEqual(5 * MINUTE_MS);
    expect(only(run, 'ticket')).toEqual([]);
  });

  it('a 10-minute full outage: the 6h/30m tier holds the page ~30 min, the ticket waits for the page to resolve', () => {
    const recovery = 10 * MINUTE_MS;
    const run = simulate(outage(1, 0, recovery), 3 * HOUR_MS);
    expect(only(run, 'page')).toEqual(['firing', 'resolved']);
    // The 1h/5m tier stops within 5 minutes of recovery...
    const hourTierStops = run.statuses.find((s) => s.evaluatedAtMs - BASE > recovery && !s.tiers[0].firing)!.evaluatedAtMs - BASE;
    expect(hourTierStops - recovery).toBeLessThanOrEqual(5 * MINUTE_MS);
    // ...the 6h/30m tier (10 min of errors = 2.8% of 6 h ≥ 0.6%) keeps paging until its 30m window clears.
    const pageResolved = timeOf(run, 'page', 'resolved')! - recovery;
    expect(pageResolved).toBeGreaterThan(25 * MINUTE_MS);
    expect(pageResolved).toBeLessThanOrEqual(30 * MINUTE_MS);
    // The 1d/2h ticket tier fired all along but was inhibited; it opens once the page is gone.
    expect(run.overlaps).toBe(0);
    expect(timeOf(run, 'ticket', 'firing')).toBe(timeOf(run, 'page', 'resolved'));
  });

  it('0.2% errors (burn 2) never pages; the 3d/6h ticket fires after the Workbook detection time of 36 h', () => {
    const run = simulate(errors((s) => (s >= 0 ? 0.002 : 0)), 37 * HOUR_MS);
    expect(only(run, 'page')).toEqual([]);
    expect(only(run, 'ticket')).toEqual(['firing']);
    const fired = timeOf(run, 'ticket', 'firing')!;
    // 3d burn = 2 × elapsed / 72 h reaches 1 at 36 h; the partial minute makes it up to one minute sooner.
    expect(fired).toBeGreaterThanOrEqual(36 * HOUR_MS - MINUTE_MS);
    expect(fired).toBeLessThanOrEqual(36 * HOUR_MS + EVAL_INTERVAL);
    const last = run.statuses[run.statuses.length - 1];
    expect(last.tiers.map((t) => t.firing)).toEqual([false, false, false, true]); // 1d/2h needs burn 3
    expect(last.windows['6h'].burnRate).toBeCloseTo(2, 6);
  });

  describe('a flapping error stream (90 s bursts, 8 minutes apart)', () => {
    const bursts = errors((s) => ((s >= 0 && s < 90 * SECOND_MS) || (s >= 8 * MINUTE_MS && s < 9.5 * MINUTE_MS) ? 1 : 0));

    it('without keep_firing_for it pages twice', () => {
      const run = simulate(bursts, 2 * HOUR_MS);
      expect(only(run, 'page')).toEqual(['firing', 'resolved', 'firing', 'resolved']);
    });

    it('within keep_firing_for (10 min) it stays one alert: one firing, one resolved', () => {
      const run = simulate(bursts, 2 * HOUR_MS, { keepFiringForMs: 10 * MINUTE_MS });
      expect(only(run, 'page')).toEqual(['firing', 'resolved']);
      expect(only(run, 'ticket')).toEqual([]);
    });
  });

  it('low traffic: 10 requests an hour with one failure does not page with the default minimum', () => {
    // One request every 6 minutes; the one at BASE + 30 min fails.
    const sparse: Traffic = (t, len) => {
      let total = 0;
      for (let x = Math.ceil(t / (6 * MINUTE_MS)) * 6 * MINUTE_MS; x < t + len; x += 6 * MINUTE_MS) total++;
      return { total, good: t <= BASE + 30 * MINUTE_MS && BASE + 30 * MINUTE_MS < t + len ? total - 1 : total };
    };
    const run = simulate(sparse, 3 * HOUR_MS, {}, SLO, sparse);
    expect(only(run, 'page')).toEqual([]);
    // The 1d/2h tier does open a ticket: 240 events a day meet the minimum,
    // and one failure really is 14% of this SLO's 30-day budget (7.2 events).
    expect(only(run, 'ticket')).toEqual(['firing']);
    // Without the minimum, the same failure pages.
    expect(only(simulate(sparse, 3 * HOUR_MS, {}, { ...SLO, minEvents: 0 }, sparse), 'page')).toContain('firing');
  });
});

describe('stepSloAlerts', () => {
  const status = (firing: { page?: boolean; ticket?: boolean }): SloStatus =>
    ({
      evaluatedAtMs: BASE,
      tiers: [
        { severity: 'page', firing: !!firing.page, longBurnRate: 20 },
        { severity: 'ticket', firing: !!firing.ticket, longBurnRate: 4 },
      ],
    }) as unknown as SloStatus;
  const labels = { slo: 'checkout-availability', service: 'checkout' };

  it.each([
    ['nothing fires', {}, false, false, false],
    ['a page tier fires', { page: true }, true, false, false],
    ['a ticket tier fires', { ticket: true }, false, true, false],
    ['both fire: the page inhibits the ticket', { page: true, ticket: true }, true, false, true],
  ])('%s', (_name, firing, page, ticket, inhibited) => {
    const step = stepSloAlerts(status(firing), {}, { labels });
    expect(step.conditions).toMatchObject({ page, ticket, ticketInhibited: inhibited });
    expect(step.page.next?.state === 'firing').toBe(page);
    expect(step.ticket.next?.state === 'firing').toBe(ticket);
  });

  it('labels each alert with alertname and severity; the value is the long-window burn rate', () => {
    const step = stepSloAlerts(status({ page: true }), {}, { labels, annotations: { runbook_url: 'https://runbooks/checkout' } });
    const page = step.page.next as AlertState;
    expect(page.labels).toEqual({ ...labels, alertname: SLO_ALERT_NAME, severity: 'page' });
    expect(page).toMatchObject({ value: 20, annotations: { runbook_url: 'https://runbooks/checkout' } });
  });

  it('a page held by keep_firing_for still inhibits the ticket', () => {
    const firing = stepSloAlerts(status({ page: true }), {}, { labels, page: { keepFiringForMs: 10 * MINUTE_MS } });
    const later = stepSloAlerts({ ...status({ ticket: true }), evaluatedAtMs: BASE + MINUTE_MS }, { page: firing.page.next }, {
      labels,
      page: { keepFiringForMs: 10 * MINUTE_MS },
    });
    expect(later.page.next?.state).toBe('firing');
    expect(later.conditions.ticketInhibited).toBe(true);
    expect(later.ticket.next).toBeUndefined();
  });
});
