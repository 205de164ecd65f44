import type { SpanRecord } from '../kernel/span.model.js';
import type { Slo } from './slo.types.js';
import { globSource, isGlob } from '../common/patterns.js';

/** Verdict of one span against one SLO. */
export const NOT_COUNTED = 0;
export const GOOD = 1;
export const BAD = 2;
export type Verdict = typeof NOT_COUNTED | typeof GOOD | typeof BAD;

interface CompiledSlo {
  id: string;
  exact: Set<string> | undefined;
  globs: RegExp[];
  kinds: Set<number>;
  attributes: [string, string][];
  judge: (span: SpanRecord, error: boolean) => Verdict;
}


function httpStatus(span: SpanRecord): number | undefined {
  const v = span.attributes.get('http.response.status_code') ?? span.attributes.get('http.status_code');
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

function compile(slo: Slo): CompiledSlo {
  const ops = slo.selector.operations;
  const exact = ops.filter((o) => !isGlob(o));
  const ind = slo.indicator;
  let judge: CompiledSlo['judge'];
  if (ind.type === 'availability') {
    const ignored = new Set(ind.ignoreStatusCodes);
    judge = (span, error) => {
      const status = ignored.size > 0 || ind.clientErrorsAreBad ? httpStatus(span) : undefined;
      if (status !== undefined && ignored.has(status)) return NOT_COUNTED;
      if (error) return BAD;
      if (ind.clientErrorsAreBad && status !== undefined && status >= 400 && status < 500) return BAD;
      return GOOD;
    };
  } else {
    const threshold = ind.thresholdMs;
    judge = (span, error) => (span.durationMs <= threshold && !(ind.requireSuccess && error) ? GOOD : BAD);
  }
  return {
    id: slo.id,
    exact: ops.length === 0 ? undefined : new Set(exact),
    globs: ops.filter((o) => isGlob(o)).map((g) => new RegExp(globSource(g), 's')),
    kinds: new Set(slo.selector.spanKinds),
    attributes: Object.entries(slo.selector.attributes),
    judge,
  };
}

function selects(c: CompiledSlo, span: SpanRecord): boolean {
  if (!c.kinds.has(span.kind)) return false;
  if (c.exact !== undefined && !c.exact.has(span.name) && !c.globs.some((g) => g.test(span.name))) return false;
  for (const [k, v] of c.attributes) {
    const a = span.attributes.get(k);
    if (a === undefined || String(a) !== v) return false;
  }
  return true;
}

/**
 * SloMatcher decides, per span, which SLOs count it and whether it is good —
 * against each SLO's own threshold, so counts are exact, never interpolated
 * from a histogram. SLOs are indexed by service: a span only meets the SLOs
 * of its own service.
 */
export class SloMatcher {
  private readonly byService = new Map<string, CompiledSlo[]>();
  /** Attribute keys the SLO selectors and indicators read; the decoders must keep them. */
  readonly attributeKeys: Set<string> = new Set();

  constructor(slos: readonly Slo[]) {
    for (const slo of slos) {
      const list = this.byService.get(slo.service) ?? [];
      list.push(compile(slo));
      this.byService.set(slo.service, list);
      for (const k of Object.keys(slo.selector.attributes)) this.attributeKeys.add(k);
    }
  }

  /** match calls `count` for every SLO that counts the span. */
  match(span: SpanRecord, error: boolean, count: (sloId: string, good: boolean) => void): void {
    const list = this.byService.get(span.service);
    if (list === undefined) return;
    for (const c of list) {
      if (!selects(c, span)) continue;
      const v = c.judge(span, error);
      if (v !== NOT_COUNTED) count(c.id, v === GOOD);
    }
  }
}
