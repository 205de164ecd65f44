import type { AlertmanagerAuth } from '../channel.types.js';
import { alertFacts, operationLine, whatHappened } from '../message/facts.js';
import type { AlertSnapshot, Notification, SendResult } from '../message/notification.js';
import { failure, isFailure, postJson, redact, retryAfterMs, shortBody, urlSecrets } from './http-post.js';

/**
 * Alertmanager channel: Burnwatch acts as Prometheus does towards
 * Alertmanager. It posts the current state of its alerts to
 * `/api/v2/alerts` of every configured Alertmanager; a firing alert carries
 * an `endsAt` a few evaluation intervals ahead and is re-sent every
 * interval, so Alertmanager keeps it active exactly as long as Burnwatch
 * keeps saying so and times it out by itself if Burnwatch disappears.
 * Grouping, inhibition, silences and on-call routing are Alertmanager's.
 */

/** PostableAlert of Alertmanager's v2 API (api/v2/openapi.yaml). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/** Alertmanager 0.25 accepts only Prometheus label names; other characters become `_`, as Prometheus' relabelling would. */
function labelName(k: string): string {
  const s = k.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[a-zA-Z_]/.test(s) ? s : `_${s}`;
}

function promLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  // Empty values mean "no label" in Prometheus' model; Alertmanager would treat them as distinct label sets.
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string' && v !== '') out[labelName(k)] = v;
  return out;
}

const MAX_OPERATIONS = 5;
const MAX_TRACE_IDS = 10;

/** annotationsFor is what an Alertmanager template can print: the same facts the built-in channels show. */
function annotationsFor(n: Notification): Record<string, string> {
  const f = alertFacts(n);
  const a = n.alert;
  const out: Record<string, string> = { ...a.annotations };
  const sentences = [whatHappened(n, f)];
  if (f.burnRates.length) sentences.push(`Burn rate ${f.burnRates.map((b) => `${b.window} ${b.rate}`).join(', ')}.`);
  if (f.sli) sentences.push(`SLI ${f.sli}${f.objective ? ` (objective ${f.objective}${f.sloWindow ? ` over ${f.sloWindow}` : ''})` : ''}.`);
  // The time to exhaustion is already in whatHappened's sentence.
  if (f.budgetLeft) sentences.push(`Error budget left ${f.budgetLeft}.`);
  out.summary ??= `${f.title}: ${f.rule?.headline ?? (f.headlineBurn ? `burning error budget at ${f.headlineBurn}` : f.severity)}`;
  out.description = sentences.join(' ');
  const runbook = f.links.find((l) => l.label === 'Runbook');
  if (runbook) out.runbook_url = runbook.url;
  const dashboard = f.links.find((l) => l.label === 'Dashboard');
  if (dashboard) out.dashboard_url = dashboard.url;
  const ops = f.topOperations.slice(0, MAX_OPERATIONS);
  if (ops.length) out.top_operations = ops.map(operationLine).join('\n');
  const traces = [...new Set(ops.flatMap((o) => o.exampleTraceIds))].slice(0, MAX_TRACE_IDS);
  if (traces.length) out.trace_ids = traces.join(' ');
  return out;
}

/**
 * buildPostableAlert renders one alert as Prometheus would post it at
 * `sentAt`. Firing: `endsAt` = sentAt + validity, so a missed re-send or a
 * stopped Burnwatch lets Alertmanager resolve it on its own; resolved: the
 * resolve time. Pure.
 */
export function buildPostableAlert(n: Notification, opts: { validityMs: number; generatorURL: string }): PostableAlert {
  const a: AlertSnapshot = n.alert;
  const labels = promLabels({ ...a.labels, alertname: a.alertname, severity: a.severity, ...(a.service ? { service: a.service } : {}) });
  const resolved = n.kind === 'resolved' || a.state === 'resolved';
  const startsAt = a.firedAt ?? a.activeAt ?? n.sentAt;
  const endsAt = resolved ? (a.resolvedAt ?? n.sentAt) : new Date(Date.parse(n.sentAt) + opts.validityMs).toISOString();
  return { labels, annotations: annotationsFor(n), startsAt, endsAt, generatorURL: opts.generatorURL };
}

export function authHeaders(auth: AlertmanagerAuth): Record<string, string> {
  if (!auth) return {};
  if ('basic' in auth) return { authorization: `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString('base64')}` };
  return { authorization: `Bearer ${auth.bearerToken}` };
}

function authSecrets(auth: AlertmanagerAuth): string[] {
  if (!auth) return [];
  return 'basic' in auth ? [auth.basic.password, authHeaders(auth).authorization] : [auth.bearerToken];
}

/** alertsUrl appends Alertmanager's API path to the base URL a user gives (which may sit under a path prefix). */
export function alertsUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/api/v2/alerts`;
}

/**
 * sendToAlertmanagers posts the alerts to every URL. It succeeds when at
 * least one Alertmanager took them — an HA cluster gossips them to its
 * peers, and Prometheus counts a batch delivered the same way — and every
 * failure is reported so a dead peer does not go unnoticed. 400/401/403/404
 * will not pass on a retry; no answer, 429 and 5xx might.
 */
export async function sendToAlertmanagers(
  urls: string[],
  auth: AlertmanagerAuth,
  alerts: PostableAlert[],
  opts: { timeoutMs: number },
): Promise<SendResult & { failures: string[] }> {
  const headers = authHeaders(auth);
  const replies = await Promise.all(
    urls.map(async (base, i): Promise<SendResult> => {
      const reply = await postJson(alertsUrl(base), headers, alerts, opts.timeoutMs);
      const who = `alertmanager #${i + 1}`;
      if (isFailure(reply)) return { ...reply, error: `${who}: ${reply.error}` };
      if (reply.status >= 200 && reply.status < 300) return { ok: true };
      const secrets = [...urlSecrets(base), ...authSecrets(auth)];
      const error = `${who} ${reply.status}${reply.body ? `: ${shortBody(redact(reply.body, secrets))}` : ''}`;
      if (reply.status === 429 || reply.status === 408 || reply.status >= 500) return failure(false, error, retryAfterMs(reply.retryAfter, Date.now()));
      return failure(true, error);
    }),
  );
  const failures = replies.flatMap((r) => (r.ok ? [] : [r.error]));
  if (replies.some((r) => r.ok)) return { ok: true, failures };
  const permanent = replies.every((r) => !r.ok && r.permanent);
  const retry = Math.max(0, ...replies.map((r) => (!r.ok && r.retryAfterMs) || 0));
  return { ...failure(permanent, failures.join('; '), retry || undefined), failures };
}
