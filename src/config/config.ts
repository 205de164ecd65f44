import { ConfigError, EnvVar, bool, httpUrl, int, list, oneOf, postgresUrl, str } from './env-schema.js';

export type Scope = 'read' | 'write' | 'ingest';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** AppConfig is the validated, typed configuration; nothing reads process.env after boot. */
export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  runMigrations: boolean;
  logLevel: LogLevel;
  tokens: { token: string; scopes: Scope[] }[];
  metricsToken: string | undefined;
  shutdownTimeoutMs: number;
  publicUrl: string;
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

const SPAN_KIND_NAMES: Record<string, number> = {
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};

const spanKinds = (raw: string): number[] =>
  list(raw).map((k) => {
    const n = SPAN_KIND_NAMES[k.toLowerCase()];
    if (n === undefined) throw new ConfigError('expected a comma list of internal, server, client, producer, consumer');
    return n;
  });

const tokenList = (raw: string): string[] => {
  const tokens = list(raw);
  for (const t of tokens) {
    if (t.length < 16) throw new ConfigError('expected tokens of at least 16 characters');
  }
  return tokens;
};

/** ENV lists every variable Burnwatch reads, with its default and meaning. */
export const ENV = {
  PORT: { name: 'PORT', doc: 'HTTP port for everything (OTLP/HTTP default).', default: '4318', parse: int(1, 65535) },
  HOST: {
    name: 'HOST',
    doc: 'Listen address. Defaults to 127.0.0.1 without tokens, 0.0.0.0 with tokens; a non-loopback address requires tokens.',
    default: undefined,
    parse: str,
  },
  DATABASE_URL: {
    name: 'DATABASE_URL',
    doc: 'PostgreSQL 14+ connection URL. Unset: an embedded PostgreSQL with its data under DATA_DIR.',
    default: undefined,
    parse: postgresUrl,
  },
  DATA_DIR: { name: 'DATA_DIR', doc: 'Where the embedded PostgreSQL keeps its data.', default: '.data', parse: str },
  RUN_MIGRATIONS: { name: 'RUN_MIGRATIONS', doc: 'Apply pending migrations at start-up.', default: 'true', parse: bool },
  LOG_LEVEL: {
    name: 'LOG_LEVEL',
    doc: 'error, warn, info or debug (debug logs one line per request).',
    default: 'info',
    parse: oneOf<LogLevel>('error', 'warn', 'info', 'debug'),
  },
  READ_TOKENS: { name: 'READ_TOKENS', doc: 'Comma list of bearer tokens with the read scope.', default: '', parse: tokenList },
  WRITE_TOKENS: {
    name: 'WRITE_TOKENS',
    doc: 'Comma list of bearer tokens with the write scope (write implies read).',
    default: '',
    parse: tokenList,
  },
  INGEST_TOKENS: {
    name: 'INGEST_TOKENS',
    doc: 'Comma list of bearer tokens allowed to send spans (/v1/traces, /api/v1/spans).',
    default: '',
    parse: tokenList,
  },
  METRICS_TOKEN: {
    name: 'METRICS_TOKEN',
    doc: 'Optional bearer token required by /metrics. Unset: /metrics is open.',
    default: undefined,
    parse: str,
  },
  SHUTDOWN_TIMEOUT_MS: {
    name: 'SHUTDOWN_TIMEOUT_MS',
    doc: 'How long a graceful shutdown waits for in-flight work.',
    default: '10000',
    parse: int(0, 600000),
  },
  PUBLIC_URL: {
    name: 'PUBLIC_URL',
    doc: 'Base URL users reach Burnwatch at, used for links in alerts.',
    default: undefined,
    parse: httpUrl,
  },
  MAX_BODY_BYTES: {
    name: 'MAX_BODY_BYTES',
    doc: 'Largest ingest body accepted, measured after gzip decompression (413 beyond).',
    default: String(16 * 1024 * 1024),
    parse: int(1024, 1024 * 1024 * 1024),
  },
  FLUSH_INTERVAL_MS: {
    name: 'FLUSH_INTERVAL_MS',
    doc: 'Group commit interval: spans are written in one transaction this often.',
    default: '200',
    parse: int(10, 60000),
  },
  MAX_INFLIGHT_SPANS: {
    name: 'MAX_INFLIGHT_SPANS',
    doc: 'Spans waiting for commit beyond which ingest answers 429 with Retry-After.',
    default: '500000',
    parse: int(1000, 100000000),
  },
  SERIES_LIMIT_PER_SERVICE: {
    name: 'SERIES_LIMIT_PER_SERVICE',
    doc: 'Distinct series per service; spans beyond go to one otel_metric_overflow series.',
    default: '2000',
    parse: int(1, 1000000),
  },
  EXTRA_DIMENSIONS: {
    name: 'EXTRA_DIMENSIONS',
    doc: 'Comma list of span/resource attributes added to the series key, e.g. http.route.',
    default: '',
    parse: list,
  },
  SPAN_KINDS: {
    name: 'SPAN_KINDS',
    doc: 'Comma list of span kinds counted into RED metrics (internal, server, client, producer, consumer). Empty: all.',
    default: '',
    parse: spanKinds,
  },
  SAMPLE_RATE_ATTRIBUTE: {
    name: 'SAMPLE_RATE_ATTRIBUTE',
    doc: 'Span or resource attribute holding 1-in-N sampling (N); empty to disable.',
    default: 'SampleRate',
    parse: str,
  },
  MAX_FUTURE_SKEW_MS: {
    name: 'MAX_FUTURE_SKEW_MS',
    doc: 'Spans starting further than this in the future are rejected.',
    default: '600000',
    parse: int(0, 86400000),
  },
  RETENTION_MINUTE_DAYS: {
    name: 'RETENTION_MINUTE_DAYS',
    doc: 'Days of per-minute rows kept (at least the longest alert window plus lateness).',
    default: '8',
    parse: int(4, 90),
  },
  RETENTION_HOUR_DAYS: {
    name: 'RETENTION_HOUR_DAYS',
    doc: 'Days of per-hour rows kept.',
    default: '400',
    parse: int(31, 3650),
  },
  EVAL_INTERVAL_SECONDS: {
    name: 'EVAL_INTERVAL_SECONDS',
    doc: 'How often SLOs and rules are evaluated.',
    default: '30',
    parse: int(1, 3600),
  },
  SMTP_HOST: { name: 'SMTP_HOST', doc: 'SMTP server for email notifications; unset disables email channels.', default: undefined, parse: str },
  SMTP_PORT: { name: 'SMTP_PORT', doc: 'SMTP port.', default: '587', parse: int(1, 65535) },
  SMTP_SECURE: { name: 'SMTP_SECURE', doc: 'Use implicit TLS (port 465 style); otherwise STARTTLS when offered.', default: 'false', parse: bool },
  SMTP_USER: { name: 'SMTP_USER', doc: 'SMTP user name (optional).', default: undefined, parse: str },
  SMTP_PASSWORD: { name: 'SMTP_PASSWORD', doc: 'SMTP password (optional; never logged or returned).', default: undefined, parse: str },
  SMTP_FROM: { name: 'SMTP_FROM', doc: 'From address of alert email.', default: 'burnwatch@localhost', parse: str },
  SMTP_TLS_REJECT_UNAUTHORIZED: {
    name: 'SMTP_TLS_REJECT_UNAUTHORIZED',
    doc: 'Verify the SMTP server certificate.',
    default: 'true',
    parse: bool,
  },
  NOTIFY_REPEAT_INTERVAL_SECONDS: {
    name: 'NOTIFY_REPEAT_INTERVAL_SECONDS',
    doc: 'Repeat notifications for alerts still firing this often.',
    default: String(4 * 3600),
    parse: int(1, 7 * 86400),
  },
  NOTIFY_SEND_RESOLVED: { name: 'NOTIFY_SEND_RESOLVED', doc: 'Send a notification when an alert resolves.', default: 'true', parse: bool },
  NOTIFY_MAX_ATTEMPTS: {
    name: 'NOTIFY_MAX_ATTEMPTS',
    doc: 'Attempts before a failing notification goes to dead letter.',
    default: '10',
    parse: int(1, 100),
  },
  NOTIFY_MAX_AGE_SECONDS: {
    name: 'NOTIFY_MAX_AGE_SECONDS',
    doc: 'Age after which a notification still failing goes to dead letter.',
    default: String(24 * 3600),
    parse: int(10, 30 * 86400),
  },
  NOTIFY_TIMEOUT_MS: { name: 'NOTIFY_TIMEOUT_MS', doc: 'Timeout of one send (HTTP or SMTP).', default: '10000', parse: int(100, 120000) },
  NOTIFY_LEASE_SECONDS: {
    name: 'NOTIFY_LEASE_SECONDS',
    doc: 'How long a claimed notification is reserved for its sender; after that another replica may send it.',
    default: '60',
    parse: int(1, 3600),
  },
  NOTIFY_POLL_MS: { name: 'NOTIFY_POLL_MS', doc: 'How often each replica looks for due notifications.', default: '1000', parse: int(50, 60000) },
  SLACK_MIN_INTERVAL_MS: {
    name: 'SLACK_MIN_INTERVAL_MS',
    doc: 'Minimum spacing of messages to one Slack webhook (Slack allows about one per second).',
    default: '1000',
    parse: int(0, 60000),
  },
} satisfies Record<string, EnvVar<unknown>>;

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
    runMigrations: read(env, 'RUN_MIGRATIONS')!,
    logLevel: read(env, 'LOG_LEVEL')!,
    tokens,
    metricsToken: read(env, 'METRICS_TOKEN'),
    shutdownTimeoutMs: read(env, 'SHUTDOWN_TIMEOUT_MS')!,
    publicUrl: read(env, 'PUBLIC_URL') ?? `http://${isLoopback(host) || host === '0.0.0.0' ? 'localhost' : host}:${port}`,
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
