import { MAX_RETRY_AFTER_MS, redact, retryAfterMs, urlSecrets } from './http-post.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');

  it('reads delay-seconds and HTTP-dates', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 01 May 2024 10:00:45 GMT', now)).toBe(45_000);
    expect(retryAfterMs('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read and caps what would park a notification for days', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(String(3 * 86400), now)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('redact', () => {
  it('removes a Slack token from an echoed URL, raw or URL-encoded', () => {
    const url = 'https://hooks.slack.com/services/T0001/B0002/AbCdEfGhIjKl';
    const text = redact(`bad ${url} and ${encodeURIComponent(url)}`, urlSecrets(url));
    expect(text).not.toContain('AbCdEfGhIjKl');
    expect(text).not.toContain(encodeURIComponent(url));
  });
});
