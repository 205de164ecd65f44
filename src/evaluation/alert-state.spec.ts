import {
  type AlertPhase,
  type AlertState,
  type AlertTransition,
  type StepOptions,
  fingerprint,
  RESOLVED_RETENTION_MS,
  stepAlert,
} from './alert-state.js';
import { MINUTE_MS } from '../kernel/minute-ranges.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');
const MIN = MINUTE_MS;
const labels = { alertname: 'HighErrorRate', service: 'checkout', severity: 'page' };

interface Row {
  /** Minutes after BASE. */
  t: number;
  active: boolean;
  /** Expected state after the step; undefined = no alert kept. */
  state: AlertPhase | undefined;
  transition?: AlertTransition;
}

/** run steps one alert through a table, like Prometheus' rule tests, and returns the final state. */
function run(options: Omit<StepOptions, 'labels'>, rows: Row[], start?: AlertState): AlertState | undefined {
  let state = start;
  for (const row of rows) {
    const { next, transition } = stepAlert(state, row.active, BASE + row.t * MIN, { ...options, labels });
    expect({ t: row.t, state: next?.state, transition }).toEqual({ t: row.t, state: row.state, transition: row.transition });
    state = next;
  }
  return state;
}

describe('stepAlert', () => {
  const timing = { forMs: 2 * MIN, keepFiringForMs: 0, resolvedRetentionMs: RESOLVED_RETENTION_MS };

  it('for: pending until now − activeAt ≥ for, then firing; resolves; kept for the retention, then dropped', () => {
    const final = run(timing, [
      { t: 0, active: false, state: undefined },
      { t: 1, active: true, state: 'pending', transition: 'pending' },
      { t: 2, active: true, state: 'pending' },
      { t: 2.5, active: true, state: 'pending' },
      { t: 3, active: true, state: 'firing', transition: 'firing' }, // exactly 2 m after activeAt
      { t: 4, active: true, state: 'firing' },
      { t: 5, active: false, state: 'inactive', transition: 'resolved' },
      { t: 10, active: false, state: 'inactive' },
      { t: 20, active: false, state: 'inactive' }, // exactly 15 m: still kept
      { t: 20.5, active: false, state: undefined },
    ]);
    expect(final).toBeUndefined();
  });

  it('records activeAt, firedAt and resolvedAt at the evaluation instants', () => {
    let s = stepAlert(undefined, true, BASE, { ...timing, labels, value: 3.5 }).next;
    s = stepAlert(s, true, BASE + 2 * MIN, { ...timing, labels, value: 16 }).next;
    expect(s).toEqual({
      fingerprint: fingerprint(labels),
      labels,
      value: 16,
      state: 'firing',
      activeAt: BASE,
      firedAt: BASE + 2 * MIN,
    });
    s = stepAlert(s, false, BASE + 3 * MIN, { ...timing, labels }).next;
    expect(s).toMatchObject({ state: 'inactive', activeAt: BASE, firedAt: BASE + 2 * MIN, resolvedAt: BASE + 3 * MIN, value: 16 });
  });

  it('a pending alert that goes away is cancelled, never fires', () => {
    run(timing, [
      { t: 0, active: true, state: 'pending', transition: 'pending' },
      { t: 1, active: false, state: undefined, transition: 'cancelled' },
      { t: 2, active: true, state: 'pending', transition: 'pending' }, // the for timer starts over
      { t: 3, active: true, state: 'pending' },
      { t: 4, active: true, state: 'firing', transition: 'firing' },
    ]);
  });

  it('for = 0 fires in the same evaluation the condition appears', () => {
    run({ ...timing, forMs: 0 }, [
      { t: 0, active: true, state: 'firing', transition: 'firing' },
      { t: 0.5, active: false, state: 'inactive', transition: 'resolved' },
    ]);
  });

  it('keep_firing_for: a firing alert stays firing while the condition is gone for less than that', () => {
    run({ ...timing, forMs: 0, keepFiringForMs: 5 * MIN }, [
      { t: 0, active: true, state: 'firing', transition: 'firing' },
      { t: 1, active: false, state: 'firing' }, // keepFiringSince = 1
      { t: 3, active: true, state: 'firing' }, // back: timer forgotten
      { t: 4, active: false, state: 'firing' }, // keepFiringSince = 4
      { t: 8.5, active: false, state: 'firing' },
      { t: 9, active: false, state: 'inactive', transition: 'resolved' }, // 5 m after 4
    ]);
  });

  it('keep_firing_for does not hold a pending alert', () => {
    run({ ...timing, keepFiringForMs: 5 * MIN }, [
      { t: 0, active: true, state: 'pending', transition: 'pending' },
      { t: 1, active: false, state: undefined, transition: 'cancelled' },
    ]);
  });

  it('a resolved alert that comes back is a new alert with fresh timers', () => {
    const resolved = run({ ...timing, forMs: 0 }, [
      { t: 0, active: true, state: 'firing', transition: 'firing' },
      { t: 1, active: false, state: 'inactive', transition: 'resolved' },
    ]);
    const sent: AlertState = { ...resolved!, lastSentAt: BASE + 1 * MIN };
    const { next, transition } = stepAlert(sent, true, BASE + 5 * MIN, { ...timing, forMs: 0, labels });
    expect(transition).toBe('firing');
    expect(next).toEqual({ fingerprint: fingerprint(labels), labels, state: 'firing', activeAt: BASE + 5 * MIN, firedAt: BASE + 5 * MIN });
  });

  it('a restart resumes from the persisted activeAt: the for timer is not reset, the alert does not fire twice', () => {
    const persisted = stepAlert(undefined, true, BASE, { ...timing, labels }).next!;
    const reloaded = JSON.parse(JSON.stringify(persisted)) as AlertState; // as stored and read back
    run(timing, [
      { t: 2, active: true, state: 'firing', transition: 'firing' }, // 2 m after the original activeAt
      { t: 2.5, active: true, state: 'firing' },
    ], reloaded);
  });

  it('never mutates the previous state', () => {
    const prev = Object.freeze(stepAlert(undefined, true, BASE, { ...timing, forMs: 0, labels }).next!);
    expect(() => stepAlert(prev, false, BASE + MIN, { ...timing, keepFiringForMs: MIN, labels })).not.toThrow();
    expect(() => stepAlert(prev, false, BASE + MIN, { ...timing, labels })).not.toThrow();
    expect(prev.state).toBe('firing');
  });
});

describe('fingerprint', () => {
  it('depends on the label set, not on its order', () => {
    expect(fingerprint({ a: '1', b: '2' })).toBe(fingerprint({ b: '2', a: '1' }));
    expect(fingerprint({ a: '1', b: '2' })).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    [{ a: '1' }, { a: '2' }],
    [{ a: '1' }, { a: '1', b: '' }],
    [{ a: 'b,c=' }, { a: 'b', c: '' }],
    [{}, { '': '' }],
  ])('tells %j and %j apart', (x, y) => {
    expect(fingerprint(x)).not.toBe(fingerprint(y));
  });
});
