import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { loadConfig } from './config/config.js';
import { createLogger } from './common/json-logger.js';
import { openDatabase } from './database/database.js';

/**
 * main boots in the order that makes shutdown safe: config, database,
 * migrations, app; and shuts down in reverse: stop accepting, finish
 * in-flight work (the app's shutdown hooks flush pending spans), close the
 * database, stop the embedded server.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, (m) => logger.log(m, 'Database'));
  if (config.runMigrations) {
    const applied = await db.dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) logger.log(`applied ${applied.length} migration(s)`, 'Database');
  }
  const app = await createApp(config, db.dataSource, logger);
  await app.listen(config.port, config.host);
  logger.log(`listening on ${config.host}:${config.port}`, 'Burnwatch');
  if (config.tokens.length === 0) {
    logger.warn(`no API tokens configured: listening on ${config.host} only, every route is open to local callers`, 'Burnwatch');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`, 'Burnwatch');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out', 'Burnwatch');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5000);
    timer.unref();
    try {
      await app.close();
    } finally {
      await db.close();
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e: unknown) => {
  // One line, no stack: a bad variable or an unreachable database is a
  // configuration problem, and the message names it.
  process.stderr.write(`burnwatch: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
