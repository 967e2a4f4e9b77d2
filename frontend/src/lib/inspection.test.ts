import { describe, expect, it } from "vitest";
import { encodeFloat16 } from "./float16";
import { decodeInspection, readFloat32, weightAt } from "./inspection";
import { f32, inspectedLayer as layer, inspectionEvent } from "./fixtures";
import type { InspectionEvent } from "./protocol.gen";

/** A 2 → 3 → 1 net: W1 = [[1, 2], [3, 4], [5, 6]], W2 = [[-1, 0, 1]]. */
function event(overrides: Partial<InspectionEvent> = {}): InspectionEvent {
  const layers = [layer(0, 2, 3, [1, 2, 3, 4, 5, 6]), layer(1, 3, 1, [-1, 0, 1])];
  return inspectionEvent(layers, { run: 4, step: 120, ...overrides });
}

describe("decodeInspection", () => {
  it("decodes each layer's weights row-major as units × inputs", () => {
    const inspection = decodeInspection(event());
    const [hidden, output] = inspection.layers;
    expect(inspection.run).toBe(4);
    expect(inspection.step).toBe(120);
    expect(weightAt(hidden!, 0, 1)).toBe(2);
    expect(weightAt(hidden!, 2, 0)).toBe(5);
    expect(weightAt(output!, 0, 2)).toBe(1);
    expect(Array.from(hidden!.bias)).toEqual([0, 0.1, 0.2].map(Math.fround));
    expect(output!.activation).toBeNull();
  });

  it("names the layer whose weight bytes are short", () => {
    const bad = event({ layers: [layer(0, 2, 3, [1, 2, 3, 4, 5]), layer(1, 3, 1, [-1, 0, 1])] });
    expect(() => decodeInspection(bad)).toThrow(/hidden layer 1 weights: need 6 float32/);
  });

  it("refuses layers that do not chain", () => {
    const bad = event({ layers: [layer(0, 2, 3, [1, 2, 3, 4, 5, 6]), layer(1, 2, 1, [1, 1])] });
    expect(() => decodeInspection(bad)).toThrow(/output layer takes 2 inputs but .* has 3 units/);
  });

  it("splits the neuron planes by the counts: features, hidden units, outputs", () => {
    // 2×1 planes: 2 features, 3 hidden units, 1 output = 6 planes, plane k holds [k, -k].
    const values = Array.from({ length: 6 }, (_, k) => [k, -k]).flat();
    const neurons = { width: 2, height: 1, counts: [2, 3, 1], data: encodeFloat16(values) };
    const maps = decodeInspection(event({ neurons })).neurons!;
    expect(maps.columns.map((column) => column.length)).toEqual([2, 3, 1]);
    expect(Array.from(maps.columns[1]![2]!)).toEqual([4, -4]);
    expect(Array.from(maps.columns[2]![0]!)).toEqual([5, -5]);
  });

  it("takes the first units' planes of a wide layer, as the server caps them", () => {
    // 2 features, the first 2 of 3 hidden units, 1 output = 5 planes, plane k holds [k].
    const neurons = {
      width: 1,
      height: 1,
      counts: [2, 2, 1],
      data: encodeFloat16([0, 1, 2, 3, 4]),
    };
    const maps = decodeInspection(event({ neurons })).neurons!;
    expect(maps.columns.map((column) => column.length)).toEqual([2, 2, 1]);
    expect(Array.from(maps.columns[1]![1]!)).toEqual([3]);
    expect(maps.columns[1]![2]).toBeUndefined(); // not sent: drawn without its map
  });

  it("refuses neuron counts that disagree with the layers, or short plane data", () => {
    const wrongCounts = {
      width: 1,
      height: 1,
      counts: [2, 4, 1],
      data: encodeFloat16([0, 0, 0, 0, 0, 0, 0]),
    };
    expect(() => decodeInspection(event({ neurons: wrongCounts }))).toThrow(
      /counts \[2, 4, 1\] do not match the layers \[2, 3, 1\]/,
    );
    const short = { width: 2, height: 2, counts: [2, 3, 1], data: encodeFloat16([1, 2, 3]) };
    expect(() => decodeInspection(event({ neurons: short }))).toThrow(/need 48 bytes, got 6/);
  });

  it("decodes the focus map and the hidden space", () => {
    const focus = { layer: 0, unit: 2, width: 2, height: 2, data: f32([1, 2, 3, 4]) };
    const hidden_space = {
      layer: 0,
      units: 3,
      projected: true,
      count: 2,
      points: f32([0.5, 1, -1, 2]),
      labels: f32([0, 1]),
      lines: 2,
      samples: 3,
      grid: f32([0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2]),
    };
    const inspection = decodeInspection(event({ focus, hidden_space }));
    expect(Array.from(inspection.focus!.values)).toEqual([1, 2, 3, 4]);
    const space = inspection.hiddenSpace!;
    expect(space.projected).toBe(true);
    expect(Array.from(space.points)).toEqual([0.5, 1, -1, 2]);
    // Line 1, sample 2 is the last pair.
    expect([space.grid[2 * (1 * 3 + 2)], space.grid[2 * (1 * 3 + 2) + 1]]).toEqual([0, 2]);
  });

  it("refuses hidden-space arrays of the wrong size", () => {
    const hidden_space = {
      layer: 0,
      units: 2,
      projected: false,
      count: 3,
      points: f32([0, 0, 1, 1]),
      labels: f32([0, 1, 1]),
      lines: 0,
      samples: 0,
      grid: f32([]),
    };
    expect(() => decodeInspection(event({ hidden_space }))).toThrow(
      /hidden space points: need 6 float32 values/,
    );
  });
});

describe("readFloat32", () => {
  it("reads unaligned little-endian bytes", () => {
    const padded = new Uint8Array(9);
    padded.set(f32([1.5, -2]), 1);
    expect(Array.from(readFloat32(padded.subarray(1), 2, "x"))).toEqual([1.5, -2]);
  });
});
