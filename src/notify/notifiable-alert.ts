import type { AlertSnapshot } from './message/notification.js';

/**
 * NotifiableAlert is what alerting hands notify at the end of a tick: one
 * alert as it stands, how it just changed, and where it should go. Notify
 * decides what to send from it and never reads alerting's tables.
 */
export interface NotifiableAlert {
  id: string;
  source: 'slo' | 'rule';
  sourceId: string;
  state: 'pending' | 'firing' | 'resolved' | 'cancelled';
  severity: string;
  labels: Record<string, string>;
  /** It was resolved in this tick. */
  justResolved: boolean;
  firedAtMs: number | undefined;
  resolvedAtMs: number | undefined;
  lastSentAtMs: number | undefined;
  repeats: number;
  /** Channel names or ids its SLO or rule names; empty means the default channels. */
  channels: string[];
  /** What a notification says about it, frozen when the notification is queued. */
  snapshot: AlertSnapshot;
}

/** SentMark tells alerting that a firing or repeat notification was queued for an alert. */
export interface SentMark {
  alertId: string;
  repeat: boolean;
}
