import { describe, expect, it } from "vitest";
import { decodeFloat16, halfToFloat } from "./float16";

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
