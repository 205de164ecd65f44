/**
 * Minimal protobuf wire-format reader for the OTLP ingest hot path.
 *
 * It deliberately knows nothing about messages: decoders drive it field by
 * field and skip what they do not need, so unwanted data costs a bounds
 * check and a pointer bump, never an allocation. Every read is checked
 * against the buffer; overrunning a sub-message is caught by expectEnd().
 */

export class ProtoDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'ProtoDecodeError';
  }
}

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const INTERN_MAX_LEN = 64;
const INTERN_MASK = 2047;
const internCache: string[] = new Array<string>(INTERN_MASK + 1).fill('');

export class ProtoReader {
  pos = 0;
  readonly len: number;
  /** Low / high 32 bits of the last varint64 read (kept in fields to avoid returning a tuple). */
  private lo = 0;
  private hi = 0;
  private lastHexStart = -1;
  private lastHexEnd = -1;
  private lastHex = '';

  constructor(readonly buf: Buffer) {
    this.len = buf.length;
  }

  /** Field tag: (field number << 3) | wire type. */
  tag(): number {
    return this.uint32();
  }

  /** Varint truncated to its low 32 bits, unsigned (protobuf uint32 semantics). Single bytes take the fast path. */
  uint32(): number {
    const pos = this.pos;
    if (pos < this.len) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.varint64();
    return this.lo;
  }

  /** Varint as a signed 32-bit value (enums: negative values are sign-extended to 10 bytes on the wire). */
  int32(): number {
    return this.uint32() | 0;
  }

  /** Signed int64 as a number; exact up to 2^53, rounded beyond (acceptable for attribute values). */
  int64(): number {
    this.varint64();
    return (this.hi | 0) * 4294967296 + this.lo;
  }

  bool(): boolean {
    this.varint64();
    return (this.lo | this.hi) !== 0;
  }

  fixed32(): number {
    const p = this.pos;
    if (p + 4 > this.len) throw new ProtoDecodeError('truncated fixed32', p);
    const b = this.buf;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  double(): number {
    const p = this.pos;
    if (p + 8 > this.len) throw new ProtoDecodeError('truncated double', p);
    this.pos = p + 8;
    return this.buf.readDoubleLE(p);
  }

  /**
   * Reads a length prefix and returns the end offset of the payload, leaving
   * pos at its start. The length is checked against the whole buffer here and
   * against the enclosing message by the caller's expectEnd().
   */
  lengthEnd(): number {
    const p = this.pos;
    let n: number;
    if (p < this.len && this.buf[p] < 0x80) {
      n = this.buf[p];
      this.pos = p + 1;
    } else {
      this.varint64();
      if (this.hi !== 0) throw new ProtoDecodeError('length too large', p);
      n = this.lo;
    }
    if (n > this.len - this.pos) throw new ProtoDecodeError('length exceeds buffer', p);
    return this.pos + n;
  }

  /** Length-delimited UTF-8 string (invalid sequences become U+FFFD, as in protobuf-js). */
  string(): string {
    const end = this.lengthEnd();
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  /**
   * Like string(), for low-cardinality values (span names, routes, methods):
   * short ASCII strings are served from a small direct-mapped cache so the
   * common case costs a byte comparison instead of a native decode and an
   * allocation. High-cardinality input only evicts slots; it never grows memory.
   */
  internedString(): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    const n = end - start;
    const buf = this.buf;
    if (n === 0) return '';
    if (n > INTERN_MAX_LEN) return buf.toString('utf8', start, end);
    const slot = (n * 31 + buf[start] * 7 + buf[end - 1] * 131 + buf[start + (n >> 1)] * 17) & INTERN_MASK;
    const cached = internCache[slot];
    if (cached.length === n) {
      let i = 0;
      while (i < n && cached.charCodeAt(i) === buf[start + i]) i++;
      if (i === n) return cached;
    }
    const s = buf.toString('utf8', start, end);
    // Only pure ASCII is cached: there chars and bytes compare one to one.
    if (s.length === n) internCache[slot] = s;
    return s;
  }

  /**
   * Length-delimited bytes as lower-case hex (trace ids). Spans of one trace
   * tend to be exported together, so the previous id is reused when the
   * bytes repeat.
   */
  hex(): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    const n = end - start;
    const prev = this.lastHexStart;
    if (prev >= 0 && this.lastHexEnd - prev === n) {
      const buf = this.buf;
      let i = n - 1;
      while (i >= 0 && buf[start + i] === buf[prev + i]) i--;
      if (i < 0) return this.lastHex;
    }
    this.lastHexStart = start;
    this.lastHexEnd = end;
    return (this.lastHex = this.buf.toString('hex', start, end));
  }

  /** Skips the field whose tag was just read. Groups (3/4) are long deprecated and not used by OTLP. */
  skip(tag: number): void {
    if (tag >>> 3 === 0) throw new ProtoDecodeError('invalid field number 0', this.pos);
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_I64:
        this.skipBytes(8);
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd();
        return;
      case WIRE_I32:
        this.skipBytes(4);
        return;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${tag & 7}`, this.pos);
    }
  }

  /** A message whose last field ran past its declared length is corrupt, not merely short. */
  expectEnd(end: number): void {
    if (this.pos !== end) throw new ProtoDecodeError('field overruns enclosing message', end);
  }

  private skipBytes(n: number): void {
    if (this.pos + n > this.len) throw new ProtoDecodeError('truncated fixed-width field', this.pos);
    this.pos += n;
  }

  /** Reads up to 10 varint bytes into lo/hi without ever leaving 32-bit integer arithmetic. */
  private varint64(): void {
    const buf = this.buf;
    const len = this.len;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let hi = 0;
    let b: number;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= len) throw new ProtoDecodeError('truncated varint', start);
      b = buf[pos++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(pos, lo, 0);
    }
    // Byte 5 straddles the 32-bit boundary: 4 bits to lo, 3 bits to hi.
    if (pos >= len) throw new ProtoDecodeError('truncated varint', start);
    b = buf[pos++];
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) return this.setVarint(pos, lo, hi);
    for (let shift = 3; shift < 38; shift += 7) {
      if (pos >= len) throw new ProtoDecodeError('truncated varint', start);
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(pos, lo, hi);
    }
    throw new ProtoDecodeError('varint longer than 10 bytes', start);
  }

  private setVarint(pos: number, lo: number, hi: number): void {
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }
}

/**
 * Unsigned nanoseconds (fixed64 as hi/lo words) to epoch milliseconds.
 * 2^32 ns = 4294 ms + 967296 ns, so the whole-millisecond part stays an
 * exact integer and only the sub-millisecond fraction is rounded; the JSON
 * decoder splits decimal strings the same way, so both paths agree bit for bit.
 */
export function nanosToMs(hi: number, lo: number): number {
  const rest = hi * 967296 + lo;
  const restMs = Math.floor(rest / 1e6);
  return hi * 4294 + restMs + (rest - restMs * 1e6) / 1e6;
}

/** end - start in ms, exact while the difference is below 2^53 ns (~104 days). */
export function nanosDiffToMs(endHi: number, endLo: number, startHi: number, startLo: number): number {
  return ((endHi - startHi) * 4294967296 + (endLo - startLo)) / 1e6;
}
