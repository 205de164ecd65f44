import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { MinuteCounts } from '../../test/support/minute-counts.js';
import { evaluateSlo } from '../evaluation/slo-evaluator.js';
import { parseWindow } from '../evaluation/windows.js';
import { MissingSum, StoredSums, SumsRecorder } from './snapshot-sums.js';

describe('compact SLO snapshots', () => {
  const now = Date.UTC(2026, 10, 29, 18, 42, 17);
  const counts = new MinuteCounts();
  for (let t = now - 35 * DAY_MS; t <= now; t += 7 * MINUTE_MS + 13_000) counts.add(t, t % 3 === 0 ? 0 : 5, 5);

  it.each(['30d', '7d', 'month:Europe/Berlin', 'week'])('re-derive the very status they were taken from (%s)', (window) => {
    const def = { objective: 99.5, window: parseWindow(window) };
    const recorder = new SumsRecorder(counts);
    const status = evaluateSlo(def, recorder, now);
    const encoded = recorder.encode(status.bounds.endMs);
    expect(encoded.length).toBeLessThan(400);
    expect(evaluateSlo(def, new StoredSums(JSON.parse(encoded)), now)).toEqual(status);
  });

  it('refuse a window they do not hold (the definition changed since)', () => {
    const recorder = new SumsRecorder(counts);
    evaluateSlo({ objective: 99, window: parseWindow('7d') }, recorder, now);
    const stored = new StoredSums(JSON.parse(recorder.encode(Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS)));
    expect(() => evaluateSlo({ objective: 99, window: parseWindow('30d') }, stored, now)).toThrow(MissingSum);
    expect(stored.sum(Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS - HOUR_MS, Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS).total).toBeGreaterThan(0);
  });
});
