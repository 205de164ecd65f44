/**
 * globSource turns an operation glob (`*` any run, `?` one character) into an
 * anchored regular-expression source. JS and PostgreSQL (`~`) read it the
 * same way, so the ingest matcher, backfill and rule queries agree on what
 * a selector selects.
 */
export function globSource(glob: string): string {
  return `^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`;
}

export const isGlob = (s: string) => /[*?]/.test(s);

/** isUuid guards ids from the URL before they reach a uuid column (which would 500 on garbage). */
export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
