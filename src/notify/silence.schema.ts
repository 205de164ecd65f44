import { closedObject, compileCheck, type JsonSchema } from '../common/json-schema.js';

const MAX_REGEX = 1000;

const MATCHERS: JsonSchema = {
  type: 'array',
  minItems: 1,
  items: closedObject(
    {
      name: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', 'x-message': 'must be a label name', example: 'slo' },
      op: { type: 'string', enum: ['=', '!=', '=~', '!~'], 'x-message': 'must be one of = != =~ !~' },
      value: {
        type: 'string',
        maxLength: MAX_REGEX,
        description: 'for =~ and !~ a regular expression, anchored at both ends',
        'x-message': `must be a string of at most ${MAX_REGEX} characters`,
      },
    },
    { required: ['name', 'op', 'value'], 'x-message': 'must be an object' },
  ),
  'x-message': 'must be a non-empty list of {name, op, value}',
};

/**
 * SILENCE_SCHEMA describes a silence as POST takes it; GET returns the same
 * fields (timestamps as RFC 3339 UTC) plus read-only id and createdAt.
 */
export const SILENCE_SCHEMA: JsonSchema = closedObject(
  {
    matchers: MATCHERS,
    startsAt: { type: 'string', description: 'RFC 3339; default now', 'x-message': 'expected an RFC 3339 timestamp' },
    endsAt: { type: 'string', description: 'RFC 3339, in the future', example: '2026-11-22T18:00:00Z', 'x-message': 'expected an RFC 3339 timestamp' },
    createdBy: { type: 'string', minLength: 1, maxLength: 256, example: 'alice', 'x-message': 'is required' },
    comment: { type: 'string', maxLength: 4096, example: 'deploying a fix', 'x-message': 'must be a string of at most 4096 characters' },
    id: { type: 'string', readOnly: true },
    createdAt: { type: 'string', readOnly: true },
  },
  { required: ['matchers', 'endsAt', 'createdBy'] },
);

/** checkSilence reports a silence body's structural problems, each naming its path. */
export const checkSilence = compileCheck(SILENCE_SCHEMA);

