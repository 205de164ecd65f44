export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * until polls `check` until it returns something truthy, and fails with
 * `what` after `ms`. Tests wait for outcomes (a tick ran, a message arrived)
 * rather than for fixed times, so a slow CI machine only makes them slower.
 */
export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}
