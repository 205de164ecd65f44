import type { Matcher } from './silence-matcher.js';
import { invalidRegexes } from './silence-matcher.js';
import { checkSilence } from './silence.schema.js';

export interface NewSilence {
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/**
 * validateSilence checks a silence body: its shape by SILENCE_SCHEMA, then
 * what the schema cannot say (regexes compile, timestamps parse, the end is
 * ahead of now and of the start). Every problem names its field.
 */
export function validateSilence(body: unknown, nowMs: number): { silence: NewSilence; errors: string[] } {
  const errors = checkSilence(body);
  const b = (errors.length ? {} : body) as Partial<NewSilence>;
  const matchers = b.matchers ?? [];
  if (!errors.length) errors.push(...invalidRegexes(matchers));
  const startsAt = b.startsAt === undefined ? nowMs : Date.parse(b.startsAt);
  const endsAt = Date.parse(b.endsAt ?? '');
  if (b.endsAt !== undefined) {
    if (!Number.isFinite(startsAt)) errors.push('startsAt: expected an RFC 3339 timestamp');
    if (!Number.isFinite(endsAt)) errors.push('endsAt: expected an RFC 3339 timestamp');
    else if (endsAt <= Math.max(startsAt, nowMs)) errors.push('endsAt: must be in the future and after startsAt');
  }
  if (errors.length) return { silence: { matchers: [], startsAt: '', endsAt: '', createdBy: '', comment: '' }, errors };
  return {
    silence: {
      matchers,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      createdBy: b.createdBy!,
      comment: b.comment ?? '',
    },
    errors,
  };
}
