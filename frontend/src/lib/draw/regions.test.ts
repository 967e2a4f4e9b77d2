import { describe, expect, it } from "vitest";
import type { RegionPolygons } from "../protocol.gen";
import {
  decodeRegions,
  drawRegionEdges,
  drawRegionFills,
  hslToRgb,
  patternColor,
  polygonAt,
  regionPixels,
  type RegionContext,
} from "./regions";

/** Little-endian bytes, as the server packs them; `shift` puts them at an odd byteOffset. */
function bytes(values: number[], kind: "u32" | "f32", shift = 0): Uint8Array {
  const buffer = new ArrayBuffer(values.length * 4 + shift);
  const view = new DataView(buffer);
  values.forEach((v, i) =>
    kind === "u32"
      ? view.setUint32(shift + i * 4, v, true)
      : view.setFloat32(shift + i * 4, v, true),
  );
  return new Uint8Array(buffer, shift, values.length * 4);
}

/** Two regions of the box [-1, 1]²: the left half (a square) and the right half split in two triangles. */
const WIRE: RegionPolygons = {
  count: 3,
  offsets: bytes([0, 4, 7, 10], "u32", 1),
  vertices: bytes(
    [-1, -1, 0, -1, 0, 1, -1, 1, /* */ 0, -1, 1, -1, 1, 1, /* */ 0, -1, 1, 1, 0, 1],
    "f32",
    3,
  ),
  pattern_ids: bytes([7, 0xffffffff, 123456], "u32", 2),
};

describe("decodeRegions", () => {
  it("reads little-endian columns at any byte offset", () => {
    const regions = decodeRegions(WIRE);
    expect(regions.count).toBe(3);
    expect([...regions.offsets]).toEqual([0, 4, 7, 10]);
    expect([...regions.patternIds]).toEqual([7, 0xffffffff, 123456]);
    expect(regions.vertices.length).toBe(20);
    expect(regions.vertices[2]).toBe(0);
    expect(regions.vertices[19]).toBe(1);
  });

  it("accepts no polygons", () => {
    const empty = {
      count: 0,
      offsets: bytes([0], "u32"),
      vertices: bytes([], "f32"),
      pattern_ids: bytes([], "u32"),
    };
    expect(decodeRegions(empty).count).toBe(0);
  });

  it("refuses columns that disagree", () => {
    expect(() => decodeRegions({ ...WIRE, count: 2 })).toThrow(/offsets/);
    expect(() => decodeRegions({ ...WIRE, pattern_ids: bytes([1, 2], "u32") })).toThrow(
      /pattern_ids/,
    );
    expect(() => decodeRegions({ ...WIRE, offsets: bytes([0, 4, 7, 11], "u32") })).toThrow(
      /outside/,
    );
    expect(() => decodeRegions({ ...WIRE, vertices: new Uint8Array(6) })).toThrow(/float32/);
  });
});

describe("regionPixels", () => {
  it("maps the box onto the canvas with y up", () => {
    const regions = decodeRegions(WIRE);
    const pixels = regionPixels(regions, [-1, 1, -1, 1], { width: 200, height: 100 });
    expect(polygonAt(regions, pixels, 0)).toEqual([
      [0, 100],
      [100, 100],
      [100, 0],
      [0, 0],
    ]);
    expect(polygonAt(regions, pixels, 1)).toEqual([
      [100, 100],
      [200, 100],
      [200, 0],
    ]);
  });
});

describe("patternColor", () => {
  it("is the same colour for the same pattern, and soft", () => {
    expect(patternColor(42)).toEqual(patternColor(42));
    for (let id = 0; id < 200; id++) {
      const [r, g, b] = patternColor(id * 7919);
      for (const c of [r, g, b]) {
        expect(Number.isInteger(c) && c >= 0 && c <= 255).toBe(true);
      }
      expect(Math.max(r, g, b)).toBeGreaterThan(150); // never muddy or dark
    }
  });

  it("gives neighbouring ids distinct colours", () => {
    const colours = new Set(Array.from({ length: 100 }, (_, id) => patternColor(id).join(",")));
    expect(colours.size).toBeGreaterThan(95);
    const [a, b] = [patternColor(1), patternColor(2)];
    expect(Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2])).toBeGreaterThan(
      20,
    );
  });

  it("converts HSL like CSS", () => {
    expect(hslToRgb(0, 1, 0.5)).toEqual([255, 0, 0]);
    expect(hslToRgb(1 / 3, 1, 0.5)).toEqual([0, 255, 0]);
    expect(hslToRgb(0, 0, 1)).toEqual([255, 255, 255]);
  });
});

/** Records the drawing calls a region function makes. */
function recorder(): RegionContext & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fillStyle: "",
    strokeStyle: "",
    lineWidth: 1,
    lineJoin: "miter",
    beginPath: () => calls.push("begin"),
    moveTo: (x: number, y: number) => calls.push(`M${x},${y}`),
    lineTo: (x: number, y: number) => calls.push(`L${x},${y}`),
    closePath: () => calls.push("close"),
    fill: () => calls.push("fill"),
    stroke: () => calls.push("stroke"),
  } as RegionContext & { calls: string[] };
}

describe("drawing", () => {
  const regions = decodeRegions(WIRE);
  const pixels = regionPixels(regions, [-1, 1, -1, 1], { width: 10, height: 10 });

  it("strokes all edges as one path, scaled to the device pixel ratio", () => {
    const ctx = recorder();
    drawRegionEdges(ctx, regions, pixels, 2);
    expect(ctx.calls.filter((c) => c === "begin")).toHaveLength(1);
    expect(ctx.calls.filter((c) => c === "stroke")).toHaveLength(1);
    expect(ctx.calls.filter((c) => c === "close")).toHaveLength(3);
    expect(ctx.calls[1]).toBe("M0,10");
    expect(ctx.lineWidth).toBeCloseTo(1.6);
  });

  it("fills each polygon once in its pattern's colour", () => {
    const ctx = recorder();
    drawRegionFills(ctx, regions, pixels);
    expect(ctx.calls.filter((c) => c === "fill")).toHaveLength(3);
    expect(ctx.fillStyle).toBe(`rgb(${patternColor(123456).join(" ")})`);
  });

  it("skips degenerate polygons", () => {
    const ctx = recorder();
    const thin = decodeRegions({
      count: 1,
      offsets: bytes([0, 2], "u32"),
      vertices: bytes([0, 0, 1, 1], "f32"),
      pattern_ids: bytes([1], "u32"),
    });
    drawRegionEdges(ctx, thin, regionPixels(thin, [0, 1, 0, 1], { width: 1, height: 1 }));
    expect(ctx.calls).toEqual(["begin", "stroke"]);
  });
});
