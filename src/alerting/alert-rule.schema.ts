import { closedObject, compileShape, type JsonSchema } from '../common/json-schema.js';

const duration = (example: string): JsonSchema => ({ type: 'string', description: 'duration such as 30s, 5m, 1h', example });
const window = duration('5m');
const strings = { type: 'array', items: { type: 'string' } };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

/**
 * ALERT_RULE_SCHEMA describes a symptom rule as the API takes and returns it
 * (id, version and timestamps are read-only and ignored on write). Fields it
 * does not list are refused.
 */
export const ALERT_RULE_SCHEMA: JsonSchema = closedObject(
  {
    name: { type: 'string', example: 'checkout-5xx' },
    selector: closedObject(
      {
        service: { type: 'string', example: 'checkout' },
        operations: { ...strings, description: 'span names, exact or * ? globs; empty = all' },
        spanKinds: { type: 'array', items: { type: 'string', enum: ['internal', 'server', 'client', 'producer', 'consumer'] } },
      },
      { required: ['service'] },
    ),
    condition: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      oneOf: [
        closedObject({
          type: { const: 'error_ratio' },
          window,
          threshold: { type: 'number', description: 'ratio in [0, 1): fires above it', example: 0.05 },
          minCalls: { type: 'integer', minimum: 1 },
        }),
        closedObject({
          type: { const: 'latency' },
          window,
          percentile: { type: 'integer', enum: [50, 90, 95, 99] },
          thresholdMs: { type: 'number', example: 500 },
          minCalls: { type: 'integer', minimum: 1 },
        }),
        closedObject({
          type: { const: 'traffic' },
          window,
          baseline: { type: 'string', enum: ['last_week', 'trailing_mean'] },
          trailingWindows: { type: 'integer', minimum: 1 },
          deviationPercent: { type: 'number', example: 50 },
          direction: { type: 'string', enum: ['up', 'down', 'both'] },
          minCalls: { type: 'integer', minimum: 1 },
        }),
      ],
    },
    for: duration('2m'),
    keepFiringFor: duration('5m'),
    severity: { type: 'string', enum: ['page', 'ticket', 'info'] },
    labels: stringMap,
    annotations: stringMap,
    channels: { ...strings, description: 'names or ids of existing channels; none = the default channels' },
    id: { type: 'string', readOnly: true },
    version: { type: 'integer', readOnly: true },
    createdAt: { type: 'string', readOnly: true },
    updatedAt: { type: 'string', readOnly: true },
  },
  { required: ['name', 'selector', 'condition', 'severity'] },
);

/** checkAlertRuleShape refuses fields a symptom rule does not have, naming their path. */
export const checkAlertRuleShape = compileShape(ALERT_RULE_SCHEMA);
