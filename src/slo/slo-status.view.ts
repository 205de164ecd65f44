import type { SloStatus, WindowStatus } from '../evaluation/slo-evaluator.js';
import { formatDuration } from '../evaluation/windows.js';
import type { Slo } from './slo.types.js';

const iso = (ms: number) => new Date(ms).toISOString();

function windowJson(w: WindowStatus) {
  return { from: iso(w.fromMs), to: iso(w.toMs), good: w.good, bad: w.bad, total: w.total, sli: w.sli, errorRatio: w.errorRatio, burnRate: w.burnRate };
}

/** statusToJson renders an SloStatus for the API: ISO times, named windows, tiers with their numbers. */
export function statusToJson(slo: Slo, s: SloStatus, warnings: string[]) {
  const approxUntil = slo.approximateUntil ? Date.parse(slo.approximateUntil) : null;
  return {
    slo: { id: slo.id, name: slo.name, service: slo.service },
    evaluatedAt: iso(s.evaluatedAtMs),
    objective: s.objective,
    window: { from: iso(s.bounds.startMs), to: iso(s.bounds.endMs), periodSeconds: s.bounds.periodMs / 1000 },
    sli: s.full.sli,
    events: { good: s.full.good, bad: s.full.bad, total: s.full.total },
    noData: s.noData,
    /** Part of the window's counts were rebuilt from RED histograms when the SLO was created or edited. */
    approximate: approxUntil !== null && s.bounds.startMs < approxUntil,
    errorBudget: s.budget,
    timeToExhaustionSeconds: s.timeToExhaustionMs === null ? null : s.timeToExhaustionMs / 1000,
    windows: Object.fromEntries([...Object.entries(s.windows).map(([k, w]) => [k, windowJson(w)]), ['full', windowJson(s.full)]]),
    alerting: {
      minEvents: s.minEvents,
      minWindowCoverage: s.minWindowCoverage,
      historyFrom: s.dataStartMs === undefined || s.dataStartMs === null ? null : iso(s.dataStartMs),
      tiers: s.tiers.map((t) => ({
        severity: t.severity,
        longWindow: formatDuration(t.longWindowMs),
        shortWindow: formatDuration(t.shortWindowMs),
        budgetFraction: t.budgetFraction,
        factor: t.factor,
        longBurnRate: t.longBurnRate,
        shortBurnRate: t.shortBurnRate,
        longCoverage: t.longCoverage,
        shortCoverage: t.shortCoverage,
        longJudgedBurnRate: t.longJudgedBurnRate,
        shortJudgedBurnRate: t.shortJudgedBurnRate,
        enoughEvents: t.enoughEvents,
        firing: t.firing,
        unreachable: t.unreachable,
      })),
    },
    warnings,
  };
}
