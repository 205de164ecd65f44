import { loadConfig } from './config.js';
import { ConfigError } from './env-schema.js';

describe('loadConfig', () => {
  it('defaults to the OTLP/HTTP port on loopback with no tokens', () => {
    const c = loadConfig({});
    expect(c.port).toBe(4318);
    expect(c.host).toBe('127.0.0.1');
    expect(c.tokens).toEqual([]);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.ingest.flushIntervalMs).toBe(200);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: expected an integer between 1 and 65535$/],
    [{ PORT: '70000' }, /^PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected a postgres/],
    [{ RUN_MIGRATIONS: 'maybe' }, /^RUN_MIGRATIONS: expected true or false$/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of error, warn, info, debug$/],
    [{ SPAN_KINDS: 'server,bogus' }, /^SPAN_KINDS: /],
    [{ HOST: '0.0.0.0' }, /^HOST: listening on 0.0.0.0 without tokens is refused/],
    [{ TRACE_URL_TEMPLATE: 'http://jaeger:16686/trace/' }, /^TRACE_URL_TEMPLATE: expected an http\(s\) URL containing \{traceId\}$/],
    [{ TRACE_URL_TEMPLATE: 'javascript:alert({traceId})' }, /^TRACE_URL_TEMPLATE: /],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes a trace link template with {traceId} for the console', () => {
    expect(loadConfig({}).traceUrlTemplate).toBeUndefined();
    expect(loadConfig({ TRACE_URL_TEMPLATE: 'http://jaeger:16686/trace/{traceId}' }).traceUrlTemplate).toBe('http://jaeger:16686/trace/{traceId}');
  });

  it('never echoes a rejected value, which may be a secret', () => {
    expect(() => loadConfig({ WRITE_TOKENS: 'tiny-secret' })).toThrow(/^WRITE_TOKENS: expected tokens of at least 16 characters$/);
    try {
      loadConfig({ WRITE_TOKENS: 'tiny-secret' });
    } catch (e) {
      expect(String(e)).not.toContain('tiny-secret');
    }
  });

  it('gives write tokens the read scope and listens on all interfaces once tokens exist', () => {
    const c = loadConfig({ WRITE_TOKENS: 'w'.repeat(20), INGEST_TOKENS: 'i'.repeat(20) });
    expect(c.host).toBe('0.0.0.0');
    expect(c.tokens).toEqual([
      { token: 'w'.repeat(20), scopes: ['read', 'write'] },
      { token: 'i'.repeat(20), scopes: ['ingest'] },
    ]);
  });

  it('parses span kinds and extra dimensions', () => {
    const c = loadConfig({ SPAN_KINDS: 'server, consumer', EXTRA_DIMENSIONS: 'http.route, deployment.environment.name' });
    expect(c.ingest.spanKinds).toEqual([2, 5]);
    expect(c.ingest.extraDimensions).toEqual(['http.route', 'deployment.environment.name']);
  });
});
