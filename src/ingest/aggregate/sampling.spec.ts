import type { SpanRecord } from '../../kernel/span.model.js';
import { adjustedCount, adjustedCountFromThreshold, thresholdFromTraceState } from './sampling.js';

function span(traceState: string, attributes: Record<string, string | number | boolean> = {}): SpanRecord {
  return {
    service: 'checkout',
    name: 'GET /cart',
    kind: 2,
    startMs: 1_700_000_000_000,
    durationMs: 12,
    statusCode: 0,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    traceState,
    attributes: new Map(Object.entries(attributes)),
  };
}

describe('adjustedCount from tracestate ot=th', () => {
  // Expectations are 2^56 / (2^56 − R) with R = th right-padded to 14 hex digits.
  it.each([
    ['ot=th:0', 1],
    ['ot=th:8', 2], // R = 2^55
    ['ot=th:c', 4], // R = 3·2^54
    ['ot=th:f', 16], // R = 15·2^52
    ['ot=th:1', 16 / 15], // R = 2^52
    ['ot=th:fd70a3d70a3d71', 2 ** 56 / 720575940379279], // ≈ 1 in 100
    ['ot=th:ffffffffffffff', 2 ** 56], // the smallest probability, 2^-56
    ['ot=th:80', 2], // trailing zeros are redundant but mean the same
  ])('%s → %d', (traceState, expected) => {
    expect(adjustedCount(span(traceState), undefined)).toBe(expected);
  });

  it('treats th:fd70a3d70a3d71 as 1-in-100 sampling', () => {
    expect(adjustedCount(span('ot=th:fd70a3d70a3d71'), undefined)).toBeCloseTo(100, 10);
  });

  it('finds ot among other vendors, with whitespace and other ot sub-keys', () => {
    expect(adjustedCount(span('congo=t61rcWkgMzE, ot=rv:1a2b3c4d5e6f70;th:c , rojo=00f067aa0ba902b7'), undefined)).toBe(4);
    expect(adjustedCount(span(' ot = th : 8 ; rv:ab'), undefined)).toBe(2);
    expect(adjustedCount(span(',,ot=th:8,,'), undefined)).toBe(2);
    expect(thresholdFromTraceState('xot=th:8')).toBeUndefined();
    expect(thresholdFromTraceState('vendor=ot=th:8')).toBeUndefined();
    expect(thresholdFromTraceState('ot=rv:00112233445566')).toBeUndefined();
  });

  it.each(['ot=th:', 'ot=th:xyz', 'ot=th:0123456789abcde', 'ot=th:-1', 'ot=th:8.5', 'ot=th'])(
    'ignores the invalid threshold in %j',
    (traceState) => {
      expect(adjustedCount(span(traceState), undefined)).toBe(1);
      expect(adjustedCount(span(traceState, { SampleRate: 10 }), 'SampleRate')).toBe(10);
    },
  );

  it('rejects thresholds that are not 1–14 hex digits', () => {
    expect(adjustedCountFromThreshold('')).toBeUndefined();
    expect(adjustedCountFromThreshold('g')).toBeUndefined();
    expect(adjustedCountFromThreshold('123456789abcdef')).toBeUndefined();
  });

  it('prefers th over the SampleRate attribute', () => {
    expect(adjustedCount(span('ot=th:8', { SampleRate: 50 }), 'SampleRate')).toBe(2);
  });

  it('gives the right count when consecutive spans alternate thresholds', () => {
    const counts = ['ot=th:8', 'ot=th:c', 'ot=th:8', 'ot=th:zz', 'ot=th:c'].map((ts) => adjustedCount(span(ts), undefined));
    expect(counts).toEqual([2, 4, 2, 1, 4]);
  });
});

describe('adjustedCount from a sample-rate attribute', () => {
  it('reads a 1-in-N rate from a number or numeric string', () => {
    expect(adjustedCount(span('', { SampleRate: 20 }), 'SampleRate')).toBe(20);
    expect(adjustedCount(span('', { SampleRate: '5' }), 'SampleRate')).toBe(5);
    expect(adjustedCount(span('', { SampleRate: 2.5 }), 'SampleRate')).toBe(2.5);
    expect(adjustedCount(span('', { SampleRate: 1 }), 'SampleRate')).toBe(1);
  });

  it.each([0, 0.5, -3, NaN, Infinity, '', 'ten', true])('ignores %p', (value) => {
    expect(adjustedCount(span('', { SampleRate: value }), 'SampleRate')).toBe(1);
  });

  it('is not read unless configured, and counts 1 with no sampling information', () => {
    expect(adjustedCount(span('', { SampleRate: 20 }), undefined)).toBe(1);
    expect(adjustedCount(span('', {}), 'SampleRate')).toBe(1);
    expect(adjustedCount(span('rojo=00f067aa0ba902b7'), undefined)).toBe(1);
  });
});
