import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config.js';
import { createDataSource } from './data-source.js';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres.js';

export interface Database {
  dataSource: DataSource;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * openDatabase connects to DATABASE_URL, or starts the embedded PostgreSQL
 * when it is unset. A server that cannot be reached is reported in one line
 * naming DATABASE_URL (never the URL itself: it carries the password).
 */
export async function openDatabase(config: AppConfig, log: (m: string) => void): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.dataDir, {
      explicit: config.dataDirExplicit,
      ownProcessGroup: true,
      log: (m) => placementLog(m, log),
    });
    log(`embedded PostgreSQL started with its data in ${embedded.dataDir}/pg`);
    url = embedded.url;
  }
  const dataSource = createDataSource(url);
  try {
    await dataSource.initialize();
    await dataSource.query('SELECT 1');
  } catch (e) {
    await embedded?.stop();
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(`DATABASE_URL: cannot connect to PostgreSQL (${redact(reason)})`);
  }
  return {
    dataSource,
    embedded: embedded !== undefined,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** Only the placement notices: the server's own log lines are noise at info level. */
function placementLog(line: string, log: (m: string) => void): void {
  if (line.startsWith('embedded PostgreSQL:')) log(line);
}

function redact(msg: string): string {
  return msg.replace(/postgres(ql)?:\/\/[^\s]*/g, 'postgres://…');
}
