import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { badRequest, conflict, notFound } from '../common/errors.js';
import { evaluateSlo } from '../evaluation/slo-evaluator.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, floorMinute } from '../kernel/minute-ranges.js';
import { parseDuration, windowBounds } from '../evaluation/windows.js';
import { BackfillService } from './backfill.service.js';
import { SliRepository } from './sli.repository.js';
import { toDefinition } from './slo-definition.js';
import { SloEvaluationService } from './slo-evaluation.service.js';
import { SloRegistry } from './slo-registry.js';
import { SloFilter, SloRepository } from './slo.repository.js';
import type { Slo, SloSpec } from './slo.types.js';
import { specToJson, validateSloBody, warningsFor } from './slo.validation.js';
import { StoredCounts } from './stored-counts.js';
import { minuteHorizon } from '../kernel/stored-ranges.js';
import { statusToJson } from './slo-status.view.js';
import { isUuid } from '../common/patterns.js';
import { CHANNEL_DIRECTORY, type ChannelDirectory, missingChannelsMessage } from '../common/channel-directory.js';

const MAX_HISTORY_POINTS = 2000;
/** Backfill reaches back at least this far, so the 3-day alert tier has history even in a new calendar week. */
const MIN_BACKFILL_MS = 3 * DAY_MS;


/** Which edits change what an SLO counts: those rebuild its history. */
function countingChanged(a: SloSpec, b: SloSpec): boolean {
  return JSON.stringify([a.service, a.indicator, a.selector]) !== JSON.stringify([b.service, b.indicator, b.selector]);
}

@Injectable()
export class SloService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly repository: SloRepository,
    private readonly sli: SliRepository,
    private readonly backfills: BackfillService,
    private readonly registry: SloRegistry,
    private readonly evaluator: SloEvaluationService,
    @Inject(CHANNEL_DIRECTORY) private readonly channels: ChannelDirectory,
  ) {}

  /** validated: a well-formed definition whose channels all exist. */
  private async validated(body: unknown): Promise<SloSpec> {
    const spec = validateSloBody(body);
    const missing = await this.channels.missing(spec.channels);
    if (missing.length) throw badRequest(missingChannelsMessage(missing));
    return spec;
  }

  view(slo: Slo) {
    return { id: slo.id, ...specToJson(slo), version: slo.version, createdAt: slo.createdAt, updatedAt: slo.updatedAt, approximateUntil: slo.approximateUntil, warnings: warningsFor(slo) };
  }

  async list(filter: SloFilter) {
    return (await this.repository.list(filter)).map((s) => this.view(s));
  }

  async get(id: string): Promise<Slo> {
    if (!isUuid(id)) throw notFound(`SLO ${id} not found`);
    const slo = await this.repository.get(id);
    if (!slo) throw notFound(`SLO ${id} not found`);
    return slo;
  }

  async create(body: unknown, nowMs: number) {
    const spec = await this.validated(body);
    const slo = await this.dataSource.transaction(async (m) => {
      const created = await this.repository.insert(spec, m);
      if (!created) throw conflict(`an SLO named ${spec.name} already exists`);
      return this.rebuild(m, created, nowMs);
    });
    await this.registry.reload();
    return this.view(slo);
  }

  /**
   * createMany creates several validated SLOs in one transaction (OpenSLO
   * import): all of them or none, a taken name failing the whole batch.
   */
  async createMany(specs: SloSpec[], nowMs: number) {
    const missing = await this.channels.missing([...new Set(specs.flatMap((s) => s.channels))]);
    if (missing.length) throw badRequest(missingChannelsMessage(missing));
    const slos = await this.dataSource.transaction(async (m) => {
      const out: Slo[] = [];
      for (const spec of specs) {
        const created = await this.repository.insert(spec, m);
        if (!created) throw conflict(`an SLO named ${spec.name} already exists`);
        out.push(await this.rebuild(m, created, nowMs));
      }
      return out;
    });
    await this.registry.reload();
    return slos.map((s) => this.view(s));
  }

  async replace(id: string, body: unknown, nowMs: number) {
    const before = await this.get(id);
    return this.save(before, await this.validated(body), nowMs);
  }

  async patch(id: string, body: unknown, nowMs: number) {
    const before = await this.get(id);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body: must be a JSON object');
    // A patch is a shallow merge over the stored spec, then validated whole;
    // as in a JSON merge patch (RFC 7396), null removes a field, so its default applies again.
    const merged: Record<string, unknown> = { ...specToJson(before), ...(body as object) };
    for (const [k, v] of Object.entries(body)) if (v === null) delete merged[k];
    return this.save(before, await this.validated(merged), nowMs);
  }

  private async save(before: Slo, spec: SloSpec, nowMs: number) {
    const slo = await this.dataSource.transaction(async (m) => {
      const updated = await this.repository.update(before.id, spec, m);
      if (updated === 'conflict') throw conflict(`an SLO named ${spec.name} already exists`);
      if (!updated) throw notFound(`SLO ${before.id} not found`);
      if (!countingChanged(before, spec)) return updated;
      await this.sli.deleteCounts(m, updated.id);
      return this.rebuild(m, updated, nowMs);
    });
    await this.registry.reload();
    return this.view(slo);
  }

  /** rebuild backfills the SLO from RED rows up to the current minute and marks that span approximate. */
  private async rebuild(m: EntityManager, slo: Slo, nowMs: number): Promise<Slo> {
    const until = floorMinute(nowMs);
    const from = Math.max(
      Math.min(windowBounds(slo.window, nowMs).startMs, until - MIN_BACKFILL_MS),
      until - this.config.retention.hourDays * DAY_MS,
    );
    const done = await this.backfills.backfill(m, slo.id, slo, floorMinute(from), until);
    // The current minute is incomplete too: spans of it may have arrived before this SLO existed.
    const approximateUntil = done ? until + MINUTE_MS : null;
    await this.repository.setApproximateUntil(slo.id, approximateUntil, m);
    return { ...slo, approximateUntil: approximateUntil === null ? null : new Date(approximateUntil).toISOString() };
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.repository.delete(id);
    await this.registry.reload();
  }

  /**
   * status evaluates the SLO now, with the same core and sums as the
   * scheduled tick: one SLO costs a few indexed queries, and an answer that
   * lags by up to an interval (the stored snapshot) would confuse anyone
   * watching an incident. Snapshots serve /metrics and the alerts.
   */
  async status(id: string, nowMs: number) {
    const slo = await this.get(id);
    const status = (await this.evaluator.evaluate(this.dataSource.manager, [slo], nowMs))[0]?.status;
    if (!status) throw badRequest(`SLO ${slo.name} cannot be evaluated`);
    return statusToJson(slo, status, warningsFor(slo));
  }

  async history(id: string, query: { from?: string; to?: string; step?: string }, nowMs: number) {
    const slo = await this.get(id);
    const to = query.to ? Date.parse(query.to) : nowMs;
    const from = query.from ? Date.parse(query.from) : to - DAY_MS;
    const step = query.step ? parseStep(query.step) : Math.max(MINUTE_MS, Math.ceil((to - from) / 200 / MINUTE_MS) * MINUTE_MS);
    if (!Number.isFinite(from)) throw badRequest('from: expected an RFC 3339 timestamp');
    if (!Number.isFinite(to)) throw badRequest('to: expected an RFC 3339 timestamp');
    if (from >= to) throw badRequest('from: must be before to');
    if ((to - from) / step > MAX_HISTORY_POINTS) throw badRequest(`step: too small for the range (at most ${MAX_HISTORY_POINTS} points)`);
    const def = toDefinition(slo);
    // Enough data before `from` for the longest window any point looks at.
    const earliest = Math.min(windowBounds(slo.window, from).startMs, floorMinute(from) - 3 * DAY_MS);
    const rows = await this.sli.series(slo.id, earliest - HOUR_MS, floorMinute(to) + MINUTE_MS);
    const counts = new StoredCounts(rows.hours, rows.minutes, minuteHorizon(nowMs, this.config.retention.minuteDays));
    const approxUntil = slo.approximateUntil ? Date.parse(slo.approximateUntil) : null;
    const points = [];
    for (let t = from; t <= to; t += step) {
      const s = evaluateSlo(def, counts, t);
      points.push({
        at: new Date(t).toISOString(),
        sli: s.full.sli,
        budgetRemaining: s.budget.remainingFraction,
        burnRates: Object.fromEntries(Object.entries(s.windows).map(([w, v]) => [w, v.burnRate])),
        approximate: approxUntil !== null && s.bounds.startMs < approxUntil,
      });
    }
    return { slo: slo.name, from: new Date(from).toISOString(), to: new Date(to).toISOString(), stepSeconds: step / 1000, points };
  }
}

function parseStep(raw: string): number {
  const ms = /^\d+[smhd]$/.test(raw) ? parseDuration(raw) : NaN;
  if (!(ms >= MINUTE_MS)) throw badRequest('step: expected a duration of at least 1m, e.g. 5m, 1h');
  return ms;
}
