// The graph view's layout (unit boxes, collapse of wide layers, edges) and its pass order.

import { describe, expect, it } from "vitest";
import {
  chainText,
  COLLAPSE_ABOVE,
  extremes,
  layoutGraph,
  localAt,
  summarise,
} from "./graphLayout";
import {
  endPlay,
  initialPlay,
  isDone,
  showsGrad,
  showsValue,
  startPlay,
  stepPlay,
} from "./graphPlay";
import type { GraphNodeView } from "./protocol.gen";

function node(id: string, op: string, value: number[], extra: Partial<GraphNodeView> = {}) {
  return {
    id,
    op,
    label: id,
    symbol: id,
    layer: null,
    value,
    grad: value.map((v) => v / 10),
    local_diagonal: null,
    local_matrix: null,
    overflow: false,
    ...extra,
  } satisfies GraphNodeView;
}

/** input (2) → W·x (3) → tanh (3) → loss (1): a matrix edge, a diagonal one, a matrix one. */
const SMALL = [
  node("x", "input", [1, 2]),
  node("wx", "matmul", [0.1, 0.2, 0.3], {
    local_matrix: [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
  }),
  node("h", "activation", [0.1, 0.2, 0.3], { local_diagonal: [0.9, 0.8, 0.7] }),
  node("loss", "loss", [0.5], { local_matrix: [[1, 1, 1]], grad: [1] }),
];

describe("layoutGraph", () => {
  it("puts one box per unit, columns left to right, each column centred", () => {
    const layout = layoutGraph(SMALL, 200);
    expect(layout.columns.map((c) => c.boxes.length)).toEqual([2, 3, 3, 1]);
    const xs = layout.columns.map((c) => c.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    const centre = (c: (typeof layout.columns)[number]) =>
      (c.boxes[0]!.y + c.boxes.at(-1)!.y + c.boxes.at(-1)!.height) / 2;
    expect(centre(layout.columns[0]!)).toBeCloseTo(centre(layout.columns[1]!));
    expect(layout.width).toBeGreaterThan(xs.at(-1)!);
  });

  it("joins every unit pair across a matrix, and unit i to unit i across an elementwise op", () => {
    const edges = layoutGraph(SMALL, 200).edges;
    const into = (column: number) => edges.filter((e) => e.column === column);
    expect(into(1)).toHaveLength(6); // 2 × 3, unlabelled
    expect(into(1).every((e) => !e.labelled)).toBe(true);
    const diagonal = into(2);
    expect(diagonal.map((e) => [e.from.unit, e.to.unit, e.local])).toEqual([
      [0, 0, 0.9],
      [1, 1, 0.8],
      [2, 2, 0.7],
    ]);
    expect(diagonal.every((e) => e.labelled)).toBe(true);
    expect(into(3).find((e) => e.from.unit === 1)?.local).toBe(1);
  });

  it("collapses a layer wider than the limit into one summary box", () => {
    const wide = Array.from({ length: COLLAPSE_ABOVE + 1 }, (_, i) => i - 4);
    const nodes = [
      node("x", "input", [1, 2]),
      node("wx", "matmul", wide, { local_matrix: wide.map(() => [1, 1]) }),
      node("h", "activation", wide, { local_diagonal: wide.map(() => 1) }),
    ];
    const layout = layoutGraph(nodes, 200);
    expect(layout.columns.map((c) => c.collapsed)).toEqual([false, true, true]);
    expect(layout.columns[1]!.boxes).toEqual([expect.objectContaining({ unit: null })]);
    // A collapsed side leaves one edge per box pair, with no single number to label it.
    expect(layout.edges.filter((e) => e.column === 2)).toHaveLength(1);
    expect(layout.edges.every((e) => e.column === 1 || !e.labelled)).toBe(true);
    expect(summarise(wide)).toBe("9 values -4 … 4");
    expect(extremes(wide)).toEqual(["max 4", "min -4"]);
    expect(extremes([1, NaN, -Infinity])).toEqual(["has NaN", "1 of 3"]);
  });

  it("fits 8 narrow units into the panel and grows past it rather than overlap", () => {
    const eight = Array.from({ length: 8 }, () => 0);
    const layout = layoutGraph([node("x", "input", eight)], 200);
    const boxes = layout.columns[0]!.boxes;
    for (let i = 1; i < boxes.length; i++)
      expect(boxes[i]!.y).toBeGreaterThanOrEqual(boxes[i - 1]!.y + boxes[i - 1]!.height);
    expect(layout.height).toBeGreaterThanOrEqual(boxes.at(-1)!.y + boxes.at(-1)!.height);
  });
});

describe("the chain rule in words", () => {
  it("reads a diagonal edge as upstream × local, and a matrix edge as a sum", () => {
    expect(localAt(SMALL[2]!, 1, 1)).toBe(0.8);
    expect(localAt(SMALL[2]!, 0, 1)).toBe(0);
    expect(chainText(SMALL, 1, 1)).toBe("∂L/∂wx = 0.02 × 0.8 = 0.02");
    expect(chainText(SMALL, 0, 0)).toBe("∂L/∂x = 0.01·1 + 0.02·3 + 0.03·5 = 0.1");
    expect(chainText(SMALL, 3, null)).toContain("starts here");
    // A collapsed layer reads as a summary of the product, its matrix left on the server.
    expect(chainText(SMALL, 1, null)).toBe("∂L/∂wx = ∂L/∂h × ∂h/∂wx: 3 values 0.01 … 0.03");
  });
});

describe("graphPlay", () => {
  it("forward reveals values left to right, then Step runs the backward pass right to left", () => {
    let play = startPlay("forward", 4);
    expect([0, 1, 2, 3].map((i) => showsValue(play, i))).toEqual([true, false, false, false]);
    const seen = [];
    while (!isDone(play, 4)) {
      play = stepPlay(play, 4);
      seen.push(play.reached);
    }
    expect(seen).toEqual([1, 2, 3]);
    play = stepPlay(play, 4); // into the backward pass: the loss's dL/dL = 1 first
    expect(play).toEqual({ direction: "backward", reached: 3 });
    expect([0, 1, 2, 3].map((i) => showsGrad(play, i))).toEqual([false, false, false, true]);
    expect([0, 1, 2, 3].every((i) => showsValue(play, i))).toBe(true);
    play = stepPlay(stepPlay(stepPlay(play, 4), 4), 4);
    expect(isDone(play, 4)).toBe(true);
    expect(stepPlay(play, 4)).toBe(play);
  });

  it("starts with the forward pass shown and ends a pass at once for reduced motion", () => {
    expect(initialPlay(4)).toEqual(endPlay("forward", 4));
    expect([0, 1, 2, 3].every((i) => showsGrad(endPlay("backward", 4), i))).toBe(true);
    expect(showsGrad(initialPlay(4), 3)).toBe(false);
  });
});
