import type { BurnRatePolicy } from '../evaluation/policy.js';
import type { SloWindow } from '../evaluation/windows.js';

export type Indicator =
  | {
      type: 'availability';
      /** Count HTTP 4xx answers as bad (default: they are the caller's fault, so good). */
      clientErrorsAreBad: boolean;
      /** HTTP status codes whose spans are not counted at all (e.g. 429 from deliberate shedding). */
      ignoreStatusCodes: number[];
    }
  | {
      type: 'latency';
      /** Good when duration <= thresholdMs (a span of exactly the threshold is good). */
      thresholdMs: number;
      /** Also require the span not to be an error. */
      requireSuccess: boolean;
    };

export interface Selector {
  /** Exact names or globs (`*` any run, `?` one character); empty = every operation. */
  operations: string[];
  /** OTLP span kind numbers; default SERVER and CONSUMER. */
  spanKinds: number[];
  /** Attribute equality, e.g. {"deployment.environment.name": "prod"}. */
  attributes: Record<string, string>;
}

export interface SloAlerting {
  /** Per-SLO tiers; absent = the Workbook's defaults scaled to the window. */
  policy?: BurnRatePolicy;
  /** Minimum events in a tier's long window before it may fire. */
  minEvents?: number;
  /** Share of a tier window that must hold history before its burn rate is taken as is (partial-window guard). */
  minWindowCoverage?: number;
  /** Alert (ticket) when the remaining error budget falls below this percentage. */
  budgetExhaustion?: { belowPercent: number };
  /** Alert (ticket) when the SLO has seen no events for this long: a silent service is not a healthy one. */
  noData?: { afterMs: number };
}

/** SloSpec is a validated SLO definition as the user wrote it. */
export interface SloSpec {
  name: string;
  service: string;
  description: string;
  indicator: Indicator;
  selector: Selector;
  objective: number;
  window: SloWindow;
  labels: Record<string, string>;
  runbookUrl: string | null;
  channels: string[];
  alerting: SloAlerting;
}

/** Slo is a stored SLO. */
export interface Slo extends SloSpec {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** History before this instant was rebuilt from RED histograms and is approximate. */
  approximateUntil: string | null;
}
