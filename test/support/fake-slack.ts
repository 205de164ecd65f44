import { startHttpRecorder, type RecordedRequest } from './http-recorder.js';

export type SlackCall = RecordedRequest<{ text?: string; blocks?: unknown[]; attachments?: { color?: string; blocks?: unknown[] }[] }>;

/**
 * startFakeSlack is a local HTTP server standing in for a Slack incoming
 * webhook. `respond` decides each answer (default 200 `ok`), so tests can
 * script 429s, 5xx, 4xx and hangs.
 */
export async function startFakeSlack(
  respond: (call: SlackCall, n: number) => { status: number; body?: string; headers?: Record<string, string> } | 'hang' = () => ({ status: 200, body: 'ok' }),
) {
  const recorder = await startHttpRecorder<SlackCall['body']>((_req, res, call, n) => {
    const r = respond(call, n);
    if (r === 'hang') return;
    res.writeHead(r.status, { 'content-type': 'text/plain', ...(r.headers ?? {}) });
    res.end(r.body ?? '');
  });
  return {
    url: (path: string) => `${recorder.base}${path}`,
    calls: recorder.received,
    close: recorder.close,
  };
}
