import { describe, expect, it } from "vitest";
import { buildPalette, hexToRgb, labelColor, NEUTRAL, probabilityColor } from "./colors";
import { paintPixels } from "./heatmap";

describe("colours", () => {
  it("parses hex colours", () => {
    expect(hexToRgb("#0877bd")).toEqual([8, 119, 189]);
    expect(() => hexToRgb("blue")).toThrow();
  });

  it("is neutral at 0.5 and pure class colours at the ends without lightening", () => {
    expect(probabilityColor(0.5)).toEqual(hexToRgb(NEUTRAL));
    expect(probabilityColor(0, 0)).toEqual(hexToRgb("#f59322"));
    expect(probabilityColor(1, 0)).toEqual(hexToRgb("#0877bd"));
  });

  it("gets bluer as the probability of class 1 rises", () => {
    const blues = [0, 0.25, 0.5, 0.75, 1].map((p) => {
      const [r, , b] = probabilityColor(p);
      return b - r;
    });
    expect([...blues].sort((a, b) => a - b)).toEqual(blues);
    expect(probabilityColor(0)[0]).toBeGreaterThan(probabilityColor(1)[0]);
  });

  it("clamps and greys out NaN", () => {
    expect(probabilityColor(2)).toEqual(probabilityColor(1));
    expect(probabilityColor(NaN)).toEqual([160, 164, 170]);
  });

  it("names label colours", () => {
    expect(labelColor(1)).toBe("#0877bd");
    expect(labelColor(0)).toBe("#f59322");
  });
});

describe("paintPixels", () => {
  const palette = buildPalette(256);

  it("maps each value through the palette, opaque", () => {
    const pixels = new Uint8ClampedArray(3 * 4);
    paintPixels([0, 0.5, 1], palette, pixels);
    expect(Array.from(pixels.slice(0, 4))).toEqual([...palette.slice(0, 4)]);
    expect(Array.from(pixels.slice(8, 12))).toEqual([...palette.slice(255 * 4, 256 * 4)]);
    expect(pixels[3]).toBe(255);
    const [r, g, b] = probabilityColor(128 / 255);
    expect(Array.from(pixels.slice(4, 7))).toEqual([r, g, b].map((v) => Math.round(v)));
  });

  it("paints the same through unaligned buffers (byte by byte)", () => {
    const values = [0, 0.2, NaN, 0.5, 0.99, 1, -3, 7];
    const aligned = new Uint8ClampedArray(values.length * 4);
    const unaligned = new Uint8ClampedArray(values.length * 4 + 1).subarray(1);
    paintPixels(values, palette, aligned);
    paintPixels(values, palette, unaligned);
    expect(Array.from(unaligned)).toEqual(Array.from(aligned));
  });

  it("paints NaN grey and rejects a wrong buffer size", () => {
    const pixels = new Uint8ClampedArray(4);
    paintPixels([NaN], palette, pixels);
    expect(Array.from(pixels)).toEqual([160, 164, 170, 255]);
    expect(() => paintPixels([0, 1], palette, pixels)).toThrow(/pixel bytes/);
  });
});
