import nodemailer, { type NodemailerError, type SMTPPoolOptions, type SMTPPoolSentMessageInfo, type Transporter } from 'nodemailer';
import { accentColor, alertFacts, factRows, operationLine, subjectLine, whatHappened, type AlertFacts } from '../message/facts.js';
import type { Notification, SendResult } from '../message/notification.js';
import { failure, redact, shortBody } from './http-post.js';

export interface SmtpConfig {
  host: string;
  port: number;
  /** true: TLS from the first byte (465); false: STARTTLS when the server offers it (587, 25). */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  timeoutMs: number;
  /** Accept self-signed certificates only when an operator explicitly says so. */
  tlsRejectUnauthorized?: boolean;
}

export type SmtpTransport = Transporter<SMTPPoolSentMessageInfo, SMTPPoolOptions>;

export interface Email {
  subject: string;
  text: string;
  html: string;
}

/** Operations listed in an email; the rest are one click away on the alert. */
const MAX_OPERATIONS = 10;

/**
 * createSmtpTransport opens a pooled transport: an alert storm reuses a few
 * connections instead of one handshake per message. Nodemailer's default
 * timeouts are minutes (2 min connect, 10 min idle socket); a dispatcher
 * holding a lease cannot wait that long, so all of them are the configured
 * seconds. Mail content never loads files or URLs (alert data is untrusted).
 */
export function createSmtpTransport(cfg: SmtpConfig): SmtpTransport {
  const options: SMTPPoolOptions & { pool: true } = {
    pool: true,
    maxConnections: 2,
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    ...(cfg.user ? { auth: { user: cfg.user, pass: cfg.password ?? '' } } : {}),
    connectionTimeout: cfg.timeoutMs,
    greetingTimeout: cfg.timeoutMs,
    socketTimeout: cfg.timeoutMs,
    dnsTimeout: cfg.timeoutMs,
    tls: { rejectUnauthorized: cfg.tlsRejectUnauthorized ?? true },
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  };
  return nodemailer.createTransport(options, { from: cfg.from });
}

const h = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const code = (s: string) => `<code style="background:#f2f2f2;padding:0 3px">${h(s)}</code>`;

function textBody(n: Notification, f: AlertFacts, subject: string): string {
  const rows = factRows(n, f);
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  const out = [subject, '', whatHappened(n, f)];
  if (f.summary && n.kind !== 'test') out.push(f.summary);
  out.push('', ...rows.map((r) => `${`${r.label}:`.padEnd(width)}${r.value}`));
  if (n.kind === 'firing' || n.kind === 'repeat') {
    if (f.burnRates.length) out.push('', `Burn rates: ${f.burnRates.map((b) => `${b.window} ${b.rate}`).join(' · ')}`);
    if (f.crossed.length) {
      out.push('Tiers crossed:', ...f.crossed.map((t) => `  - ${t.windows} ≥ ${t.factor ?? '?'}: long ${t.longBurnRate ?? '?'}, short ${t.shortBurnRate ?? '?'}`));
    }
    if (f.topOperations.length) {
      out.push('', 'Top failing operations:');
      for (const o of f.topOperations.slice(0, MAX_OPERATIONS)) {
        out.push(`  - ${operationLine(o)}`);
        if (o.exampleTraceIds.length) out.push(`    traces: ${o.exampleTraceIds.join(', ')}`);
      }
    }
  }
  if (f.links.length) out.push('', ...f.links.map((l) => `${`${l.label}:`.padEnd(11)}${l.url}`));
  if (f.labels.length) out.push('', `Labels: ${f.labels.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  out.push('', '--', `Burnwatch · sent ${n.sentAt} · fingerprint ${n.alert.fingerprint}`);
  return `${out.join('\n')}\n`;
}

function htmlBody(n: Notification, f: AlertFacts, subject: string): string {
  const cell = 'padding:2px 12px 2px 0;vertical-align:top';
  const parts = [
    `<h2 style="margin:0 0 8px;font-size:18px">${h(subject)}</h2>`,
    `<p style="margin:0 0 8px">${h(whatHappened(n, f))}</p>`,
  ];
  if (f.summary && n.kind !== 'test') parts.push(`<p style="margin:0 0 8px"><em>${h(f.summary)}</em></p>`);
  parts.push(
    '<table style="border-collapse:collapse;margin:8px 0">',
    ...factRows(n, f).map((r) => `<tr><th style="${cell};text-align:left">${h(r.label)}</th><td style="${cell}">${h(r.value)}</td></tr>`),
    '</table>',
  );
  if (n.kind === 'firing' || n.kind === 'repeat') {
    if (f.burnRates.length) {
      parts.push(`<p style="margin:8px 0"><strong>Burn rates</strong><br>${f.burnRates.map((b) => `${code(b.window)} ${h(b.rate)}`).join(' · ')}</p>`);
    }
    if (f.crossed.length) {
      const items = f.crossed.map((t) => `<li>${h(`${t.windows} ≥ ${t.factor ?? '?'}: long ${t.longBurnRate ?? '?'}, short ${t.shortBurnRate ?? '?'}`)}</li>`);
      parts.push('<p style="margin:8px 0 0"><strong>Tiers crossed</strong></p>', `<ul style="margin:0">${items.join('')}</ul>`);
    }
    if (f.topOperations.length) {
      const items = f.topOperations.slice(0, MAX_OPERATIONS).map((o) => {
        const traces = o.exampleTraceIds.length ? `<br>traces: ${o.exampleTraceIds.map(code).join(', ')}` : '';
        return `<li>${h(operationLine(o))}${traces}</li>`;
      });
      parts.push('<p style="margin:8px 0 0"><strong>Top failing operations</strong></p>', `<ul style="margin:0">${items.join('')}</ul>`);
    }
  }
  // Links are http(s) only (facts drops anything else), and still escaped as attribute values.
  if (f.links.length) parts.push(`<p style="margin:12px 0">${f.links.map((l) => `<a href="${h(l.url)}">${h(l.label)}</a>`).join(' · ')}</p>`);
  if (f.labels.length) parts.push(`<p style="margin:8px 0;font-size:12px;color:#555">Labels: ${f.labels.map(([k, v]) => code(`${k}=${v}`)).join(' ')}</p>`);
  parts.push(`<p style="margin:8px 0 0;font-size:12px;color:#888">Burnwatch · sent ${h(n.sentAt)} · fingerprint ${h(n.alert.fingerprint)}</p>`);
  return [
    '<!doctype html><html><head><meta charset="utf-8"></head>',
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#222">',
    `<div style="border-left:6px solid ${accentColor(n, f)};padding:8px 16px">`,
    ...parts,
    '</div></body></html>',
  ].join('\n');
}

/** buildEmail renders a notification as subject, plain text and HTML with the same facts. Pure. */
export function buildEmail(n: Notification): Email {
  const f = alertFacts(n);
  // A line break in a label must not become a header break.
  const subject = subjectLine(n, f).replace(/[\r\n]+/g, ' ').slice(0, 250);
  return { subject, text: textBody(n, f, subject), html: htmlBody(n, f, subject) };
}

/** Codes that describe the message or the configuration, not the moment: sending again cannot succeed. */
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EMAXRECIPIENTS', 'EREQUIRETLS']);

/** smtpSecrets lists the password in the forms it crosses the wire (AUTH PLAIN and LOGIN are base64). */
function smtpSecrets(transport: SmtpTransport): string[] {
  const auth = transport.options?.auth;
  const user = typeof auth?.user === 'string' ? auth.user : '';
  const pass = typeof auth?.pass === 'string' ? auth.pass : '';
  if (!pass) return [];
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [pass, b64(pass), b64(`\u0000${user}\u0000${pass}`), b64(`${user}\u0000${user}\u0000${pass}`)];
}

/**
 * classifySmtpError decides retry or dead letter. RFC 5321: a 5yz reply is a
 * permanent rejection, 4yz (452 mailbox full, 421 shutting down) transient.
 * 503 (bad sequence of commands) is the exception: it blames the session
 * state, not the message, and a fresh pooled connection gets past it. A
 * refused login is permanent (the password will not fix itself) unless the
 * server said 454, temporary authentication failure (RFC 4954). Anything
 * without a reply — refused, dropped, timed out — is transient.
 */
export function classifySmtpError(err: unknown, secrets: string[] = []): SendResult {
  const e = (err ?? {}) as NodemailerError;
  const rc = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const what = shortBody(redact(e.response ?? e.message ?? String(err), secrets));
  const tag = [e.code, rc].filter((x) => x !== undefined).join(' ');
  const error = `smtp${tag ? ` ${tag}` : ''}: ${what}`;
  if (rc !== undefined && rc >= 400 && rc < 500) return failure(false, error);
  if (rc !== undefined && rc >= 500) return failure(rc !== 503, error);
  return failure(e.code !== undefined && PERMANENT_CODES.has(e.code), error);
}

/**
 * sendEmail sends one message to all recipients. A message some recipients
 * accepted is a success: retrying would send it twice to the others.
 */
export async function sendEmail(transport: SmtpTransport, from: string, to: string[], email: Email): Promise<SendResult> {
  if (to.length === 0) return failure(true, 'email: no recipients');
  try {
    const info = await transport.sendMail({ from, to, subject: email.subject, text: email.text, html: email.html });
    if (info.accepted.length === 0) return failure(true, `smtp: every recipient was rejected`);
    return { ok: true };
  } catch (err) {
    return classifySmtpError(err, smtpSecrets(transport));
  }
}
