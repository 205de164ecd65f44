import { AlertingService } from '../../src/alerting/alerting.service.js';
import { EvaluationScheduler } from '../../src/alerting/evaluation.scheduler.js';
import type { TickResult } from '../../src/slo/slo-evaluation.service.js';
import type { TestApp } from './test-app.js';

/**
 * TickDriver is the medium tier's clock: it stops the app's evaluation
 * timer and runs ticks itself at times the test chooses, so a test says
 * "three seconds later" by advancing `now` instead of sleeping. Only time
 * handed to the evaluator is explicit; the database and the dispatcher run
 * as in production.
 */
export class TickDriver {
  constructor(
    private readonly t: TestApp,
    public now: number,
  ) {}

  /** explicit stops the app's own scheduled ticks (waiting for one in flight) and starts the clock at startMs. */
  static async explicit(t: TestApp, startMs: number): Promise<TickDriver> {
    await t.app.get(EvaluationScheduler).onApplicationShutdown();
    return new TickDriver(t, startMs);
  }

  /**
   * catchUp brings the clock up to the wall clock if it fell behind: what
   * the API stamps (silences, spans) carries real time, and a tick before
   * it would not see it.
   */
  catchUp(): void {
    this.now = Math.max(this.now, Date.now());
  }

  /**
   * tick advances the clock by `advanceMs` and evaluates that moment. The
   * slot is the moment itself: every explicit tick is a new slot, whatever
   * EVAL_INTERVAL_SECONDS is.
   */
  async tick(advanceMs = 1000): Promise<TickResult> {
    this.now += advanceMs;
    return this.t.app.get(AlertingService).tick(this.now, this.now);
  }
}
