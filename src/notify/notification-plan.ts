import type { AlertTransition } from '../evaluation/alert-state.js';

export type PlannedKind = 'firing' | 'repeat' | 'resolved';

export interface AlertNotifyState {
  /** The incident's state after this tick. */
  state: 'pending' | 'firing' | 'resolved' | 'cancelled';
  /** What this tick changed, if anything. */
  transition?: AlertTransition;
  /** When a firing or repeat notification was last queued; undefined if never. */
  lastSentAtMs?: number;
  /** Repeats queued so far: part of the outbox dedup key. */
  repeats: number;
}

export interface NotifyPolicy {
  repeatIntervalMs: number;
  sendResolved: boolean;
}

/**
 * planNotification decides what an alert needs sent at `nowMs`, after
 * Prometheus' needsSending: never while pending; the first notification
 * when firing (also later, once a silence that held it back has ended);
 * a repeat once the repeat interval has passed since the last one; a
 * resolved notification only for incidents that did notify while firing.
 * Silenced alerts send nothing and keep `lastSentAt`, so a repeat that fell
 * due during the silence goes out as soon as it ends.
 */
export function planNotification(a: AlertNotifyState, silenced: boolean, nowMs: number, policy: NotifyPolicy): PlannedKind | undefined {
  if (a.state === 'resolved') {
    return a.transition === 'resolved' && a.lastSentAtMs !== undefined && policy.sendResolved && !silenced ? 'resolved' : undefined;
  }
  if (a.state !== 'firing' || silenced) return undefined;
  if (a.lastSentAtMs === undefined) return 'firing';
  return nowMs - a.lastSentAtMs >= policy.repeatIntervalMs ? 'repeat' : undefined;
}
