import { describe, expect, it } from "vitest";
import {
  buildClassPalette,
  buildPalette,
  buildValuePalette,
  CLASS_0,
  CLASS_1,
  CLASS_COLORS,
  classCellColor,
  divergingColor,
  hexToRgb,
  labelColor,
  NAN_RGB,
  NEUTRAL,
  probabilityColor,
  VALUE_HIGH,
  VALUE_LOW,
  VALUE_MID,
  type Rgb,
} from "./colors";
import { paintClassPixels, paintPixels } from "./heatmap";

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

describe("class colours", () => {
  const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

  it("keeps the two-class pair and gives six classes six well-separated colours", () => {
    expect(CLASS_COLORS.slice(0, 2)).toEqual([CLASS_0, CLASS_1]);
    expect(CLASS_COLORS).toHaveLength(6);
    const rgb = CLASS_COLORS.map(hexToRgb);
    for (let i = 0; i < rgb.length; i++) {
      for (let j = i + 1; j < rgb.length; j++) {
        expect(distance(rgb[i]!, rgb[j]!), `${i} vs ${j}`).toBeGreaterThan(80);
      }
    }
    expect(labelColor(4)).toBe(CLASS_COLORS[4]);
  });

  it("is neutral at chance and the (lightened) class colour when sure", () => {
    expect(classCellColor(2, 1 / 3, 3)).toEqual(hexToRgb(NEUTRAL));
    expect(classCellColor(2, 0.1, 3)).toEqual(hexToRgb(NEUTRAL));
    expect(classCellColor(2, 1, 3, 0)).toEqual(hexToRgb(CLASS_COLORS[2]!));
    expect(classCellColor(0, NaN, 3)).toEqual(NAN_RGB);
  });

  it("builds a table of levels per class", () => {
    const palette = buildClassPalette(3, 8);
    expect(palette).toHaveLength(3 * 8 * 4);
    const last = (c: number) => Array.from(palette.slice((c * 8 + 7) * 4, (c * 8 + 8) * 4));
    const want = [...classCellColor(1, 1, 3), 255];
    last(1).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1));
  });

  it("paints each cell in its class's colour, paler when less sure", () => {
    const palette = buildClassPalette(3);
    const pixels = new Uint8ClampedArray(3 * 4);
    paintClassPixels([2, 2, NaN], [1, 0.5, 1], 3, palette, pixels);
    const want = classCellColor(2, 1, 3);
    want.forEach((v, i) => expect(Math.abs(pixels[i]! - v)).toBeLessThanOrEqual(1));
    const sure = distance(hexToRgb(NEUTRAL), [pixels[0]!, pixels[1]!, pixels[2]!]);
    const unsure = distance(hexToRgb(NEUTRAL), [pixels[4]!, pixels[5]!, pixels[6]!]);
    expect(unsure).toBeLessThan(sure);
    expect(Array.from(pixels.slice(8, 12))).toEqual([...NAN_RGB, 255]);
  });
});

describe("value colours", () => {
  it("runs from blue through a light middle to red", () => {
    expect(divergingColor(0)).toEqual(hexToRgb(VALUE_LOW));
    expect(divergingColor(0.5)).toEqual(hexToRgb(VALUE_MID));
    expect(divergingColor(1)).toEqual(hexToRgb(VALUE_HIGH));
    expect(divergingColor(-4)).toEqual(divergingColor(0));
  });

  it("paints values over a domain", () => {
    const palette = buildValuePalette(256);
    const pixels = new Uint8ClampedArray(2 * 4);
    paintPixels([-2, 2], palette, pixels, -2, 2);
    expect(Array.from(pixels.slice(0, 4))).toEqual(Array.from(palette.slice(0, 4)));
    expect(Array.from(pixels.slice(4, 8))).toEqual(Array.from(palette.slice(255 * 4)));
  });
});
