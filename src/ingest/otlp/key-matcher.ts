import { SERVICE_NAME_KEY, type AttributeWanted } from './otlp.types.js';

export interface KeyEntry {
  key: string;
  bytes: Uint8Array;
  /** The engine asked for this key: it goes into SpanRecord.attributes. */
  wanted: boolean;
  /** The key is service.name: a resource string value fills SpanRecord.service. */
  service: boolean;
}

/**
 * Matches attribute keys against the wanted set on raw UTF-8 bytes, so keys
 * that are not wanted (most of them) are never decoded into strings.
 * Candidates are bucketed by byte length, which rejects most keys with one
 * array load.
 */
export class KeyMatcher {
  private readonly byLen: (KeyEntry[] | undefined)[] = [];
  private readonly byKey = new Map<string, KeyEntry>();

  constructor(wanted: AttributeWanted) {
    for (const key of wanted.keys) this.add(key, true);
    if (!wanted.keys.has(SERVICE_NAME_KEY)) this.add(SERVICE_NAME_KEY, false);
  }

  /** Entry for the key bytes buf[start, end), or undefined when the key is not of interest. */
  match(buf: Uint8Array, start: number, end: number): KeyEntry | undefined {
    const n = end - start;
    if (n >= this.byLen.length) return undefined;
    const list = this.byLen[n];
    if (list === undefined) return undefined;
    outer: for (let i = 0; i < list.length; i++) {
      const b = list[i].bytes;
      // Keys share namespace prefixes (http., db.), so compare from the end.
      for (let j = n - 1; j >= 0; j--) {
        if (buf[start + j] !== b[j]) continue outer;
      }
      return list[i];
    }
    return undefined;
  }

  /** Entry for an already-decoded key (JSON path). */
  matchString(key: string): KeyEntry | undefined {
    return this.byKey.get(key);
  }

  private add(key: string, wanted: boolean): void {
    const bytes = Buffer.from(key, 'utf8');
    const entry: KeyEntry = { key, bytes, wanted, service: key === SERVICE_NAME_KEY };
    this.byKey.set(key, entry);
    // A key with a lone surrogate encodes as U+FFFD's bytes, yet wire bytes
    // decode to well-formed text and can never equal it: match it by string only.
    if (bytes.toString('utf8') !== key) return;
    while (this.byLen.length <= bytes.length) this.byLen.push(undefined);
    (this.byLen[bytes.length] ??= []).push(entry);
  }
}
