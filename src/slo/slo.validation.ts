import { formatDuration, nominalPeriodMs, parseDuration, parseWindow, WindowError, formatWindow } from '../evaluation/windows.js';
import { defaultPolicy, validatePolicy, unreachableTiers, type BurnRatePolicy } from '../evaluation/policy.js';
import type { Indicator, Selector, SloSpec } from './slo.types.js';
import { isObj, stringMap, type Obj } from '../common/validation.js';
import { checkSloShape } from './slo.schema.js';
import { badRequest } from '../common/errors.js';
import { NAMEABLE_SPAN_KINDS, SPAN_KIND_NAMES, SpanKind, spanKindFromName } from '../kernel/span.model.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9._:-]{0,127}$/;
const LABEL_KEY = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/;

export class SloValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

function indicator(v: unknown, errors: string[]): Indicator {
  const fallback: Indicator = { type: 'availability', clientErrorsAreBad: false, ignoreStatusCodes: [] };
  if (!isObj(v)) {
    errors.push('indicator: is required, e.g. {"type": "availability"} or {"type": "latency", "thresholdMs": 300}');
    return fallback;
  }
  if (v.type === 'availability') {
    const codes = v.ignoreStatusCodes ?? [];
    if (!Array.isArray(codes) || codes.some((c) => !Number.isInteger(c) || c < 100 || c > 599)) {
      errors.push('indicator.ignoreStatusCodes: must be a list of HTTP status codes (100..599)');
    }
    if (v.clientErrorsAreBad !== undefined && typeof v.clientErrorsAreBad !== 'boolean') {
      errors.push('indicator.clientErrorsAreBad: must be true or false');
    }
    return { type: 'availability', clientErrorsAreBad: v.clientErrorsAreBad === true, ignoreStatusCodes: Array.isArray(codes) ? (codes as number[]) : [] };
  }
  if (v.type === 'latency') {
    const t = v.thresholdMs;
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > HOUR_MS) {
      errors.push(`indicator.thresholdMs: must be a number of milliseconds > 0 and <= ${HOUR_MS}`);
    }
    if (v.requireSuccess !== undefined && typeof v.requireSuccess !== 'boolean') errors.push('indicator.requireSuccess: must be true or false');
    return { type: 'latency', thresholdMs: typeof t === 'number' ? t : 0, requireSuccess: v.requireSuccess !== false };
  }
  errors.push('indicator.type: must be "availability" or "latency"');
  return fallback;
}

function selector(v: unknown, errors: string[]): Selector {
  const out: Selector = { operations: [], spanKinds: [SpanKind.SERVER, SpanKind.CONSUMER], attributes: {} };
  if (v === undefined) return out;
  if (!isObj(v)) {
    errors.push('selector: must be an object');
    return out;
  }
  if (v.operations !== undefined) {
    if (!Array.isArray(v.operations) || v.operations.some((o) => typeof o !== 'string' || o.length === 0 || o.length > 1024)) {
      errors.push('selector.operations: must be a list of operation names or globs');
    } else out.operations = v.operations as string[];
  }
  if (v.spanKinds !== undefined) {
    if (!Array.isArray(v.spanKinds) || v.spanKinds.length === 0 || v.spanKinds.some((k) => typeof k !== 'string' || spanKindFromName(k) === undefined)) {
      errors.push(`selector.spanKinds: must be a non-empty list of ${NAMEABLE_SPAN_KINDS.join(', ')}`);
    } else out.spanKinds = [...new Set((v.spanKinds as string[]).map((k) => spanKindFromName(k)!))];
  }
  out.attributes = stringMap(v.attributes, 'selector.attributes', errors);
  return out;
}

/**
 * validateSloSpec checks a whole SLO body and reports every problem at once,
 * each naming its field, so a user fixes a request in one round trip.
 */
export function validateSloSpec(body: unknown): SloSpec {
  if (!isObj(body)) throw new SloValidationError(['body: must be a JSON object']);
  const errors: string[] = checkSloShape(body);
  const name = body.name;
  if (typeof name !== 'string' || !NAME.test(name)) errors.push('name: must be 1-128 characters of letters, digits, . _ : - (starting with a letter or digit)');
  const service = body.service;
  if (typeof service !== 'string' || service.length === 0 || service.length > 1024) errors.push('service: must be a non-empty string (the service.name of its spans)');
  const description = body.description ?? '';
  if (typeof description !== 'string' || description.length > 4096) errors.push('description: must be a string of at most 4096 characters');
  const objective = body.objective;
  if (typeof objective !== 'number' || !Number.isFinite(objective) || objective <= 0 || objective >= 100) {
    errors.push('objective: must be a percentage strictly between 0 and 100, e.g. 99.9');
  } else if (objective < 1) {
    // 0.999 is almost always a ratio meant as 99.9 %; an SLO of 0.999 % would never alert.
    errors.push(`objective: is a percentage, so ${objective} means ${objective} %; did you mean ${Number((objective * 100).toPrecision(12))}?`);
  }
  let window = parseWindow('30d');
  if (typeof body.window !== 'string') errors.push('window: must be "Nd" (1..90) or "month:<IANA zone>" / "week:<IANA zone>"');
  else {
    try {
      window = parseWindow(body.window);
    } catch (e) {
      errors.push(`window: ${e instanceof WindowError ? e.message : 'invalid'}`);
    }
  }
  const runbookUrl = body.runbookUrl ?? null;
  if (runbookUrl !== null) {
    let ok = false;
    try {
      ok = typeof runbookUrl === 'string' && ['http:', 'https:'].includes(new URL(runbookUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) errors.push('runbookUrl: must be an http(s) URL');
  }
  const channels = body.channels ?? [];
  if (!Array.isArray(channels) || channels.some((c) => typeof c !== 'string')) errors.push('channels: must be a list of channel names or ids');
  const alerting = body.alerting ?? {};
  let policy: BurnRatePolicy | undefined;
  let minEvents: number | undefined;
  let minWindowCoverage: number | undefined;
  let budgetExhaustion: { belowPercent: number } | undefined;
  let noData: { afterMs: number } | undefined;
  if (!isObj(alerting)) errors.push('alerting: must be an object');
  else {
    if (alerting.budgetExhaustion !== undefined) {
      const b = alerting.budgetExhaustion as Obj;
      if (!isObj(b) || typeof b.belowPercent !== 'number' || !(b.belowPercent > 0 && b.belowPercent <= 100)) {
        errors.push('alerting.budgetExhaustion.belowPercent: must be a percentage in (0, 100], e.g. 10');
      } else budgetExhaustion = { belowPercent: b.belowPercent };
    }
    if (alerting.noData !== undefined) {
      const n = alerting.noData as Obj;
      let ms = NaN;
      try {
        ms = isObj(n) && typeof n.after === 'string' ? parseDuration(n.after) : NaN;
      } catch {
        ms = NaN;
      }
      if (!(ms >= 5 * MINUTE_MS && ms <= 7 * DAY_MS && ms % MINUTE_MS === 0)) errors.push('alerting.noData.after: must be a duration of whole minutes from 5m to 7d, e.g. "15m"');
      else noData = { afterMs: ms };
    }
    if (alerting.policy !== undefined) {
      for (const p of validatePolicy(alerting.policy, nominalPeriodMs(window))) errors.push(`alerting.policy.${p}`);
      policy = alerting.policy as BurnRatePolicy;
    }
    if (alerting.minEvents !== undefined) {
      if (typeof alerting.minEvents !== 'number' || !Number.isInteger(alerting.minEvents) || alerting.minEvents < 0) {
        errors.push('alerting.minEvents: must be a whole number >= 0');
      } else minEvents = alerting.minEvents;
    }
    if (alerting.minWindowCoverage !== undefined) {
      const c = alerting.minWindowCoverage;
      if (typeof c !== 'number' || !(c >= 0 && c <= 1)) errors.push('alerting.minWindowCoverage: must be a number from 0 to 1 (0 turns the partial-window guard off)');
      else minWindowCoverage = c;
    }
  }
  const spec: SloSpec = {
    name: String(name),
    service: String(service),
    description: String(description),
    indicator: indicator(body.indicator, errors),
    selector: selector(body.selector, errors),
    objective: Number(objective),
    window,
    labels: stringMap(body.labels, 'labels', errors, LABEL_KEY),
    runbookUrl: runbookUrl as string | null,
    channels: Array.isArray(channels) ? (channels as string[]) : [],
    alerting: {
      ...(policy ? { policy } : {}),
      ...(minEvents !== undefined ? { minEvents } : {}),
      ...(minWindowCoverage !== undefined ? { minWindowCoverage } : {}),
      ...(budgetExhaustion ? { budgetExhaustion } : {}),
      ...(noData ? { noData } : {}),
    },
  };
  if (errors.length) throw new SloValidationError(errors);
  return spec;
}

/** validateSloBody is validateSloSpec for API callers: a bad body is a 400 listing every problem. */
export function validateSloBody(body: unknown): SloSpec {
  try {
    return validateSloSpec(body);
  } catch (e) {
    if (e instanceof SloValidationError) throw badRequest(e.message);
    throw e;
  }
}

/** warningsFor reports tiers that can never fire for the SLO's objective (not an error: the user decides). */
export function warningsFor(spec: SloSpec): string[] {
  const period = nominalPeriodMs(spec.window);
  return unreachableTiers(spec.alerting.policy ?? defaultPolicy(period), spec.objective, period).map(
    (u) => `alerting.policy.tiers[${u.index}]: can never fire: its burn-rate factor ${round(u.factor)} exceeds the largest possible burn rate ${round(u.maxBurnRate)} for objective ${spec.objective}%`,
  );
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** toJson renders a spec for the API (window and kinds as the user writes them). */
export function specToJson(spec: SloSpec) {
  const { noData, ...alerting } = spec.alerting;
  return {
    ...spec,
    alerting: { ...alerting, ...(noData ? { noData: { after: formatDuration(noData.afterMs) } } : {}) },
    window: formatWindow(spec.window),
    selector: { ...spec.selector, spanKinds: spec.selector.spanKinds.map((k) => SPAN_KIND_NAMES[k]) },
  };
}
