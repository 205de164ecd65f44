import { formatPercent, formatRate, formatSeconds } from './format.js';
import type { Notification } from './notification.js';

/**
 * Facts are what a person reached by an alert needs to act, extracted once
 * and formatted once, so Slack, email and webhook say the same thing. Pure:
 * details is free-form JSON written by older and newer versions of the
 * alert sources, so every field is optional and a wrong type is ignored
 * rather than thrown on — a notification must go out even when half its
 * context is missing.
 */

export interface TierFact {
  /** `1h/5m`: long and short window of the multi-window tier. */
  windows: string;
  /** `14.4x`: the burn rate both windows had to reach. */
  factor: string | null;
  longBurnRate: string | null;
  shortBurnRate: string | null;
}

export interface OperationFact {
  operation: string;
  spanKind: string | null;
  errors: number | null;
  calls: number | null;
  exampleTraceIds: string[];
}

export interface RuleFact {
  name: string;
  condition: string;
  value: string | null;
  threshold: string | null;
  /** `error ratio 7.2%`, for subjects. */
  headline: string | null;
}

export interface LinkFact {
  label: 'Runbook' | 'Dashboard' | 'Alert';
  url: string;
}

export interface AlertFacts {
  /** SLO name, rule name or alertname: what the message is about. */
  title: string;
  alertname: string;
  severity: string;
  state: string;
  service: string;
  summary: string | null;
  objective: string | null;
  sloWindow: string | null;
  sli: string | null;
  /** Burn rate per status window, shortest first. */
  burnRates: { window: string; rate: string }[];
  crossed: TierFact[];
  /** The burn rate that made it fire (long window of the steepest crossed tier), for subjects. */
  headlineBurn: string | null;
  budgetLeft: string | null;
  timeToExhaustion: string | null;
  topOperations: OperationFact[];
  rule: RuleFact | null;
  links: LinkFact[];
  labels: [string, string][];
  since: string | null;
  resolvedAt: string | null;
  /** How long it fired, for resolved notifications. */
  duration: string | null;
}

const NOT_BURNING = 'not burning';
const EXHAUSTED = 'exhausted now';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const nullable = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** windowSeconds reads `5m`, `1h`, `3d` for ordering; unknown shapes sort last. */
function windowSeconds(w: string): number {
  const m = /^(\d+)([smhdw])$/.exec(w);
  if (!m) return Number.MAX_SAFE_INTEGER;
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as Record<string, number>)[m[2]];
}

function httpUrl(v: unknown): string | undefined {
  const s = str(v);
  // Only absolute http(s) links: Slack rejects a whole message for one bad button URL,
  // and a javascript: runbook must never become a clickable link in an email.
  return s && /^https?:\/\/[^\s]+$/i.test(s) ? s : undefined;
}

const rateOrNull = (r: number | undefined) => (r === undefined ? null : formatRate(r));

/** crossedTiers reads the tiers that fired, steepest (highest factor: the fastest burn, the page) first. */
function crossedTiers(v: unknown) {
  return (Array.isArray(v) ? v : [])
    .flatMap((t) => {
      const o = obj(t);
      return o ? [{ o, factor: num(o.factor), long: num(o.longBurnRate), short: num(o.shortBurnRate) }] : [];
    })
    .sort((a, b) => (b.factor ?? 0) - (a.factor ?? 0));
}

function tierFacts(tiers: ReturnType<typeof crossedTiers>): TierFact[] {
  return tiers.map(({ o, factor, long, short }) => ({
    windows: `${str(o.longWindow) ?? '?'}/${str(o.shortWindow) ?? '?'}`,
    factor: rateOrNull(factor),
    longBurnRate: rateOrNull(long),
    shortBurnRate: rateOrNull(short),
  }));
}

/** headline is the long-window rate of the steepest crossed tier: it is sustained, not a 5-minute spike. */
function headline(tiers: ReturnType<typeof crossedTiers>, burnRates: Json | undefined): string | null {
  return rateOrNull(tiers.find((t) => t.long !== undefined)?.long ?? num(burnRates?.['1h']));
}

function operations(v: unknown): OperationFact[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => {
    const o = obj(x);
    const operation = str(o?.operation);
    if (!o || !operation) return [];
    const ids = Array.isArray(o.exampleTraceIds) ? o.exampleTraceIds.filter((id): id is string => typeof id === 'string' && id.length > 0) : [];
    return [{ operation, spanKind: nullable(str(o.spanKind)), errors: nullable(num(o.errors)), calls: nullable(num(o.calls)), exampleTraceIds: ids }];
  });
}

/** ruleFacts describes a symptom rule's condition in words, whichever shape (spec or API JSON) it was stored in. */
function ruleFacts(d: Json, labels: Record<string, string>, alertname: string, alertValue: number | null): RuleFact | null {
  if (d.rule === undefined && d.condition === undefined) return null;
  const name = str(d.rule) ?? str(obj(d.rule)?.name) ?? labels.rule ?? alertname;
  const c = obj(d.condition);
  const value = num(d.value) ?? alertValue ?? undefined;
  const type = str(c?.type);
  const ms = num(c?.windowMs);
  const window = str(c?.window) ?? (ms !== undefined ? formatSeconds(ms / 1000) : undefined);
  const over = window ? ` over ${window}` : '';
  let threshold = num(d.threshold);
  let fmt = (n: number) => String(Number(n.toPrecision(4)));
  let measure = 'value';
  let condition = str(d.condition) ?? type ?? 'condition';
  if (type === 'error_ratio') {
    fmt = (n) => formatPercent(n, 2);
    measure = 'error ratio';
    threshold ??= num(c?.threshold);
    condition = `error ratio${over} above ${threshold === undefined ? '?' : fmt(threshold)}`;
  } else if (type === 'latency') {
    fmt = (n) => `${Number(n.toPrecision(4))} ms`;
    measure = `p${num(c?.percentile) ?? '?'} latency`;
    threshold ??= num(c?.thresholdMs);
    condition = `${measure}${over} above ${threshold === undefined ? '?' : fmt(threshold)}`;
  } else if (type === 'traffic') {
    fmt = (n) => `${n > 0 ? '+' : ''}${Number(n.toFixed(1))}%`;
    measure = 'traffic';
    const baseline = str(c?.baseline) === 'last_week' ? 'the same time last week' : 'the trailing mean';
    const dir = str(c?.direction) === 'up' ? 'up' : str(c?.direction) === 'down' ? 'down' : 'up or down';
    condition = `traffic${over} ${dir} by ${num(c?.deviationPercent) ?? '?'}% or more vs ${baseline}`;
  }
  return {
    name,
    condition,
    value: value === undefined ? null : fmt(value),
    threshold: threshold === undefined ? null : fmt(threshold),
    headline: value === undefined ? null : `${measure} ${fmt(value)}`,
  };
}

/** alertFacts extracts everything the channels show from one notification. */
export function alertFacts(n: Notification): AlertFacts {
  const a = n.alert;
  const d = obj(a.details) ?? {};
  const slo = obj(d.slo);
  const labels = a.labels ?? {};
  const annotations = a.annotations ?? {};
  const rates = obj(d.burnRates);
  const burnRates = Object.entries(rates ?? {})
    .flatMap(([window, r]) => (num(r) === undefined ? [] : [{ window, rate: formatRate(r as number), s: windowSeconds(window) }]))
    .sort((x, y) => x.s - y.s)
    .map(({ window, rate }) => ({ window, rate }));
  const objective = num(slo?.objective);
  const sli = num(d.sli);
  const budget = num(d.budgetRemaining);
  const tte = d.timeToExhaustionSeconds;
  const runbook = httpUrl(d.runbookUrl) ?? httpUrl(annotations.runbook_url);
  const dashboard = httpUrl(d.link) ?? httpUrl(annotations.dashboard);
  // A test sends a sample alert that does not exist, so it gets no link to itself.
  const alertUrl = n.kind === 'test' ? undefined : httpUrl(`${n.publicUrl.replace(/\/+$/, '')}/api/v1/alerts/${encodeURIComponent(a.id)}`);
  const links: LinkFact[] = [
    ...(runbook ? [{ label: 'Runbook' as const, url: runbook }] : []),
    ...(dashboard ? [{ label: 'Dashboard' as const, url: dashboard }] : []),
    ...(alertUrl ? [{ label: 'Alert' as const, url: alertUrl }] : []),
  ];
  const since = a.firedAt ?? a.activeAt;
  const start = since ? Date.parse(since) : NaN;
  const end = a.resolvedAt ? Date.parse(a.resolvedAt) : NaN;
  const rule = ruleFacts(d, labels, a.alertname, a.value);
  const tiers = crossedTiers(d.crossed);
  return {
    title: str(slo?.name) ?? labels.slo ?? rule?.name ?? a.alertname,
    alertname: a.alertname,
    severity: str(d.severity) ?? a.severity,
    state: a.state,
    service: str(slo?.service) ?? a.service,
    summary: nullable(str(annotations.summary)),
    objective: objective === undefined ? null : `${objective}%`,
    sloWindow: nullable(str(slo?.window)),
    sli: sli === undefined ? null : formatPercent(sli, 3),
    burnRates,
    crossed: tierFacts(tiers),
    headlineBurn: rule ? null : headline(tiers, rates),
    budgetLeft: budget === undefined ? null : budget <= 0 ? `${formatPercent(budget)} (exhausted)` : formatPercent(budget),
    timeToExhaustion:
      num(tte) === undefined ? (tte === null && slo ? NOT_BURNING : null) : (tte as number) <= 0 ? EXHAUSTED : formatSeconds(tte as number),
    topOperations: operations(d.topOperations),
    rule,
    links,
    labels: Object.entries(labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
    since,
    resolvedAt: a.resolvedAt,
    duration: Number.isFinite(start) && Number.isFinite(end) && end >= start ? formatSeconds((end - start) / 1000) : null,
  };
}

/** subjectLine is the one-line headline every channel uses: `[FIRING:page] checkout-availability burn 14.9x`. */
export function subjectLine(n: Notification, f: AlertFacts): string {
  const tag = n.kind === 'test' ? 'TEST' : n.kind === 'resolved' ? 'RESOLVED' : 'FIRING';
  const head = `[${tag}:${f.severity}] ${f.title}`;
  if (n.kind === 'resolved') return head;
  if (f.rule) return f.rule.headline ? `${head} ${f.rule.headline}` : head;
  return f.headlineBurn ? `${head} burn ${f.headlineBurn}` : head;
}

/** operationLine is one failing operation in plain words, trace ids excluded (channels link them their own way). */
export function operationLine(o: OperationFact): string {
  const kind = o.spanKind ? ` (${o.spanKind})` : '';
  const ratio = o.errors !== null && o.calls ? ` (${formatPercent(o.errors / o.calls, 2)})` : '';
  const counts = o.errors !== null ? `: ${o.errors} failed of ${o.calls ?? '?'} calls${ratio}` : o.calls !== null ? `: ${o.calls} calls` : '';
  return `${o.operation}${kind}${counts}`;
}

/** whatHappened is the sentence under the headline. */
export function whatHappened(n: Notification, f: AlertFacts): string {
  if (n.kind === 'test') return 'Test notification from Burnwatch: this channel is configured correctly.';
  if (n.kind === 'resolved') {
    return `${f.title} is no longer ${f.rule ? 'firing' : 'burning its error budget'}${f.duration ? ` (fired for ${f.duration})` : ''}.`;
  }
  const still = n.kind === 'repeat' ? 'still ' : '';
  if (f.rule) return `${f.rule.name} is ${still}firing: ${f.rule.condition}${f.rule.value ? `, currently ${f.rule.value}` : ''}.`;
  const burn = f.headlineBurn ? ` at ${f.headlineBurn} the sustainable rate` : '';
  const t = f.timeToExhaustion;
  const tte = !t || t === NOT_BURNING ? '' : t === EXHAUSTED ? '; the error budget is exhausted' : `; budget exhausted in ${t} at this rate`;
  return `${f.title} is ${still}burning its error budget${burn}${tte}.`;
}

export interface FactRow {
  label: string;
  value: string;
  /** The value is an ISO timestamp; channels that can localize it do. */
  time?: boolean;
}

/** factRows are the key/value facts every channel lists, in the order a responder reads them. */
export function factRows(n: Notification, f: AlertFacts): FactRow[] {
  const rows: [string, string | null][] = [
    ['Severity', f.severity],
    ['State', n.kind === 'test' ? 'test' : n.kind === 'repeat' ? `${f.state} (reminder)` : f.state],
    ['Service', f.service],
  ];
  if (f.objective) rows.push(['Objective', f.sloWindow ? `${f.objective} over ${f.sloWindow}` : f.objective]);
  if (f.rule) rows.push(['Rule', f.rule.name], ['Condition', f.rule.condition], ['Value', f.rule.value]);
  if (n.kind === 'resolved') rows.push(['Fired for', f.duration]);
  else if (n.kind !== 'test') rows.push(['SLI', f.sli], ['Budget left', f.budgetLeft], ['Exhausted in', f.timeToExhaustion]);
  const out: FactRow[] = rows.filter((r): r is [string, string] => r[1] !== null).map(([label, value]) => ({ label, value }));
  if (f.since) out.push({ label: n.kind === 'resolved' ? 'Fired at' : 'Since', value: f.since, time: true });
  if (n.kind === 'resolved' && f.resolvedAt) out.push({ label: 'Resolved at', value: f.resolvedAt, time: true });
  return out;
}

/** accentColor is the colour of a notification: red page, orange ticket, blue other, green resolved, grey test. */
export function accentColor(n: Notification, f: AlertFacts): string {
  if (n.kind === 'test') return '#9e9e9e';
  if (n.kind === 'resolved') return '#2e7d32';
  return f.severity === 'page' ? '#d32f2f' : f.severity === 'ticket' ? '#f57c00' : '#1976d2';
}
