import { flagged } from '../common/json-schema.js';
import { isObj } from '../common/validation.js';
import type { SymptomCondition, SymptomRuleSpec, SymptomSelector, SymptomSeverity } from '../evaluation/symptom-rule.js';
import { WindowError, formatDuration, parseDuration } from '../evaluation/windows.js';
import { DAY_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { MAX_HOLD_MS, MAX_WINDOW_MS, MIN_WINDOW_MS, checkAlertRule, durationRange, inRuleOrder } from './alert-rule.schema.js';

/** DEFAULT_SPAN_KINDS is the SLO selector's default too: the spans that answer callers. */
const DEFAULT_SPAN_KINDS: readonly string[] = ['server', 'consumer'];
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

/** RuleBody is a body that passed ALERT_RULE_SCHEMA: types, enums, patterns and bounds hold. */
interface RuleBody {
  name: string;
  selector: { service: string; operations?: string[]; spanKinds?: string[] };
  condition:
    | { type: 'error_ratio'; window: string; threshold: number; minCalls?: number }
    | { type: 'latency'; window: string; percentile: 50 | 90 | 95 | 99; thresholdMs: number; minCalls?: number }
    | {
        type: 'traffic';
        window: string;
        baseline: 'last_week' | 'trailing_mean';
        trailingWindows?: number;
        deviationPercent: number;
        direction?: 'up' | 'down' | 'both';
        minCalls?: number;
      };
  for?: string;
  keepFiringFor?: string;
  severity: SymptomSeverity;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  channels?: string[];
}

/**
 * validateSymptomRule checks a rule as a user writes it (durations as `5m`)
 * and reports every problem at once, each naming its field, so a request is
 * fixed in one round trip. ALERT_RULE_SCHEMA judges shapes and values; this
 * adds what a schema cannot say, for the fields the schema passed:
 * durations parse and fit their range, a trailing mean does not reach back
 * too far, a drop is at most 100 %. It fills the defaults and reads span
 * kinds as written on /metrics. `spec` is set exactly when `errors` is empty.
 */
export function validateSymptomRule(body: unknown): { spec?: SymptomRuleSpec; errors: string[] } {
  const errors = checkAlertRule(body);
  if (!isObj(body)) return { errors };
  const b = body as unknown as RuleBody;
  const fine = (field: string) => !flagged(errors, field);
  // The window is read whenever the condition's type is known, even if another of its fields is wrong.
  const typed = isObj(b.condition) && !errors.some((p) => p.startsWith('condition:') || p.startsWith('condition.type:'));
  const windowMs = typed && fine('condition.window') ? readDuration(b.condition.window, 'condition.window', MIN_WINDOW_MS, MAX_WINDOW_MS, errors) : undefined;
  if (fine('condition') && b.condition.type === 'traffic') checkTraffic(b.condition, windowMs, errors);
  const forMs = fine('for') ? readDuration(b.for ?? '0s', 'for', 0, MAX_HOLD_MS, errors) : undefined;
  const keepFiringForMs = fine('keepFiringFor') ? readDuration(b.keepFiringFor ?? '0s', 'keepFiringFor', 0, MAX_HOLD_MS, errors) : undefined;
  if (errors.length > 0) return { errors: inRuleOrder([...new Set(errors)]) };
  const spec: SymptomRuleSpec = {
    name: b.name,
    selector: selectorOf(b.selector),
    condition: conditionOf(b.condition, windowMs!),
    forMs: forMs!,
    keepFiringForMs: keepFiringForMs!,
    severity: b.severity,
    labels: { ...b.labels },
    annotations: { ...b.annotations },
    channels: [...(b.channels ?? [])],
  };
  return { spec, errors };
}

function selectorOf(s: RuleBody['selector']): SymptomSelector {
  return {
    service: s.service,
    operations: [...new Set(s.operations ?? [])],
    spanKinds: s.spanKinds ? [...new Set(s.spanKinds.map(kindName))] : [...DEFAULT_SPAN_KINDS],
  };
}

/** kindName reads `server`, `SERVER` and the spanmetrics label `SPAN_KIND_SERVER` (the schema's pattern allows those) as `server`. */
function kindName(k: string): string {
  return k.toLowerCase().replace(/^span_kind_/, '');
}

function conditionOf(c: RuleBody['condition'], windowMs: number): SymptomCondition {
  switch (c.type) {
    case 'error_ratio':
      return { type: 'error_ratio', windowMs, threshold: c.threshold, minCalls: c.minCalls ?? DEFAULT_MIN_CALLS };
    case 'latency':
      return { type: 'latency', windowMs, percentile: c.percentile, thresholdMs: c.thresholdMs, minCalls: c.minCalls ?? DEFAULT_MIN_CALLS };
    case 'traffic':
      return {
        type: 'traffic',
        windowMs,
        baseline: c.baseline,
        trailingWindows: c.baseline === 'trailing_mean' ? (c.trailingWindows ?? DEFAULT_TRAILING_WINDOWS) : 0,
        deviationPercent: c.deviationPercent,
        direction: c.direction ?? 'both',
        minCalls: c.minCalls ?? DEFAULT_MIN_BASELINE_CALLS,
      };
  }
}

/** checkTraffic: the rules of a traffic condition that tie two fields together. */
function checkTraffic(c: Extract<RuleBody['condition'], { type: 'traffic' }>, windowMs: number | undefined, errors: string[]): void {
  if (c.baseline === 'trailing_mean') {
    const trailingWindows = c.trailingWindows ?? DEFAULT_TRAILING_WINDOWS;
    if (windowMs !== undefined && trailingWindows * windowMs > MAX_BASELINE_LOOKBACK_MS) {
      errors.push(`condition.trailingWindows: ${trailingWindows} windows of ${formatDuration(windowMs)} reach back more than ${formatDuration(MAX_BASELINE_LOOKBACK_MS)}`);
    }
  } else if (c.trailingWindows !== undefined) {
    errors.push("condition.trailingWindows: only applies to baseline 'trailing_mean'");
  }
  if (c.direction === 'down' && c.deviationPercent > 100) {
    // Traffic cannot fall by more than 100%; such a rule could never fire.
    errors.push(`condition.deviationPercent: must be <= 100 for direction 'down' (traffic cannot drop by more), got ${c.deviationPercent}`);
  }
}

/** readDuration: windows are whole minutes because RED counts are stored per minute. */
function readDuration(v: string, field: string, minMs: number, maxMs: number, errors: string[]): number | undefined {
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch (e) {
    errors.push(`${field}: ${e instanceof WindowError ? e.message.replace(/^duration: /, '') : 'invalid duration'}`);
    return undefined;
  }
  if (ms < minMs || ms > maxMs) errors.push(`${field}: must be from ${durationRange(minMs, maxMs)}, got ${JSON.stringify(v)}`);
  else if (minMs > 0 && ms % MINUTE_MS !== 0) errors.push(`${field}: must be whole minutes, got ${JSON.stringify(v)}`);
  else return ms;
  return undefined;
}
