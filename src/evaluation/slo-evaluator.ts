import {
  type ErrorBudget,
  type EventCounts,
  type SliStatus,
  badEvents,
  budgetRatio,
  errorBudget,
  sliStatus,
  timeToExhaustionMs,
} from './burn-rate.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { type BurnRatePolicy, type Severity, defaultPolicy, exceedsMaxBurnRate, tierFactor } from './policy.js';
import { type SloWindow, type WindowBounds, nominalPeriodMs, windowBounds } from './windows.js';

/**
 * The pure core of SLO evaluation: (definition, window sums, now) → status.
 * No clock, no database: the scheduler passes `now` and a WindowCounts backed
 * by the sli_minute/sli_hour tables; tests and replays pass MinuteCounts.
 *
 * Window alignment: every window ends at evaluationEnd(now), the end of the
 * minute holding `now`, and a window of length w is [end − w, end). So the
 * current, still-filling minute is included (see evaluationEnd) and a "1h"
 * window holds the last 59 whole minutes plus the current partial one.
 */

/** WindowCounts is the only data the core reads: good/total over [fromMs, toMs), minute-aligned. */
export interface WindowCounts {
  sum(fromMs: number, toMs: number): EventCounts;
}

/** STATUS_WINDOWS are the windows every status reports, beside the full SLO window. */
export const STATUS_WINDOWS = Object.freeze({
  '5m': 5 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS,
  '2h': 2 * HOUR_MS,
  '6h': 6 * HOUR_MS,
  '1d': DAY_MS,
  '3d': 3 * DAY_MS,
});

export type StatusWindowName = keyof typeof STATUS_WINDOWS;

/**
 * DEFAULT_MIN_EVENTS is the number of events a tier's long window must hold
 * before the tier may fire. Without it one failure among 10 requests in an
 * hour is a burn rate of 100 against a 99.9% SLO and would page someone at
 * night. 100 means a failure must be at least ~1% of an hour's traffic before
 * it can page, while any service doing more than ~2 requests a minute is
 * unaffected. Per-SLO configurable.
 */
export const DEFAULT_MIN_EVENTS = 100;

/** SloDefinition is what the core needs of an SLO; validated on write, not here. */
export interface SloDefinition {
  /** Objective in percent, 0 < objective < 100 (99.9). */
  objective: number;
  window: SloWindow;
  /** Defaults to defaultPolicy(nominal period): the Workbook's tiers. */
  policy?: BurnRatePolicy;
  /** Minimum events in a tier's long window for it to fire; default DEFAULT_MIN_EVENTS. */
  minEvents?: number;
}

/** WindowStatus is one window's counts and what they mean. */
export interface WindowStatus extends SliStatus {
  fromMs: number;
  toMs: number;
  good: number;
  bad: number;
  total: number;
}

/** TierStatus says whether one burn-rate tier fires, with the numbers that decided it. */
export interface TierStatus {
  index: number;
  severity: Severity;
  longWindowMs: number;
  shortWindowMs: number;
  budgetFraction: number;
  /** Burn-rate threshold: budgetFraction × current period / long window. */
  factor: number;
  longBurnRate: number;
  shortBurnRate: number;
  longTotal: number;
  shortTotal: number;
  /** longTotal ≥ minEvents. */
  enoughEvents: boolean;
  /** Both burn rates ≥ factor and enough events. */
  firing: boolean;
  /** factor > 1 / (1 − objective): cannot fire even at 100% errors. */
  unreachable: boolean;
}

/** SloStatus is everything one evaluation knows about an SLO. */
export interface SloStatus {
  evaluatedAtMs: number;
  objective: number;
  /** The full SLO window; its endMs is the end of every other window too. */
  bounds: WindowBounds;
  full: WindowStatus;
  windows: Record<StatusWindowName, WindowStatus>;
  budget: ErrorBudget;
  /** At the 1h burn rate; null when nothing burns, 0 when exhausted. */
  timeToExhaustionMs: number | null;
  /** No events at all in the full window: the SLI is unknown, not 100%. */
  noData: boolean;
  minEvents: number;
  tiers: TierStatus[];
}

/**
 * evaluateSlo computes the status of one SLO at `nowMs`. Window sums of equal
 * length are read once (the default policy's windows are all status windows,
 * so a default SLO costs eight sums). Throws ObjectiveError/WindowError for a
 * definition that cannot be evaluated at all.
 */
export function evaluateSlo(def: SloDefinition, counts: WindowCounts, nowMs: number): SloStatus {
  const ratio = budgetRatio(def.objective);
  const bounds = windowBounds(def.window, nowMs);
  const minEvents = def.minEvents ?? DEFAULT_MIN_EVENTS;
  if (!Number.isFinite(minEvents) || minEvents < 0) {
    throw new RangeError(`minEvents: must be a non-negative number, got ${minEvents}`);
  }
  const policy = def.policy ?? defaultPolicy(nominalPeriodMs(def.window));

  const byLength = new Map<number, WindowStatus>();
  const last = (lengthMs: number): WindowStatus => {
    let status = byLength.get(lengthMs);
    if (!status) {
      status = windowStatus(counts, bounds.endMs - lengthMs, bounds.endMs, def.objective);
      byLength.set(lengthMs, status);
    }
    return status;
  };

  const windows = {} as Record<StatusWindowName, WindowStatus>;
  for (const [name, lengthMs] of Object.entries(STATUS_WINDOWS) as [StatusWindowName, number][]) {
    windows[name] = last(lengthMs);
  }
  const full = windowStatus(counts, bounds.startMs, bounds.endMs, def.objective);
  const budget = errorBudget(full, def.objective);

  const tiers = policy.tiers.map((tier, index): TierStatus => {
    const long = last(tier.longWindowMs);
    const short = last(tier.shortWindowMs);
    const factor = tierFactor(tier, bounds.periodMs);
    const enoughEvents = long.total >= minEvents;
    return {
      index,
      severity: tier.severity,
      longWindowMs: tier.longWindowMs,
      shortWindowMs: tier.shortWindowMs,
      budgetFraction: tier.budgetFraction,
      factor,
      longBurnRate: long.burnRate,
      shortBurnRate: short.burnRate,
      longTotal: long.total,
      shortTotal: short.total,
      enoughEvents,
      firing: enoughEvents && long.burnRate >= factor && short.burnRate >= factor,
      unreachable: exceedsMaxBurnRate(factor, ratio),
    };
  });

  return {
    evaluatedAtMs: nowMs,
    objective: def.objective,
    bounds,
    full,
    windows,
    budget,
    timeToExhaustionMs: timeToExhaustionMs(budget.remainingFraction, windows['1h'].burnRate, bounds.periodMs),
    noData: full.total <= 0,
    minEvents,
    tiers,
  };
}

function windowStatus(counts: WindowCounts, fromMs: number, toMs: number, objective: number): WindowStatus {
  const { good, total } = counts.sum(fromMs, toMs);
  return { fromMs, toMs, good, total, bad: badEvents({ good, total }), ...sliStatus({ good, total }, objective) };
}
