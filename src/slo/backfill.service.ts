import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HOUR_MS } from '../kernel/minute-ranges.js';
import { RedSliRepository, type RedSliBucket } from '../red/red-sli.repository.js';
import { SliRepository } from './sli.repository.js';
import type { SloSpec } from './slo.types.js';

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/**
 * BackfillService gives a new or edited SLO history at once by rebuilding
 * its counts from the stored RED rows (read by red's RedSliRepository) and
 * adding them to the SLO's sli rows. It is approximate, and marked so:
 * latency uses the 2% histogram instead of each span's duration, HTTP-status
 * options cannot be applied (RED rows do not keep status codes), and an
 * attribute selector can only be honoured through configured dimensions —
 * when it cannot, no history is made rather than a wrong one.
 */
@Injectable()
export class BackfillService {
  constructor(
    private readonly red: RedSliRepository,
    private readonly sli: SliRepository,
  ) {}

  /** backfill fills [fromMs, toMs) inside `m` and returns whether it found any history. */
  async backfill(m: EntityManager, sloId: string, spec: SloSpec, fromMs: number, toMs: number): Promise<boolean> {
    if (toMs <= fromMs) return false;
    const attributes = Object.keys(spec.selector.attributes);
    if (attributes.length > 0 && !(await this.red.hasDimensions(m, spec.service, attributes))) return false;
    const minutes = await this.red.buckets(m, spec, 'minute', fromMs, toMs);
    // Hour rows: whole hours only, so the live counts of the current hour are not doubled;
    // from the hour holding `from`, which windows past minute retention read whole.
    const hours = await this.red.buckets(m, spec, 'hour', floorHour(fromMs), floorHour(toMs));
    if (minutes.length + hours.length === 0) return false;
    // The partial hour before `to`: its rebuilt minutes, added to that hour's row.
    const partialFrom = Math.max(fromMs, floorHour(toMs));
    const partial = minutes.filter((r) => r.bucketMs >= partialFrom);
    if (partial.length > 0) {
      hours.push({ bucketMs: floorHour(toMs), good: sum(partial, 'good'), total: sum(partial, 'total') });
    }
    await this.sli.write(m, 'sli_minute', minutes.map((r) => ({ sloId, ...r })));
    await this.sli.write(m, 'sli_hour', hours.map((r) => ({ sloId, ...r })));
    return true;
  }
}

function sum(rows: readonly RedSliBucket[], key: 'good' | 'total'): number {
  let n = 0;
  for (const r of rows) n += r[key];
  return n;
}
