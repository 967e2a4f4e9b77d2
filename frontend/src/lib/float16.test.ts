import { describe, expect, it } from "vitest";
import { decodeFloat16, encodeFloat16, floatToHalf, halfToFloat } from "./float16";

describe("halfToFloat", () => {
  it.each([
    [0x0000, 0],
    [0x3c00, 1],
    [0xbc00, -1],
    [0x3800, 0.5],
    [0x4000, 2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504], // largest normal
    [0x0400, 2 ** -14], // smallest normal
    [0x0001, 2 ** -24], // smallest subnormal
    [0x03ff, 1023 * 2 ** -24], // largest subnormal
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])("decodes 0x%s", (bits, value) => {
    expect(halfToFloat(bits)).toBe(value);
  });

  it("keeps the sign of zero and decodes NaN", () => {
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});

describe("decodeFloat16", () => {
  it("reads little-endian pairs", () => {
    const bytes = new Uint8Array([0x00, 0x3c, 0x00, 0x38, 0x00, 0x00, 0x00, 0xbc]);
    expect(Array.from(decodeFloat16(bytes))).toEqual([1, 0.5, 0, -1]);
  });

  it("works on a view with an odd byte offset", () => {
    const buffer = new Uint8Array([0xff, 0x00, 0x3c]);
    expect(Array.from(decodeFloat16(buffer.subarray(1)))).toEqual([1]);
  });

  it("reuses the output array when the size matches", () => {
    const out = new Float32Array(1);
    expect(decodeFloat16(new Uint8Array([0x00, 0x40]), out)).toBe(out);
    expect(out[0]).toBe(2);
  });

  it("rejects an odd number of bytes", () => {
    expect(() => decodeFloat16(new Uint8Array(3))).toThrow(/odd length/);
  });
});

describe("floatToHalf", () => {
  it("gives back every half-precision value it is handed", () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = halfToFloat(bits);
      const back = floatToHalf(value);
      const ok = Number.isNaN(value) ? Number.isNaN(halfToFloat(back)) : back === bits;
      if (!ok) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });

  it("rounds to the nearest half, ties to even, like a brute-force search", () => {
    const finite = Array.from({ length: 0x7c00 }, (_, bits) => halfToFloat(bits));
    const nearest = (x: number): number => {
      let best = 0;
      for (let bits = 1; bits < finite.length; bits++) {
        const d = Math.abs(finite[bits]! - x) - Math.abs(finite[best]! - x);
        if (d < 0 || (d === 0 && (bits & 1) === 0 && best & 1)) best = bits;
      }
      return best;
    };
    const samples = [1e-9, 2 ** -25, 3 * 2 ** -26, 1.5e-7, 6e-5, 0.1, 1 / 3, 0.7, 1 + 2 ** -11];
    samples.push(1 + 3 * 2 ** -11, 2049, 1234.5678, 65519, 0.999);
    // Only values that are exact in float32, as the encoder sees a float32.
    for (const x of samples.map(Math.fround)) expect(floatToHalf(x)).toBe(nearest(x));
    expect(floatToHalf(-0.1)).toBe(0x8000 | nearest(Math.fround(0.1)));
  });

  it("overflows to infinity and keeps NaN", () => {
    expect(floatToHalf(65520)).toBe(0x7c00);
    expect(floatToHalf(-1e9)).toBe(0xfc00);
    expect(Number.isNaN(halfToFloat(floatToHalf(NaN)))).toBe(true);
  });
});

describe("encodeFloat16", () => {
  it("writes little-endian bytes that decodeFloat16 reads back", () => {
    const bytes = encodeFloat16([1, 0.5, 0, -1]);
    expect(Array.from(bytes)).toEqual([0x00, 0x3c, 0x00, 0x38, 0x00, 0x00, 0x00, 0xbc]);
    expect(Array.from(decodeFloat16(bytes))).toEqual([1, 0.5, 0, -1]);
  });
});
