/**
 * An UpsertStatement renders one `INSERT … ON CONFLICT` statement, asking
 * `param` for a placeholder ($n) for each value it binds. Statements from
 * different repositories can so be joined into one SQL statement (as
 * data-modifying CTEs) that PostgreSQL runs atomically in one round trip.
 */
export type UpsertStatement = (param: (value: unknown) => string) => string;

/**
 * joinUpserts makes one statement of several: `WITH s0 AS (…), s1 AS (…)
 * SELECT 1`. PostgreSQL runs every data-modifying CTE exactly once and to
 * completion, and a single statement outside BEGIN is its own transaction:
 * all rows commit together or none do, with no BEGIN/COMMIT round trips.
 */
export function joinUpserts(statements: readonly UpsertStatement[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts = statements.map((s, i) => `s${i} AS (${s(param)})`);
  return { sql: `WITH ${parts.join(',\n')}\nSELECT 1`, params };
}
