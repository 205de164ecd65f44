import { accentColor, alertFacts, factRows, operationLine, subjectLine, whatHappened, type AlertFacts } from '../message/facts.js';
import type { Notification, SendResult } from '../message/notification.js';
import { failure, isFailure, postJson, redact, retryAfterMs, shortBody, urlSecrets } from './http-post.js';

/**
 * Slack incoming webhook. Slack rejects a whole message (400
 * invalid_blocks) when one limit is exceeded, so every text built from
 * alert data is clipped to Slack's documented limits here rather than
 * trusted to be short: labels and operation names come from traces.
 */

export const SLACK_LIMITS = Object.freeze({
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  buttonUrl: 3000,
  actionElements: 25,
});

/** Operations shown one per section; more would crowd out the links. */
const MAX_OPERATIONS = 10;

type Text = { type: 'mrkdwn'; text: string } | { type: 'plain_text'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: Text }
  | { type: 'section'; text?: Text; fields?: Text[] }
  | { type: 'context'; elements: Text[] }
  | { type: 'divider' }
  | { type: 'actions'; elements: { type: 'button'; text: Text; url: string; action_id: string }[] };

export interface SlackPayload {
  /** Fallback for notifications, screen readers and clients without Block Kit. */
  text: string;
  blocks: SlackBlock[];
  /** The legacy attachment only carries the colour bar; Block Kit has no colour. */
  attachments: { color: string; fallback: string; blocks: SlackBlock[] }[];
}

/**
 * clip shortens text to `max` UTF-16 units with an ellipsis, without
 * splitting a surrogate pair or an `&amp;`-style escape (Slack would show
 * half of it).
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 5 && !text.slice(amp, cut).includes(';')) cut = amp;
  return `${text.slice(0, cut)}…`;
}

/** esc escapes the three characters Slack's mrkdwn treats as control characters, so labels cannot inject `<!channel>`. */
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Inline code without backticks inside: a backtick in a label would close it early. */
const code = (s: string) => `\`${esc(s.replace(/`/g, "'"))}\``;

const md = (text: string, max: number = SLACK_LIMITS.sectionText): Text => ({ type: 'mrkdwn', text: clip(text, max) });
const section = (text: string): SlackBlock => ({ type: 'section', text: md(text) });

/** slackDate renders in each reader's time zone, with the ISO text as fallback. */
function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return esc(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${esc(iso)}>`;
}

function factFields(n: Notification, f: AlertFacts): Text[] {
  const fields = factRows(n, f).map((r) => md(`*${r.label}*\n${r.time ? slackDate(r.value) : esc(r.value)}`, SLACK_LIMITS.fieldText));
  return fields.slice(0, SLACK_LIMITS.fields);
}

function burnSection(f: AlertFacts): SlackBlock | undefined {
  const lines: string[] = [];
  if (f.burnRates.length) lines.push('*Burn rates*', f.burnRates.map((b) => `${code(b.window)} ${b.rate}`).join('  ·  '));
  if (f.crossed.length) {
    lines.push('*Tiers crossed*');
    for (const t of f.crossed) lines.push(`• ${esc(t.windows)} ≥ ${t.factor ?? '?'}: long ${t.longBurnRate ?? '?'}, short ${t.shortBurnRate ?? '?'}`);
  }
  return lines.length ? section(lines.join('\n')) : undefined;
}

function operationBlocks(f: AlertFacts): SlackBlock[] {
  if (!f.topOperations.length) return [];
  const shown = f.topOperations.slice(0, MAX_OPERATIONS);
  const blocks: SlackBlock[] = [section('*Top failing operations*')];
  for (const o of shown) {
    const traces = o.exampleTraceIds.length ? `\nTraces: ${o.exampleTraceIds.map(code).join(', ')}` : '';
    blocks.push(section(`${esc(operationLine(o))}${traces}`));
  }
  const more = f.topOperations.length - shown.length;
  if (more > 0) blocks.push({ type: 'context', elements: [md(`…and ${more} more`)] });
  return blocks;
}

function linkBlock(f: AlertFacts): SlackBlock | undefined {
  const buttons = f.links
    .filter((l) => l.url.length <= SLACK_LIMITS.buttonUrl)
    .slice(0, SLACK_LIMITS.actionElements)
    .map((l) => ({
      type: 'button' as const,
      text: { type: 'plain_text' as const, text: clip(l.label, SLACK_LIMITS.buttonText) },
      url: l.url,
      action_id: `burnwatch_${l.label.toLowerCase()}`,
    }));
  return buttons.length ? { type: 'actions', elements: buttons } : undefined;
}

/** buildSlackPayload renders a notification as Block Kit, within Slack's limits. Pure. */
export function buildSlackPayload(n: Notification): SlackPayload {
  const f = alertFacts(n);
  const subject = subjectLine(n, f);
  const happened = whatHappened(n, f);
  const intro = [esc(happened), ...(f.summary && n.kind !== 'test' ? [`_${esc(f.summary)}_`] : [])].join('\n');
  const labels = f.labels.map(([k, v]) => code(`${k}=${v}`)).join(' ');
  const body: (SlackBlock | undefined)[] = [
    section(intro),
    { type: 'section', fields: factFields(n, f) },
    ...(n.kind === 'firing' || n.kind === 'repeat' ? [burnSection(f), ...operationBlocks(f)] : []),
    labels ? { type: 'context', elements: [md(labels)] } : undefined,
    linkBlock(f),
    { type: 'context', elements: [md(`Burnwatch · sent ${slackDate(n.sentAt)} · fingerprint ${code(n.alert.fingerprint)}`)] },
  ];
  const header: SlackBlock = { type: 'header', text: { type: 'plain_text', text: clip(subject, SLACK_LIMITS.headerText), emoji: false } };
  // One block is the header; the rest must fit beside it in one message.
  const blocks = body.filter((b): b is SlackBlock => b !== undefined).slice(0, SLACK_LIMITS.blocks - 1);
  const text = clip(esc(`${subject}: ${happened}`), SLACK_LIMITS.sectionText);
  return { text, blocks: [header], attachments: [{ color: accentColor(n, f), fallback: text, blocks }] };
}

/**
 * sendSlack posts a payload to an incoming webhook. Slack answers 200 `ok`
 * on success and a short error code otherwise; a revoked webhook, archived
 * channel or payload Slack will never accept is permanent, rate limiting and
 * Slack's own outages are not. The URL is the secret and never appears in
 * the result.
 */
export async function sendSlack(webhookUrl: string, payload: SlackPayload, opts: { timeoutMs: number }): Promise<SendResult> {
  const reply = await postJson(webhookUrl, {}, payload, opts.timeoutMs);
  if (isFailure(reply)) return { ...reply, error: `slack: ${reply.error}` };
  const { status } = reply;
  if (status === 200 && reply.body.trim() === 'ok') return { ok: true };
  const error = `slack ${status}${reply.body ? `: ${shortBody(redact(reply.body, urlSecrets(webhookUrl)))}` : ''}`;
  // Without Retry-After, 30 s: long enough not to be throttled again at once, short enough for a page.
  if (status === 429) return failure(false, error, retryAfterMs(reply.retryAfter, Date.now()) ?? 30_000);
  if (status >= 500 || status === 408) return failure(false, error, retryAfterMs(reply.retryAfter, Date.now()));
  // 200 with another body: something in between answered (proxy, captive portal); worth retrying.
  if (status >= 200 && status < 300) return failure(false, error);
  // 400 invalid_payload, 403 action_prohibited, 404 channel_not_found/no_service, 410 channel_is_archived,
  // other 4xx and redirects: the same request would get the same answer.
  return failure(true, error);
}
