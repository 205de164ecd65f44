import { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { AppConfig, loadConfig } from '../../src/config/config.js';
import { createDataSource } from '../../src/database/data-source.js';
import { createLogger } from '../../src/common/json-logger.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

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
  const dataSource = await migratedDataSource(databaseUrl);
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

/** migratedDataSource connects to the database and applies the real migrations, as the app does at start. */
export async function migratedDataSource(databaseUrl: string, applicationName?: string): Promise<DataSource> {
  const dataSource = createDataSource(databaseUrl, applicationName);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/** The app of a spec file (see useTestApp); `restart` replaces it on the same database. */
export interface FileTestApp extends TestApp {
  db: TestDatabase;
  restart(env?: Record<string, string>, opts?: { listen?: boolean }): Promise<void>;
}

/**
 * useTestApp is the usual e2e setup of a spec file: before its tests, a
 * fresh database and the app on it; after them, both gone. Call it in the
 * describe body, before the file's own hooks (they run in order). The
 * handle reads through to the running app, so a test may restart it.
 */
export function useTestApp(env: Record<string, string> = {}, opts: { listen?: boolean } = {}): FileTestApp {
  let db: TestDatabase | undefined;
  let current: TestApp | undefined;
  const running = (): TestApp => {
    if (!current) throw new Error('useTestApp: the app is not running here (outside a test, or after close)');
    return current;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    current = await startTestApp(db.url, env, opts);
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
    await db?.drop();
  });
  return {
    get app() {
      return running().app;
    },
    get server() {
      return running().server;
    },
    get config() {
      return running().config;
    },
    get dataSource() {
      return running().dataSource;
    },
    get baseUrl() {
      return running().baseUrl;
    },
    get db() {
      if (!db) throw new Error('useTestApp: no database yet (outside a test)');
      return db;
    },
    close: async () => {
      await current?.close();
      current = undefined;
    },
    restart: async (newEnv = env, newOpts = opts) => {
      await current?.close();
      current = undefined;
      current = await startTestApp(db!.url, newEnv, newOpts);
    },
  };
}
