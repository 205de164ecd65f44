import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHttpRecorder, type HttpRecorder, type RecordedRequest } from '../../../test/support/http-recorder.js';
import type { Notification } from '../message/notification.js';
import { sampleSloAlert } from '../../../test/support/sample-alert.js';
import { buildSlackPayload, sendSlack, SLACK_LIMITS, type SlackBlock, type SlackPayload } from './slack.js';

const SENT = '2024-05-01T10:05:00.000Z';
const note = (over: Partial<Notification> = {}): Notification => ({ kind: 'firing', alert: sampleSloAlert(), publicUrl: 'http://bw.example.com', sentAt: SENT, ...over });

/** A huge, hostile alert: thousands of label characters, 100 operations with long names, mrkdwn injection. */
function hugeAlert() {
  const base = sampleSloAlert();
  const labels: Record<string, string> = { ...base.labels, slo: `<!channel> ${'very-long-slo-name-'.repeat(20)}` };
  for (let i = 0; i < 300; i++) labels[`label_${i}`] = `value-${'x'.repeat(40)}-&<>`;
  const topOperations = Array.from({ length: 100 }, (_, i) => ({
    operation: `GET /api/${'segment/'.repeat(600)}${i}`,
    spanKind: 'server',
    errors: i,
    calls: 1000,
    exampleTraceIds: ['4bf92f3577b34da6a3ce929d0e0e4736'],
  }));
  return sampleSloAlert({ labels, annotations: { ...base.annotations, summary: 's'.repeat(5000) }, details: { ...base.details, slo: undefined, topOperations } });
}

/** violations lists every Slack Block Kit limit a payload breaks (empty when Slack would accept it). */
function violations(p: SlackPayload): string[] {
  const out: string[] = [];
  const blocks: SlackBlock[] = [...p.blocks, ...p.attachments.flatMap((a) => a.blocks)];
  if (blocks.length > SLACK_LIMITS.blocks) out.push(`${blocks.length} blocks`);
  for (const b of blocks) {
    if (b.type === 'header' && b.text.text.length > SLACK_LIMITS.headerText) out.push(`header ${b.text.text.length}`);
    if (b.type === 'section') {
      if (!b.text && !b.fields?.length) out.push('empty section');
      if (b.text && (b.text.text.length > SLACK_LIMITS.sectionText || b.text.text.length === 0)) out.push(`section text ${b.text.text.length}`);
      if ((b.fields?.length ?? 0) > SLACK_LIMITS.fields) out.push(`${b.fields?.length} fields`);
      for (const f of b.fields ?? []) if (f.text.length > SLACK_LIMITS.fieldText) out.push(`field ${f.text.length}`);
    }
    if (b.type === 'context') {
      if (b.elements.length > SLACK_LIMITS.contextElements) out.push(`${b.elements.length} context elements`);
      for (const e of b.elements) if (e.text.length > SLACK_LIMITS.sectionText) out.push(`context text ${e.text.length}`);
    }
    if (b.type === 'actions') for (const e of b.elements) if (e.text.text.length > SLACK_LIMITS.buttonText || e.url.length > SLACK_LIMITS.buttonUrl) out.push('button');
  }
  return out;
}

const allText = (p: SlackPayload) => JSON.stringify(p);
/** Slack parses mentions and links only in mrkdwn (and the fallback text), never in plain_text. */
const mrkdwnTexts = (p: SlackPayload) =>
  [p.text, ...p.attachments.flatMap((a) => a.blocks)
    .flatMap((b) => (b.type === 'section' ? [b.text, ...(b.fields ?? [])] : b.type === 'context' ? b.elements : []))
    .flatMap((t) => (t && t.type === 'mrkdwn' ? [t.text] : []))];

describe('buildSlackPayload', () => {
  it('carries the facts, a fallback text, and a red colour bar for a firing page', () => {
    const p = buildSlackPayload(note());
    expect(p.text).toBe(
      '[FIRING:page] checkout-availability burn 14.9x: checkout-availability is burning its error budget at 14.9x the sustainable rate; budget exhausted in 2h 10m at this rate.',
    );
    expect(p.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '[FIRING:page] checkout-availability burn 14.9x', emoji: false } });
    expect(p.attachments[0].color).toBe('#d32f2f');
    const text = allText(p);
    for (const fact of ['99.9% over 30d', '99.853%', '62.3%', '2h 10m', '14.4x', 'POST /api/checkout', '4bf92f3577b34da6a3ce929d0e0e4736', 'https://runbooks.example.com/checkout']) {
      expect(text).toContain(fact);
    }
    expect(violations(p)).toEqual([]);
  });

  it('colours by severity and state', () => {
    const ticket = sampleSloAlert({ severity: 'ticket', details: { ...sampleSloAlert().details, severity: 'ticket' } });
    expect(buildSlackPayload(note({ alert: ticket })).attachments[0].color).toBe('#f57c00');
    expect(buildSlackPayload(note({ kind: 'resolved', alert: sampleSloAlert({ state: 'resolved', resolvedAt: SENT }) })).attachments[0].color).toBe('#2e7d32');
    expect(buildSlackPayload(note({ kind: 'test' })).attachments[0].color).toBe('#9e9e9e');
  });

  it('leaves burn rates and operations out of a resolved message, which would show stale numbers', () => {
    const p = buildSlackPayload(note({ kind: 'resolved', alert: sampleSloAlert({ state: 'resolved', resolvedAt: '2024-05-01T10:44:30.000Z' }) }));
    expect(p.text).toContain('[RESOLVED:page] checkout-availability: checkout-availability is no longer burning its error budget (fired for 42m 30s).');
    expect(allText(p)).not.toContain('POST /api/checkout');
    expect(allText(p)).not.toContain('Burn rates');
  });

  it('stays within every Slack limit for an alert with huge labels and 100 operations, and escapes mrkdwn', () => {
    const p = buildSlackPayload(note({ alert: hugeAlert() }));
    expect(violations(p)).toEqual([]);
    expect(p.blocks[0].type === 'header' && p.blocks[0].text.text.endsWith('…')).toBe(true);
    const texts = mrkdwnTexts(p);
    expect(texts.filter((t) => t.includes('<!channel>'))).toEqual([]);
    expect(texts.filter((t) => t.includes('&lt;!channel&gt;')).length).toBeGreaterThan(0);
    expect(texts).toContain('…and 90 more');
  });
});

/** A stand-in for hooks.slack.com: each test sets how it answers and reads what it received. */
describe('sendSlack against a local Slack', () => {
  let slack: HttpRecorder<SlackPayload>;
  let base: string;
  let answer: (req: IncomingMessage, res: ServerResponse) => void;
  let received: RecordedRequest<SlackPayload>[];

  beforeEach(async () => {
    slack = await startHttpRecorder<SlackPayload>((req, res) => answer(req, res));
    base = slack.base;
    received = slack.received;
  });

  afterEach(() => slack.close());

  const TOKEN = 'xoxT0kenS3cretQ9';
  const url = () => `${base}/services/T000/B000/${TOKEN}`;
  const reply = (status: number, body: string, headers: Record<string, string> = {}) => (_: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };
  const send = (payload = buildSlackPayload(note()), timeoutMs = 2000) => sendSlack(url(), payload, { timeoutMs });

  it('succeeds on 200 ok, and Slack receives a payload within its limits even for a huge alert', async () => {
    answer = reply(200, 'ok');
    await expect(send(buildSlackPayload(note({ alert: hugeAlert() })))).resolves.toEqual({ ok: true });
    expect(received).toHaveLength(1);
    expect(received[0].path).toBe(`/services/T000/B000/${TOKEN}`);
    expect(violations(received[0].body)).toEqual([]);
    expect(received[0].body.attachments[0].color).toBe('#d32f2f');
  });

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'channel_not_found'],
    [404, 'no_service'],
    [410, 'channel_is_archived'],
  ])('treats %d %s as permanent (dead letter at once)', async (status, body) => {
    answer = reply(status, body);
    await expect(send()).resolves.toEqual({ ok: false, permanent: true, error: `slack ${status}: ${body}` });
  });

  it('retries a 429 after the Retry-After seconds Slack gave, and after 30 s when it gave none', async () => {
    answer = reply(429, 'rate_limited', { 'retry-after': '7' });
    await expect(send()).resolves.toEqual({ ok: false, permanent: false, retryAfterMs: 7000, error: 'slack 429: rate_limited' });
    answer = reply(429, 'rate_limited');
    await expect(send()).resolves.toMatchObject({ ok: false, permanent: false, retryAfterMs: 30000 });
  });

  it('retries a 500 and a 200 that is not `ok`', async () => {
    answer = reply(500, 'internal_error');
    await expect(send()).resolves.toEqual({ ok: false, permanent: false, error: 'slack 500: internal_error' });
    answer = reply(200, '<html>captive portal</html>');
    await expect(send()).resolves.toMatchObject({ ok: false, permanent: false });
  });

  it('gives up on a Slack that hangs after timeoutMs, as a transient failure', async () => {
    answer = () => undefined; // never answers
    await expect(send(buildSlackPayload(note()), 300)).resolves.toEqual({ ok: false, permanent: false, error: 'slack: timed out after 300 ms' });
  });

  it('retries when nothing listens', async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    const closed = `http://127.0.0.1:${port}/services/T000/B000/${TOKEN}`;
    await expect(sendSlack(closed, buildSlackPayload(note()), { timeoutMs: 1000 })).resolves.toEqual({
      ok: false,
      permanent: false,
      error: 'slack: network error: ECONNREFUSED',
    });
  });

  it('never puts the webhook URL or its token in an error, even when Slack echoes it', async () => {
    answer = (req, res) => {
      res.writeHead(404);
      res.end(`no_service for ${req.url} at ${url()}`);
    };
    const r = await send();
    expect(r.ok).toBe(false);
    const error = r.ok ? '' : r.error;
    expect(error).toMatch(/^slack 404: no_service for /);
    expect(error).not.toContain(TOKEN);
    expect(error).not.toContain('/services/T000/B000');
  });
});
