import pg from 'pg';
import { createTestDatabase, TestDatabase } from './support/test-database.js';
import { startServerProcess } from './support/server-process.js';
import { until } from './support/wait.js';

const PER_REQUEST = 20;

describe('kill -9 mid-ingest loses nothing that was acknowledged', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('stores every acknowledged span, and at most the unanswered in-flight ones besides', async () => {
    // Only a real process can be killed with SIGKILL mid-commit.
    const server = await startServerProcess(db.url);
    const port = server.port;
    try {
      let acknowledged = 0;
      /** Spans of requests that got no answer (the kill cut them off): each may or may not have committed. */
      let unanswered = 0;
      let refused = 0;
      let stop = false;
      const start = Date.now();
      const sender = async (id: number) => {
        for (let i = 0; !stop; i++) {
          const batch = Array.from({ length: PER_REQUEST }, (_, k) => ({
            service: `killed-${id}`,
            operation: 'op',
            start: start + ((i * PER_REQUEST + k) % 50_000),
            durationMs: 2,
            status: k % 4 === 0 ? 'error' : 'ok',
          }));
          let status: number;
          try {
            const res = await fetch(`http://127.0.0.1:${port}/api/v1/spans`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(batch),
            });
            await res.arrayBuffer();
            status = res.status;
          } catch {
            // Connection reset or refused: the process is gone. In flight at the kill, or sent after it.
            unanswered += PER_REQUEST;
            stop = true;
            continue;
          }
          if (status === 200) acknowledged += PER_REQUEST;
          else refused += PER_REQUEST;
        }
      };
      const senders = Array.from({ length: 6 }, (_, i) => sender(i));
      // Kill once a good amount was acknowledged, while the senders keep commits running back to back.
      await until('spans acknowledged', () => acknowledged >= 3000, 60_000);
      await server.kill('SIGKILL');
      await Promise.all(senders);

      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        const { rows } = await c.query(
          `SELECT COALESCE(SUM(m.calls), 0) AS calls, COALESCE(SUM(m.errors), 0) AS errors
           FROM red_minute m JOIN series s ON s.id = m.series_id WHERE s.service LIKE 'killed-%'`,
        );
        const stored = Number(rows[0].calls);
        expect(refused).toBe(0);
        expect(acknowledged).toBeGreaterThanOrEqual(3000);
        // Nothing acknowledged is missing ...
        expect(stored).toBeGreaterThanOrEqual(acknowledged);
        // ... and anything beyond it comes from requests the kill left unanswered, whole requests only.
        expect(stored - acknowledged).toBeLessThanOrEqual(unanswered);
        expect((stored - acknowledged) % PER_REQUEST).toBe(0);
        expect(Number(rows[0].errors)).toBe(stored / 4);
        const hour = await c.query(
          `SELECT COALESCE(SUM(h.calls), 0) AS calls FROM red_hour h JOIN series s ON s.id = h.series_id WHERE s.service LIKE 'killed-%'`,
        );
        expect(Number(hour.rows[0].calls)).toBe(stored);
      } finally {
        await c.end();
      }
    } finally {
      await server.kill('SIGKILL');
    }
  }, 120_000);
});
