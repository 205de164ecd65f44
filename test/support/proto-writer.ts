/** varint encodes a protobuf base-128 varint, 64-bit safe (negative int64 as ten bytes), for hand-built test messages. */
export const varint = (value: bigint | number): number[] => {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  for (; v >= 0x80n; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80);
  out.push(Number(v));
  return out;
};
