import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * createDataSource builds the one DataSource used by the app and the
 * migration CLI. `synchronize` is never on: the schema is what the
 * migrations say it is.
 */
export function createDataSource(url: string, applicationName = 'burnwatch'): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    logging: false,
    applicationName,
    extra: {
      max: 10,
      // A database outage must surface as a fast error (503 to clients),
      // never as requests hanging on a dead pool.
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      query_timeout: 30000,
      // Buckets are UTC: date_trunc('hour'|'day') must not follow a server
      // whose zone is offset by half an hour (India, parts of Australia).
      options: '-c TimeZone=UTC',
    },
  });
}
