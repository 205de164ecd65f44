import type { HistogramJson } from '../kernel/log-histogram.js';
import { formatDuration } from './windows.js';

/**
 * Symptom rules: alerts on what users of a service see (errors, slowness,
 * traffic that vanished or exploded), beside the SLO burn-rate alerts. This
 * file is the rule's validated shape; alerting/alert-rule.validation.ts reads
 * it from a body, symptom-rule.evaluator.ts is the pure condition check, and
 * alert-state.ts carries `for` and `keep_firing_for`.
 */

/** RedSums are the RED sums of a rule's selector over one window. Counts may be fractional (sampling). */
export interface RedSums {
  calls: number;
  errors: number;
  histogram: HistogramJson;
}

/** Provider of RED sums for the rule's selector over [fromMs, toMs), minute-aligned (the shell backs it with SQL). */
export interface RedCounts {
  sum(fromMs: number, toMs: number): RedSums;
}

export type SymptomCondition =
  | { type: 'error_ratio'; windowMs: number; threshold: number; minCalls: number }
  | { type: 'latency'; windowMs: number; percentile: 50 | 90 | 95 | 99; thresholdMs: number; minCalls: number }
  | {
      type: 'traffic';
      windowMs: number;
      baseline: 'last_week' | 'trailing_mean';
      /** Previous windows averaged for 'trailing_mean'; 0 for 'last_week', which uses none. */
      trailingWindows: number;
      deviationPercent: number;
      direction: 'up' | 'down' | 'both';
      /** Minimum baseline calls: below it a deviation is noise, not a symptom. */
      minCalls: number;
    };

export type SymptomSeverity = 'page' | 'ticket' | 'info';

export interface SymptomSelector {
  service: string;
  /** Exact span names or globs (`*`, `?`), as in SLO selectors; empty = every operation. */
  operations: string[];
  /** Lower-case kind names (`server`, `client`, ...); the shell maps them to `SPAN_KIND_SERVER`... */
  spanKinds: string[];
}

/** SymptomRuleSpec is a validated rule, durations in milliseconds. */
export interface SymptomRuleSpec {
  name: string;
  selector: SymptomSelector;
  condition: SymptomCondition;
  forMs: number;
  keepFiringForMs: number;
  severity: SymptomSeverity;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  channels: string[];
}

/** symptomRuleToJson is the inverse of validateSymptomRule (alerting/alert-rule.validation.ts): the user's shape, durations as `5m`. */
export function symptomRuleToJson(spec: SymptomRuleSpec): Record<string, unknown> {
  const { windowMs, ...rest } = spec.condition;
  const condition: Record<string, unknown> = { ...rest, window: formatDuration(windowMs) };
  if (spec.condition.type === 'traffic' && spec.condition.baseline === 'last_week') delete condition.trailingWindows;
  return {
    name: spec.name,
    selector: { ...spec.selector, operations: [...spec.selector.operations], spanKinds: [...spec.selector.spanKinds] },
    condition,
    for: formatHold(spec.forMs),
    keepFiringFor: formatHold(spec.keepFiringForMs),
    severity: spec.severity,
    labels: { ...spec.labels },
    annotations: { ...spec.annotations },
    channels: [...spec.channels],
  };
}

/** formatHold writes 0 as `0s`, which parseDuration reads back (formatDuration would write `0ms`). */
function formatHold(ms: number): string {
  return ms === 0 ? '0s' : formatDuration(ms);
}
