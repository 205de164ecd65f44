import { anyCase, closedObject, compileCheck, labelMap, schemaOrder, stringMap, type JsonSchema } from '../common/json-schema.js';
import { formatDuration } from '../evaluation/windows.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { NAMEABLE_SPAN_KINDS } from '../kernel/span.model.js';

/** Condition windows: whole minutes (RED counts are stored per minute), up to a week. */
export const MIN_WINDOW_MS = MINUTE_MS;
export const MAX_WINDOW_MS = 7 * DAY_MS;
/** MAX_HOLD_MS caps `for` and `keepFiringFor`: longer holds hide outages rather than de-noise them. */
export const MAX_HOLD_MS = 7 * DAY_MS;


/** durationRange is how messages write a duration field's bounds: `1m to 1w`, `0s to 1w`. */
export function durationRange(minMs: number, maxMs: number): string {
  return `${minMs === 0 ? '0s' : formatDuration(minMs)} to ${formatDuration(maxMs)}`;
}

// The schema can only say "a string": parsing it, its range and whole minutes are alert-rule.validation.ts's.
const duration = (example: string, minMs: number, maxMs: number): JsonSchema => ({
  type: 'string',
  description: `duration such as 30s, 5m, 1h (${durationRange(minMs, maxMs)})`,
  example,
  'x-message': `must be a duration such as "5m" or "1h" (${durationRange(minMs, maxMs)}), got {value}`,
});
const window = duration('5m', MIN_WINDOW_MS, MAX_WINDOW_MS);
const hold = (example: string) => duration(example, 0, MAX_HOLD_MS);

/** minCalls is at least 1, so a ratio or deviation is never taken over zero calls. */
const minCalls = (meaning: string, byDefault: number): JsonSchema => ({
  type: 'integer',
  minimum: 1,
  description: `${meaning} (default ${byDefault})`,
  'x-message': `must be a whole number >= 1 (${meaning}), got {value}`,
});
const callsInWindow = minCalls('the fewest calls in the window for the rule to fire', 10);


const kinds = NAMEABLE_SPAN_KINDS.join(', ');
const CONDITION_EXAMPLE = 'e.g. {"type": "error_ratio", "window": "5m", "threshold": 0.05}';
const SELECTOR_EXAMPLE = 'e.g. {"service": "checkout"}';

/**
 * ALERT_RULE_SCHEMA describes a symptom rule as the API takes and returns it
 * (id, version and timestamps are read-only and ignored on write), and judges
 * every value it can say: types, enums, patterns, lengths, bounds. Fields it
 * does not list are refused. What it cannot say (durations parse and fit
 * their range, how far back a trailing mean reads, a drop beyond 100 %) is
 * alert-rule.validation.ts's. Messages may show the refused value: a rule
 * holds no secrets.
 */
export const ALERT_RULE_SCHEMA: JsonSchema = closedObject(
  {
    name: {
      type: 'string',
      pattern: '^[a-zA-Z0-9][a-zA-Z0-9._:-]{0,127}$',
      example: 'checkout-5xx',
      'x-message': 'must be 1-128 letters, digits or . _ : - starting with a letter or digit, got {value}',
    },
    selector: closedObject(
      {
        service: {
          type: 'string',
          minLength: 1,
          maxLength: 1024,
          description: 'the service.name of its spans',
          example: 'checkout',
          'x-message': { required: 'is required', '*': 'must be a non-empty string (a service.name), got {value}' },
        },
        operations: {
          type: 'array',
          items: { type: 'string', minLength: 1, maxLength: 1024 },
          description: 'span names, exact or * ? globs; empty = all',
          'x-message': 'must be a list of operation names or globs (empty = every operation)',
        },
        spanKinds: {
          type: 'array',
          minItems: 1,
          // As on /metrics too: `SPAN_KIND_SERVER`, so users can paste a label value.
          items: { type: 'string', pattern: `^(${anyCase('span_kind_')})?(${NAMEABLE_SPAN_KINDS.map(anyCase).join('|')})$` },
          description: `${kinds} (any case, SPAN_KIND_ prefix allowed); default server and consumer`,
          example: ['server'],
          'x-message': `must be a non-empty list of ${kinds}, got {value}`,
        },
      },
      { required: ['service'], 'x-message': { required: `is required, ${SELECTOR_EXAMPLE}`, type: `must be an object, ${SELECTOR_EXAMPLE}` } },
    ),
    condition: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      oneOf: [
        closedObject(
          {
            type: { const: 'error_ratio' },
            window,
            threshold: {
              // Fires when the ratio is above the threshold, so 1 could never fire, while 0 means "any error".
              type: 'number',
              minimum: 0,
              exclusiveMaximum: 1,
              description: 'ratio in [0, 1): fires above it',
              example: 0.05,
              'x-message': 'must be a ratio in [0, 1) (0.05 is 5%; the rule fires above it), got {value}',
            },
            minCalls: callsInWindow,
          },
          { required: ['type', 'window', 'threshold'] },
        ),
        closedObject(
          {
            type: { const: 'latency' },
            window,
            percentile: { type: 'integer', enum: [50, 90, 95, 99], 'x-message': 'must be one of 50, 90, 95, 99, got {value}' },
            thresholdMs: {
              type: 'number',
              exclusiveMinimum: 0,
              maximum: HOUR_MS,
              example: 500,
              'x-message': `must be a number of milliseconds > 0 and <= ${HOUR_MS}, got {value}`,
            },
            minCalls: callsInWindow,
          },
          { required: ['type', 'window', 'percentile', 'thresholdMs'] },
        ),
        closedObject(
          {
            type: { const: 'traffic' },
            window,
            baseline: { type: 'string', enum: ['last_week', 'trailing_mean'], 'x-message': "must be 'last_week' or 'trailing_mean', got {value}" },
            trailingWindows: {
              type: 'integer',
              minimum: 1,
              description: "previous windows averaged, for baseline 'trailing_mean' only (default 6)",
              'x-message': 'must be a whole number >= 1 (previous windows averaged), got {value}',
            },
            deviationPercent: {
              type: 'number',
              exclusiveMinimum: 0,
              maximum: 10_000,
              description: "at most 100 for direction 'down'",
              example: 50,
              'x-message': 'must be a percentage > 0 and <= 10000, got {value}',
            },
            direction: { type: 'string', enum: ['up', 'down', 'both'], description: 'default both', 'x-message': "must be 'up', 'down' or 'both', got {value}" },
            minCalls: minCalls('the least baseline traffic for the rule to fire', 100),
          },
          { required: ['type', 'window', 'baseline', 'deviationPercent'] },
        ),
      ],
      'x-message': {
        required: `is required, ${CONDITION_EXAMPLE}`,
        type: `must be an object, ${CONDITION_EXAMPLE}`,
        discriminator: "must be 'error_ratio', 'latency' or 'traffic', got {value}",
      },
    },
    for: hold('2m'),
    keepFiringFor: hold('5m'),
    severity: { type: 'string', enum: ['page', 'ticket', 'info'], 'x-message': "must be 'page', 'ticket' or 'info', got {value}" },
    labels: labelMap(),
    annotations: stringMap(),
    channels: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'names or ids of existing channels; none = the default channels',
      'x-message': 'must be a list of channel ids',
    },
    id: { type: 'string', readOnly: true },
    version: { type: 'integer', readOnly: true },
    createdAt: { type: 'string', readOnly: true },
    updatedAt: { type: 'string', readOnly: true },
  },
  { required: ['name', 'selector', 'condition', 'severity'], 'x-message': { type: 'must be a JSON object' } },
);

/** checkAlertRule reports every problem ALERT_RULE_SCHEMA finds in a body, each naming its path. */
export const checkAlertRule = compileCheck(ALERT_RULE_SCHEMA, { echo: true });

/** inRuleOrder sorts problems in the order ALERT_RULE_SCHEMA lists their fields. */
export const inRuleOrder = schemaOrder(ALERT_RULE_SCHEMA);

/** ALERT_RULE_EXAMPLE is the rule /docs shows: 5xx ratio on checkout's cart endpoint. Specs start from it too. */
export const ALERT_RULE_EXAMPLE = Object.freeze({
  name: 'checkout-5xx',
  selector: { service: 'checkout', operations: ['POST /cart'], spanKinds: ['server'] },
  condition: { type: 'error_ratio', window: '5m', threshold: 0.05, minCalls: 20 },
  for: '2m',
  keepFiringFor: '5m',
  severity: 'page',
  labels: { team: 'payments' },
  annotations: { summary: 'checkout is failing' },
  channels: [] as string[],
});
