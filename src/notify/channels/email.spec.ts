import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Notification } from '../message/notification.js';
import { sampleSloAlert } from '../../../test/support/sample-alert.js';
import { buildEmail, createSmtpTransport, sendEmail, type SmtpConfig, type SmtpTransport } from './email.js';

const SENT = '2024-05-01T10:05:00.000Z';
const PASSWORD = 'hunter2-Sup3rSecret';
const note = (over: Partial<Notification> = {}): Notification => ({ kind: 'firing', alert: sampleSloAlert(), publicUrl: 'http://bw.example.com', sentAt: SENT, ...over });

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** decodeParts returns the decoded bodies of a MIME message, by content type (enough to read what nodemailer writes). */
function decodeParts(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(/\r?\n--[^\r\n]+/)) {
    const [head, ...rest] = part.split(/\r?\n\r?\n/);
    const type = /content-type:\s*([^;\s]+)/i.exec(head)?.[1]?.toLowerCase();
    if (!type || type.startsWith('multipart/')) continue;
    const body = rest.join('\n\n');
    const enc = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase();
    const bytes =
      enc === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
        : enc === 'quoted-printable'
          ? Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1')
          : Buffer.from(body, 'utf8');
    out[type] = bytes.toString('utf8');
  }
  return out;
}

/** A real SMTP server on 127.0.0.1; each test says how it behaves. Plain TCP unless `secure`. */
async function smtp(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 200,
    onAuth(auth, _session, cb) {
      if (auth.username === 'burnwatch' && auth.password === PASSWORD) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (raw += c));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
    ...options,
  });
  // Refused TLS handshakes and dropped sockets are what some tests provoke; the server reports them as errors.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { server, port, received };
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

describe('buildEmail', () => {
  it('puts the state, severity, SLO and burn rate in the subject', () => {
    expect(buildEmail(note()).subject).toBe('[FIRING:page] checkout-availability burn 14.9x');
    expect(buildEmail(note({ kind: 'resolved', alert: sampleSloAlert({ state: 'resolved', resolvedAt: SENT }) })).subject).toBe('[RESOLVED:page] checkout-availability');
  });

  it('escapes alert data in HTML and keeps line breaks out of the subject', () => {
    const hostile = sampleSloAlert({
      labels: { ...sampleSloAlert().labels, slo: 'evil\r\nBcc: x@example.com', team: '<script>alert(1)</script>' },
      annotations: { summary: '"><img src=x onerror=alert(1)>', runbook_url: 'javascript:alert(1)' },
      details: { ...sampleSloAlert().details, slo: undefined, runbookUrl: undefined },
    });
    const e = buildEmail(note({ alert: hostile }));
    expect(e.subject).toBe('[FIRING:page] evil Bcc: x@example.com burn 14.9x');
    expect(e.html).not.toContain('<script>');
    expect(e.html).not.toContain('<img');
    expect(e.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(e.html).not.toContain('javascript:');
  });
});

describe('sendEmail through a real SMTP server', () => {
  let transport: SmtpTransport | undefined;
  let servers: { close(cb: () => void): void }[] = [];
  const cfg = (port: number, over: Partial<SmtpConfig> = {}): SmtpConfig => ({
    host: '127.0.0.1', port, secure: false, user: 'burnwatch', password: PASSWORD, from: 'burnwatch@example.com', timeoutMs: 2000, ...over,
  });
  const open = (c: SmtpConfig) => (transport = createSmtpTransport(c));
  const send = (t: SmtpTransport, n = note()) => sendEmail(t, 'Burnwatch <burnwatch@example.com>', ['oncall@example.com', 'sre@example.com'], buildEmail(n));

  afterEach(async () => {
    transport?.close();
    transport = undefined;
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(resolve))));
    servers = [];
  });

  it('delivers subject, text and HTML with the same facts, after authenticating', async () => {
    const s = await smtp();
    servers.push(s.server);
    await expect(send(open(cfg(s.port)))).resolves.toEqual({ ok: true });
    expect(s.received).toHaveLength(1);
    const [m] = s.received;
    expect(m.from).toBe('burnwatch@example.com');
    expect(m.to).toEqual(['oncall@example.com', 'sre@example.com']);
    expect(m.raw).toMatch(/^Subject: \[FIRING:page\] checkout-availability burn 14\.9x\r?$/m);
    const parts = decodeParts(m.raw);
    const facts = ['checkout-availability', '99.9% over 30d', '99.853%', '62.3%', '2h 10m', '1h/5m ≥ 14.4x', 'POST /api/checkout', '4bf92f3577b34da6a3ce929d0e0e4736', 'https://runbooks.example.com/checkout'];
    for (const fact of facts) {
      expect(parts['text/plain']).toContain(fact);
      expect(parts['text/html']).toContain(fact);
    }
    expect(parts['text/html']).toContain('border-left:6px solid #d32f2f');
  });

  it.each([
    ['RCPT', 452, '4.2.2 Mailbox full', false],
    ['RCPT', 550, '5.1.1 No such user', true],
    ['DATA', 452, '4.3.1 Insufficient system storage', false],
    ['DATA', 550, '5.7.1 Message rejected as spam', true],
  ])('a %s answered %d is %s', async (stage, code, message, permanent) => {
    const reject = (cb: (err?: Error | null) => void) => cb(smtpError(code, message));
    const s = await smtp(
      stage === 'RCPT'
        ? { onRcptTo: (_a, _s, cb) => reject(cb) }
        : { onData: (stream, _s, cb) => { stream.on('end', () => reject(cb)); stream.resume(); } },
    );
    servers.push(s.server);
    const r = await send(open(cfg(s.port)));
    expect(r).toMatchObject({ ok: false, permanent });
    expect(r.ok ? '' : r.error).toContain(String(code));
  });

  it('treats rejected credentials as permanent, and never shows the password even when the server echoes it', async () => {
    const s = await smtp({ onAuth: (auth, _s, cb) => cb(smtpError(535, `5.7.8 bad credentials ${auth.username}:${auth.password}`)) });
    servers.push(s.server);
    const r = await send(open(cfg(s.port)));
    expect(r).toMatchObject({ ok: false, permanent: true });
    const error = r.ok ? '' : r.error;
    expect(error).toMatch(/^smtp EAUTH 535: /);
    expect(error).not.toContain(PASSWORD);
    expect(error).toContain('[redacted]');
    expect(s.received).toHaveLength(0);
  });

  it('retries when the connection drops after DATA', async () => {
    const s = await smtp({
      onData(stream) {
        stream.on('end', () => {
          for (const c of s.server.connections) c._socket.destroy();
        });
        stream.resume();
      },
    });
    servers.push(s.server);
    const r = await send(open(cfg(s.port)));
    expect(r).toMatchObject({ ok: false, permanent: false });
  });

  it('gives up on a server that never greets after timeoutMs, not after minutes', async () => {
    const sockets = new Set<Socket>();
    const silent: TcpServer = createTcpServer((sock) => sockets.add(sock));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    servers.push({ close: (cb) => { for (const sock of sockets) sock.destroy(); silent.close(() => cb()); } });
    const r = await send(open(cfg((silent.address() as AddressInfo).port, { timeoutMs: 300 })));
    expect(r).toMatchObject({ ok: false, permanent: false });
    expect(r.ok ? '' : r.error).toMatch(/^smtp ETIMEDOUT/);
  });

  it('refuses an untrusted certificate (the test server\'s built-in one) unless told to accept it', async () => {
    const s = await smtp({ secure: true, disabledCommands: [] });
    servers.push(s.server);
    const strict = await send(open(cfg(s.port, { secure: true })));
    expect(strict).toMatchObject({ ok: false, permanent: false });
    transport?.close();
    await expect(send(open(cfg(s.port, { secure: true, tlsRejectUnauthorized: false })))).resolves.toEqual({ ok: true });
    expect(s.received).toHaveLength(1);
  });
});
