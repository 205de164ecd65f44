import http from 'node:http';

export interface SlackCall {
  path: string;
  body: { text?: string; blocks?: unknown[]; attachments?: { color?: string; blocks?: unknown[] }[] };
}

/**
 * startFakeSlack is a local HTTP server standing in for a Slack incoming
 * webhook. `respond` decides each answer (default 200 `ok`), so tests can
 * script 429s, 5xx, 4xx and hangs.
 */
export async function startFakeSlack(
  respond: (call: SlackCall, n: number) => { status: number; body?: string; headers?: Record<string, string> } | 'hang' = () => ({ status: 200, body: 'ok' }),
) {
  const calls: SlackCall[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const call = { path: req.url ?? '', body: JSON.parse(data || '{}') };
      calls.push(call);
      const r = respond(call, calls.length);
      if (r === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(r.status, { 'content-type': 'text/plain', ...(r.headers ?? {}) });
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    calls,
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
