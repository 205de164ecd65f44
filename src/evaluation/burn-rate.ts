/**
 * Error-budget arithmetic of the Google SRE Workbook: SLI, burn rate,
 * remaining budget and time to exhaustion.
 *
 * Objectives arrive in percent (99.9). `1 - 0.999` is 0.0010000000000000009
 * and `(100 - 99.9) / 100` is 0.0009999999999999432 in binary floating point,
 * so a burn of exactly 1.0 would read as 0.99999… and miss a threshold of 1.
 * The budget ratio is therefore kept as an exact fraction of integers
 * (99.9 → 1/1000) and burn rates are computed as bad·den / (total·num).
 */

/** EventCounts are good and total events over some window (sampling-adjusted, so possibly fractional). */
export interface EventCounts {
  good: number;
  total: number;
}

/** SliStatus is what one window's counts say; sli and errorRatio are null without traffic. */
export interface SliStatus {
  sli: number | null;
  errorRatio: number | null;
  /** errorRatio / (1 − objective); 0 without traffic (nothing is burning). */
  burnRate: number;
}

/** BudgetRatio is 1 − objective as the exact fraction num/den. */
export interface BudgetRatio {
  num: number;
  den: number;
  /** num / den, for display and for multiplying event counts. */
  value: number;
}

/** ErrorBudget is the budget over the SLO window, in events and as fractions. */
export interface ErrorBudget {
  /** (1 − objective) × total: how many bad events the window may hold. */
  totalEvents: number;
  /** Bad events so far. */
  spentEvents: number;
  /** totalEvents − spentEvents; negative once overspent. */
  remainingEvents: number;
  /** 1 − spent / total budget; 1 without traffic, negative once overspent. */
  remainingFraction: number;
  /** 1 − remainingFraction. */
  spentFraction: number;
}

const MAX_OBJECTIVE_DECIMALS = 10;

/** ObjectiveError is thrown for an objective outside (0, 100). */
export class ObjectiveError extends RangeError {
  override name = 'ObjectiveError';
}

/**
 * budgetRatio turns an objective in percent into the exact fraction
 * (100 − objective) / 100, using the objective's decimal digits: 99.95 →
 * 5/10000. Throws ObjectiveError unless 0 < objective < 100.
 */
export function budgetRatio(objectivePercent: number): BudgetRatio {
  if (!Number.isFinite(objectivePercent) || objectivePercent <= 0 || objectivePercent >= 100) {
    throw new ObjectiveError(`objective: must be a percentage between 0 and 100 (exclusive), got ${objectivePercent}`);
  }
  let scale = 1;
  for (let d = 0; d <= MAX_OBJECTIVE_DECIMALS; d++, scale *= 10) {
    const scaled = Math.round(objectivePercent * scale);
    if (scaled / scale === objectivePercent) {
      const num = 100 * scale - scaled;
      const den = 100 * scale;
      return { num, den, value: num / den };
    }
  }
  // More than ten decimals: no exact fraction worth having; plain float math.
  const value = (100 - objectivePercent) / 100;
  return { num: value, den: 1, value };
}

/** maxBurnRate is the burn rate at 100% errors: 1 / (1 − objective). */
export function maxBurnRate(objectivePercent: number): number {
  const b = budgetRatio(objectivePercent);
  return b.den / b.num;
}

/**
 * badEvents is total − good, never negative: sampling-adjusted counts are
 * sums of fractions, and a rounding hair below zero must not read as budget
 * earned back.
 */
export function badEvents(counts: EventCounts): number {
  return Math.max(0, counts.total - counts.good);
}

/**
 * burnRateOf is how fast the window spends budget: 1 spends exactly the
 * whole budget over one SLO period, 14.4 spends 2% of a 30-day budget in an
 * hour. 0 without traffic.
 */
export function burnRateOf(counts: EventCounts, ratio: BudgetRatio): number {
  if (counts.total <= 0) return 0;
  return (badEvents(counts) * ratio.den) / (counts.total * ratio.num);
}

/** sliStatus is the SLI, error ratio and burn rate of one window's counts. */
export function sliStatus(counts: EventCounts, objectivePercent: number): SliStatus {
  return sliStatusOf(counts, budgetRatio(objectivePercent));
}

/** sliStatusOf is sliStatus for a budget ratio already worked out (the evaluator needs it for ten windows per SLO). */
export function sliStatusOf(counts: EventCounts, ratio: BudgetRatio): SliStatus {
  if (counts.total <= 0) return { sli: null, errorRatio: null, burnRate: 0 };
  const bad = badEvents(counts);
  return {
    sli: (counts.total - bad) / counts.total,
    errorRatio: bad / counts.total,
    burnRate: burnRateOf(counts, ratio),
  };
}

/**
 * errorBudget is the budget over the SLO window's counts. The budget is
 * event-based — (1 − objective) × total — so it grows with traffic; the
 * remaining fraction is 1 − bad / budget and goes negative when overspent,
 * because "how far over" is what a postmortem asks.
 */
export function errorBudget(counts: EventCounts, objectivePercent: number): ErrorBudget {
  return errorBudgetOf(counts, budgetRatio(objectivePercent));
}

/** errorBudgetOf is errorBudget for a budget ratio already worked out. */
export function errorBudgetOf(counts: EventCounts, ratio: BudgetRatio): ErrorBudget {
  const spentEvents = counts.total > 0 ? badEvents(counts) : 0;
  const totalEvents = (Math.max(0, counts.total) * ratio.num) / ratio.den;
  const spentFraction = counts.total > 0 ? burnRateOf(counts, ratio) : 0;
  return {
    totalEvents,
    spentEvents,
    remainingEvents: totalEvents - spentEvents,
    remainingFraction: 1 - spentFraction,
    spentFraction,
  };
}

/**
 * timeToExhaustionMs is how long the remaining budget lasts at `burnRate`:
 * a burn of 1 spends one whole budget per period, so the rest lasts
 * remaining × period / burn. null when nothing burns (never exhausted);
 * 0 when the budget is already gone.
 */
export function timeToExhaustionMs(remainingFraction: number, burnRate: number, periodMs: number): number | null {
  if (remainingFraction <= 0) return 0;
  if (!(burnRate > 0)) return null;
  return (remainingFraction * periodMs) / burnRate;
}
