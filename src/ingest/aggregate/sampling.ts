import type { SpanRecord } from '../../kernel/span.model.js';

/**
 * Adjusted count = how many spans of the original traffic this one stands
 * for (1 / sampling probability). Counting sampled spans with it keeps
 * rates and error ratios unbiased; unsampled traffic counts exactly 1.
 *
 * Sources, in order of trust:
 *  1. OpenTelemetry probability sampling: tracestate `ot=th:<hex>`. The
 *     threshold is the rejection threshold R over 56-bit randomness
 *     (1–14 hex digits, right-padded with zeros to 14), so
 *     probability = (2^56 − R) / 2^56 and count = 2^56 / (2^56 − R).
 *  2. A configured attribute (e.g. `SampleRate`, "1 in N").
 *  3. Otherwise 1.
 */

const TWO_POW_56 = 2n ** 56n;
const TH_PATTERN = /^[0-9a-fA-F]{1,14}$/;

/**
 * Adjusted count for the threshold `th` (without the `th:` prefix), or
 * undefined when it is not a valid threshold. BigInt because R has 56
 * significant bits and a double holds only 53; the final division rounds
 * once, which is as exact as a double count can be.
 */
export function adjustedCountFromThreshold(th: string): number | undefined {
  if (!TH_PATTERN.test(th)) return undefined;
  const r = BigInt('0x' + th.padEnd(14, '0'));
  return Number(TWO_POW_56) / Number(TWO_POW_56 - r);
}

/**
 * The `th` sub-key of the `ot` list-member of a W3C tracestate, or
 * undefined. Tolerates whitespace around members (W3C allows it), and,
 * beyond the letter of W3C, around `=`, `;` and `:`; empty members are
 * skipped. The first `ot` member wins, as a well-formed tracestate has only
 * one.
 */
export function thresholdFromTraceState(traceState: string): string | undefined {
  // Cheap pre-check: most tracestates carry no `ot` member at all.
  if (!traceState.includes('ot')) return undefined;
  for (const member of traceState.split(',')) {
    const eq = member.indexOf('=');
    if (eq < 0 || member.slice(0, eq).trim() !== 'ot') continue;
    for (const field of member.slice(eq + 1).split(';')) {
      const colon = field.indexOf(':');
      if (colon >= 0 && field.slice(0, colon).trim() === 'th') return field.slice(colon + 1).trim();
    }
    return undefined;
  }
  return undefined;
}

/** "1 in N" from an attribute value: a finite number ≥ 1, or a string holding one. */
function sampleRateFromAttribute(value: string | number | boolean | undefined): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '') n = Number(value);
  else return undefined;
  return Number.isFinite(n) && n >= 1 ? n : undefined;
}

// Within a batch nearly every span of a service carries the same tracestate
// threshold; remembering the last one skips the BigInt work on the hot path.
let lastTh = '';
let lastCount: number | undefined;

export function adjustedCount(span: SpanRecord, sampleRateAttribute: string | undefined): number {
  const th = thresholdFromTraceState(span.traceState);
  if (th !== undefined) {
    if (th !== lastTh) {
      lastTh = th;
      lastCount = adjustedCountFromThreshold(th);
    }
    // An invalid th says nothing reliable about sampling: fall through.
    if (lastCount !== undefined) return lastCount;
  }
  if (sampleRateAttribute !== undefined) {
    const n = sampleRateFromAttribute(span.attributes.get(sampleRateAttribute));
    if (n !== undefined) return n;
  }
  return 1;
}
