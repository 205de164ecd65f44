import { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { AppConfig, loadConfig } from '../../src/config/config.js';
import { createDataSource } from '../../src/database/data-source.js';
import { createLogger } from '../../src/common/json-logger.js';

export interface TestApp {
  app: INestApplication;
  server: Server;
  config: AppConfig;
  dataSource: DataSource;
  /** base URL when started with listen: true */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * startTestApp runs the real application (real migrations, real
 * PostgreSQL) with the given environment, as main.ts would.
 */
export async function startTestApp(
  databaseUrl: string,
  env: Record<string, string> = {},
  opts: { listen?: boolean } = {},
): Promise<TestApp> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.TEST_LOG ?? 'error', ...env });
  const dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  // TEST_LOG=debug shows the app's own logs while debugging a test.
  const app = await createApp(config, dataSource, process.env.TEST_LOG ? createLogger(config.logLevel) : false);
  let baseUrl = '';
  if (opts.listen) {
    await app.listen(0, '127.0.0.1');
    const addr = app.getHttpServer().address();
    baseUrl = `http://127.0.0.1:${addr.port}`;
  }
  return {
    app,
    server: app.getHttpServer(),
    config,
    dataSource,
    baseUrl,
    close: async () => {
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
