import request from 'supertest';
import { useTestApp } from './support/test-app.js';

const READ = 'read-token-0123456789abcdef';
const WRITE = 'write-token-0123456789abcdef';
const INGEST = 'ingest-token-0123456789abcdef';

describe('bearer tokens and scopes', () => {
  const t = useTestApp({ READ_TOKENS: READ, WRITE_TOKENS: WRITE, INGEST_TOKENS: INGEST, HOST: '127.0.0.1' });
  const span = [{ service: 's', operation: 'op', start: Date.now(), durationMs: 1, status: 'ok' }];

  const spans = (token?: string) => {
    const r = request(t.server).post('/api/v1/spans').set('Content-Type', 'application/json');
    if (token) r.set('Authorization', `Bearer ${token}`);
    return r.send(JSON.stringify(span));
  };

  it('401 without a token or with an unknown one, as JSON', async () => {
    const res = await spans().expect(401);
    expect(res.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
    await spans('not-a-known-token-000000').expect(401);
    await request(t.server).get('/api/v1/services').expect(401);
  });

  it('403 with a token lacking the scope', async () => {
    await spans(READ).expect(403);
    await spans(WRITE).expect(403);
    await request(t.server).get('/api/v1/services').set('Authorization', `Bearer ${INGEST}`).expect(403);
    await request(t.server).post('/v1/traces').set('Authorization', `Bearer ${READ}`).set('Content-Type', 'application/json').send('{}').expect(403);
  });

  it('passes with the right scope; write implies read', async () => {
    await spans(INGEST).expect(200);
    await request(t.server).post('/v1/traces').set('Authorization', `Bearer ${INGEST}`).set('Content-Type', 'application/json').send('{}').expect(200);
    await request(t.server).get('/api/v1/services').set('Authorization', `Bearer ${READ}`).expect(200);
    await request(t.server).get('/api/v1/services').set('Authorization', `Bearer ${WRITE}`).expect(200);
  });

  it('keeps /healthz, /readyz and (without METRICS_TOKEN) /metrics open', async () => {
    await request(t.server).get('/healthz').expect(200);
    await request(t.server).get('/readyz').expect(200);
    await request(t.server).get('/metrics').expect(200);
  });
});
