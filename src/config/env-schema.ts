/**
 * EnvVar describes one environment variable: how to read it and what a wrong
 * value says. The schema is the single source for validation at boot and for
 * the README's table, so the two cannot drift apart.
 */
export interface EnvVar<T> {
  name: string;
  doc: string;
  default: string | undefined;
  parse: (raw: string) => T;
}

export class ConfigError extends Error {}

function fail(expected: string): never {
  throw new ConfigError(expected);
}

export const int =
  (min: number, max: number) =>
  (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) fail(`expected an integer between ${min} and ${max}`);
    const n = Number(raw);
    if (n < min || n > max) fail(`expected an integer between ${min} and ${max}`);
    return n;
  };

export const bool = (raw: string): boolean => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return fail('expected true or false');
};

export const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: string): T => {
    const v = raw.trim() as T;
    if (!values.includes(v)) fail(`expected one of ${values.join(', ')}`);
    return v;
  };

export const str = (raw: string): string => raw;

/** list splits on commas, dropping blanks, so `A, B,` means [A, B]. */
export const list = (raw: string): string[] =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export const postgresUrl = (raw: string): string => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('expected a URL like postgres://user:pass@host:5432/db');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    fail('expected a postgres:// or postgresql:// URL');
  }
  return raw;
};

export const httpUrl = (raw: string): string => {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw.replace(/\/+$/, '');
  } catch {
    /* fall through */
  }
  return fail('expected an http(s) URL');
};
