/** Small validation helpers shared by the hand-written body validators (pure, no Nest). */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * stringMap reads an optional object of strings (labels, annotations,
 * attribute selectors), pushing one error per bad entry, each naming it.
 */
export function stringMap(v: unknown, field: string, errors: string[], keyPattern?: RegExp, maxLength = 4096): Record<string, string> {
  if (v === undefined) return {};
  if (!isObj(v)) {
    errors.push(`${field}: must be an object of strings`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (keyPattern && !keyPattern.test(k)) errors.push(`${field}.${k}: key must match ${keyPattern.source}`);
    else if (typeof val !== 'string' || val.length > maxLength) errors.push(`${field}.${k}: must be a string of at most ${maxLength} characters`);
    else out[k] = val;
  }
  return out;
}
