import { anyCase, closedObject, compileCheck, flagged, labelMap, schemaOrder, type JsonSchema } from './json-schema.js';

const kind = { type: 'string', pattern: `^(${['server', 'client'].map(anyCase).join('|')})$` };

const schema: JsonSchema = closedObject(
  {
    name: { type: 'string', minLength: 1, 'x-message': { required: 'is required', '*': 'must be a non-empty string, got {value}' } },
    kinds: { type: 'array', minItems: 1, items: kind, 'x-message': 'must be a non-empty list of server, client, got {value}' },
    codes: { type: 'array', items: { type: 'integer', minimum: 100, 'x-message': 'must be a code >= 100, got {value}' }, 'x-message': 'must be a list of codes' },
    labels: labelMap(),
    shape: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      oneOf: [closedObject({ type: { const: 'circle' }, radius: { type: 'number', exclusiveMinimum: 0, 'x-message': 'must be > 0, got {value}' } })],
      'x-message': { discriminator: "must be 'circle', got {value}" },
    },
  },
  { required: ['name'] },
);
const check = compileCheck(schema, { echo: true });

describe('compileCheck', () => {
  it('says the x-message of the keyword that failed, `*` for the others, with the value when the body holds no secrets', () => {
    expect(check({})).toEqual(['name: is required']);
    expect(check({ name: '' })).toEqual(['name: must be a non-empty string, got ""']);
    expect(check({ name: 'x', shape: { type: 'circle', radius: 0 } })).toEqual(['shape.radius: must be > 0, got 0']);
  });

  it('names a variant tag that matches no variant, and a missing one, with the discriminator message', () => {
    expect(check({ name: 'x', shape: { type: 'square' } })).toEqual(["shape.type: must be 'circle', got \"square\""]);
    expect(check({ name: 'x', shape: {} })).toEqual(["shape.type: must be 'circle', got nothing"]);
  });

  it("lets a list's message speak for items that have none of their own, with the whole list", () => {
    expect(check({ name: 'x', kinds: ['server', 'edge'] })).toEqual(['kinds: must be a non-empty list of server, client, got ["server","edge"]']);
    expect(check({ name: 'x', kinds: ['SERVER', 'Client'] })).toEqual([]);
    expect(check({ name: 'x', codes: [99] })).toEqual(['codes[0]: must be a code >= 100, got 99']);
  });

  it('names a refused key in the path', () => {
    expect(check({ name: 'x', labels: { 'team-name': 'a', ok: 3 } })).toEqual([
      'labels.team-name: key must match ^[a-zA-Z_][a-zA-Z0-9_]{0,62}$',
      'labels.ok: must be a string of at most 4096 characters',
    ]);
  });

  it('never echoes a value or key unless asked: {value} without echo is refused when compiled', () => {
    expect(() => compileCheck(schema)).toThrow(/echo/);
    const secret = compileCheck(closedObject({ token: { type: 'string', maxLength: 3, 'x-message': 'must be short' }, headers: labelMap() }));
    expect(secret({ token: 'SECRET' })).toEqual(['token: must be short']);
    expect(JSON.stringify(secret({ headers: { 'SECRET KEY': 'x' } }))).not.toContain('SECRET');
  });
});

describe('schemaOrder', () => {
  it("sorts problems found by the schema and by code into the schema's field order", () => {
    const order = schemaOrder(schema);
    expect(order(['shape.radius: too big', 'name: taken', 'labels.x: bad', 'kinds[1]: odd', 'extra: unknown field'])).toEqual([
      'extra: unknown field',
      'name: taken',
      'kinds[1]: odd',
      'labels.x: bad',
      'shape.radius: too big',
    ]);
  });
});

describe('flagged', () => {
  it('matches a field and what is inside it, not a field that only starts alike', () => {
    const problems = ['condition.window: bad', 'objectve: unknown field'];
    expect([flagged(problems, 'condition'), flagged(problems, 'condition.window'), flagged(problems, 'objective'), flagged(problems, 'for')]).toEqual([true, true, false, false]);
  });
});
