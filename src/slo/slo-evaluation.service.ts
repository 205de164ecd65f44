import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { minuteHorizon, RangeRecorder } from '../kernel/stored-ranges.js';
import { DataSource, EntityManager } from 'typeorm';
import { evaluateSlo, type SloStatus } from '../evaluation/slo-evaluator.js';
import { evaluationEnd, type Range } from '../kernel/minute-ranges.js';
import { formatWindow } from '../evaluation/windows.js';
import type { SloDefinition, WindowCounts } from '../evaluation/slo-evaluator.js';
import { SliWindowCache } from './sli-window-cache.js';
import { StoredSums, SumsRecorder } from './snapshot-sums.js';
import { SliRepository } from './sli.repository.js';
import { EvaluatorTickRepository } from './evaluator-tick.repository.js';
import { DataStartRepository } from './data-start.repository.js';
import { DataStartCache } from './data-start-cache.js';
import { toDefinition } from './slo-definition.js';
import { SloMetrics } from './slo-metrics.js';
import { SloStatusRepository } from './slo-status.repository.js';
import { SloRepository } from './slo.repository.js';
import type { Slo } from './slo.types.js';


export interface Evaluated {
  slo: Slo;
  status: SloStatus;
  /** Events in the SLO's no-data window, when it has a no-data alert. */
  noDataEvents?: number;
  /** The window sums the status was computed from, encoded for slo_status (snapshot-sums.ts). */
  snapshot: string;
}

export interface TickResult {
  leader: boolean;
  evaluated: number;
  statuses: Evaluated[];
}

/**
 * SloEvaluationService is the shell around the pure core: it reads
 * definitions and window sums, calls evaluateSlo with the `now` it was
 * given, and stores the snapshots — all in one transaction that holds a
 * transaction-level advisory lock, so exactly one replica evaluates a tick
 * and a crashed leader's lock vanishes with its connection.
 */
@Injectable()
export class SloEvaluationService {
  private readonly logger = new Logger('Evaluator');
  /** Window sums kept while this replica leads; trusted only while no other replica ticked in between. */
  readonly cache = new SliWindowCache();
  /** Data starts kept beside the window sums, under the same trust. */
  readonly starts: DataStartCache;
  private lastLedTickMs: number | null = null;
  /** SLO definitions as of the last tick, re-read only when their version changes. */
  private known = new Map<string, Slo>();
  /** The core's definition and the shape key of each SLO object, made once per version (a re-read SLO is a new object). */
  private readonly prepared = new WeakMap<Slo, { def: SloDefinition; shape: string }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly slos: SloRepository,
    private readonly sli: SliRepository,
    private readonly snapshots: SloStatusRepository,
    private readonly metrics: SloMetrics,
    private readonly dataStarts: DataStartRepository,
    private readonly ticks: EvaluatorTickRepository,
  ) {
    this.starts = new DataStartCache(dataStarts);
  }

  /** evaluate computes statuses for the given SLOs at nowMs without storing them, reading every window from the tables. */
  async evaluate(m: EntityManager, slos: Slo[], nowMs: number): Promise<Evaluated[]> {
    return this.evaluateFrom(
      m,
      slos,
      nowMs,
      (ranges, horizon) => this.sli.loadSums(m, slos.map((s) => s.id), ranges, horizon),
      () => this.dataStarts.firstEvents(m, slos.map((s) => s.id)),
    );
  }

  /** evaluateCached is evaluate with the leader's window sums kept between ticks (see SliWindowCache). */
  private async evaluateCached(m: EntityManager, slos: Slo[], nowMs: number): Promise<Evaluated[]> {
    return this.evaluateFrom(
      m,
      slos,
      nowMs,
      (ranges, horizon) => this.cache.load(m, slos, ranges, horizon, evaluationEnd(nowMs)),
      // After the load: it says which SLOs' rows changed.
      () => this.starts.load(m, slos.map((s) => s.id), this.cache.lastChanges),
    );
  }

  private async evaluateFrom(
    m: EntityManager,
    slos: Slo[],
    nowMs: number,
    load: (ranges: Range[], minuteHorizonMs: number) => Promise<{ countsFor(sloId: string): WindowCounts }>,
    loadStarts: () => Promise<Map<string, number | null>>,
  ): Promise<Evaluated[]> {
    // Pass 1 asks the core which window sums it needs; pass 2 answers them.
    // SLOs with the same window, policy and no-data alert ask for the same
    // ranges: one recording run per such shape, not per SLO.
    const recorder = new RangeRecorder({ good: 0, total: 0 });
    const shapes = new Set<string>();
    const defs: { slo: Slo; def: SloDefinition }[] = [];
    for (const slo of slos) {
      try {
        const { def, shape } = this.prepare(slo);
        if (!shapes.has(shape)) {
          evaluateSlo(def, recorder, nowMs);
          if (slo.alerting.noData) recorder.sum(evaluationEnd(nowMs) - slo.alerting.noData.afterMs, evaluationEnd(nowMs));
          shapes.add(shape);
        }
        defs.push({ slo, def });
      } catch (e) {
        this.logger.error(`SLO ${slo.name} cannot be evaluated: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const horizon = minuteHorizon(nowMs, this.config.retention.minuteDays);
    const sums = await load([...recorder.ranges.values()], horizon);
    // When each SLO's history starts: the partial-window guard judges windows it does not cover yet.
    const starts = await loadStarts();
    const out: Evaluated[] = [];
    for (const { slo, def } of defs) {
      try {
        const counts = sums.countsFor(slo.id);
        const recorder = new SumsRecorder(counts);
        const noData = slo.alerting.noData;
        out.push({
          slo,
          status: evaluateSlo(def, recorder, nowMs, starts.get(slo.id) ?? null),
          snapshot: recorder.encode(evaluationEnd(nowMs)),
          ...(noData ? { noDataEvents: counts.sum(evaluationEnd(nowMs) - noData.afterMs, evaluationEnd(nowMs)).total } : {}),
        });
      } catch (e) {
        this.logger.error(`SLO ${slo.name} cannot be evaluated: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return out;
  }

  private prepare(slo: Slo): { def: SloDefinition; shape: string } {
    let p = this.prepared.get(slo);
    if (!p) {
      const def = toDefinition(slo);
      p = { def, shape: `${formatWindow(def.window)}|${slo.alerting.noData?.afterMs ?? ''}|${def.policy ? JSON.stringify(def.policy) : ''}` };
      this.prepared.set(slo, p);
    }
    return p;
  }

  /**
   * tick is one scheduled evaluation of the slot `tickMs` (the start of the
   * interval it belongs to); `after` runs inside the same transaction (alert
   * transitions). The advisory lock makes replicas take turns; the stored
   * last tick makes a slot count once, so two replicas whose timers fire at
   * different moments of the same interval do not both evaluate it.
   */
  async tick(
    nowMs: number,
    tickMs: number,
    after?: (m: EntityManager, statuses: Evaluated[], sloIds: string[]) => Promise<void>,
  ): Promise<TickResult> {
    const started = process.hrtime.bigint();
    const result = await this.dataSource.transaction(async (m): Promise<TickResult> => {
      const claim = await this.ticks.claim(m, tickMs);
      if (!claim.claimed) return { leader: false, evaluated: 0, statuses: [] };
      // Leadership moved (another replica ticked since we last did): its writes are not ours to trust.
      if (claim.previousTickMs === undefined || claim.previousTickMs !== this.lastLedTickMs) this.cache.invalidate();
      const slos = await this.slos.listSince(this.known, m);
      this.known = new Map(slos.map((s) => [s.id, s]));
      const statuses = await this.evaluateCached(m, slos, nowMs);
      await this.snapshots.save(m, statuses.map((s) => ({ sloId: s.slo.id, sums: s.snapshot })), nowMs);
      // Every SLO that exists, evaluated or not (one whose evaluation failed still has its alerts).
      if (after) await after(m, statuses, slos.map((s) => s.id));
      return { leader: true, evaluated: statuses.length, statuses };
    }).catch((e: unknown) => {
      // The sums may be half moved: read everything again next time.
      this.cache.invalidate();
      this.starts.invalidate();
      throw e;
    });
    if (result.leader) this.lastLedTickMs = tickMs;
    if (result.leader) {
      this.metrics.evalDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      this.metrics.publish(result.statuses.map((s) => ({ name: s.slo.name, service: s.slo.service, status: s.status })));
    } else {
      await this.publishStored();
    }
    this.metrics.ticks.inc({ role: result.leader ? 'leader' : 'follower' });
    this.metrics.lastSuccess.set(nowMs / 1000);
    return result;
  }

  /** Followers expose the leader's latest snapshots, re-derived by the same core, so any replica can be scraped. */
  private async publishStored(): Promise<void> {
    const [slos, snapshots] = await Promise.all([this.slos.list(), this.snapshots.latest()]);
    const byId = new Map(snapshots.map((s) => [s.sloId, s]));
    const out: { name: string; service: string; status: SloStatus }[] = [];
    for (const slo of slos) {
      const snap = byId.get(slo.id);
      if (!snap) continue;
      try {
        out.push({ name: slo.name, service: slo.service, status: evaluateSlo(toDefinition(slo), new StoredSums(snap.sums), snap.evaluatedAtMs) });
      } catch {
        // Edited since the snapshot (its windows are not the stored ones): shown again after the next tick.
      }
    }
    this.metrics.publish(out);
  }
}
