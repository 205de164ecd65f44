/**
 * A bounded closed-loop load generator: a fixed number of requests, a fixed
 * number in flight, a deadline that stops issuing new ones. Node's `http`
 * with a keep-alive agent, so connection set-up is not what we measure.
 */
import http from 'node:http';

export interface RoundResult {
  requests: number;
  ok: number;
  /** Non-200 answers by status (429/503 mean backpressure or a failed commit). */
  failures: Map<string, number>;
  seconds: number;
  latenciesMs: number[];
  timedOut: boolean;
}

export interface LoadOptions {
  port: number;
  path: string;
  contentType: string;
  bodies: Buffer[];
  requests: number;
  concurrency: number;
  /** Stop issuing new requests after this long, so a slow server cannot stretch the run. */
  deadlineMs: number;
}

export function keepAliveAgent(concurrency: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
}

function post(agent: http.Agent, o: LoadOptions, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: o.port,
        path: o.path,
        method: 'POST',
        agent,
        headers: { 'content-type': o.contentType, 'content-length': body.length },
      },
      (res) => {
        // Read the whole answer: the request is done when its response is.
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runLoad(agent: http.Agent, o: LoadOptions): Promise<RoundResult> {
  const latenciesMs: number[] = [];
  const failures = new Map<string, number>();
  let issued = 0;
  let ok = 0;
  let timedOut = false;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + o.deadlineMs;
  const worker = async () => {
    while (issued < o.requests) {
      if (Date.now() > deadline) {
        timedOut = true;
        return;
      }
      const body = o.bodies[issued % o.bodies.length];
      issued++;
      const t0 = process.hrtime.bigint();
      let status: string;
      try {
        status = String(await post(agent, o, body));
      } catch (e) {
        status = e instanceof Error && 'code' in e ? String(e.code) : 'error';
      }
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (status === '200') ok++;
      else failures.set(status, (failures.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { requests: latenciesMs.length, ok, failures, seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs, timedOut };
}

/**
 * GET timed to the last byte. The body is kept only when asked: building a
 * 30 MB string in this process would add the client's cost to the figure.
 */
export function get(port: number, path: string, keepBody = false): Promise<{ status: number; body: string; bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    let bytes = 0;
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (keepBody) chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            bytes,
            ms: Number(process.hrtime.bigint() - t0) / 1e6,
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Nearest-rank percentile of an unsorted sample. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const median = (xs: readonly number[]): number => percentile(xs, 50);
