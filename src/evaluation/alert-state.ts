import { createHash } from 'node:crypto';
import { MINUTE_MS } from '../kernel/minute-ranges.js';

/**
 * The alert state machine, after Prometheus `rules/alerting.go`:
 * inactive → pending → firing → (resolved = inactive with resolvedAt).
 *
 * It is a pure step function over plain data. The caller persists the
 * returned state — activeAt above all, so that a restart neither resets a
 * `for` timer nor fires an alert twice — and writes the transition, if any,
 * in the same transaction. Deciding what to notify is a separate step, as
 * in Prometheus: notify's notification plan (src/notify/notification-plan.ts).
 */

export type AlertPhase = 'inactive' | 'pending' | 'firing';

/**
 * AlertTransition is what a step changed: `pending` (became active, waiting
 * for `for`), `firing`, `resolved` (was firing, no longer), `cancelled`
 * (was pending, went inactive before `for` elapsed; never notified).
 */
export type AlertTransition = 'pending' | 'firing' | 'resolved' | 'cancelled';

/** AlertState is one alert instance, identified by the fingerprint of its labels. */
export interface AlertState {
  fingerprint: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** The value that crossed (burn rate, error ratio...), from the latest active step. */
  value?: number;
  state: AlertPhase;
  /** When the condition became active; persisted so `for` survives restarts. */
  activeAt?: number;
  firedAt?: number;
  /** Set when a firing alert stops; the alert is kept for resolvedRetentionMs after. */
  resolvedAt?: number;
  lastSentAt?: number;
  /** When the condition went away while firing; keep_firing_for counts from here. */
  keepFiringSince?: number;
}

/** AlertTiming is the per-rule timing of the state machine, in milliseconds. */
export interface AlertTiming {
  /** How long the condition must hold before firing (Prometheus `for`); 0 fires at once. */
  forMs: number;
  /** How long a firing alert keeps firing after its condition went away. */
  keepFiringForMs: number;
  /** How long a resolved alert is kept (so it can be sent and shown) before it is dropped. */
  resolvedRetentionMs: number;
}

/**
 * RESOLVED_RETENTION_MS: a resolved alert is kept 15 minutes, as Prometheus
 * does, and for as long re-sent to Alertmanager so one that missed the
 * resolve still learns it.
 */
export const RESOLVED_RETENTION_MS = 15 * MINUTE_MS;

/** DEFAULT_ALERT_TIMING: fire at once, stop at once, keep resolved alerts RESOLVED_RETENTION_MS. */
export const DEFAULT_ALERT_TIMING: AlertTiming = Object.freeze({
  forMs: 0,
  keepFiringForMs: 0,
  resolvedRetentionMs: RESOLVED_RETENTION_MS,
});

/** StepOptions are the timing plus the identity and payload of the alert being stepped. */
export interface StepOptions extends AlertTiming {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  value?: number;
}

/** AlertStep is the result of one step: the state to persist (undefined = delete it) and what changed. */
export interface AlertStep {
  next: AlertState | undefined;
  transition?: AlertTransition;
}

/**
 * fingerprint is a stable 64-bit hash (16 hex digits of SHA-256) of the
 * sorted label set: the identity of an alert across evaluations, restarts and
 * replicas. Label order never matters; JSON encoding keeps `a=b,c` and
 * `a=b`,`c=` apart.
 */
export function fingerprint(labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash('sha256').update(JSON.stringify(pairs)).digest('hex').slice(0, 16);
}

/**
 * stepAlert advances one alert by one evaluation at `nowMs`, given whether
 * its condition is `active`. Never mutates `prev`.
 *
 * - active: a new (or resolved) alert becomes pending with activeAt = now and
 *   fires in the same step when now − activeAt ≥ forMs; a firing alert stays
 *   firing and forgets any keep-firing timer.
 * - not active: a pending alert is dropped (`cancelled`); a firing alert stays
 *   firing while now − keepFiringSince < keepFiringForMs, else it resolves; a
 *   resolved alert is dropped once now − resolvedAt > resolvedRetentionMs.
 */
export function stepAlert(prev: AlertState | undefined, active: boolean, nowMs: number, options: StepOptions): AlertStep {
  return active ? stepActive(prev, nowMs, options) : stepInactive(prev, nowMs, options);
}

function stepActive(prev: AlertState | undefined, nowMs: number, options: StepOptions): AlertStep {
  const payload = payloadOf(options);
  if (!prev || prev.state === 'inactive') {
    // A resolved alert that comes back is a new alert: fresh timers, sent anew.
    const pending: AlertState = {
      fingerprint: prev?.fingerprint ?? fingerprint(options.labels),
      labels: { ...options.labels },
      ...payload,
      state: 'pending',
      activeAt: nowMs,
    };
    if (options.forMs <= 0) return { next: { ...pending, state: 'firing', firedAt: nowMs }, transition: 'firing' };
    return { next: pending, transition: 'pending' };
  }
  const next: AlertState = { ...prev, ...payload };
  delete next.keepFiringSince;
  if (prev.state === 'pending' && nowMs - (prev.activeAt ?? nowMs) >= options.forMs) {
    return { next: { ...next, state: 'firing', firedAt: nowMs }, transition: 'firing' };
  }
  return { next };
}

function stepInactive(prev: AlertState | undefined, nowMs: number, options: StepOptions): AlertStep {
  if (!prev) return { next: undefined };
  if (prev.state === 'pending') return { next: undefined, transition: 'cancelled' };
  if (prev.state === 'inactive') {
    const expired = prev.resolvedAt === undefined || nowMs - prev.resolvedAt > options.resolvedRetentionMs;
    return { next: expired ? undefined : prev };
  }
  if (options.keepFiringForMs > 0) {
    const since = prev.keepFiringSince ?? nowMs;
    if (nowMs - since < options.keepFiringForMs) {
      return { next: prev.keepFiringSince === undefined ? { ...prev, keepFiringSince: since } : prev };
    }
  }
  const resolved: AlertState = { ...prev, state: 'inactive', resolvedAt: nowMs };
  delete resolved.keepFiringSince;
  return { next: resolved, transition: 'resolved' };
}

function payloadOf(options: StepOptions): Pick<AlertState, 'annotations' | 'value'> {
  const out: Pick<AlertState, 'annotations' | 'value'> = {};
  if (options.annotations !== undefined) out.annotations = { ...options.annotations };
  if (options.value !== undefined) out.value = options.value;
  return out;
}
