import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Every table has one owning folder, and SQL runs only in repositories.
 * This reads the tables the migrations create, and every non-test source
 * file of src/, and checks that a table is named in SQL (or as a table-name
 * literal) only by its owner, and that `.query(` is called only in
 * `*.repository.ts` files (and the few places that set up or ping the
 * database itself).
 */
const ROOT = process.cwd();
const SRC = path.join(ROOT, 'src');

/**
 * OWNERS: the folders whose code may name each table. The RED tables are
 * written by ingest (the group commit) and read by red, their one reader;
 * every other table has a single owner.
 */
const OWNERS: Record<string, string[]> = {
  series: ['ingest', 'red'],
  red_minute: ['ingest', 'red'],
  red_hour: ['ingest', 'red'],
  slos: ['slo'],
  sli_minute: ['slo'],
  sli_hour: ['slo'],
  sli_prunes: ['slo'],
  slo_status: ['slo'],
  evaluator_tick: ['slo'],
  alert_rules: ['alerting'],
  alerts: ['alerting'],
  alert_transitions: ['alerting'],
  channels: ['notify'],
  notifications: ['notify'],
  silences: ['notify'],
};

/** Files that may run SQL without being a repository: database setup, and the health check's ping. */
const SQL_OUTSIDE_REPOSITORIES = ['database/database.ts', 'database/embedded-postgres.ts', 'health/health.controller.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(f) && !/\.spec\.ts$/.test(f) ? [p] : [];
  });
}

/** code: the file without comments, so a sentence about a table is not a use of it. */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

function createdTables(): string[] {
  const names = new Set<string>();
  for (const f of readdirSync(path.join(ROOT, 'migrations')).filter((f) => /^\d+-.*\.ts$/.test(f))) {
    const text = readFileSync(path.join(ROOT, 'migrations', f), 'utf8');
    for (const m of text.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)) names.add(m[1]);
    // Tables made in a loop: `for (const table of ['a', 'b']) { ... CREATE TABLE ${table}`.
    for (const m of text.matchAll(/for \(const table of \[([^\]]*)\]\)\s*\{\s*await q\.query\(`\s*CREATE TABLE/g)) {
      for (const n of m[1].matchAll(/'([a-z_]+)'/g)) names.add(n[1]);
    }
  }
  return [...names].sort();
}

/** uses: where `table` is named in SQL (after FROM, JOIN, INTO, UPDATE, TABLE) or as a quoted literal that is not a JSON key. */
function uses(table: string): string[] {
  const sql = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+${table}\\b|(?<!->>?)['"\`]${table}['"\`]`);
  return sources(SRC)
    .filter((f) => sql.test(code(f)))
    .map((f) => path.relative(SRC, f).split(path.sep).join('/'));
}

describe('table ownership', () => {
  it('names an owner for every table the migrations create', () => {
    const tables = createdTables();
    expect(tables).toContain('red_minute');
    expect(tables).toContain('sli_hour');
    expect(tables.filter((t) => !OWNERS[t])).toEqual([]);
  });

  it.each(Object.entries(OWNERS))('%s is named only by %j', (table, owners) => {
    const found = uses(table);
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((f) => !owners.includes(f.split('/')[0]))).toEqual([]);
  });

  it('runs SQL only in repositories', () => {
    const offenders = sources(SRC)
      .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
      .filter((rel) => !rel.endsWith('.repository.ts') && !SQL_OUTSIDE_REPOSITORIES.includes(rel))
      .filter((rel) => /\.query\s*\(/.test(code(path.join(SRC, rel))));
    expect(offenders).toEqual([]);
  });
});
