import { useEffect, useState } from 'preact/hooks';

/** usePoll loads now and again every `everyMs` while the page is open; keeps the last good data on error. */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[], everyMs = 15000) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout>;
    const run = async () => {
      try {
        const d = await load();
        if (alive) {
          setData(d);
          setError(null);
        }
      } catch (e) {
        if (alive) setError(e);
      }
      if (alive && everyMs > 0) timer = setTimeout(run, everyMs);
    };
    void run();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1) };
}
