import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest<B = unknown> {
  path: string;
  headers: IncomingHttpHeaders;
  body: B;
  /** when the request arrived (ms since the epoch), so tests compare it with stored schedules */
  at: number;
}

export interface HttpRecorder<B = unknown> {
  /** http://127.0.0.1:<port> */
  base: string;
  received: RecordedRequest<B>[];
  close(): Promise<void>;
}

/**
 * startHttpRecorder runs a loopback HTTP server standing in for a receiver
 * (Slack, a webhook): it records every request with its JSON body, then
 * lets `answer` respond — or not at all, to play a receiver that hangs.
 * close() also cuts hanging connections.
 */
export async function startHttpRecorder<B = unknown>(
  answer: (req: IncomingMessage, res: ServerResponse, call: RecordedRequest<B>, n: number) => void,
): Promise<HttpRecorder<B>> {
  const received: RecordedRequest<B>[] = [];
  const server = http.createServer((req, res) => {
    const at = Date.now();
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const call = { path: req.url ?? '', headers: req.headers, body: JSON.parse(data || '{}') as B, at };
      received.push(call);
      answer(req, res, call, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
