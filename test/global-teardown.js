export default async function globalTeardown() {
  const pg = globalThis.__BURNWATCH_PG__;
  if (pg) await pg.stop();
}
