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

/**
 * operationMatchSql is the SQL form of an operation selector over the
 * `series s` alias: exact names or globs. It pushes its two parameters onto
 * `params` and returns the condition referring to them.
 */
export function operationMatchSql(operations: readonly string[], params: unknown[]): string {
  const exact = operations.filter((o) => !isGlob(o));
  const globs = operations.filter(isGlob).map(globSource);
  return `(s.span_name = ANY($${params.push(exact)}::text[]) OR s.span_name ~ ANY($${params.push(globs)}::text[]))`;
}

/** isUuid guards ids from the URL before they reach a uuid column (which would 500 on garbage). */
export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
