// IEEE 754 half-precision decoding, written by hand: Float16Array is not in Node 20.

let table: Float32Array | null = null;

/** The float value of one half-precision bit pattern (0..0xffff). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x03ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function lookupTable(): Float32Array {
  if (!table) {
    table = new Float32Array(0x10000);
    for (let bits = 0; bits < 0x10000; bits++) table[bits] = halfToFloat(bits);
  }
  return table;
}

/** Decodes little-endian float16 bytes into float32 values (out is reused when it fits). */
export function decodeFloat16(bytes: Uint8Array, out?: Float32Array): Float32Array {
  if (bytes.length % 2 !== 0) throw new Error(`float16 data has an odd length ${bytes.length}`);
  const count = bytes.length / 2;
  const values = out && out.length === count ? out : new Float32Array(count);
  const lut = lookupTable();
  for (let i = 0; i < count; i++) {
    values[i] = lut[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
  }
  return values;
}
