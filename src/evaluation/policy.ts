import { type BudgetRatio, budgetRatio } from './burn-rate.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';

/**
 * Multiwindow, multi-burn-rate alert policies (Google SRE Workbook, ch. 5).
 *
 * A tier says "page when `budgetFraction` of the period's budget was spent
 * within `longWindowMs`", confirmed by a `shortWindowMs` window so that the
 * alert stops soon after the errors do. Its threshold is a burn rate:
 * factor = budgetFraction × period / longWindow, which is why one policy
 * serves a 28-day and a 30-day SLO with different factors.
 */

export type Severity = 'page' | 'ticket';

export const SEVERITIES: readonly Severity[] = ['page', 'ticket'];

/** BurnRateTier is one (long window, short window, budget fraction) alert condition. */
export interface BurnRateTier {
  severity: Severity;
  longWindowMs: number;
  shortWindowMs: number;
  /** Share of the whole period's budget, in (0, 1]: 0.02 is 2%. */
  budgetFraction: number;
}

/** BurnRatePolicy is the list of tiers of one SLO; an empty list never alerts. */
export interface BurnRatePolicy {
  tiers: readonly BurnRateTier[];
}

/** DEFAULT_TIERS are the Workbook's four tiers (factors 14.4, 6, 3, 1 at 30 days). */
export const DEFAULT_TIERS: readonly BurnRateTier[] = Object.freeze([
  { severity: 'page', longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, budgetFraction: 0.02 },
  { severity: 'page', longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, budgetFraction: 0.05 },
  { severity: 'ticket', longWindowMs: DAY_MS, shortWindowMs: 2 * HOUR_MS, budgetFraction: 0.1 },
  { severity: 'ticket', longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, budgetFraction: 0.1 },
].map((t) => Object.freeze(t as BurnRateTier)));

export const DEFAULT_POLICY: BurnRatePolicy = Object.freeze({ tiers: DEFAULT_TIERS });

/**
 * defaultPolicy is DEFAULT_POLICY for an SLO of `periodMs`, without the tiers
 * whose long window is longer than the period (the 3-day tier of a 1- or
 * 2-day SLO): such a tier would look at traffic the SLO does not count, and
 * validatePolicy would reject it if a user had written it.
 */
export function defaultPolicy(periodMs: number): BurnRatePolicy {
  return { tiers: DEFAULT_TIERS.filter((t) => t.longWindowMs <= periodMs) };
}

/** tierFactor is the burn-rate threshold of a tier: budgetFraction × period / long window. */
export function tierFactor(tier: BurnRateTier, periodMs: number): number {
  return (tier.budgetFraction * periodMs) / tier.longWindowMs;
}

/**
 * validatePolicy lists every problem of a policy written by a user (empty
 * when valid), each message naming the field, e.g.
 * `tiers[1].shortWindowMs: must be shorter than longWindowMs (21600000), got 21600000`.
 * `periodMs` is the SLO's nominal period (nominalPeriodMs in windows.ts: the
 * shortest month for calendar months), so a tier accepted on write fits
 * every period the SLO will have.
 */
export function validatePolicy(policy: unknown, periodMs: number): string[] {
  if (typeof policy !== 'object' || policy === null || !Array.isArray((policy as BurnRatePolicy).tiers)) {
    return ['tiers: must be a list of tiers'];
  }
  const errors: string[] = [];
  (policy as BurnRatePolicy).tiers.forEach((raw: unknown, i) => {
    const at = `tiers[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      errors.push(`${at}: must be an object`);
      return;
    }
    const tier = raw as Record<string, unknown>;
    if (!SEVERITIES.includes(tier.severity as Severity)) {
      errors.push(`${at}.severity: must be 'page' or 'ticket', got ${JSON.stringify(tier.severity)}`);
    }
    const longOk = checkWindow(errors, `${at}.longWindowMs`, tier.longWindowMs);
    const shortOk = checkWindow(errors, `${at}.shortWindowMs`, tier.shortWindowMs);
    if (longOk && (tier.longWindowMs as number) > periodMs) {
      errors.push(`${at}.longWindowMs: must not exceed the SLO period (${periodMs}), got ${tier.longWindowMs}`);
    }
    if (longOk && shortOk && (tier.shortWindowMs as number) >= (tier.longWindowMs as number)) {
      errors.push(`${at}.shortWindowMs: must be shorter than longWindowMs (${tier.longWindowMs}), got ${tier.shortWindowMs}`);
    }
    const fraction = tier.budgetFraction;
    if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction <= 0 || fraction > 1) {
      errors.push(`${at}.budgetFraction: must be a number in (0, 1], got ${JSON.stringify(fraction)}`);
    }
  });
  return errors;
}

/** checkWindow: windows are whole minutes, because counts are stored per minute. */
function checkWindow(errors: string[], field: string, value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value % MINUTE_MS !== 0) {
    errors.push(`${field}: must be a positive whole number of minutes in milliseconds, got ${JSON.stringify(value)}`);
    return false;
  }
  return true;
}

/** UnreachableTier is a tier whose factor exceeds the largest possible burn rate. */
export interface UnreachableTier {
  index: number;
  tier: BurnRateTier;
  factor: number;
  /** 1 / (1 − objective): the burn rate at 100% errors. */
  maxBurnRate: number;
}

/**
 * unreachableTiers reports the tiers that can never fire: at 100% errors the
 * burn rate is 1 / (1 − objective), so a 90% SLO (max burn 10) can never reach
 * the 14.4 of a 1-hour page tier. Keeping such a tier silently would leave a
 * fast outage unpaged, so it is reported on write and in the status.
 */
export function unreachableTiers(policy: BurnRatePolicy, objectivePercent: number, periodMs: number): UnreachableTier[] {
  const ratio = budgetRatio(objectivePercent);
  const max = ratio.den / ratio.num;
  const out: UnreachableTier[] = [];
  policy.tiers.forEach((tier, index) => {
    const factor = tierFactor(tier, periodMs);
    if (exceedsMaxBurnRate(factor, ratio)) out.push({ index, tier, factor, maxBurnRate: max });
  });
  return out;
}

/**
 * exceedsMaxBurnRate is factor > 1 / (1 − objective), compared as
 * factor × num > den so that a factor exactly at the maximum (reachable at
 * 100% errors) is not lost to the division's rounding.
 */
export function exceedsMaxBurnRate(factor: number, ratio: BudgetRatio): boolean {
  return factor * ratio.num > ratio.den;
}
