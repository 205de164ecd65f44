import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { useTestApp } from './support/test-app.js';

interface Answer {
  status: number;
  connection: string | undefined;
  /** Local port of the socket the request went out on: equal ports mean a reused connection. */
  localPort: number | undefined;
}

/** post sends one request through `agent` (keep-alive, one socket), as an exporter's HTTP client does. */
function post(agent: http.Agent, port: number, body: Buffer, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, localPort: req.socket?.localPort }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('a 413 does not break the client connection it was sent on', () => {
  const t = useTestApp({ MAX_BODY_BYTES: String(64 * 1024) }, { listen: true });
  let port: number;
  beforeAll(() => {
    port = Number(new URL(t.baseUrl).port);
  });

  it.each([
    ['over the cap as sent', Buffer.alloc(200 * 1024, 0x0a), {}],
    ['over the cap after gzip decompression', gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x0a)), { 'content-encoding': 'gzip' }],
  ])('answers a body %s with 413 and Connection: close, and the keep-alive client goes on', async (_what, body, encoding) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const type = { 'content-type': 'application/x-protobuf' };
      const before = await post(agent, port, Buffer.alloc(0), type);
      expect(before.status).toBe(200);
      const refused = await post(agent, port, body, { ...type, ...encoding });
      expect(refused.status).toBe(413);
      expect(refused.connection).toBe('close');
      // The next requests on the same agent must not fail with ECONNRESET: the agent
      // saw "close" and opens a fresh socket instead of writing into a dead one.
      for (let i = 0; i < 3; i++) expect((await post(agent, port, Buffer.alloc(0), type)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
