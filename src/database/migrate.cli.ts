import { loadConfig } from '../config/config.js';
import { ConfigError } from '../config/env-schema.js';
import { openDatabase } from './database.js';

/** `npm run migration:run`: apply pending migrations and exit. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openDatabase(config, (m) => process.stderr.write(`${m}\n`));
  try {
    const applied = await db.dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(`applied ${applied.length} migration(s)${applied.map((m) => `\n  ${m.name}`).join('')}\n`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`burnwatch: ${e instanceof ConfigError || e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
