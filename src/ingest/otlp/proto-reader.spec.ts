/** Wire-level behaviour of the protobuf reader: varints, bounds, wire types, time math, caches. */
import { nanosDiffToMs, nanosToMs, ProtoDecodeError, ProtoReader } from './proto-reader.js';
import { varint } from '../../../test/support/proto-writer.js';

const reader = (bytes: number[]) => new ProtoReader(Buffer.from(bytes));
const lenPrefixed = (s: string) => [...varint(Buffer.byteLength(s)), ...Buffer.from(s)];
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('ProtoReader', () => {
  it.each<[bigint, number]>([
    [0n, 0],
    [1n, 1],
    [300n, 300],
    [-1n, -1],
    [2n ** 31n, 2 ** 31],
    [-(2n ** 31n), -(2 ** 31)],
    [2n ** 32n + 5n, 2 ** 32 + 5],
    [-4294967297n, -4294967297],
    [2n ** 53n - 1n, 2 ** 53 - 1],
    [-(2n ** 53n) + 1n, -(2 ** 53) + 1],
    [2n ** 63n - 1n, 2 ** 63],
    [-(2n ** 63n), -(2 ** 63)],
  ])('int64 %p', (v, expected) => {
    const r = reader(varint(v));
    expect(r.int64()).toBe(expected);
    expect(r.pos).toBe(varint(v).length);
  });

  it('reads uint32/int32 from the low 32 bits of longer varints (negative enums)', () => {
    expect(reader(varint(-1)).int32()).toBe(-1);
    expect(reader(varint(-1)).uint32()).toBe(0xffffffff);
    expect(reader(varint(2n ** 32n + 7n)).uint32()).toBe(7);
    expect(reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).tag()).toBe(0);
  });

  it('reads bools from any varint width', () => {
    expect(reader([0]).bool()).toBe(false);
    expect(reader(varint(2n ** 40n)).bool()).toBe(true);
  });

  it('rejects truncated and overlong varints', () => {
    expect(thrown(() => reader([]).uint32())).toBeInstanceOf(ProtoDecodeError);
    for (let n = 1; n < 10; n++) expect(() => reader(varint(-1).slice(0, n)).int64()).toThrow(/truncated varint/);
    expect(() => reader([...Array(10).fill(0xff), 0x01]).int64()).toThrow(/longer than 10 bytes/);
  });

  it('checks lengths against the buffer, including lengths beyond 32 bits', () => {
    expect(reader([3, 1, 2, 3]).lengthEnd()).toBe(4);
    expect(() => reader([4, 1, 2, 3]).lengthEnd()).toThrow(/exceeds buffer/);
    expect(() => reader(varint(2n ** 32n + 1n).concat([0])).lengthEnd()).toThrow(/length too large/);
    expect(() => reader(varint(2n ** 31n)).lengthEnd()).toThrow(ProtoDecodeError);
  });

  it('skips every supported wire type and rejects the rest', () => {
    const r = reader([...varint(-1), 1, 2, 3, 4, 5, 6, 7, 8, 2, 9, 9, 1, 2, 3, 4]);
    r.skip((1 << 3) | 0);
    r.skip((1 << 3) | 1);
    r.skip((1 << 3) | 2);
    r.skip((1 << 3) | 5);
    expect(r.pos).toBe(r.len);
    for (const wire of [3, 4, 6, 7]) expect(() => reader([0, 0, 0, 0]).skip((1 << 3) | wire)).toThrow(`unsupported wire type ${wire}`);
    expect(() => reader([1]).skip(0)).toThrow(/field number 0/);
    expect(() => reader([1, 2, 3]).skip((1 << 3) | 5)).toThrow(/truncated/);
    expect(() => reader([1, 2, 3, 4, 5, 6, 7]).skip((1 << 3) | 1)).toThrow(/truncated/);
  });

  it('reads fixed-width values and bounds-checks them', () => {
    expect(reader([0x01, 0x02, 0x03, 0xf4]).fixed32()).toBe(0xf4030201);
    const d = Buffer.alloc(8);
    d.writeDoubleLE(-1.25);
    expect(reader([...d]).double()).toBe(-1.25);
    expect(() => reader([1, 2, 3]).fixed32()).toThrow(ProtoDecodeError);
    expect(() => reader([...d].slice(0, 7)).double()).toThrow(ProtoDecodeError);
  });

  it('expectEnd reports a field that ran past its message', () => {
    const r = reader([1, 2, 3]);
    r.pos = 3;
    expect(() => r.expectEnd(2)).toThrow(/overruns/);
  });

  it('interned strings stay correct under slot collisions, non-ASCII and long input', () => {
    // Same length and same first/middle/last bytes land in the same slot.
    const words = ['a0m0z', 'a1m1z', 'a0m1z', 'a0m0z', 'ä0m0z', 'ä0m0z', '', 'x'.repeat(100), 'a0m0z', '\u0000\u0001'];
    const r = reader(words.flatMap(lenPrefixed));
    expect(words.map(() => r.internedString())).toEqual(words);
    const plain = reader(lenPrefixed('ünï 😀'));
    expect(plain.string()).toBe('ünï 😀');
  });

  it('hex reuses the previous id only when the bytes match', () => {
    const ids = ['0af7651916cd43dd8448eb211c80319c', '0af7651916cd43dd8448eb211c80319c', '1af7651916cd43dd8448eb211c80319c', 'ab', 'ab', '', '0af7651916cd43dd'];
    const r = reader(ids.flatMap((id) => [...varint(id.length / 2), ...Buffer.from(id, 'hex')]));
    expect(ids.map(() => r.hex())).toEqual(ids);
  });
});

describe('nanosecond conversion', () => {
  const exact = (ns: bigint) => Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
  const split = (ns: bigint): [number, number] => [Number(ns >> 32n), Number(ns & 0xffffffffn)];

  it('keeps whole milliseconds exact across the full fixed64 range', () => {
    const samples = [0n, 1n, 999_999n, 1_000_000n, 2n ** 32n - 1n, 2n ** 32n, 1_700_000_000_123_456_789n, 2n ** 63n, 2n ** 64n - 1n];
    let x = 0x9e3779b97f4a7c15n;
    for (let i = 0; i < 1000; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n);
      samples.push(x);
    }
    for (const ns of samples) expect(nanosToMs(...split(ns))).toBe(exact(ns));
  });

  it('computes durations from the exact nanosecond difference', () => {
    const start = 1_700_000_000_999_999_999n;
    for (const d of [0n, 1n, -1n, 4_294_967_297n, 86_400_000_000_001n, -123_456_789_012n, 2n ** 52n + 1n]) {
      expect(nanosDiffToMs(...split(start + d), ...split(start))).toBe(Number(d) / 1e6);
    }
  });
});
