/**
 * Minimal JSON reader over UTF-8 bytes for the OTLP/JSON hot path.
 *
 * Like ProtoReader it knows nothing about messages: the decoder drives it
 * token by token and skips what it does not need. Skipping still checks the
 * full JSON grammar (a body JSON.parse would refuse must never be accepted),
 * with an explicit stack of open brackets instead of recursion, so hostile
 * nesting costs one byte of stack per level and can never overflow.
 *
 * The reader never reports why it stopped: anything it does not like throws
 * JSON_BAIL, and the caller hands the body to JSON.parse, whose verdict and
 * message are the reference (see otlp-json-bytes.decoder.ts).
 */

/** Thrown on anything the fast path does not handle; never escapes the decoder. */
export const JSON_BAIL: unique symbol = Symbol('json-bail');

export const CH_QUOTE = 0x22;
export const CH_COMMA = 0x2c;
export const CH_COLON = 0x3a;
export const CH_LBRACKET = 0x5b;
export const CH_RBRACKET = 0x5d;
export const CH_LBRACE = 0x7b;
export const CH_RBRACE = 0x7d;
const CH_BACKSLASH = 0x5c;
const CH_MINUS = 0x2d;
const CH_PLUS = 0x2b;
const CH_DOT = 0x2e;
const CH_0 = 0x30;
const CH_9 = 0x39;

/** JSON value types, told apart by their first byte. */
export const T_OTHER = 0;
export const T_STRING = 1;
export const T_NUMBER = 2;
export const T_TRUE = 3;
export const T_FALSE = 4;
export const T_NULL = 5;
export const T_OBJECT = 6;
export const T_ARRAY = 7;

/** String flags set by string(). */
export const S_ESCAPED = 1;
export const S_NON_ASCII = 2;

const INTERN_MAX_LEN = 64;
const INTERN_MASK = 2047;
const internCache: string[] = new Array<string>(INTERN_MASK + 1).fill('');

// Byte classes inside a string.
const C_PLAIN = 0;
const C_QUOTE = 1;
const C_BACKSLASH = 2;
const C_CONTROL = 3;
const C_NON_ASCII = 4;
const STRING_CLASS = new Uint8Array(256).map((_, c) =>
  c === CH_QUOTE ? C_QUOTE : c === CH_BACKSLASH ? C_BACKSLASH : c < 0x20 ? C_CONTROL : c >= 0x80 ? C_NON_ASCII : C_PLAIN,
);

export function bail(): never {
  throw JSON_BAIL;
}

export class JsonReader {
  pos = 0;
  readonly len: number;
  /** Content range [strStart, strEnd) and S_* flags of the last string read. */
  strStart = 0;
  strEnd = 0;
  strFlags = 0;
  /** Range of the last number read. */
  numStart = 0;
  numEnd = 0;
  /** Open brackets of skip(): 1 = object, 2 = array; grown on demand, at most one byte per body byte. */
  private stack = new Uint8Array(64);

  constructor(readonly buf: Buffer) {
    this.len = buf.length;
  }

  /** Skips JSON whitespace and returns the next byte (-1 at the end). */
  peek(): number {
    const buf = this.buf;
    let p = this.pos;
    // Most bodies have no whitespace at all.
    const first = buf[p];
    if (first > 0x20) return first;
    const len = this.len;
    while (p < len) {
      const c = buf[p];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else {
        this.pos = p;
        return c;
      }
    }
    this.pos = p;
    return -1;
  }

  /** Skips whitespace and consumes `c`, which must come next. */
  expect(c: number): void {
    if (this.peek() !== c) bail();
    this.pos++;
  }

  /**
   * After a member or element: consumes a comma and returns true, or the
   * closing bracket `close` and returns false.
   */
  more(close: number): boolean {
    const c = this.peek();
    this.pos++;
    if (c === CH_COMMA) return true;
    if (c !== close) bail();
    return false;
  }

  /** Consumes `{` and returns whether a first member follows (false: `{}` consumed). */
  openObject(): boolean {
    this.expect(CH_LBRACE);
    if (this.peek() === CH_RBRACE) {
      this.pos++;
      return false;
    }
    return true;
  }

  /** Consumes `[` and returns whether a first element follows (false: `[]` consumed). */
  openArray(): boolean {
    this.expect(CH_LBRACKET);
    if (this.peek() === CH_RBRACKET) {
      this.pos++;
      return false;
    }
    return true;
  }

  /** Reads a member name and its colon; the name is left in strStart/strEnd/strFlags. */
  key(): void {
    if (this.peek() !== CH_QUOTE) bail();
    this.string();
    this.expect(CH_COLON);
  }

  /** Type of the value that starts next (after whitespace); does not consume it. */
  valueType(): number {
    const c = this.peek();
    if (c === CH_QUOTE) return T_STRING;
    if (c === CH_LBRACE) return T_OBJECT;
    if (c === CH_LBRACKET) return T_ARRAY;
    if ((c >= CH_0 && c <= CH_9) || c === CH_MINUS) return T_NUMBER;
    if (c === 0x74) return T_TRUE;
    if (c === 0x66) return T_FALSE;
    if (c === 0x6e) return T_NULL;
    return T_OTHER;
  }

  /**
   * Scans the string starting at pos (an opening quote) and records its raw
   * content range and flags. Escapes are checked, not decoded; bytes that are
   * not valid UTF-8 are allowed, as Buffer#toString turns them into U+FFFD
   * before JSON.parse sees them.
   */
  string(): void {
    const buf = this.buf;
    let p = this.pos + 1;
    const start = p;
    let flags = 0;
    for (;;) {
      // Plain ASCII, the bulk of every body, costs one table load per byte.
      // Past the end buf[p] is undefined and so is its class: the loop stops.
      let cls: number;
      while ((cls = STRING_CLASS[buf[p]]) === C_PLAIN) p++;
      if (cls === C_QUOTE) break;
      if (cls === C_NON_ASCII) {
        flags |= S_NON_ASCII;
        p++;
      } else if (cls === C_BACKSLASH) {
        flags |= S_ESCAPED;
        p = this.escape(p + 1);
      } else {
        // A control character, or the end of the body.
        bail();
      }
    }
    this.strStart = start;
    this.strEnd = p;
    this.strFlags = flags;
    this.pos = p + 1;
  }

  /** Checks the escape after a backslash at p - 1; returns the offset after it. */
  private escape(p: number): number {
    if (p >= this.len) bail();
    const c = this.buf[p];
    // " \ / b f n r t
    if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) return p + 1;
    if (c !== 0x75 || p + 4 >= this.len) bail();
    for (let i = 1; i <= 4; i++) {
      const h = this.buf[p + i];
      if (!((h >= CH_0 && h <= CH_9) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46))) bail();
    }
    return p + 5;
  }

  /** Text of the last string read, decoded exactly as JSON.parse(body.toString('utf8')) would. */
  text(): string {
    return stringAt(this.buf, this.strStart, this.strEnd, this.strFlags);
  }

  /** Scans a number (full JSON grammar) at pos and records its range. */
  number(): void {
    const buf = this.buf;
    const len = this.len;
    let p = this.pos;
    const start = p;
    if (buf[p] === CH_MINUS) p++;
    if (p >= len) bail();
    let c = buf[p];
    if (c === CH_0) p++;
    else if (c > CH_0 && c <= CH_9) {
      p++;
      while (p < len && (c = buf[p]) >= CH_0 && c <= CH_9) p++;
    } else bail();
    if (p < len && buf[p] === CH_DOT) {
      p = this.digits(p + 1);
    }
    if (p < len && (buf[p] | 0x20) === 0x65) {
      p++;
      if (p < len && (buf[p] === CH_PLUS || buf[p] === CH_MINUS)) p++;
      p = this.digits(p);
    }
    this.numStart = start;
    this.numEnd = p;
    this.pos = p;
  }

  /** One or more digits from p; returns the offset after them. */
  private digits(p: number): number {
    const buf = this.buf;
    const len = this.len;
    const first = p;
    let c: number;
    while (p < len && (c = buf[p]) >= CH_0 && c <= CH_9) p++;
    if (p === first) bail();
    return p;
  }

  /** Consumes the literal true, false or null whose first byte is at pos. */
  literal(type: number): void {
    const buf = this.buf;
    const p = this.pos;
    if (type === T_TRUE) {
      if (p + 4 > this.len || buf[p + 1] !== 0x72 || buf[p + 2] !== 0x75 || buf[p + 3] !== 0x65) bail();
      this.pos = p + 4;
    } else if (type === T_FALSE) {
      if (p + 5 > this.len || buf[p + 1] !== 0x61 || buf[p + 2] !== 0x6c || buf[p + 3] !== 0x73 || buf[p + 4] !== 0x65) bail();
      this.pos = p + 5;
    } else {
      if (p + 4 > this.len || buf[p + 1] !== 0x75 || buf[p + 2] !== 0x6c || buf[p + 3] !== 0x6c) bail();
      this.pos = p + 4;
    }
  }

  /** Reads a scalar of the given type (string, number or literal) and returns nothing. */
  scalar(type: number): void {
    if (type === T_STRING) this.string();
    else if (type === T_NUMBER) this.number();
    else if (type >= T_TRUE && type <= T_NULL) this.literal(type);
    else bail();
  }

  /**
   * Skips one value of any type, checking its grammar. Nesting is tracked in
   * an explicit stack, never by recursion.
   */
  skip(): void {
    let depth = 0;
    for (;;) {
      // A value starts here.
      const type = this.valueType();
      if (type === T_OBJECT) {
        this.pos++;
        if (this.peek() === CH_RBRACE) this.pos++;
        else {
          depth = this.push(depth, 1);
          this.key();
          continue;
        }
      } else if (type === T_ARRAY) {
        this.pos++;
        if (this.peek() === CH_RBRACKET) this.pos++;
        else {
          depth = this.push(depth, 2);
          continue;
        }
      } else {
        this.scalar(type);
      }
      // A value ended: close what it ends, or move to the next member or element.
      for (;;) {
        if (depth === 0) return;
        const c = this.peek();
        this.pos++;
        const open = this.stack[depth - 1];
        if (c === CH_COMMA) {
          if (open === 1) this.key();
          break;
        }
        if (c !== (open === 1 ? CH_RBRACE : CH_RBRACKET)) bail();
        depth--;
      }
    }
  }

  private push(depth: number, open: number): number {
    if (depth === this.stack.length) {
      const grown = new Uint8Array(depth * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    this.stack[depth] = open;
    return depth + 1;
  }

  /** Bails unless only whitespace is left. */
  end(): void {
    if (this.peek() !== -1) bail();
  }
}

/** Value of the number buf[start, end) (JSON grammar already checked): the same double JSON.parse gives. */
export function numberAt(buf: Buffer, start: number, end: number): number {
  let p = start;
  const neg = buf[p] === CH_MINUS;
  if (neg) p++;
  // Up to 15 digits without fraction or exponent are exact in a double.
  if (end - p <= 15) {
    let v = 0;
    for (; p < end; p++) {
      const c = buf[p] - CH_0;
      if (c < 0 || c > 9) return Number(buf.toString('latin1', start, end));
      v = v * 10 + c;
    }
    return neg ? -v : v;
  }
  return Number(buf.toString('latin1', start, end));
}

/**
 * Like stringAt(), for low-cardinality values (span names, routes, methods):
 * short ASCII strings come from a small direct-mapped cache, so the common
 * case costs a byte comparison instead of a decode and an allocation.
 * High-cardinality input only evicts slots; it never grows memory.
 */
export function internedAt(buf: Buffer, start: number, end: number, flags: number): string {
  const n = end - start;
  if (flags !== 0 || n > INTERN_MAX_LEN) return stringAt(buf, start, end, flags);
  if (n === 0) return '';
  const slot = (n * 31 + buf[start] * 7 + buf[end - 1] * 131 + buf[start + (n >> 1)] * 17) & INTERN_MASK;
  const cached = internCache[slot];
  if (cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === buf[start + i]) i++;
    if (i === n) return cached;
  }
  return (internCache[slot] = buf.toString('latin1', start, end));
}

/** Decodes the string content buf[start, end) with S_* flags. */
export function stringAt(buf: Buffer, start: number, end: number, flags: number): string {
  // JSON.parse of the quoted slice decodes escapes (surrogate pairs, lone
  // surrogates) exactly as it would within the whole body; a multi-byte
  // sequence never spans a quote, so U+FFFD replacement is the same too.
  if (flags & S_ESCAPED) return JSON.parse(buf.toString('utf8', start - 1, end + 1)) as string;
  if (flags & S_NON_ASCII) return buf.toString('utf8', start, end);
  return buf.toString('latin1', start, end);
}

/**
 * Member names a decoder knows, each mapped to a small id (a proto name and
 * its lowerCamelCase JSON name share one).
 */
export class NameTable {
  /** Candidates by first byte, each with its closing quote: a match needs no scan of the name. */
  private readonly byFirst: ({ bytes: Uint8Array; id: number }[] | undefined)[] = new Array(128).fill(undefined);
  private readonly byName = new Map<string, number>();

  constructor(names: Record<string, number>) {
    for (const [name, id] of Object.entries(names)) {
      const bytes = Uint8Array.from(name + '"', (c) => c.charCodeAt(0));
      (this.byFirst[bytes[0]] ??= []).push({ bytes, id });
      this.byName.set(name, id);
    }
  }

  /**
   * Reads a member name and its colon; returns its id, or -1 for names not
   * in the table. Names are compared on the raw bytes first; anything else
   * is scanned (and checked) as a string, and looked up once decoded when it
   * has escapes.
   */
  member(r: JsonReader): number {
    if (r.peek() !== CH_QUOTE) bail();
    const buf = r.buf;
    const p = r.pos + 1;
    const list = this.byFirst[buf[p]];
    if (list !== undefined) {
      outer: for (let i = 0; i < list.length; i++) {
        const b = list[i].bytes;
        for (let j = 1; j < b.length; j++) if (buf[p + j] !== b[j]) continue outer;
        r.pos = p + b.length;
        r.expect(CH_COLON);
        return list[i].id;
      }
    }
    r.string();
    r.expect(CH_COLON);
    if (r.strFlags & S_ESCAPED) return this.byName.get(r.text()) ?? -1;
    return -1;
  }
}
