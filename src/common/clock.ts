/**
 * Clock is where a service that keeps its own time reads "now". Production
 * uses the system clock; a test hands the service a clock it moves itself,
 * so timing rules (pacing, retry times) are checked exactly, without waiting.
 */
export interface Clock {
  now(): number;
}

/** Injection token for a Clock; services fall back to systemClock when none is provided. */
export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };
