import { ConfigError, EnvVar } from './env-schema.js';
import { ENV } from './env-vars.js';

export { ENV };

export type Scope = 'read' | 'write' | 'ingest';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** AppConfig is the validated, typed configuration; nothing reads process.env after boot. */
export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** DATA_DIR was set, so it is used as given or refused, never moved. */
  dataDirExplicit: boolean;
  runMigrations: boolean;
  logLevel: LogLevel;
  tokens: { token: string; scopes: Scope[] }[];
  metricsToken: string | undefined;
  shutdownTimeoutMs: number;
  publicUrl: string;
  /** Link template for trace ids in the console, with `{traceId}`; undefined shows ids as text. */
  traceUrlTemplate: string | undefined;
  ingest: {
    maxBodyBytes: number;
    flushIntervalMs: number;
    maxInflightSpans: number;
    seriesLimitPerService: number;
    extraDimensions: string[];
    spanKinds: number[] | undefined;
    sampleRateAttribute: string | undefined;
    maxFutureSkewMs: number;
  };
  retention: { minuteDays: number; hourDays: number };
  evalIntervalSeconds: number;
  smtp: { host: string | undefined; port: number; secure: boolean; user: string | undefined; password: string | undefined; from: string; tlsRejectUnauthorized: boolean };
  notify: {
    repeatIntervalMs: number;
    sendResolved: boolean;
    maxAttempts: number;
    maxAgeMs: number;
    timeoutMs: number;
    leaseMs: number;
    pollMs: number;
    slackMinIntervalMs: number;
  };
}

type Parsed<K extends keyof typeof ENV> = ReturnType<(typeof ENV)[K]['parse']>;

function read<K extends keyof typeof ENV>(env: NodeJS.ProcessEnv, key: K): Parsed<K> | undefined {
  const spec = ENV[key] as EnvVar<Parsed<K>>;
  const raw = env[spec.name] !== undefined && env[spec.name] !== '' ? env[spec.name] : spec.default;
  if (raw === undefined) return undefined;
  try {
    return spec.parse(raw);
  } catch (e) {
    if (e instanceof ConfigError) {
      // Name the variable but never echo its value: it may be a secret.
      throw new ConfigError(`${spec.name}: ${e.message}`);
    }
    throw e;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * loadConfig validates the environment once at boot. It throws ConfigError
 * with a one-line message naming the variable, which main.ts prints and exits on.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const scopes = new Map<string, Set<Scope>>();
  const grant = (tokens: string[], ...s: Scope[]) => {
    for (const t of tokens) {
      const set = scopes.get(t) ?? new Set<Scope>();
      s.forEach((x) => set.add(x));
      scopes.set(t, set);
    }
  };
  grant(read(env, 'READ_TOKENS') ?? [], 'read');
  grant(read(env, 'WRITE_TOKENS') ?? [], 'read', 'write');
  grant(read(env, 'INGEST_TOKENS') ?? [], 'ingest');
  const tokens = [...scopes].map(([token, s]) => ({ token, scopes: [...s] }));

  const port = read(env, 'PORT')!;
  const host = read(env, 'HOST') ?? (tokens.length > 0 ? '0.0.0.0' : '127.0.0.1');
  if (tokens.length === 0 && !isLoopback(host)) {
    throw new ConfigError(
      `HOST: listening on ${host} without tokens is refused; set READ_TOKENS/WRITE_TOKENS/INGEST_TOKENS or use 127.0.0.1`,
    );
  }
  const sampleRateAttribute = read(env, 'SAMPLE_RATE_ATTRIBUTE');
  const spanKindList = read(env, 'SPAN_KINDS')!;
  return {
    port,
    host,
    databaseUrl: read(env, 'DATABASE_URL'),
    dataDir: read(env, 'DATA_DIR')!,
    dataDirExplicit: env.DATA_DIR !== undefined && env.DATA_DIR !== '',
    runMigrations: read(env, 'RUN_MIGRATIONS')!,
    logLevel: read(env, 'LOG_LEVEL')!,
    tokens,
    metricsToken: read(env, 'METRICS_TOKEN'),
    shutdownTimeoutMs: read(env, 'SHUTDOWN_TIMEOUT_MS')!,
    publicUrl: read(env, 'PUBLIC_URL') ?? `http://${isLoopback(host) || host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    traceUrlTemplate: read(env, 'TRACE_URL_TEMPLATE'),
    ingest: {
      maxBodyBytes: read(env, 'MAX_BODY_BYTES')!,
      flushIntervalMs: read(env, 'FLUSH_INTERVAL_MS')!,
      maxInflightSpans: read(env, 'MAX_INFLIGHT_SPANS')!,
      seriesLimitPerService: read(env, 'SERIES_LIMIT_PER_SERVICE')!,
      extraDimensions: read(env, 'EXTRA_DIMENSIONS')!,
      spanKinds: spanKindList.length > 0 ? spanKindList : undefined,
      sampleRateAttribute: sampleRateAttribute ? sampleRateAttribute : undefined,
      maxFutureSkewMs: read(env, 'MAX_FUTURE_SKEW_MS')!,
    },
    retention: { minuteDays: read(env, 'RETENTION_MINUTE_DAYS')!, hourDays: read(env, 'RETENTION_HOUR_DAYS')! },
    evalIntervalSeconds: read(env, 'EVAL_INTERVAL_SECONDS')!,
    smtp: {
      host: read(env, 'SMTP_HOST'),
      port: read(env, 'SMTP_PORT')!,
      secure: read(env, 'SMTP_SECURE')!,
      user: read(env, 'SMTP_USER'),
      password: read(env, 'SMTP_PASSWORD'),
      from: read(env, 'SMTP_FROM')!,
      tlsRejectUnauthorized: read(env, 'SMTP_TLS_REJECT_UNAUTHORIZED')!,
    },
    notify: {
      repeatIntervalMs: read(env, 'NOTIFY_REPEAT_INTERVAL_SECONDS')! * 1000,
      sendResolved: read(env, 'NOTIFY_SEND_RESOLVED')!,
      maxAttempts: read(env, 'NOTIFY_MAX_ATTEMPTS')!,
      maxAgeMs: read(env, 'NOTIFY_MAX_AGE_SECONDS')! * 1000,
      timeoutMs: read(env, 'NOTIFY_TIMEOUT_MS')!,
      leaseMs: read(env, 'NOTIFY_LEASE_SECONDS')! * 1000,
      pollMs: read(env, 'NOTIFY_POLL_MS')!,
      slackMinIntervalMs: read(env, 'SLACK_MIN_INTERVAL_MS')!,
    },
  };
}

/** APP_CONFIG is the injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
