import { anyCase, closedObject, compileCheck, labelMap, schemaOrder, stringMap, type JsonSchema } from '../common/json-schema.js';
import { HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { NAMEABLE_SPAN_KINDS } from '../kernel/span.model.js';

const MAX_DESCRIPTION = 4096;

/** NO_DATA_AFTER is said for any bad `alerting.noData.after`, by the schema (not a string) or by code (out of range). */
export const NO_DATA_AFTER = 'must be a duration of whole minutes from 5m to 7d, e.g. "15m"';


const whole = (description: string, example: number): JsonSchema => ({
  type: 'integer',
  exclusiveMinimum: 0,
  multipleOf: MINUTE_MS,
  description,
  example,
  'x-message': 'must be a positive whole number of minutes in milliseconds, got {value}',
});

// The tier rules say the same as validatePolicy (evaluation/policy.ts), which
// keeps what a schema cannot: a short window below the long one, and within the period.
const tier = closedObject(
  {
    severity: { type: 'string', enum: ['page', 'ticket'], 'x-message': "must be 'page' or 'ticket', got {value}" },
    longWindowMs: whole('whole minutes, in milliseconds, at most the SLO period', HOUR_MS),
    shortWindowMs: whole('whole minutes, in milliseconds, shorter than longWindowMs', 5 * MINUTE_MS),
    budgetFraction: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      description: 'share of the period budget in (0, 1]: 0.02 is 2 %',
      example: 0.02,
      'x-message': 'must be a number in (0, 1], got {value}',
    },
  },
  { required: ['severity', 'longWindowMs', 'shortWindowMs', 'budgetFraction'], 'x-message': { type: 'must be an object' } },
);

const spanKinds: JsonSchema = {
  type: 'array',
  minItems: 1,
  items: { type: 'string', pattern: `^(${NAMEABLE_SPAN_KINDS.map(anyCase).join('|')})$` },
  description: `${NAMEABLE_SPAN_KINDS.join(', ')} (any case); default server and consumer`,
  example: ['server'],
  'x-message': `must be a non-empty list of ${NAMEABLE_SPAN_KINDS.join(', ')}`,
};

const indicatorExample = 'e.g. {"type": "availability"} or {"type": "latency", "thresholdMs": 300}';
const trueOrFalse = (description: string): JsonSchema => ({ type: 'boolean', description, 'x-message': 'must be true or false' });

/**
 * SLO_SCHEMA describes an SLO definition as POST/PUT/PATCH take it and GET
 * returns it, and judges every value it can say: types, enums, patterns,
 * lengths, bounds. What it cannot say (a window or duration parses, an
 * objective below 1 looks like a ratio, a policy's tiers fit together) is
 * left to validateSloSpec. Fields GET adds (id, version, timestamps,
 * warnings) are read-only: a definition fetched, edited and sent back is
 * accepted, and they are ignored. Anything else not listed here is refused.
 * Messages may show the refused value: an SLO holds no secrets.
 */
export const SLO_SCHEMA: JsonSchema = closedObject(
  {
    name: {
      type: 'string',
      pattern: '^[a-zA-Z0-9][a-zA-Z0-9._:-]{0,127}$',
      example: 'checkout-availability',
      'x-message': 'must be 1-128 characters of letters, digits, . _ : - (starting with a letter or digit)',
    },
    service: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description: 'the service.name of its spans',
      example: 'checkout',
      'x-message': 'must be a non-empty string (the service.name of its spans)',
    },
    description: { type: 'string', maxLength: MAX_DESCRIPTION, 'x-message': `must be a string of at most ${MAX_DESCRIPTION} characters` },
    indicator: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      oneOf: [
        closedObject({
          type: { const: 'availability' },
          clientErrorsAreBad: trueOrFalse('4xx on server spans count as bad'),
          ignoreStatusCodes: {
            type: 'array',
            items: { type: 'integer', minimum: 100, maximum: 599 },
            description: 'HTTP codes not counted at all',
            example: [429],
            'x-message': 'must be a list of HTTP status codes (100..599)',
          },
        }),
        closedObject(
          {
            type: { const: 'latency' },
            thresholdMs: {
              type: 'number',
              exclusiveMinimum: 0,
              maximum: HOUR_MS,
              description: 'good = duration <= threshold',
              example: 300,
              'x-message': `must be a number of milliseconds > 0 and <= ${HOUR_MS}`,
            },
            requireSuccess: trueOrFalse('a failed fast span is bad (default true)'),
          },
          { required: ['type', 'thresholdMs'] },
        ),
      ],
      'x-message': { required: `is required, ${indicatorExample}`, type: `must be an object, ${indicatorExample}`, discriminator: 'must be "availability" or "latency"' },
    },
    selector: closedObject(
      {
        operations: {
          type: 'array',
          items: { type: 'string', minLength: 1, maxLength: 1024 },
          description: 'span names, exact or * ? globs; empty = all',
          'x-message': 'must be a list of operation names or globs',
        },
        spanKinds,
        attributes: stringMap({ description: 'attribute equality' }),
      },
      { 'x-message': { type: 'must be an object' } },
    ),
    objective: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 100,
      description: 'percentage, e.g. 99.9',
      example: 99.9,
      'x-message': 'must be a percentage strictly between 0 and 100, e.g. 99.9',
    },
    window: {
      type: 'string',
      description: 'rolling "Nd" (1..90) or calendar "month:<IANA zone>" / "week:<IANA zone>"',
      example: '30d',
      'x-message': 'must be "Nd" (1..90) or "month:<IANA zone>" / "week:<IANA zone>"',
    },
    labels: labelMap(),
    runbookUrl: { type: ['string', 'null'], pattern: '^[hH][tT][tT][pP][sS]?://', description: 'http(s) URL', 'x-message': 'must be an http(s) URL' },
    channels: {
      type: 'array',
      items: { type: 'string' },
      description: 'names or ids of existing channels; none = the default channels',
      'x-message': 'must be a list of channel names or ids',
    },
    alerting: closedObject(
      {
        policy: closedObject(
          { tiers: { type: 'array', items: tier, 'x-message': { type: 'must be a list of tiers', required: 'must be a list of tiers' } } },
          { required: ['tiers'], 'x-message': { type: 'must be an object, e.g. {"tiers": [...]}' } },
        ),
        minEvents: {
          type: 'integer',
          minimum: 0,
          description: "events a tier's long window needs before it may fire (default 100)",
          'x-message': 'must be a whole number >= 0',
        },
        budgetExhaustion: closedObject(
          {
            belowPercent: { type: 'number', exclusiveMinimum: 0, maximum: 100, example: 10, 'x-message': 'must be a percentage in (0, 100], e.g. 10' },
          },
          { required: ['belowPercent'], 'x-message': { type: 'must be an object, e.g. {"belowPercent": 10}' } },
        ),
        noData: closedObject(
          { after: { type: 'string', description: 'whole minutes from 5m to 7d', example: '15m', 'x-message': NO_DATA_AFTER } },
          { required: ['after'], 'x-message': { type: 'must be an object, e.g. {"after": "15m"}' } },
        ),
        minWindowCoverage: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          description: "share of a tier's window the SLO's history must cover before its burn rate is taken at face value (default 0.5)",
          'x-message': 'must be a number from 0 to 1 (0 turns the partial-window guard off)',
        },
      },
      { 'x-message': { type: 'must be an object' } },
    ),
    id: { type: 'string', readOnly: true },
    version: { type: 'integer', readOnly: true },
    createdAt: { type: 'string', readOnly: true },
    updatedAt: { type: 'string', readOnly: true },
    approximateUntil: { type: ['string', 'null'], readOnly: true },
    warnings: { type: 'array', items: { type: 'string' }, readOnly: true },
  },
  { required: ['name', 'service', 'indicator', 'objective', 'window'], 'x-message': { type: 'must be a JSON object' } },
);

/** checkSlo reports every problem SLO_SCHEMA finds in a body, each naming its path. */
export const checkSlo = compileCheck(SLO_SCHEMA, { echo: true });

/** inSloOrder sorts problems in the order SLO_SCHEMA lists their fields. */
export const inSloOrder = schemaOrder(SLO_SCHEMA);
