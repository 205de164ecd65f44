/**
 * The benchmark's infrastructure: one embedded PostgreSQL in a temp dir, and
 * the built server (`node dist/src/main.js`) as a child process pointed at
 * it. A child process, not an in-process app, so that the server's memory
 * (VmHWM) and CPU profile are its own, not mixed with the load generator's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDataSource } from '../src/database/data-source.js';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';

/** USER_HZ: 100 on every Linux build Node supports. */
const CLOCK_TICKS = 100;
const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));

export interface Infra {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** startDatabase starts a fresh embedded PostgreSQL and applies the real migrations. */
export async function startDatabase(): Promise<Infra> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'burnwatch-bench-'));
  // PostgreSQL runs as the `postgres` user when we are root: it must reach its data dir.
  chmodSync(dir, 0o755);
  // Safety net for an interrupted run: embedded-postgres stops its server on
  // SIGINT/SIGTERM and exits, and 'exit' handlers still run after that.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  let db: EmbeddedDatabase | undefined;
  try {
    db = await startEmbeddedPostgres(dir);
    const ds = createDataSource(db.url, 'burnwatch-bench');
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
  } catch (e) {
    await db?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const started = db;
  let stopped: Promise<void> | undefined;
  return {
    url: started.url,
    dir,
    // Idempotent: both the normal path and a signal handler may call it.
    stop: () =>
      (stopped ??= started.stop().finally(() => rmSync(dir, { recursive: true, force: true }))),
  };
}

export interface ServerChild {
  port: number;
  pid: number;
  /** Resets the kernel's peak-RSS mark so the next phase reports its own peak. */
  resetPeak(): boolean;
  /** VmHWM (peak RSS) in MiB since start or the last resetPeak. */
  peakRssMiB(): number;
  /** User + system CPU seconds the server has used (all its threads: JS, GC, libuv). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  /** Directory for `--cpu-prof` output; the profile is written when the server exits on SIGTERM. */
  cpuProfDir?: string;
}

export async function startServer(o: ServerOptions): Promise<ServerChild> {
  const port = await freePort();
  const args = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`, MAIN] : [MAIN];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: o.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      ...o.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitReady(port, exited, 60_000);
  } catch (e) {
    await stop();
    throw new Error(`server did not become ready: ${e instanceof Error ? e.message : String(e)}\n${stderr}`);
  }
  const status = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  };
  return {
    port,
    pid: child.pid!,
    resetPeak: () => {
      try {
        // "5" resets VmHWM to the current RSS (Linux ≥ 4.0, owner of the process).
        writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    peakRssMiB: () => status('VmHWM'),
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the ") " that ends the command name.
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
    },
    stop,
  };
}

async function waitReady(port: number, exited: Promise<number | null>, ms: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (gone) throw new Error('server exited during start');
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready after ${ms} ms`);
}
