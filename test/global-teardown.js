import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const pg = globalThis.__BURNWATCH_PG__;
  if (!pg) return;
  await pg.db.stop();
  rmSync(pg.dir, { recursive: true, force: true });
}
