import { closedObject, compileShape, type JsonSchema } from '../common/json-schema.js';
import { HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';

const strings = { type: 'array', items: { type: 'string' } };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

const tier = closedObject(
  {
    severity: { type: 'string', enum: ['page', 'ticket'] },
    longWindowMs: { type: 'integer', description: 'whole minutes, in milliseconds', example: HOUR_MS },
    shortWindowMs: { type: 'integer', description: 'whole minutes, in milliseconds, shorter than longWindowMs', example: 5 * MINUTE_MS },
    budgetFraction: { type: 'number', description: 'share of the period budget in (0, 1]: 0.02 is 2 %', example: 0.02 },
  },
  { required: ['severity', 'longWindowMs', 'shortWindowMs', 'budgetFraction'] },
);

/**
 * SLO_SCHEMA describes an SLO definition as POST/PUT/PATCH take it and GET
 * returns it. Fields GET adds (id, version, timestamps, warnings) are
 * read-only: a definition fetched, edited and sent back is accepted, and
 * they are ignored. Anything else not listed here is refused.
 */
export const SLO_SCHEMA: JsonSchema = closedObject(
  {
    name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9._:-]{0,127}$', example: 'checkout-availability' },
    service: { type: 'string', description: 'the service.name of its spans', example: 'checkout' },
    description: { type: 'string', maxLength: 4096 },
    indicator: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      oneOf: [
        closedObject({
          type: { const: 'availability' },
          clientErrorsAreBad: { type: 'boolean', description: '4xx on server spans count as bad' },
          ignoreStatusCodes: { type: 'array', items: { type: 'integer' }, description: 'HTTP codes not counted at all' },
        }),
        closedObject(
          {
            type: { const: 'latency' },
            thresholdMs: { type: 'number', description: 'good = duration <= threshold', example: 300 },
            requireSuccess: { type: 'boolean', description: 'a failed fast span is bad (default true)' },
          },
          { required: ['type', 'thresholdMs'] },
        ),
      ],
    },
    selector: closedObject({
      operations: { ...strings, description: 'span names, exact or * ? globs; empty = all' },
      spanKinds: { type: 'array', items: { type: 'string', enum: ['internal', 'server', 'client', 'producer', 'consumer'] } },
      attributes: { ...stringMap, description: 'attribute equality' },
    }),
    objective: { type: 'number', description: 'percentage, e.g. 99.9', example: 99.9 },
    window: { type: 'string', description: 'rolling "Nd" (1..90) or calendar "month:<IANA zone>" / "week:<IANA zone>"', example: '30d' },
    labels: stringMap,
    runbookUrl: { type: ['string', 'null'], description: 'http(s) URL' },
    channels: { ...strings, description: 'names or ids of existing channels; none = the default channels' },
    alerting: closedObject({
      policy: closedObject({ tiers: { type: 'array', items: tier } }, { required: ['tiers'] }),
      minEvents: { type: 'integer', minimum: 0, description: "events a tier's long window needs before it may fire (default 100)" },
      budgetExhaustion: closedObject({ belowPercent: { type: 'number' } }, { required: ['belowPercent'] }),
      noData: closedObject({ after: { type: 'string', example: '15m' } }, { required: ['after'] }),
      minWindowCoverage: {
        type: 'number',
        description: "share of a tier's window the SLO's history must cover before its burn rate is taken at face value (default 0.5)",
      },
    }),
    id: { type: 'string', readOnly: true },
    version: { type: 'integer', readOnly: true },
    createdAt: { type: 'string', readOnly: true },
    updatedAt: { type: 'string', readOnly: true },
    approximateUntil: { type: ['string', 'null'], readOnly: true },
    warnings: { ...strings, readOnly: true },
  },
  { required: ['name', 'service', 'indicator', 'objective', 'window'] },
);

/** checkSloShape refuses fields an SLO does not have, naming their path. */
export const checkSloShape = compileShape(SLO_SCHEMA);
