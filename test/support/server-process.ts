import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/database/embedded-postgres.js';
import { until } from './wait.js';

// The built server (`npm test` builds first), run as a user runs it.
const MAIN = path.resolve('dist/src/main.js');

export interface ServerProcess {
  port: number;
  baseUrl: string;
  /** Sends `signal` and waits until the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * startServerProcess runs `node dist/src/main.js` on `databaseUrl` and waits
 * until it is ready. A process of its own, for what an in-process app cannot
 * show: a kill -9, or a client that must not share the server's event loop.
 */
export async function startServerProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does)`);
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    await until(
      'the server is ready',
      async () => child.exitCode === null && (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200,
      90_000,
    );
  } catch (e) {
    await kill('SIGKILL');
    throw e;
  }
  return { port, baseUrl: `http://127.0.0.1:${port}`, kill };
}
