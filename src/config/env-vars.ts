import { ConfigError, EnvVar, bool, httpUrl, int, list, oneOf, postgresUrl, str } from './env-schema.js';
import type { LogLevel } from './config.js';
import { NAMEABLE_SPAN_KINDS, spanKindFromName } from '../kernel/span.model.js';
import { DAY_MS, MINUTE_MS } from '../kernel/minute-ranges.js';

const spanKinds = (raw: string): number[] =>
  list(raw).map((k) => {
    const n = spanKindFromName(k);
    if (n === undefined) throw new ConfigError(`expected a comma list of ${NAMEABLE_SPAN_KINDS.join(', ')}`);
    return n;
  });

const tokenList = (raw: string): string[] => {
  const tokens = list(raw);
  for (const t of tokens) {
    if (t.length < 16) throw new ConfigError('expected tokens of at least 16 characters');
  }
  return tokens;
};

/** traceUrlTemplate: an http(s) URL holding the `{traceId}` placeholder the console fills in. */
const traceUrlTemplate = (raw: string): string => {
  if (!raw.includes('{traceId}')) throw new ConfigError('expected an http(s) URL containing {traceId}');
  try {
    const url = new URL(raw.replaceAll('{traceId}', '0'));
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
  } catch {
    /* fall through */
  }
  throw new ConfigError('expected an http(s) URL containing {traceId}');
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
  DATA_DIR: {
    name: 'DATA_DIR',
    doc: 'Where the embedded PostgreSQL keeps its data. As root, a default DATA_DIR the postgres user cannot enter is kept under /var/lib/burnwatch instead; one you set is used as given or refused.',
    default: '.data',
    parse: str,
  },
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
    parse: int(0, 10 * MINUTE_MS),
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
    doc: 'Upper bound on how long received spans linger before their group commit starts; commits normally start as soon as the database is free.',
    default: '200',
    parse: int(10, MINUTE_MS),
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
    parse: int(0, DAY_MS),
  },
  RETENTION_MINUTE_DAYS: {
    name: 'RETENTION_MINUTE_DAYS',
    doc: 'Days of per-minute rows kept (at least the longest alert window plus lateness).',
    default: '8',
    parse: int(4, 90),
  },
  RETENTION_HOUR_DAYS: {
    name: 'RETENTION_HOUR_DAYS',
    doc: 'Days of per-hour rows kept, and of delivered notifications and closed alerts.',
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
  NOTIFY_TIMEOUT_MS: { name: 'NOTIFY_TIMEOUT_MS', doc: 'Timeout of one send (HTTP or SMTP).', default: '10000', parse: int(100, 2 * MINUTE_MS) },
  NOTIFY_LEASE_SECONDS: {
    name: 'NOTIFY_LEASE_SECONDS',
    doc: 'How long a claimed notification is reserved for its sender; after that another replica may send it.',
    default: '60',
    parse: int(1, 3600),
  },
  NOTIFY_POLL_MS: { name: 'NOTIFY_POLL_MS', doc: 'How often each replica looks for due notifications.', default: '1000', parse: int(50, MINUTE_MS) },
  SLACK_MIN_INTERVAL_MS: {
    name: 'SLACK_MIN_INTERVAL_MS',
    doc: 'Minimum spacing of messages to one Slack webhook (Slack allows about one per second).',
    default: '1000',
    parse: int(0, MINUTE_MS),
  },
  TRACE_URL_TEMPLATE: {
    name: 'TRACE_URL_TEMPLATE',
    doc: 'Link from a trace id to your trace viewer, with `{traceId}` where the id goes, e.g. http://jaeger:16686/trace/{traceId}. Unset: trace ids are shown as text.',
    default: undefined,
    parse: traceUrlTemplate,
  },
} satisfies Record<string, EnvVar<unknown>>;
