import {
  type BudgetRatio,
  type ErrorBudget,
  type EventCounts,
  type SliStatus,
  badEvents,
  budgetRatio,
  errorBudgetOf,
  sliStatusOf,
  timeToExhaustionMs,
} from './burn-rate.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, floorMinute } from '../kernel/minute-ranges.js';
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

/**
 * DEFAULT_MIN_WINDOW_COVERAGE is the share of a window that must lie after
 * the SLO's first event for the window's error ratio to be trusted as the
 * ratio of the whole window. Below it (a service with 2 hours of history
 * judged by a "6h" window) the observed ratio is extrapolated over a window
 * mostly made of nothing, so 50 s of errors read as a burn of 6.9 and page.
 * Such a window is judged instead as if its uncovered part had carried the
 * same traffic without errors: burn × coverage, the share of the window's
 * budget actually spent. A total outage of a brand-new service still pages
 * at the Workbook's detection time (the spent share reaches the factor just
 * as in a full window), while short blips no longer do. 0.5 as Coroot does;
 * per-SLO configurable, 0 turns the guard off.
 */
export const DEFAULT_MIN_WINDOW_COVERAGE = 0.5;

/** SloDefinition is what the core needs of an SLO; validated on write, not here. */
export interface SloDefinition {
  /** Objective in percent, 0 < objective < 100 (99.9). */
  objective: number;
  window: SloWindow;
  /** Defaults to defaultPolicy(nominal period): the Workbook's tiers. */
  policy?: BurnRatePolicy;
  /** Minimum events in a tier's long window for it to fire; default DEFAULT_MIN_EVENTS. */
  minEvents?: number;
  /** Share of a tier window that must hold history before its burn rate is taken as is; default DEFAULT_MIN_WINDOW_COVERAGE. */
  minWindowCoverage?: number;
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
  /** Share of each window after the SLO's first event (1 when history is longer, or unknown). */
  longCoverage: number;
  shortCoverage: number;
  /** The burn rates the tier is judged by: burn × coverage when coverage < minWindowCoverage, else burn. */
  longJudgedBurnRate: number;
  shortJudgedBurnRate: number;
  /** longTotal ≥ minEvents. */
  enoughEvents: boolean;
  /** Both judged burn rates ≥ factor and enough events. */
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
  minWindowCoverage: number;
  /** Start of the minute of the SLO's first stored event; undefined when the caller did not say. */
  dataStartMs?: number | null;
  tiers: TierStatus[];
}

/**
 * evaluateSlo computes the status of one SLO at `nowMs`. Window sums of equal
 * length are read once (the default policy's windows are all status windows,
 * so a default SLO costs eight sums). Throws ObjectiveError/WindowError for a
 * definition that cannot be evaluated at all.
 *
 * `dataStartMs` is when the SLO's history begins (its first stored event;
 * null: no events at all), for the partial-window guard. Left out, every
 * window counts as fully covered.
 */
export function evaluateSlo(def: SloDefinition, counts: WindowCounts, nowMs: number, dataStartMs?: number | null): SloStatus {
  const ratio = budgetRatio(def.objective);
  const bounds = windowBounds(def.window, nowMs);
  const minEvents = def.minEvents ?? DEFAULT_MIN_EVENTS;
  if (!Number.isFinite(minEvents) || minEvents < 0) {
    throw new RangeError(`minEvents: must be a non-negative number, got ${minEvents}`);
  }
  const minCoverage = def.minWindowCoverage ?? DEFAULT_MIN_WINDOW_COVERAGE;
  if (!(minCoverage >= 0 && minCoverage <= 1)) {
    throw new RangeError(`minWindowCoverage: must be a number from 0 to 1, got ${minCoverage}`);
  }
  const policy = def.policy ?? defaultPolicyFor(def.window);

  const byLength = new Map<number, WindowStatus>();
  const last = (lengthMs: number): WindowStatus => {
    let status = byLength.get(lengthMs);
    if (!status) {
      status = windowStatus(counts, bounds.endMs - lengthMs, bounds.endMs, ratio);
      byLength.set(lengthMs, status);
    }
    return status;
  };

  const windows = {
    '5m': last(STATUS_WINDOWS['5m']),
    '30m': last(STATUS_WINDOWS['30m']),
    '1h': last(STATUS_WINDOWS['1h']),
    '2h': last(STATUS_WINDOWS['2h']),
    '6h': last(STATUS_WINDOWS['6h']),
    '1d': last(STATUS_WINDOWS['1d']),
    '3d': last(STATUS_WINDOWS['3d']),
  } satisfies Record<StatusWindowName, WindowStatus>;
  const full = windowStatus(counts, bounds.startMs, bounds.endMs, ratio);
  const budget = errorBudgetOf(full, ratio);

  const tiers = policy.tiers.map((tier, index): TierStatus => {
    const long = last(tier.longWindowMs);
    const short = last(tier.shortWindowMs);
    const factor = tierFactor(tier, bounds.periodMs);
    const enoughEvents = long.total >= minEvents;
    const longCoverage = windowCoverage(long, dataStartMs);
    const shortCoverage = windowCoverage(short, dataStartMs);
    const longJudged = judgedBurnRate(long.burnRate, longCoverage, minCoverage);
    const shortJudged = judgedBurnRate(short.burnRate, shortCoverage, minCoverage);
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
      longCoverage,
      shortCoverage,
      longJudgedBurnRate: longJudged,
      shortJudgedBurnRate: shortJudged,
      enoughEvents,
      firing: enoughEvents && longJudged >= factor && shortJudged >= factor,
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
    minWindowCoverage: minCoverage,
    ...(dataStartMs !== undefined ? { dataStartMs } : {}),
    tiers,
  };
}

/**
 * windowCoverage is the share of [fromMs, toMs) at or after the minute of the
 * first event: 1 when history is older than the window (or unknown), 0 when
 * there is none.
 */
export function windowCoverage(w: { fromMs: number; toMs: number }, dataStartMs: number | null | undefined): number {
  if (dataStartMs === undefined) return 1;
  if (dataStartMs === null) return 0;
  const start = floorMinute(dataStartMs);
  if (start <= w.fromMs) return 1;
  if (start >= w.toMs) return 0;
  return (w.toMs - start) / (w.toMs - w.fromMs);
}

/**
 * judgedBurnRate: a window covered less than `minCoverage` is judged as if
 * its uncovered part carried the same traffic with no errors — bad over the
 * traffic a full window would hold, i.e. burn × coverage. Never more than the
 * observed burn, so the guard can only delay a page, and only while history
 * is short.
 */
export function judgedBurnRate(burnRate: number, coverage: number, minCoverage: number): number {
  return coverage < minCoverage ? burnRate * coverage : burnRate;
}

/**
 * Default policies by nominal period, built once: evaluating 10,000 SLOs a
 * tick made a fresh filtered copy per SLO. Pure memoization — the policy is
 * a function of the period alone.
 */
const defaultPolicies = new Map<number, BurnRatePolicy>();

function defaultPolicyFor(window: SloWindow): BurnRatePolicy {
  const periodMs = nominalPeriodMs(window);
  let policy = defaultPolicies.get(periodMs);
  if (!policy) {
    policy = Object.freeze(defaultPolicy(periodMs));
    defaultPolicies.set(periodMs, policy);
  }
  return policy;
}

function windowStatus(counts: WindowCounts, fromMs: number, toMs: number, ratio: BudgetRatio): WindowStatus {
  const c = counts.sum(fromMs, toMs);
  const good = c.good;
  const total = c.total;
  const { sli, errorRatio, burnRate } = sliStatusOf(c, ratio);
  return { fromMs, toMs, good, total, bad: badEvents(c), sli, errorRatio, burnRate };
}
