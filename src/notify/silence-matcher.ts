/**
 * Silence matchers after Alertmanager: `=`, `!=`, `=~`, `!~` on alert labels,
 * regexes anchored at both ends. A silence mutes an alert when every matcher
 * matches; a missing label reads as ''.
 */
export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

const OPS: MatchOp[] = ['=', '!=', '=~', '!~'];
const MAX_REGEX = 1000;

export interface SilenceWindow {
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
}

/** validateMatchers lists problems, each naming its matcher; regexes are compiled to prove they are valid. */
export function validateMatchers(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length === 0) return ['matchers: must be a non-empty list of {name, op, value}'];
  const errors: string[] = [];
  raw.forEach((m: unknown, i) => {
    const x = m as Partial<Matcher> | null;
    if (typeof x !== 'object' || x === null) return errors.push(`matchers[${i}]: must be an object`);
    if (typeof x.name !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(x.name)) errors.push(`matchers[${i}].name: must be a label name`);
    if (!OPS.includes(x.op as MatchOp)) errors.push(`matchers[${i}].op: must be one of ${OPS.join(' ')}`);
    if (typeof x.value !== 'string' || x.value.length > MAX_REGEX) errors.push(`matchers[${i}].value: must be a string of at most ${MAX_REGEX} characters`);
    else if (x.op === '=~' || x.op === '!~') {
      try {
        new RegExp(`^(?:${x.value})$`);
      } catch {
        errors.push(`matchers[${i}].value: not a valid regular expression`);
      }
    }
    return undefined;
  });
  return errors;
}

function matches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

/** isSilenced: some silence active at nowMs matches every one of its matchers. */
export function isSilenced(labels: Record<string, string>, silences: readonly SilenceWindow[], nowMs: number): boolean {
  return silences.some((s) => s.startsAtMs <= nowMs && nowMs < s.endsAtMs && s.matchers.every((m) => matches(m, labels)));
}
