import { describe, expect, it } from "vitest";
import type { DiagramEdge } from "./draw/diagram";
import { diagramTooltip, nodeName, type DiagramNet } from "./diagramText";
import type { LayerWeights } from "./inspection";

// Two inputs → 2 tanh units → 1 output; weights row-major (row = the unit led into).
const hidden: LayerWeights = {
  layer: 0,
  name: "hidden 1",
  inputs: 2,
  units: 2,
  activation: "tanh",
  weight: new Float32Array([0.5, -1, 2, 0.25]),
  bias: new Float32Array([0.1, -0.2]),
};
const output: LayerWeights = {
  layer: 1,
  name: "output",
  inputs: 2,
  units: 1,
  activation: null,
  weight: new Float32Array([3, -4]),
  bias: new Float32Array([0]),
};
const net: DiagramNet = { layers: [hidden, output], features: ["x1", "x2"] };
const edge = (layer: number, row: number, col: number, weight: number): DiagramEdge => ({
  layer,
  row,
  col,
  weight,
  ax: 0,
  ay: 0,
  bx: 0,
  by: 0,
});

describe("nodeName", () => {
  it("names inputs by feature and other units by layer, counting from 1", () => {
    expect(nodeName(net, 0, 1)).toBe("input x2");
    expect(nodeName(net, 1, 0)).toBe("hidden 1, neuron 1");
    expect(nodeName(net, 2, 0)).toBe("output, neuron 1");
  });

  it("falls back to numbers for a feature or layer it does not know", () => {
    expect(nodeName({ layers: [], features: [] }, 0, 2)).toBe("input 3");
    expect(nodeName({ layers: [], features: [] }, 3, 0)).toBe("layer 3, neuron 1");
  });
});

describe("diagramTooltip", () => {
  it("gives a neuron its bias and activation", () => {
    const text = diagramTooltip(net, { column: 1, unit: 1, x: 0, y: 0 }, true);
    expect(text).toBe("hidden 1, neuron 2 · bias -0.2 · tanh · click to enlarge");
  });

  it("offers an input only to be seen large", () => {
    const text = diagramTooltip(net, { column: 0, unit: 0, x: 0, y: 0 }, true);
    expect(text).toBe("input x1 · click a neuron to see it large");
  });

  it("reads a weight from the newest layer, and offers editing only while paused", () => {
    // The edge still holds an older weight; the layer's own value (row 1, col 0 = 2) wins.
    const stale = edge(0, 1, 0, 9);
    expect(diagramTooltip(net, stale, true)).toBe(
      "weight 2 · input x1 → hidden 1, neuron 2 · click to edit",
    );
    expect(diagramTooltip(net, stale, false)).toBe("weight 2 · input x1 → hidden 1, neuron 2");
  });
});
