import { type ErrorBudget, type EventCounts, badEvents, errorBudget, sliStatus } from './burn-rate.js';
import { type Severity, defaultPolicy, tierFactor } from './policy.js';
import { type SloAlertStates, type SloAlertsStep, firingTiers, stepSloAlerts } from './slo-alerts.js';
import { type SloDefinition, type SloStatus, type StatusWindowName, type WindowCounts, evaluateSlo } from './slo-evaluator.js';
import { nominalPeriodMs } from './windows.js';

/**
 * Replay: the pure core and the alert state machine stepped over stored
 * counts, answering "which incidents would this policy have produced?".
 * Each step is "the end of a minute" (or of an hour, where only hour rows are
 * left): the evaluator sees exactly the counts before that instant, as a
 * live tick at the minute's last moment would.
 */

/** ReplayInput: what to step, over which counts, at which instants. */
export interface ReplayInput {
  def: SloDefinition;
  counts: WindowCounts;
  /** When the SLO's history begins (first stored event), for the partial-window guard; null: none. */
  dataStartMs: number | null;
  /** Step instants (window ends), ascending; minute-aligned. */
  steps: readonly number[];
  /** A history point is kept at the first step at or after every multiple of this (from the first step). */
  pointEveryMs: number;
}

/** CrossedTier is a tier that fired at some step of an incident. */
export interface CrossedTier {
  index: number;
  longWindowMs: number;
  shortWindowMs: number;
  factor: number;
}

/** Incident is one firing of the page or ticket alert, from firing to resolved. */
export interface Incident {
  severity: Severity;
  firedAtMs: number;
  /** null: still firing at the end of the replay. */
  resolvedAtMs: number | null;
  tiers: CrossedTier[];
  /** Highest long-window burn rate among the firing tiers while it fired (the alert's value). */
  peakBurnRate: number;
  /**
   * Share of the SLO window's error budget spent by the bad events from the
   * start of the longest crossed long window before firing to the resolve.
   */
  budgetSpent: number;
}

/** ReplayPoint is one point of the history series. */
export interface ReplayPoint {
  atMs: number;
  sli: number | null;
  budgetRemaining: number;
  burnRates: Record<StatusWindowName, number>;
}

export interface ReplayResult {
  incidents: Incident[];
  history: ReplayPoint[];
  /** The status at the last step (null without steps). */
  last: SloStatus | null;
}

const QUIET: SloAlertsStep = Object.freeze({
  conditions: { page: false, ticketTiers: false, ticket: false, ticketInhibited: false },
  page: { next: undefined },
  ticket: { next: undefined },
});

interface Open {
  incident: Incident;
  longestMs: number;
}

/**
 * replaySlo steps evaluateSlo and stepSloAlerts over `steps` with the SLO's
 * default alert timing (fire at once, resolve at once), as the scheduler does.
 */
export function replaySlo(input: ReplayInput): ReplayResult {
  const { def, counts, dataStartMs, steps } = input;
  let states: SloAlertStates = {};
  const incidents: Incident[] = [];
  const open: Partial<Record<Severity, Open>> = {};
  const history: ReplayPoint[] = [];
  let nextPoint = steps.length > 0 ? steps[0] : 0;
  let last: SloStatus | null = null;

  const close = (severity: Severity, atMs: number | null, status: SloStatus) => {
    const o = open[severity];
    if (!o) return;
    const end = atMs ?? status.bounds.endMs;
    const bad = badEvents(counts.sum(Math.min(end, o.incident.firedAtMs - o.longestMs), end));
    o.incident.resolvedAtMs = atMs;
    o.incident.budgetSpent = status.budget.totalEvents > 0 ? bad / status.budget.totalEvents : 0;
    delete open[severity];
  };

  for (let i = 0; i < steps.length; i++) {
    const at = steps[i];
    // The last instant before `at`: windows end at `at`, holding its whole last minute.
    const status = evaluateSlo(def, counts, at - 1, dataStartMs);
    // Nothing firing and no alert to step: stepSloAlerts would answer "nothing" too; skip its allocations.
    const quiet = !states.page && !states.ticket && !status.tiers.some((t) => t.firing);
    const step = quiet ? QUIET : stepSloAlerts(status, states, { labels: {} });
    for (const severity of ['page', 'ticket'] as const) {
      const s = step[severity];
      if (s.transition === 'firing') {
        const o: Open = {
          incident: { severity, firedAtMs: at, resolvedAtMs: null, tiers: [], peakBurnRate: 0, budgetSpent: 0 },
          longestMs: 0,
        };
        open[severity] = o;
        incidents.push(o.incident);
      }
      if (s.transition === 'resolved') close(severity, at, status);
      const o = open[severity];
      if (o) {
        for (const t of firingTiers(status, severity)) {
          if (!o.incident.tiers.some((c) => c.index === t.index)) {
            o.incident.tiers.push({ index: t.index, longWindowMs: t.longWindowMs, shortWindowMs: t.shortWindowMs, factor: t.factor });
          }
          o.incident.peakBurnRate = Math.max(o.incident.peakBurnRate, t.longBurnRate);
          o.longestMs = Math.max(o.longestMs, t.longWindowMs);
        }
      }
    }
    states = { page: step.page.next, ticket: step.ticket.next };
    if (at >= nextPoint || i === steps.length - 1) {
      history.push({
        atMs: at,
        sli: status.full.sli,
        budgetRemaining: status.budget.remainingFraction,
        burnRates: Object.fromEntries(Object.entries(status.windows).map(([w, v]) => [w, v.burnRate])) as Record<StatusWindowName, number>,
      });
      while (nextPoint <= at) nextPoint += input.pointEveryMs;
    }
    last = status;
  }
  if (last) for (const severity of ['page', 'ticket'] as const) close(severity, null, last);
  for (const inc of incidents) inc.tiers.sort((a, b) => a.index - b.index);
  return { incidents, history, last };
}

/** RangeSummary is the SLI and budget over the replayed range itself. */
export interface RangeSummary {
  events: { good: number; bad: number; total: number };
  sli: number | null;
  budget: ErrorBudget;
}

/** rangeSummary is what the counts of [fromMs, toMs) say against the objective. */
export function rangeSummary(counts: WindowCounts, fromMs: number, toMs: number, objective: number): RangeSummary {
  const c: EventCounts = counts.sum(fromMs, toMs);
  return {
    events: { good: c.good, bad: badEvents(c), total: c.total },
    sli: sliStatus(c, objective).sli,
    budget: errorBudget(c, objective),
  };
}

/** effectivePolicy is the policy a definition is evaluated with, its factors at the nominal period. */
export function effectiveTiers(def: SloDefinition) {
  const period = nominalPeriodMs(def.window);
  const policy = def.policy ?? defaultPolicy(period);
  return policy.tiers.map((t) => ({ ...t, factor: tierFactor(t, period) }));
}

/**
 * unmatched lists the incidents of `baseline` that no incident of `other`
 * (any severity) overlaps in time: what `other` would have missed.
 */
export function unmatched(baseline: readonly Incident[], other: readonly Incident[], endMs: number): Incident[] {
  const end = (i: Incident) => i.resolvedAtMs ?? endMs;
  return baseline.filter((b) => !other.some((o) => o.firedAtMs <= end(b) && b.firedAtMs <= end(o)));
}
