import { isObj, type Obj } from '../common/validation.js';
import { DAY_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { DEFAULT_POLICY, tierFactor, type BurnRateTier } from '../evaluation/policy.js';
import { formatDuration, nominalPeriodMs, parseDuration, parseWindow, WindowError } from '../evaluation/windows.js';
import type { SloSpec } from './slo.types.js';
import { specToJson } from './slo.validation.js';

/**
 * OpenSLO v1 in and out, as plain data (the YAML text is the service's job).
 *
 * What Burnwatch computes maps onto OpenSLO as: an SLO with a `ratioMetric`
 * SLI whose `total` and `good` come from a metric source of type
 * `Burnwatch` (total: the span selector; good: the indicator judging each
 * selected span), `budgetingMethod: Occurrences`, one objective, a rolling
 * `Nd` or calendar `1M`/`1w` time window, and one AlertPolicy per burn-rate
 * tier holding one `burnrate` AlertCondition (the spec allows one condition
 * per policy). What OpenSLO has no field for travels in `burnwatch.dev/`
 * annotations, so export → import gives back the same SLO.
 */

export const OPENSLO_API_VERSION = 'openslo/v1';
export const METRIC_SOURCE_TYPE = 'Burnwatch';
const A = 'burnwatch.dev/';
/** Any Monday that is also the first of a month: a valid calendar start for both weeks and months. */
const CALENDAR_START = '2024-01-01 00:00:00';

export type OpenSloDoc = Obj;

/** toOpenSlo is one SLO as OpenSLO documents: the SLO (SLI and alert policies inline) and its notification targets. */
export function toOpenSlo(spec: SloSpec): { slo: OpenSloDoc; targets: OpenSloDoc[] } {
  const json = specToJson(spec);
  const a = spec.alerting;
  const annotations: Record<string, string> = {};
  if (spec.runbookUrl) annotations[`${A}runbook-url`] = spec.runbookUrl;
  if (a.minEvents !== undefined) annotations[`${A}min-events`] = String(a.minEvents);
  if (a.minWindowCoverage !== undefined) annotations[`${A}min-window-coverage`] = String(a.minWindowCoverage);
  if (a.budgetExhaustion) annotations[`${A}budget-exhaustion-below-percent`] = String(a.budgetExhaustion.belowPercent);
  if (a.noData) annotations[`${A}no-data-after`] = formatDuration(a.noData.afterMs);
  const period = nominalPeriodMs(spec.window);
  // The default policy is exported as its tiers (what an OpenSLO reader needs) but marked, so
  // that an import keeps following the default rather than freezing today's tiers.
  const tiers = a.policy?.tiers ?? DEFAULT_POLICY.tiers.filter((t) => t.longWindowMs <= period);
  if (!a.policy) annotations[`${A}policy`] = 'default';
  else if (a.policy.tiers.length === 0) annotations[`${A}policy`] = 'none';
  if (tiers.length === 0 && spec.channels.length > 0) annotations[`${A}channels`] = spec.channels.join(',');

  const timeWindow =
    spec.window.kind === 'rolling'
      ? [{ duration: `${spec.window.days}d`, isRolling: true }]
      : [{ duration: spec.window.unit === 'month' ? '1M' : '1w', calendar: { startTime: CALENDAR_START, timeZone: spec.window.timeZone }, isRolling: false }];

  const slo: OpenSloDoc = {
    apiVersion: OPENSLO_API_VERSION,
    kind: 'SLO',
    metadata: {
      name: spec.name,
      ...(Object.keys(spec.labels).length ? { labels: { ...spec.labels } } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      ...(spec.description ? { description: spec.description } : {}),
      service: spec.service,
      indicator: {
        metadata: { name: `${spec.name}-sli` },
        spec: {
          ratioMetric: {
            counter: true,
            good: { metricSource: { type: METRIC_SOURCE_TYPE, spec: { indicator: json.indicator } } },
            total: { metricSource: { type: METRIC_SOURCE_TYPE, spec: { selector: json.selector } } },
          },
        },
      },
      timeWindow,
      budgetingMethod: 'Occurrences',
      objectives: [{ targetPercent: spec.objective }],
      ...(tiers.length
        ? {
            alertPolicies: tiers.map((t, i) => {
              const name = `${spec.name}-${i + 1}-${t.severity}-${formatDuration(t.longWindowMs)}-${formatDuration(t.shortWindowMs)}`.toLowerCase();
              return {
                kind: 'AlertPolicy',
                metadata: { name },
                spec: {
                  alertWhenBreaching: true,
                  alertWhenResolved: true,
                  alertWhenNoData: false,
                  conditions: [
                    {
                      kind: 'AlertCondition',
                      metadata: { name, annotations: { [`${A}short-window`]: formatDuration(t.shortWindowMs), [`${A}budget-fraction`]: String(t.budgetFraction) } },
                      spec: {
                        severity: t.severity,
                        condition: { kind: 'burnrate', op: 'gte', threshold: tierFactor(t, period), lookbackWindow: formatDuration(t.longWindowMs), alertAfter: '0m' },
                      },
                    },
                  ],
                  notificationTargets: spec.channels.map((c) => ({ targetRef: c })),
                },
              };
            }),
          }
        : {}),
    },
  };
  const targets = spec.channels.map((c) => ({
    apiVersion: OPENSLO_API_VERSION,
    kind: 'AlertNotificationTarget',
    metadata: { name: c },
    spec: { target: 'burnwatch', description: `Burnwatch notification channel ${c}` },
  }));
  return { slo, targets };
}

/** OpenSloError names the document and the path of each problem. */
export class OpenSloError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const KINDS = ['SLO', 'SLI', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget', 'Service', 'DataSource'];

/** ImportedSlo is one SLO document turned into the body POST /api/v1/slos takes. */
export interface ImportedSlo {
  /** e.g. "document 2 (SLO checkout-availability)", for error messages. */
  where: string;
  body: Obj;
}

/**
 * fromOpenSlo turns parsed documents into REST bodies, one per SLO
 * document. Every problem of every document is collected (a user fixes a
 * file in one round trip); the bodies still go through the REST validation.
 */
export function fromOpenSlo(docs: unknown[]): ImportedSlo[] {
  const problems: string[] = [];
  const named = new Map<string, { doc: Obj; where: string }>();
  const slos: { doc: Obj; where: string }[] = [];
  docs.forEach((doc, i) => {
    const at = `document ${i + 1}`;
    if (!isObj(doc)) return void problems.push(`${at}: must be a mapping with apiVersion, kind, metadata and spec`);
    if (doc.apiVersion !== OPENSLO_API_VERSION) problems.push(`${at}: apiVersion: must be ${OPENSLO_API_VERSION}, got ${JSON.stringify(doc.apiVersion)}`);
    if (!KINDS.includes(doc.kind as string)) return void problems.push(`${at}: kind: must be one of ${KINDS.join(', ')}, got ${JSON.stringify(doc.kind)}`);
    const name = isObj(doc.metadata) ? doc.metadata.name : undefined;
    if (typeof name !== 'string' || name === '') return void problems.push(`${at} (${doc.kind}): metadata.name: is required`);
    const where = `${at} (${doc.kind} ${name})`;
    if (named.has(`${doc.kind}/${name}`)) problems.push(`${where}: metadata.name: another ${doc.kind} has the same name`);
    named.set(`${doc.kind}/${name}`, { doc, where });
    if (doc.kind === 'SLO') slos.push({ doc, where });
  });
  const out: ImportedSlo[] = [];
  for (const { doc, where } of slos) {
    const errs: string[] = [];
    const body = sloBody(doc, named, errs);
    for (const e of errs) problems.push(`${where}: ${e}`);
    out.push({ where, body });
  }
  if (problems.length) throw new OpenSloError(problems);
  return out;
}

type Named = Map<string, { doc: Obj; where: string }>;

function sloBody(doc: Obj, named: Named, errs: string[]): Obj {
  const meta = doc.metadata as Obj;
  const spec = isObj(doc.spec) ? doc.spec : (errs.push('spec: is required'), {} as Obj);
  const ann = isObj(meta.annotations) ? (meta.annotations as Record<string, unknown>) : {};
  const body: Obj = { name: meta.name, service: spec.service, description: spec.description ?? '' };

  const labels: Record<string, unknown> = {};
  if (meta.labels !== undefined) {
    if (!isObj(meta.labels)) errs.push('metadata.labels: must be a mapping');
    else
      for (const [k, v] of Object.entries(meta.labels)) {
        if (Array.isArray(v) && v.length === 1) labels[k] = v[0];
        else if (Array.isArray(v)) errs.push(`metadata.labels.${k}: Burnwatch labels hold one value, got ${v.length}`);
        else labels[k] = v;
      }
  }
  body.labels = labels;
  if (ann[`${A}runbook-url`] !== undefined) body.runbookUrl = ann[`${A}runbook-url`];

  const method = spec.budgetingMethod;
  if (method === undefined) errs.push('spec.budgetingMethod: is required (Occurrences)');
  else if (method === 'Timeslices' || method === 'RatioTimeslices') {
    errs.push(`spec.budgetingMethod: ${method} is not supported: Burnwatch computes Occurrences (good events / total events); importing ${method} as Occurrences would change what the SLO promises`);
  } else if (method !== 'Occurrences') errs.push(`spec.budgetingMethod: must be Occurrences, Timeslices or RatioTimeslices, got ${JSON.stringify(method)}`);

  const window = timeWindow(spec.timeWindow, errs);
  body.window = window;
  body.objective = objective(spec.objectives, errs);
  Object.assign(body, indicator(spec, named, errs));

  const alerting: Obj = {};
  const num = (key: string, field: string) => {
    const v = ann[`${A}${key}`];
    if (v === undefined) return;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) errs.push(`metadata.annotations.${A}${key}: must be a number, got ${JSON.stringify(v)}`);
    else alerting[field] = n;
  };
  num('min-events', 'minEvents');
  num('min-window-coverage', 'minWindowCoverage');
  if (ann[`${A}budget-exhaustion-below-percent`] !== undefined) {
    const v = Number(ann[`${A}budget-exhaustion-below-percent`]);
    alerting.budgetExhaustion = { belowPercent: Number.isFinite(v) ? v : ann[`${A}budget-exhaustion-below-percent`] };
  }
  if (ann[`${A}no-data-after`] !== undefined) alerting.noData = { after: ann[`${A}no-data-after`] };

  const { tiers, channels } = alertPolicies(spec.alertPolicies, named, window, errs);
  if (ann[`${A}policy`] === 'none') alerting.policy = { tiers: [] };
  // Marked default and still the default tiers: keep following the default. Edited tiers win over the mark.
  else if (spec.alertPolicies !== undefined && !(ann[`${A}policy`] === 'default' && isDefault(tiers, window))) alerting.policy = { tiers };
  const extra = typeof ann[`${A}channels`] === 'string' ? (ann[`${A}channels`] as string).split(',').filter(Boolean) : [];
  body.channels = [...new Set([...channels, ...extra])];
  body.alerting = alerting;
  return body;
}

function isDefault(tiers: BurnRateTier[], window: string | undefined): boolean {
  if (!window) return true;
  let period: number;
  try {
    period = nominalPeriodMs(parseWindow(window));
  } catch {
    return true;
  }
  const defaults = DEFAULT_POLICY.tiers.filter((t) => t.longWindowMs <= period);
  const key = (t: BurnRateTier) => `${t.severity}|${t.longWindowMs}|${t.shortWindowMs}|${t.budgetFraction}`;
  return tiers.length === defaults.length && tiers.every((t, i) => key(t) === key(defaults[i]));
}

function timeWindow(v: unknown, errs: string[]): string | undefined {
  if (!Array.isArray(v) || v.length !== 1 || !isObj(v[0])) {
    errs.push('spec.timeWindow: must be a list of exactly one time window');
    return undefined;
  }
  const w = v[0];
  const d = typeof w.duration === 'string' ? w.duration : '';
  const rolling = w.isRolling === true || (w.isRolling === undefined && w.calendar === undefined);
  if (rolling) {
    const m = /^(\d+)([dw])$/.exec(d);
    if (!m) {
      errs.push(`spec.timeWindow[0].duration: a rolling Burnwatch window is whole days or weeks (e.g. 30d, 4w), got ${JSON.stringify(w.duration)}`);
      return undefined;
    }
    return `${Number(m[1]) * (m[2] === 'w' ? 7 : 1)}d`;
  }
  if (!isObj(w.calendar)) {
    errs.push('spec.timeWindow[0].calendar: is required for a calendar-aligned window');
    return undefined;
  }
  const unit = d === '1M' ? 'month' : d === '1w' ? 'week' : undefined;
  if (!unit) {
    errs.push(`spec.timeWindow[0].duration: a calendar Burnwatch window is 1M (month) or 1w (week), got ${JSON.stringify(w.duration)}`);
    return undefined;
  }
  const zone = w.calendar.timeZone;
  if (typeof zone !== 'string') {
    errs.push('spec.timeWindow[0].calendar.timeZone: is required (an IANA time zone)');
    return undefined;
  }
  const start = w.calendar.startTime;
  if (start !== undefined) {
    const m = typeof start === 'string' ? /^(\d{4})-(\d{2})-(\d{2})[ T]00:00(:00)?$/.exec(start) : null;
    const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    if (!date || (unit === 'month' && date.getUTCDate() !== 1) || (unit === 'week' && date.getUTCDay() !== 1)) {
      errs.push(`spec.timeWindow[0].calendar.startTime: Burnwatch ${unit}s start at midnight on ${unit === 'month' ? 'the first of the month' : 'Monday'}, got ${JSON.stringify(start)}`);
    }
  }
  try {
    parseWindow(`${unit}:${zone}`);
  } catch (e) {
    errs.push(`spec.timeWindow[0].calendar.timeZone: ${e instanceof WindowError ? e.message : 'invalid'}`);
    return undefined;
  }
  return `${unit}:${zone}`;
}

function objective(v: unknown, errs: string[]): number | undefined {
  if (!Array.isArray(v) || v.length !== 1 || !isObj(v[0])) {
    errs.push('spec.objectives: must hold exactly one objective (composite SLOs are not supported)');
    return undefined;
  }
  const o = v[0];
  if (o.indicator !== undefined || o.indicatorRef !== undefined) errs.push('spec.objectives[0].indicator: composite SLOs are not supported');
  if (typeof o.targetPercent === 'number') return o.targetPercent;
  // target 0.999 → 99.9 without the binary noise of 0.999 × 100.
  if (typeof o.target === 'number') return Number((o.target * 100).toPrecision(12));
  errs.push('spec.objectives[0]: target (0..1) or targetPercent (0..100) is required');
  return undefined;
}

/** indicator reads the SLI (inline or by indicatorRef) into the REST indicator and selector. */
function indicator(spec: Obj, named: Named, errs: string[]): Obj {
  let sli: unknown;
  let at = 'spec.indicator.spec';
  if (spec.indicator !== undefined) sli = isObj(spec.indicator) ? spec.indicator.spec : undefined;
  else if (typeof spec.indicatorRef === 'string') {
    const ref = named.get(`SLI/${spec.indicatorRef}`);
    if (!ref) {
      errs.push(`spec.indicatorRef: no SLI named ${spec.indicatorRef} in the documents`);
      return {};
    }
    sli = ref.doc.spec;
    at = `SLI ${spec.indicatorRef} spec`;
  } else {
    errs.push('spec.indicator: indicator or indicatorRef is required');
    return {};
  }
  if (!isObj(sli)) {
    errs.push(`${at}: is required`);
    return {};
  }
  if (sli.thresholdMetric !== undefined) errs.push(`${at}.thresholdMetric: not supported: a Burnwatch SLI is a ratio of good to total spans (ratioMetric)`);
  const r = sli.ratioMetric;
  if (!isObj(r)) {
    errs.push(`${at}.ratioMetric: is required`);
    return {};
  }
  if (r.raw !== undefined) errs.push(`${at}.ratioMetric.raw: not supported: Burnwatch counts good and total spans itself`);
  if (r.bad !== undefined) errs.push(`${at}.ratioMetric.bad: not supported: give good (the indicator) and total (the selector)`);
  const source = (part: 'good' | 'total'): Obj | undefined => {
    const p = r[part];
    const ms = isObj(p) ? p.metricSource : undefined;
    if (!isObj(ms)) {
      errs.push(`${at}.ratioMetric.${part}.metricSource: is required`);
      return undefined;
    }
    let type = ms.type;
    if (type === undefined && typeof ms.metricSourceRef === 'string') {
      const ds = named.get(`DataSource/${ms.metricSourceRef}`);
      type = ds && isObj(ds.doc.spec) ? ds.doc.spec.type : undefined;
    }
    if (type !== METRIC_SOURCE_TYPE) {
      errs.push(`${at}.ratioMetric.${part}.metricSource.type: unknown metric source type ${JSON.stringify(type)}: Burnwatch reads its own spans, type ${METRIC_SOURCE_TYPE}`);
      return undefined;
    }
    return isObj(ms.spec) ? ms.spec : {};
  };
  const good = source('good');
  const total = source('total');
  const out: Obj = {};
  if (good) {
    if (good.indicator === undefined) errs.push(`${at}.ratioMetric.good.metricSource.spec.indicator: is required, e.g. {type: availability}`);
    out.indicator = good.indicator;
  }
  if (total && total.selector !== undefined) out.selector = total.selector;
  return out;
}

function alertPolicies(v: unknown, named: Named, window: string | undefined, errs: string[]): { tiers: BurnRateTier[]; channels: string[] } {
  const tiers: BurnRateTier[] = [];
  const channels: string[] = [];
  if (v === undefined) return { tiers, channels };
  if (!Array.isArray(v)) {
    errs.push('spec.alertPolicies: must be a list');
    return { tiers, channels };
  }
  let period = 30 * DAY_MS;
  try {
    if (window) period = nominalPeriodMs(parseWindow(window));
  } catch {
    // reported with the window
  }
  v.forEach((item, i) => {
    const at = `spec.alertPolicies[${i}]`;
    const policy = resolve(item, 'alertPolicyRef', 'AlertPolicy', named, at, errs);
    if (!policy) return;
    const conditions = policy.spec.conditions;
    if (!Array.isArray(conditions) || conditions.length === 0) return void errs.push(`${policy.at}.conditions: must list one burnrate condition`);
    conditions.forEach((c, j) => {
      const cond = resolve(c, 'conditionRef', 'AlertCondition', named, `${policy.at}.conditions[${j}]`, errs);
      if (cond) {
        const tier = burnRateTier(cond, period, errs);
        if (tier) tiers.push(tier);
      }
    });
    const targets = policy.spec.notificationTargets ?? [];
    if (!Array.isArray(targets)) return void errs.push(`${policy.at}.notificationTargets: must be a list`);
    targets.forEach((t, j) => {
      const target = resolve(t, 'targetRef', 'AlertNotificationTarget', named, `${policy.at}.notificationTargets[${j}]`, errs);
      if (target && !channels.includes(target.name)) channels.push(target.name);
    });
  });
  return { tiers, channels };
}

interface Resolved {
  name: string;
  spec: Obj;
  annotations: Record<string, unknown>;
  at: string;
}

/** resolve reads an inline object (kind/metadata/spec) or a reference to a document of that kind. */
function resolve(item: unknown, refField: string, kind: string, named: Named, at: string, errs: string[]): Resolved | undefined {
  if (!isObj(item)) {
    errs.push(`${at}: must be an inline ${kind} or {${refField}: name}`);
    return undefined;
  }
  let doc: Obj = item;
  let where = at;
  if (item[refField] !== undefined) {
    const ref = named.get(`${kind}/${String(item[refField])}`);
    if (!ref) {
      errs.push(`${at}.${refField}: no ${kind} named ${String(item[refField])} in the documents`);
      return undefined;
    }
    doc = ref.doc;
    where = `${kind} ${String(item[refField])} spec`;
  } else if (item.kind !== undefined && item.kind !== kind) {
    errs.push(`${at}.kind: must be ${kind}, got ${JSON.stringify(item.kind)}`);
    return undefined;
  }
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  if (typeof meta.name !== 'string' || meta.name === '') {
    errs.push(`${at}.metadata.name: is required`);
    return undefined;
  }
  if (!isObj(doc.spec)) {
    errs.push(`${at}.spec: is required`);
    return undefined;
  }
  return { name: meta.name, spec: doc.spec, annotations: isObj(meta.annotations) ? meta.annotations : {}, at: where === at ? `${at}.spec` : where };
}

function burnRateTier(cond: Resolved, periodMs: number, errs: string[]): BurnRateTier | undefined {
  const at = cond.at;
  const severity = cond.spec.severity;
  if (severity !== 'page' && severity !== 'ticket') errs.push(`${at}.severity: Burnwatch severities are page and ticket, got ${JSON.stringify(severity)}`);
  const c = cond.spec.condition;
  if (!isObj(c)) return void errs.push(`${at}.condition: is required`);
  if (c.kind !== undefined && c.kind !== 'burnrate') return void errs.push(`${at}.condition.kind: only burnrate is supported, got ${JSON.stringify(c.kind)}`);
  if (c.op !== 'gte' && c.op !== 'gt') errs.push(`${at}.condition.op: a burn-rate alert fires at or above its threshold: gte, got ${JSON.stringify(c.op)}`);
  const duration = (v: unknown, field: string): number | undefined => {
    try {
      if (typeof v === 'string') return parseDuration(v);
    } catch {
      // reported below
    }
    errs.push(`${at}.${field}: must be a duration such as 5m, 1h, 3d, got ${JSON.stringify(v)}`);
    return undefined;
  };
  if (c.alertAfter !== undefined && duration(c.alertAfter, 'condition.alertAfter') !== 0) {
    errs.push(`${at}.condition.alertAfter: Burnwatch tiers fire when both windows cross (the short window is the confirmation), so it must be 0m`);
  }
  const longMs = duration(c.lookbackWindow, 'condition.lookbackWindow');
  if (typeof c.threshold !== 'number' || !(c.threshold > 0)) errs.push(`${at}.condition.threshold: must be a burn rate > 0`);
  if (longMs === undefined || typeof c.threshold !== 'number') return undefined;
  const shortAnn = cond.annotations[`${A}short-window`];
  // Without an annotation: the Workbook's ratio, a short window of 1/12 of the long one.
  const shortMs = shortAnn !== undefined ? duration(shortAnn, `metadata.annotations.${A}short-window`) : Math.max(MINUTE_MS, Math.round(longMs / 12 / MINUTE_MS) * MINUTE_MS);
  const fractionAnn = cond.annotations[`${A}budget-fraction`];
  const budgetFraction = fractionAnn !== undefined ? Number(fractionAnn) : Number(((c.threshold * longMs) / periodMs).toPrecision(12));
  if (shortMs === undefined) return undefined;
  return { severity: severity as BurnRateTier['severity'], longWindowMs: longMs, shortWindowMs: shortMs, budgetFraction };
}
