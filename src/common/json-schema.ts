import { Ajv } from 'ajv';

export type JsonSchema = Record<string, unknown>;

/** closedObject is an object schema that refuses properties it does not list. */
export function closedObject(properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', properties, additionalProperties: false, ...extra };
}

const MAX_MAP_VALUE = 4096;

/** stringMap is an object of strings (annotations, attribute selectors), each at most 4096 characters. */
export function stringMap(extra: JsonSchema = {}): JsonSchema {
  return {
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MAX_MAP_VALUE, 'x-message': `must be a string of at most ${MAX_MAP_VALUE} characters` },
    ...extra,
    'x-message': { type: 'must be an object of strings' },
  };
}

const LABEL_NAME = '^[a-zA-Z_][a-zA-Z0-9_]{0,62}$';

/** labelMap is a stringMap whose keys are Prometheus label names, as SLO and rule labels become alert labels. */
export function labelMap(extra: JsonSchema = {}): JsonSchema {
  return stringMap({ propertyNames: { pattern: LABEL_NAME, 'x-message': `key must match ${LABEL_NAME}` }, ...extra });
}

/** ShapeCheck reports a body's problems as `path: message` lines. */
export type ShapeCheck = (body: unknown) => string[];

const ajv = new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true });

/** CheckOptions: what a body's messages may show. */
export interface CheckOptions {
  /**
   * echo: the body holds no secrets (an SLO or a rule, not a channel), so a
   * message may show the value it refuses (`{value}` in an x-message, written
   * as JSON, `nothing` when absent) and name a refused key in its path
   * (`labels.bad key: ...`). Without it, `{value}` in a schema is a
   * programming error, found when the check is compiled.
   */
  echo?: boolean;
}

/**
 * compileCheck turns a body's JSON Schema into its whole check: fields that
 * are not part of the body, with a hint (a typo such as `objectve`, `selector`
 * nested inside `indicator`, a field of another variant), and every value the
 * schema can judge (types, enums, required, patterns, lengths, bounds). Only
 * what a schema cannot say is left to code. The schema also documents the
 * API (OpenAPI at /docs), so both read from one description of the body. A
 * schema node may carry `x-message`, what to say instead of ajv's wording:
 * a string, or one per keyword with `*` for the others. The node's
 * `required` message is said when the field is missing, its `discriminator`
 * message when its tag names no variant. A list's message also speaks for
 * items that have none of their own, at the list's path. Messages never echo
 * the value, which may be a secret, unless `options.echo` says the body has none.
 */
export function compileCheck(schema: JsonSchema, options: CheckOptions = {}): ShapeCheck {
  if (!options.echo && JSON.stringify(schema).includes('{value}')) {
    throw new Error('an x-message shows {value}, but the check was not compiled with { echo: true }');
  }
  const echo = options.echo === true;
  const validate = ajv.compile(schema);
  const homes = propertyHomes(schema);
  const siblings = new Map<string, string[]>();
  for (const [name, paths] of homes) for (const p of paths) siblings.set(p, [...(siblings.get(p) ?? []), name]);
  return (body) => {
    if (validate(body)) return [];
    const out: string[] = [];
    for (const e of validate.errors ?? []) {
      const at = dotted(e.instancePath);
      if (e.keyword === 'additionalProperties') {
        const field = String((e.params as { additionalProperty: string }).additionalProperty);
        const elsewhere = (homes.get(field) ?? []).filter((h) => h !== at);
        const known = siblings.get(at) ?? [];
        const near = closest(field, known);
        const hint = elsewhere.length
          ? `; "${field}" belongs ${elsewhere.map((h) => (h ? `in ${h}` : 'at the top level')).join(' or ')}`
          : known.includes(field)
            ? '; allowed only with another "type"'
            : near
            ? `; did you mean "${near}"?`
            : '';
        out.push(`${at ? `${at}.` : ''}${field}: unknown field${hint}`);
      } else if (!(echo && e.keyword === 'propertyNames')) {
        // With echo the refused key is named by its own error (below), so the wrapper adds nothing.
        out.push(valueProblem(e, at, { schema, body, echo }));
      }
    }
    return [...new Set(out)];
  };
}

/**
 * schemaOrder sorts `path: message` lines into the order the schema lists
 * their fields, so what the schema finds and what code finds after it (a
 * duration out of range) read as one list, top to bottom. Lines whose field
 * the schema does not know go with the nearest object that it does.
 */
export function schemaOrder(schema: JsonSchema): (problems: string[]) => string[] {
  const rank = new Map<string, number>();
  const visit = (s: unknown, at: string) => {
    if (typeof s !== 'object' || s === null) return;
    if (!rank.has(at)) rank.set(at, rank.size);
    const node = s as JsonSchema;
    for (const [k, v] of Object.entries((node.properties as Record<string, unknown> | undefined) ?? {})) visit(v, at ? `${at}.${k}` : k);
    for (const key of ['oneOf', 'anyOf', 'allOf']) for (const sub of (node[key] as unknown[] | undefined) ?? []) visit(sub, at);
    if (node.items) visit(node.items, `${at}[]`);
  };
  visit(schema, '');
  const rankOf = (line: string) => {
    let path = line.slice(0, Math.max(0, line.indexOf(': '))).replace(/\[\d+\]/g, '[]');
    while (!rank.has(path)) {
      const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut > 0 ? path.slice(0, cut) : '';
    }
    return rank.get(path)!;
  };
  return (problems) =>
    problems
      .map((line, i) => ({ line, i, r: rankOf(line) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.line);
}

/** flagged: whether a problem line is about `field` or something inside it, so code need not judge it again. */
export function flagged(problems: readonly string[], field: string): boolean {
  return problems.some((p) => p.startsWith(`${field}:`) || p.startsWith(`${field}.`) || p.startsWith(`${field}[`));
}

/**
 * anyCase is a pattern matching `word` in any mix of cases: JSON Schema
 * patterns take no flags, and users paste span kinds as `SERVER` or `Client`.
 */
export function anyCase(word: string): string {
  return [...word]
    .map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
}

type AjvError = NonNullable<ReturnType<Ajv['compile']>['errors']>[number];

interface Context {
  schema: JsonSchema;
  body: unknown;
  echo: boolean;
}

/** valueProblem renders one ajv error as `path: message`, preferring the schema's own x-message. */
function valueProblem(e: AjvError, at: string, ctx: Context): string {
  const join = (field: string) => (at ? `${at}.${field}` : field);
  const say = (text: string, value: unknown) => (ctx.echo ? text.replaceAll('{value}', show(value)) : text);
  const parent = e.parentSchema as JsonSchema | undefined;
  if (e.keyword === 'required') {
    const field = String((e.params as { missingProperty: string }).missingProperty);
    const own = (parent?.properties as Record<string, JsonSchema> | undefined)?.[field];
    const tag = (parent?.discriminator as { propertyName?: string } | undefined)?.propertyName;
    const text = (own && messageOf(own, 'required')) ?? (tag === field && parent ? messageOf(parent, 'discriminator') : undefined);
    return `${join(field)}: ${say(text ?? 'is required', undefined)}`;
  }
  if (e.keyword === 'discriminator') {
    const { tag, tagValue } = e.params as { tag: string; tagValue?: unknown };
    const variants = ((parent?.oneOf as JsonSchema[] | undefined) ?? []).map(
      (v) => ((v.properties as Record<string, JsonSchema> | undefined)?.[tag]?.const as string | undefined) ?? '?',
    );
    const own = parent ? messageOf(parent, 'discriminator') : undefined;
    return `${join(tag)}: ${say(own ?? `must be one of ${variants.join(', ')}`, tagValue)}`;
  }
  let path = ctx.echo && e.propertyName !== undefined ? join(e.propertyName) : at || 'body';
  let value: unknown = e.data;
  let own = parent ? messageOf(parent, e.keyword) : undefined;
  if (own === undefined) {
    const list = listOf(e, ctx);
    if (list) [path, value, own] = [list.path || 'body', list.value, list.message];
  }
  const text = own ?? (e.keyword === 'enum' ? `must be one of ${(e.schema as unknown[]).join(', ')}` : e.message ?? 'is invalid');
  return `${path}: ${say(text, value)}`;
}

/**
 * listOf: when the error is in a list's item schema, the list with its own
 * x-message, path and value ("must be a list of ...") speaks for the item.
 */
function listOf(e: AjvError, ctx: Context): { path: string; value: unknown; message: string } | undefined {
  const node = pointer(e.schemaPath.replace(/^#/, '')).slice(0, -1);
  if (node[node.length - 1] !== 'items') return undefined;
  const list = resolve(ctx.schema, node.slice(0, -1)) as JsonSchema | undefined;
  const message = list && messageOf(list, 'items');
  if (message === undefined) return undefined;
  const at = pointer(e.instancePath).slice(0, -1);
  return { path: dotted(at.map((s) => `/${s}`).join('')), value: resolve(ctx.body, at), message };
}

/** pointer splits a JSON pointer into its unescaped segments. */
function pointer(p: string): string[] {
  return p
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolve(root: unknown, segments: string[]): unknown {
  let at = root;
  for (const seg of segments) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[seg] : undefined;
  return at;
}

/** show writes a refused value as the user sent it (JSON), `nothing` when it is missing. */
function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function messageOf(node: JsonSchema, keyword: string): string | undefined {
  const m = node['x-message'];
  if (typeof m === 'string') return m;
  if (typeof m === 'object' && m !== null) return (m as Record<string, string>)[keyword] ?? (m as Record<string, string>)['*'];
  return undefined;
}

/** dotted renders a JSON pointer as the field paths our messages use: `alerting.policy.tiers[0]`. */
function dotted(p: string): string {
  return pointer(p).reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** propertyHomes maps each property name to the object paths that declare it, for "belongs in" hints. */
function propertyHomes(schema: JsonSchema): Map<string, string[]> {
  const homes = new Map<string, string[]>();
  const visit = (s: unknown, at: string) => {
    if (typeof s !== 'object' || s === null) return;
    const node = s as JsonSchema;
    const props = node.properties as Record<string, unknown> | undefined;
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        homes.set(k, [...new Set([...(homes.get(k) ?? []), at])]);
        visit(v, at ? `${at}.${k}` : k);
      }
    }
    for (const key of ['oneOf', 'anyOf', 'allOf']) {
      for (const sub of (node[key] as unknown[] | undefined) ?? []) visit(sub, at);
    }
    if (node.items) visit(node.items, `${at}[]`);
  };
  visit(schema, '');
  return homes;
}

/** closest: a known field within two edits of a typo (`objectve` → `objective`), if any. */
function closest(field: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    if (k === field) continue;
    const d = editDistance(field.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
