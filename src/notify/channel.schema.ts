import { closedObject, compileCheck, type JsonSchema } from '../common/json-schema.js';

const SEVERITIES = ['page', 'ticket', 'info'];

// URLs are parsed again by validateChannel (the schema cannot say "a URL"); the
// pattern only refuses other schemes early.
const httpUrl = (message: string, description: string): JsonSchema => ({
  type: 'string',
  pattern: '^[hH][tT][tT][pP][sS]?://',
  description,
  'x-message': message,
});
const singleLine = (max: number, extra = ''): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: `^[^\\r\\n${extra}]*$`,
});
const basicAuthMessage = 'must be {username, password}, single-line strings, username without ":"';

const CONFIGS: Record<string, JsonSchema> = {
  slack: closedObject(
    { webhookUrl: httpUrl('must be an http(s) URL (the Slack incoming webhook)', 'Slack incoming webhook; secret, never returned') },
    { required: ['webhookUrl'] },
  ),
  email: closedObject(
    {
      to: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: { type: 'string', pattern: '^[^\\s@<>]+@[^\\s@<>]+\\.[^\\s@<>]+$' },
        'x-message': 'must be a list of 1-100 email addresses',
        example: ['oncall@example.com'],
      },
    },
    { required: ['to'] },
  ),
  webhook: closedObject(
    {
      url: httpUrl('must be an http(s) URL', 'receives the Alertmanager v4 payload; secret, never returned'),
      headers: {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z0-9-]{1,100}$', 'x-message': 'header names are 1-100 letters, digits or -' },
        additionalProperties: { type: 'string', pattern: '^[^\\r\\n]*$', 'x-message': 'must be a single-line string' },
        description: 'header values are secrets, never returned',
        'x-message': 'must be an object of header names to single-line string values',
      },
    },
    { required: ['url'] },
  ),
  alertmanager: closedObject(
    {
      urls: {
        type: 'array',
        minItems: 1,
        maxItems: 10,
        items: { type: 'string', pattern: '^[hH][tT][tT][pP][sS]?://' },
        description: 'base URL of every Alertmanager of the cluster',
        'x-message': 'must be a list of 1-10 http(s) Alertmanager base URLs',
      },
      basicAuth: closedObject(
        {
          username: { ...singleLine(256, ':'), 'x-message': basicAuthMessage },
          password: { ...singleLine(1024), description: 'secret, never returned', 'x-message': basicAuthMessage },
        },
        { required: ['username', 'password'], 'x-message': basicAuthMessage },
      ),
      bearerToken: { ...singleLine(4096), description: 'secret, never returned', 'x-message': 'must be a single-line string' },
    },
    // A string message would also replace "must be object"; only `not` gets this one.
    { required: ['urls'], not: { required: ['basicAuth', 'bearerToken'] }, 'x-message': { not: 'give basicAuth or bearerToken, not both' } },
  ),
};

/**
 * CHANNEL_SCHEMA describes a channel as POST and PUT take it: `type` picks the
 * shape of `config`. GET returns the same fields with the secrets redacted;
 * its read-only fields (id, timestamps) are ignored on write.
 */
export const CHANNEL_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['name', 'type', 'config'],
  discriminator: { propertyName: 'type' },
  oneOf: Object.entries(CONFIGS).map(([type, config]) =>
    closedObject({
      name: {
        type: 'string',
        pattern: '^[a-zA-Z0-9][a-zA-Z0-9._:-]{0,127}$',
        example: 'oncall-slack',
        'x-message': 'must be 1-128 letters, digits, . _ : -',
      },
      type: { const: type },
      config,
      severities: { type: 'array', items: { type: 'string', enum: SEVERITIES }, description: 'severities routed here; none = all' },
      isDefault: { type: 'boolean', description: 'used for alerts whose SLO or rule names no channel' },
      id: { type: 'string', readOnly: true },
      createdAt: { type: 'string', readOnly: true },
      updatedAt: { type: 'string', readOnly: true },
    }),
  ),
};

/** checkChannel reports a channel body's structural problems, each naming its path (never its value). */
export const checkChannel = compileCheck(CHANNEL_SCHEMA);
