import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const pg = globalThis.__BURNWATCH_PG__;
  if (!pg) return;
  // Run once per project that set it up: the first one stops the server.
  delete globalThis.__BURNWATCH_PG__;
  await pg.db.stop();
  rmSync(pg.dir, { recursive: true, force: true });
}
