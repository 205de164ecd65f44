import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { until } from './wait.js';

export interface RunningBinary {
  base: string;
  process: ChildProcess;
  /** The last lines it logged, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/** binaryOrSkip returns the path when the binary is installed, else logs one line saying why the suite is skipped. */
export function binaryOrSkip(path: string, suite: string): string | undefined {
  if (existsSync(path)) return path;
  console.warn(`SKIPPED ${suite}: ${path} is not installed (apt-get install ${path.split('/').pop()})`);
  return undefined;
}

/**
 * startBinary runs a real server binary (Alertmanager, Prometheus) and waits
 * until `readyPath` answers 200 on `port`. stop() sends SIGTERM and waits
 * for the exit, SIGKILL after 10 s.
 */
export async function startBinary(path: string, args: string[], port: number, readyPath = '/-/ready'): Promise<RunningBinary> {
  const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (b: Buffer) => (log = (log + b.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(`${path} ready`, async () => {
      if (child.exitCode !== null) throw new Error(`${path} exited: ${log}`);
      return (await fetch(`${base}${readyPath}`).catch(() => undefined))?.ok;
    }, 30_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    base,
    process: child,
    output: () => log,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
