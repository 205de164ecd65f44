import type { SendResult } from '../message/notification.js';
import { HOUR_MS } from '../../kernel/minute-ranges.js';

/** What a receiver answered; the body is cut, it only ever feeds a short error text. */
export interface HttpReply {
  status: number;
  body: string;
  retryAfter: string | null;
}

export type SendFailure = Extract<SendResult, { ok: false }>;

/** Receivers have been seen to answer Retry-After in days; an outbox row must not sleep that long unnoticed. */
export const MAX_RETRY_AFTER_MS = HOUR_MS;
const MAX_BODY_BYTES = 4096;
const ERROR_BODY_CHARS = 200;

export function failure(permanent: boolean, error: string, retryAfterMs?: number): SendFailure {
  return retryAfterMs === undefined ? { ok: false, permanent, error } : { ok: false, permanent, retryAfterMs, error };
}

/**
 * retryAfterMs reads a Retry-After header: delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). `nowMs` is only needed for the date form.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * urlSecrets lists the parts of a URL that may be credentials: Slack's
 * token is the last path segment, other receivers put keys in the query or
 * the user info. Host names are not secret and stay readable.
 */
export function urlSecrets(url: string): string[] {
  const out = [url];
  try {
    const u = new URL(url);
    out.push(u.pathname + u.search, u.search, u.username, u.password);
    out.push(...u.pathname.split('/').filter((s) => s.length >= 6));
    for (const v of u.searchParams.values()) out.push(v);
  } catch {
    // Not a URL: the whole string is already listed.
  }
  return out;
}

/** redact removes every secret (and its URL-encoded form) from a text that will be stored and shown. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  const all = secrets.flatMap((s) => [s, encodeURIComponent(s)]).filter((s) => s.length >= 4);
  // Longest first, so a secret that contains another is removed whole.
  for (const s of [...new Set(all)].sort((a, b) => b.length - a.length)) out = out.split(s).join('[redacted]');
  return out;
}

/** shortBody makes a receiver's body fit an error text: one line, at most 200 characters. */
export function shortBody(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > ERROR_BODY_CHARS ? `${line.slice(0, ERROR_BODY_CHARS - 1)}…` : line;
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES));
}

/** describeNetworkError names what went wrong without the message, which can carry the URL. */
function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: unknown; name?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  return `network error${code ? `: ${code}` : ''}`;
}

/**
 * postJson sends one JSON POST with a hard deadline covering connect, send
 * and the whole reply. Redirects are not followed: a webhook that moved is a
 * configuration error to fix, and following it would hand the payload (and
 * any auth header) to another host. No reply at all is always transient.
 */
export async function postJson(url: string, headers: Record<string, string>, payload: unknown, timeoutMs: number): Promise<HttpReply | SendFailure> {
  // An unparsable URL will not parse on the next attempt either; its text is not echoed, it may hold a token.
  if (!URL.canParse(url)) return failure(true, 'invalid URL');
  let h: Headers;
  try {
    h = new Headers({ 'content-type': 'application/json', 'user-agent': 'Burnwatch', ...headers });
  } catch {
    return failure(true, 'invalid request header');
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: h,
      body: JSON.stringify(payload),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await readCapped(res);
    return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    // Fetch refuses some ports outright (25, 6000, ...): no retry will get through.
    if ((err as { cause?: { message?: unknown } }).cause?.message === 'bad port') return failure(true, 'port not allowed for HTTP');
    return failure(false, describeNetworkError(err, timeoutMs));
  }
}

export const isFailure = (r: HttpReply | SendFailure): r is SendFailure => 'ok' in r;
