import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** One advisory lock key for "the evaluator": any constant unique to Burnwatch. */
export const EVALUATOR_LOCK_KEY = 0x6275726e; // 'burn'

/** What claiming a tick slot found: not ours, or ours with the slot the previous leader ran. */
export type TickClaim = { claimed: false } | { claimed: true; previousTickMs: number | undefined };

/**
 * EvaluatorTickRepository is the evaluator's bookkeeping: the
 * transaction-level advisory lock that makes replicas take turns (never a
 * session lock, which a pooled connection would keep after the tick), and
 * the `evaluator_tick` row that makes each slot count once.
 */
@Injectable()
export class EvaluatorTickRepository {
  /**
   * claim takes the slot `tickMs` inside the caller's transaction `m`: the
   * lock, then the last slot evaluated; a slot already done (by this or
   * another replica) is not claimed again. The lock and the new slot are
   * released and committed with the transaction.
   */
  async claim(m: EntityManager, tickMs: number): Promise<TickClaim> {
    const [{ locked }]: { locked: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [EVALUATOR_LOCK_KEY]);
    if (!locked) return { claimed: false };
    // The window reads join on ranges PostgreSQL cannot estimate (bounds are
    // parameters), so it expects millions of rows and JIT-compiles queries
    // that read thousands: compiling cost more than the reads themselves.
    await m.query(`SET LOCAL jit = off`);
    const done: { last_tick_ms: string }[] = await m.query(`SELECT last_tick_ms FROM evaluator_tick WHERE id = 1`);
    const previousTickMs = done.length ? Number(done[0].last_tick_ms) : undefined;
    if (previousTickMs !== undefined && previousTickMs >= tickMs) return { claimed: false };
    await m.query(
      `INSERT INTO evaluator_tick (id, last_tick_ms, completed_at) VALUES (1, $1, now())
       ON CONFLICT (id) DO UPDATE SET last_tick_ms = excluded.last_tick_ms, completed_at = excluded.completed_at`,
      [tickMs],
    );
    return { claimed: true, previousTickMs };
  }
}
