import { checkChannel } from './channel.schema.js';

type ChannelType = 'slack' | 'email' | 'webhook' | 'alertmanager';

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

function httpsOrHttp(u: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(u).protocol);
  } catch {
    return false;
  }
}

/** ChannelBody is a body that passed CHANNEL_SCHEMA: types, lengths and patterns hold. */
type ChannelBody = {
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  severities?: string[];
  isDefault?: boolean;
};

/**
 * validateChannel checks a channel body: its shape by CHANNEL_SCHEMA, then
 * what the schema cannot say (that a URL parses). Errors name the field and
 * never echo secrets.
 */
export function validateChannel(body: unknown): { name: string; config: ChannelConfig; severities: string[]; isDefault: boolean; errors: string[] } {
  const errors = checkChannel(body);
  if (errors.length) return { name: '', config: { type: 'email', to: [] }, severities: [], isDefault: false, errors };
  const b = body as ChannelBody;
  const cfg = b.config;
  let config: ChannelConfig;
  if (b.type === 'slack') {
    const webhookUrl = cfg.webhookUrl as string;
    if (!httpsOrHttp(webhookUrl)) errors.push('config.webhookUrl: must be an http(s) URL (the Slack incoming webhook)');
    config = { type: 'slack', webhookUrl };
  } else if (b.type === 'email') {
    config = { type: 'email', to: cfg.to as string[] };
  } else if (b.type === 'webhook') {
    const url = cfg.url as string;
    if (!httpsOrHttp(url)) errors.push('config.url: must be an http(s) URL');
    config = { type: 'webhook', url, headers: (cfg.headers ?? {}) as Record<string, string> };
  } else {
    const urls = cfg.urls as string[];
    if (!urls.every(httpsOrHttp)) errors.push('config.urls: must be a list of 1-10 http(s) Alertmanager base URLs');
    const basic = cfg.basicAuth as { username: string; password: string } | undefined;
    const auth: AlertmanagerAuth = basic
      ? { basic: { username: basic.username, password: basic.password } }
      : cfg.bearerToken !== undefined
        ? { bearerToken: cfg.bearerToken as string }
        : null;
    config = { type: 'alertmanager', urls, auth };
  }
  return { name: b.name, config, severities: b.severities ?? [], isDefault: b.isDefault === true, errors };
}
