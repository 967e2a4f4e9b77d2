// IEEE 754 half-precision decoding (and encoding, for tests and the render benchmark), written
// by hand: Float16Array is not in Node 20.

let table: Float32Array | null = null;
/** Whether 16-bit words read little-endian bytes as they are (every browser in practice). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) {
    const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
    for (let i = 0; i < count; i++) values[i] = lut[halves[i]!]!;
    return values;
  }
  for (let i = 0; i < count; i++) {
    values[i] = lut[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
  }
  return values;
}

const single = new Float32Array(1);
const singleBits = new Uint32Array(single.buffer);

/** The nearest half-precision bit pattern to `value` (ties to even; NaN stays NaN). */
export function floatToHalf(value: number): number {
  single[0] = value;
  const x = singleBits[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const fraction = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (fraction ? 0x200 : 0);
  const e = exponent - 112; // rebias from 127 to 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): value / 2^-24 rounded; below 2^-25 everything rounds to zero.
    if (e < -10) return sign;
    const mantissa = fraction | 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const tie = 1 << (shift - 1);
    return sign | (rest > tie || (rest === tie && half & 1) ? half + 1 : half);
  }
  const half = (e << 10) | (fraction >>> 13);
  const rest = fraction & 0x1fff;
  // A carry out of the fraction bumps the exponent, up to infinity: both are right.
  return sign | (rest > 0x1000 || (rest === 0x1000 && half & 1) ? half + 1 : half);
}

/** Encodes values as little-endian float16 bytes, as the server sends grids. */
export function encodeFloat16(values: ArrayLike<number>, out?: Uint8Array): Uint8Array {
  const bytes = out && out.length === values.length * 2 ? out : new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const bits = floatToHalf(values[i]!);
    bytes[2 * i] = bits & 0xff;
    bytes[2 * i + 1] = bits >>> 8;
  }
  return bytes;
}
