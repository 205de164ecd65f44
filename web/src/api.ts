// The console speaks only the engine's public REST API, with the token the
// user typed (kept in sessionStorage: gone when the tab closes).
const TOKEN_KEY = 'burnwatch.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const token = {
  get: (): string => sessionStorage.getItem(TOKEN_KEY) ?? '',
  set: (t: string) => (t ? sessionStorage.setItem(TOKEN_KEY, t) : sessionStorage.removeItem(TOKEN_KEY)),
};

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** onUnauthorized lets the shell show the token prompt when a call is refused with 401. */
export const onUnauthorized = (l: Listener) => (unauthorizedListeners.add(l), () => unauthorizedListeners.delete(l));

/** `quiet` calls report a 401 to their caller only, not to the shell's token prompt. */
export async function api<T = any>(path: string, init: { method?: string; body?: unknown; quiet?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const t = token.get();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  if (res.status === 204) return null as T;
  const text = await res.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text for the message */
  }
  if (!res.ok) {
    if (res.status === 401 && !init.quiet) unauthorizedListeners.forEach((l) => l());
    throw new ApiError(res.status, (data && (data.message ?? data.error)) || text || res.statusText);
  }
  return data as T;
}

export const enc = encodeURIComponent;
