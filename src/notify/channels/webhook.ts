import { alertFacts, whatHappened } from '../message/facts.js';
import type { Notification, SendResult } from '../message/notification.js';
import { failure, isFailure, postJson, redact, retryAfterMs, shortBody, urlSecrets } from './http-post.js';

/**
 * Generic webhook speaking Alertmanager's webhook format (version 4), so
 * receivers written for Alertmanager (chat bridges, incident tools, custom
 * handlers) work unchanged. Burnwatch does not group alerts: each
 * notification is a group of one, whose group labels are all its labels.
 */

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/** Alertmanager's "not ended" time: Go's zero time, which receivers test for. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** groupKey is written as Alertmanager writes it: route matchers, then the group labels with quoted values. */
function groupKey(labels: Record<string, string>): string {
  return `{}:{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

/** buildWebhookPayload renders a notification as an Alertmanager v4 webhook body. Pure. */
export function buildWebhookPayload(n: Notification, receiver: string): AlertmanagerPayload {
  const a = n.alert;
  const f = alertFacts(n);
  const status = n.kind === 'resolved' ? 'resolved' : 'firing';
  // Receivers route on alertname and severity; make sure both are labels even if the source left them out.
  const labels = sortedLabels({ alertname: a.alertname, severity: a.severity, ...(a.service ? { service: a.service } : {}), ...a.labels });
  const annotations: Record<string, string> = { ...a.annotations };
  // Many receivers only print `description`; give them the same sentence the other channels lead with.
  annotations.description ??= whatHappened(n, f);
  const alertLink = f.links.find((l) => l.label === 'Alert')?.url ?? n.publicUrl;
  const startsAt = a.firedAt ?? a.activeAt ?? n.sentAt;
  return {
    version: '4',
    groupKey: groupKey(labels),
    truncatedAlerts: 0,
    status,
    receiver,
    groupLabels: labels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: n.publicUrl,
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt,
        endsAt: status === 'resolved' ? (a.resolvedAt ?? n.sentAt) : ZERO_TIME,
        generatorURL: alertLink,
        fingerprint: a.fingerprint,
      },
    ],
  };
}

/**
 * sendWebhook posts the payload with the channel's headers. 2xx is success;
 * 408, 429 and 5xx are the receiver's momentary trouble (Retry-After
 * honoured); any other answer, redirects included, is a configuration the
 * same request cannot get past. Header values and the URL's path and query
 * can be credentials, so neither appears in the error.
 */
export async function sendWebhook(url: string, headers: Record<string, string>, payload: AlertmanagerPayload, opts: { timeoutMs: number }): Promise<SendResult> {
  const reply = await postJson(url, headers, payload, opts.timeoutMs);
  if (isFailure(reply)) return { ...reply, error: `webhook: ${reply.error}` };
  const { status } = reply;
  if (status >= 200 && status < 300) return { ok: true };
  const secrets = [...urlSecrets(url), ...Object.values(headers)];
  const error = `webhook ${status}${reply.body ? `: ${shortBody(redact(reply.body, secrets))}` : ''}`;
  if (status === 429 || status === 408 || status >= 500) return failure(false, error, retryAfterMs(reply.retryAfter, Date.now()));
  return failure(true, error);
}
