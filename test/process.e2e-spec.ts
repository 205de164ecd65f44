import { spawn, ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/database/embedded-postgres.js';
import { MIGRATIONS } from '../migrations/index.js';

// These tests run the built server (`npm test` builds first) as a user
// would: `node dist/src/main.js`, with its own embedded PostgreSQL.
const MAIN = path.resolve('dist/src/main.js');

function run(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitReady(port: number, ms: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) return Date.now() - started;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('not ready in time');
}

describe('the server process', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does)`);
  });

  it('starts on an embedded PostgreSQL with no database configured, stops cleanly on SIGTERM, and reuses its data', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'burnwatch-proc-'));
    chmodSync(dataDir, 0o755);
    try {
      for (let round = 0; round < 2; round++) {
        const port = await freePort();
        const p = run({ PORT: String(port), DATA_DIR: dataDir });
        await waitReady(port, 30000);
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);
        p.child.kill('SIGTERM');
        expect(await p.exited).toBe(0);
        const log = p.output();
        // Migrations are applied once: the second start finds them done.
        expect(log.includes(`applied ${MIGRATIONS.length} migration`)).toBe(round === 0);
        expect(log).toContain('"message":"SIGTERM received, shutting down"');
        // Every line is JSON (structured logs).
        for (const line of log.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      }
      expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  // Only root hands the server to the postgres user; other users run it as themselves.
  (process.getuid?.() === 0 ? it : it.skip)('explains a DATA_DIR the postgres user cannot reach, instead of initdb failing', async () => {
    const locked = mkdtempSync(path.join(os.tmpdir(), 'burnwatch-locked-'));
    chmodSync(locked, 0o700);
    try {
      const p = run({ DATA_DIR: path.join(locked, 'data'), PORT: String(await freePort()) });
      expect(await p.exited).toBe(1);
      expect(p.output().trim()).toBe(
        `burnwatch: DATA_DIR: the embedded PostgreSQL runs as the postgres user, which cannot enter ${locked}; set DATA_DIR to a directory outside it, or DATABASE_URL`,
      );
    } finally {
      rmSync(locked, { recursive: true, force: true });
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'burnwatch: PORT: expected an integer between 1 and 65535'],
    [{ DATABASE_URL: 'postgres://u:hunter2secret@127.0.0.1:1/x' }, 'burnwatch: DATABASE_URL: cannot connect to PostgreSQL'],
    [{ HOST: '0.0.0.0' }, 'burnwatch: HOST: listening on 0.0.0.0 without tokens is refused'],
  ])('exits non-zero with one line naming the problem for %j', async (env, message) => {
    const p = run(env);
    expect(await p.exited).toBe(1);
    const out = p.output().trim();
    expect(out.split('\n')).toHaveLength(1);
    expect(out.startsWith(message)).toBe(true);
    expect(out).not.toContain('hunter2secret');
  });
});
