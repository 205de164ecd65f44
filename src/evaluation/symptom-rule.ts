import type { HistogramJson } from '../kernel/log-histogram.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { WindowError, formatDuration, parseDuration } from './windows.js';
import { isObj, stringMap } from '../common/validation.js';
import { NAMEABLE_SPAN_KINDS } from '../kernel/span.model.js';

/**
 * Symptom rules: alerts on what users of a service see (errors, slowness,
 * traffic that vanished or exploded), beside the SLO burn-rate alerts. This
 * file is the rule's shape and its validation; symptom-rule.evaluator.ts is
 * the pure condition check, and alert-state.ts carries `for` and
 * `keep_firing_for`.
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

/** DEFAULT_SPAN_KINDS is the SLO selector's default too: the spans that answer callers. */
const DEFAULT_SPAN_KINDS: readonly string[] = ['server', 'consumer'];
const MIN_WINDOW_MS = MINUTE_MS;
const MAX_WINDOW_MS = 7 * DAY_MS;
/** MAX_HOLD_MS caps `for` and `keepFiringFor`: longer holds hide outages rather than de-noise them. */
const MAX_HOLD_MS = 7 * DAY_MS;
/**
 * DEFAULT_MIN_CALLS for error_ratio and latency: below 10 calls one failure
 * is already a 10%+ error ratio and one slow call the p90, which says more
 * about chance than about the service.
 */
const DEFAULT_MIN_CALLS = 10;
/**
 * DEFAULT_MIN_BASELINE_CALLS for traffic: call counts scatter by about √n, so
 * a baseline of 100 scatters by ~10% and a 50% deviation is far outside it;
 * at 10 calls it would be ~30%, and a traffic rule would flap.
 */
const DEFAULT_MIN_BASELINE_CALLS = 100;
const DEFAULT_TRAILING_WINDOWS = 6;
/** MAX_BASELINE_LOOKBACK_MS bounds how far back a trailing mean reads (hour rows are kept far longer). */
const MAX_BASELINE_LOOKBACK_MS = 28 * DAY_MS;

const PERCENTILES = [50, 90, 95, 99] as const;
const SEVERITIES: readonly SymptomSeverity[] = ['page', 'ticket', 'info'];
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9._:-]{0,127}$/;
const LABEL_KEY = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/;

type Obj = Record<string, unknown>;
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * validateSymptomRule checks a rule as a user writes it (durations as `5m`)
 * and reports every problem at once, each naming its field, so a request is
 * fixed in one round trip. `spec` is set exactly when `errors` is empty.
 */
export function validateSymptomRule(body: unknown): { spec?: SymptomRuleSpec; errors: string[] } {
  if (!isObj(body)) return { errors: ['body: must be a JSON object'] };
  const errors: string[] = [];
  if (typeof body.name !== 'string' || !NAME.test(body.name)) {
    errors.push(`name: must be 1-128 letters, digits or . _ : - starting with a letter or digit, got ${show(body.name)}`);
  }
  const selector = readSelector(body.selector, errors);
  const condition = readCondition(body.condition, errors);
  const forMs = readDuration(body.for ?? '0s', 'for', 0, MAX_HOLD_MS, errors);
  const keepFiringForMs = readDuration(body.keepFiringFor ?? '0s', 'keepFiringFor', 0, MAX_HOLD_MS, errors);
  if (!SEVERITIES.includes(body.severity as SymptomSeverity)) {
    errors.push(`severity: must be 'page', 'ticket' or 'info', got ${show(body.severity)}`);
  }
  const labels = stringMap(body.labels, 'labels', errors, LABEL_KEY);
  const annotations = stringMap(body.annotations, 'annotations', errors);
  const channels = body.channels ?? [];
  if (!Array.isArray(channels) || channels.some((c) => typeof c !== 'string' || c.length === 0)) {
    errors.push('channels: must be a list of channel ids');
  }
  if (errors.length > 0) return { errors };
  const spec: SymptomRuleSpec = {
    name: body.name as string,
    selector,
    condition: condition!,
    forMs: forMs!,
    keepFiringForMs: keepFiringForMs!,
    severity: body.severity as SymptomSeverity,
    labels,
    annotations,
    channels: [...(channels as string[])],
  };
  return { spec, errors };
}

/** symptomRuleToJson is the inverse of validateSymptomRule: the user's shape, durations as `5m`. */
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

function readSelector(v: unknown, errors: string[]): SymptomSelector {
  const out: SymptomSelector = { service: '', operations: [], spanKinds: [...DEFAULT_SPAN_KINDS] };
  if (!isObj(v)) {
    errors.push('selector: is required, e.g. {"service": "checkout"}');
    return out;
  }
  if (typeof v.service !== 'string' || v.service.length === 0 || v.service.length > 1024) {
    errors.push(v.service === undefined ? 'selector.service: is required' : `selector.service: must be a non-empty string (a service.name), got ${show(v.service)}`);
  } else out.service = v.service;
  if (v.operations !== undefined) {
    if (!Array.isArray(v.operations) || v.operations.some((o) => typeof o !== 'string' || o.length === 0 || o.length > 1024)) {
      errors.push('selector.operations: must be a list of operation names or globs (empty = every operation)');
    } else out.operations = [...new Set(v.operations as string[])];
  }
  if (v.spanKinds !== undefined) {
    const kinds = Array.isArray(v.spanKinds) ? v.spanKinds.map(kindName) : [];
    if (kinds.length === 0 || kinds.includes(undefined)) {
      errors.push(`selector.spanKinds: must be a non-empty list of ${NAMEABLE_SPAN_KINDS.join(', ')}, got ${show(v.spanKinds)}`);
    } else out.spanKinds = [...new Set(kinds as string[])];
  }
  return out;
}

/** kindName accepts `server`, `SERVER` and the spanmetrics label `SPAN_KIND_SERVER`, so users can paste from /metrics. */
function kindName(k: unknown): string | undefined {
  if (typeof k !== 'string') return undefined;
  const name = k.toLowerCase().replace(/^span_kind_/, '');
  return NAMEABLE_SPAN_KINDS.includes(name) ? name : undefined;
}

function readCondition(v: unknown, errors: string[]): SymptomCondition | undefined {
  if (!isObj(v)) {
    errors.push('condition: is required, e.g. {"type": "error_ratio", "window": "5m", "threshold": 0.05}');
    return undefined;
  }
  const before = errors.length;
  const windowMs = readDuration(v.window, 'condition.window', MIN_WINDOW_MS, MAX_WINDOW_MS, errors);
  let condition: SymptomCondition | undefined;
  if (v.type === 'error_ratio') {
    // Fires when the ratio is above the threshold, so 1 could never fire, while 0 means "any error".
    if (!isNum(v.threshold) || v.threshold < 0 || v.threshold >= 1) {
      errors.push(`condition.threshold: must be a ratio in [0, 1) (0.05 is 5%; the rule fires above it), got ${show(v.threshold)}`);
    }
    const minCalls = readMinCalls(v.minCalls, DEFAULT_MIN_CALLS, 'the fewest calls in the window for the rule to fire', errors);
    condition = { type: 'error_ratio', windowMs: windowMs!, threshold: v.threshold as number, minCalls };
  } else if (v.type === 'latency') {
    if (!PERCENTILES.includes(v.percentile as 50)) errors.push(`condition.percentile: must be one of 50, 90, 95, 99, got ${show(v.percentile)}`);
    if (!isNum(v.thresholdMs) || v.thresholdMs <= 0 || v.thresholdMs > HOUR_MS) {
      errors.push(`condition.thresholdMs: must be a number of milliseconds > 0 and <= ${HOUR_MS}, got ${show(v.thresholdMs)}`);
    }
    const minCalls = readMinCalls(v.minCalls, DEFAULT_MIN_CALLS, 'the fewest calls in the window for the rule to fire', errors);
    condition = { type: 'latency', windowMs: windowMs!, percentile: v.percentile as 50, thresholdMs: v.thresholdMs as number, minCalls };
  } else if (v.type === 'traffic') {
    condition = readTraffic(v, windowMs, errors);
  } else {
    errors.push(`condition.type: must be 'error_ratio', 'latency' or 'traffic', got ${show(v.type)}`);
  }
  return errors.length === before ? condition : undefined;
}

function readTraffic(v: Obj, windowMs: number | undefined, errors: string[]): SymptomCondition {
  const baseline = v.baseline;
  if (baseline !== 'last_week' && baseline !== 'trailing_mean') {
    errors.push(`condition.baseline: must be 'last_week' or 'trailing_mean', got ${show(baseline)}`);
  }
  let trailingWindows = 0;
  if (baseline === 'trailing_mean') {
    trailingWindows = (v.trailingWindows ?? DEFAULT_TRAILING_WINDOWS) as number;
    if (!Number.isInteger(trailingWindows) || trailingWindows < 1) {
      errors.push(`condition.trailingWindows: must be a whole number >= 1 (previous windows averaged), got ${show(v.trailingWindows)}`);
    } else if (windowMs !== undefined && trailingWindows * windowMs > MAX_BASELINE_LOOKBACK_MS) {
      errors.push(`condition.trailingWindows: ${trailingWindows} windows of ${formatDuration(windowMs)} reach back more than ${formatDuration(MAX_BASELINE_LOOKBACK_MS)}`);
    }
  } else if (baseline === 'last_week' && v.trailingWindows !== undefined) {
    errors.push("condition.trailingWindows: only applies to baseline 'trailing_mean'");
  }
  const direction = v.direction ?? 'both';
  if (direction !== 'up' && direction !== 'down' && direction !== 'both') {
    errors.push(`condition.direction: must be 'up', 'down' or 'both', got ${show(v.direction)}`);
  }
  const pct = v.deviationPercent;
  if (!isNum(pct) || pct <= 0 || pct > 10_000) {
    errors.push(`condition.deviationPercent: must be a percentage > 0 and <= 10000, got ${show(pct)}`);
  } else if (direction === 'down' && pct > 100) {
    // Traffic cannot fall by more than 100%; such a rule could never fire.
    errors.push(`condition.deviationPercent: must be <= 100 for direction 'down' (traffic cannot drop by more), got ${pct}`);
  }
  const minCalls = readMinCalls(v.minCalls, DEFAULT_MIN_BASELINE_CALLS, 'the least baseline traffic for the rule to fire', errors);
  return {
    type: 'traffic',
    windowMs: windowMs!,
    baseline: baseline as 'last_week',
    trailingWindows,
    deviationPercent: pct as number,
    direction: direction as 'both',
    minCalls,
  };
}

/** readMinCalls: at least 1, so a ratio or deviation is never taken over zero calls. */
function readMinCalls(v: unknown, fallback: number, meaning: string, errors: string[]): number {
  if (v === undefined) return fallback;
  if (!isNum(v) || !Number.isInteger(v) || v < 1) {
    errors.push(`condition.minCalls: must be a whole number >= 1 (${meaning}), got ${show(v)}`);
    return fallback;
  }
  return v;
}

/** readDuration: windows are whole minutes because RED counts are stored per minute. */
function readDuration(v: unknown, field: string, minMs: number, maxMs: number, errors: string[]): number | undefined {
  const range = `${minMs === 0 ? '0s' : formatDuration(minMs)} to ${formatDuration(maxMs)}`;
  if (typeof v !== 'string') {
    errors.push(`${field}: must be a duration such as "5m" or "1h" (${range}), got ${show(v)}`);
    return undefined;
  }
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch (e) {
    errors.push(`${field}: ${e instanceof WindowError ? e.message.replace(/^duration: /, '') : 'invalid duration'}`);
    return undefined;
  }
  if (ms < minMs || ms > maxMs) errors.push(`${field}: must be from ${range}, got ${JSON.stringify(v)}`);
  else if (minMs > 0 && ms % MINUTE_MS !== 0) errors.push(`${field}: must be whole minutes, got ${JSON.stringify(v)}`);
  else return ms;
  return undefined;
}

