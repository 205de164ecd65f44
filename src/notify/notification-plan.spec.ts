import { planNotification, type AlertNotifyState } from './notification-plan.js';
import { isSilenced, type SilenceWindow } from './silence-matcher.js';
import { validateSilence } from './silence.validation.js';
import { HOUR_MS } from '../kernel/minute-ranges.js';

const H = HOUR_MS;
const policy = { repeatIntervalMs: 4 * H, sendResolved: true };

describe('planNotification', () => {
  it.each<[string, AlertNotifyState, boolean, number, string | undefined]>([
    ['never while pending', { state: 'pending', transition: 'pending', repeats: 0 }, false, 0, undefined],
    ['the first notification when it fires', { state: 'firing', transition: 'firing', repeats: 0 }, false, 0, 'firing'],
    ['nothing while silenced', { state: 'firing', transition: 'firing', repeats: 0 }, true, 0, undefined],
    ['the held-back first notification once the silence ends', { state: 'firing', repeats: 0 }, false, 2 * H, 'firing'],
    ['no repeat before the interval', { state: 'firing', lastSentAtMs: 0, repeats: 0 }, false, 4 * H - 1, undefined],
    ['a repeat at the interval', { state: 'firing', lastSentAtMs: 0, repeats: 0 }, false, 4 * H, 'repeat'],
    ['no repeat while silenced', { state: 'firing', lastSentAtMs: 0, repeats: 0 }, true, 5 * H, undefined],
    ['resolved after a sent firing', { state: 'resolved', transition: 'resolved', lastSentAtMs: 0, repeats: 0 }, false, H, 'resolved'],
    ['no resolved for an incident that never notified', { state: 'resolved', transition: 'resolved', repeats: 0 }, false, H, undefined],
    ['resolved once only', { state: 'resolved', lastSentAtMs: 0, repeats: 0 }, false, 2 * H, undefined],
    ['nothing for a cancelled pending alert', { state: 'cancelled', transition: 'cancelled', repeats: 0 }, false, 0, undefined],
  ])('%s', (_name, state, silenced, now, expected) => {
    expect(planNotification(state, silenced, now, policy)).toBe(expected);
  });

  it('respects sendResolved: false', () => {
    expect(planNotification({ state: 'resolved', transition: 'resolved', lastSentAtMs: 0, repeats: 0 }, false, H, { ...policy, sendResolved: false })).toBeUndefined();
  });
});

describe('silences', () => {
  const labels = { alertname: 'SloErrorBudgetBurn', slo: 'checkout-availability', severity: 'page', service: 'checkout' };
  const window = (matchers: SilenceWindow['matchers']): SilenceWindow[] => [{ matchers, startsAtMs: 100, endsAtMs: 200 }];

  it.each<[SilenceWindow['matchers'], boolean]>([
    [[{ name: 'slo', op: '=', value: 'checkout-availability' }], true],
    [[{ name: 'slo', op: '=', value: 'checkout' }], false],
    [[{ name: 'severity', op: '!=', value: 'ticket' }], true],
    [[{ name: 'slo', op: '=~', value: 'checkout-.*' }], true],
    // Anchored: a substring is not a match.
    [[{ name: 'slo', op: '=~', value: 'checkout' }], false],
    [[{ name: 'service', op: '!~', value: 'check.*' }], false],
    [[{ name: 'team', op: '=', value: '' }], true],
    [[{ name: 'slo', op: '=~', value: 'checkout-.*' }, { name: 'severity', op: '=', value: 'ticket' }], false],
  ])('%j matches: %s', (matchers, expected) => {
    expect(isSilenced(labels, window(matchers), 150)).toBe(expected);
  });

  it('applies only between start and end', () => {
    const w = window([{ name: 'slo', op: '=', value: 'checkout-availability' }]);
    expect(isSilenced(labels, w, 99)).toBe(false);
    expect(isSilenced(labels, w, 100)).toBe(true);
    expect(isSilenced(labels, w, 200)).toBe(false);
  });

  it('validates matchers naming each problem', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const problems = (matchers: unknown) => validateSilence({ matchers, endsAt: '2026-11-22T18:00:00Z', createdBy: 'alice' }, now).errors;
    expect(problems([])).toEqual(['matchers: must be a non-empty list of {name, op, value}']);
    expect(problems([{ name: '1x', op: '~', value: '(' }])).toEqual([
      'matchers[0].name: must be a label name',
      'matchers[0].op: must be one of = != =~ !~',
    ]);
    expect(problems([{ name: 'a', op: '=~', value: '(' }])).toEqual(['matchers[0].value: not a valid regular expression']);
  });
});
