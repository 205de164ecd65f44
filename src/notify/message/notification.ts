/**
 * The contract between the outbox dispatcher and the channels: what one
 * notification is about, and how its delivery went. Plain data, so channel
 * formatting stays pure and the dispatcher alone decides retries.
 */

export type NotificationKind = 'firing' | 'repeat' | 'resolved' | 'test';

/** AlertSnapshot is an alert incident as it was when the notification was queued (timestamps ISO). */
export interface AlertSnapshot {
  id: string;
  fingerprint: string;
  alertname: string;
  severity: string;
  state: string;
  service: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number | null;
  /** Free-form JSON written by the alert's source (SLO or symptom rule); read defensively. */
  details: Record<string, unknown>;
  activeAt: string | null;
  firedAt: string | null;
  resolvedAt: string | null;
}

export interface Notification {
  kind: NotificationKind;
  alert: AlertSnapshot;
  /** Base URL of this Burnwatch, for links back to the alert. */
  publicUrl: string;
  /** When the notification is sent (ISO); passed in so formatting never reads the clock. */
  sentAt: string;
}

/**
 * SendResult is a delivery outcome. `permanent` failures go to dead letter at
 * once (retrying cannot help: bad payload, revoked webhook, mailbox refused);
 * the others are retried, not before `retryAfterMs` when the receiver said so.
 * `error` is short and never contains a secret (webhook URL, header value,
 * password): it is stored and shown by the API.
 */
export type SendResult = { ok: true } | { ok: false; permanent: boolean; retryAfterMs?: number; error: string };
