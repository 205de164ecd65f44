// Starts one embedded PostgreSQL for the e2e run when DATABASE_URL is unset.
// Each e2e file then creates its own fresh database on that server
// (test/support/test-database.ts), so files never see each other's rows.
// It is the engine's own launcher (built by `pretest`), so the suite follows
// the same rules as `npm start`: as root the server runs as the postgres
// user, with the binaries copied where that user can reach them.
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../dist/src/database/embedded-postgres.js';

export default async function globalSetup() {
  // Each project that uses the database (medium, e2e) runs this; one server serves them all.
  if (process.env.TEST_ADMIN_DATABASE_URL) return;
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'burnwatch-test-pg-'));
  // The server may run as the postgres user, which must be able to enter it.
  chmodSync(dir, 0o755);
  const db = await startEmbeddedPostgres(dir, {
    explicit: true,
    database: 'postgres',
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  globalThis.__BURNWATCH_PG__ = { db, dir };
  process.env.TEST_ADMIN_DATABASE_URL = db.url;
}
