import { Ajv } from 'ajv';

export type JsonSchema = Record<string, unknown>;

/** closedObject is an object schema that refuses properties it does not list. */
export function closedObject(properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', properties, additionalProperties: false, ...extra };
}

/** ShapeCheck reports a body's structural problems as `path: message` lines. */
export type ShapeCheck = (body: unknown) => string[];

const ajv = new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true });

/**
 * compileShape turns a definition's JSON Schema into a check for the problems
 * a hand-written validator cannot see by construction: fields that are not
 * part of the definition (a typo such as `objectve`, or `selector` nested
 * inside `indicator`), and discriminated variants (which fields an `indicator.type` allows). Values
 * themselves are judged by the definition's own validator, whose messages
 * say what a good value looks like; the schema also documents the API
 * (OpenAPI at /docs), so both read from one description of the body.
 */
export function compileShape(schema: JsonSchema): ShapeCheck {
  return compile(schema, false);
}

/**
 * compileCheck turns a body's JSON Schema into its whole structural check:
 * unknown fields (with the same hints as compileShape) and every value the
 * schema can judge (types, enums, required, patterns, lengths, bounds). A
 * schema node may carry `x-message`, what to say instead of ajv's wording
 * (a string, or one per keyword); messages never echo the value, which may
 * be a secret.
 */
export function compileCheck(schema: JsonSchema): ShapeCheck {
  return compile(schema, true);
}

function compile(schema: JsonSchema, values: boolean): ShapeCheck {
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
      } else if (values) {
        out.push(valueProblem(e, at));
      }
    }
    return [...new Set(out)];
  };
}

type AjvError = NonNullable<ReturnType<Ajv['compile']>['errors']>[number];

/** valueProblem renders one ajv error as `path: message`, preferring the schema's own x-message. */
function valueProblem(e: AjvError, at: string): string {
  const join = (field: string) => (at ? `${at}.${field}` : field);
  if (e.keyword === 'required') {
    const field = String((e.params as { missingProperty: string }).missingProperty);
    const own = (e.parentSchema?.properties as Record<string, JsonSchema> | undefined)?.[field];
    return `${join(field)}: ${(own && messageOf(own, 'required')) ?? 'is required'}`;
  }
  if (e.keyword === 'discriminator') {
    const tag = String((e.params as { tag: string }).tag);
    const variants = ((e.parentSchema?.oneOf as JsonSchema[] | undefined) ?? []).map(
      (v) => ((v.properties as Record<string, JsonSchema> | undefined)?.[tag]?.const as string | undefined) ?? '?',
    );
    return `${join(tag)}: must be one of ${variants.join(', ')}`;
  }
  const own = e.parentSchema ? messageOf(e.parentSchema as JsonSchema, e.keyword) : undefined;
  const text = own ?? (e.keyword === 'enum' ? `must be one of ${(e.schema as unknown[]).join(', ')}` : e.message ?? 'is invalid');
  return `${at || 'body'}: ${text}`;
}

function messageOf(node: JsonSchema, keyword: string): string | undefined {
  const m = node['x-message'];
  if (typeof m === 'string') return m;
  if (typeof m === 'object' && m !== null) return (m as Record<string, string>)[keyword];
  return undefined;
}

/** dotted renders a JSON pointer as the field paths our messages use: `alerting.policy.tiers[0]`. */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
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
