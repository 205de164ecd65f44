import { formatDuration, nominalPeriodMs, parseDuration, parseWindow, WindowError, formatWindow } from '../evaluation/windows.js';
import { defaultPolicy, validatePolicy, unreachableTiers, type BurnRatePolicy } from '../evaluation/policy.js';
import type { SloSpec } from './slo.types.js';
import { isObj } from '../common/validation.js';
import { flagged } from '../common/json-schema.js';
import { checkSlo, inSloOrder, NO_DATA_AFTER } from './slo.schema.js';
import { badRequest } from '../common/errors.js';
import { SPAN_KIND_NAMES, SpanKind, spanKindFromName } from '../kernel/span.model.js';
import { DAY_MS, MINUTE_MS } from '../kernel/minute-ranges.js';

export class SloValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** SloBody is a body that passed SLO_SCHEMA: types, enums, patterns and bounds hold. */
interface SloBody {
  name: string;
  service: string;
  description?: string;
  indicator: { type: 'availability'; clientErrorsAreBad?: boolean; ignoreStatusCodes?: number[] } | { type: 'latency'; thresholdMs: number; requireSuccess?: boolean };
  selector?: { operations?: string[]; spanKinds?: string[]; attributes?: Record<string, string> };
  objective: number;
  window: string;
  labels?: Record<string, string>;
  runbookUrl?: string | null;
  channels?: string[];
  alerting?: { policy?: BurnRatePolicy; minEvents?: number; minWindowCoverage?: number; budgetExhaustion?: { belowPercent: number }; noData?: { after: string } };
}

/**
 * validateSloSpec checks a whole SLO body and reports every problem at once,
 * each naming its field, so a user fixes a request in one round trip.
 * SLO_SCHEMA judges shapes and values; this adds what a schema cannot say,
 * for the fields the schema passed: windows and durations parse, an
 * objective below 1 is probably a ratio, the policy's tiers fit the window.
 */
export function validateSloSpec(body: unknown): SloSpec {
  const errors = checkSlo(body);
  if (!isObj(body)) throw new SloValidationError(errors);
  const b = body as unknown as SloBody;
  const fine = (field: string) => !flagged(errors, field);
  if (fine('objective') && b.objective < 1) {
    // 0.999 is almost always a ratio meant as 99.9 %; an SLO of 0.999 % would never alert.
    errors.push(`objective: is a percentage, so ${b.objective} means ${b.objective} %; did you mean ${Number((b.objective * 100).toPrecision(12))}?`);
  }
  let window = parseWindow('30d');
  if (fine('window')) {
    try {
      window = parseWindow(b.window);
    } catch (e) {
      errors.push(`window: ${e instanceof WindowError ? e.message : 'invalid'}`);
    }
  }
  if (fine('runbookUrl') && typeof b.runbookUrl === 'string' && !isHttpUrl(b.runbookUrl)) errors.push('runbookUrl: must be an http(s) URL');
  const alerting = b.alerting ?? {};
  let noData: { afterMs: number } | undefined;
  if (fine('alerting.noData') && alerting.noData) {
    const ms = durationMs(alerting.noData.after);
    if (!(ms >= 5 * MINUTE_MS && ms <= 7 * DAY_MS && ms % MINUTE_MS === 0)) errors.push(`alerting.noData.after: ${NO_DATA_AFTER}`);
    else noData = { afterMs: ms };
  }
  if (fine('alerting.policy') && alerting.policy) {
    for (const p of validatePolicy(alerting.policy, nominalPeriodMs(window))) errors.push(`alerting.policy.${p}`);
  }
  if (errors.length) throw new SloValidationError(inSloOrder([...new Set(errors)]));
  const selector = b.selector ?? {};
  return {
    name: b.name,
    service: b.service,
    description: b.description ?? '',
    indicator:
      b.indicator.type === 'availability'
        ? { type: 'availability', clientErrorsAreBad: b.indicator.clientErrorsAreBad === true, ignoreStatusCodes: [...(b.indicator.ignoreStatusCodes ?? [])] }
        : { type: 'latency', thresholdMs: b.indicator.thresholdMs, requireSuccess: b.indicator.requireSuccess !== false },
    selector: {
      operations: [...(selector.operations ?? [])],
      spanKinds: selector.spanKinds ? [...new Set(selector.spanKinds.map((k) => spanKindFromName(k)!))] : [SpanKind.SERVER, SpanKind.CONSUMER],
      attributes: { ...selector.attributes },
    },
    objective: b.objective,
    window,
    labels: { ...b.labels },
    runbookUrl: b.runbookUrl ?? null,
    channels: [...(b.channels ?? [])],
    alerting: {
      ...(alerting.policy ? { policy: alerting.policy } : {}),
      ...(alerting.minEvents !== undefined ? { minEvents: alerting.minEvents } : {}),
      ...(alerting.minWindowCoverage !== undefined ? { minWindowCoverage: alerting.minWindowCoverage } : {}),
      ...(alerting.budgetExhaustion ? { budgetExhaustion: { belowPercent: alerting.budgetExhaustion.belowPercent } } : {}),
      ...(noData ? { noData } : {}),
    },
  };
}

function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

function durationMs(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    return NaN;
  }
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
