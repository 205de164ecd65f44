import type { SpanRecord } from '../../kernel/span.model.js';

/**
 * Which attribute keys the engine needs. Everything else in a span is
 * skipped at decode time; `service.name` is always read from the resource
 * (it fills SpanRecord.service) whether or not it is listed here.
 */
export interface AttributeWanted {
  keys: Set<string>;
}

export interface DecodeResult {
  spans: SpanRecord[];
}

export type AttrValue = string | number | boolean;

export const SERVICE_NAME_KEY = 'service.name';
