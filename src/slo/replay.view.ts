import type { Incident, RangeSummary, ReplayResult } from '../evaluation/replay.js';
import { effectiveTiers } from '../evaluation/replay.js';
import { DEFAULT_MIN_EVENTS, DEFAULT_MIN_WINDOW_COVERAGE, type SloDefinition } from '../evaluation/slo-evaluator.js';
import { formatDuration, formatWindow } from '../evaluation/windows.js';
import type { SloSpec } from './slo.types.js';

/** ReplayRun is one replay with the range it actually stepped. */
export interface ReplayRun extends ReplayResult {
  def: SloDefinition;
  fromMs: number;
  toMs: number;
  /** Steps before this instant are hour ends (only hour rows are kept there); null: all minute ends. */
  hourlyBeforeMs: number | null;
  summary: RangeSummary;
}

const iso = (ms: number) => new Date(ms).toISOString();

function incidentJson(i: Incident) {
  return {
    severity: i.severity,
    firedAt: iso(i.firedAtMs),
    resolvedAt: i.resolvedAtMs === null ? null : iso(i.resolvedAtMs),
    durationSeconds: i.resolvedAtMs === null ? null : (i.resolvedAtMs - i.firedAtMs) / 1000,
    tiers: i.tiers.map((t) => ({ longWindow: formatDuration(t.longWindowMs), shortWindow: formatDuration(t.shortWindowMs), factor: t.factor })),
    peakBurnRate: i.peakBurnRate,
    budgetSpent: i.budgetSpent,
  };
}

/** replayToJson renders a preview or replay: the range, the policy used, the series and the incidents. */
export function replayToJson(spec: SloSpec, run: ReplayRun, meta: { source: 'sli' | 'red'; approximate: boolean; warnings: string[] }) {
  return {
    objective: spec.objective,
    window: formatWindow(spec.window),
    from: iso(run.fromMs),
    to: iso(run.toMs),
    /** sli: the SLO's exact stored counts; red: rebuilt from the RED rows. */
    source: meta.source,
    approximate: meta.approximate,
    stepSeconds: 60,
    hourlyStepsBefore: run.hourlyBeforeMs === null ? null : iso(run.hourlyBeforeMs),
    policy: {
      tiers: effectiveTiers(run.def).map((t) => ({
        severity: t.severity,
        longWindow: formatDuration(t.longWindowMs),
        shortWindow: formatDuration(t.shortWindowMs),
        budgetFraction: t.budgetFraction,
        factor: t.factor,
      })),
      minEvents: run.def.minEvents ?? DEFAULT_MIN_EVENTS,
      minWindowCoverage: run.def.minWindowCoverage ?? DEFAULT_MIN_WINDOW_COVERAGE,
    },
    events: run.summary.events,
    sli: run.summary.sli,
    errorBudget: run.summary.budget,
    summary: {
      pages: run.incidents.filter((i) => i.severity === 'page').length,
      tickets: run.incidents.filter((i) => i.severity === 'ticket').length,
    },
    incidents: run.incidents.map(incidentJson),
    history: run.history.map((p) => ({ at: iso(p.atMs), sli: p.sli, budgetRemaining: p.budgetRemaining, burnRates: p.burnRates })),
    warnings: meta.warnings,
  };
}
replayToJson.incident = incidentJson;
