import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { AppError, badRequest } from '../common/errors.js';
import { isObj } from '../common/validation.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, floorMinute } from '../kernel/minute-ranges.js';
import { type Incident, replaySlo, rangeSummary, unmatched } from '../evaluation/replay.js';
import { STATUS_WINDOWS } from '../evaluation/slo-evaluator.js';
import { nominalPeriodMs, windowBounds } from '../evaluation/windows.js';
import { SPAN_KIND_NAMES } from '../kernel/span.model.js';
import { firstEventMs, PrefixCounts } from './prefix-counts.js';
import { RedSliRepository } from '../red/red-sli.repository.js';
import { replayToJson, type ReplayRun } from './replay.view.js';
import { SliSeriesRepository } from './sli-series.repository.js';
import { toDefinition } from './slo-definition.js';
import { SloService } from './slo.service.js';
import type { SloSpec } from './slo.types.js';
import { specToJson, validateSloBody } from './slo.validation.js';
import { minuteHorizon, retentionCutoff } from '../kernel/stored-ranges.js';
import type { SliBucket } from './sli-accumulator.js';

/** A replay covers at most this much time (the longest rolling window). */
const MAX_RANGE_MS = 90 * DAY_MS;
/** The history series keeps at most this many points; incidents are computed at every step regardless. */
const MAX_POINTS = 500;

const unprocessable = (message: string) => new AppError(422, 'unprocessable', message);

interface Range {
  fromMs: number;
  toMs: number;
}

/**
 * ReplayService answers "which incidents would this policy have produced?":
 * for a saved SLO over its exact stored counts with another alerting policy
 * (replay), or for a definition not saved yet over counts rebuilt from the
 * RED rows (preview). Both step the pure core and the alert state machine
 * over the same instants (src/evaluation/replay.ts).
 */
@Injectable()
export class ReplayService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly slos: SloService,
    private readonly sli: SliSeriesRepository,
    private readonly red: RedSliRepository,
  ) {}

  async replay(id: string, body: unknown, nowMs: number) {
    const slo = await this.slos.get(id);
    if (body !== undefined && !isObj(body)) throw badRequest('body: must be a JSON object');
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.alerting !== undefined && !isObj(b.alerting)) throw badRequest('alerting: must be an object');
    const saved = specToJson(slo);
    // Given keys replace the saved ones; null goes back to the default.
    const alerting: Record<string, unknown> = { ...saved.alerting, ...((b.alerting as object) ?? {}) };
    for (const [k, v] of Object.entries(alerting)) if (v === null) delete alerting[k];
    const proposed = validateSloBody({ ...saved, alerting });
    const range = this.range(b, slo, nowMs);
    const load = this.loadRange(slo, range);
    const rows = await this.sli.series(slo.id, load.fromMs, load.toMs);
    const approxUntil = slo.approximateUntil ? Date.parse(slo.approximateUntil) : null;
    const run = this.run(proposed, rows, range, load, nowMs);
    const baseline = this.run(slo, rows, range, load, nowMs);
    return {
      slo: { id: slo.id, name: slo.name, service: slo.service },
      ...replayToJson(proposed, run, { source: 'sli', approximate: approxUntil !== null && load.fromMs < approxUntil, warnings: [] }),
      comparison: {
        saved: summary(baseline.incidents),
        proposed: summary(run.incidents),
        /** Incidents of the saved policy that no incident of the proposed one overlaps. */
        missed: baseline.incidents.length ? unmatched(baseline.incidents, run.incidents, range.toMs).map((i) => replayToJson.incident(i)) : [],
      },
    };
  }

  async preview(body: unknown, nowMs: number) {
    if (!isObj(body)) throw badRequest('body: must be a JSON object');
    // The definition as POST /api/v1/slos takes it; from/to are the preview's own.
    const { from: _from, to: _to, ...definition } = body;
    const spec = validateSloBody(definition);
    this.assertRedCanAnswer(spec);
    const range = this.range(body, spec, nowMs);
    const load = this.loadRange(spec, range);
    const rows = await this.red.series(spec, load.fromMs, load.toMs);
    const warnings: string[] = [];
    if (spec.indicator.type === 'latency') warnings.push('latency is judged from the RED histogram (relative error <= 2%), not from each span: counts are approximate');
    if (await this.red.hasOverflow(spec.service)) {
      warnings.push(`service ${spec.service} has spans past SERIES_LIMIT_PER_SERVICE in its overflow series; they carry no operation and are not counted here`);
    }
    const run = this.run(spec, rows, range, load, nowMs);
    return {
      slo: { name: spec.name, service: spec.service },
      ...replayToJson(spec, run, { source: 'red', approximate: spec.indicator.type === 'latency', warnings }),
    };
  }

  /**
   * assertRedCanAnswer refuses what RED rows cannot count: they keep series
   * dimensions, calls, errors and a duration histogram — not HTTP status
   * codes nor attributes outside EXTRA_DIMENSIONS. A preview that silently
   * ignored such a selector would answer for a different SLO.
   */
  private assertRedCanAnswer(spec: SloSpec): void {
    const problems: string[] = [];
    const dims = this.config.ingest.extraDimensions;
    for (const k of Object.keys(spec.selector.attributes)) {
      if (!dims.includes(k)) {
        problems.push(`selector.attributes.${k}: not a series dimension (EXTRA_DIMENSIONS is ${dims.length ? dims.join(',') : 'empty'}), so RED rows cannot select on it; save the SLO to count it exactly from now on`);
      }
    }
    if (spec.indicator.type === 'availability' && spec.indicator.clientErrorsAreBad) {
      problems.push('indicator.clientErrorsAreBad: RED rows do not keep HTTP status codes, so a preview cannot tell 4xx apart; save the SLO to count it exactly');
    }
    if (spec.indicator.type === 'availability' && spec.indicator.ignoreStatusCodes.length > 0) {
      problems.push('indicator.ignoreStatusCodes: RED rows do not keep HTTP status codes, so a preview cannot leave them out; save the SLO to count it exactly');
    }
    const kinds = this.config.ingest.spanKinds;
    if (kinds) {
      const missing = spec.selector.spanKinds.filter((k) => !kinds.includes(k));
      if (missing.length) problems.push(`selector.spanKinds: RED rows are kept only for SPAN_KINDS (${kinds.map((k) => SPAN_KIND_NAMES[k]).join(',')}), not ${missing.map((k) => SPAN_KIND_NAMES[k]).join(',')}`);
    }
    if (problems.length) throw unprocessable(problems.join('; '));
  }

  /** range reads `from`/`to` (RFC 3339); default: the SLO's window up to now, bounded by hour retention. */
  private range(b: Record<string, unknown>, spec: SloSpec, nowMs: number): Range {
    const parse = (field: 'from' | 'to', fallback: number): number => {
      const v = b[field];
      if (v === undefined) return fallback;
      const ms = typeof v === 'string' ? Date.parse(v) : NaN;
      if (!Number.isFinite(ms)) throw badRequest(`${field}: expected an RFC 3339 timestamp`);
      return ms;
    };
    const toMs = Math.min(parse('to', nowMs), nowMs);
    const oldest = retentionCutoff(nowMs, this.config.retention.hourDays);
    const fromMs = Math.max(parse('from', toMs - nominalPeriodMs(spec.window)), oldest);
    if (fromMs >= toMs) throw badRequest('from: must be before to (and within hour retention)');
    if (toMs - fromMs > MAX_RANGE_MS) throw badRequest(`from: the range may span at most ${MAX_RANGE_MS / DAY_MS} days`);
    if (floorMinute(toMs) - floorMinute(fromMs) < MINUTE_MS) throw badRequest('from: the range must hold at least one whole minute');
    return { fromMs, toMs };
  }

  /** loadRange is every row any step's windows read: the SLO window and the longest alert window before `from`. */
  private loadRange(spec: SloSpec, range: Range): Range {
    const def = toDefinition(spec);
    const longest = Math.max(STATUS_WINDOWS['3d'], ...(def.policy?.tiers ?? []).map((t) => t.longWindowMs));
    const start = Math.min(windowBounds(spec.window, range.fromMs).startMs, floorMinute(range.fromMs) - longest);
    return { fromMs: Math.floor(start / HOUR_MS) * HOUR_MS - HOUR_MS, toMs: floorMinute(range.toMs) + MINUTE_MS };
  }

  private run(spec: SloSpec, rows: { hours: readonly SliBucket[]; minutes: readonly SliBucket[] }, range: Range, load: Range, nowMs: number): ReplayRun {
    const horizon = minuteHorizon(nowMs, this.config.retention.minuteDays);
    const counts = new PrefixCounts(load.fromMs, load.toMs, rows.hours, rows.minutes, horizon);
    const steps = replaySteps(range, horizon);
    const pointEveryMs = Math.max(MINUTE_MS, Math.ceil((range.toMs - range.fromMs) / MAX_POINTS / MINUTE_MS) * MINUTE_MS);
    const def = toDefinition(spec);
    const result = replaySlo({ def, counts, dataStartMs: firstEventMs(rows.hours, rows.minutes), steps, pointEveryMs });
    const first = steps[0] ?? floorMinute(range.toMs);
    const last = steps[steps.length - 1] ?? first;
    return {
      def,
      fromMs: first - MINUTE_MS,
      toMs: last,
      hourlyBeforeMs: steps.length && steps[0] < horizon ? horizon : null,
      summary: rangeSummary(counts, first - MINUTE_MS, last, spec.objective),
      ...result,
    };
  }
}

/**
 * replaySteps are the instants a replay evaluates: the end of every minute
 * in the range, except before the minute horizon, where only hour rows are
 * left and a minute step would read its windows widened to whole hours —
 * seeing up to 59 minutes into its future. There the steps are hour ends.
 */
export function replaySteps(range: Range, minuteHorizonMs: number): number[] {
  const steps: number[] = [];
  const last = floorMinute(range.toMs);
  for (let t = floorMinute(range.fromMs) + MINUTE_MS; t <= last; t += MINUTE_MS) {
    if (t < minuteHorizonMs && t % HOUR_MS !== 0) continue;
    steps.push(t);
  }
  return steps;
}


function summary(incidents: readonly Incident[]) {
  return { pages: incidents.filter((i) => i.severity === 'page').length, tickets: incidents.filter((i) => i.severity === 'ticket').length };
}
