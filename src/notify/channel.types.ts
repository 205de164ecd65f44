export type ChannelType = 'slack' | 'email' | 'webhook' | 'alertmanager';

/** How Burnwatch authenticates to Alertmanager (or the proxy in front of it); the secrets never leave. */
export type AlertmanagerAuth = { basic: { username: string; password: string } } | { bearerToken: string } | null;

export type ChannelConfig =
  | { type: 'slack'; webhookUrl: string }
  | { type: 'email'; to: string[] }
  | { type: 'webhook'; url: string; headers: Record<string, string> }
  /** Every URL (an HA pair or more) gets every alert, as Prometheus sends to each configured Alertmanager. */
  | { type: 'alertmanager'; urls: string[]; auth: AlertmanagerAuth };

export interface Channel {
  id: string;
  name: string;
  config: ChannelConfig;
  /** Severities routed here; empty = all. */
  severities: string[];
  /** Used for alerts whose SLO or rule names no channel. */
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

const REDACTED = '[redacted]';

/**
 * redact is the only way a channel leaves the API: webhook URLs carry their
 * token in the path and header values carry credentials, so neither is ever
 * returned. The host stays visible so a user can tell channels apart.
 */
export function redact(c: Channel) {
  const host = (u: string) => {
    try {
      return new URL(u).host;
    } catch {
      return '';
    }
  };
  const cfg = c.config;
  const config =
    cfg.type === 'slack'
      ? { webhookUrl: REDACTED, webhookHost: host(cfg.webhookUrl) }
      : cfg.type === 'webhook'
        ? { url: REDACTED, urlHost: host(cfg.url), headers: Object.fromEntries(Object.keys(cfg.headers).map((k) => [k, REDACTED])) }
        : cfg.type === 'alertmanager'
          ? {
              // A URL may carry user info; only hosts are shown.
              urls: cfg.urls.map(() => REDACTED),
              urlHosts: cfg.urls.map(host),
              auth: cfg.auth === null ? 'none' : 'basic' in cfg.auth ? 'basic' : 'bearer',
              ...(cfg.auth && 'basic' in cfg.auth ? { username: cfg.auth.basic.username } : {}),
            }
          : { to: cfg.to };
  return { id: c.id, name: c.name, type: cfg.type, config, severities: c.severities, isDefault: c.isDefault, createdAt: c.createdAt, updatedAt: c.updatedAt };
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const SEVERITIES = ['page', 'ticket', 'info'];

function httpsOrHttp(u: unknown): boolean {
  try {
    return typeof u === 'string' && ['http:', 'https:'].includes(new URL(u).protocol);
  } catch {
    return false;
  }
}

/** validateChannel checks a channel body; errors name the field and never echo secrets. */
export function validateChannel(body: unknown): { name: string; config: ChannelConfig; severities: string[]; isDefault: boolean; errors: string[] } {
  const errors: string[] = [];
  const b = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) errors.push('body: must be a JSON object');
  const name = b.name;
  if (typeof name !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9._:-]{0,127}$/.test(name)) errors.push('name: must be 1-128 letters, digits, . _ : -');
  const cfg = (typeof b.config === 'object' && b.config !== null ? b.config : {}) as Record<string, unknown>;
  let config: ChannelConfig = { type: 'email', to: [] };
  if (b.type === 'slack') {
    if (!httpsOrHttp(cfg.webhookUrl)) errors.push('config.webhookUrl: must be an http(s) URL (the Slack incoming webhook)');
    config = { type: 'slack', webhookUrl: String(cfg.webhookUrl) };
  } else if (b.type === 'email') {
    const to = cfg.to;
    if (!Array.isArray(to) || to.length === 0 || to.length > 100 || to.some((x) => typeof x !== 'string' || !EMAIL.test(x))) {
      errors.push('config.to: must be a list of 1-100 email addresses');
    }
    config = { type: 'email', to: Array.isArray(to) ? (to as string[]) : [] };
  } else if (b.type === 'webhook') {
    if (!httpsOrHttp(cfg.url)) errors.push('config.url: must be an http(s) URL');
    const headers = cfg.headers ?? {};
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.entries(headers).some(([k, v]) => !/^[A-Za-z0-9-]{1,100}$/.test(k) || typeof v !== 'string' || /[\r\n]/.test(v))) {
      errors.push('config.headers: must be an object of header names to single-line string values');
    }
    config = { type: 'webhook', url: String(cfg.url), headers: (headers ?? {}) as Record<string, string> };
  } else if (b.type === 'alertmanager') {
    const urls = cfg.urls;
    if (!Array.isArray(urls) || urls.length === 0 || urls.length > 10 || urls.some((u) => !httpsOrHttp(u))) {
      errors.push('config.urls: must be a list of 1-10 http(s) Alertmanager base URLs');
    }
    const auth = parseAlertmanagerAuth(cfg, errors);
    config = { type: 'alertmanager', urls: Array.isArray(urls) ? urls.map(String) : [], auth };
  } else errors.push('type: must be slack, email, webhook or alertmanager');
  const severities = b.severities ?? [];
  if (!Array.isArray(severities) || severities.some((s) => !SEVERITIES.includes(s as string))) errors.push(`severities: must be a list of ${SEVERITIES.join(', ')}`);
  if (b.isDefault !== undefined && typeof b.isDefault !== 'boolean') errors.push('isDefault: must be true or false');
  return { name: String(name), config, severities: Array.isArray(severities) ? (severities as string[]) : [], isDefault: b.isDefault === true, errors };
}

const oneLine = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && v.length <= max && !/[\r\n]/.test(v);

/** parseAlertmanagerAuth reads `basicAuth: {username, password}` or `bearerToken`; at most one. */
function parseAlertmanagerAuth(cfg: Record<string, unknown>, errors: string[]): AlertmanagerAuth {
  const basic = cfg.basicAuth;
  const bearer = cfg.bearerToken;
  if (basic !== undefined && bearer !== undefined) {
    errors.push('config: give basicAuth or bearerToken, not both');
    return null;
  }
  if (basic !== undefined) {
    const b = (typeof basic === 'object' && basic !== null ? basic : {}) as Record<string, unknown>;
    // RFC 7617: the user-id may not contain a colon.
    if (!oneLine(b.username, 256) || String(b.username).includes(':') || !oneLine(b.password, 1024)) {
      errors.push('config.basicAuth: must be {username, password}, single-line strings, username without ":"');
      return null;
    }
    return { basic: { username: String(b.username), password: String(b.password) } };
  }
  if (bearer !== undefined) {
    if (!oneLine(bearer, 4096)) {
      errors.push('config.bearerToken: must be a single-line string');
      return null;
    }
    return { bearerToken: String(bearer) };
  }
  return null;
}
