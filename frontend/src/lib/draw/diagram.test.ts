import { describe, expect, it } from "vitest";
import type { LayerWeights } from "../inspection";
import { CLASS_0, CLASS_1 } from "./colors";
import {
  diagramEdges,
  edgeAt,
  edgePoint,
  edgeStyle,
  layoutDiagram,
  largestWeight,
  nodeAt,
  segmentDistance,
} from "./diagram";

const SIZE = { width: 400, height: 300 };

function layer(index: number, inputs: number, units: number): LayerWeights {
  // Weight into row r from column c is 10·r + c + 1, so every edge says where it belongs.
  const weight = Float32Array.from({ length: units * inputs }, (_, i) => {
    const r = Math.floor(i / inputs);
    return 10 * r + (i % inputs) + 1;
  });
  return {
    layer: index,
    name: `layer ${index}`,
    inputs,
    units,
    activation: null,
    weight,
    bias: new Float32Array(units),
  };
}

describe("layoutDiagram", () => {
  it("puts one column per layer, left to right, each centred vertically", () => {
    const layout = layoutDiagram([2, 4, 1], SIZE);
    expect(layout.columns.map((c) => c.length)).toEqual([2, 4, 1]);
    const xs = layout.columns.map((c) => c[0]!.x);
    expect(xs[0]).toBeLessThan(xs[1]!);
    expect(xs[1]).toBeLessThan(xs[2]!);
    // Evenly spaced columns, the middle one at the centre.
    expect(xs[1]).toBeCloseTo(SIZE.width / 2);
    for (const column of layout.columns) {
      const ys = column.map((n) => n.y);
      expect((Math.min(...ys) + Math.max(...ys)) / 2).toBeCloseTo(SIZE.height / 2);
    }
    expect(layout.more).toEqual([]);
  });

  it("keeps every node inside the canvas and nodes of a column apart", () => {
    const layout = layoutDiagram([2, 12, 12, 12, 3], SIZE);
    const half = layout.nodeSize / 2;
    for (const column of layout.columns) {
      column.forEach((node, i) => {
        expect(node.x - half).toBeGreaterThanOrEqual(0);
        expect(node.x + half).toBeLessThanOrEqual(SIZE.width);
        expect(node.y - half).toBeGreaterThanOrEqual(0);
        expect(node.y + half).toBeLessThanOrEqual(SIZE.height);
        if (i > 0) expect(node.y - column[i - 1]!.y).toBeGreaterThan(layout.nodeSize);
      });
    }
  });

  it("shows a wide layer's first units and a +N marker for the rest", () => {
    const layout = layoutDiagram([2, 32, 1], SIZE, 12);
    expect(layout.columns[1]!.map((n) => n.unit)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(layout.more).toHaveLength(1);
    expect(layout.more[0]).toMatchObject({ column: 1, count: 21 });
    expect(layout.more[0]!.y).toBeGreaterThan(layout.columns[1]!.at(-1)!.y);
  });
});

describe("diagramEdges", () => {
  it("joins every shown pair of adjacent nodes with its weight", () => {
    const layout = layoutDiagram([2, 3, 1], SIZE);
    const edges = diagramEdges(layout, [layer(0, 2, 3), layer(1, 3, 1)]);
    expect(edges).toHaveLength(2 * 3 + 3 * 1);
    for (const edge of edges) expect(edge.weight).toBe(10 * edge.row + edge.col + 1);
    const edge = edges.find((e) => e.layer === 0 && e.row === 2 && e.col === 1)!;
    const [source, target] = [layout.columns[0]![1]!, layout.columns[1]![2]!];
    expect([edge.ax, edge.ay]).toEqual([source.x + layout.nodeSize / 2, source.y]);
    expect([edge.bx, edge.by]).toEqual([target.x - layout.nodeSize / 2, target.y]);
  });

  it("leaves out the weights of units behind a +N marker", () => {
    const layout = layoutDiagram([2, 20, 1], SIZE, 12);
    const edges = diagramEdges(layout, [layer(0, 2, 20), layer(1, 20, 1)]);
    expect(edges).toHaveLength(2 * 11 + 11);
  });
});

describe("hit-testing", () => {
  const layout = layoutDiagram([2, 3, 1], SIZE);
  const edges = diagramEdges(layout, [layer(0, 2, 3), layer(1, 3, 1)]);

  it("finds the node under the pointer and nothing between nodes", () => {
    const node = layout.columns[1]![2]!;
    expect(nodeAt(layout, node.x + 2, node.y - 2)).toBe(node);
    expect(nodeAt(layout, 1, 1)).toBeNull();
  });

  it("finds the edge through a point on it, and none far from every edge", () => {
    const edge = edges.find((e) => e.layer === 1 && e.row === 0 && e.col === 0)!;
    // A point near its end, where it crosses no other edge, and one a pixel off the curve.
    const [x, y] = edgePoint(edge, 0.1);
    expect(edgeAt(edges, x, y)).toBe(edge);
    expect(edgeAt(edges, x, y + 1)).toBe(edge);
    expect(edgeAt(edges, SIZE.width / 2, 2)).toBeNull();
  });

  it("measures the distance to a segment, including beyond its ends", () => {
    expect(segmentDistance(5, 3, 0, 0, 10, 0)).toBe(3);
    expect(segmentDistance(13, 4, 0, 0, 10, 0)).toBe(5);
    expect(segmentDistance(1, 1, 0, 0, 0, 0)).toBeCloseTo(Math.SQRT2);
  });
});

describe("edgePoint", () => {
  it("runs from the source's side to the target's, level at both ends, through the middle", () => {
    const edge = { layer: 0, row: 0, col: 0, weight: 1, ax: 0, ay: 0, bx: 10, by: 20 };
    expect(edgePoint(edge, 0)).toEqual([0, 0]);
    expect(edgePoint(edge, 1)).toEqual([10, 20]);
    expect(edgePoint(edge, 0.5)).toEqual([5, 10]);
    // Level at the ends: a small step along moves x much more than y.
    const [x, y] = edgePoint(edge, 0.02);
    expect(y / x).toBeLessThan(0.1);
  });
});

describe("edgeStyle", () => {
  it("colours by sign and widens with |w|", () => {
    const strong = edgeStyle(-2, 2);
    const weak = edgeStyle(0.2, 2);
    expect(strong.color).toBe(CLASS_0);
    expect(weak.color).toBe(CLASS_1);
    expect(strong.width).toBeGreaterThan(weak.width);
    expect(strong.alpha).toBeGreaterThan(weak.alpha);
  });

  it("scales by the largest finite weight", () => {
    const layout = layoutDiagram([1, 1], SIZE);
    const w = layer(0, 1, 1);
    w.weight[0] = -3;
    expect(largestWeight(diagramEdges(layout, [w]))).toBe(3);
    expect(largestWeight([])).toBeGreaterThan(0);
  });
});
