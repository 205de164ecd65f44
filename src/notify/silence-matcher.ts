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

export interface SilenceWindow {
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
}

/** invalidRegexes names each `=~`/`!~` matcher whose value does not compile. */
export function invalidRegexes(matchers: readonly Matcher[]): string[] {
  const errors: string[] = [];
  matchers.forEach((m, i) => {
    if (m.op !== '=~' && m.op !== '!~') return;
    try {
      new RegExp(`^(?:${m.value})$`);
    } catch {
      errors.push(`matchers[${i}].value: not a valid regular expression`);
    }
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
